import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { type BDim, moveBatchAxis, vmapFlat } from './batching';
import { jitCallBatch } from './jit-rules';

type BatchRule<P extends jc.Primitive> = (
  vals: jt.Array[],
  dims: BDim[],
  params: jc.PrimitiveParams[P],
  size: number,
  /** The batch level processing the primitive (closures run as copies of it). */
  main: jc.MainTrace,
) => [jt.Array[], BDim[]];

const shift = (axes: readonly number[]) => axes.map((a) => a + 1);

/** Elementwise: if all batched operands share an axis keep it, else line everything up at 0. */
const elementwise =
  <P extends jc.Primitive>(prim: P): BatchRule<P> =>
  (vals, dims, params, size) => {
    const batched = dims.filter((d) => d !== null);
    if (batched.length === vals.length && batched.every((d) => d === batched[0])) {
      return [jc.bind(prim, vals, params), vals.map(() => batched[0]!)];
    }
    const moved = vals.map((v, i) => moveBatchAxis(v, dims[i] ?? null, 0, size));
    return [jc.bind(prim, moved, params), moved.map(() => 0)];
  };

/** Unary ops that keep the batch axis where it is. */
const unary =
  <P extends jc.Primitive>(prim: P): BatchRule<P> =>
  ([x], [d], params) => {
    const outs = jc.bind(prim, [x!], params);
    return [outs, outs.map(() => d!)];
  };

/** Ops with axis parameters: batch at 0 and shift the axes by one. */
const atZero =
  <P extends jc.Primitive>(
    prim: P,
    adjust: (p: jc.PrimitiveParams[P], size: number, vals: jt.Array[]) => jc.PrimitiveParams[P],
  ): BatchRule<P> =>
  (vals, dims, params, size) => {
    const moved = vals.map((v, i) => moveBatchAxis(v, dims[i] ?? null, 0, size));
    const outs = jc.bind(prim, moved, adjust(params, size, moved));
    return [outs, outs.map(() => 0)];
  };

/** Folds the batch axis into the leading (N) axis for image ops. */
const foldIntoN =
  <P extends 'conv_patches' | 'conv_patches_transpose'>(prim: P): BatchRule<P> =>
  ([x], [d], params, size) => {
    const v = moveBatchAxis(x!, d!, 0, size);
    const merged = jt.reshape(v, [size * v.shape[1]!, ...v.shape.slice(2)]);
    const p =
      prim === 'conv_patches_transpose'
        ? {
            ...params,
            inputShape: [
              size * (params as jc.PrimitiveParams['conv_patches_transpose']).inputShape[0]!,
              ...(params as jc.PrimitiveParams['conv_patches_transpose']).inputShape.slice(1),
            ],
          }
        : params;
    const out = jc.bind1(prim, [merged], p as jc.PrimitiveParams[P]);
    return [[jt.reshape(out, [size, v.shape[1]!, ...out.shape.slice(1)])], [0]];
  };

/** The elements of a concrete array, or undefined for a tracer or device-only data. */
function readable(x: jt.Array): ArrayLike<number> | undefined {
  if (!(x instanceof jc.ConcreteArray)) return undefined;
  try {
    return x.buffer;
  } catch {
    return undefined;
  }
}

/**
 * Per-example indices `idx` (batch on axis 0) into an axis of length `A`, as indices into
 * the `size · A` rows of the merged axis: example `b`'s index `i` becomes `b·A + i`, after
 * negatives wrap as they do eagerly. A bad index must not slip into a neighbour's rows,
 * and its error must show what the user wrote: concrete indices are checked here and the
 * message names the index, the axis and the example; traced ones (under `jit`) that are
 * out of range become `size · A`, which the kernel refuses.
 */
