import type { Array } from '../core/array';
import { promoteTypes } from '../core/dtype';
import { fmtShape, ShapeError, ValueError } from '../core/errors';
import { broadcastShapes } from '../core/shape';
import { bind1 } from '../core/trace';
import { type ArrayLike, asArray } from './creation';
import { broadcastTo, cast, mul } from './elementwise';
import { sum } from './reduce';
import { expandDims, ravel, squeeze, transpose } from './structural';

function promotePair(a: Array, b: Array): [Array, Array] {
  let dt = promoteTypes(a.dtype, b.dtype);
  if (dt === 'bool') dt = 'int32';
  return [cast(a, dt), cast(b, dt)];
}

/**
 * Matrix product with NumPy semantics: 1-D operands are vectors, leading axes broadcast
 * as batch axes.
 * @example jt.matmul(jt.ones([8, 2, 3]), jt.ones([3, 4])) // [8,2,4]
 */
export function matmul(a: ArrayLike, b: ArrayLike): Array {
  let [x, y] = promotePair(asArray(a), asArray(b));
  if (x.ndim === 0 || y.ndim === 0)
    throw new ShapeError('matmul: operands must be at least 1-D (use mul for scalars)');
  const vecL = x.ndim === 1;
  const vecR = y.ndim === 1;
  if (vecL) x = expandDims(x, 0);
  if (vecR) y = expandDims(y, 1);
  const k = x.shape[x.ndim - 1]!;
  if (k !== y.shape[y.ndim - 2]) {
    throw new ShapeError(
      `matmul: contracting dimensions differ: ${fmtShape(asArray(a).shape)} @ ${fmtShape(asArray(b).shape)}`,
    );
  }
  const xb = x.shape.slice(0, -2);
  const yb = y.shape.slice(0, -2);
  // Checked here so the message names the operands' full shapes, not just their batch parts.
  const fits = xb.every((d, i) => {
    const e = yb[yb.length - xb.length + i] ?? 1;
    return d === e || d === 1 || e === 1;
  });
  if (!fits) {
    throw new ShapeError(
      `matmul: batch dimensions do not broadcast: ${fmtShape(asArray(a).shape)} @ ${fmtShape(asArray(b).shape)}`,
    );
  }
  let out: Array;
  if (yb.length === 0) {
    // A matrix on the right (a dense layer): contract straight over x's last axis. Its
    // leading axes are free axes of one product, not a batch the matrix is copied into.
    out = bind1('dot_general', [x, y], { contract: [[x.ndim - 1], [0]], batch: [[], []] });
  } else {
    const batch = broadcastShapes('matmul', xb, yb);
    x = broadcastTo(x, [...batch, ...x.shape.slice(-2)]);
    y = broadcastTo(y, [...batch, ...y.shape.slice(-2)]);
    const bd = [...batch.keys()];
    const nb = batch.length;
    out = bind1('dot_general', [x, y], { contract: [[nb + 1], [nb]], batch: [bd, bd] });
  }
  if (vecR) out = squeeze(out, -1);
  if (vecL) out = squeeze(out, vecR ? -1 : -2);
  return out;
}

/**
 * Dot product: inner product of vectors, matrix product for 2-D, and for N-D a sum
 * over the last axis of `a` and the second-to-last of `b`.
 * @example jt.dot(u, v)
 */
export function dot(a: ArrayLike, b: ArrayLike): Array {
  const [x, y] = promotePair(asArray(a), asArray(b));
  if (x.ndim === 0 || y.ndim === 0) return mul(x, y);
  if (x.ndim <= 2 && y.ndim <= 2) return matmul(x, y);
  const ca = x.ndim - 1;
  const cb = Math.max(0, y.ndim - 2);
  if (x.shape[ca] !== y.shape[cb])
    throw new ShapeError(
      `dot: contracting dimensions differ: ${fmtShape(x.shape)} . ${fmtShape(y.shape)}`,
    );
  return bind1('dot_general', [x, y], { contract: [[ca], [cb]], batch: [[], []] });
}

/** Outer product of two vectors (inputs are flattened). @example jt.outer(u, v) */
export const outer = (a: ArrayLike, b: ArrayLike): Array =>
  mul(expandDims(ravel(a), 1), expandDims(ravel(b), 0));

