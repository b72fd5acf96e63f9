import * as jt from '@jute/tensor';
import { describe, expect, test } from 'vitest';
import {
  checkGrads,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  linearize,
  valueAndGrad,
  vjp,
  vmap,
} from './index';
import { expectClose, f64, randn } from './test-utils';

const scalar = (x: jt.Array) => Number(x.item());

describe('higher-order derivatives', () => {
  test('grad(grad(sin)) is -sin and the third derivative is -cos', () => {
    for (const v of [-2, -0.3, 0, 0.7, 3]) {
      const x = f64(v);
      expect(scalar(grad(grad(jt.sin))(x))).toBeCloseTo(-Math.sin(v), 12);
      expect(scalar(grad(grad(grad(jt.sin)))(x))).toBeCloseTo(-Math.cos(v), 12);
    }
  });

  test('fourth derivative of exp(2x) by mixing modes', () => {
    const f = (x: jt.Array) => jt.exp(jt.mul(x, 2));
    const d2 = grad(grad(f));
    const d4 = (x: jt.Array) => jvp(grad(d2), [x], [f64(1)])[1] as jt.Array;
    expect(scalar(d4(f64(0.3)))).toBeCloseTo(16 * Math.exp(0.6), 10);
  });

  test('perturbation confusion: d/dx [x · d/dy (x + y)] = 1', () => {
    for (const v of [-1.5, 0, 2, 10]) {
      const outer = grad((x: jt.Array) => jt.mul(x, grad((y: jt.Array) => jt.add(x, y))(f64(1))));
      expect(scalar(outer(f64(v)))).toBe(1);
      // The same with forward mode inside and outside.
      const fwd = (x: jt.Array) =>
        jvp(
          (xx: jt.Array) =>
            jt.mul(xx, jvp((y: jt.Array) => jt.add(xx, y), [f64(1)], [f64(1)])[1] as jt.Array),
          [x],
          [f64(1)],
        )[1];
      expect(scalar(fwd(f64(v)) as jt.Array)).toBe(1);
    }
  });

  test('perturbation confusion with a closed-over inner variable: d/dx [d/dy (x·y)] = 1', () => {
    const f = (x: jt.Array) => grad((y: jt.Array) => jt.mul(x, y))(f64(3));
    expect(scalar(grad(f)(f64(2)))).toBe(1);
  });

  test('Hessian-vector product by forward-over-reverse equals hessian(f)·v', () => {
    const f = (x: jt.Array) => jt.sum(jt.mul(jt.sin(x), jt.cumsum(jt.square(x))));
    const x = randn(1, [5]);
    const v = randn(2, [5]);
    const hvp = jvp(grad(f), [x], [v])[1] as jt.Array;
    const H = hessian(f)(x);
    expectClose(hvp, jt.matmul(H, v), 1e-10);
    // Symmetric, and reverse-over-reverse gives the same product.
    expectClose(H, jt.transpose(H), 1e-12);
    const rr = grad((y: jt.Array) => jt.sum(jt.mul(grad(f)(y) as jt.Array, v)))(x);
    expectClose(rr, hvp, 1e-10);
  });

  test('checkGrads to order 2 through a small network', () => {
    const f = (w: jt.Array, x: jt.Array) => jt.sum(jt.tanh(jt.matmul(x, w)));
    checkGrads(f, [randn(1, [3, 2]), randn(2, [4, 3])], { order: 2 });
  });

  test('jacfwd equals jacrev on a vector function', () => {
    const f = (x: jt.Array) =>
      jt.concatenate([jt.sin(jt.mul(x, jt.sum(x))), jt.cumsum(jt.exp(x)).slice([1])]);
    const x = randn(3, [4]);
    const jf = jacfwd(f)(x);
    const jr = jacrev(f)(x);
    expect(jf.shape).toEqual([7, 4]);
    expectClose(jf, jr, 1e-12);
    // Column j is the JVP along e_j.
    const e1 = jt.array([0, 1, 0, 0], { dtype: 'float64' });
    expectClose(jt.take(jf, 1, { axis: 1 }), jvp(f, [x], [e1])[1], 1e-12);
  });

  test('linearize equals jvp', () => {
    const f = (x: jt.Array, y: jt.Array) => [jt.mul(jt.sin(x), y), jt.sum(jt.exp(y))];
    const x = randn(4, [3]);
    const y = randn(5, [3]);
    const [out, fLin] = linearize(f, x, y);
    for (const seed of [0, 1]) {
      const tx = randn(seed, [3], 10);
      const ty = randn(seed, [3], 11);
      const [p, t] = jvp(f, [x, y], [tx, ty]);
      expectClose(out, p);
      expectClose(fLin(tx, ty), t, 1e-12);
    }
  });
});

