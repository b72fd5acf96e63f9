import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { randomCrop, randomTranslate, translate } from './translate';

// A 3×3 one-channel pattern, and the same as a batch of two.
const img = jt.array([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [3, 3, 1] });
const two = jt.stack([img, jt.mul(img, 10)]);
const values = (a: jt.Array) => Array.from(a.data());

describe('translate', () => {
  it('moves a known pattern by whole pixels, zero-filling the border', () => {
    expect(values(translate(img, [[1, 0]]))).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6]);
    expect(values(translate(img, [[0, -1]]))).toEqual([2, 3, 0, 5, 6, 0, 8, 9, 0]);
    expect(values(translate(img, [[-1, 1]]))).toEqual([0, 4, 5, 0, 7, 8, 0, 0, 0]);
    expect(values(translate(img, [[5, 0]]))).toEqual(Array(9).fill(0));
  });

  it('shifts each example of a batch by its own amount, keeping the shape', () => {
    const out = translate(two, [
      [0, 0],
      [0, 1],
    ]);
    expect(out.shape).toEqual([2, 3, 3, 1]);
    expect(values(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 10, 20, 0, 40, 50, 0, 70, 80]);
  });

  it('rejects fractional shifts and a wrong number of shifts', () => {
    expect(() => translate(img, [[0.5, 0]])).toThrow(jt.ValueError);
    expect(() => translate(two, [[0, 0]])).toThrow(jt.ShapeError);
    expect(() => translate(jt.ones([3, 3]), [[0, 0]])).toThrow(jt.ShapeError);
  });
});

/** The shift in [-m, m]² that `translate` maps `x` to `y` with, or undefined. */
function findShift(x: jt.Array, y: jt.Array, m: number): [number, number] | undefined {
  for (let dy = -m; dy <= m; dy++)
    for (let dx = -m; dx <= m; dx++)
      if (values(translate(x, [[dy, dx]])).join() === values(y).join()) return [dy, dx];
  return undefined;
}

describe('randomTranslate and randomCrop', () => {
  const x = jt.random.uniform(jt.random.key(1), [6, 5, 5, 2]);
  const ex = (a: jt.Array, i: number) => jt.slice(a, [i], [i + 1]);

  it.each([
    ['randomTranslate', randomTranslate({ maxShift: 2 })],
    ['randomCrop', randomCrop({ padding: 2 })],
  ])('%s: every example is a translation within the bound', (_name, t) => {
    const out = t(jt.random.key(2), x);
    expect(out.shape).toEqual(x.shape);
    const shifts = [...Array(6).keys()].map((i) => findShift(ex(x, i), ex(out, i), 2));
    for (const s of shifts) expect(s).toBeDefined();
    // Six independent draws from 25 shifts are not all equal.
    expect(new Set(shifts.map((s) => s!.join())).size).toBeGreaterThan(1);
  });

  it('same key, same output; another key, another output', () => {
    const t = randomTranslate({ maxShift: 2 });
    expect(values(t(jt.random.key(3), x))).toEqual(values(t(jt.random.key(3), x)));
    expect(values(t(jt.random.key(4), x))).not.toEqual(values(t(jt.random.key(3), x)));
  });

  it('randomCrop cuts windows of the requested size out of the padded image', () => {
    const out = randomCrop({ padding: 1, size: [2, 2] })(jt.random.key(5), img);
    expect(out.shape).toEqual([2, 2, 1]);
    const padded = jt.pad(jt.squeeze(img, 2), 1);
    const windows = [0, 1, 2, 3].flatMap((oy) =>
      [0, 1, 2, 3].map((ox) => values(jt.slice(padded, [oy, ox], [oy + 2, ox + 2])).join()),
    );
    expect(windows).toContain(values(out).join());
    expect(() => randomCrop({ padding: 0, size: [4, 3] })(jt.random.key(0), img)).toThrow(
      jt.ValueError,
    );
  });
});
