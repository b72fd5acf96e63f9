import type { Array } from './array';
import type { DType } from './dtype';
import type { AbstractValue, Primitive, PrimitiveParams } from './primitives';
import type { Shape } from './shape';
import { shapeRules } from './shape-rules';
import { type MainTrace, newMain, Trace, Tracer } from './trace';

class ShapeTracer extends Tracer {
  constructor(
    readonly trace: ShapeTrace,
    readonly aval: AbstractValue,
  ) {
    super();
  }
  get shape(): Shape {
    return this.aval.shape;
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
}

class ShapeTrace extends Trace {
  pure(x: Array): Tracer {
    return new ShapeTracer(this, { shape: x.shape, dtype: x.dtype });
  }
  /** Records tracers of outer transforms that `f` closes over (see `traceClosure`). */
  override lift(x: Array): Tracer {
    if (x instanceof Tracer) (this.main.globalData as Set<Tracer>).add(x);
    return this.pure(x);
  }
  process<P extends Primitive>(prim: P, tracers: Tracer[], params: PrimitiveParams[P]): Tracer[] {
    const avals = tracers.map((t) => (t as ShapeTracer).aval);
    return shapeRules[prim](avals, params).map((a) => new ShapeTracer(this, a));
  }
}

/**
 * Output shapes and dtypes of `f` on inputs of the given avals, without computing
 * anything (like `jax.eval_shape`).
 * @example jt.evalShape(([x]) => [jt.sum(x, { axis: 0 })], [{ shape: [3, 4], dtype: 'float32' }])
 */
export function evalShape(
  f: (args: Array[]) => Array[],
  avals: readonly AbstractValue[],
): AbstractValue[] {
  return traceClosure(f, avals).outAvals;
}

/**
 * Abstractly evaluates `f` and also returns the tracers of enclosing transforms it
 * closes over. Control-flow ops pass those as explicit operands, so `bind` processes
 * them at the level of the innermost transform they depend on (closure conversion).
 */
export function traceClosure(
  f: (args: Array[]) => Array[],
  avals: readonly AbstractValue[],
): { outAvals: AbstractValue[]; captured: Tracer[] } {
  const captured = new Set<Tracer>();
  const outAvals = newMain(ShapeTrace, captured, (main: MainTrace) => {
    const trace = new ShapeTrace(main);
    const outs = f(avals.map((a) => new ShapeTracer(trace, a)));
    return outs.map((o) => ({ shape: o.shape, dtype: o.dtype }));
  });
  return { outAvals, captured: [...captured] };
}
