import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { batchRules } from './batch-rules';

/** `null`: the value is the same for every batch element. */
export type BDim = number | null;

export class BatchTracer extends jc.Tracer {
  constructor(
    readonly trace: BatchTrace,
    readonly val: jt.Array,
    readonly bdim: BDim,
  ) {
    super();
  }
  get shape(): jt.Shape {
    return this.bdim === null ? this.val.shape : this.val.shape.filter((_, i) => i !== this.bdim);
  }
  get dtype(): jt.DType {
    return this.val.dtype;
  }
  override fullLower(): jt.Array {
    return this.bdim === null ? this.val : this;
  }
}

/**
 * `copyOf`: a batch level that re-runs, one level up, a closure (scan body, cond branch
 * ...) of the level `copyOf` is processing. Tracers of that level the closure captured
 * are batched along the same axis, so they are lifted with their batch axis instead of
 * as constants (closure conversion without jaxprs).
 */
interface BatchData {
  readonly size: number;
  readonly copyOf?: jc.MainTrace | undefined;
}

export class BatchTrace extends jc.Trace {
  get axisSize(): number {
    return (this.main.globalData as BatchData).size;
  }
  pure(x: jt.Array): BatchTracer {
    return new BatchTracer(this, x, null);
  }
  override lift(x: jt.Array): BatchTracer {
    const copyOf = (this.main.globalData as BatchData).copyOf;
    if (x instanceof BatchTracer && copyOf !== undefined && x.trace.main === copyOf)
      return new BatchTracer(this, x.val, x.bdim);
    return this.pure(x);
  }
  process<P extends jc.Primitive>(
    prim: P,
    tracers: jc.Tracer[],
    params: jc.PrimitiveParams[P],
  ): jc.Tracer[] {
    const ts = tracers as BatchTracer[];
    const [outs, dims] = batchRules[prim](
      ts.map((t) => t.val),
      ts.map((t) => t.bdim),
      params,
      this.axisSize,
      this.main,
    );
    return outs.map((o, i) => new BatchTracer(this, o, dims[i] ?? null));
  }
}

/** Moves the batch axis of `x` to `to`, materializing it for unbatched values. */
export function moveBatchAxis(x: jt.Array, from: BDim, to: number, size: number): jt.Array {
  if (from === null) {
    const target = [...x.shape];
    target.splice(to, 0, size);
    return jt.broadcastTo(jt.expandDims(x, to), target);
  }
  return from === to ? x : jt.moveAxis(x, from, to);
}

/**
 * Maps a flat function over axis `inDims` of its inputs; outputs batched at `outDim`.
 * `copyOf`: the batch level whose closure `f` is (see `BatchData`).
 */
export function vmapFlat(
  f: (args: jt.Array[]) => jt.Array[],
  args: readonly jt.Array[],
  inDims: readonly BDim[],
  size: number,
  outDim = 0,
  copyOf?: jc.MainTrace,
): jt.Array[] {
  const data: BatchData = { size, copyOf };
  return jc.newMain(BatchTrace, data, (main) => {
    const trace = new BatchTrace(main);
    const ins = args.map((a, i) =>
      inDims[i] === null ? a : new BatchTracer(trace, a, inDims[i]!),
    );
    return f(ins).map((o) => {
      if (o instanceof BatchTracer && o.trace.main === main)
        return moveBatchAxis(o.val, o.bdim, outDim, size);
      return moveBatchAxis(o, null, outDim, size);
    });
  });
}
