import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { afterEach, describe, expect, it } from 'vitest';
import { grad, jit, makeJaxpr } from './index';
import { randn } from './test-utils';

// The compiled programs of the WebAssembly backend (fused float32 kernels) against eager
// evaluation on the pure-TypeScript backend: independent code paths.
const f32 = (seed: number, shape: number[]) => jt.cast(randn(seed, shape), 'float32');

function expectNear(got: jt.Array, want: jt.Array, rtol = 2e-6): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  const g = got.data();
  const w = want.data();
  for (let i = 0; i < w.length; i++) {
    const [a, b] = [Number(g[i]), Number(w[i])];
    if (Number.isNaN(b)) expect(a).toBeNaN();
    else expect(Math.abs(a - b)).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(b)));
  }
}

/** `f` jitted on the WebAssembly backend, and eager on the TypeScript one. */
function both<T extends jt.Array[]>(f: (...a: T) => jt.Array | jt.Array[], ...args: T) {
  const before = jt.getBackend();
  jt.setBackend(jt.wasmBackend());
  const compiled = jit(f)(...args);
  jt.setBackend(jt.cpuBackend);
  const eager = f(...args);
  jt.setBackend(before);
  const list = (o: jt.Array | jt.Array[]) => (Array.isArray(o) ? o : [o]);
  return [list(compiled), list(eager)] as const;
}

/** The program `f` compiles to with fusion (as on the WebAssembly backend), and its steps. */
const plan = (f: (...a: jt.Array[]) => unknown, ...args: jt.Array[]) => {
  const p = makeJaxpr(f)(...args);
  const flat = { ...p.jaxpr, constVars: [], inVars: [...p.jaxpr.constVars, ...p.jaxpr.inVars] };
  return jc.planProgram(flat, true);
};

const fusedGroups = (f: (...a: jt.Array[]) => unknown, ...args: jt.Array[]) =>
  plan(f, ...args).steps.filter((s) => s.kind === 'fused');

