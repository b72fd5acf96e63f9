import { describe, expect, it } from 'vitest';
import { ConcreteArray } from '../core/array';
import type { KernelPrimitive } from '../core/backend';
import type { DType } from '../core/dtype';
import type { AbstractValue } from '../core/primitives';
import { sizeOf } from '../core/shape';
import { shapeRules } from '../core/shape-rules';
import { rng } from '../test-rng';
import { kernelMemory } from '../wasm/matmul';
import { popFrame, pushFrame, scratchBase } from '../wasm/memory';
import { cpuBackend } from './cpu';
import { wasmBackend } from './wasm';
import { col2imF32, im2colF32 } from './wasm-patches';
import { transposeMover } from './wasm-transpose';

const SPECIAL = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-40, -1];

function array(shape: number[], seed: number, dtype: DType = 'float32'): ConcreteArray {
  const r = rng(seed);
  const n = sizeOf(shape);
  const data = new (dtype === 'float64' ? Float64Array : Float32Array)(n).map((_, i) =>
    i < SPECIAL.length ? SPECIAL[i]! : (r() - 0.5) * 20,
  );
  return new ConcreteArray(data, shape, dtype);
}

function bools(shape: number[], seed: number): ConcreteArray {
  const r = rng(seed);
  return new ConcreteArray(
    new Uint8Array(sizeOf(shape)).map(() => (r() < 0.5 ? 1 : 0)),
    shape,
    'bool',
  );
}

function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const w = new Int32Array(new Float32Array([a, b]).buffer);
  const ord = (x: number) => (x >= 0 ? x : -(x & 0x7fffffff));
  return Math.abs(ord(w[0]!) - ord(w[1]!));
}

function run(
  backend: 'wasm' | 'cpu',
  op: KernelPrimitive,
  inputs: ConcreteArray[],
  params: object = {},
): ConcreteArray {
  const kernels = (backend === 'wasm' ? wasmBackend() : cpuBackend).kernels as unknown as Record<
    string,
    (i: ConcreteArray[], p: object, out: readonly AbstractValue[]) => ConcreteArray[]
  >;
  const outAvals = shapeRules[op](inputs, params as never);
  return kernels[op]!(inputs, params, outAvals)[0]!;
}

/** Same dtype and shape, and elements within `maxUlps` (0: the same bits up to NaN payload). */
function expectMatch(got: ConcreteArray, want: ConcreteArray, maxUlps = 0): void {
  expect(got.dtype).toBe(want.dtype);
  expect(got.shape).toEqual(want.shape);
  const g = got.buffer;
  const w = want.buffer;
  for (let i = 0; i < w.length; i++) {
    const ok =
      maxUlps === 0
        ? Object.is(g[i], w[i]) || (Number.isNaN(g[i]) && Number.isNaN(w[i]))
        : ulps(g[i]!, w[i]!) <= maxUlps;
    if (!ok) expect([i, g[i]]).toEqual([i, w[i]]);
  }
}