function parseEinsum(spec: string, count: number): [string[], string] {
  const clean = spec.replace(/\s+/g, '');
  const [lhs, rhs] = clean.split('->') as [string, string | undefined];
  const inputs = lhs.split(',');
  if (inputs.length !== count)
    throw new ValueError(`einsum: '${spec}' names ${inputs.length} operands, got ${count}`);
  for (const s of [...inputs, rhs ?? '']) {
    if (!/^[a-zA-Z]*$/.test(s))
      throw new ValueError(`einsum: only letter subscripts are supported, got '${spec}'`);
  }
  const output =
    rhs ??
    [...new Set(inputs.join(''))]
      .filter((c) => inputs.join('').split(c).length === 2)
      .sort()
      .join('');
  // Output subscripts must come from the inputs and appear once (otherwise the final
  // transpose used to fail with a confusing transpose error).
  const all = inputs.join('');
  for (const c of output) {
    if (!all.includes(c))
      throw new ValueError(
        `einsum: output subscript '${c}' does not appear in the inputs of '${spec}'`,
      );
  }
  if (new Set(output).size !== output.length)
    throw new ValueError(`einsum: repeated output subscript in '${spec}'`);
  return [inputs, output];
}

/**
 * Einstein summation over one or two operands (`'ij,jk->ik'`, `'bij,bjk->bik'`, `'ii->'`
 * is not supported: no repeated subscripts within one operand).
 * @example jt.einsum('bi,ij->bj', x, w)
 */
export function einsum(spec: string, ...operands: ArrayLike[]): Array {
  if (operands.length < 1 || operands.length > 2)
    throw new ValueError('einsum: supports one or two operands');
  const [inputs, output] = parseEinsum(spec, operands.length);
  const arrays = operands.map((o) => asArray(o));
  arrays.forEach((arr, i) => {
    const sub = inputs[i]!;
    if (sub.length !== arr.ndim)
      throw new ShapeError(
        `einsum: '${sub}' has ${sub.length} subscripts for ${fmtShape(arr.shape)}`,
      );
    if (new Set(sub).size !== sub.length)
      throw new ValueError(`einsum: repeated subscript in '${sub}' is not supported`);
  });
  // Sum out labels that appear in one operand only and not in the output.
  const reduced = arrays.map((arr, i) => {
    const sub = inputs[i]!;
    const others = inputs.filter((_, j) => j !== i).join('') + output;
    const axes = [...sub].flatMap((c, ax) => (others.includes(c) ? [] : [ax]));
    return [
      axes.length ? sum(arr, { axis: axes }) : arr,
      [...sub].filter((c) => others.includes(c)).join(''),
    ] as const;
  });
  if (reduced.length === 1) {
    const [x, sub] = reduced[0]!;
    return transpose(
      x,
      [...output].map((c) => sub.indexOf(c)),
    );
  }
  let [[x, sx], [y, sy]] = reduced as [readonly [Array, string], readonly [Array, string]];
  [x, y] = promotePair(x, y);
  for (const c of sx) {
    if (sy.includes(c) && x.shape[sx.indexOf(c)] !== y.shape[sy.indexOf(c)]) {
      throw new ShapeError(
        `einsum: subscript '${c}' has sizes ${x.shape[sx.indexOf(c)]} and ${y.shape[sy.indexOf(c)]}`,
      );
    }
  }
  const batchL = [...sx].filter((c) => sy.includes(c) && output.includes(c));
  const contractL = [...sx].filter((c) => sy.includes(c) && !output.includes(c));
  const out = bind1('dot_general', [x, y], {
    contract: [contractL.map((c) => sx.indexOf(c)), contractL.map((c) => sy.indexOf(c))],
    batch: [batchL.map((c) => sx.indexOf(c)), batchL.map((c) => sy.indexOf(c))],
  });
  const produced = [
    ...batchL,
    ...[...sx].filter((c) => !sy.includes(c)),
    ...[...sy].filter((c) => !sx.includes(c)),
  ].join('');
  return transpose(
    out,
    [...output].map((c) => produced.indexOf(c)),
  );
}