describe('fused float32 kernels', () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));

  it('a dense layer epilogue (bias by suffix broadcast, relu) is one kernel and equals eager', () => {
    const layer = (x: jt.Array, w: jt.Array, b: jt.Array) => jt.relu(jt.add(jt.matmul(x, w), b));
    const args = [f32(1, [33, 16]), f32(2, [16, 12]), f32(3, [12])] as const;
    const groups = fusedGroups(layer, ...args);
    expect(groups.length).toBe(1);
    expect(groups[0]!.kind === 'fused' && groups[0]!.group.inputs.map((i) => i.pattern)).toContain(
      'suffix',
    );
    const [c, e] = both(layer, ...args);
    expectNear(c[0]!, e[0]!);
  });

  it('softmax: row maxima and sums read by a prefix broadcast', () => {
    const softmax = (x: jt.Array) => {
      const z = jt.exp(jt.sub(x, jt.max(x, { axis: -1, keepdims: true })));
      return jt.div(z, jt.sum(z, { axis: -1, keepdims: true }));
    };
    const x = f32(4, [7, 24]);
    const patterns = fusedGroups(softmax, x).flatMap((s) =>
      s.kind === 'fused' ? s.group.inputs.map((i) => i.pattern) : [],
    );
    expect(patterns).toContain('prefix');
    const [c, e] = both(softmax, x);
    expectNear(c[0]!, e[0]!, 1e-6);
  });

  it("reductions of a group's values fold into its pass: rows, columns, middle axes, all", () => {
    const folds = (x: jt.Array, y: jt.Array) => {
      const p = jt.mul(jt.tanh(x), y);
      return [
        jt.sum(p, { axis: -1 }), // rows
        jt.max(p, { axis: -1 }),
        jt.sum(p, { axis: 0 }), // columns
        jt.max(p, { axis: [0, 1] }),
        jt.sum(p, { axis: 1 }), // a middle axis: runs of 12 results, each walked 5 times
        jt.max(p, { axis: 1 }),
        jt.sum(jt.square(p)), // the whole array, of a value the group does not return
      ];
    };
    const args = [f32(20, [6, 5, 12]), f32(21, [6, 5, 12])] as const;
    const steps = fusedGroups(folds, ...args);
    expect(steps.length).toBe(1);
    const g = steps[0]!.kind === 'fused' ? steps[0]!.group : undefined;
    expect(g?.reductions.map((r) => [r.eqn.prim, r.layout, r.size, r.inner])).toEqual([
      ['reduce_sum', 'rows', 30, 1],
      ['reduce_max', 'rows', 30, 1],
      ['reduce_sum', 'cols', 60, 60],
      ['reduce_max', 'cols', 12, 12],
      ['reduce_sum', 'cols', 72, 12],
      ['reduce_max', 'cols', 72, 12],
      ['reduce_sum', 'rows', 1, 1],
    ]);
    // Only the results leave the kernel: the product and its square stay in registers.
    expect(g?.outputs.map((v) => v.aval.shape)).toEqual([
      [6, 5],
      [6, 5],
      [5, 12],
      [12],
      [6, 12],
      [6, 12],
      [],
    ]);
    const [c, e] = both(folds, ...args);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-6);
    });
  });

  it("folded maxima keep the eager kernels' ties, signed zeros and NaN; sums round once", () => {
    const folds = (x: jt.Array) => {
      const y = jt.mul(x, 1); // a group value, so the reductions fold
      const z = jt.mul(jt.reshape(x, [2, 4, 8]), 1); // [2, 4, 8]: a middle axis
      return [
        jt.max(y, { axis: 1 }),
        jt.max(y, { axis: 0 }),
        jt.sum(y, { axis: 0 }),
        jt.max(z, { axis: 1 }),
        jt.sum(z, { axis: 1 }),
      ];
    };
    // Column 0 and row 0: -0 before +0 (the first maximal element wins); a NaN in row 2
    // and column 5; large and small terms whose float32 running sum would lose the small.
    const v = new Float32Array(8 * 8).map((_, i) => ((i * 37) % 11) - 5);
    v.set([-0, 0, -0, 0, -0, 0, -0, 0], 0);
    v[8] = 0;
    v[16 + 5] = Number.NaN;
    v.set([1e8, 1, 1, 1, 1, 1, 1, 1], 24);
    v.set([-1e8, 1, 1, 1, 1, 1, 1, 1], 32);
    const x = jt.array(v, { shape: [8, 8] });
    const steps = fusedGroups(folds, x);
    expect(steps.flatMap((st) => (st.kind === 'fused' ? st.group.reductions : [])).length).toBe(5);
    const [c, e] = both(folds, x);
    for (let k = 0; k < 5; k++) {
      const [got, want] = [c[k]!.data(), e[k]!.data()];
      want.forEach((w, i) => {
        expect(Object.is(got[i], w) || (Number.isNaN(got[i]) && Number.isNaN(w))).toBe(true);
      });
    }
  });

  it('reductions stay steps of their own where a pass cannot fold them', () => {
    const f = (x: jt.Array) => {
      const p = jt.exp(x);
      // Reduced axes between kept ones; rows of 6 (not whole vectors); an operand no
      // group computes.
      return [jt.sum(p, { axis: 1 }), jt.sum(jt.reshape(p, [20, 6]), { axis: 1 }), jt.sum(x)];
    };
    const x = f32(22, [4, 5, 6]);
    const steps = fusedGroups(f, x);
    expect(steps.flatMap((s) => (s.kind === 'fused' ? s.group.reductions : []))).toEqual([]);
    const [c, e] = both(f, x);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-6);
    });
  });

  it('an LSTM cell: the four gate slices are loads of the fused gate kernel', () => {
    const cell = (z: jt.Array, c: jt.Array) => {
      const gate = (k: number) => jt.slice(z, [0, 8 * k], [33, 8 * k + 8]);
      const [i, f, g, o] = [0, 1, 2, 3].map(gate) as [jt.Array, jt.Array, jt.Array, jt.Array];
      const next = jt.add(jt.mul(jt.sigmoid(f), c), jt.mul(jt.sigmoid(i), jt.tanh(g)));
      return [next, jt.mul(jt.sigmoid(o), jt.tanh(next))];
    };
    const args = [f32(30, [33, 32]), f32(31, [33, 8])] as const;
    const steps = fusedGroups(cell, ...args);
    expect(steps.map((st) => st.kind)).toEqual(['fused']);
    const g = steps[0]!.kind === 'fused' ? steps[0]!.group : undefined;
    expect(g?.inputs.map((i) => i.pattern)).toEqual([
      'slice:8:8:32',
      'full',
      'slice:0:8:32',
      'slice:16:8:32',
      'slice:24:8:32',
    ]);
    const [c, e] = both(cell, ...args);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-6);
    });
    // With the gates a sum of two projections, the kernel reads both through the slices
    // and adds them itself: the full-width sum is never stored.
    const summed = (zx: jt.Array, zh: jt.Array, cc: jt.Array) => cell(jt.add(zx, zh), cc);
    const three = [f32(32, [33, 32]), f32(33, [33, 32]), f32(31, [33, 8])] as const;
    const { program, steps: planned } = plan(summed, ...three);
    jc.typecheckJaxpr(program);
    expect(program.eqns.filter((e) => e.prim === 'add' && e.outs[0]!.aval.shape[1] === 32)).toEqual(
      [],
    );
    expect(planned.map((st) => st.kind)).toEqual(['fused']);
    const [c3, e3] = both(summed, ...three);
    c3.forEach((o, i) => {
      expectNear(o, e3[i]!, 1e-6);
    });
  });

  it('a last-axis concatenation of fused values is written in place by their kernel', () => {
    const grads = (a: jt.Array, b: jt.Array, w: jt.Array) => {
      const [i, f, g] = [jt.mul(a, b), jt.tanh(a), jt.sub(a, b)];
      const joined = jt.concatenate([i, f, g, i], -1); // i twice
      return [jt.matmul(joined, w), jt.exp(f)];
    };
    const args = [f32(35, [9, 8]), f32(36, [9, 8]), f32(37, [32, 5])] as const;
    const steps = fusedGroups(grads, ...args);
    expect(steps.flatMap((st) => (st.kind === 'fused' ? st.group.concats : [])).length).toBe(1);
    const g = steps[0]!.kind === 'fused' ? steps[0]!.group : undefined;
    // Only exp(f) and the concatenation leave the kernel: the operands are not stored.
    expect(g?.outputs.map((v) => v.aval.shape)).toEqual([
      [9, 8],
      [9, 32],
    ]);
    const [c, e] = both(grads, ...args);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-6);
    });
    // Not folded: another axis, an operand no group computes, rows of 6.
    const others = (a: jt.Array, b: jt.Array, x: jt.Array) => [
      jt.concatenate([jt.exp(a), jt.exp(b)], 0),
      jt.concatenate([jt.exp(a), x], 1),
      jt.concatenate([jt.exp(x), jt.neg(x)], 1),
    ];
    const more = [f32(38, [9, 8]), f32(39, [9, 8]), f32(40, [9, 6])] as const;
    const fused = fusedGroups(others, ...more);
    expect(fused.flatMap((st) => (st.kind === 'fused' ? st.group.concats : []))).toEqual([]);
    const [c2, e2] = both(others, ...more);
    c2.forEach((o, i) => {
      expectNear(o, e2[i]!, 1e-6);
    });
  });

  it('slices of a fused value, of a slice, under a broadcast and read elsewhere', () => {
    const f = (x: jt.Array, w: jt.Array) => {
      const p = jt.exp(jt.mul(x, 0.5)); // a group of 8×16 whose value is sliced
      const s = jt.slice(p, [0, 4], [8, 12]); // read by a group and by a matmul
      const ss = jt.slice(s, [0, 4], [8, 8]); // a slice of a slice
      const b = jt.broadcastTo(jt.reshape(jt.slice(p, [0, 0], [1, 16]), [1, 16]), [8, 16]);
      const r = jt.slice(p, [0, 1], [8, 13]); // 12 of 16, not from a vector boundary
      return [jt.add(s, 1), jt.matmul(s, w), jt.mul(ss, 2), jt.sub(b, p), jt.neg(r)];
    };
    const args = [f32(32, [8, 16]), f32(33, [8, 3])] as const;
    const [c, e] = both(f, ...args);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-6);
    });
  });

  it('slices a kernel cannot index stay steps: strided, narrowing leading axes, ragged rows', () => {
    const f = (x: jt.Array) => [
      jt.exp(jt.slice(x, [0, 0], [12, 16], [1, 2])),
      jt.exp(jt.slice(x, [2, 0], [10, 16])),
      jt.exp(jt.slice(x, [0, 3], [12, 9])),
    ];
    const x = f32(34, [12, 16]);
    const patterns = fusedGroups(f, x).flatMap((st) =>
      st.kind === 'fused' ? st.group.inputs.map((i) => i.pattern) : [],
    );
    expect(patterns.some((p) => p.startsWith('slice'))).toBe(false);
    const [c, e] = both(f, x);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-6);
    });
  });

  it('max pooling and its gradient: window maxima read by a middle-axis broadcast', () => {
    // Non-overlapping 2×2 pooling, so the window axis sits between pixels and channels.
    const pool = (x: jt.Array) => jt.sum(jt.square(jt.maxPool(x, { window: [2, 2] })));
    const poolGrad = (x: jt.Array) => grad(pool)(x);
    const x = f32(8, [3, 6, 10, 8]);
    const patterns = fusedGroups(poolGrad, x).flatMap((s) =>
      s.kind === 'fused' ? s.group.inputs.map((i) => i.pattern) : [],
    );
    expect(patterns).toContain('middle:8:4');
    const [c, e] = both(poolGrad, x);
    expectNear(c[0]!, e[0]!, 1e-6);
    // Ties: every tied element of a window shares its gradient, as eagerly.
    const ties = jt.floor(jt.mul(f32(9, [2, 4, 4, 12]), 2));
    const [ct, et] = both(poolGrad, ties);
    expectNear(ct[0]!, et[0]!, 1e-6);
  });

  it('middle-axis broadcasts of float32 and bool operands, with several repeats', () => {
    const f = (x: jt.Array, row: jt.Array, m: jt.Array) => {
      const r = jt.broadcastTo(jt.reshape(row, [5, 1, 12]), [5, 7, 12]);
      const mask = jt.broadcastTo(jt.reshape(m, [5, 1, 12]), [5, 7, 12]);
      return jt.where(mask, jt.mul(x, r), jt.sub(x, r));
    };
    const args = [f32(10, [5, 7, 12]), f32(11, [5, 12]), jt.greater(f32(12, [5, 12]), 0)] as const;
    const patterns = fusedGroups(f, ...args).flatMap((s) =>
      s.kind === 'fused' ? s.group.inputs.map((i) => i.pattern) : [],
    );
    expect(patterns.filter((p) => p === 'middle:12:7').length).toBe(2);
    const [c, e] = both(f, ...args);
    expectNear(c[0]!, e[0]!);
  });

  it('a broadcast scalar is recomputed by every group that reads it, never stored', () => {
    const zeros = jt.zeros([16, 16]); // recorded as a scalar and a broadcast
    const f = (x: jt.Array, y: jt.Array) => {
      const a = jt.exp(jt.maximum(x, zeros));
      const b = jt.matmul(a, y); // a step between the two groups
      return [jt.where(jt.greater(b, 0), b, zeros), jt.matmul(zeros, y)];
    };
    const args = [f32(13, [16, 16]), f32(14, [16, 16])] as const;
    const groups = fusedGroups(f, ...args).flatMap((s) => (s.kind === 'fused' ? [s.group] : []));
    expect(groups.length).toBe(2);
    for (const g of groups) {
      expect(g.inputs.map((i) => i.pattern)).toContain('scalar');
      expect(g.outputs.map((v) => v.aval.shape)).toEqual([[16, 16]]);
    }
    const [c, e] = both(f, ...args);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-5);
    });
  });

  it('masks: comparisons, and/or/not, select, casts and bool outputs', () => {
    const masks = (x: jt.Array, y: jt.Array) => {
      const m = jt.logicalAnd(jt.greater(x, y), jt.logicalNot(jt.lessEqual(x, -0.5)));
      const n = jt.logicalOr(m, jt.equal(y, 0));
      return [n, jt.where(m, jt.tanh(x), jt.mul(y, 2)), jt.cast(n, 'float32'), jt.sqrt(jt.abs(x))];
    };
    const args = [f32(5, [13, 17]), f32(6, [13, 17])] as const; // 221 elements: a ragged last vector
    const [c, e] = both(masks, ...args);
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 1e-6);
    });
  });

  it('transcendental chains with scalars, inputs also used as outputs', () => {
    const chain = (x: jt.Array) => {
      const a = jt.mul(jt.sigmoid(x), 3);
      return [a, jt.add(jt.log1p(jt.exp(x)), jt.expm1(jt.mul(a, 0.1))), x];
    };
    const [c, e] = both(chain, f32(7, [5, 40]));
    c.forEach((o, i) => {
      expectNear(o, e[i]!, 4e-6);
    });
  });

  it('a program called again replays the same kernels with new data', () => {
    const f = jit((x: jt.Array, y: jt.Array) => jt.mul(jt.add(x, y), jt.sub(x, y)));
    jt.setBackend(jt.wasmBackend());
    for (let s = 0; s < 3; s++) {
      const [x, y] = [f32(10 + s, [20, 20]), f32(20 + s, [20, 20])];
      const want = jt.sub(jt.square(x), jt.square(y));
      expectNear(f(x, y), want, 1e-5);
    }
  });
});

