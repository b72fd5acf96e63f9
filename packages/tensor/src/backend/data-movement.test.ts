import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcreteArray } from '../core/array';
import type { KernelPrimitive } from '../core/backend';
import { patchesShape } from '../core/conv-shape';
import { allocate, type DType, type TypedArray } from '../core/dtype';
import type { ConvPatchesParams, PrimitiveParams } from '../core/primitives';
import { type Shape, sizeOf, stridesOf } from '../core/shape';
import { shapeRules } from '../core/shape-rules';
import { cpuBackend } from './cpu';
import { planCopy } from './strided';

// Each fast data-movement kernel against a naive index-by-index reference, over random
// shapes, parameters and dtypes (special values included), compared bit for bit.

// Kernels get their output avals from the shape rules, as the eval interpreter passes them.
const K = new Proxy(cpuBackend.kernels, {
  get: (kernels, prim: KernelPrimitive) => (inputs: ConcreteArray[], params: never) =>
    kernels[prim](inputs, params, shapeRules[prim](inputs, params)),
}) as {
  [P in KernelPrimitive]: (inputs: ConcreteArray[], params: PrimitiveParams[P]) => ConcreteArray[];
};
const DTYPES: DType[] = ['float32', 'float64', 'int32', 'bool'];
const SPECIAL = [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/** A small deterministic generator, so a failing seed replays. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

function shuffle(xs: number[], r: (n: number) => number): number[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = r(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

function randomArray(shape: Shape, dtype: DType, seed: number): ConcreteArray {
  const r = rng(seed);
  const b = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < b.length; i++) {
    if (dtype === 'bool') b[i] = r(2);
    else if (dtype === 'int32') b[i] = r(10) === 0 ? r(2 ** 32) | 0 : r(200) - 100;
    // Full mantissas over several magnitudes, so a change in summation order shows.
    else
      b[i] =
        r(10) === 0 ? SPECIAL[r(SPECIAL.length)]! : (r(2 ** 30) / 2 ** 30 - 0.5) * 10 ** (r(7) - 3);
  }
  return new ConcreteArray(b, shape, dtype);
}

const bytes = (a: TypedArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Same dtype, shape and bits; on failure names the first differing element. */
function expectSame(got: ConcreteArray, want: ConcreteArray): void {
  expect(got.dtype).toBe(want.dtype);
  expect([...got.shape]).toEqual([...want.shape]);
  const g = bytes(got.buffer);
  const w = bytes(want.buffer);
  expect(g.length).toBe(w.length);
  const per = got.buffer.BYTES_PER_ELEMENT;
  for (let i = 0; i < g.length; i++)
    if (g[i] !== w[i]) {
      const e = Math.floor(i / per);
      expect(`element ${e}: ${got.buffer[e]}`).toBe(`element ${e}: ${want.buffer[e]}`);
    }
}

/** Row-major multi-index of a flat position. */
function unravel(i: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return idx;
}

const ravel = (idx: readonly number[], shape: Shape) =>
  idx.reduce((acc, v, a) => acc * shape[a]! + v, 0);

/** Builds an output by asking `at(idx)` for the input flat index (or -1: keep `fill`). */
function naive(
  x: ConcreteArray,
  shape: Shape,
  at: (idx: number[]) => number,
  fill = 0,
): ConcreteArray {
  const out = allocate(x.dtype, sizeOf(shape)).fill(fill);
  for (let i = 0; i < out.length; i++) {
    const j = at(unravel(i, shape));
    if (j >= 0) out[i] = x.buffer[j]!;
  }
  return new ConcreteArray(out, shape, x.dtype);
}

const dim = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 5 }) },
);
const shapeArb = (maxRank = 4) => fc.array(dim, { minLength: 0, maxLength: maxRank });
const dtypeArb = fc.constantFrom(...DTYPES);
const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const RUNS = { numRuns: 150 };

