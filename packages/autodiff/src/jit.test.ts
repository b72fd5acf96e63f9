import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGrads, grad, jit, jvp, makeJaxpr, valueAndGrad, vmap } from './index';
import { expectClose, randn } from './test-utils';

const f64 = (x: unknown) => jt.array(x as number[], { dtype: 'float64' });

describe('jit: tracing and caching', () => {
  it('traces once per signature and replays without calling f again', () => {
    let traces = 0;
    const f = jit((x: jt.Array, y: jt.Array) => {
      traces++;
      return jt.sum(jt.mul(jt.sin(x), y));
    });
    const x = randn(0, [3]);
    const y = randn(1, [3]);
    const first = f(x, y);
    const second = f(randn(2, [3]), y);
    expect(traces).toBe(1);
    expectClose(first, jt.sum(jt.mul(jt.sin(x), y)), 1e-6);
    expect(second.shape).toEqual([]);
    f(randn(3, [4]), randn(4, [4])); // a new shape
    expect(traces).toBe(2);
    f(jt.cast(x, 'float32'), jt.cast(y, 'float32')); // a new dtype (randn gives float64)
    expect(traces).toBe(3);
    f(x, y);
    expect(traces).toBe(3);
  });

  it('a static argument is part of the signature; pytrees in and out', () => {
    let traces = 0;
    const f = jit(
      (p: { w: jt.Array; b: jt.Array }, scale: number) => {
        traces++;
        return { out: jt.add(jt.mul(p.w, scale), p.b), n: p.w.size };
      },
      { staticArgnums: [1] },
    );
    const p = { w: jt.array([1, 2]), b: jt.array([0.5, 0.5]) };
    expect((f(p, 2).out as jt.Array).toArray()).toEqual([2.5, 4.5]);
    expect((f(p, 3).out as jt.Array).toArray()).toEqual([3.5, 6.5]);
    expect(traces).toBe(2);
    f(p, 2);
    expect(traces).toBe(2);
    expect(() => jit((x: jt.Array) => x, { staticArgnums: [3] })(p.w)).toThrow(
      /staticArgnums 3 is out of range for 1 arguments/,
    );
  });

  it('reading a traced value is a ConcretizationError that says what to do', () => {
    const read = jit((x: jt.Array) => (Number(x.sum().item()) > 0 ? x : jt.neg(x)));
    expect(() => read(jt.ones([2]))).toThrow(jt.ConcretizationError);
    expect(() => read(jt.ones([2]))).toThrow(
      /item\(\) needs the value of a traced array \(float32\[\]\) inside jit\(.*\).*jt\.cond.*staticArgnums/,
    );
    const compare = jit((x: jt.Array) => ((x as unknown as number) > 0 ? x : x));
    expect(() => compare(jt.ones([]))).toThrow(jt.ConcretizationError);
    const data = jit((x: jt.Array) => jt.array(Array.from(x.data())));
    expect(() => data(jt.ones([2]))).toThrow(/data\(\) needs the value/);
    // jt.cond is the way: it traces both branches.
    const branch = jit((x: jt.Array) =>
      jt.cond(
        jt.greater(jt.sum(x), 0),
        (v: jt.Array) => v,
        (v: jt.Array) => jt.neg(v),
        x,
      ),
    );
    expect(branch(jt.array([-1, -2])).toArray()).toEqual([1, 2]);
    expect(branch(jt.array([1, 2])).toArray()).toEqual([1, 2]);
  });

  it('random numbers inside jit are the eager ones for the same key', () => {
    const draw = (k: jt.Array) => {
      const [a, b] = jt.random.split(k);
      return [jt.random.normal(a!, [5]), jt.random.uniform(jt.random.foldIn(b!, 7), [3])];
    };
    const key = jt.random.key(42);
    expectClose(jit(draw)(key), draw(key), 0);
    // vmap over keys: each example its own samples, as a loop.
    const keys = jt.stack(jt.random.split(key, 3), 0);
    const batched = vmap((k: jt.Array) => jt.random.uniform(k, [4]))(keys);
    const loop = jt.stack(
      [0, 1, 2].map((i) =>
        jt.random.uniform(jt.reshape(jt.slice(keys, [i, 0], [i + 1, 2]), [2]), [4]),
      ),
      0,
    );
    expectClose(batched, loop, 0);
  });
});

