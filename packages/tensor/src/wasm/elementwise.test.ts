import { describe, expect, it } from 'vitest';
import { ShapeError } from '../core/errors';
import { rng } from '../test-rng';
import { binaryF32, compareF32, reduceF32, selectF32, unaryF32 } from './elementwise';
import {
  BINARY_KERNELS,
  buildElementwiseModule,
  COMPARE_KERNELS,
  type ElementwiseKernel,
  UNARY_KERNELS,
  type UnaryKernel,
} from './elementwise-kernel';

const MAX = 3.4028234663852886e38;
const SPECIAL = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  2 ** -149, // smallest subnormal
  -(2 ** -149),
  1e-40,
  -1e-40,
  2 ** -126 - 2 ** -149, // largest subnormal
  2 ** -126,
  1e-30,
  -1e-30,
  1e-8,
  -1e-8,
  2 ** -24,
  0.5,
  -0.5,
  1,
  -1,
  Math.fround(-1 + 2 ** -24),
  2,
  9,
  -9,
  20,
  -20,
  87.3,
  -87.3,
  88.72283,
  88.7229,
  89,
  -103.97,
  -104,
  -150,
  1000,
  -1000,
  1e30,
  -1e30,
  MAX,
  -MAX,
];

/**
 * Test inputs: the special values, then `n` random ones mixing a uniform range around
 * zero, log-uniform magnitudes over the whole float32 range, and random bit patterns.
 */
function inputs(n: number, seed = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(SPECIAL.length + n);
  out.set(SPECIAL);
  const bits = new Uint32Array(1);
  const asF32 = new Float32Array(bits.buffer);
  for (let i = SPECIAL.length; i < out.length; i++) {
    const kind = i % 3;
    const sign = r() < 0.5 ? -1 : 1;
    if (kind === 0) out[i] = (r() - 0.5) * 40;
    else if (kind === 1) out[i] = sign * 2 ** (r() * 276 - 149);
    else {
      bits[0] = Math.floor(r() * 2 ** 32);
      out[i] = asF32[0]!;
    }
  }
  return out;
}

/** Every special value paired with every special value, as two aligned arrays. */
function specialPairs(): [Float32Array, Float32Array] {
  const a = new Float32Array(SPECIAL.length ** 2);
  const b = new Float32Array(a.length);
  for (let i = 0; i < SPECIAL.length; i++) {
    a.fill(SPECIAL[i]!, i * SPECIAL.length, (i + 1) * SPECIAL.length);
    b.set(SPECIAL, i * SPECIAL.length);
  }
  return [a, b];
}

/** Distance in float32 units in the last place (0 for two NaNs, Infinity for one). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const v = new Float32Array([a, b]);
  const w = new Int32Array(v.buffer);
  const ord = (x: number) => (x >= 0 ? x : -(x & 0x7fffffff));
  return Math.abs(ord(w[0]!) - ord(w[1]!));
}

/** The same value, or both NaN; ±0 distinguished. */
const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

const references: Record<UnaryKernel, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  logistic: (x) => 1 / (1 + Math.exp(-x)),
};

/**
 * Max ulp errors allowed (equal to those measured over all 2^32 float32 inputs against
 * float64 Math.* rounded to float32); the others are exact.
 */
const MAX_ULPS: Partial<Record<UnaryKernel, number>> = {
  exp: 1,
  expm1: 2,
  log: 1,
  log1p: 1,
  tanh: 2,
  logistic: 2,
};

const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 33, 250];

