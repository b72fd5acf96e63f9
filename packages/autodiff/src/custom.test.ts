import * as jt from '@jute/tensor';
import { describe, expect, test } from 'vitest';
import {
  checkGrads,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jvp,
  linearize,
  valueAndGrad,
  vmap,
} from './index';
import { expectBatchingMatchesLoop, expectClose, f64, randn } from './test-utils';

describe('customJvp', () => {
  // Differentiating log1p(exp(x)) directly gives inf/inf = NaN for large x; the rule gives sigmoid(x).
  const log1pexp = customJvp(
    (x: jt.Array) => jt.log1p(jt.exp(x)),
    ([x]: [jt.Array], [t]: [jt.Array]) =>
      [jt.softplus(x), jt.mul(t, jt.sigmoid(x))] as [jt.Array, jt.Array],
  );
  const naive = (x: jt.Array) => jt.log1p(jt.exp(x));
  const big = f64([1000, 50, -1000]);

  test('the tangent comes from the rule (finite where differentiating f gives NaN)', () => {
    expect(Number.isNaN(Number(grad((x: jt.Array) => jt.sum(naive(x)))(big).data()[0]))).toBe(true);
    const [y, t] = jvp(log1pexp, [big], [f64([1, 1, 1])]);
    expectClose(y, f64([1000, 50, 0]), 1e-12);
    expectClose(t, jt.sigmoid(big), 1e-12);
    expectClose(grad((x: jt.Array) => jt.sum(log1pexp(x)))(big), f64([1, 1, 0]), 1e-12);
  });

  test('a rule that differs from the true derivative is what every transform uses', () => {
    // Twice the true derivative, so a bypassed rule shows.
    const twice = customJvp(
      (x: jt.Array) => jt.sin(x),
      ([x]: [jt.Array], [t]: [jt.Array]) =>
        [jt.sin(x), jt.mul(jt.mul(t, jt.cos(x)), 2)] as [jt.Array, jt.Array],
    );
    const x = randn(1, [4]);
    const want = jt.mul(jt.cos(x), 2);
    const g = grad((a: jt.Array) => jt.sum(twice(a)));
    expectClose(g(x), want, 1e-12);
    expectClose(vmap(grad(twice))(x), want, 1e-12);
    expectClose(grad((a: jt.Array) => jt.sum(vmap(twice)(a)))(x), want, 1e-12);
    expectClose(
      grad((a: jt.Array) => jt.sum(vmap(vmap(twice))(jt.reshape(a, [2, 2]))))(x),
      want,
      1e-12,
    );
    expectClose(linearize(twice, x)[1](jt.onesLike(x)), want, 1e-12);
    expectClose(jacfwd(twice)(x), jt.mul(jt.eye(4, 4, { dtype: 'float64' }), want), 1e-12);
    // Second order differentiates the rule: d/dx 2cos(x) = -2 sin(x).
    expectClose(vmap(grad(grad(twice)))(x), jt.mul(jt.sin(x), -2), 1e-12);
  });

  test('checkGrads agrees with the rule where the rule is correct, and batching matches a loop', () => {
    const x = randn(2, [3]);
    checkGrads(log1pexp, [x], { order: 2 });
    expectBatchingMatchesLoop(
      grad((a: jt.Array) => jt.sum(log1pexp(a))),
      [randn(3, [3, 2])],
      [1],
      2,
    );
  });

  test('pytree arguments and several outputs', () => {
    const f = customJvp(
      (p: { a: jt.Array; b: jt.Array }) => [jt.mul(p.a, p.b), jt.add(p.a, p.b)],
      ([p]: [{ a: jt.Array; b: jt.Array }], [t]: [{ a: jt.Array; b: jt.Array }]) =>
        [
          [jt.mul(p.a, p.b), jt.add(p.a, p.b)],
          [jt.add(jt.mul(t.a, p.b), jt.mul(p.a, t.b)), jt.add(t.a, t.b)],
        ] as [jt.Array[], jt.Array[]],
    );
    checkGrads((a: jt.Array, b: jt.Array) => f({ a, b }), [randn(1, [2]), randn(2, [2])]);
  });
});