describe('jit: composes with every transform', () => {
  const f = (x: jt.Array) => jt.sum(jt.mul(jt.tanh(x), jt.exp(jt.mul(x, 0.3))));
  const x = f64([0.3, -1.2, 0.7]);

  it('jit(grad(f)) and grad(jit(f)) equal grad(f)', () => {
    const want = grad(f)(x);
    expectClose(jit(grad(f))(x), want);
    expectClose(grad(jit(f))(x), want);
    expectClose(jit(grad(jit(f)))(x), want);
  });

  it('jvp(jit(f)), vmap(jit(f)), jit(vmap(f)) and nested jit', () => {
    const v = f64([1, 0.5, -2]);
    expectClose(jvp(jit(f), [x], [v]), jvp(f, [x], [v]));
    const xs = jt.cast(randn(5, [4, 3]), 'float64');
    const loop = jt.stack(
      [0, 1, 2, 3].map((i) => f(jt.reshape(jt.slice(xs, [i, 0], [i + 1, 3]), [3]))),
    );
    expectClose(vmap(jit(f))(xs), loop);
    expectClose(jit(vmap(f))(xs), loop);
    const inner = jit((a: jt.Array) => jt.mul(a, a));
    const outer = jit((a: jt.Array) => jt.sum(inner(jt.add(inner(a), 1))));
    expectClose(outer(x), jt.sum(jt.square(jt.add(jt.square(x), 1))));
    expect(makeJaxpr(outer)(x).toString()).toMatch(/jit_call/);
  });

  it('gradients through jit pass checkGrads, in both modes and to second order', () => {
    checkGrads(jit(f), [x], { order: 2 });
    checkGrads(
      jit((a: jt.Array, b: jt.Array) => jt.matmul(jt.sin(a), b)),
      [jt.cast(randn(1, [2, 3]), 'float64'), jt.cast(randn(2, [3, 2]), 'float64')],
    );
  });

  it('grad of a jitted scan matches the loop written out', () => {
    const w = jt.cast(jt.mul(randn(3, [3, 3]), 0.5), 'float64');
    const xs = jt.cast(randn(4, [6, 3]), 'float64');
    const h0 = jt.zeros([3], { dtype: 'float64' });
    const rnn = (ww: jt.Array) =>
      jt.sum(
        jt.scan(
          (h: jt.Array, xt: jt.Array) => {
            const h2 = jt.tanh(jt.add(jt.matmul(h, ww), xt));
            return [h2, h2] as [jt.Array, jt.Array];
          },
          h0,
          xs,
        )[1],
      );
    const unrolled = (ww: jt.Array) => {
      let h = h0;
      let total = jt.zeros([], { dtype: 'float64' });
      for (let t = 0; t < 6; t++) {
        h = jt.tanh(jt.add(jt.matmul(h, ww), jt.reshape(jt.slice(xs, [t, 0], [t + 1, 3]), [3])));
        total = jt.add(total, jt.sum(h));
      }
      return total;
    };
    expectClose(jit(grad(rnn))(w), grad(unrolled)(w), 1e-12);
    expectClose(grad(jit(rnn))(w), grad(unrolled)(w), 1e-12);
  });

  it('a jitted training step equals the eager one', () => {
    const loss = (p: { w: jt.Array; b: jt.Array }, xb: jt.Array, yb: jt.Array) =>
      jt.mean(jt.square(jt.sub(jt.add(jt.matmul(xb, p.w), p.b), yb)));
    const step = (p: { w: jt.Array; b: jt.Array }, xb: jt.Array, yb: jt.Array) => {
      const [l, g] = valueAndGrad(loss)(p, xb, yb);
      return [
        jt.tree.map((a: jt.Array, d: jt.Array) => jt.sub(a, jt.mul(d, 0.1)), p, g),
        l,
      ] as const;
    };
    const p0 = { w: randn(1, [3, 1]), b: jt.zeros([1]) };
    const xb = randn(2, [8, 3]);
    const yb = randn(3, [8, 1]);
    const fast = jit(step);
    let [pe, pj] = [p0, p0];
    for (let i = 0; i < 3; i++) {
      pe = step(pe, xb, yb)[0];
      pj = fast(pj, xb, yb)[0];
    }
    expectClose(pj, pe, 1e-6);
  });
});

