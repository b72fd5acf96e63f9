import * as E from 'fp-ts/lib/Either.js';
import type { TuneError } from './errors';
import type { Param, Primitive, Space } from './space';

/** A space that passed {@link validateSpace}: its parameters, parents before children. */
export interface ValidSpace {
  readonly params: Readonly<Record<string, Param>>;
  /** Parameter names, every condition's parent before the parameter that depends on it. */
  readonly order: readonly string[];
  /** The space as canonical JSON: a journal records it, so a resume can check it. */
  readonly fingerprint: string;
}

const key = (v: Primitive): string => JSON.stringify(v);

function checkParam(name: string, p: Param): TuneError | undefined {
  if (p.kind === 'choice') {
    if (p.values.length === 0) return { _tag: 'EmptyChoice', param: name };
    const seen = new Set<string>();
    for (const v of p.values) {
      if (seen.has(key(v))) return { _tag: 'DuplicateChoice', param: name, value: key(v) };
      seen.add(key(v));
    }
    return undefined;
  }
  const { lo, hi } = p;
  if (
    typeof lo !== 'number' ||
    typeof hi !== 'number' ||
    !Number.isFinite(lo) ||
    !Number.isFinite(hi)
  )
    return { _tag: 'NonFiniteBound', param: name, lo, hi };
  if (p.kind === 'int' && !(Number.isInteger(lo) && Number.isInteger(hi)))
    return { _tag: 'NotAnInteger', param: name, lo, hi };
  if (lo > hi) return { _tag: 'EmptyRange', param: name, lo, hi };
  // A log-scale integer range is cut into bins [k - ½, k + ½], so its lowest bin needs k ≥ 1.
  if (p.log && (p.kind === 'int' ? lo < 1 : lo <= 0))
    return { _tag: 'LogRangeNotPositive', param: name, lo };
  return undefined;
}

function checkCondition(name: string, p: Param, space: Space): TuneError | undefined {
  const c = p.condition;
  if (!c) return undefined;
  const parent = space[c.parent];
  if (!parent) return { _tag: 'UnknownParent', param: name, parent: c.parent };
  const bad = (reason: string): TuneError => ({
    _tag: 'BadCondition',
    param: name,
    parent: c.parent,
    reason,
  });
  if (parent.kind !== 'choice') return bad('only a choice() parameter can be a parent');
  if (c.values.length === 0) return bad('no parent value enables it');
  const known = new Set(parent.values.map(key));
  const stray = c.values.find((v) => !known.has(key(v)));
  if (stray !== undefined) return bad(`${key(stray)} is not one of the parent's values`);
  return undefined;
}

/** Parents before children (declaration order otherwise), or the parameter on a cycle. */
function topologicalOrder(space: Space): E.Either<string, string[]> {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): string | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return name;
    state.set(name, 'visiting');
    const parent = space[name]?.condition?.parent;
    const cycle = parent === undefined ? undefined : visit(parent);
    if (cycle !== undefined) return cycle;
    state.set(name, 'done');
    order.push(name);
    return undefined;
  };
  for (const name of Object.keys(space)) {
    const cycle = visit(name);
    if (cycle !== undefined) return E.left(cycle);
  }
  return E.right(order);
}

function canonical(name: string, p: Param): unknown {
  const cond = p.condition
    ? { condition: { parent: p.condition.parent, values: p.condition.values } }
    : {};
  return p.kind === 'choice'
    ? { name, kind: p.kind, values: p.values, ...cond }
    : { name, kind: p.kind, lo: p.lo, hi: p.hi, log: p.log, ...cond };
}

/**
 * Checks a search space: finite bounds with `lo ≤ hi`, integer bounds for `int`, positive
 * ranges on a log scale, non-empty choices without duplicates, and conditions on an
 * existing `choice` parent, with values it can take and no cycle. A bad space is a
 * {@link TuneError} value naming the parameter.
 * @example
 * validateSpace({ lr: tune.logUniform(0, 1) }); // Left { _tag: 'LogRangeNotPositive', param: 'lr', lo: 0 }
 */
export function validateSpace(space: Space): E.Either<TuneError, ValidSpace> {
  const names = Object.keys(space);
  if (names.length === 0) return E.left({ _tag: 'EmptySpace' });
  for (const name of names) {
    const p = space[name]!;
    const err = checkParam(name, p) ?? checkCondition(name, p, space);
    if (err) return E.left(err);
  }
  const order = topologicalOrder(space);
  if (E.isLeft(order)) {
    const name = order.left;
    return E.left({
      _tag: 'BadCondition',
      param: name,
      parent: space[name]!.condition!.parent,
      reason: 'the conditions form a cycle',
    });
  }
  return E.right({
    params: { ...space },
    order: order.right,
    fingerprint: JSON.stringify(names.map((n) => canonical(n, space[n]!))),
  });
}

/** Whether parameter `name` exists in a configuration that already holds its parent's value. */
export function isActive(p: Param, config: Readonly<Record<string, unknown>>): boolean {
  const c = p.condition;
  if (!c) return true;
  const v = config[c.parent];
  return v !== undefined && c.values.some((x) => key(x) === key(v as Primitive));
}