describe('scan accumulators', () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));

  it("a recurrent weight's gradient is one product after the loop, equal to the loop's sum", () => {
    const rnn = (w: jt.Array, xs: jt.Array) => {
      const step = (h: jt.Array, x: jt.Array): [jt.Array, jt.Array] => {
        const next = jt.tanh(jt.add(jt.matmul(h, w), x));
        return [next, next];
      };
      return jt.sum(jt.square(jt.scan(step, jt.zeros([4, 8]), xs)[1]));
    };
    const dw = (w: jt.Array, xs: jt.Array) => grad(rnn)(w, xs);
    const args = [jt.mul(f32(15, [8, 8]), 0.3), f32(16, [6, 4, 8])] as const;
    const program = makeJaxpr(dw)(...args);
    const flat = {
      ...program.jaxpr,
      constVars: [],
      inVars: [...program.jaxpr.constVars, ...program.jaxpr.inVars],
    };
    const scans = (j: jc.Jaxpr) =>
      j.eqns.filter((e) => e.prim === 'scan').map((e) => (e.params as jc.ScanParams).numCarry);
    const hoisted = jc.hoistScanAccumulators(flat);
    // The backward scan loses its weight-gradient carry; a product contracting the steps follows.
    const [fwd, bwd] = scans(flat);
    expect(scans(hoisted)).toEqual([fwd, bwd! - 1]);
    const lastScan = hoisted.eqns.map((e) => e.prim).lastIndexOf('scan');
    const total = hoisted.eqns.slice(lastScan).find((e) => e.prim === 'dot_general')!;
    const contract = (total.params as jc.PrimitiveParams['dot_general']).contract;
    expect(contract.map((d) => d[0])).toEqual([0, 0]);
    expect(jc.typecheckJaxpr(hoisted).map((a) => a.shape)).toEqual([[8, 8]]);
    // Against the loop unrolled by hand, differentiated eagerly on the TypeScript backend.
    const unrolled = (w: jt.Array, xs: jt.Array) => {
      let h = jt.zeros([4, 8]);
      let loss = jt.array(0);
      for (let t = 0; t < 6; t++) {
        h = jt.tanh(
          jt.add(jt.matmul(h, w), jt.reshape(jt.slice(xs, [t, 0, 0], [t + 1, 4, 8]), [4, 8])),
        );
        loss = jt.add(loss, jt.sum(jt.square(h)));
      }
      return loss;
    };
    jt.setBackend(jt.cpuBackend);
    const want = grad(unrolled)(...args);
    for (const backend of [jt.wasmBackend(), jt.cpuBackend]) {
      jt.setBackend(backend);
      expectNear(jit(dw)(...args), want, 1e-5);
    }
  });
});

