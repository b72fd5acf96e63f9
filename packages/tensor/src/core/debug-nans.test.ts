import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as jt from '../index';

afterEach(() => {
  jt.config.debugNans = false;
});

describe('jt.config.debugNans', () => {
  it('is off by default: NaN flows through', () => {
    expect(jt.config.debugNans).toBe(false);
    expect(Number.isNaN(Number(jt.log(jt.array(-1))))).toBe(true);
  });

  it('names the first primitive that produces NaN, its shapes and the call site', () => {
    jt.config.debugNans = true;
    const x = jt.array([
      [1, -2, 3],
      [4, 5, 6],
    ]);
    const y = jt.exp(x); // no NaN: no error
    expect(y.shape).toEqual([2, 3]);
    let caught: unknown;
    try {
      jt.sum(jt.sqrt(jt.sub(x, 0)), { axis: 0 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(jt.FloatingPointError);
    expect(caught).toBeInstanceOf(jt.JuteError);
    const message = (caught as Error).message;
    // sqrt made the NaN (sub and sum did not), from f32[2,3] to f32[2,3].
    expect(message).toMatch(/^sqrt produced NaN: \(f32\[2,3\]\) -> f32\[2,3\]/);
    // The call site is this test file's line, not a frame inside Jute.
    expect(message).toMatch(/called at .*debug-nans\.test\.ts:\d+:\d+/);
  });

  it('says when the NaN came in through an input', () => {
    jt.config.debugNans = true;
    expect(() => jt.mul(jt.array([Number.NaN, 1]), 2)).toThrow(
      /mul produced NaN: \(f32\[2\], f32\[2\]\) -> f32\[2\] \(an input already held NaN\)/,
    );
  });

  it('ignores integer and bool results and infinities', () => {
    jt.config.debugNans = true;
    expect(jt.div(jt.array([1]), 0).item()).toBe(Number.POSITIVE_INFINITY);
    expect(jt.add(jt.array([1], { dtype: 'int32' }), 1).item()).toBe(2);
    expect(jt.isNan(jt.array([1])).item()).toBe(false);
  });
});

describe('JUTE_DEBUG_NANS=1', () => {
  it('turns the switch on from the environment', async () => {
    const program = [
      "import * as jt from '@jute/tensor';",
      'try { jt.log(jt.array(-1)); console.log("no error"); }',
      'catch (e) { console.log(e.name, jt.config.debugNans); }',
    ].join('\n');
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--conditions=@jute/source', '--import', 'tsx', '--input-type=module', '-e', program],
        {
          cwd: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
          env: { ...process.env, JUTE_DEBUG_NANS: '1' },
          timeout: 60_000,
        },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      );
    });
    expect(out.trim()).toBe('FloatingPointError true');
  }, 70_000);
});
