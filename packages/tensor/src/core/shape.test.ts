import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const dims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });
/** Two shapes that broadcast: start from one and knock some axes to 1 or drop leading ones. */
const compatible = dims.chain((full) =>
  fc
    .tuple(
      fc.constant(full),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
      fc.nat(full.length),
      fc.nat(full.length),
    )
    .map(
      ([f, ma, mb, da, db]) =>
        [
          f.map((d, i) => (ma[i] ? 1 : d)).slice(da),
          f.map((d, i) => (mb[i] ? 1 : d)).slice(db),
        ] as const,
    ),
);

describe('shapes', () => {
  it('broadcastShapes by hand', () => {
    expect(jt.broadcastShapes('add', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(jt.broadcastShapes('add', [], [3])).toEqual([3]);
    expect(jt.broadcastShapes('add', [0, 1], [1, 5])).toEqual([0, 5]);
    expect(() => jt.broadcastShapes('mul', [2, 3], [4])).toThrow(
      'mul: shapes [2,3] and [4] do not broadcast',
    );
  });

  it('normalizeAxis/normalizeAxes and sizeOf', () => {
    expect(jt.normalizeAxis('op', -1, 3)).toBe(2);
    expect(() => jt.normalizeAxis('op', 3, 3)).toThrow(
      'op: axis 3 is out of range for an array of rank 3',
    );
    expect(jt.normalizeAxes('op', [-1, 0], 3)).toEqual([0, 2]);
    expect(jt.normalizeAxes('op', undefined, 2)).toEqual([0, 1]);
    expect(jt.sizeOf([2, 3, 4])).toBe(24);
    expect(jt.sizeOf([])).toBe(1);
  });

  it('broadcastShapes is commutative and agrees with ops (property)', () => {
    fc.assert(
      fc.property(compatible, ([a, b]) => {
        const ab = jt.broadcastShapes('t', a, b);
        expect(jt.broadcastShapes('t', b, a)).toEqual(ab);
        expect(ab.length).toBe(Math.max(a.length, b.length));
        expect(jt.add(jt.zeros(a), jt.zeros(b)).shape).toEqual(ab);
        // Broadcasting is idempotent: a shape broadcast with its result gives the result.
        expect(jt.broadcastShapes('t', a, ab)).toEqual(ab);
      }),
      { numRuns: 200 },
    );
  });

  it('incompatible shapes fail in both orders (property)', () => {
    fc.assert(
      fc.property(
        dims,
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 2, max: 4 }),
        (rest, p, q) => {
          fc.pre(p !== q);
          expect(() => jt.broadcastShapes('t', [...rest, p], [q])).toThrow(jt.ShapeError);
          expect(() => jt.broadcastShapes('t', [q], [...rest, p])).toThrow(jt.ShapeError);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('broadcastTo then sum over the new/expanded axes scales by their size (property)', () => {
    fc.assert(
      fc.property(compatible, ([a, b]) => {
        const target = jt.broadcastShapes('t', a, b);
        const n = a.reduce((s, d) => s * d, 1);
        const x = jt.arange(n).astype('float64').reshape(a);
        const y = jt.broadcastTo(x, target);
        expect(y.shape).toEqual(target);
        const factor = target.reduce((s, d) => s * d, 1) / Math.max(1, n);
        expect(jt.sum(y).item()).toBe(Number(jt.sum(x).item()) * (n === 0 ? 0 : factor));
        // Summing the broadcast axes back (keepdims where x had a 1) recovers factor · x.
        const lead = target.length - a.length;
        const axes = target.flatMap((d, i) =>
          i < lead || (a[i - lead] === 1 && d !== 1) ? [i] : [],
        );
        const back = jt.reshape(jt.sum(y, { axis: axes }), a);
        const k = axes.reduce((s, ax) => s * target[ax]!, 1);
        expect(back.toArray()).toEqual(jt.mul(x, k).toArray());
      }),
      { numRuns: 200 },
    );
  });
});