function mergedIndices(op: string, idx: jt.Array, A: number, size: number, axis: number) {
  const data = readable(idx);
  if (data !== undefined) {
    const per = size === 0 ? 0 : data.length / size;
    const out = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v < -A || v >= A) {
        throw new jt.ValueError(
          `${op}: index ${v} is out of range for axis ${axis} of size ${A} (example ${Math.floor(i / per)} of the vmapped batch)`,
        );
      }
      out[i] = Math.floor(i / per) * A + (v < 0 ? v + A : v);
    }
    return new jc.ConcreteArray(out, idx.shape, 'int32');
  }
  const wrapped = jt.where(jt.less(idx, 0), jt.add(idx, A), idx);
  const inRange = jt.logicalAnd(jt.greaterEqual(wrapped, 0), jt.less(wrapped, A));
  const offsets = jt.reshape(jt.mul(jt.arange(size), A), [
    size,
    ...idx.shape.slice(1).map(() => 1),
  ]);
  return jt.where(inRange, jt.add(wrapped, offsets), size * A);
}

/** Gather with both operand and indices batched: offset indices into a merged axis. */
function gatherBoth(x: jt.Array, idx: jt.Array, axis: number, size: number): jt.Array {
  // x: [B, ...pre, A, ...post] → [B, A, ...pre, ...post] → [B·A, ...pre, ...post]
  const xm = jt.moveAxis(x, axis + 1, 1);
  const A = xm.shape[1]!;
  const flat = jt.reshape(xm, [size * A, ...xm.shape.slice(2)]);
  const out = jc.bind1('gather', [flat, mergedIndices('gather', idx, A, size, axis)], {
    axis: 0,
  });
  // out: [B, ...I, ...pre, ...post] → [B, ...pre, ...I, ...post]
  const nI = idx.ndim - 1;
  const nPre = axis;
  const perm = [
    0,
    ...Array.from({ length: nPre }, (_, i) => 1 + nI + i),
    ...Array.from({ length: nI }, (_, i) => 1 + i),
  ];
  for (let i = 1 + nI + nPre; i < out.ndim; i++) perm.push(i);
  return jt.transpose(out, perm);
}

function scatterBoth(
  upd: jt.Array,
  idx: jt.Array,
  p: jc.PrimitiveParams['scatter_add'],
  size: number,
): jt.Array {
  const nI = idx.ndim - 1;
  const nPre = p.axis;
  // upd: [B, ...pre, ...I, ...post] → [B, ...I, ...pre, ...post]
  const perm = [
    0,
    ...Array.from({ length: nI }, (_, i) => 1 + nPre + i),
    ...Array.from({ length: nPre }, (_, i) => 1 + i),
  ];
  for (let i = 1 + nI + nPre; i < upd.ndim; i++) perm.push(i);
  const u = jt.transpose(upd, perm);
  const A = p.size;
  const pre = p.shape.slice(0, p.axis);
  const post = p.shape.slice(p.axis + 1);
  const flat = jc.bind1('scatter_add', [u, mergedIndices('scatter_add', idx, A, size, p.axis)], {
    axis: 0,
    size: size * A,
    shape: [size * A, ...pre, ...post],
  });
  return jt.moveAxis(jt.reshape(flat, [size, A, ...pre, ...post]), 1, p.axis + 1);
}

const vmapClosure =
  (f: (a: readonly jt.Array[]) => jt.Array[], size: number, main: jc.MainTrace) =>
  (args: readonly jt.Array[]): jt.Array[] =>
    vmapFlat(
      (a) => f(a),
      args,
      args.map(() => 0),
      size,
      0,
      main,
    );
const batchedAvals = (avals: readonly jt.AbstractValue[], size: number) =>
  avals.map((a) => ({ shape: [size, ...a.shape], dtype: a.dtype }));

type ElementwisePrimitive =
  | jc.UnaryPrimitive
  | jc.BinaryPrimitive
  | 'select'
  | 'cast'
  | 'stop_gradient';

const elementwiseRules = () =>
  Object.fromEntries(
    [...jc.UNARY_PRIMITIVES, ...jc.BINARY_PRIMITIVES, 'select', 'cast', 'stop_gradient'].map(
      (p) => [p, elementwise(p as jc.Primitive)],
    ),
  ) as { [P in ElementwisePrimitive]: BatchRule<P> };