describe('loops', () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));

  it("broadcast scalars a scan's body reads are broadcast inside it, and the gradient is unchanged", () => {
    const rnn = (w: jt.Array, xs: jt.Array) => {
      const step = (h: jt.Array, x: jt.Array): [jt.Array, jt.Array] => {
        const gate = jt.sigmoid(jt.add(jt.matmul(h, w), x));
        const next = jt.add(jt.mul(gate, h), jt.mul(jt.sub(1, gate), jt.tanh(x)));
        return [next, next];
      };
      return jt.sum(jt.square(jt.scan(step, jt.zeros([4, 8]), xs)[1]));
    };
    const dw = (w: jt.Array, xs: jt.Array) => grad(rnn)(w, xs);
    const args = [jt.mul(f32(17, [8, 8]), 0.3), f32(18, [6, 4, 8])] as const;
    const scalarConsts = (j: jc.Jaxpr) => {
      const producer = new Map(j.eqns.flatMap((e) => e.outs.map((v) => [v, e] as const)));
      return j.eqns
        .filter((e) => e.prim === 'scan')
        .flatMap((e) => e.inputs.slice(0, (e.params as jc.ScanParams).numConsts))
        .filter((v) => {
          const b = producer.get(v);
          return b?.prim === 'broadcast_in_dim' && b.inputs[0]!.aval.shape.length === 0;
        });
    };
    const p = makeJaxpr(dw)(...args);
    const flat = { ...p.jaxpr, constVars: [], inVars: [...p.jaxpr.constVars, ...p.jaxpr.inVars] };
    // Partial evaluation leaves `1 - gate`'s one, at the carry's shape, outside the loop...
    expect(scalarConsts(flat).length).toBeGreaterThan(0);
    const { program } = jc.planProgram(flat, true);
    // ...and the compiler moves it in: the loop reads a scalar.
    expect(scalarConsts(program)).toEqual([]);
    const scan = program.eqns.find((e) => e.prim === 'scan')!;
    const body = (scan.params as jc.ScanParams).bodyJaxpr!.jaxpr;
    expect(body.eqns.some((e) => e.prim === 'broadcast_in_dim')).toBe(true);
    jc.typecheckJaxpr(program);
    jt.setBackend(jt.cpuBackend);
    const want = dw(...args);
    jt.setBackend(jt.wasmBackend());
    expectNear(jit(dw)(...args), want, 1e-5);
  });
});

