import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { restoreInto } from './restore-into';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

const template = {
  dense: { kernel: jt.zeros([2, 3]), bias: jt.zeros([3]) },
  opt: { count: 0, mu: [jt.zeros([2], { dtype: 'float64' })] },
  frozen: false,
};
const saved = {
  dense: { kernel: jt.ones([2, 3]), bias: jt.array([1, 2, 3]) },
  opt: { count: 42, mu: [jt.array([0.5, 0.25], { dtype: 'float64' })] },
  frozen: true,
};
const roundTrip = (tree: unknown) => {
  const bytes = encodeSafetensors(tree);
  if (E.isLeft(bytes)) throw new Error(bytes.left._tag);
  const st = decodeSafetensors(bytes.right);
  if (E.isLeft(st)) throw new Error(st.left._tag);
  return st.right.tensors;
};

describe('restoreInto', () => {
  it('rebuilds the template structure from a checkpoint, numbers and booleans included', () => {
    const r = restoreInto(template, roundTrip(saved));
    if (E.isLeft(r)) throw new Error(r.left._tag);
    expect(r.right.dense.bias.toArray()).toEqual([1, 2, 3]);
    expect(r.right.opt.count).toBe(42);
    expect(r.right.frozen).toBe(true);
    expect(r.right.opt.mu[0]!.dtype).toBe('float64');
    expect(jt.tree.structure(r.right)).toEqual(jt.tree.structure(template));
  });

  it('rejects missing, extra, mistyped and misshapen tensors', () => {
    const tensors = roundTrip(saved);
    const { 'dense.bias': _, ...withoutBias } = tensors;
    expect(restoreInto(template, withoutBias)).toEqual(
      E.left({ _tag: 'MissingTensor', key: 'dense.bias' }),
    );
    expect(restoreInto(template, { ...tensors, extra: jt.zeros([1]) })).toEqual(
      E.left({ _tag: 'UnexpectedTensor', key: 'extra' }),
    );
    expect(
      E.isRight(restoreInto(template, { ...tensors, extra: jt.zeros([1]) }, { strict: false })),
    ).toBe(true);
    expect(
      restoreInto(template, { ...tensors, 'dense.bias': jt.zeros([3], { dtype: 'int32' }) }),
    ).toEqual(
      E.left({ _tag: 'DTypeMismatch', key: 'dense.bias', expected: 'float32', actual: 'int32' }),
    );
    expect(restoreInto(template, { ...tensors, 'dense.kernel': jt.zeros([3, 2]) })).toEqual(
      E.left({ _tag: 'ShapeMismatch', key: 'dense.kernel', expected: [2, 3], actual: [3, 2] }),
    );
    expect(restoreInto(template, { ...tensors, 'opt.count': jt.zeros([2]) })._tag).toBe('Left');
    expect(restoreInto(template, { ...tensors, frozen: jt.array(1) })._tag).toBe('Left');
  });
});