describe('transpose', () => {
  const check = (shape: number[], dtype: DType, seed: number) => {
    const x = randomArray(shape, dtype, seed);
    const r = rng(seed + 1);
    const perm = shuffle(
      shape.map((_, i) => i),
      r,
    );
    const outShape = perm.map((p) => shape[p]!);
    const want = naive(x, outShape, (idx) => {
      const src = new Array<number>(shape.length);
      perm.forEach((p, i) => {
        src[p] = idx[i]!;
      });
      return ravel(src, shape);
    });
    expectSame(K.transpose([x], { perm })[0]!, want);
  };

  it('matches the definition for random permutations (property)', () => {
    fc.assert(fc.property(shapeArb(5), dtypeArb, seedArb, check), RUNS);
  });

  it('crosses transpose tiles on larger 2-D and 3-D arrays (property)', () => {
    const big = fc.integer({ min: 1, max: 70 });
    fc.assert(
      fc.property(
        fc.array(big, { minLength: 2, maxLength: 2 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 3, maxLength: 3 }),
        dtypeArb,
        seedArb,
        (s2, s3, dtype, seed) => {
          check(s2, dtype, seed);
          check(s3, dtype, seed);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('broadcast_in_dim', () => {
  it('matches the definition (property)', () => {
    fc.assert(
      fc.property(
        shapeArb(3),
        fc.integer({ min: 0, max: 2 }),
        dtypeArb,
        seedArb,
        (s, extra, dtype, seed) => {
          const r = rng(seed);
          // Some input axes of size 1 are expanded; `extra` new axes are inserted.
          const inShape = s.map((d) => (r(3) === 0 ? 1 : d));
          const rank = inShape.length + extra;
          const dims = shuffle([...Array(rank).keys()], r)
            .slice(0, inShape.length)
            .sort((a, b) => a - b);
          const outShape = [...Array(rank)].map(() => 1 + r(4));
          dims.forEach((d, i) => {
            outShape[d] = inShape[i] === 1 ? 1 + r(40) : inShape[i]!;
          });
          const x = randomArray(inShape, dtype, seed);
          const want = naive(x, outShape, (idx) =>
            ravel(
              dims.map((d, i) => (inShape[i] === 1 ? 0 : idx[d]!)),
              inShape,
            ),
          );
          expectSame(K.broadcast_in_dim([x], { shape: outShape, dims })[0]!, want);
        },
      ),
      RUNS,
    );
  });

  it('broadcasts scalars, zeros included, and long repeated rows', () => {
    for (const dtype of DTYPES)
      for (const v of [0, -0, 1, Number.NaN]) {
        const x = new ConcreteArray(allocate(dtype, 1).fill(v), [], dtype);
        const want = naive(x, [3, 70], () => 0);
        expectSame(K.broadcast_in_dim([x], { shape: [3, 70], dims: [] })[0]!, want);
        const row = randomArray([130], dtype, 7);
        expectSame(
          K.broadcast_in_dim([row], { shape: [33, 130], dims: [1] })[0]!,
          naive(row, [33, 130], (idx) => idx[1]!),
        );
      }
  });
});

describe('slice', () => {
  it('matches the definition with strides (property)', () => {
    fc.assert(
      fc.property(shapeArb(4), dtypeArb, seedArb, (shape, dtype, seed) => {
        const r = rng(seed);
        const start = shape.map((d) => r(d + 1));
        const limit = shape.map((d, i) => start[i]! + r(d - start[i]! + 1));
        const strides = shape.map(() => 1 + r(3));
        const outShape = start.map((s, i) => Math.max(0, Math.ceil((limit[i]! - s) / strides[i]!)));
        const x = randomArray(shape, dtype, seed);
        const want = naive(x, outShape, (idx) =>
          ravel(
            idx.map((v, i) => start[i]! + v * strides[i]!),
            shape,
          ),
        );
        expectSame(K.slice([x], { start, limit, strides })[0]!, want);
      }),
      RUNS,
    );
  });
});

describe('pad', () => {
  it('matches the definition with negative, positive and interior padding (property)', () => {
    fc.assert(
      fc.property(shapeArb(4), dtypeArb, seedArb, fc.boolean(), (shape, dtype, seed, zero) => {
        const r = rng(seed);
        const interior = shape.map(() => r(3));
        const lo = shape.map(() => r(7) - 3);
        const hi = shape.map((d, i) => {
          const h = r(7) - 3;
          const rest = lo[i]! + d + Math.max(0, d - 1) * interior[i]!;
          return Math.max(h, -rest); // keep every output axis non-negative
        });
        const value = zero ? 0 : dtype === 'bool' ? 1 : -2.5;
        const outShape = shape.map(
          (d, i) => lo[i]! + hi[i]! + d + Math.max(0, d - 1) * interior[i]!,
        );
        const x = randomArray(shape, dtype, seed);
        const fill = allocate(dtype, 1).fill(value)[0]!;
        const want = naive(
          x,
          outShape,
          (idx) => {
            const src: number[] = [];
            for (let i = 0; i < idx.length; i++) {
              const q = idx[i]! - lo[i]!;
              const step = interior[i]! + 1;
              if (q < 0 || q % step !== 0 || q / step >= shape[i]!) return -1;
              src.push(q / step);
            }
            return ravel(src, shape);
          },
          fill,
        );
        expectSame(K.pad([x], { lo, hi, interior, value })[0]!, want);
      }),
      RUNS,
    );
  });
});

describe('concatenate', () => {
  it('matches the definition (property)', () => {
    fc.assert(
      fc.property(
        fc.array(dim, { minLength: 1, maxLength: 4 }),
        fc.array(dim, { minLength: 1, maxLength: 4 }),
        dtypeArb,
        seedArb,
        (shape, sizes, dtype, seed) => {
          const axis = seed % shape.length;
          const xs = sizes.map((n, k) =>
            randomArray(
              shape.map((d, i) => (i === axis ? n : d)),
              dtype,
              seed + k,
            ),
          );
          const outShape = shape.map((d, i) => (i === axis ? sizes.reduce((a, b) => a + b, 0) : d));
          const want = allocate(dtype, sizeOf(outShape));
          for (let i = 0; i < want.length; i++) {
            const idx = unravel(i, outShape);
            let k = 0;
            while (idx[axis]! >= sizes[k]!) idx[axis] = idx[axis]! - sizes[k++]!;
            want[i] = xs[k]!.buffer[ravel(idx, xs[k]!.shape)]!;
          }
          expectSame(K.concatenate(xs, { axis })[0]!, new ConcreteArray(want, outShape, dtype));
        },
      ),
      RUNS,
    );
  });
});

describe('gather and scatter_add', () => {
  const setup = (shape: number[], idxShape: number[], seed: number) => {
    const axis = seed % shape.length;
    const n = shape[axis]!;
    const r = rng(seed);
    // Nothing can index an empty axis, so then the indices are empty too.
    const iShape = n === 0 ? [0, ...idxShape.slice(1)] : idxShape;
    const idx = new ConcreteArray(
      Int32Array.from({ length: sizeOf(iShape) }, () => r(n)),
      iShape,
      'int32',
    );
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    return { axis, n, idx, outer, inner, m: idx.buffer.length };
  };

  it('gather matches the definition (property)', () => {
    fc.assert(
      fc.property(
        fc.array(dim, { minLength: 1, maxLength: 3 }),
        fc.array(dim, { minLength: 0, maxLength: 2 }),
        dtypeArb,
        seedArb,
        (shape, idxShape, dtype, seed) => {
          const { axis, n, idx, outer, inner, m } = setup(shape, idxShape, seed);
          const x = randomArray(shape, dtype, seed);
          const outShape = [...shape.slice(0, axis), ...idx.shape, ...shape.slice(axis + 1)];
          const want = allocate(dtype, sizeOf(outShape));
          for (let o = 0; o < outer; o++)
            for (let j = 0; j < m; j++)
              for (let t = 0; t < inner; t++)
                want[(o * m + j) * inner + t] = x.buffer[(o * n + idx.buffer[j]!) * inner + t]!;
          expectSame(K.gather([x, idx], { axis })[0]!, new ConcreteArray(want, outShape, dtype));
        },
      ),
      RUNS,
    );
  });

  it('scatter_add matches the definition, repeated indices included (property)', () => {
    fc.assert(
      fc.property(
        fc.array(dim, { minLength: 1, maxLength: 3 }),
        fc.array(dim, { minLength: 0, maxLength: 2 }),
        dtypeArb,
        seedArb,
        (shape, idxShape, dtype, seed) => {
          const { axis, n, idx, outer, inner, m } = setup(shape, idxShape, seed);
          const updShape = [...shape.slice(0, axis), ...idx.shape, ...shape.slice(axis + 1)];
          const upd = randomArray(updShape, dtype, seed);
          const want = allocate(dtype, sizeOf(shape));
          for (let o = 0; o < outer; o++)
            for (let j = 0; j < m; j++)
              for (let t = 0; t < inner; t++) {
                const d = (o * n + idx.buffer[j]!) * inner + t;
                want[d] = want[d]! + upd.buffer[(o * m + j) * inner + t]!;
              }
          const got = K.scatter_add([upd, idx], { axis, size: n, shape })[0]!;
          expectSame(got, new ConcreteArray(want, shape, dtype));
        },
      ),
      RUNS,
    );
  });

  it('rejects out-of-range indices', () => {
    const x = randomArray([3, 2], 'float32', 1);
    const idx = new ConcreteArray(Int32Array.of(0, 3), [2], 'int32');
    expect(() => K.gather([x, idx], { axis: 0 })).toThrow('gather: index 3 is out of range');
    const upd = randomArray([2, 2], 'float32', 1);
    expect(() => K.scatter_add([upd, idx], { axis: 0, size: 3, shape: [3, 2] })).toThrow(
      'scatter_add: index 3 is out of range',
    );
  });
});

describe('reduce_sum and reduce_max', () => {
  /** Visits the input in row-major order, as the kernels promise to. */
  function refReduce(x: ConcreteArray, axes: number[], op: 'sum' | 'max'): ConcreteArray {
    const outShape = x.shape.filter((_, i) => !axes.includes(i));
    const init =
      op === 'sum' ? 0 : x.dtype === 'int32' ? -(2 ** 31) : x.dtype === 'bool' ? 0 : -Infinity;
    const acc = new Float64Array(sizeOf(outShape)).fill(init);
    for (let i = 0; i < x.size; i++) {
      const idx = unravel(i, x.shape).filter((_, a) => !axes.includes(a));
      const o = ravel(idx, outShape);
      const v = x.buffer[i]!;
      if (op === 'sum') acc[o] = acc[o]! + v;
      else if (v > acc[o]! || Number.isNaN(v)) acc[o] = v;
    }
    const out = allocate(x.dtype, acc.length);
    out.set(acc);
    return new ConcreteArray(out, outShape, x.dtype);
  }

  it('matches a row-major loop bit for bit over any axes (property)', () => {
    fc.assert(
      fc.property(shapeArb(5), dtypeArb, seedArb, (shape, dtype, seed) => {
        const r = rng(seed);
        const axes = shape.map((_, i) => i).filter(() => r(2) === 0);
        const x = randomArray(shape, dtype, seed);
        expectSame(K.reduce_sum([x], { axes })[0]!, refReduce(x, axes, 'sum'));
        expectSame(K.reduce_max([x], { axes })[0]!, refReduce(x, axes, 'max'));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps float32 sums in float64 and wraps int32 sums', () => {
    const x = new ConcreteArray(Float32Array.of(1e8, 1, -1e8, 1, 1, 1, 1, 1), [8], 'float32');
    expect(K.reduce_sum([x], { axes: [0] })[0]!.buffer[0]).toBe(6);
    const i = new ConcreteArray(Int32Array.of(2 ** 31 - 1, 2, 5), [3], 'int32');
    expect(K.reduce_sum([i], { axes: [0] })[0]!.buffer[0]).toBe(-(2 ** 31) + 6);
  });
});

describe('conv_patches and conv_patches_transpose', () => {
  /** im2col / col2im by the definition, output position by output position. */
  function refPatches(
    src: TypedArray,
    dst: TypedArray,
    inShape: Shape,
    p: ConvPatchesParams,
    scatter: boolean,
  ) {
    const two = inShape.length === 4;
    const [N, H, W, C] = (two ? inShape : [inShape[0]!, 1, inShape[1]!, inShape[2]!]) as number[];
    const g = <T>(v: readonly T[], unit: T): T[] => (two ? [...v] : [unit, v[0]!]);
    const [kh, kw] = g(p.window, 1) as [number, number];
    const [sh, sw] = g(p.strides, 1) as [number, number];
    const pad = g(p.padding, [0, 0] as const);
    const [lh, lw] = g(p.lhsDilation, 1) as [number, number];
    const [dh, dw] = g(p.rhsDilation, 1) as [number, number];
    const outShape = patchesShape('conv', inShape, p);
    const [Ho, Wo] = two ? [outShape[1]!, outShape[2]!] : [1, outShape[1]!];
    const cols = kh * kw * C!;
    for (let n = 0; n < N!; n++)
      for (let oh = 0; oh < Ho; oh++)
        for (let ow = 0; ow < Wo; ow++)
          for (let ki = 0; ki < kh; ki++)
            for (let kj = 0; kj < kw; kj++) {
              const y = oh * sh + ki * dh - pad[0]![0];
              const x = ow * sw + kj * dw - pad[1]![0];
              if (y < 0 || x < 0 || y % lh !== 0 || x % lw !== 0 || y / lh >= H! || x / lw >= W!)
                continue;
              for (let c = 0; c < C!; c++) {
                const s = ((n * H! + y / lh) * W! + x / lw) * C! + c;
                const d = ((n * Ho + oh) * Wo + ow) * cols + (ki * kw + kj) * C! + c;
                if (scatter) src[s] = src[s]! + dst[d]!;
                else dst[d] = src[s]!;
              }
            }
  }

  const paramsArb = (nsp: 1 | 2) => {
    const axis = fc.record({
      size: fc.integer({ min: 0, max: 7 }),
      window: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 3 }),
      lo: fc.integer({ min: 0, max: 2 }),
      hi: fc.integer({ min: 0, max: 2 }),
      ld: fc.integer({ min: 1, max: 2 }),
      rd: fc.integer({ min: 1, max: 2 }),
    });
    return fc.array(axis, { minLength: nsp, maxLength: nsp });
  };

  const check = (
    axes: {
      size: number;
      window: number;
      stride: number;
      lo: number;
      hi: number;
      ld: number;
      rd: number;
    }[],
    n: number,
    c: number,
    dtype: DType,
    seed: number,
  ) => {
    const inShape = [n, ...axes.map((a) => a.size), c];
    const p: ConvPatchesParams = {
      window: axes.map((a) => a.window),
      strides: axes.map((a) => a.stride),
      padding: axes.map((a) => [a.lo, a.hi] as const),
      lhsDilation: axes.map((a) => a.ld),
      rhsDilation: axes.map((a) => a.rd),
    };
    const x = randomArray(inShape, dtype, seed);
    const outShape = patchesShape('conv', inShape, p);
    const want = allocate(dtype, sizeOf(outShape));
    refPatches(x.buffer, want, inShape, p, false);
    expectSame(K.conv_patches([x], p)[0]!, new ConcreteArray(want, outShape, dtype));
    const cols = randomArray(outShape, dtype, seed + 1);
    const back = allocate(dtype, sizeOf(inShape));
    refPatches(back, cols.buffer, inShape, p, true);
    const got = K.conv_patches_transpose([cols], { ...p, inputShape: inShape })[0]!;
    expectSame(got, new ConcreteArray(back, inShape, dtype));
  };

  const batch = fc.integer({ min: 0, max: 3 });
  const channels = fc.integer({ min: 1, max: 4 });

  it('match the definition in 1-D with strides, dilations and padding (property)', () => {
    fc.assert(fc.property(paramsArb(1), batch, channels, dtypeArb, seedArb, check), RUNS);
  });

  it('match the definition in 2-D with strides, dilations and padding (property)', () => {
    fc.assert(fc.property(paramsArb(2), batch, channels, dtypeArb, seedArb, check), RUNS);
  });

  it('match on the shapes of the CNN (one channel and 32 channels)', () => {
    const unit = { window: 3, stride: 1, lo: 0, hi: 0, ld: 1, rd: 1 };
    check(
      [
        { ...unit, size: 28 },
        { ...unit, size: 28 },
      ],
      2,
      1,
      'float32',
      3,
    );
    check(
      [
        { ...unit, size: 13, lo: 1, hi: 1 },
        { ...unit, size: 13, lo: 1, hi: 1 },
      ],
      2,
      32,
      'float32',
      4,
    );
    const pool = { window: 2, stride: 2, lo: 0, hi: 0, ld: 1, rd: 1 };
    check(
      [
        { ...pool, size: 26 },
        { ...pool, size: 26 },
      ],
      2,
      32,
      'float64',
      5,
    );
  });
});

describe('copy plans', () => {
  // The fast paths the kernels rely on: these shapes must not fall back to a strided loop.
  const plan = (shape: Shape, src: readonly number[], dst: readonly number[]) =>
    planCopy(shape, src, dst, 1);

  it('copies rows for a slice or pad along the last axis', () => {
    const p = plan([32, 128], [512, 1], [128, 1]);
    expect([p.kind, p.m, p.n, p.outerCount]).toEqual(['rows', 32, 128, 1]);
    const q = plan([1, 32, 512], [16384, 512, 1], stridesOf([1, 32, 512]));
    expect([q.kind, q.m, q.n]).toEqual(['rows', 1, 16384]);
  });

  it('repeats a row for a bias broadcast and tiles a transpose', () => {
    const b = plan([64, 26, 26, 32], [0, 0, 0, 1], stridesOf([64, 26, 26, 32]));
    expect([b.kind, b.m, b.n, b.srcRow]).toEqual(['rows', 64 * 26 * 26, 32, 0]);
    const t = plan([128, 64], [1, 128], [64, 1]);
    expect([t.kind, t.m, t.n]).toEqual(['tile', 128, 64]);
    const f = plan([640, 10], [1, 0], [10, 1]);
    expect(f.kind).toBe('fill');
  });
});