describe('wasm backend: float32 elementwise kernels agree with the TypeScript ones', () => {
  const shape = [7, 150]; // above every size threshold, not a multiple of 4 per row
  const x = array(shape, 1);
  const y = array(shape, 2);

  it('exact maps, binary ops, comparisons and select are bitwise equal', () => {
    for (const op of ['neg', 'abs', 'sqrt', 'rsqrt'] as const) {
      expectMatch(run('wasm', op, [x]), run('cpu', op, [x]));
    }
    for (const op of ['add', 'sub', 'mul', 'div', 'max', 'min'] as const) {
      expectMatch(run('wasm', op, [x, y]), run('cpu', op, [x, y]));
      expectMatch(run('wasm', op, [x, x]), run('cpu', op, [x, x]));
    }
    for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
      expectMatch(run('wasm', op, [x, y]), run('cpu', op, [x, y]));
      expectMatch(run('wasm', op, [x, x]), run('cpu', op, [x, x]));
    }
    const p = bools(shape, 3);
    expectMatch(run('wasm', 'select', [p, x, y]), run('cpu', 'select', [p, x, y]));
  });

  it('transcendentals are within 2 ulp', () => {
    for (const op of ['exp', 'expm1', 'log', 'log1p', 'tanh', 'logistic'] as const) {
      expectMatch(run('wasm', op, [x]), run('cpu', op, [x]), 2);
    }
  });

  it('other dtypes and small arrays take the TypeScript kernels', () => {
    const d = array(shape, 4, 'float64');
    const got = run('wasm', 'exp', [d]);
    expect(got.dtype).toBe('float64');
    expectMatch(got, run('cpu', 'exp', [d]));
    const s = array([3], 5);
    expectMatch(run('wasm', 'tanh', [s]), run('cpu', 'tanh', [s]));
    expectMatch(run('wasm', 'add', [s, s]), run('cpu', 'add', [s, s]));
  });
});

describe('wasm backend: reductions', () => {
  const cases: [number[], number[]][] = [
    [[40, 30], [1]],
    [[40, 30], [0]],
    [
      [40, 30],
      [0, 1],
    ],
    [
      [6, 7, 8, 9],
      [1, 2],
    ],
    [[6, 7, 8, 9], [3]],
    [
      [6, 7, 8, 9],
      [0, 2],
    ], // not contiguous: the TypeScript path
    [
      [6, 1, 8, 9],
      [0, 2],
    ], // contiguous once the size-1 axis is dropped
    [[5, 1100], [0]], // more columns than one block
    [[3, 0, 200], [1]],
  ];

  it('reduce_max is bitwise the TypeScript result; reduce_sum within 1 ulp', () => {
    cases.forEach(([shape, axes], i) => {
      const x = array(shape, 10 + i);
      // Ties of ±0 and NaN rows exercise the TS kernel's order-dependent rules.
      if (x.size > 50) x.buffer.fill(0, 8, 40).fill(-0, 20, 30);
      expectMatch(
        run('wasm', 'reduce_max', [x], { axes }),
        run('cpu', 'reduce_max', [x], { axes }),
      );
      const finite = new ConcreteArray(
        x.buffer.map((v) => (Number.isFinite(v) ? v : 1)),
        x.shape,
        'float32',
      );
      expectMatch(
        run('wasm', 'reduce_sum', [finite], { axes }),
        run('cpu', 'reduce_sum', [finite], { axes }),
        1,
      );
    });
  });
});