// Built inside a pure call: the published build is one file, where a bundler keeps any
// top-level statement that calls something, so a program without `vmap` kept every rule.
export const batchRules: { [P in jc.Primitive]: BatchRule<P> } = /*#__PURE__*/ (() => ({
  ...elementwiseRules(),
  cast: unary('cast'),
  stop_gradient: unary('stop_gradient'),
  reduce_sum: atZero('reduce_sum', (p) => ({ axes: shift(p.axes) })),
  reduce_max: atZero('reduce_max', (p) => ({ axes: shift(p.axes) })),
  argmax: atZero('argmax', (p) => ({ axis: p.axis + 1 })),
  // One key per example: each draws its own samples (as JAX's vmap over keys).
  random_sample: ([k], [d], p, size) => {
    const keys = moveBatchAxis(k!, d!, 0, size);
    const rows = Array.from({ length: size }, (_, i) =>
      jc.bind1('random_sample', [jt.reshape(jt.slice(keys, [i, 0], [i + 1, 2]), [2])], p),
    );
    return [[jt.stack(rows, 0)], [0]];
  },
  cumsum: atZero('cumsum', (p) => ({ ...p, axis: p.axis + 1 })),
  sort: atZero('sort', (p) => ({ axis: p.axis + 1 })),
  broadcast_in_dim: atZero('broadcast_in_dim', (p, size) => ({
    shape: [size, ...p.shape],
    dims: [0, ...shift(p.dims)],
  })),
  reshape: atZero('reshape', (p, size) => ({ shape: [size, ...p.shape] })),
  transpose: atZero('transpose', (p) => ({ perm: [0, ...shift(p.perm)] })),
  slice: atZero('slice', (p, size) => ({
    start: [0, ...p.start],
    limit: [size, ...p.limit],
    strides: [1, ...p.strides],
  })),
  pad: atZero('pad', (p) => ({
    ...p,
    lo: [0, ...p.lo],
    hi: [0, ...p.hi],
    interior: [0, ...p.interior],
  })),
  concatenate: atZero('concatenate', (p) => ({ axis: p.axis + 1 })),
  gather: ([x, idx], [dx, di], { axis }, size) => {
    if (di === null)
      return [
        [jc.bind1('gather', [moveBatchAxis(x!, dx!, 0, size), idx!], { axis: axis + 1 })],
        [0],
      ];
    if (dx === null) return [[jc.bind1('gather', [x!, idx!], { axis })], [axis + di!]];
    return [
      [
        gatherBoth(
          moveBatchAxis(x!, dx ?? null, 0, size),
          moveBatchAxis(idx!, di!, 0, size),
          axis,
          size,
        ),
      ],
      [0],
    ];
  },
  scatter_add: ([u, idx], [du, di], p, size) => {
    if (di === null) {
      const out = jc.bind1('scatter_add', [moveBatchAxis(u!, du!, 0, size), idx!], {
        ...p,
        axis: p.axis + 1,
        shape: [size, ...p.shape],
      });
      return [[out], [0]];
    }
    return [
      [scatterBoth(moveBatchAxis(u!, du!, 0, size), moveBatchAxis(idx!, di!, 0, size), p, size)],
      [0],
    ];
  },
  dot_general: ([a, b], [da, db], p, size) => {
    const nb = p.batch[0].length;
    const [lc, rc] = p.contract;
    const [lb, rb] = p.batch;
    if (da !== null && db !== null) {
      const out = jc.bind1(
        'dot_general',
        [moveBatchAxis(a!, da ?? null, 0, size), moveBatchAxis(b!, db ?? null, 0, size)],
        {
          contract: [shift(lc), shift(rc)],
          batch: [
            [0, ...shift(lb)],
            [0, ...shift(rb)],
          ],
        },
      );
      return [[out], [0]];
    }
    if (da !== null) {
      const out = jc.bind1('dot_general', [moveBatchAxis(a!, da ?? null, 0, size), b!], {
        contract: [shift(lc), rc],
        batch: [shift(lb), rb],
      });
      return [[out], [nb]];
    }
    const lFree = a!.ndim - lc.length - lb.length;
    const out = jc.bind1('dot_general', [a!, moveBatchAxis(b!, db!, 0, size)], {
      contract: [lc, shift(rc)],
      batch: [lb, shift(rb)],
    });
    return [[out], [nb + lFree]];
  },
  conv_patches: foldIntoN('conv_patches'),
  conv_patches_transpose: foldIntoN('conv_patches_transpose'),
  scan: (vals, dims, p, size, main) => {
    const nfront = p.numConsts + p.numCarry;
    // Consts and carry batched at 0; xs at 1 (axis 0 is time); the body sees per-step values at 0.
    const moved = vals.map((v, i) => moveBatchAxis(v, dims[i] ?? null, i < nfront ? 0 : 1, size));
    // The recorded body (if any) is of the unbatched loop: drop it with the closure.
    const { bodyJaxpr: _, ...rest } = p;
    const outs = jc.bind('scan', moved, {
      ...rest,
      body: vmapClosure(p.body, size, main),
      yAvals: batchedAvals(p.yAvals, size),
    });
    return [outs, outs.map((_, i) => (i < p.numCarry ? 0 : 1))];
  },
  cond: ([index, ...ops], [di, ...dops], p, size, main) => {
    const moved = ops.map((v, i) => moveBatchAxis(v, dops[i] ?? null, 0, size));
    if (di === null) {
      const branches = p.branches.map((b) => vmapClosure(b, size, main));
      const outs = jc.bind('cond', [index!, ...moved], {
        branches,
        outAvals: batchedAvals(p.outAvals, size),
      });
      return [outs, outs.map(() => 0)];
    }
    // A per-example predicate: run every branch and select per example.
    const results = p.branches.map((b) => vmapClosure(b, size, main)(moved));
    const idx = moveBatchAxis(index!, di ?? null, 0, size);
    const outs = results[0]!.map((_, j) =>
      results.reduce((acc, r, k) => {
        const hit = jt.reshape(jt.equal(idx, k), [size, ...r[j]!.shape.slice(1).map(() => 1)]);
        return jt.where(hit, r[j]!, acc);
      }, results[0]![j]!),
    );
    return [outs, outs.map(() => 0)];
  },
  while: (vals, dims, p, size, main) => {
    // Every lane runs until its own condition fails; finished lanes keep their carry.
    const moved = vals.map((v, i) => moveBatchAxis(v, dims[i] ?? null, 0, size));
    const laneCond = (args: readonly jt.Array[]) =>
      vmapFlat(
        (a) => [p.cond(a)],
        args,
        args.map(() => 0),
        size,
        0,
        main,
      )[0]!;
    const body = (args: readonly jt.Array[]): jt.Array[] => {
      const active = laneCond(args);
      const next = vmapClosure(p.body, size, main)(args);
      return next.map((n, i) =>
        jt.where(jt.reshape(active, [size, ...n.shape.slice(1).map(() => 1)]), n, args[i]!),
      );
    };
    const outs = jc.bind('while', moved, { cond: (a) => jt.any(laneCond(a)), body });
    return [outs, outs.map(() => 0)];
  },
  jit_call: (vals, dims, p, size) => jitCallBatch(vals, dims, p, size),
  custom_linear: (vals, dims, p, size, main) => {
    const moved = vals.map((v, i) => moveBatchAxis(v, dims[i] ?? null, 0, size));
    const outs = jc.bind('custom_linear', moved, {
      name: p.name,
      forward: vmapClosure(p.forward, size, main),
      transpose: vmapClosure(p.transpose, size, main),
      outAvals: batchedAvals(p.outAvals, size),
      inAvals: batchedAvals(p.inAvals, size),
    });
    return [outs, outs.map(() => 0)];
  },
}))();
