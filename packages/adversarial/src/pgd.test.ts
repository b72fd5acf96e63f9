import * as losses from '@jute/losses';
import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import type { Norm } from './attack';
import { fgsm } from './fgsm';
import { type Linear, labels, linear, mlp, randomMlp } from './internal/test-models';
import { pgd } from './pgd';

const rows = (a: jt.Array): number[][] => {
  const n = a.shape[0]!;
  const d = a.size / n;
  const v = Array.from(a.data());
  return [...Array(n).keys()].map((i) => v.slice(i * d, (i + 1) * d));
};

const expectClose = (got: jt.Array, want: readonly number[], tol = 1e-6) => {
  const g = Array.from(got.data());
  expect(g.length).toBe(want.length);
  g.forEach((v, i) => {
    if (!(Math.abs(v - want[i]!) <= tol)) throw new Error(`index ${i}: got ${v}, want ${want[i]}`);
  });
};

const perExampleLoss = (logits: jt.Array, y: jt.Array) =>
  Array.from(losses.sparseSoftmaxCrossEntropy(logits, y).data());

describe('the threat model', () => {
  // Images [batch, 4, 4, 1], so the per-example norms run over three axes.
  const x = jt.random.uniform(jt.random.key(1), [6, 4, 4, 1]);
  const y = labels([0, 1, 2, 0, 1, 2]);
  const params = randomMlp(2, 16, 3);
  const cases: [Norm, number, boolean][] = [
    ['linf', 0.1, false],
    ['linf', 0.3, true],
    ['l2', 0.5, false],
    ['l2', 2, true],
  ];

  it.each(cases)(
    '%s ε=%d (targeted %s): never leaves the ε-ball or [0, 1]',
    (norm, eps, targeted) => {
      const attacks = [
        pgd(mlp, { eps, norm, targeted, steps: 5, stepSize: eps / 2 }),
        pgd(mlp, { eps, norm, targeted, steps: 3, stepSize: eps, randomStart: false }),
        fgsm(mlp, { eps, norm, targeted }),
      ];
      for (const attack of attacks) {
        const xAdv = attack(params, x, y, jt.random.key(3));
        expect(xAdv.shape).toEqual(x.shape);
        const x0 = rows(x);
        rows(xAdv).forEach((r, i) => {
          const delta = r.map((v, j) => v - x0[i]![j]!);
          const size =
            norm === 'linf'
              ? Math.max(...delta.map(Math.abs))
              : Math.sqrt(delta.reduce((s, d) => s + d * d, 0));
          expect(size).toBeLessThanOrEqual(eps * (1 + 1e-5) + 1e-6);
          for (const v of r) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        });
      }
    },
  );

  it('moves inputs that sit on the range boundary only inwards', () => {
    const edge = jt.array([
      [0, 1, 0, 1],
      [1, 1, 0, 0],
    ]);
    const p = randomMlp(4, 4, 2);
    const xAdv = pgd(mlp, { eps: 0.2, steps: 4, stepSize: 0.1 })(
      p,
      edge,
      labels([0, 1]),
      jt.random.key(5),
    );
    for (const v of xAdv.data()) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('leaves inputs unbounded with range: null', () => {
    const w = jt.array([[1], [1]]);
    const p: Linear = { w: jt.concatenate([jt.neg(w), w], 1), b: jt.zeros([2]) };
    const xAdv = fgsm(linear, { eps: 0.5, range: null })(p, jt.array([[1, 1]]), labels([0]));
    expectClose(xAdv, [1.5, 1.5]);
  });
});

describe('fgsm', () => {
  it('equals one PGD step from x with step size ε', () => {
    const x = jt.random.uniform(jt.random.key(7), [5, 6]);
    const y = labels([0, 1, 2, 1, 0]);
    const params = randomMlp(8, 6, 3);
    for (const norm of ['linf', 'l2'] as const) {
      const eps = norm === 'linf' ? 0.05 : 0.4;
      const a = fgsm(mlp, { eps, norm })(params, x, y);
      const b = pgd(mlp, { eps, norm, steps: 1, stepSize: eps, randomStart: false })(params, x, y);
      expect(Array.from(a.data())).toEqual(Array.from(b.data()));
      expect(Array.from(a.data())).not.toEqual(Array.from(x.data()));
    }
  });
});

describe('attacks raise the loss', () => {
  const x = jt.random.uniform(jt.random.key(11), [8, 6]);
  const y = labels([0, 1, 2, 0, 1, 2, 0, 1]);
  const params = randomMlp(12, 6, 3);
  const before = perExampleLoss(mlp(params, x), y);

  it.each(['linf', 'l2'] as const)('untargeted %s PGD raises every example’s loss', (norm) => {
    const eps = norm === 'linf' ? 0.1 : 0.5;
    const attack = pgd(mlp, { eps, norm, steps: 10, stepSize: eps / 4 });
    const after = perExampleLoss(mlp(params, attack(params, x, y, jt.random.key(13))), y);
    after.forEach((l, i) => {
      expect(l).toBeGreaterThan(before[i]!);
    });
  });

  it('untargeted FGSM raises the loss, and more steps raise it further', () => {
    const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
    const one = perExampleLoss(mlp(params, fgsm(mlp, { eps: 0.1 })(params, x, y)), y);
    const many = pgd(mlp, { eps: 0.1, steps: 20, stepSize: 0.01, randomStart: false });
    const twenty = perExampleLoss(mlp(params, many(params, x, y)), y);
    expect(sum(one)).toBeGreaterThan(sum(before));
    expect(sum(twenty)).toBeGreaterThanOrEqual(sum(one) - 1e-5);
  });

  it('targeted PGD lowers the loss of the target class', () => {
    const target = labels([1, 2, 0, 2, 0, 1, 1, 0]);
    const attack = pgd(mlp, { eps: 0.2, steps: 10, stepSize: 0.05, targeted: true });
    const t0 = perExampleLoss(mlp(params, x), target);
    const t1 = perExampleLoss(mlp(params, attack(params, x, target, jt.random.key(14))), target);
    t1.forEach((l, i) => {
      expect(l).toBeLessThan(t0[i]!);
    });
  });
});

describe('on a linear model the attack is the closed form', () => {
  // Two classes, logits z = x·W: the input gradient of the cross-entropy of class y is
  // p(other)·(w_other − w_y) with p(other) > 0, so it points along w_other − w_y
  // whatever x is. Here w_1 − w_0 = (−3, 2.5, 1).
  const params: Linear = {
    w: jt.array([
      [1, -2],
      [0.5, 3],
      [-1, 0],
    ]),
    b: jt.zeros([2]),
  };
  const x = jt.array([
    [0.5, 0.5, 0.5],
    [0.5, 0.5, 0.5],
  ]);
  const y = labels([0, 1]);

  it('L∞: x + ε·sign(w_other − w_y), for FGSM and for PGD from a random start', () => {
    const want = [0.4, 0.6, 0.6, 0.6, 0.4, 0.4];
    expectClose(fgsm(linear, { eps: 0.1 })(params, x, y), want);
    // Steps of 0.03 in a fixed direction cross the whole ball (width 0.2) in 7 steps.
    const attack = pgd(linear, { eps: 0.1, steps: 10, stepSize: 0.03 });
    expectClose(attack(params, x, y, jt.random.key(0)), want);
  });

  it('L2: x + ε·(w_other − w_y)/‖w_other − w_y‖, for FGSM and PGD', () => {
    const norm = Math.sqrt(9 + 6.25 + 1);
    const u = [-3 / norm, 2.5 / norm, 1 / norm];
    const want = [...u.map((v) => 0.5 + 0.3 * v), ...u.map((v) => 0.5 - 0.3 * v)];
    expectClose(fgsm(linear, { eps: 0.3, norm: 'l2' })(params, x, y), want);
    const attack = pgd(linear, {
      eps: 0.3,
      norm: 'l2',
      steps: 5,
      stepSize: 0.1,
      randomStart: false,
    });
    expectClose(attack(params, x, y), want);
  });

  it('keeps the closed form on a saturated example (p_y = 1 in float32)', () => {
    // A bias of 40 makes class 0 certain: p_1 ≈ e⁻⁴⁰. The direction must still be
    // sign(w_1 − w_0), not sign(w_1), which is what is left if 1 − p_y rounds to 0.
    const saturated: Linear = { w: params.w, b: jt.array([40, 0]) };
    const one = jt.slice(x, [0], [1]);
    expectClose(fgsm(linear, { eps: 0.1 })(saturated, one, labels([0])), [0.4, 0.6, 0.6]);
  });

  it('targeted towards the other class equals untargeted from the true one', () => {
    const untargeted = fgsm(linear, { eps: 0.1 })(params, x, y);
    const targeted = fgsm(linear, { eps: 0.1, targeted: true })(params, x, labels([1, 0]));
    expect(Array.from(targeted.data())).toEqual(Array.from(untargeted.data()));
  });

  it('ε = 0 returns the input', () => {
    expectClose(fgsm(linear, { eps: 0 })(params, x, y), Array.from(x.data()));
  });
});

describe('errors', () => {
  const x = jt.zeros([2, 3]);
  const p: Linear = { w: jt.zeros([3, 2]), b: jt.zeros([2]) };
  it('rejects bad options and batches with typed errors', () => {
    expect(() => pgd(linear, { eps: -1, steps: 1, stepSize: 1 })).toThrow(jt.ValueError);
    expect(() => pgd(linear, { eps: 0.1, steps: 0, stepSize: 1 })).toThrow(/steps/);
    expect(() => pgd(linear, { eps: 0.1, steps: 1, stepSize: 0 })).toThrow(/stepSize/);
    expect(() => fgsm(linear, { eps: 0.1, range: [1, 0] })).toThrow(/fgsm: range/);
    const attack = pgd(linear, { eps: 0.1, steps: 1, stepSize: 0.1 });
    expect(() => attack(p, x, labels([0, 1]))).toThrow(/needs a key/);
    expect(() => attack(p, x, jt.array([0, 1]), jt.random.key(0))).toThrow(jt.DTypeError);
    expect(() => attack(p, x, labels([0, 1, 1]), jt.random.key(0))).toThrow(jt.ShapeError);
  });
});