describe("outputs into the caller's buffers", () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));

  it("a fused or matrix-product output is written into the caller's buffer; an input is not", () => {
    const f = (x: jt.Array, w: jt.Array) => [jt.tanh(jt.mul(x, 2)), jt.matmul(jt.exp(x), w), x];
    const args = [f32(30, [16, 24]), f32(31, [24, 8])] as const;
    const p = makeJaxpr(f)(...args);
    const flat = { ...p.jaxpr, constVars: [], inVars: [...p.jaxpr.constVars, ...p.jaxpr.inVars] };
    const program = jt.wasmBackend().compile!(flat, { donated: [] });
    const inputs = [...p.consts, ...args] as unknown as jc.ConcreteArray[];
    const rows = [new Float32Array(16 * 24 * 2), new Float32Array(16 * 8 * 2)];
    const into = [rows[0]!.subarray(384), rows[1]!.subarray(128), new Float32Array(16 * 24)];
    const [a, b, c] = program(inputs, into);
    expect(a!.buffer).toBe(into[0]);
    expect(b!.buffer).toBe(into[1]);
    expect(c).toBe(inputs[inputs.length - 2]); // an input is returned as it is
    jt.setBackend(jt.cpuBackend);
    const want = f(...args);
    expectNear(a!, want[0]!, 1e-6);
    expectNear(b!, want[1]!, 1e-5);
    // Nothing but the given rows was written.
    expect(Array.from(rows[0]!.subarray(0, 384)).every((v) => v === 0)).toBe(true);
  });
});

