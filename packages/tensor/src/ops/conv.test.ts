import { describe, expect, it } from 'vitest';
import * as jt from '../index';

type Pads = [[number, number], [number, number]];

/** TensorFlow/XLA SAME padding for one axis: output ceil(n / s), extra on the high side. */
function samePad(n: number, k: number, s: number, d = 1): [number, number] {
  const eff = (k - 1) * d + 1;
  const total = Math.max(0, (Math.ceil(n / s) - 1) * s + eff - n);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Direct 2-D convolution from the definition (NHWC input, HWIO kernel, grouped):
 * out[n,i,j,o] = Σ x[n, i·sh + a·dh - padTop, j·sw + b·dw - padLeft, g·Cg + c] · w[a,b,c,o].
 */
function naiveConv(
  x: jt.Array,
  w: jt.Array,
  strides: [number, number],
  pads: Pads,
  dil: [number, number],
  groups = 1,
) {
  const [N, H, W, C] = x.shape as number[];
  const [KH, KW, Cg, O] = w.shape as number[];
  const xd = x.data();
  const wd = w.data();
  const Og = O! / groups;
  const outH =
    Math.floor((H! + pads[0][0] + pads[0][1] - ((KH! - 1) * dil[0] + 1)) / strides[0]) + 1;
  const outW =
    Math.floor((W! + pads[1][0] + pads[1][1] - ((KW! - 1) * dil[1] + 1)) / strides[1]) + 1;
  const out = new Float64Array(N! * outH * outW * O!);
  for (let n = 0; n < N!; n++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++)
        for (let o = 0; o < O!; o++) {
          const g = Math.floor(o / Og);
          let s = 0;
          for (let a = 0; a < KH!; a++)
            for (let b = 0; b < KW!; b++) {
              const y = i * strides[0] + a * dil[0] - pads[0][0];
              const z = j * strides[1] + b * dil[1] - pads[1][0];
              if (y < 0 || y >= H! || z < 0 || z >= W!) continue;
              for (let c = 0; c < Cg!; c++) {
                s +=
                  xd[((n * H! + y) * W! + z) * C! + g * Cg! + c]! *
                  wd[((a * KW! + b) * Cg! + c) * O! + o]!;
              }
            }
          out[((n * outH + i) * outW + j) * O! + o] = s;
        }
  return { shape: [N!, outH, outW, O!], data: out };
}

function expectAllClose(
  got: jt.Array,
  want: { shape: number[]; data: ArrayLike<number> },
  tol = 1e-9,
) {
  expect(got.shape).toEqual(want.shape);
  const g = got.data();
  expect(g.length).toBe(want.data.length);
  for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]! - want.data[i]!)).toBeLessThan(tol);
}

const key = jt.random.key(42);
const rand = (k: number, shape: number[]) =>
  jt.random.normal(jt.random.foldIn(key, k), shape, { dtype: 'float64' });