describe('customVjp', () => {
  const clipGrad = customVjp(
    (x: jt.Array) => x,
    (x: jt.Array) => [x, null] as [jt.Array, null],
    (_r: null, g: jt.Array) => [jt.clip(g, -1, 1)],
  );

  test('clips the gradient flowing through it, inside a graph', () => {
    const w = f64([0.5, -2, 3]);
    const loss = (v: jt.Array) => jt.sum(jt.square(jt.mul(clipGrad(jt.mul(v, 4)), 3)));
    // d loss / d(clip input) = 18·(4v), clipped to [-1, 1], then times 4.
    expectClose(grad(loss)(w), f64([4, -4, 4]), 1e-12);
    const unclipped = (v: jt.Array) => jt.sum(jt.square(jt.mul(jt.mul(v, 4), 3)));
    expectClose(valueAndGrad(loss)(w)[0], unclipped(w), 1e-12);
    // Small gradients pass unchanged.
    const small = f64([1e-3, -1e-3]);
    expectClose(grad(loss)(small), grad(unclipped)(small), 1e-12);
  });

  test('the rule is used under vmap in either order and in higher-order reverse mode', () => {
    const f = (x: jt.Array) => jt.mul(clipGrad(x), 5);
    const x = f64([1, -2, 3]);
    const want = f64([1, 1, 1]); // the cotangent 5 is clipped to 1
    expectClose(vmap(grad(f))(x), want);
    expectClose(grad((a: jt.Array) => jt.sum(vmap(f)(a)))(x), want);
    // Residuals that are traced values: a customVjp sine, differentiated twice.
    const sin = customVjp(
      (a: jt.Array) => jt.sin(a),
      (a: jt.Array) => [jt.sin(a), a] as [jt.Array, jt.Array],
      (a: jt.Array, g: jt.Array) => [jt.mul(g, jt.cos(a))],
    );
    expectClose(grad(grad(sin))(f64(0.7)), jt.neg(jt.sin(f64(0.7))), 1e-12);
    expectClose(vmap(grad(grad(sin)))(x), jt.neg(jt.sin(x)), 1e-12);
    expectClose(grad((a: jt.Array) => jt.sum(vmap(sin)(a)))(x), jt.cos(x), 1e-12);
    expectClose(
      hessian((a: jt.Array) => jt.sum(sin(a)))(x),
      jt.mul(jt.eye(3, 3, { dtype: 'float64' }), jt.neg(jt.sin(x))),
      1e-12,
    );
  });

  test('a shared (unbatched) input gets the batch sum of its cotangents', () => {
    const scale = customVjp(
      (w: jt.Array, x: jt.Array) => jt.mul(w, x),
      (w: jt.Array, x: jt.Array) => [jt.mul(w, x), [w, x]] as [jt.Array, jt.Array[]],
      ([w, x]: jt.Array[], g: jt.Array) => [jt.mul(g, x!), jt.mul(g, w!)],
    );
    const w = f64(1.5);
    const xs = f64([1, 2, 3]);
    const gw = grad((v: jt.Array) => jt.sum(vmap((x: jt.Array) => scale(v, x))(xs)))(w);
    expectClose(gw, f64(6), 1e-12);
  });

  test('forward mode through a customVjp function fails with a clear TraceError', () => {
    expect(() => jvp(clipGrad, [f64(1)], [f64(1)])).toThrow(jt.TraceError);
    expect(() => jvp(clipGrad, [f64(1)], [f64(1)])).toThrow(
      /customVjp: forward-mode differentiation/,
    );
    expect(() => jacfwd(clipGrad)(f64([1, 2]))).toThrow(/customVjp/);
  });
});

describe('checkpoint', () => {
  const block = (w: jt.Array, x: jt.Array) => jt.tanh(jt.matmul(jt.sin(jt.matmul(x, w)), w));
  const w = jt.mul(randn(1, [3, 3]), 0.5);
  const x = randn(2, [2, 3]);

  test('gives the same value and gradients as without it, and recomputes in the backward pass', () => {
    let calls = 0;
    const counted = (a: jt.Array, b: jt.Array) => {
      calls++;
      return block(a, b);
    };
    const plain = (a: jt.Array, b: jt.Array) => jt.sum(jt.square(block(a, b)));
    const ckpt = (a: jt.Array, b: jt.Array) => jt.sum(jt.square(checkpoint(counted)(a, b)));
    const [v1, g1] = valueAndGrad(plain, { argnums: [0, 1] })(w, x);
    const [v2, g2] = valueAndGrad(ckpt, { argnums: [0, 1] })(w, x);
    expectClose(v2, v1, 1e-12);
    expectClose(g2, g1, 1e-12);
    expect(calls).toBe(2);
  });

  test('agrees under jvp, second order, vmap(grad) and grad(vmap)', () => {
    const plain = (a: jt.Array) => jt.sum(block(a, x));
    const ckpt = (a: jt.Array) => jt.sum(checkpoint(block)(a, x));
    const v = randn(3, [3, 3]);
    expectClose(jvp(ckpt, [w], [v]), jvp(plain, [w], [v]), 1e-12);
    expectClose(jvp(grad(ckpt), [w], [v])[1], jvp(grad(plain), [w], [v])[1], 1e-12);
    const xs = randn(4, [4, 2, 3]);
    const per = (f: typeof block) =>
      vmap(
        grad((a: jt.Array, b: jt.Array) => jt.sum(f(a, b))),
        { inAxes: [null, 0] },
      )(w, xs);
    expectClose(per(checkpoint(block)), per(block), 1e-12);
    const tot = (f: typeof block) =>
      grad((a: jt.Array) => jt.sum(vmap((b: jt.Array) => f(a, b))(xs)))(w);
    expectClose(tot(checkpoint(block)), tot(block), 1e-12);
    checkGrads((a: jt.Array, b: jt.Array) => checkpoint(block)(a, b), [w, x], { order: 2 });
  });
});