describe('donated inputs', () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));

  it('an update of donated parameters is written into their buffers, with the eager result', () => {
    jt.setBackend(jt.wasmBackend());
    const sgd = jit(
      (p: { w: jt.Array; b: jt.Array }, g: { w: jt.Array; b: jt.Array }) => ({
        w: jt.sub(p.w, jt.mul(g.w, 0.1)),
        b: jt.sub(p.b, jt.mul(g.b, 0.1)),
      }),
      { donateArgnums: [0] },
    );
    const make = () => ({ w: f32(30, [16, 16]), b: f32(31, [64]) });
    const g = { w: f32(32, [16, 16]), b: f32(33, [64]) };
    const want = jt.tree.map((a: jt.Array, d: jt.Array) => jt.sub(a, jt.mul(d, 0.1)), make(), g);
    const p = make();
    const memory = (x: jt.Array) => (x as jc.ConcreteArray).buffer.buffer;
    const buffers = [p.w, p.b].map(memory);
    const next = sgd(p, g);
    expectNear(next.w, want.w);
    expectNear(next.b, want.b);
    expect(memory(next.w)).toBe(buffers[0]);
    expect(memory(next.b)).toBe(buffers[1]);
  });

  it('a weight updated in place is read anew by the next call (no stale packed matmul operand)', () => {
    jt.setBackend(jt.wasmBackend());
    // The product comes first, so the update may overwrite `w` after it.
    const f = (w: jt.Array, x: jt.Array) => {
      const total = jt.sum(jt.matmul(x, w));
      return [jt.sub(w, jt.mul(w, 0.5)), total] as const;
    };
    const donating = jit(f, { donateArgnums: [0] });
    const x = f32(35, [64, 128]);
    let w = f32(36, [128, 128]);
    let want = Number(jt.sum(jt.matmul(x, w)).item());
    for (let step = 0; step < 3; step++) {
      const [next, total] = donating(w, x);
      // Halving w halves the sum: an independent expectation for every step.
      expect(Number(total.item())).toBeCloseTo(want, 1);
      want /= 2;
      w = next;
    }
  });

  it('a donated input that is still needed, or returned, keeps its buffer', () => {
    jt.setBackend(jt.wasmBackend());
    const f = jit((x: jt.Array) => [jt.mul(x, 2), jt.sum(x), x] as const, { donateArgnums: [0] });
    const x = f32(34, [8, 8]);
    const copy = jt.array(Array.from(x.data()), { shape: [8, 8] });
    const [twice, total, same] = f(x);
    expectNear(twice, jt.mul(copy, 2));
    expectNear(total, jt.sum(copy), 1e-5);
    expectNear(same, copy, 0);
  });
});

describe('donated arrays are deleted', () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));

  it('reading a donated input after the call throws, on every backend', () => {
    const halve = (p: { w: jt.Array }) => ({ w: jt.mul(p.w, 0.5) });
    for (const backend of [jt.wasmBackend(), jt.cpuBackend]) {
      jt.setBackend(backend);
      const step = jit(halve, { donateArgnums: [0] });
      const p = { w: jt.array([2, 4, 6, 8]) };
      const next = step(p);
      expect(Array.from(next.w.data())).toEqual([1, 2, 3, 4]);
      expect(p.w.isDeleted()).toBe(true);
      expect(next.w.isDeleted()).toBe(false);
      expect(p.w.shape).toEqual([4]);
      expect(() => p.w.data()).toThrow(jt.DeletedArrayError);
      expect(() => p.w.toArray()).toThrow(/donated to jit\(halve\)/);
      expect(() => jt.add(p.w, 1)).toThrow(jt.DeletedArrayError);
      expect(String(p.w)).toBe('Array(float32[4], deleted: donated to jit(halve))');
    }
  });

  it('an input the call returns, an undonated input and a call inside grad stay live', () => {
    jt.setBackend(jt.wasmBackend());
    const f = jit((x: jt.Array, y: jt.Array) => [x, jt.mul(x, y)] as const, {
      donateArgnums: [0],
    });
    const x = jt.array([1, 2]);
    const y = jt.array([3, 4]);
    const [same, product] = f(x, y);
    expect(same.isDeleted()).toBe(false);
    expect(Array.from(same.data())).toEqual([1, 2]);
    expect(Array.from(product.data())).toEqual([3, 8]);
    expect(y.isDeleted()).toBe(false);

    const scale = jit((w: jt.Array, v: jt.Array) => jt.sum(jt.mul(w, v)), { donateArgnums: [0] });
    const w = jt.array([5, 6]);
    const dv = grad((v: jt.Array) => scale(w, v))(jt.array([1, 1]));
    expect(Array.from(dv.data())).toEqual([5, 6]);
    expect(w.isDeleted()).toBe(false);
  });
});

