import { grad } from '@jute/autodiff';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import * as optim from '../index';

type Params = { w: jt.Array; b: jt.Array };

/** Runs `steps` optimizer steps on `loss` with autodiff gradients. */
function minimize<P>(
  opt: optim.GradientTransformation,
  loss: (p: P) => jt.Array,
  init: P,
  steps: number,
): P {
  const g = grad(loss);
  let params = init;
  let state = opt.init(params);
  for (let i = 0; i < steps; i++) {
    const [updates, next] = opt.update(g(params) as P, state, params);
    params = optim.applyUpdates(params, updates);
    state = next;
  }
  return params;
}

// A separable quadratic with different curvatures, minimum at w = [1, -2, 3], b = 0.5.
const target = {
  w: jt.array([1, -2, 3], { dtype: 'float64' }),
  b: jt.array(0.5, { dtype: 'float64' }),
};
const curv = jt.array([1, 2, 0.5], { dtype: 'float64' });
const quadratic = (p: Params): jt.Array =>
  jt.add(jt.sum(jt.mul(curv, jt.square(jt.sub(p.w, target.w)))), jt.square(jt.sub(p.b, target.b)));

const rosenbrock = (x: jt.Array): jt.Array => {
  const a = x.slice([0], [1]);
  const b = x.slice([1], [2]);
  return jt.sum(jt.add(jt.square(jt.sub(1, a)), jt.mul(100, jt.square(jt.sub(b, jt.square(a))))));
};

const decaying = (initValue: number, transitionSteps = 100) =>
  optim.exponentialDecay({ initValue, transitionSteps, decayRate: 0.5 });

/**
 * Each optimizer with settings for the quadratic and for Rosenbrock (from (0, 0), where
 * the loss is 1; the minimum is at (1, 1)). Step counts are about 1.5x what each needs.
 */
const cases: {
  name: string;
  quad: optim.GradientTransformation;
  rosen: optim.GradientTransformation;
  rosenSteps: number;
}[] = [
  {
    name: 'sgd',
    quad: optim.sgd({ learningRate: 0.2 }),
    rosen: optim.sgd({ learningRate: 2e-3, momentum: 0.9 }),
    rosenSteps: 300,
  },
  {
    name: 'sgd nesterov',
    quad: optim.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    rosen: optim.sgd({ learningRate: decaying(2e-3, 200), momentum: 0.9, nesterov: true }),
    rosenSteps: 300,
  },
  {
    name: 'adagrad',
    quad: optim.adagrad({ learningRate: 1 }),
    rosen: optim.adagrad({ learningRate: 0.5 }),
    rosenSteps: 1500,
  },
  {
    name: 'rmsprop',
    quad: optim.rmsprop({ learningRate: decaying(0.1) }),
    rosen: optim.rmsprop({ learningRate: decaying(0.01, 200), momentum: 0.9 }),
    rosenSteps: 250,
  },
  {
    name: 'rmsprop centered',
    quad: optim.rmsprop({ learningRate: decaying(0.1), centered: true }),
    rosen: optim.rmsprop({ learningRate: decaying(0.01, 200), momentum: 0.9, centered: true }),
    rosenSteps: 250,
  },
  {
    name: 'adam',
    quad: optim.adam({ learningRate: 0.1 }),
    rosen: optim.adam({ learningRate: 0.05 }),
    rosenSteps: 250,
  },
  {
    name: 'adamw',
    quad: optim.adamw({ learningRate: 0.1, weightDecay: 0 }),
    rosen: optim.adamw({ learningRate: 0.05, weightDecay: 0 }),
    rosenSteps: 250,
  },
  {
    name: 'adamax',
    quad: optim.adamax({ learningRate: 0.1 }),
    rosen: optim.adamax({ learningRate: 0.05 }),
    rosenSteps: 350,
  },
  {
    name: 'nadam',
    quad: optim.nadam({ learningRate: 0.1 }),
    rosen: optim.nadam({ learningRate: 0.05 }),
    rosenSteps: 250,
  },
  {
    name: 'lamb',
    quad: optim.lamb({ learningRate: decaying(0.2, 50) }),
    rosen: optim.lamb({ learningRate: decaying(0.1) }),
    rosenSteps: 700,
  },
  {
    name: 'lion',
    quad: optim.lion({ learningRate: decaying(0.1), weightDecay: 0 }),
    rosen: optim.lion({ learningRate: decaying(0.02), weightDecay: 0 }),
    rosenSteps: 400,
  },
];