describe('conv (2-D)', () => {
  const x = rand(1, [2, 7, 6, 3]);
  const w = rand(2, [3, 2, 3, 4]);

  it('VALID, stride 1', () => {
    expectAllClose(
      jt.conv(x, w),
      naiveConv(
        x,
        w,
        [1, 1],
        [
          [0, 0],
          [0, 0],
        ],
        [1, 1],
      ),
    );
  });

  it('SAME keeps ceil(n / stride) outputs', () => {
    const out = jt.conv(x, w, { padding: 'SAME' });
    expect(out.shape).toEqual([2, 7, 6, 4]);
    expectAllClose(out, naiveConv(x, w, [1, 1], [samePad(7, 3, 1), samePad(6, 2, 1)], [1, 1]));
    const s2 = jt.conv(x, w, { padding: 'SAME', strides: [2, 3] });
    expect(s2.shape).toEqual([2, 4, 2, 4]);
    expectAllClose(s2, naiveConv(x, w, [2, 3], [samePad(7, 3, 2), samePad(6, 2, 3)], [1, 1]));
  });

  it('explicit padding, strides and dilation', () => {
    const pads: Pads = [
      [2, 0],
      [1, 3],
    ];
    expectAllClose(
      jt.conv(x, w, { padding: pads, strides: [2, 1] }),
      naiveConv(x, w, [2, 1], pads, [1, 1]),
    );
    expectAllClose(
      jt.conv(x, w, { dilation: [2, 3] }),
      naiveConv(
        x,
        w,
        [1, 1],
        [
          [0, 0],
          [0, 0],
        ],
        [2, 3],
      ),
    );
    expectAllClose(
      jt.conv(x, w, { dilation: 2, padding: 'SAME', strides: 2 }),
      naiveConv(x, w, [2, 2], [samePad(7, 3, 2, 2), samePad(6, 2, 2, 2)], [2, 2]),
    );
  });

  it('hand-computed: a 2×2 box filter over 0..15', () => {
    const img = jt.arange(16).astype('float32').reshape([1, 4, 4, 1]);
    expect(
      jt
        .conv(img, jt.ones([2, 2, 1, 1]))
        .reshape([3, 3])
        .toArray(),
    ).toEqual([
      [10, 14, 18],
      [26, 30, 34],
      [42, 46, 50],
    ]);
  });

  it('grouped and depthwise via featureGroupCount', () => {
    const xg = rand(3, [1, 5, 5, 4]);
    const wg = rand(4, [3, 3, 2, 6]); // 2 groups: 2 input channels → 3 outputs each
    expectAllClose(
      jt.conv(xg, wg, { featureGroupCount: 2 }),
      naiveConv(
        xg,
        wg,
        [1, 1],
        [
          [0, 0],
          [0, 0],
        ],
        [1, 1],
        2,
      ),
    );
    const wd = rand(5, [3, 3, 1, 8]); // depthwise, channel multiplier 2
    expectAllClose(
      jt.conv(xg, wd, { featureGroupCount: 4, padding: 'SAME', strides: 2 }),
      naiveConv(xg, wd, [2, 2], [samePad(5, 3, 2), samePad(5, 3, 2)], [1, 1], 4),
    );
  });

  it('int inputs compute in float32', () => {
    const out = jt.conv(
      jt.ones([1, 2, 2, 1], { dtype: 'int32' }),
      jt.ones([2, 2, 1, 1], { dtype: 'int32' }),
    );
    expect(out.dtype).toBe('float32');
    expect(out.reshape([]).item()).toBe(4);
  });
});

describe('conv (1-D)', () => {
  it('hand-computed cross-correlation', () => {
    const x = jt.arange(5).astype('float32').reshape([1, 5, 1]);
    const k = jt.array([1, 0, -1]).reshape([3, 1, 1]);
    expect(jt.conv(x, k).reshape([-1]).toArray()).toEqual([-2, -2, -2]);
    expect(jt.conv(x, k, { padding: 'SAME' }).reshape([-1]).toArray()).toEqual([-1, -2, -2, -2, 3]);
  });

  it('matches the 2-D definition with height 1', () => {
    const x = rand(6, [2, 9, 3]);
    const w = rand(7, [4, 3, 2]);
    const as2d = (o: jt.ConvOptions, pad: [number, number], s: number, d: number) =>
      expectAllClose(
        jt.conv(x, w, o).reshape([2, 1, -1, 2]),
        naiveConv(x.reshape([2, 1, 9, 3]), w.reshape([1, 4, 3, 2]), [1, s], [[0, 0], pad], [1, d]),
      );
    as2d({}, [0, 0], 1, 1);
    as2d({ padding: 'SAME', strides: 2 }, samePad(9, 4, 2), 2, 1);
    as2d({ padding: [[3, 1]], dilation: 2 }, [3, 1], 1, 2);
  });
});

