import type { Array, ConcreteArray } from '../../core/array';
import type { Program } from '../../core/backend';
import { evalPrimitive } from '../../core/eval';
import type { Jaxpr, JaxprEqn, Var } from '../../core/jaxpr';
import type { PrimitiveParams } from '../../core/primitives';
import { type Shape, sizeOf, stridesOf } from '../../core/shape';
import {
  type ElementwisePrimitive,
  type EwInput,
  type EwOp,
  elementwiseKernel,
  isElementwise,
} from './elementwise';
import { GpuArray } from './gpu-array';
import type { GpuStorage } from './gpu-storage';
import type { Device } from './kernels';

/** A fused group: elementwise equations (and broadcasts of outside values) of one shape. */
interface Group {
  readonly shape: Shape;
  readonly eqns: JaxprEqn[];
  readonly produced: Set<Var>;
}

/** One step of a compiled program. */
export type Step =
  | {
      readonly kind: 'fused';
      readonly code: string;
      readonly inputs: readonly Var[];
      readonly outputs: readonly Var[];
      readonly shape: Shape;
    }
  | { readonly kind: 'eqn'; readonly eqn: JaxprEqn };

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

const fusible = (eqn: JaxprEqn): boolean =>
  (isElementwise(eqn.prim) || eqn.prim === 'broadcast_in_dim') &&
  eqn.outs.every((v) => v.aval.dtype !== 'float64') &&
  eqn.inputs.every((v) => v.aval.dtype !== 'float64');

/** Strides (over the output shape) that read `x` broadcast by `broadcast_in_dim`. */
function broadcastStrides(x: Shape, p: PrimitiveParams['broadcast_in_dim']): number[] {
  const inStrides = stridesOf(x);
  const strides = new globalThis.Array<number>(p.shape.length).fill(0);
  p.dims.forEach((d, i) => {
    strides[d] = x[i] === 1 && p.shape[d] !== 1 ? 0 : inStrides[i]!;
  });
  return strides;
}

/**
 * Groups a jaxpr's equations into fused elementwise kernels and single equations.
 * Elementwise equations of one shape join the open group (a broadcast of a value from
 * outside the group joins as a strided read); a group closes when an equation outside it
 * reads one of its values, when the shape changes, or when it would need more storage
 * bindings than the device has. A group writes only the values read after it.
 */
export function planSteps(jaxpr: Jaxpr, maxBindings: number): Step[] {
  const uses = new Map<Var, number>();
  const use = (v: Var) => uses.set(v, (uses.get(v) ?? 0) + 1);
  for (const e of jaxpr.eqns) e.inputs.forEach(use);
  // Program outputs are read after everything.
  for (const v of jaxpr.outs) uses.set(v, (uses.get(v) ?? 0) + 1_000_000);

  const steps: Step[] = [];
  let open: Group | undefined;

  /** External inputs (as read) and outputs of a group. */
  const shapeOf = (g: Group) => {
    const inner = new Map<Var, number>();
    for (const e of g.eqns) for (const v of e.inputs) inner.set(v, (inner.get(v) ?? 0) + 1);
    const inputs: { v: Var; strides?: number[] }[] = [];
    const seen = new Set<string>();
    for (const e of g.eqns) {
      if (e.prim === 'broadcast_in_dim') {
        const v = e.inputs[0]!;
        const strides = broadcastStrides(
          v.aval.shape,
          e.params as PrimitiveParams['broadcast_in_dim'],
        );
        const key = `${v.id}:${strides.join(',')}`;
        if (!seen.has(key)) {
          seen.add(key);
          inputs.push({ v, strides });
        }
        continue;
      }
      for (const v of e.inputs) {
        if (g.produced.has(v) || seen.has(`${v.id}`)) continue;
        seen.add(`${v.id}`);
        inputs.push({ v });
      }
    }
    const outputs = [...g.produced].filter((v) => (uses.get(v) ?? 0) > (inner.get(v) ?? 0));
    return { inputs, outputs };
  };

  const close = () => {
    if (open === undefined) return;
    const g = open;
    open = undefined;
    const { inputs, outputs } = shapeOf(g);
    const index = new Map<string, number>();
    inputs.forEach((x, i) => {
      index.set(x.strides === undefined ? `${x.v.id}` : `${x.v.id}:${x.strides.join(',')}`, i);
    });
    const value = new Map<Var, number>();
    const ops: EwOp[] = [];
    const valueOf = (v: Var) => value.get(v) ?? index.get(`${v.id}`)!;
    for (const e of g.eqns) {
      if (e.prim === 'broadcast_in_dim') {
        const v = e.inputs[0]!;
        const strides = broadcastStrides(
          v.aval.shape,
          e.params as PrimitiveParams['broadcast_in_dim'],
        );
        value.set(e.outs[0]!, index.get(`${v.id}:${strides.join(',')}`)!);
        continue;
      }
      ops.push({
        prim: e.prim as ElementwisePrimitive,
        params: e.params as PrimitiveParams[ElementwisePrimitive],
        args: e.inputs.map(valueOf),
        dtype: e.outs[0]!.aval.dtype,
      });
      value.set(e.outs[0]!, inputs.length + ops.length - 1);
    }
    const ewInputs: EwInput[] = inputs.map((x) =>
      x.strides === undefined
        ? { dtype: x.v.aval.dtype }
        : { dtype: x.v.aval.dtype, strides: x.strides },
    );
    const code = elementwiseKernel(
      { shape: g.shape, inputs: ewInputs, ops, outputs: outputs.map((v) => value.get(v)!) },
      'jit',
    );
    steps.push({ kind: 'fused', code, inputs: inputs.map((x) => x.v), outputs, shape: g.shape });
  };

  for (const eqn of jaxpr.eqns) {
    const shape = eqn.outs[0]?.aval.shape;
    const bcastOfInner =
      eqn.prim === 'broadcast_in_dim' && open !== undefined && open.produced.has(eqn.inputs[0]!);
    if (shape !== undefined && fusible(eqn) && !bcastOfInner) {
      if (open !== undefined && sameShape(open.shape, shape)) {
        const trial: Group = {
          shape,
          eqns: [...open.eqns, eqn],
          produced: new Set([...open.produced, ...eqn.outs]),
        };
        const s = shapeOf(trial);
        if (s.inputs.length + s.outputs.length <= maxBindings) {
          open = trial;
          continue;
        }
      }
      close();
      open = { shape, eqns: [eqn], produced: new Set(eqn.outs) };
      continue;
    }
    if (open !== undefined && eqn.inputs.some((v) => open!.produced.has(v))) close();
    steps.push({ kind: 'eqn', eqn });
  }
  close();
  // A group of a lone broadcast is just a copy; the eager kernel does the same.
  return steps;
}

