import { describe, expect, it } from 'vitest';
import * as jc from '../core';
import * as jt from '../index';

/** A trace that records which primitives it saw and evaluates them one level down. */
class LoggingTracer extends jc.Tracer {
  constructor(
    readonly trace: LoggingTrace,
    readonly value: jt.Array,
  ) {
    super();
  }
  get shape() {
    return this.value.shape;
  }
  get dtype() {
    return this.value.dtype;
  }
  override concrete() {
    return this.value;
  }
}

class LoggingTrace extends jc.Trace {
  pure(x: jt.Array): jc.Tracer {
    return new LoggingTracer(this, x);
  }
  process<P extends jc.Primitive>(
    prim: P,
    tracers: jc.Tracer[],
    params: jc.PrimitiveParams[P],
  ): jc.Tracer[] {
    (this.main.globalData as string[]).push(prim);
    const outs = jc.bind(
      prim,
      tracers.map((t) => (t as LoggingTracer).value),
      params,
    );
    return outs.map((o) => new LoggingTracer(this, o));
  }
}

describe('interpreter stack', () => {
  it('bind routes every op of a composite through the top trace', () => {
    const log: string[] = [];
    const out = jc.newMain(LoggingTrace, log, (main) => {
      const trace = new LoggingTrace(main);
      const x = trace.pure(
        jt.array([
          [1, 2],
          [3, 4],
        ]),
      );
      return (jt.softmax(x) as LoggingTracer).value;
    });
    expect(log).toContain('exp');
    expect(log).toContain('reduce_max');
    expect(log).toContain('reduce_sum');
    const rows = out.toArray() as number[][];
    expect(rows[0]![0]! + rows[0]![1]!).toBeCloseTo(1, 6);
    expect(jc.stackDepth()).toBe(0);
  });

  it('a tracer used after its transform returned is a TraceError', () => {
    const leaked = jc.newMain(LoggingTrace, [], (main) =>
      new LoggingTrace(main).pure(jt.ones([2])),
    );
    expect(() => jt.add(leaked, 1)).toThrow(jt.TraceError);
  });

  it('evalShape computes shapes and dtypes without data', () => {
    const out = jt.evalShape(
      ([x, w]) => [
        jt.sum(jt.matmul(x!, w!), { axis: 0 }),
        jt.argmax(x!, { axis: 1 }),
        jt.conv(jt.reshape(x!, [1, 4, 3, 1]), jt.ones([2, 2, 1, 5])),
      ],
      [
        { shape: [4, 3], dtype: 'float32' },
        { shape: [3, 7], dtype: 'float32' },
      ],
    );
    expect(out).toEqual([
      { shape: [7], dtype: 'float32' },
      { shape: [4], dtype: 'int32' },
      { shape: [1, 3, 2, 5], dtype: 'float32' },
    ]);
    expect(() =>
      jt.evalShape(([x]) => [jt.array(x!.data())], [{ shape: [2], dtype: 'float32' }]),
    ).toThrow(/cannot read the values of an array traced by ShapeTrace \(shape \[2\], float32\)/);
  });

  it('abstract evaluation agrees with evaluation for every kind of op', () => {
    const x = jt.random.normal(jt.random.key(0), [2, 5, 6, 3]);
    const idx = jt.array(
      [
        [0, 2],
        [1, 1],
      ],
      { dtype: 'int32' },
    );
    const ops: ((a: jt.Array) => jt.Array)[] = [
      (a) => jt.exp(a),
      (a) => jt.isFinite(a),
      (a) => jt.less(a, 0),
      (a) => jt.where(jt.less(a, 0), a, 1),
      (a) => jt.cast(a, 'int32'),
      (a) => jt.sum(a, { axis: [1, 3] }),
      (a) => jt.max(a, { axis: -1 }),
      (a) => jt.argmax(a, { axis: 2 }),
      (a) => jt.cumsum(a, { axis: 1, reverse: true }),
      (a) => jt.sort(a, { axis: 1 }),
      (a) => jt.argsort(a, { axis: 1 }),
      (a) => jt.transpose(a),
      (a) => jt.slice(a, [0, 1, 0, 0], [2, 5, 6, 3], [1, 2, 4, 1]),
      (a) =>
        jt.pad(a, [
          [0, 0],
          [1, 2],
          [0, 1],
          [0, 0],
        ]),
      (a) => jt.concatenate([a, a], 2),
      (a) => jt.take(a, idx, { axis: 1 }),
      (a) => jt.at(a, [1]).add(1),
      (a) => jt.matmul(a, jt.ones([3, 4])),
      (a) => jt.conv(a, jt.ones([3, 2, 3, 4]), { strides: 2, padding: 'SAME' }),
      (a) => jt.maxPool(a, { window: 2 }),
      (a) => jt.convTranspose(a, jt.ones([2, 2, 3, 2]), { strides: 2 }),
      (a) => jt.scan((c: jt.Array, r: jt.Array) => [c.add(r), c], jt.zeros([5, 6, 3]), a)[1],
      (a) =>
        jt.cond(
          true,
          (v: jt.Array) => v.mul(2),
          (v: jt.Array) => v,
          a,
        ),
    ];
    for (const op of ops) {
      const real = op(x);
      const [shape] = jt.evalShape(([a]) => [op(a!)], [{ shape: x.shape, dtype: x.dtype }]);
      expect(shape).toEqual({ shape: real.shape, dtype: real.dtype });
    }
  });
});
