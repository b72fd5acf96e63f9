import { describe, expect, it } from 'vitest';
import { expectBrowserSafe } from '../../../scripts/test-helpers/node-imports';
import * as core from './index';
import * as nodeEntry from './node';

describe('the entries', () => {
  it('the main entry reaches no Node built-in module (it runs in browsers)', () =>
    expectBrowserSafe(
      new URL('./index.ts', import.meta.url),
      new URL('./node.ts', import.meta.url),
    ));

  it('@jute/tune/node is the main entry plus the file journal', () => {
    const extra = Object.keys(nodeEntry).filter((k) => !(k in core));
    expect(extra).toEqual(['fileJournal']);
  });
});
