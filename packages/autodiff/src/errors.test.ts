import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { describe, expect, test } from 'vitest';
import { grad, jvp, linearize, valueAndGrad, vjp, vmap } from './index';
import { f64 } from './test-utils';

/** Runs `fn` and returns the error it throws (failing if it does not). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

const expectError = (
  fn: () => unknown,
  type: abstract new (...a: never[]) => Error,
  message: RegExp,
) => {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(type);
  expect(e.message).toMatch(message);
};

describe('grad: bad input', () => {
  test('a non-scalar output names grad, the dtype and the shape', () => {
    expectError(
      () => grad((x: jt.Array) => jt.sin(x))(f64([1, 2])),
      jt.TraceError,
      /^grad: f must return a float scalar, got float64\[2\]/,
    );
  });

  test('an integer output', () => {
    expectError(
      () => grad((x: jt.Array) => jt.argmax(x))(f64([1, 2])),
      jt.TraceError,
      /grad: f must return a float scalar, got int32\[\]/,
    );
  });

  test('a list output without hasAux is an error, not a zero gradient', () => {
    expectError(
      () => grad((x: jt.Array) => [jt.sum(x), x])(f64([1, 2])),
      jt.TraceError,
      /grad: f must return a float scalar, got a list of 2 \(use hasAux/,
    );
  });

  test('integer inputs name the argument and the pytree path', () => {
    expectError(
      () => grad((x: jt.Array) => jt.sum(x))(jt.array([1, 2], { dtype: 'int32' })),
      jt.DTypeError,
      /^grad: argument 0 has dtype int32/,
    );
    const p = { a: f64(1), b: jt.array([1], { dtype: 'int32' }) };
    expectError(
      () => grad((q: typeof p) => jt.sum(q.a))(p),
      jt.DTypeError,
      /grad: argument 0 at 'b' has dtype int32/,
    );
    expectError(
      () =>
        grad((x: jt.Array, n: jt.Array) => jt.mul(x, n), { argnums: 1 })(
          f64(1),
          jt.array(2, { dtype: 'int32' }),
        ),
      jt.DTypeError,
      /argument 1/,
    );
    // An integer argument outside argnums is fine.
    expect(
      Number(
        grad((x: jt.Array, n: jt.Array) => jt.mul(x, n))(
          f64(1),
          jt.array(2, { dtype: 'int32' }),
        ).item(),
      ),
    ).toBe(2);
  });

  test('argnums out of range or not an integer', () => {
    expectError(
      () => grad((x: jt.Array) => x, { argnums: 2 })(f64(1)),
      jt.TraceError,
      /grad: argnums 2 is out of range for a function called with 1 argument/,
    );
    expectError(
      () => grad((x: jt.Array, y: jt.Array) => jt.mul(x, y), { argnums: [0, -3] })(f64(1), f64(2)),
      jt.TraceError,
      /argnums -3/,
    );
    expectError(
      () => grad((x: jt.Array) => x, { argnums: 0.5 })(f64(1)),
      jt.TraceError,
      /argnums 0.5/,
    );
    // Negative argnums count from the end, as in JAX.
    expect(
      Number(
        grad((x: jt.Array, y: jt.Array) => jt.mul(x, y), { argnums: -1 })(f64(2), f64(3)).item(),
      ),
    ).toBe(2);
  });

  test('hasAux misuse', () => {
    expectError(
      () => grad((x: jt.Array) => jt.sum(x), { hasAux: true })(f64([1])),
      jt.TraceError,
      /grad: with hasAux, f must return \[value, aux\], got an array \[\]/,
    );
    expectError(
      () => grad((x: jt.Array) => [jt.sum(x), x, x], { hasAux: true })(f64([1])),
      jt.TraceError,
      /got a list of 3/,
    );
    const [[v, aux], g] = valueAndGrad(
      (x: jt.Array) => [jt.sum(jt.square(x)), { n: jt.sum(x) }] as const,
      { hasAux: true },
    )(f64([1, 2]));
    expect(Number(v.item())).toBe(5);
    // aux comes back as concrete values, not tracers of the finished transform.
    expect(aux.n).not.toBeInstanceOf(jc.Tracer);
    expect(Number(aux.n.item())).toBe(3);
    expect(g.toArray()).toEqual([2, 4]);
  });
});

describe('jvp, vjp and linearize: bad input', () => {
  test('a tangent of the wrong shape, dtype or structure', () => {
    expectError(
      () => jvp(jt.sin, [f64([1, 2])], [f64([1, 2, 3])]),
      jt.ShapeError,
      /jvp: tangent 0 has shape \[3\], its primal has \[2\]/,
    );
    expectError(
      () => jvp(jt.sin, [f64([1, 2])], [jt.array([1, 2])]),
      jt.DTypeError,
      /jvp: tangent 0 has dtype float32, its primal has float64/,
    );
    expectError(
      () => jvp((x: jt.Array, y: jt.Array) => jt.add(x, y), [f64(1), f64(2)], [f64(1)]),
      jt.ShapeError,
      /jvp: tangents must have the same pytree structure/,
    );
  });

  test('a cotangent of the wrong shape', () => {
    const [, back] = vjp(jt.sin, f64([1, 2]));
    expectError(
      () => back(f64([1, 2, 3])),
      jt.ShapeError,
      /vjp: cotangent leaf 0 has shape \[3\], the output has \[2\]/,
    );
  });

  test('integer inputs to vjp and linearize', () => {
    expectError(
      () => vjp(jt.sin, jt.array([1], { dtype: 'int32' })),
      jt.DTypeError,
      /vjp: input leaf 0 has dtype int32/,
    );
    expectError(
      () => linearize(jt.sin, jt.array([1], { dtype: 'int32' })),
      jt.DTypeError,
      /linearize: input leaf 0 has dtype int32/,
    );
  });
});

describe('vmap: bad input', () => {
  test('mapped axes of different sizes name the sizes and the argument', () => {
    expectError(
      () => vmap(jt.add)(f64([1, 2]), f64([1, 2, 3])),
      jt.ShapeError,
      /vmap: mapped axes have different sizes: 2 and 3 \(argument leaf '1'\)/,
    );
    expectError(
      () =>
        vmap((p: { a: jt.Array; b: jt.Array }) => jt.add(p.a, p.b))({
          a: f64([1, 2]),
          b: f64([[1, 2, 3]]),
        }),
      jt.ShapeError,
      /different sizes: 2 and 1 \(argument leaf '0.b'\)/,
    );
  });

  test('an axis out of range names the axis, the leaf and its shape', () => {
    expectError(
      () => vmap(jt.sin, { inAxes: 3 })(f64([1, 2])),
      jt.ShapeError,
      /vmap: axis 3 is out of range for argument leaf '0' of shape \[2\]/,
    );
    expectError(
      () => vmap(jt.sin, { inAxes: 0 })(f64(1)),
      jt.ShapeError,
      /axis 0 is out of range .* shape \[\]/,
    );
    expectError(
      () => vmap(jt.sin, { outAxes: 3 })(f64([1, 2])),
      jt.ShapeError,
      /vmap: outAxes 3 is out of range for output leaf 0 of shape \[2\]/,
    );
  });

  test('inAxes that do not fit the arguments', () => {
    expectError(
      () => vmap(jt.sin, { inAxes: [0, 0] })(f64([1, 2])),
      jt.ValueError,
      /vmap: inAxes has 2 entries for 1 arguments/,
    );
    expectError(
      () => vmap(jt.sin, { inAxes: [null] })(f64([1, 2])),
      jt.ValueError,
      /at least one argument must be mapped/,
    );
    expectError(
      () => vmap((p: jt.Array[]) => p[0]!, { inAxes: [[0, 0, 0]] })([f64([1]), f64([2])]),
      jt.ValueError,
      /inAxes at '0' is a list of 3/,
    );
  });

  test('reading the values of a batched tracer is a TraceError', () => {
    expectError(
      () =>
        vmap((x: jt.Array) => {
          x.data();
          return x;
        })(f64([1, 2])),
      jt.TraceError,
      /cannot read the values of an array traced by BatchTrace \(shape \[\], float64\)/,
    );
    expectError(
      () => vmap((x: jt.Array) => (x.item() ? x : jt.neg(x)))(f64([1, 2])),
      jt.TraceError,
      /cannot read the values/,
    );
  });

  test('values stay readable under grad and jvp (no jit), as in JAX', () => {
    let seen: number[] = [];
    grad((x: jt.Array) => {
      seen = Array.from(x.data() as Float64Array);
      return jt.sum(x);
    })(f64([1, 2]));
    expect(seen).toEqual([1, 2]);
  });
});

describe('leaked tracers', () => {
  test('a tracer stored inside grad and used afterwards is a TraceError', () => {
    let leaked: jt.Array | undefined;
    grad((x: jt.Array) => {
      leaked = x;
      return jt.sum(x);
    })(f64([1, 2]));
    expectError(
      () => jt.add(leaked!, 1),
      jt.TraceError,
      /a tracer escaped the transform that created it/,
    );
  });

  test('leaks out of jvp, vmap and a nested grad', () => {
    let a: jt.Array | undefined;
    jvp(
      (x: jt.Array) => {
        a = jt.sin(x);
        return x;
      },
      [f64(1)],
      [f64(1)],
    );
    expectError(() => jt.mul(a!, 2), jt.TraceError, /escaped/);
    let b: jt.Array | undefined;
    vmap((x: jt.Array) => {
      b = x;
      return x;
    })(f64([1, 2]));
    expectError(() => jt.exp(b!), jt.TraceError, /escaped/);
    let c: jt.Array | undefined;
    expectError(
      () =>
        grad((x: jt.Array) => {
          grad((y: jt.Array) => {
            c = y;
            return y;
          })(x);
          return jt.mul(c!, x);
        })(f64(1)),
      jt.TraceError,
      /escaped/,
    );
  });
});