describe('elementwise kernels', () => {
  it('every module validates and stays under the 4 KB synchronous-compile limit', () => {
    const all: ElementwiseKernel[] = [
      ...UNARY_KERNELS,
      ...BINARY_KERNELS,
      ...COMPARE_KERNELS,
      'select',
      'sum_rows',
      'max_rows',
      'sum_cols',
      'max_cols',
    ];
    for (const k of all) {
      const bytes = buildElementwiseModule(k);
      expect(WebAssembly.validate(bytes), k).toBe(true);
      expect(bytes.length, k).toBeLessThan(4096);
    }
  });

  for (const op of UNARY_KERNELS) {
    const limit = MAX_ULPS[op] ?? 0;
    it(`${op}: within ${limit} ulp of float64 Math.* on special and random inputs`, () => {
      const x = inputs(20000);
      const y = unaryF32(op, x);
      expect(y.length).toBe(x.length);
      let worst = 0;
      let at = 0;
      for (let i = 0; i < x.length; i++) {
        const d = ulps(y[i]!, Math.fround(references[op](x[i]!)));
        if (d > worst) [worst, at] = [d, x[i]!];
      }
      expect(worst, `${op}(${at})`).toBeLessThanOrEqual(limit);
      // Exact ops match bit for bit, signed zeros included.
      if (limit === 0) {
        for (let i = 0; i < x.length; i++) {
          expect(same(y[i]!, Math.fround(references[op](x[i]!))), `${op}(${x[i]})`).toBe(true);
        }
      }
    });
  }

  it('transcendentals: exact special values (overflow, underflow, ±0, ±Infinity, NaN)', () => {
    const cases: [UnaryKernel, number, number][] = [
      ['exp', Number.NEGATIVE_INFINITY, 0],
      ['exp', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      ['exp', 89, Number.POSITIVE_INFINITY],
      ['exp', 1000, Number.POSITIVE_INFINITY],
      ['exp', -104, 0],
      ['exp', -0, 1],
      ['exp', 2 ** -149, 1],
      ['exp', Number.NaN, Number.NaN],
      ['expm1', -0, -0],
      ['expm1', 2 ** -149, 2 ** -149],
      ['expm1', Number.NEGATIVE_INFINITY, -1],
      ['expm1', -100, -1],
      ['expm1', 89, Number.POSITIVE_INFINITY],
      ['expm1', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      ['expm1', Number.NaN, Number.NaN],
      ['log', 0, Number.NEGATIVE_INFINITY],
      ['log', -0, Number.NEGATIVE_INFINITY],
      ['log', -1, Number.NaN],
      ['log', Number.NEGATIVE_INFINITY, Number.NaN],
      ['log', 1, 0],
      ['log', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      ['log', 2 ** -149, Math.fround(-149 * Math.LN2)],
      ['log', Number.NaN, Number.NaN],
      ['log1p', -0, -0],
      ['log1p', 2 ** -149, 2 ** -149],
      ['log1p', -1, Number.NEGATIVE_INFINITY],
      ['log1p', -2, Number.NaN],
      ['log1p', Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      ['log1p', Number.NaN, Number.NaN],
      ['tanh', -0, -0],
      ['tanh', 0, 0],
      ['tanh', -1e-40, -1e-40],
      ['tanh', 10, 1],
      ['tanh', -10, -1],
      ['tanh', MAX, 1],
      ['tanh', Number.NEGATIVE_INFINITY, -1],
      ['tanh', Number.NaN, Number.NaN],
      ['logistic', Number.POSITIVE_INFINITY, 1],
      ['logistic', Number.NEGATIVE_INFINITY, 0],
      ['logistic', 100, 1],
      ['logistic', -200, 0],
      ['logistic', -0, 0.5],
      ['logistic', Number.NaN, Number.NaN],
      ['rsqrt', 0, Number.POSITIVE_INFINITY],
      ['rsqrt', -0, Number.NEGATIVE_INFINITY],
      ['rsqrt', -1, Number.NaN],
      ['sqrt', -0, -0],
    ];
    for (const [op, x, want] of cases) {
      expect(same(unaryF32(op, new Float32Array([x]))[0]!, Math.fround(want)), `${op}(${x})`).toBe(
        true,
      );
    }
  });

  it('unary maps handle every length, including 0 and lengths not a multiple of 4', () => {
    for (const n of LENGTHS) {
      const x = inputs(n).subarray(SPECIAL.length);
      for (const op of ['neg', 'exp', 'tanh'] as const) {
        const y = unaryF32(op, x);
        expect(y.length).toBe(n);
        for (let i = 0; i < n; i++) {
          expect(ulps(y[i]!, Math.fround(references[op](x[i]!)))).toBeLessThanOrEqual(2);
        }
      }
    }
  });

  it('binary ops match float64 arithmetic rounded to float32; max/min propagate NaN like the TS loop', () => {
    const refs = {
      add: (a: number, b: number) => a + b,
      sub: (a: number, b: number) => a - b,
      mul: (a: number, b: number) => a * b,
      div: (a: number, b: number) => a / b,
      max: (a: number, b: number) => (a > b || Number.isNaN(a) ? a : b),
      min: (a: number, b: number) => (a < b || Number.isNaN(a) ? a : b),
    };
    for (const n of [...LENGTHS, 3000]) {
      const a = inputs(n, 2);
      // Every special value against every special value, then random pairs.
      const b = inputs(n, 3);
      const [pa, pb] = specialPairs();
      const aa = new Float32Array(pa.length + a.length);
      const bb = new Float32Array(aa.length);
      aa.set(pa);
      bb.set(pb);
      aa.set(a, pa.length);
      bb.set(b, pa.length);
      for (const op of BINARY_KERNELS) {
        const y = binaryF32(op, aa, bb);
        expect(y.length).toBe(aa.length);
        for (let i = 0; i < aa.length; i++) {
          const want = Math.fround(refs[op](aa[i]!, bb[i]!));
          if (!same(y[i]!, want))
            expect([op, aa[i], bb[i], y[i]]).toEqual([op, aa[i], bb[i], want]);
        }
      }
    }
  });

  it('comparisons give 0/1 bytes, false with NaN (ne true)', () => {
    const refs = {
      eq: (a: number, b: number) => a === b,
      ne: (a: number, b: number) => a !== b,
      lt: (a: number, b: number) => a < b,
      le: (a: number, b: number) => a <= b,
      gt: (a: number, b: number) => a > b,
      ge: (a: number, b: number) => a >= b,
    };
    const [a, b] = specialPairs();
    for (const n of [...LENGTHS, a.length]) {
      const x = a.subarray(a.length - n);
      const y = b.subarray(a.length - n);
      for (const op of COMPARE_KERNELS) {
        const out = compareF32(op, x, y);
        expect(out).toBeInstanceOf(Uint8Array);
        expect(out.length).toBe(n);
        for (let i = 0; i < n; i++) {
          if (out[i] !== (refs[op](x[i]!, y[i]!) ? 1 : 0))
            expect([op, x[i], y[i], out[i]]).toBe(null);
        }
      }
    }
  });

  it('select blends bit patterns (NaN payloads and signed zeros kept)', () => {
    const r = rng(4);
    for (const n of [...LENGTHS, 1001]) {
      const t = new Uint32Array(n).map(() => Math.floor(r() * 2 ** 32));
      const f = new Uint32Array(n).map(() => Math.floor(r() * 2 ** 32));
      const p = new Uint8Array(n).map(() => (r() < 0.5 ? 1 : 0));
      const o = selectF32(p, new Float32Array(t.buffer), new Float32Array(f.buffer));
      // Small outputs are views into a shared slab: read exactly their bytes.
      const out = new Uint32Array(o.buffer, o.byteOffset, o.length);
      expect(out.length).toBe(n);
      for (let i = 0; i < n; i++) expect(out[i]).toBe(p[i] ? t[i] : f[i]);
    }
  });

  describe('reductions over [outer, r, inner]', () => {
    const shapes: [number, number, number][] = [
      [1, 0, 1],
      [3, 0, 5],
      [1, 1, 1],
      [1, 7, 1],
      [5, 13, 1],
      [2, 4096, 1],
      [1, 3, 5],
      [4, 6, 3],
      [3, 5, 17],
      [2, 3, 1030], // more columns than one block
      [1, 300, 64],
    ];

    it('sum matches a float64 sum rounded to float32', () => {
      const r = rng(5);
      for (const [outer, n, inner] of shapes) {
        const x = new Float32Array(outer * n * inner).map(() => (r() - 0.3) * 10 ** (r() * 6 - 3));
        const got = reduceF32('sum', x, outer, n, inner);
        expect(got.length).toBe(outer * inner);
        for (let o = 0; o < outer; o++) {
          for (let j = 0; j < inner; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += x[(o * n + k) * inner + j]!;
            expect(ulps(got[o * inner + j]!, Math.fround(s))).toBeLessThanOrEqual(1);
          }
        }
      }
    });

    it('sum keeps float64 accuracy where float32 accumulation would not', () => {
      // 1 + 2^24 ones: a float32 running sum sticks at 2^24.
      const n = 2 ** 24 + 4;
      const x = new Float32Array(n).fill(1);
      x[0] = 2 ** 24;
      expect(reduceF32('sum', x, 1, n, 1)[0]).toBe(Math.fround(2 ** 24 + n - 1));
    });

    it('max matches the sequential TS rule: NaN wins, the first of ±0 is kept, -Infinity when empty', () => {
      const r = rng(6);
      const pool = [0, -0, Number.NaN, 1, -1, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
      for (const [outer, n, inner] of shapes) {
        for (const mode of ['random', 'zeros', 'nan'] as const) {
          const x = new Float32Array(outer * n * inner).map(() => {
            if (mode === 'zeros') return r() < 0.5 ? 0 : r() < 0.5 ? -0 : -r();
            if (mode === 'nan' && r() < 0.01) return Number.NaN;
            return r() < 0.05 ? pool[Math.floor(r() * pool.length)]! : r() * 2 - 1;
          });
          const got = reduceF32('max', x, outer, n, inner);
          for (let o = 0; o < outer; o++) {
            for (let j = 0; j < inner; j++) {
              let m = Number.NEGATIVE_INFINITY;
              for (let k = 0; k < n; k++) {
                const v = x[(o * n + k) * inner + j]!;
                if (v > m || Number.isNaN(v)) m = v;
              }
              if (!same(got[o * inner + j]!, m)) {
                expect([outer, n, inner, mode, o, j, got[o * inner + j]]).toEqual([
                  outer,
                  n,
                  inner,
                  mode,
                  o,
                  j,
                  m,
                ]);
              }
            }
          }
        }
      }
    });
  });

  it('rejects operands of different lengths', () => {
    const x = new Float32Array(5);
    expect(() => binaryF32('add', x, new Float32Array(4))).toThrow(ShapeError);
    expect(() => compareF32('lt', x, new Float32Array(6))).toThrow(/lt: operand lengths differ/);
    expect(() => selectF32(new Uint8Array(4), x, x)).toThrow(ShapeError);
    expect(() => reduceF32('sum', x, 2, 2, 1)).toThrow(ShapeError);
  });

  it('grows its memory for large inputs and stays correct for small ones after', () => {
    const big = new Float32Array(3_000_000).map((_, i) => i % 1000);
    const sum = binaryF32('add', big, big);
    expect(sum[2_999_999]).toBe(1998);
    expect(sum[12_345]).toBe(690);
    const small = unaryF32('neg', new Float32Array([1, 2, 3]));
    expect(Array.from(small)).toEqual([-1, -2, -3]);
    expect(reduceF32('sum', big, 3000, 1000, 1)[2999]).toBe(499500);
    // Streamed over several chunks: every element lands where it belongs.
    const shifted = big.map((v) => v + 0.5);
    const lt = compareF32('lt', big, shifted);
    expect(lt.length).toBe(big.length);
    expect(lt.every((v) => v === 1)).toBe(true);
    const pred = new Uint8Array(big.length).map((_, i) => i & 1);
    const sel = selectF32(pred, big, shifted);
    expect(sel.every((v, i) => v === (i & 1 ? big[i] : shifted[i]))).toBe(true);
  });
});