describe('wasm backend: transposes', () => {
  /** `x` transposed by `perm`, by the definition: out[i] = x[i permuted back]. */
  function byDefinition(x: Float32Array, shape: number[], perm: number[]): Float32Array {
    const outShape = perm.map((a) => shape[a]!);
    const out = new Float32Array(x.length);
    const idx = new Array<number>(shape.length).fill(0);
    for (let o = 0; o < out.length; o++) {
      let rest = o;
      for (let ax = outShape.length - 1; ax >= 0; ax--) {
        idx[perm[ax]!] = rest % outShape[ax]!;
        rest = Math.floor(rest / outShape[ax]!);
      }
      out[o] = x[idx.reduce((at, i, ax) => at * shape[ax]! + i, 0)]!;
    }
    return out;
  }

  // Attention's head split and merge, a leading-axis swap, rows of exactly one vector and
  // of one more, size-1 axes that vanish, and an axis order whose rows merge back.
  const cases: [number[], number[]][] = [
    [
      [32, 64, 4, 16],
      [0, 2, 1, 3],
    ],
    [
      [32, 4, 64, 16],
      [0, 2, 1, 3],
    ],
    [
      [5, 7, 3, 4],
      [2, 0, 1, 3],
    ],
    [
      [3, 6, 5],
      [1, 0, 2],
    ],
    [
      [2, 1, 9, 3, 8],
      [1, 3, 0, 2, 4],
    ],
    [
      [4, 6, 10],
      [0, 1, 2],
    ],
  ];

  it('move rows in WebAssembly, from arrays and in place, equal to the definition', () => {
    for (const [shape, perm] of cases) {
      const x = array(shape, 40).buffer as Float32Array;
      const want = byDefinition(x, shape, perm);
      const move = transposeMover(shape, perm)!;
      expect(move).toBeDefined();
      const got = new Float32Array(x.length);
      move(x, got);
      expectMatch(
        new ConcreteArray(got, [got.length], 'float32'),
        new ConcreteArray(want, [want.length], 'float32'),
      );
      // Operands as offsets in a frame, with a guard behind the result that must survive.
      const bytes = x.length * 4;
      const guard = array([64], 41).buffer as Float32Array;
      const frame = pushFrame(2 * bytes + guard.length * 4);
      try {
        let f32 = kernelMemory(frame + 2 * bytes + guard.length * 4)!.f32;
        f32.set(x, frame / 4);
        f32.set(guard, (frame + 2 * bytes) / 4);
        move(frame, frame + bytes);
        f32 = kernelMemory()!.f32;
        expect(Array.from(f32.subarray((frame + bytes) / 4, (frame + 2 * bytes) / 4))).toEqual(
          Array.from(want),
        );
        expect(
          Array.from(f32.subarray((frame + 2 * bytes) / 4, (frame + 2 * bytes) / 4 + 64)),
        ).toEqual(Array.from(guard));
      } finally {
        popFrame(frame);
      }
      expect(scratchBase()).toBe(frame);
    }
  });

  it('decline rows shorter than a vector; the kernel then runs the TypeScript path', () => {
    expect(transposeMover([64, 32], [1, 0])).toBeUndefined();
    expect(transposeMover([8, 16, 3], [1, 0, 2])).toBeUndefined();
    // Large enough for the WebAssembly kernel, declined or not: both equal the definition.
    for (const [shape, perm] of [
      [
        [64, 16, 32],
        [1, 0, 2],
      ],
      [
        [64, 16, 32],
        [2, 1, 0],
      ],
    ] as [number[], number[]][]) {
      const x = array(shape, 42);
      const want = byDefinition(x.buffer as Float32Array, shape, perm);
      const got = run('wasm', 'transpose', [x], { perm });
      expect(got.shape).toEqual(perm.map((a) => shape[a]));
      expectMatch(
        new ConcreteArray(got.buffer, [want.length], 'float32'),
        new ConcreteArray(want, [want.length], 'float32'),
      );
    }
  });
});