describe('conv errors', () => {
  it('names the op and the shapes', () => {
    expect(() => jt.conv(jt.ones([1, 3, 3, 2]), jt.ones([2, 2, 3, 2]))).toThrow(
      'conv: kernel [2,2,3,2] expects 3 input channels, input [1,3,3,2] has 2',
    );
    expect(() => jt.conv(jt.ones([3, 3]), jt.ones([2, 2]))).toThrow(
      'conv: input must be NWC (rank 3) or NHWC (rank 4), got [3,3]',
    );
    expect(() => jt.conv(jt.ones([1, 3, 3, 2]), jt.ones([2, 2, 2]))).toThrow(jt.ShapeError);
    expect(() =>
      jt.conv(jt.ones([1, 3, 3, 3]), jt.ones([2, 2, 1, 2]), { featureGroupCount: 3 }),
    ).toThrow('conv: 3 input and 2 output channels do not split into 3 groups');
    expect(() => jt.conv(jt.ones([1, 3, 3, 1]), jt.ones([2, 2, 1, 1]), { strides: 0 })).toThrow(
      jt.ValueError,
    );
    expect(() =>
      jt.conv(jt.ones([1, 3, 3, 1]), jt.ones([2, 2, 1, 1]), { padding: [[1, 1]] }),
    ).toThrow(jt.ValueError);
  });
});

/**
 * Transposed convolution from its definition: every input pixel scatters a copy of the
 * kernel, scaled by the pixel, into the output at stride `s`. Like
 * `jax.lax.conv_transpose` (transpose_kernel=False) the kernel is used spatially flipped;
 * `offset` crops the full scatter (`(n-1)s + k_eff` long) where padding asks.
 */
function naiveConvTranspose(
  x: jt.Array,
  w: jt.Array,
  s: [number, number],
  d: [number, number],
  pads: Pads,
) {
  const [N, H, W, C] = x.shape as number[];
  const [KH, KW, , O] = w.shape as number[];
  const eff = [(KH! - 1) * d[0] + 1, (KW! - 1) * d[1] + 1] as const;
  const fullH = (H! - 1) * s[0] + eff[0];
  const fullW = (W! - 1) * s[1] + eff[1];
  const full = new Float64Array(N! * fullH * fullW * O!);
  const xd = x.data();
  const wd = w.data();
  for (let n = 0; n < N!; n++)
    for (let i = 0; i < H!; i++)
      for (let j = 0; j < W!; j++)
        for (let a = 0; a < KH!; a++)
          for (let b = 0; b < KW!; b++)
            for (let c = 0; c < C!; c++)
              for (let o = 0; o < O!; o++) {
                const y = i * s[0] + (KH! - 1 - a) * d[0];
                const z = j * s[1] + (KW! - 1 - b) * d[1];
                full[((n * fullH + y) * fullW + z) * O! + o]! +=
                  xd[((n * H! + i) * W! + j) * C! + c]! * wd[((a * KW! + b) * C! + c) * O! + o]!;
              }
  const outH = (H! - 1) * s[0] + 1 + pads[0][0] + pads[0][1] - eff[0] + 1;
  const outW = (W! - 1) * s[1] + 1 + pads[1][0] + pads[1][1] - eff[1] + 1;
  const offH = eff[0] - 1 - pads[0][0];
  const offW = eff[1] - 1 - pads[1][0];
  const out = new Float64Array(N! * outH * outW * O!);
  for (let n = 0; n < N!; n++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++)
        for (let o = 0; o < O!; o++) {
          const y = i + offH;
          const z = j + offW;
          if (y < 0 || y >= fullH || z < 0 || z >= fullW) continue;
          out[((n * outH + i) * outW + j) * O! + o] = full[((n * fullH + y) * fullW + z) * O! + o]!;
        }
  return { shape: [N!, outH, outW, O!], data: out };
}