describe('recycled intermediates', () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));
  const n = 1 << 16; // elements: large enough that buffers are recycled

  it('outputs, views of intermediates and inputs keep their values across calls', () => {
    for (const backend of [jt.wasmBackend(), jt.cpuBackend]) {
      jt.setBackend(backend);
      const f = (x: jt.Array) => {
        const h = jt.exp(jt.neg(jt.square(x))); // intermediates that die inside
        const y = jt.matmul(jt.reshape(h, [256, 256]), jt.reshape(x, [256, 256]));
        const flat = jt.reshape(jt.tanh(y), [n]); // an output that views an intermediate
        // A view of the input that dies inside: the caller's buffer must not be reused.
        const columns = jt.sum(jt.reshape(x, [256, 256]), { axis: 0 });
        return [flat, columns, jt.sum(h)] as const;
      };
      const g = jit(f);
      const runs = [37, 38, 39].map((seed) => {
        const x = f32(seed, [n]);
        const copy = x.data();
        return { x, copy, got: g(x) };
      });
      // Every call after the first reused the buffers of the one before: if any live value
      // had been handed out again, an earlier result would now hold a later one's data.
      for (const { x, copy, got } of runs) {
        const now = x.data();
        expect(Array.from(now).filter((v, j) => v !== copy[j]).length).toBe(0);
        const want = f(jt.array(copy, { shape: [n] }));
        got.forEach((v, i) => {
          const [a, b] = [Array.from(v.data(), Number), Array.from(want[i]!.data(), Number)];
          expect(a.length).toBe(b.length);
          const worst = a.reduce((m, u, j) => Math.max(m, Math.abs(u - b[j]!)), 0);
          expect(worst).toBeLessThan(1e-3);
        });
      }
    }
  });
});