describe('makeJaxpr and typecheckJaxpr', () => {
  it('prints a readable program', () => {
    const text = makeJaxpr((x: jt.Array) => jt.sum(jt.sin(x), { axis: 0 }))(
      jt.ones([3]),
    ).toString();
    expect(text).toBe(
      [
        '{ lambda a:f32[3]. let',
        '    b:f32[3] = sin a',
        '    c:f32[] = reduce_sum[axes=(0,)] b',
        '  in (c,) }',
      ].join('\n'),
    );
  });

  it('records control flow as nested jaxprs and checks them', () => {
    const program = makeJaxpr((xs: jt.Array) =>
      jt.scan(
        (c: jt.Array, x: jt.Array) => [jt.add(c, x), jt.mul(c, x)] as [jt.Array, jt.Array],
        jt.zeros([2]),
        xs,
      ),
    )(jt.ones([4, 2]));
    expect(jc.typecheckJaxpr(program.jaxpr).map((a) => a.shape)).toEqual([[2], [4, 2]]);
    expect(program.toString()).toMatch(/scan\[.*length=4.*\]/);
    expect(program.toString()).toMatch(
      /scan\[.*\] c b\n\s+\{ lambda f:f32\[2\] g:f32\[2\]\. let\n\s+h:f32\[2\] = add f g/,
    );
  });

  it('folds constants: operations on concrete values run while tracing', () => {
    const c = jt.array([4, 9]);
    const f = (x: jt.Array) => jt.add(x, jt.mul(jt.sqrt(c), 2));
    const program = makeJaxpr(f)(jt.ones([2]));
    expect(program.jaxpr.eqns.map((e) => e.prim)).toEqual(['add']);
    expect(program.consts.map((k) => Array.from(k.data()))).toEqual([[4, 6]]);
    expect(Array.from(jit(f)(jt.ones([2])).data())).toEqual([5, 7]);
    // Inside jit under grad, a value of the outer trace is not a constant.
    const row = jt.array([1, 2, 3, 4]);
    const g = grad((w: jt.Array) => jit((x: jt.Array) => jt.sum(jt.mul(x, jt.exp(w))))(row))(
      jt.array(0.5),
    );
    expect(Number(g.item())).toBeCloseTo(10 * Math.exp(0.5), 4);
  });

  it('a constant whose elements are all equal becomes a broadcast scalar', () => {
    const zeros = jt.zeros([3, 4]);
    const mixed = jt.array([0, -0, 0, 0]); // equal as numbers, not as bits
    const f = (x: jt.Array) => [jt.maximum(x, zeros), jt.add(jt.reshape(x, [12]), 1), mixed];
    const program = makeJaxpr(f)(jt.ones([3, 4]));
    const text = program.toString();
    expect(text).toMatch(/= broadcast_in_dim\[shape=\(3,4\) dims=\(\)\] a\n/);
    expect(text).toMatch(/= broadcast_in_dim\[shape=\(12,\) dims=\(\)\] b\n/);
    expect(program.consts.map((c) => c.shape)).toEqual([[], [], [4]]);
    expect(jc.typecheckJaxpr(program.jaxpr).map((a) => a.shape)).toEqual([[3, 4], [12], [4]]);
    const x = jt.array([
      [-1, 2, -3, 4],
      [5, -6, 7, -8],
      [0, 1, -1, 2],
    ]);
    const [top, shifted, same] = jit(f)(x);
    expect(top!.toArray()).toEqual(jt.maximum(x, 0).toArray());
    expect(Array.from(shifted!.data())).toEqual(Array.from(x.data(), (v) => v + 1));
    expect(Object.is(same!.data()[1], -0)).toBe(true);
  });

  it('typecheckJaxpr rejects unbound variables and wrong avals', () => {
    const a = new jc.Var({ shape: [2], dtype: 'float32' });
    const b = new jc.Var({ shape: [3], dtype: 'float32' });
    const stray = new jc.Var({ shape: [2], dtype: 'float32' });
    expect(() =>
      jc.typecheckJaxpr({
        constVars: [],
        inVars: [a],
        eqns: [{ prim: 'sin', inputs: [stray], params: {}, outs: [b] }],
        outs: [b],
      }),
    ).toThrow(/equation 0 \(sin\) uses unbound/);
    expect(() =>
      jc.typecheckJaxpr({
        constVars: [],
        inVars: [a],
        eqns: [{ prim: 'sin', inputs: [a], params: {}, outs: [b] }],
        outs: [b],
      }),
    ).toThrow(/output 0 is float32\[3\], its rule gives float32\[2\]/);
  });
});

describe('jit agrees with eager on random programs (property)', () => {
  type Op = (x: jt.Array, y: jt.Array) => jt.Array;
  const ops: Op[] = [
    (x, y) => jt.add(x, y),
    (x, y) => jt.mul(jt.tanh(x), y),
    (x) => jt.relu(x),
    (x, y) => jt.where(jt.greater(x, y), x, jt.exp(jt.neg(jt.abs(y)))),
    (x) => jt.add(x, jt.sum(x, { axis: -1, keepdims: true })),
    (x) => jt.mul(x, jt.max(x, { axis: 0, keepdims: true })),
    (x, y) => jt.sub(jt.matmul(x, jt.transpose(y)).slice([0, 0], [2, 3]).mean(), x),
    (x) => jt.concatenate([jt.slice(x, [0, 1], [2, 3]), jt.slice(x, [0, 0], [2, 1])], 1),
    (x, y) => jt.add(x, jt.reshape(jt.slice(y, [1, 0], [2, 3]), [3])),
  ];
  it('chains of elementwise ops, broadcasts, reductions, dot and slices', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(ops.length - 1), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        (chain, seed) => {
          const program = (x: jt.Array, y: jt.Array) => {
            let a = x;
            for (const k of chain) a = ops[k]!(a, y);
            return a;
          };
          const x = randn(seed, [2, 3]);
          const y = randn(seed + 1, [2, 3]);
          jc.typecheckJaxpr(makeJaxpr(program)(x, y).jaxpr);
          expectClose(jit(program)(x, y), program(x, y), 1e-5);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('loops stay loops', () => {
  const rnnLoss = (length: number) => {
    const xs = jt.cast(randn(4, [length, 3]), 'float64');
    const h0 = jt.zeros([3], { dtype: 'float64' });
    return (w: jt.Array) =>
      jt.sum(
        jt.scan(
          (h: jt.Array, xt: jt.Array) => {
            const h2 = jt.tanh(jt.add(jt.matmul(h, w), xt));
            return [h2, jt.mul(h2, h2)] as [jt.Array, jt.Array];
          },
          h0,
          xs,
        )[1],
      );
  };
  const w = jt.cast(jt.mul(randn(3, [3, 3]), 0.5), 'float64');

  it('grad of a scan records the same program for 8 and 200 steps', () => {
    const size = (length: number) => {
      const p = makeJaxpr(grad(rnnLoss(length)))(w);
      jc.typecheckJaxpr(p.jaxpr);
      return p.jaxpr.eqns.length;
    };
    expect(size(200)).toBe(size(8));
    const text = makeJaxpr(grad(rnnLoss(8)))(w).toString();
    expect(text).toMatch(/reverse=true/); // the transpose is a reverse scan
  });

  it('the loop-form gradient equals finite differences', () => {
    checkGrads(rnnLoss(12), [w], { modes: ['rev'] });
  });
});