describe('convTranspose', () => {
  const x = rand(10, [2, 3, 4, 2]);

  it('hand-computed: stride 2, 2×2 ones kernel, VALID', () => {
    const img = jt
      .array([
        [1, 2],
        [3, 4],
      ])
      .reshape([1, 2, 2, 1]);
    const out = jt.convTranspose(img, jt.ones([2, 2, 1, 1]), { strides: 2, padding: 'VALID' });
    expect(out.reshape([4, 4]).toArray()).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
  });

  it('explicit full padding is the whole scatter', () => {
    const w = rand(11, [3, 2, 2, 3]);
    const pads: Pads = [
      [2, 2],
      [1, 1],
    ];
    const out = jt.convTranspose(x, w, { strides: [2, 3], padding: pads });
    expect(out.shape).toEqual([2, 2 * 2 + 3, 3 * 3 + 2, 3]);
    expectAllClose(out, naiveConvTranspose(x, w, [2, 3], [1, 1], pads));
    const tight: Pads = [
      [1, 0],
      [0, 1],
    ];
    expectAllClose(
      jt.convTranspose(x, w, { strides: 2, padding: tight }),
      naiveConvTranspose(x, w, [2, 2], [1, 1], tight),
    );
  });

  it('VALID gives n·s + max(k - s, 0) outputs', () => {
    const w = rand(12, [3, 1, 2, 2]);
    const out = jt.convTranspose(x, w, { strides: 2, padding: 'VALID' });
    expect(out.shape).toEqual([2, 3 * 2 + 1, 4 * 2, 2]);
    // k=3 ≥ s=2 along H: the full scatter; k=1 < s=2 along W: the scatter plus one zero column.
    expectAllClose(
      out,
      naiveConvTranspose(
        x,
        w,
        [2, 2],
        [1, 1],
        [
          [2, 2],
          [0, 1],
        ],
      ),
    );
  });

  it('SAME gives n·s outputs, cropped as jax.lax.conv_transpose does', () => {
    for (const [k, s, lo] of [
      [3, 2, 2],
      [4, 2, 2],
      [3, 1, 1],
      [2, 3, 1],
    ] as const) {
      const w = rand(13 + k + s, [k, k, 2, 1]);
      const out = jt.convTranspose(x, w, { strides: s, padding: 'SAME' });
      expect(out.shape).toEqual([2, 3 * s, 4 * s, 1]);
      // JAX's SAME for conv_transpose pads (k + s - 2) in total, `lo` of it in front.
      const p: [number, number] = [lo, k + s - 2 - lo];
      expectAllClose(out, naiveConvTranspose(x, w, [s, s], [1, 1], [p, p]));
    }
  });

  it('kernel dilation', () => {
    const w = rand(20, [2, 2, 2, 1]);
    const pads: Pads = [
      [2, 2],
      [2, 2],
    ];
    expectAllClose(
      jt.convTranspose(x, w, { strides: 2, dilation: 2, padding: pads }),
      naiveConvTranspose(x, w, [2, 2], [2, 2], pads),
    );
  });

  it('1-D', () => {
    const x1 = jt.array([1, 2, 3]).reshape([1, 3, 1]);
    const w1 = jt.array([1, 10]).reshape([2, 1, 1]);
    // Flipped kernel [10, 1] scattered at stride 2: [10,1, 20,2, 30,3].
    expect(
      jt.convTranspose(x1, w1, { strides: 2, padding: 'VALID' }).reshape([-1]).toArray(),
    ).toEqual([10, 1, 20, 2, 30, 3]);
  });
});

/** Naive pooling from the definition; padded positions never count. */
function naivePool(
  x: jt.Array,
  k: [number, number],
  s: [number, number],
  pads: Pads,
  kind: 'max' | 'avg',
) {
  const [N, H, W, C] = x.shape as number[];
  const outH = Math.floor((H! + pads[0][0] + pads[0][1] - k[0]) / s[0]) + 1;
  const outW = Math.floor((W! + pads[1][0] + pads[1][1] - k[1]) / s[1]) + 1;
  const xd = x.data();
  const out = new Float64Array(N! * outH * outW * C!);
  for (let n = 0; n < N!; n++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++)
        for (let c = 0; c < C!; c++) {
          let m = Number.NEGATIVE_INFINITY;
          let sum = 0;
          let count = 0;
          for (let a = 0; a < k[0]; a++)
            for (let b = 0; b < k[1]; b++) {
              const y = i * s[0] + a - pads[0][0];
              const z = j * s[1] + b - pads[1][0];
              if (y < 0 || y >= H! || z < 0 || z >= W!) continue;
              const v = xd[((n * H! + y) * W! + z) * C! + c]!;
              m = Math.max(m, v);
              sum += v;
              count++;
            }
          out[((n * outH + i) * outW + j) * C! + c] = kind === 'max' ? m : sum / count;
        }
  return { shape: [N!, outH, outW, C!], data: out };
}