describe('wasm backend: im2col and col2im', () => {
  const geometries = [
    // The MNIST CNN's second convolution, and its 2×2 pooling.
    {
      shape: [4, 13, 13, 32],
      window: [3, 3],
      strides: [1, 1],
      padding: [
        [0, 0],
        [0, 0],
      ],
    },
    {
      shape: [4, 26, 26, 32],
      window: [2, 2],
      strides: [2, 2],
      padding: [
        [0, 0],
        [0, 0],
      ],
    },
    // Odd channel count, unequal strides, uneven padding.
    {
      shape: [20, 9, 11, 5],
      window: [3, 2],
      strides: [2, 1],
      padding: [
        [1, 1],
        [0, 1],
      ],
    },
    // Overlapping windows with padding (col2im adds several taps into one pixel).
    {
      shape: [6, 12, 12, 6],
      window: [3, 3],
      strides: [1, 1],
      padding: [
        [1, 1],
        [1, 1],
      ],
    },
    // Kernel dilation, 1-D.
    { shape: [64, 30, 6], window: [3], strides: [2], padding: [[1, 2]], rhsDilation: [2] },
    // Input dilation (a transposed convolution), and one channel.
    {
      shape: [8, 9, 9, 3],
      window: [3, 3],
      strides: [1, 1],
      padding: [
        [2, 2],
        [2, 2],
      ],
      lhsDilation: [2, 2],
    },
    {
      shape: [30, 28, 28, 1],
      window: [3, 3],
      strides: [1, 1],
      padding: [
        [0, 0],
        [0, 0],
      ],
    },
  ];

  it('equal the TypeScript kernels bit for bit, on every geometry', () => {
    geometries.forEach((g, k) => {
      const ones = g.window.map(() => 1);
      const p = {
        window: g.window,
        strides: g.strides,
        padding: g.padding,
        lhsDilation: g.lhsDilation ?? ones,
        rhsDilation: g.rhsDilation ?? ones,
      };
      const x = array(g.shape, 10 + k);
      const cols = run('cpu', 'conv_patches', [x], p);
      expect(cols.size).toBeGreaterThanOrEqual(1 << 14); // large enough for WebAssembly
      expectMatch(run('wasm', 'conv_patches', [x], p), cols);
      const dy = array([...cols.shape], 20 + k);
      const back = { ...p, inputShape: g.shape };
      expectMatch(
        run('wasm', 'conv_patches_transpose', [dy], back),
        run('cpu', 'conv_patches_transpose', [dy], back),
      );
    });
  });

  it("share the matrix product's memory: growth by one leaves the other correct", () => {
    const x = array([7, 150], 40);
    const w = array([150, 9], 41);
    const dot = { contract: [[1], [0]], batch: [[], []] };
    const product = () => run('wasm', 'dot_general', [x, w], dot);
    const before = product(); // the matmul's views exist
    const p = {
      window: [3, 3],
      strides: [1, 1],
      padding: [
        [1, 1],
        [1, 1],
      ] as [number, number][],
      lhsDilation: [1, 1],
      rhsDilation: [1, 1],
    };
    const shape = [64, 32, 32, 16]; // 9.4 M patch elements: the memory grows past 40 MB
    const image = new Float32Array(64 * 32 * 32 * 16).fill(1);
    const cols = new Float32Array(64 * 32 * 32 * 144);
    expect(im2colF32(image, cols, shape, p)).toBe(true);
    expect(cols[cols.length - 1]).toBe(0); // the bottom-right tap of the last pixel is padding
    expect(cols[(33 * 144) | 0]).toBe(1);
    expectMatch(product(), before);
    expectMatch(run('wasm', 'neg', [x]), run('cpu', 'neg', [x]));
  });

  it('run in WebAssembly where taps are contiguous rows, and decline where not', () => {
    const p = {
      window: [3, 3],
      strides: [1, 1],
      padding: [
        [1, 1],
        [1, 1],
      ] as [number, number][],
      lhsDilation: [1, 1],
      rhsDilation: [1, 1],
    };
    const image = array([2, 8, 8, 4], 30).buffer as Float32Array;
    expect(im2colF32(image, new Float32Array(2 * 8 * 8 * 36), [2, 8, 8, 4], p)).toBe(true);
    const cols = new Float32Array(2 * 8 * 8 * 36).fill(1);
    const back = new Float32Array(2 * 8 * 8 * 4);
    expect(col2imF32(cols, back, [2, 8, 8, 4], p)).toBe(true);
    // Each interior pixel is covered by all 9 windows, a corner by 4 (hand count).
    expect(back[(1 * 8 + 1) * 4]).toBe(9);
    expect(back[0]).toBe(4);
    // Taps one element apart in the image but a whole patch apart in the columns.
    const thin = {
      ...p,
      window: [1, 3],
      padding: [
        [0, 0],
        [0, 0],
      ] as [number, number][],
    };
    const dilated = { ...thin, rhsDilation: [1, 2] };
    const one = new Float32Array(2 * 8 * 8);
    expect(im2colF32(one, new Float32Array(2 * 8 * 4 * 3), [2, 8, 8, 1], dilated)).toBe(false);
  });
});
