import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as jt from '../index';

const { tree } = jt;

describe('tree', () => {
  const a = jt.array([1]);
  const b = jt.array([2]);
  const t = { w: a, b: [b, 3, { c: true }], n: null };

  it('flattens depth first with sorted object keys; null holds no leaves', () => {
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([b, 3, true, a]);
    expect(leaves[0]).toBe(b);
    expect(tree.numLeaves(def)).toBe(4);
    expect(tree.defToString(def)).toBe('{b: [*, *, {c: *}], n: null, w: *}');
    expect(tree.leaves({ z: 1, a: 2 })).toEqual([2, 1]);
    expect(tree.flatten(a)[0]).toEqual([a]);
    expect(tree.flatten({})[0]).toEqual([]);
  });

  it('unflatten rebuilds the same structure', () => {
    const [leaves, def] = tree.flatten(t);
    const back = tree.unflatten<typeof t>(def, leaves);
    expect(back).toEqual(t);
    expect(back.w).toBe(a);
    const swapped = tree.unflatten<typeof t>(def, [1, 2, 3, 4]);
    expect(swapped).toEqual({ b: [1, 2, { c: 3 }], n: null, w: 4 });
  });

  it('paths look like a.b.0', () => {
    const p = tree.flattenWithPath({ a: { b: [jt.zeros([1]), jt.ones([1])] }, c: 1 });
    expect(p.map(([path]) => path)).toEqual(['a.b.0', 'a.b.1', 'c']);
    expect(tree.flattenWithPath([{ x: 1 }, 2]).map(([path]) => path)).toEqual(['0.x', '1']);
  });

  it('map keeps structure and zips several trees', () => {
    const out = tree.map((x: number) => x * 10, { a: 1, b: [2, { c: 3 }], n: null });
    expect(out).toEqual({ a: 10, b: [20, { c: 30 }], n: null });
    const sum = tree.map(
      (x: number, y: number) => x + y,
      { a: 1, b: [2, 3] },
      { a: 10, b: [20, 30] },
    );
    expect(sum).toEqual({ a: 11, b: [22, 33] });
    const arrays = tree.map(
      (p: jt.Array, g: jt.Array) => p.sub(g.mul(0.5)),
      { w: jt.ones([2]) },
      { w: jt.ones([2]) },
    );
    expect(arrays.w.toArray()).toEqual([0.5, 0.5]);
  });

  it('structure mismatches are errors that show both structures', () => {
    expect(() =>
      tree.map((x: number, y: number) => x + y, { a: 1, b: [2, 3] }, { a: 10, b: [20] }),
    ).toThrow('tree.map: argument 2 has structure {a: *, b: [*]}, expected {a: *, b: [*, *]}');
    expect(() => tree.map((x: number, y: number) => x + y, { a: 1 }, { b: 1 })).toThrow(
      jt.ValueError,
    );
    expect(() => tree.unflatten(tree.structure([1, 2]), [1])).toThrow(
      'tree.unflatten: too few leaves (1)',
    );
    expect(() => tree.unflatten(tree.structure([1, 2]), [1, 2, 3])).toThrow(
      'tree.unflatten: 3 leaves for a structure of 2',
    );
    expect(() => tree.flatten({ a: [1, new Date()] })).toThrow(
      /tree: unsupported node \[object Date\] at 'a.1'/,
    );
    expect(tree.equalStructure({ a: [1, 2] }, { a: [3, 4] })).toBe(true);
    expect(tree.equalStructure({ a: [1, 2] }, { a: [3] })).toBe(false);
    expect(tree.equalStructure({ a: 1 }, { b: 1 })).toBe(false);
  });

  it('flatten/unflatten round-trips arbitrary pytrees (property)', () => {
    const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null));
    const { node } = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 3 }).filter((k) => k !== '__proto__'),
          tie('node'),
          { maxKeys: 4 },
        ),
      ),
    }));
    fc.assert(
      fc.property(node, (x) => {
        const [leaves, def] = tree.flatten<unknown>(x);
        expect(tree.unflatten(def, leaves)).toEqual(x);
        expect(tree.numLeaves(def)).toBe(leaves.length);
        // Mapping the identity keeps the tree; leaves come back in path order.
        expect(tree.map((l: unknown) => l, x)).toEqual(x);
        expect(tree.flattenWithPath<unknown>(x).map(([, l]) => l)).toEqual(leaves);
      }),
      { numRuns: 200 },
    );
  });
});
