import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { formatTuneError, type TuneError } from './errors';
import { type ConfigOf, choice, int, logUniform, type Space, uniform, when } from './space';
import { isActive, validateSpace } from './validate-space';

const errorOf = (space: Space): TuneError => {
  const r = validateSpace(space);
  if (E.isRight(r)) throw new Error('expected the space to be rejected');
  return r.left;
};

describe('validateSpace', () => {
  it('rejects each kind of bad space with a typed error naming the parameter', () => {
    expect(errorOf({ lr: uniform(1, 0) })).toEqual({
      _tag: 'EmptyRange',
      param: 'lr',
      lo: 1,
      hi: 0,
    });
    expect(errorOf({ n: int(10, 2) })).toEqual({ _tag: 'EmptyRange', param: 'n', lo: 10, hi: 2 });
    expect(errorOf({ act: choice([]) })).toEqual({ _tag: 'EmptyChoice', param: 'act' });
    expect(errorOf({ lr: logUniform(0, 1) })).toEqual({
      _tag: 'LogRangeNotPositive',
      param: 'lr',
      lo: 0,
    });
    expect(errorOf({ lr: logUniform(-1, 1) })).toMatchObject({ _tag: 'LogRangeNotPositive' });
    expect(errorOf({ w: int(0, 8, { log: true }) })).toMatchObject({
      _tag: 'LogRangeNotPositive',
      lo: 0,
    });
    expect(errorOf({ x: uniform(0, Number.POSITIVE_INFINITY) })).toMatchObject({
      _tag: 'NonFiniteBound',
    });
    expect(errorOf({ x: uniform(Number.NaN, 1) })).toMatchObject({ _tag: 'NonFiniteBound' });
    expect(errorOf({ n: int(0.5, 3) })).toMatchObject({ _tag: 'NotAnInteger', param: 'n' });
    expect(errorOf({ c: choice(['a', 'b', 'a']) })).toEqual({
      _tag: 'DuplicateChoice',
      param: 'c',
      value: '"a"',
    });
    expect(errorOf({})).toEqual({ _tag: 'EmptySpace' });
  });

  it('rejects conditions on a missing, numeric or impossible parent, and cycles', () => {
    expect(errorOf({ m: when('opt', ['sgd'], uniform(0, 1)) })).toEqual({
      _tag: 'UnknownParent',
      param: 'm',
      parent: 'opt',
    });
    expect(errorOf({ x: uniform(0, 1), m: when('x', [1], uniform(0, 1)) })).toMatchObject({
      _tag: 'BadCondition',
      reason: 'only a choice() parameter can be a parent',
    });
    expect(
      errorOf({ opt: choice(['sgd']), m: when('opt', ['adam'], uniform(0, 1)) }),
    ).toMatchObject({
      _tag: 'BadCondition',
      reason: '"adam" is not one of the parent\'s values',
    });
    expect(errorOf({ opt: choice(['sgd']), m: when('opt', [], uniform(0, 1)) })).toMatchObject({
      _tag: 'BadCondition',
    });
    const cyclic = { a: when('b', [1], choice([1, 2])), b: when('a', [1], choice([1, 2])) };
    expect(errorOf(cyclic)).toMatchObject({
      _tag: 'BadCondition',
      reason: 'the conditions form a cycle',
    });
  });

  it('formats every error on one line', () => {
    expect(formatTuneError(errorOf({ lr: uniform(1, 0) }))).toBe(
      'EmptyRange: lr: empty range, lo 1 > hi 0',
    );
    expect(formatTuneError(errorOf({ lr: logUniform(0, 1) }))).toBe(
      'LogRangeNotPositive: lr: a log-scale range must be above 0, got lo 0',
    );
  });

  it('orders parents before children and fingerprints the space', () => {
    const space = {
      momentum: when('optimizer', ['sgd'], uniform(0, 0.99)),
      nesterov: when('momentumKind', ['nesterov'], choice([true, false])),
      momentumKind: when('optimizer', ['sgd'], choice(['plain', 'nesterov'])),
      optimizer: choice(['sgd', 'adam']),
      lr: logUniform(1e-4, 1e-1),
    };
    const v = validateSpace(space);
    if (E.isLeft(v)) throw new Error(formatTuneError(v.left));
    const pos = (n: string) => v.right.order.indexOf(n);
    expect([...v.right.order].sort()).toEqual(Object.keys(space).sort());
    expect(pos('optimizer')).toBeLessThan(pos('momentum'));
    expect(pos('optimizer')).toBeLessThan(pos('momentumKind'));
    expect(pos('momentumKind')).toBeLessThan(pos('nesterov'));
    // Equal spaces have equal fingerprints; a changed bound changes it.
    const again = validateSpace({ ...space });
    const other = validateSpace({ ...space, lr: logUniform(1e-5, 1e-1) });
    expect(E.isRight(again) && again.right.fingerprint).toBe(v.right.fingerprint);
    expect(E.isRight(other) && other.right.fingerprint).not.toBe(v.right.fingerprint);
  });

  it('activates a conditional parameter only under its parent values', () => {
    const m = when('opt', ['sgd', 'rmsprop'], uniform(0, 1));
    expect(isActive(m, { opt: 'sgd' })).toBe(true);
    expect(isActive(m, { opt: 'rmsprop' })).toBe(true);
    expect(isActive(m, { opt: 'adam' })).toBe(false);
    expect(isActive(m, {})).toBe(false);
    expect(isActive(uniform(0, 1), {})).toBe(true);
  });

  it('types a configuration: literal choices, optional conditional parameters', () => {
    const space = {
      lr: logUniform(1e-4, 1e-1),
      width: int(8, 64),
      opt: choice(['sgd', 'adam']),
      momentum: when('opt', ['sgd'], uniform(0, 1)),
    };
    expectTypeOf<ConfigOf<typeof space>>().toEqualTypeOf<{
      readonly lr: number;
      readonly width: number;
      readonly opt: 'sgd' | 'adam';
      readonly momentum: number | undefined;
    }>();
  });
});