describe.each(cases)('$name', ({ quad, rosen, rosenSteps }) => {
  it('minimizes a quadratic', () => {
    const init = { w: jt.zeros([3], { dtype: 'float64' }), b: jt.zeros([], { dtype: 'float64' }) };
    const start = quadratic(init).item() as number;
    const p = minimize(quad, quadratic, init, 150);
    expect(quadratic(p).item() as number).toBeLessThan(1e-3 * start);
    expect(p.w.dtype).toBe('float64');
  });

  it('minimizes the Rosenbrock function', () => {
    const x = minimize(rosen, rosenbrock, jt.array([0, 0], { dtype: 'float64' }), rosenSteps);
    expect(rosenbrock(x).item() as number).toBeLessThan(1e-2);
    const [a, b] = x.data();
    expect(Math.abs(a! - 1)).toBeLessThan(0.1);
    expect(Math.abs(b! - 1)).toBeLessThan(0.2);
  });

  it('keeps its state as a pytree of arrays', () => {
    const params = { w: jt.ones([2, 3]), b: jt.zeros([3]) };
    const state = quad.init(params);
    const [, next] = quad.update({ w: jt.ones([2, 3]), b: jt.ones([3]) }, state, params);
    for (const s of [state, next]) {
      const leaves = jt.tree.leaves(s);
      expect(leaves.every((l) => l instanceof jt.Array)).toBe(true);
      // Structure is stable across steps, so states can be checkpointed and restored.
      expect(jt.tree.equalStructure(state, next)).toBe(true);
    }
  });
});

/** One update on plain numbers: returns the updates' data. */
function step(opt: optim.GradientTransformation, params: number[], grads: number[][]): number[][] {
  let p = jt.array(params, { dtype: 'float64' });
  let state = opt.init(p);
  const out: number[][] = [];
  for (const g of grads) {
    const [u, s] = opt.update(jt.array(g, { dtype: 'float64' }), state, p);
    out.push([...u.data()]);
    p = optim.applyUpdates(p, u);
    state = s;
  }
  return out;
}

function expectClose(got: readonly number[], want: readonly number[], tol = 1e-10): void {
  want.forEach((w, i) => {
    expect(got[i]!).toBeCloseTo(w, -Math.log10(tol));
  });
}