describe('maxPool and avgPool', () => {
  const x = rand(30, [2, 5, 6, 3]);

  it('hand-computed 2×2 pools', () => {
    const img = jt.arange(16).astype('float32').reshape([1, 4, 4, 1]);
    expect(
      jt
        .maxPool(img, { window: [2, 2], strides: [2, 2] })
        .reshape([2, 2])
        .toArray(),
    ).toEqual([
      [5, 7],
      [13, 15],
    ]);
    expect(jt.avgPool(img, { window: 2 }).reshape([2, 2]).toArray()).toEqual([
      [2.5, 4.5],
      [10.5, 12.5],
    ]);
    const small = jt.arange(9).astype('float32').reshape([1, 3, 3, 1]);
    expect(jt.maxPool(small, { window: 2, padding: 'SAME' }).reshape([2, 2]).toArray()).toEqual([
      [4, 5],
      [7, 8],
    ]);
    expect(jt.avgPool(small, { window: 2, padding: 'SAME' }).reshape([2, 2]).toArray()).toEqual([
      [2, 3.5],
      [6.5, 8],
    ]);
    // Padding never wins the max, even when every real value is negative.
    expect(
      jt.maxPool(jt.neg(small), { window: 2, padding: 'SAME' }).reshape([2, 2]).toArray(),
    ).toEqual([
      [-0, -2],
      [-6, -8],
    ]);
  });

  it('VALID matches the definition', () => {
    const none: Pads = [
      [0, 0],
      [0, 0],
    ];
    expectAllClose(jt.maxPool(x, { window: [2, 3] }), naivePool(x, [2, 3], [2, 3], none, 'max'));
    expectAllClose(
      jt.maxPool(x, { window: 3, strides: 1 }),
      naivePool(x, [3, 3], [1, 1], none, 'max'),
    );
    expectAllClose(
      jt.avgPool(x, { window: [2, 2], strides: [1, 2] }),
      naivePool(x, [2, 2], [1, 2], none, 'avg'),
    );
  });

  it('SAME matches the definition (averages count only real inputs)', () => {
    for (const [k, s] of [
      [2, 2],
      [3, 1],
      [3, 2],
    ] as const) {
      const pads: Pads = [samePad(5, k, s), samePad(6, k, s)];
      const mp = jt.maxPool(x, { window: k, strides: s, padding: 'SAME' });
      expect(mp.shape).toEqual([2, Math.ceil(5 / s), Math.ceil(6 / s), 3]);
      expectAllClose(mp, naivePool(x, [k, k], [s, s], pads, 'max'));
      expectAllClose(
        jt.avgPool(x, { window: k, strides: s, padding: 'SAME' }),
        naivePool(x, [k, k], [s, s], pads, 'avg'),
      );
    }
  });

  it('1-D pools and int32 max pooling', () => {
    expect(
      jt
        .maxPool(jt.array([1, 3, 2, 5, 4]).reshape([1, 5, 1]), { window: 2, strides: 1 })
        .reshape([-1])
        .toArray(),
    ).toEqual([3, 3, 5, 5]);
    const ints = jt.array([-1, -3, -2, -5, -4], { dtype: 'int32' }).reshape([1, 5, 1]);
    const mp = jt.maxPool(ints, { window: 2, padding: 'SAME' });
    expect(mp.dtype).toBe('int32');
    expect(mp.reshape([-1]).toArray()).toEqual([-1, -2, -4]);
    expect(jt.avgPool(ints, { window: 5 }).reshape([]).item()).toBe(-3);
  });

  it('a window larger than the input is a ShapeError', () => {
    expect(() => jt.maxPool(jt.ones([1, 2, 2, 1]), { window: 3 })).toThrow(
      'maxPool: window [3,3] is larger than the input [1,2,2,1]',
    );
  });
});