/**
 * Compiles a jaxpr for the GPU: fused elementwise groups become one generated WGSL kernel
 * each (pipelines cached by kernel text, so a shape seen again costs nothing), other
 * equations run their kernels. Intermediates return to the buffer pool right after their
 * last reader is recorded, so a program's peak memory follows liveness, not garbage
 * collection.
 */
export function compileJaxpr(dev: Device, jaxpr: Jaxpr): Program {
  const steps = planSteps(jaxpr, dev.rt.maxStorageBuffers);
  // Last step reading each variable; outputs live past the end.
  const lastUse = new Map<Var, number>();
  steps.forEach((s, k) => {
    const ins = s.kind === 'fused' ? s.inputs : s.eqn.inputs;
    for (const v of ins) lastUse.set(v, k);
  });
  for (const v of jaxpr.outs) lastUse.set(v, Number.POSITIVE_INFINITY);
  const dying: Var[][] = steps.map(() => []);
  for (const [v, k] of lastUse) if (Number.isFinite(k)) dying[k]!.push(v);

  return (inputs: readonly ConcreteArray[]) => {
    const env = new Map<Var, Array>();
    const protectedStorage = new Set<GpuStorage>();
    const holders = new Map<GpuStorage, number>();
    const hold = (x: Array) => {
      if (x instanceof GpuArray) holders.set(x.storage, (holders.get(x.storage) ?? 0) + 1);
    };
    jaxpr.inVars.forEach((v, i) => {
      const x = inputs[i]!;
      env.set(v, x);
      if (x instanceof GpuArray) protectedStorage.add(x.storage);
      hold(x);
    });
    steps.forEach((s, k) => {
      if (s.kind === 'fused') {
        const outs = s.outputs.map((v) => dev.fresh(v.aval.shape, v.aval.dtype));
        dev.rt.dispatch(
          s.code,
          [...s.inputs.map((v) => dev.storageOf(env.get(v)!)), ...outs.map((y) => y.storage)],
          dev.rt.groups1d(sizeOf(s.shape)),
        );
        s.outputs.forEach((v, i) => {
          env.set(v, outs[i]!);
          hold(outs[i]!);
        });
      } else {
        const outs = evalPrimitive(
          s.eqn.prim,
          // Device arrays travel where the core expects concrete ones (see GpuArray).
          s.eqn.inputs.map((v) => env.get(v)!) as ConcreteArray[],
          s.eqn.params,
        );
        s.eqn.outs.forEach((v, i) => {
          env.set(v, outs[i]!);
          hold(outs[i]!);
        });
      }
      for (const v of dying[k]!) {
        const x = env.get(v);
        if (!(x instanceof GpuArray)) continue;
        const left = (holders.get(x.storage) ?? 1) - 1;
        holders.set(x.storage, left);
        if (left === 0 && !protectedStorage.has(x.storage)) x.storage.release();
      }
    });
    return jaxpr.outs.map((v) => env.get(v)!) as ConcreteArray[];
  };
}
