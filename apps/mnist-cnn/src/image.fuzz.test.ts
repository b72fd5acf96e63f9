import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { pngToDigit } from './image';

/**
 * Fuzzing `pngToDigit` (what `mnist predict IMAGE.png` runs): random bytes, truncated and
 * mutated PNGs, and headers declaring any size. Each case must end in an `ImageError` or
 * a 28×28 digit in [0, 1], never a throw, within a bounded time: the size check reads the
 * header before the decoder allocates width × height × 4 bytes.
 * `JUTE_FUZZ_RUNS` sets the cases per property (default 250).
 */
const RUNS = Number(process.env.JUTE_FUZZ_RUNS ?? 250);

/** A small valid PNG: a dark bar on white, `w`×`h`. */
function barPng(w: number, h: number): Uint8Array {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = Math.abs(x - w / 2) < w / 8 ? 0 : 255;
      p.data.set([v, v, v, 255], 4 * (y * w + x));
    }
  return new Uint8Array(PNG.sync.write(p));
}

const valid = barPng(16, 12);

/** Overwrites the IHDR width and height (CRC left stale, as a hostile file would). */
const withSize = (bytes: Uint8Array, w: number, h: number): Uint8Array => {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, w);
  view.setUint32(20, h);
  return out;
};

const expectDigitOrError = (r: E.Either<{ _tag: string; message: string }, Float32Array>) => {
  if (E.isLeft(r)) {
    expect(r.left._tag).toBe('ImageError');
    expect(r.left.message).not.toContain('\n');
  } else {
    expect(r.right).toHaveLength(784);
    expect(r.right.every((v) => v >= 0 && v <= 1)).toBe(true);
  }
};

describe('pngToDigit under fuzzing', () => {
  it('random, truncated and mutated PNGs: an ImageError or a digit', () => {
    const mutated = fc
      .array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 4,
      })
      .map((edits) => {
        const out = valid.slice();
        for (const [i, v] of edits) out[i] = v;
        return out;
      });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 128 }),
          fc.nat({ max: valid.length }).map((n) => valid.subarray(0, n)),
          mutated,
        ),
        (bytes) => expectDigitOrError(pngToDigit(bytes, 'fuzz.png')),
      ),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('declared sizes from 0 to 2^32-1 are refused or decoded quickly, never allocated blindly', () => {
    const side = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom(4097, 30000, 2 ** 31, 2 ** 32 - 1),
    );
    fc.assert(
      fc.property(side, side, (w, h) => {
        const t0 = performance.now();
        expectDigitOrError(pngToDigit(withSize(valid, w, h), 'sized.png'));
        expect(performance.now() - t0).toBeLessThan(2000);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