describe('one step matches the reference formula', () => {
  it('sgd: -lr * g', () => {
    expectClose(step(optim.sgd({ learningRate: 0.1 }), [1, 2], [[0.5, -1]])[0]!, [-0.05, 0.1]);
  });

  it('sgd momentum: trace = g + mu * trace', () => {
    const [u1, u2] = step(optim.sgd({ learningRate: 0.1, momentum: 0.9 }), [0], [[1], [1]]);
    expectClose(u1!, [-0.1]);
    expectClose(u2!, [-0.19]);
  });

  it('sgd nesterov: look-ahead g + mu * trace', () => {
    const [u1, u2] = step(
      optim.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
      [0],
      [[1], [1]],
    );
    expectClose(u1!, [-0.19]); // 1 + 0.9 * 1
    expectClose(u2!, [-0.271]); // trace 1.9; 1 + 0.9 * 1.9
  });

  it('adam: bias-corrected moments (two steps, hand values)', () => {
    const [u1, u2] = step(optim.adam({ learningRate: 0.1 }), [0], [[1], [2]]);
    expectClose(u1!, [-0.1 * (1 / (1 + 1e-8))]);
    // m2 = 0.9*0.1 + 0.1*2 = 0.29, v2 = 0.999*0.001 + 0.001*4 = 0.004999
    const mHat = 0.29 / (1 - 0.9 ** 2);
    const vHat = 0.004999 / (1 - 0.999 ** 2);
    expectClose(u2!, [(-0.1 * mHat) / (Math.sqrt(vHat) + 1e-8)]);
    expect(u2![0]!).toBeCloseTo(-0.0965185, 6);
  });

  it('adam: epsRoot goes inside the root', () => {
    const [u] = step(optim.adam({ learningRate: 1, eps: 0, epsRoot: 3 }), [0], [[1]]);
    expectClose(u!, [-1 / Math.sqrt(1 + 3)]);
  });

  it('adamw: decay is decoupled from the adaptive step', () => {
    const [u] = step(optim.adamw({ learningRate: 0.1, weightDecay: 0.01 }), [2], [[0.5]]);
    expectClose(u!, [-0.1 * (0.5 / (0.5 + 1e-8) + 0.01 * 2)]);
    expect(u![0]!).toBeCloseTo(-0.102, 8);
  });

  it('adamw: mask excludes leaves from decay', () => {
    const opt = optim.adamw({ learningRate: 0.1, weightDecay: 0.5, mask: { w: true, b: false } });
    const params = { w: jt.array([2]), b: jt.array([2]) };
    const grads = { w: jt.array([1]), b: jt.array([1]) };
    const [u] = opt.update(grads, opt.init(params), params);
    expect(u.w.item()).toBeCloseTo(-0.1 * (1 + 0.5 * 2), 5);
    expect(u.b.item()).toBeCloseTo(-0.1, 5);
  });

  it('nadam: Nesterov look-ahead on the first moment', () => {
    const b1 = 0.9;
    const [u1] = step(optim.nadam({ learningRate: 0.1 }), [0], [[2]]);
    // m1 = (1-b1) g; m̂ = b1 m1 / (1 - b1²) + (1-b1) g / (1 - b1); v̂ = g².
    const mHat = (b1 * (1 - b1) * 2) / (1 - b1 ** 2) + 2;
    expectClose(u1!, [(-0.1 * mHat) / (2 + 1e-8)]);
  });

  it('adamax: infinity norm', () => {
    const [u1, u2] = step(optim.adamax({ learningRate: 0.1 }), [0], [[2], [-1]]);
    expectClose(u1!, [(-0.1 * 2) / (2 + 1e-8)]);
    const m2 = 0.9 * 0.2 + 0.1 * -1;
    const n2 = Math.max(0.999 * (2 + 1e-8), 1 + 1e-8);
    expectClose(u2!, [(-0.1 * (m2 / (1 - 0.81))) / n2]);
  });

  it('adagrad: g / sqrt(accumulator)', () => {
    const [u1, u2] = step(optim.adagrad({ learningRate: 0.1 }), [0], [[1], [2]]);
    expectClose(u1!, [-0.1 / Math.sqrt(1.1 + 1e-7)]);
    expectClose(u2!, [(-0.1 * 2) / Math.sqrt(5.1 + 1e-7)]);
  });

  it('rmsprop: g / sqrt(E[g²] + eps)', () => {
    const [u1] = step(optim.rmsprop({ learningRate: 0.1 }), [0], [[2]]);
    expectClose(u1!, [(-0.1 * 2) / Math.sqrt(0.1 * 4 + 1e-8)]);
    const [c1] = step(optim.rmsprop({ learningRate: 0.1, centered: true }), [0], [[2]]);
    expectClose(c1!, [(-0.1 * 2) / Math.sqrt(0.1 * 4 - 0.2 ** 2 + 1e-8)]);
  });

  it('lion: sign of the interpolated momentum plus decoupled decay', () => {
    const [u1, u2] = step(optim.lion({ learningRate: 0.1, weightDecay: 0.1 }), [1], [[3], [-0.1]]);
    expectClose(u1!, [-0.1 * (1 + 0.1 * 1)]);
    // p = 0.89, m = 0.01 * 3 = 0.03; direction sign(0.9 * 0.03 + 0.1 * -0.1) = sign(0.017) = 1
    expectClose(u2!, [-0.1 * (1 + 0.1 * 0.89)]);
  });

  it('lamb: trust ratio ‖p‖ / ‖update‖ per leaf', () => {
    const [u] = step(optim.lamb({ learningRate: 0.1 }), [3, 4], [[1, -1]]);
    const adamDir = [1 / (1 + 1e-6), -1 / (1 + 1e-6)];
    const ratio = 5 / Math.hypot(adamDir[0]!, adamDir[1]!);
    expectClose(u!, [-0.1 * ratio * adamDir[0]!, -0.1 * ratio * adamDir[1]!]);
  });

  it('schedules as learning rates are evaluated at the update count', () => {
    const lr = optim.piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: { 1: 0.5 } });
    const [u1, u2] = step(optim.sgd({ learningRate: lr }), [0], [[1], [1]]);
    expectClose(u1!, [-1]);
    expectClose(u2!, [-0.5]);
    const [f1, f2] = step(optim.sgd({ learningRate: (s: number) => 1 / (s + 1) }), [0], [[1], [1]]);
    expectClose(f1!, [-1]);
    expectClose(f2!, [-0.5]);
  });

  it('keeps float32 parameters float32', () => {
    const p = { w: jt.ones([4]) };
    const opt = optim.adam({ learningRate: 0.1 });
    const [u] = opt.update({ w: jt.ones([4]) }, opt.init(p), p);
    expect(u.w.dtype).toBe('float32');
    expect(optim.applyUpdates(p, u).w.dtype).toBe('float32');
  });
});
