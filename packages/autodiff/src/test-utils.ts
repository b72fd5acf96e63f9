/**
 * Helpers shared by the autodiff test files (not exported from the package).
 * @internal
 */
import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { expect } from 'vitest';
import { vmap } from './vmap';

/** A float64 array from nested numbers. */
export const f64 = (x: number | readonly unknown[]): jt.Array =>
  jt.array(x as never, { dtype: 'float64' });

const keyOf = (seed: number, salt: number) => jt.random.foldIn(jt.random.key(seed), salt);

/** Standard normal float64 samples; `salt` separates the arguments drawn from one seed. */
export const randn = (seed: number, shape: jt.Shape, salt = 0): jt.Array =>
  jt.random.normal(keyOf(seed, salt), shape, { dtype: 'float64' });

/** Uniform float64 samples in `[lo, hi)`. */
export const randu = (seed: number, shape: jt.Shape, lo: number, hi: number, salt = 0): jt.Array =>
  jt.random.uniform(keyOf(seed, salt), shape, { minval: lo, maxval: hi, dtype: 'float64' });

/** Uniform int32 samples in `[lo, hi)`. */
export const randi = (seed: number, shape: jt.Shape, lo: number, hi: number, salt = 0): jt.Array =>
  jt.random.randint(keyOf(seed, salt), shape, lo, hi);

/** Magnitudes in `[lo, hi)` with random signs (keeps away from kinks at 0). */
export const awayFromZero = (
  seed: number,
  shape: jt.Shape,
  lo: number,
  hi: number,
  salt = 0,
): jt.Array => jt.mul(randu(seed, shape, lo, hi, salt), jt.sign(randn(seed, shape, salt + 1000)));

/** Asserts two pytrees of arrays have equal structure, shapes, dtypes and close values. */
export function expectClose(got: unknown, want: unknown, tol = 1e-9, what = 'value'): void {
  const [g, gd] = jt.tree.flatten<jt.Array | number>(got);
  const [w, wd] = jt.tree.flatten<jt.Array | number>(want);
  expect(jt.tree.defToString(gd), `${what}: structure`).toBe(jt.tree.defToString(wd));
  g.forEach((gl, i) => {
    const a = jt.asArray(gl);
    const b = jt.asArray(w[i]!);
    expect(a.shape, `${what}: shape of leaf ${i}`).toEqual(b.shape);
    if (gl instanceof jt.Array && w[i] instanceof jt.Array)
      expect(a.dtype, `${what}: dtype of leaf ${i}`).toBe(b.dtype);
    const ad = a.data();
    const bd = b.data();
    for (let k = 0; k < ad.length; k++) {
      const x = Number(ad[k]);
      const y = Number(bd[k]);
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      if (!(Math.abs(x - y) <= tol * (1 + Math.abs(y)))) {
        expect.fail(
          `${what}: leaf ${i} element ${k}: got ${x}, expected ${y} (tolerance ${tol})\ngot ${a}\nexpected ${b}`,
        );
      }
    }
  });
}

/** Asserts every leaf of a pytree is all zeros. */
export function expectZeros(tree: unknown, what: string): void {
  for (const leaf of jt.tree.leaves<jt.Array>(tree)) {
    const d = leaf.data();
    for (let k = 0; k < d.length; k++) {
      if (Number(d[k]) !== 0) expect.fail(`${what}: expected zeros, got ${leaf}`);
    }
  }
}

/** Slice `i` along `axis` of `x` (the axis is removed). */
export const sliceAxis = (x: jt.Array, axis: number, i: number): jt.Array =>
  jt.take(x, i, { axis });

/**
 * Checks `vmap(f, { inAxes })` against a loop: `args` are already batched (size `size`
 * along their axis, or shared when the axis is null), and output `i` of the vmapped
 * function must equal `f` on the `i`-th slices, stacked along axis 0.
 */
export function expectBatchingMatchesLoop(
  f: (...xs: jt.Array[]) => unknown,
  args: readonly jt.Array[],
  inAxes: readonly (number | null)[],
  size: number,
  tol = 1e-9,
): void {
  const got = vmap(f, { inAxes: [...inAxes] })(...args);
  const rows = Array.from({ length: size }, (_, i) =>
    f(...args.map((a, k) => (inAxes[k] === null ? a : sliceAxis(a, inAxes[k]!, i)))),
  );
  const [first, def] = jt.tree.flatten<jt.Array>(rows[0]);
  const stacked = first.map((_, j) =>
    jt.stack(
      rows.map((r) => jt.tree.leaves<jt.Array>(r)[j]!),
      0,
    ),
  );
  expectClose(
    got,
    jt.tree.unflatten(def, stacked),
    tol,
    `vmap with inAxes ${JSON.stringify(inAxes)}`,
  );
}

class RecordTracer extends jc.Tracer {
  constructor(
    readonly trace: RecordTrace,
    readonly val: jt.Array,
  ) {
    super();
  }
  get shape(): jt.Shape {
    return this.val.shape;
  }
  get dtype(): jt.DType {
    return this.val.dtype;
  }
  override concrete(): jt.Array {
    return this.val;
  }
}

class RecordTrace extends jc.Trace {
  pure(x: jt.Array): RecordTracer {
    return new RecordTracer(this, x);
  }
  process<P extends jc.Primitive>(
    prim: P,
    tracers: jc.Tracer[],
    params: jc.PrimitiveParams[P],
  ): jc.Tracer[] {
    (this.main.globalData as Set<jc.Primitive>).add(prim);
    return jc
      .bind(
        prim,
        tracers.map((t) => (t as RecordTracer).val),
        params,
      )
      .map((o) => new RecordTracer(this, o));
  }
}

/** The primitives `f` binds on (values derived from) its arguments, at the top level. */
export function primitivesBound(
  f: (...xs: jt.Array[]) => unknown,
  args: readonly jt.Array[],
): Set<jc.Primitive> {
  const seen = new Set<jc.Primitive>();
  jc.newMain(RecordTrace, seen, (main) => {
    const trace = new RecordTrace(main);
    f(...args.map((a) => new RecordTracer(trace, a)));
  });
  return seen;
}
