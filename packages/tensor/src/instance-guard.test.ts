import { afterEach, describe, expect, it } from 'vitest';
import { claimSingleInstance } from './instance-guard';

const SLOT = Symbol.for('@jute/tensor/instance');
const g = globalThis as Record<symbol, unknown>;
let saved: PropertyDescriptor | undefined;

describe('claimSingleInstance', () => {
  afterEach(() => {
    // Put back whatever the package entry itself claimed.
    delete g[SLOT];
    if (saved) Object.defineProperty(g, SLOT, saved);
  });

  it('accepts the first copy and the same version again, refuses another version', () => {
    saved = Object.getOwnPropertyDescriptor(g, SLOT);
    delete g[SLOT];
    expect(() => claimSingleInstance('0.1.0')).not.toThrow();
    expect(() => claimSingleInstance('0.1.0')).not.toThrow();
    expect(() => claimSingleInstance('0.2.0')).toThrow(
      /two copies of @jute\/tensor are loaded in this program \(0\.1\.0 and 0\.2\.0\)/,
    );
  });

  it('keeps its mark out of enumeration', () => {
    saved = Object.getOwnPropertyDescriptor(g, SLOT);
    delete g[SLOT];
    claimSingleInstance('1.2.3');
    expect(Object.keys(globalThis)).not.toContain(String(SLOT));
    expect(Object.getOwnPropertyDescriptor(g, SLOT)?.enumerable).toBe(false);
  });
});
