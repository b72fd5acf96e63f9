import { patchesShape } from './conv-shape';
import type { DType } from './dtype';
import type {
  AbstractValue,
  BinaryPrimitive,
  Primitive,
  PrimitiveParams,
  UnaryPrimitive,
} from './primitives';
import { BINARY_PRIMITIVES, COMPARISONS, UNARY_PRIMITIVES } from './primitives';

type Rule<P extends Primitive> = (
  avals: readonly AbstractValue[],
  params: PrimitiveParams[P],
) => AbstractValue[];

const same = ([x]: readonly AbstractValue[]): AbstractValue[] => [
  { shape: x!.shape, dtype: x!.dtype },
];
const boolOf = (x: AbstractValue): AbstractValue => ({ shape: x.shape, dtype: 'bool' });
const dropAxes = (
  x: AbstractValue,
  axes: readonly number[],
  dtype: DType = x.dtype,
): AbstractValue => ({
  shape: x.shape.filter((_, i) => !axes.includes(i)),
  dtype,
});

const elementwise = /*#__PURE__*/ Object.fromEntries([
  ...UNARY_PRIMITIVES.map((p) => [
    p,
    p === 'is_finite' ? ([x]: readonly AbstractValue[]) => [boolOf(x!)] : same,
  ]),
  ...BINARY_PRIMITIVES.map((p) => [
    p,
    (COMPARISONS as readonly string[]).includes(p)
      ? ([x]: readonly AbstractValue[]) => [boolOf(x!)]
      : same,
  ]),
]) as { [P in UnaryPrimitive | BinaryPrimitive]: Rule<P> };

/**
 * Output shapes and dtypes of each primitive without running it. Partial evaluation and
 * tracing use these; inputs were validated by the op library before `bind`.
 */
export const shapeRules: { [P in Primitive]: Rule<P> } = {
  ...elementwise,
  select: ([, t]) => [{ shape: t!.shape, dtype: t!.dtype }],
  cast: ([x], { dtype }) => [{ shape: x!.shape, dtype }],
  stop_gradient: same,
  reduce_sum: ([x], { axes }) => [dropAxes(x!, axes)],
  reduce_max: ([x], { axes }) => [dropAxes(x!, axes)],
  argmax: ([x], { axis }) => [dropAxes(x!, [axis], 'int32')],
  cumsum: same,
  sort: ([x]) => [
    { shape: x!.shape, dtype: x!.dtype },
    { shape: x!.shape, dtype: 'int32' },
  ],
  broadcast_in_dim: ([x], { shape }) => [{ shape, dtype: x!.dtype }],
  reshape: ([x], { shape }) => [{ shape, dtype: x!.dtype }],
  transpose: ([x], { perm }) => [{ shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype }],
  slice: ([x], { start, limit, strides }) => [
    {
      shape: start.map((s, i) => Math.max(0, Math.ceil((limit[i]! - s) / strides[i]!))),
      dtype: x!.dtype,
    },
  ],
  pad: ([x], { lo, hi, interior }) => [
    {
      shape: x!.shape.map((d, i) => lo[i]! + hi[i]! + d + Math.max(0, d - 1) * interior[i]!),
      dtype: x!.dtype,
    },
  ],
  concatenate: (xs, { axis }) => {
    const shape = [...xs[0]!.shape];
    shape[axis] = xs.reduce((a, x) => a + x.shape[axis]!, 0);
    return [{ shape, dtype: xs[0]!.dtype }];
  },
  gather: ([x, idx], { axis }) => [
    {
      shape: [...x!.shape.slice(0, axis), ...idx!.shape, ...x!.shape.slice(axis + 1)],
      dtype: x!.dtype,
    },
  ],
  scatter_add: ([u], { shape }) => [{ shape, dtype: u!.dtype }],
  dot_general: ([a, b], { contract, batch }) => {
    const free = (x: AbstractValue, c: readonly number[], bt: readonly number[]) =>
      x.shape.filter((_, i) => !c.includes(i) && !bt.includes(i));
    return [
      {
        shape: [
          ...batch[0].map((i) => a!.shape[i]!),
          ...free(a!, contract[0], batch[0]),
          ...free(b!, contract[1], batch[1]),
        ],
        dtype: a!.dtype,
      },
    ];
  },
  conv_patches: ([x], p) => [{ shape: patchesShape('conv', x!.shape, p), dtype: x!.dtype }],
  conv_patches_transpose: ([c], p) => [{ shape: p.inputShape, dtype: c!.dtype }],
  scan: (avals, p) => [
    ...avals.slice(p.numConsts, p.numConsts + p.numCarry),
    ...p.yAvals.map((y) => ({ shape: [p.length, ...y.shape], dtype: y.dtype })),
  ],
  cond: (_, p) => [...p.outAvals],
  while: (avals) => [...avals],
  custom_linear: (_, p) => [...p.outAvals],
  random_sample: (_, p) => [{ shape: p.shape, dtype: p.dtype }],
  jit_call: (_, p) => p.jaxpr.outs.map((v) => v.aval),
};