describe('the arena', () => {
  const before = jt.getBackend();
  afterEach(() => jt.setBackend(before));

  const mlpLoss = (w1: jt.Array, w2: jt.Array, x: jt.Array) => {
    const h = jt.relu(jt.matmul(x, w1));
    const y = jt.reshape(jt.tanh(jt.matmul(h, w2)), [-1]);
    return jt.sum(jt.square(y));
  };
  const mlpArgs = () => [f32(50, [24, 40]), f32(51, [40, 12]), f32(52, [16, 24])] as const;

  it('values only products and fused kernels read are placed in it, and live ones never share bytes', () => {
    const dw = (w1: jt.Array, w2: jt.Array, x: jt.Array) =>
      grad(mlpLoss, { argnums: [0, 1] })(w1, w2, x);
    const { program, steps } = plan(dw, ...mlpArgs());
    // Matrix products as the in-place kernels (as on the WebAssembly backend).
    const products = steps.flatMap((s) =>
      s.kind === 'eqn' && s.eqn.prim === 'dot_general' ? [s.eqn] : [],
    );
    const arena = jc.planArena(program, steps, new Set(products));
    const resident = [...arena.offset.keys()];
    // The hidden activations and the backward products' results stay in the arena...
    expect(resident.some((v) => v.aval.shape.join() === '16,40')).toBe(true);
    // ...but inputs and outputs never do.
    for (const v of [...program.inVars, ...program.outs]) expect(arena.offset.has(v)).toBe(false);
    // A reshape of a resident value is the same bytes.
    for (const s of steps) {
      if (s.kind === 'eqn' && s.eqn.prim === 'reshape' && arena.offset.has(s.eqn.outs[0]!))
        expect(arena.offset.get(s.eqn.outs[0]!)).toBe(arena.offset.get(s.eqn.inputs[0]!));
    }
    // At every step, the values written before or by it and read by it or later hold
    // disjoint bytes inside the frame.
    const reads = (s: jc.Step) =>
      s.kind === 'eqn' ? s.eqn.inputs : s.group.inputs.map((i) => i.v);
    const writes = (s: jc.Step) => (s.kind === 'eqn' ? s.eqn.outs : s.group.outputs);
    const bytes = (v: jc.Var) => v.aval.shape.reduce((a, b) => a * b, 1) * 4;
    const alias = new Map<jc.Var, jc.Var>();
    for (const s of steps)
      if (s.kind === 'eqn' && s.eqn.prim === 'reshape') alias.set(s.eqn.outs[0]!, s.eqn.inputs[0]!);
    const root = (v: jc.Var): jc.Var => (alias.has(v) ? root(alias.get(v)!) : v);
    const born = new Map<jc.Var, number>();
    const last = new Map<jc.Var, number>();
    steps.forEach((s, k) => {
      for (const v of writes(s)) if (!born.has(root(v))) born.set(root(v), k);
      for (const v of reads(s)) last.set(root(v), k);
    });
    const roots = resident.filter((v) => root(v) === v);
    let sum = 0;
    for (const v of roots) {
      const at = arena.offset.get(v)!;
      expect(at % 64).toBe(0);
      expect(at + bytes(v)).toBeLessThanOrEqual(arena.bytes);
      sum += bytes(v);
    }
    steps.forEach((_, k) => {
      const live = roots.filter((v) => born.get(v)! <= k && (last.get(v) ?? born.get(v)!) >= k);
      for (const a of live)
        for (const b of live) {
          if (a === b) continue;
          const [x, y] = [arena.offset.get(a)!, arena.offset.get(b)!];
          expect(x + bytes(a) <= y || y + bytes(b) <= x).toBe(true);
        }
    });
    // Bytes of values read no more are reused: the frame is smaller than their sum.
    expect(arena.bytes).toBeLessThan(sum);
  });

  it('a training step through it equals eager, call after call', () => {
    const dw = (w1: jt.Array, w2: jt.Array, x: jt.Array) =>
      grad(mlpLoss, { argnums: [0, 1] })(w1, w2, x);
    const step = jit(dw);
    for (let s = 0; s < 3; s++) {
      const args = [f32(60 + s, [24, 40]), f32(70 + s, [40, 12]), f32(80 + s, [16, 24])] as const;
      jt.setBackend(jt.wasmBackend());
      const got = step(...args);
      jt.setBackend(jt.cpuBackend);
      const want = dw(...args);
      got.forEach((g, i) => {
        expectNear(g, want[i]!, 1e-4);
      });
    }
  });

  it('attention-style head transposes between products are moved in it, and equal eager', () => {
    // Heads split off a projection ([b, t, h, d] -> [b, h, t, d]), a product per head and
    // the heads merged back: both transposes keep rows of d = 8 words.
    const [b, t, h, d] = [4, 16, 3, 8];
    const heads = (x: jt.Array, w: jt.Array, u: jt.Array) => {
      const q = jt.transpose(jt.reshape(jt.matmul(x, w), [b, t, h, d]), [0, 2, 1, 3]);
      const mixed = jt.tanh(jt.matmul(q, u));
      const merged = jt.reshape(jt.transpose(mixed, [0, 2, 1, 3]), [b, t, h * d]);
      return jt.sum(jt.square(jt.matmul(merged, jt.transpose(w, [1, 0]))));
    };
    const args = [
      f32(93, [b, t, h * d]),
      jt.mul(f32(94, [h * d, h * d]), 0.2),
      jt.mul(f32(95, [d, d]), 0.3),
    ] as const;
    const dHeads = (x: jt.Array, w: jt.Array, u: jt.Array) =>
      grad(heads, { argnums: [0, 1, 2] })(x, w, u);
    const { program, steps } = plan(dHeads, ...args);
    const movesRows = (e: jc.JaxprEqn) =>
      e.prim === 'transpose' &&
      (e.params as { perm: number[] }).perm.at(-1) === e.inputs[0]!.aval.shape.length - 1;
    const inPlace = steps.flatMap((s) =>
      s.kind === 'eqn' && (s.eqn.prim === 'dot_general' || movesRows(s.eqn)) ? [s.eqn] : [],
    );
    const arena = jc.planArena(program, steps, new Set(inPlace));
    // The head transposes, forward and backward, write their results into the arena.
    const resident = inPlace.filter((e) => movesRows(e) && arena.offset.has(e.outs[0]!));
    expect(resident.length).toBeGreaterThanOrEqual(2);
    const [c, e] = both(dHeads, ...args);
    c.forEach((g, i) => {
      expectNear(g, e[i]!, 1e-4);
    });
  });

  it("a scan body's frame stacks above its caller's live values", () => {
    // `h` is in the caller's arena while the loop runs: a body frame placed over it
    // would overwrite it.
    const f = (w: jt.Array, x: jt.Array, xs: jt.Array) => {
      const h = jt.tanh(jt.matmul(x, w));
      const step = (c: jt.Array, xt: jt.Array): [jt.Array, jt.Array] => {
        const next = jt.relu(jt.matmul(jt.tanh(jt.matmul(c, w)), w));
        return [jt.add(next, xt), jt.sum(next)];
      };
      const [last, sums] = jt.scan(step, x, xs);
      return [jt.matmul(jt.add(h, last), w), sums];
    };
    const args = [jt.mul(f32(90, [32, 32]), 0.2), f32(91, [8, 32]), f32(92, [5, 8, 32])] as const;
    const [c, e] = both(f, ...args);
    c.forEach((g, i) => {
      expectNear(g, e[i]!, 1e-5);
    });
  });
});