describe('nesting with vmap', () => {
  const loss = (w: jt.Array, x: jt.Array, y: jt.Array) =>
    jt.square(jt.sub(jt.sum(jt.tanh(jt.mul(w, x))), y));

  test('per-example gradients vmap(grad(loss), inAxes [null, 0, 0]) equal a loop', () => {
    const w = randn(1, [3]);
    const xs = randn(2, [5, 3]);
    const ys = randn(3, [5]);
    const got = vmap(grad(loss), { inAxes: [null, 0, 0] })(w, xs, ys);
    const want = jt.stack(
      Array.from(
        { length: 5 },
        (_, i) => grad(loss)(w, jt.take(xs, i), jt.take(ys, i)) as jt.Array,
      ),
    );
    expect(got.shape).toEqual([5, 3]);
    expectClose(got, want, 1e-12);
  });

  test('per-example gradients over a parameter pytree', () => {
    const params = { w: randn(1, [3, 2]), b: randn(2, [2]) };
    const model = (p: typeof params, x: jt.Array) =>
      jt.sum(jt.tanh(jt.add(jt.matmul(x, p.w), p.b)));
    const xs = randn(3, [4, 3]);
    const got = vmap(grad(model), { inAxes: [null, 0] })(params, xs) as {
      w: jt.Array;
      b: jt.Array;
    };
    const rows = Array.from(
      { length: 4 },
      (_, i) => grad(model)(params, jt.take(xs, i)) as { w: jt.Array; b: jt.Array },
    );
    expectClose(got.w, jt.stack(rows.map((r) => r.w)), 1e-12);
    expectClose(got.b, jt.stack(rows.map((r) => r.b)), 1e-12);
  });

  test('grad(vmap(f)) equals the gradient of the summed loop', () => {
    const w = randn(1, [3]);
    const xs = randn(2, [5, 3]);
    const ys = randn(3, [5]);
    const batched = (w2: jt.Array) => jt.sum(vmap(loss, { inAxes: [null, 0, 0] })(w2, xs, ys));
    const looped = (w2: jt.Array) =>
      Array.from({ length: 5 }, (_, i) => loss(w2, jt.take(xs, i), jt.take(ys, i))).reduce((a, b) =>
        jt.add(a, b),
      );
    expectClose(grad(batched)(w), grad(looped)(w), 1e-12);
    expectClose(valueAndGrad(batched)(w)[0], looped(w), 1e-12);
  });

  test('vmap(vmap(f)) maps over two axes', () => {
    const f = (a: jt.Array, b: jt.Array) => jt.sum(jt.mul(jt.sin(a), b));
    const A = randn(1, [2, 3, 4]);
    const b = randn(2, [4]);
    const got = vmap(vmap(f, { inAxes: [0, null] }), { inAxes: [0, null] })(A, b);
    const want = jt.sum(jt.mul(jt.sin(A), b), { axis: -1 });
    expectClose(got, want, 1e-12);
    // Inner axis 1 of the outer slice, outputs at axis 1.
    const At = jt.transpose(A, [0, 2, 1]);
    const got2 = vmap(vmap(f, { inAxes: [1, null] }), { inAxes: [0, null], outAxes: 1 })(At, b);
    expectClose(got2, jt.transpose(want), 1e-12);
  });

  test('vmap over a Jacobian-vector product and jacrev of a vmapped function', () => {
    const f = (x: jt.Array) => jt.mul(jt.sin(x), jt.sum(x));
    const x = randn(1, [3]);
    const V = randn(2, [4, 3]);
    const got = vmap((v: jt.Array) => jvp(f, [x], [v])[1] as jt.Array)(V);
    expectClose(got, jt.matmul(V, jt.transpose(jacfwd(f)(x))), 1e-12);
    const g = (xs: jt.Array) => vmap(f)(xs);
    const X = randn(3, [2, 3]);
    expect(jacrev(g)(X).shape).toEqual([2, 3, 2, 3]);
    expectClose(jacrev(g)(X), jacfwd(g)(X), 1e-12);
  });

  test('vjp pulls back a pytree output', () => {
    const f = (x: jt.Array) => ({ a: jt.sin(x), b: [jt.sum(x)] });
    const x = randn(1, [3]);
    const [, back] = vjp(f, x);
    const [g] = back({ a: jt.onesLike(x), b: [f64(2)] });
    expectClose(g, jt.add(jt.cos(x), 2), 1e-12);
  });
});
