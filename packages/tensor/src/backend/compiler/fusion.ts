import type { DType } from '../../core/dtype';
import type { Jaxpr, JaxprEqn, Var } from '../../core/jaxpr';
import type { Primitive } from '../../core/primitives';
import { sizeOf } from '../../core/shape';

/**
 * How a fused kernel reads an input of `size` elements while it walks `domain` output
 * elements in row-major order: `full` (the same index), `scalar` (one value),
 * `suffix` (index mod size: an input broadcast along leading axes, a bias), `prefix`
 * (index div (domain / size): one value per row, `x - max(x, keepdims)`),
 * `middle:inner:repeats` (an input broadcast along a block of middle axes: each run of
 * `inner` elements is read `repeats` times before the next; a pooling window's max), or
 * `slice:offset:length:stride` (a slice of the last axis: rows of `stride` elements, of
 * which `length` from `offset` are read; one gate of an LSTM's stacked gates).
 */
export type LoadPattern =
  | 'full'
  | 'scalar'
  | 'suffix'
  | 'prefix'
  | `middle:${number}:${number}`
  | `slice:${number}:${number}:${number}`;

/** One input of a fused group. */
export interface FusedInput {
  readonly v: Var;
  readonly pattern: LoadPattern;
}

/**
 * A `reduce_sum` or `reduce_max` of a value the group computes, folded in the same pass
 * (the value itself need not reach memory). `rows`: the reduced axes trail the kept ones,
 * so each result folds a run of `domain / size` consecutive elements (a softmax's sum).
 * `cols`: kept axes follow the reduced ones, so the results come in runs of `inner`
 * consecutive ones, each run walked `domain / size` times over before the next (a bias
 * gradient, with one run; a pooling window's sum).
 */
export interface FusedReduction {
  readonly eqn: JaxprEqn;
  readonly layout: 'rows' | 'cols';
  /** Number of results. */
  readonly size: number;
  /** cols: results per run (the kept axes after the reduced ones); rows: 1. */
  readonly inner: number;
}

/**
 * Elementwise equations over one domain (number of elements) that run as one kernel:
 * intermediate values live in registers and never reach memory.
 */
export interface FusedGroup {
  readonly domain: number;
  readonly eqns: readonly JaxprEqn[];
  readonly inputs: readonly FusedInput[];
  /**
   * Concatenations along the last axis of values the group computes, written in place by
   * the pass (each operand's rows at their offset): an LSTM's four gate gradients.
   */
  readonly concats: readonly JaxprEqn[];
  /** Reductions folded into the pass; they run after every equation of `eqns`. */
  readonly reductions: readonly FusedReduction[];
  /**
   * Values the rest of the program reads, in the order the kernel writes them: values of
   * `eqns` (`domain` elements each), then one result per concatenation and one per
   * reduction, in order.
   */
  readonly outputs: readonly Var[];
}

export type Step =
  | { readonly kind: 'eqn'; readonly eqn: JaxprEqn }
  | { readonly kind: 'fused'; readonly group: FusedGroup };

/** Primitives a fused kernel evaluates per element, by the dtypes they may take. */
const FUSIBLE: ReadonlySet<Primitive> = new Set<Primitive>([
  'neg',
  'abs',
  'sqrt',
  'rsqrt',
  'exp',
  'expm1',
  'log',
  'log1p',
  'tanh',
  'logistic',
  'floor',
  'ceil',
  'add',
  'sub',
  'mul',
  'div',
  'max',
  'min',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'and',
  'or',
  'not',
  'select',
  'cast',
  'stop_gradient',
  'broadcast_in_dim',
]);

/** Whether a fused kernel evaluates `prim` element by element (broadcasts index instead). */
export const isElementwise = (prim: Primitive): boolean =>
  FUSIBLE.has(prim) && prim !== 'broadcast_in_dim';

const KERNEL_DTYPES: ReadonlySet<DType> = new Set<DType>(['float32', 'bool']);

/** Groups smaller than this run equation by equation: a kernel call costs more than it saves. */
export const MIN_FUSED_DOMAIN = 64;

/**
 * The load pattern of a `broadcast_in_dim` operand, or undefined when a kernel cannot
 * index it cheaply (then the broadcast runs as its own step).
 */
export function broadcastPattern(
  inShape: readonly number[],
  outShape: readonly number[],
  dims: readonly number[],
): LoadPattern | undefined {
  const size = sizeOf(inShape);
  const domain = sizeOf(outShape);
  if (size === 1) return 'scalar';
  if (size === domain) return 'full';
  // Drop the operand's size-1 axes: what matters is which output axes it spans.
  const spanned = dims.filter((_, i) => inShape[i] !== 1);
  const spans = spanned.every((d, i) => i === 0 || d === spanned[i - 1]! + 1);
  if (!spans) return middlePattern(inShape, outShape, dims);
  if (spanned.length === 0) return undefined;
  const first = spanned[0]!;
  const last = spanned[spanned.length - 1]!;
  const covered = sizeOf(spanned.map((d) => outShape[d]!));
  if (covered !== size) return undefined;
  // Vector lanes step four elements at a time: the pattern must not break inside a vector.
  if (last === outShape.length - 1 && size % 4 === 0) return 'suffix';
  if (first === 0 || outShape.slice(0, first).every((d) => d === 1)) {
    const inner = domain / size;
    if (inner % 4 === 0) return 'prefix';
  }
  return undefined;
}

/**
 * `middle:inner:repeats` when the operand spans the leading and the trailing output axes
 * and is broadcast along the ones between (size-1 axes aside), with whole vectors in
 * each run of `inner` elements; else undefined.
 */
function middlePattern(
  inShape: readonly number[],
  outShape: readonly number[],
  dims: readonly number[],
): LoadPattern | undefined {
  if (dims.some((d, i) => i > 0 && d <= dims[i - 1]!)) return undefined;
  const spanned = new Set(dims.filter((_, i) => inShape[i] !== 1));
  // Runs of spanned (true) and broadcast (false) axes: must be true, false, true.
  const runs: { spanned: boolean; size: number }[] = [];
  outShape.forEach((d, axis) => {
    if (d === 1) return;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.spanned === spanned.has(axis)) last.size *= d;
    else runs.push({ spanned: spanned.has(axis), size: d });
  });
  if (runs.length !== 3 || !runs[0]!.spanned) return undefined;
  const [outer, middle, inner] = runs.map((r) => r.size) as [number, number, number];
  if (outer * inner !== sizeOf(inShape) || inner % 4 !== 0) return undefined;
  return `middle:${inner}:${middle}`;
}

/**
 * How a float32 `reduce_sum`/`reduce_max` over `axes` of `shape` folds into a pass over
 * the operand in row-major order, or undefined when it cannot (reduced axes that are not
 * one block, nothing reduced, or runs that break inside a four-lane vector).
 */
export function reductionLayout(
  shape: readonly number[],
  axes: readonly number[],
): Pick<FusedReduction, 'layout' | 'size' | 'inner'> | undefined {
  // Size-1 axes are neither reduced nor kept in any way that matters.
  const reduced = shape.flatMap((d, i) => (d !== 1 && axes.includes(i) ? [i] : []));
  if (reduced.length === 0) return undefined;
  const [first, last] = [reduced[0]!, reduced[reduced.length - 1]!];
  if (shape.some((d, i) => d !== 1 && i > first && i < last && !axes.includes(i))) {
    return undefined;
  }
  const size = sizeOf(shape.filter((_, i) => !axes.includes(i)));
  const inner = sizeOf(shape.slice(last + 1));
  if (inner === 1)
    return (sizeOf(shape) / size) % 4 === 0 ? { layout: 'rows', size, inner } : undefined;
  return inner % 4 === 0 ? { layout: 'cols', size, inner } : undefined;
}

/**
 * The load pattern of a float32 `slice` that only narrows the last axis (in whole vectors,
 * so no vector straddles two rows), or undefined.
 */
export function slicePattern(eqn: JaxprEqn): LoadPattern | undefined {
  if (eqn.prim !== 'slice') return undefined;
  const x = eqn.inputs[0]!;
  const { start, limit, strides } = eqn.params as {
    start: readonly number[];
    limit: readonly number[];
    strides: readonly number[];
  };
  const last = x.aval.shape.length - 1;
  if (last < 0 || x.aval.dtype !== 'float32' || strides.some((st) => st !== 1)) return undefined;
  const full = x.aval.shape.every((d, i) => i === last || (start[i] === 0 && limit[i] === d));
  const length = limit[last]! - start[last]!;
  if (!full || length % 4 !== 0 || length === 0) return undefined;
  if (sizeOf(eqn.outs[0]!.aval.shape) < MIN_FUSED_DOMAIN) return undefined;
  return `slice:${start[last]!}:${length}:${x.aval.shape[last]!}`;
}

/** Primitives that also take bool operands (as lane masks); the rest take float32 only. */
const ON_MASKS: ReadonlySet<Primitive> = new Set<Primitive>([
  'select',
  'and',
  'or',
  'not',
  'cast',
  'stop_gradient',
  'broadcast_in_dim',
]);

/** The latest unsealed group over `domain` (sealed ones are dropped from the list). */
function lastOpen(groups: Building[], domain: number): Building | undefined {
  for (let k = groups.length - 1; k >= 0; k--) {
    const g = groups[k]!;
    if (g.sealed) groups.splice(k, 1);
    else if (g.domain === domain) return g;
  }
  return undefined;
}

function fusible(eqn: JaxprEqn): boolean {
  if (!FUSIBLE.has(eqn.prim)) return false;
  if (![...eqn.inputs, ...eqn.outs].every((v) => KERNEL_DTYPES.has(v.aval.dtype))) return false;
  if (eqn.prim === 'select') {
    if (eqn.inputs[0]!.aval.dtype !== 'bool') return false;
  } else if (!ON_MASKS.has(eqn.prim) && eqn.inputs.some((v) => v.aval.dtype !== 'float32')) {
    return false;
  } else if (
    (eqn.prim === 'and' || eqn.prim === 'or' || eqn.prim === 'not') &&
    eqn.inputs.some((v) => v.aval.dtype !== 'bool')
  ) {
    return false;
  }
  const domain = sizeOf(eqn.outs[0]!.aval.shape);
  if (domain < MIN_FUSED_DOMAIN) return false;
  if (eqn.prim === 'broadcast_in_dim') {
    const p = eqn.params as { shape: readonly number[]; dims: readonly number[] };
    return broadcastPattern(eqn.inputs[0]!.aval.shape, p.shape, p.dims) !== undefined;
  }
  return eqn.inputs.every((v) => sizeOf(v.aval.shape) === domain);
}

interface Building {
  domain: number;
  eqns: JaxprEqn[];
  concats: JaxprEqn[];
  reductions: FusedReduction[];
  sealed: boolean;
}

/**
 * Whether `eqn` concatenates, along the last axis, float32 values `group` computes, each
 * `domain` elements with rows of whole vectors: the pass can store each at its offset.
 */
function foldsConcat(
  eqn: JaxprEqn,
  group: Building | undefined,
  groupOf: ReadonlyMap<Var, Building>,
): group is Building {
  if (eqn.prim !== 'concatenate' || group === undefined) return false;
  const rank = eqn.outs[0]!.aval.shape.length;
  if ((eqn.params as { axis: number }).axis !== rank - 1) return false;
  return eqn.inputs.every(
    (v) =>
      groupOf.get(v) === group &&
      v.aval.dtype === 'float32' &&
      sizeOf(v.aval.shape) === group.domain &&
      v.aval.shape[rank - 1]! % 4 === 0,
  );
}

/** A float32 reduction's fold into `group`'s pass, when the group computes its operand. */
function foldedReduction(eqn: JaxprEqn, group: Building | undefined): FusedReduction | undefined {
  if (eqn.prim !== 'reduce_sum' && eqn.prim !== 'reduce_max') return undefined;
  const x = eqn.inputs[0]!;
  if (group === undefined || x.aval.dtype !== 'float32') return undefined;
  if (sizeOf(x.aval.shape) !== group.domain) return undefined;
  const layout = reductionLayout(x.aval.shape, (eqn.params as { axes: number[] }).axes);
  return layout && { eqn, ...layout };
}

/**
 * Splits a program into steps: maximal groups of elementwise equations over one domain,
 * with the concatenations and reductions of their values, and the other equations one
 * by one. A group is sealed once anything outside it reads one of its values, so a group
 * never waits on a step that waits on the group; and once anything reads one of its
 * concatenations or reductions, which are complete only when the pass ends.
 */
export function planFusion(jaxpr: Jaxpr): Step[] {
  const groupOf = new Map<Var, Building>();
  const order: (JaxprEqn | Building)[] = [];
  const openGroups: Building[] = [];
  const seal = (eqn: JaxprEqn, except?: Building) => {
    for (const v of eqn.inputs) {
      const g = groupOf.get(v);
      if (g !== undefined && g !== except) g.sealed = true;
    }
  };
  // Broadcasts of values no group produces (a scalar constant, a row maximum) and slices
  // of a last axis are not steps of their own: every group that reads one recomputes it
  // (a register splat or an indexed load), and it is materialized only for other readers.
  // Either way the group that computes a slice's operand must run first: it is sealed.
  const lazy = new Map<Var, JaxprEqn>();
  const materialized = new Set<JaxprEqn>();
  const materialize = (v: Var) => {
    const b = lazy.get(v);
    if (b !== undefined && !materialized.has(b)) {
      materialized.add(b);
      seal(b);
      order.push(b);
    }
  };
  // Reductions and concatenations fold into the group that computes their operands, where
  // it is: it already runs before anything that reads their results.
  const completeAtEnd = new Map<Var, Building>();
  for (const eqn of jaxpr.eqns) {
    for (const v of eqn.inputs) {
      const g = completeAtEnd.get(v);
      if (g !== undefined) g.sealed = true;
    }
    const producer = groupOf.get(eqn.inputs[0]!);
    const reduction = foldedReduction(eqn, producer);
    if (reduction !== undefined && producer !== undefined) {
      producer.reductions.push(reduction);
      completeAtEnd.set(eqn.outs[0]!, producer);
      continue;
    }
    if (foldsConcat(eqn, producer, groupOf)) {
      producer.concats.push(eqn);
      completeAtEnd.set(eqn.outs[0]!, producer);
      continue;
    }
    if (slicePattern(eqn) !== undefined) {
      // A slice indexes its operand in memory: a recomputed one is stored first.
      materialize(eqn.inputs[0]!);
      lazy.set(eqn.outs[0]!, eqn);
      continue;
    }
    if (!fusible(eqn)) {
      eqn.inputs.forEach(materialize);
      seal(eqn);
      order.push(eqn);
      continue;
    }
    if (eqn.prim === 'broadcast_in_dim') {
      // A broadcast indexes its operand in memory: a recomputed one is stored first.
      materialize(eqn.inputs[0]!);
      if (!groupOf.has(eqn.inputs[0]!)) {
        lazy.set(eqn.outs[0]!, eqn);
        continue;
      }
    }
    const domain = sizeOf(eqn.outs[0]!.aval.shape);
    // Prefer the group that produces an input; else any open group of the domain (it
    // moves to run here, which is safe: nothing outside it has read its values yet).
    let group =
      eqn.inputs
        .map((v) => groupOf.get(v))
        .find((g) => g !== undefined && !g.sealed && g.domain === domain) ??
      lastOpen(openGroups, domain);
    if (group === undefined) {
      group = { domain, eqns: [], concats: [], reductions: [], sealed: false };
      order.push(group);
      openGroups.push(group);
    } else {
      // The group now runs where its last member is: move it there.
      order.splice(order.indexOf(group), 1);
      order.push(group);
    }
    seal(eqn, group);
    for (const v of eqn.inputs) {
      const b = lazy.get(v);
      if (b !== undefined && !group.eqns.includes(b)) {
        seal(b, group);
        group.eqns.push(b);
      }
    }
    group.eqns.push(eqn);
    for (const v of eqn.outs) groupOf.set(v, group);
  }
  jaxpr.outs.forEach(materialize);
  const readers = new Map<Var, number>();
  for (const eqn of jaxpr.eqns)
    for (const v of eqn.inputs) readers.set(v, (readers.get(v) ?? 0) + 1);
  const programOuts = new Set(jaxpr.outs);
  const recomputed = new Set(lazy.keys());
  return order.map((item): Step => {
    if (!('domain' in item)) return { kind: 'eqn', eqn: item };
    const lone = item.eqns.length === 1 && item.concats.length + item.reductions.length === 0;
    if (lone && item.eqns[0]!.prim !== 'broadcast_in_dim') {
      return { kind: 'eqn', eqn: item.eqns[0]! };
    }
    return { kind: 'fused', group: finishGroup(item, readers, programOuts, recomputed) };
  });
}

function finishGroup(
  g: Building,
  readers: ReadonlyMap<Var, number>,
  programOuts: ReadonlySet<Var>,
  recomputed: ReadonlySet<Var>,
): FusedGroup {
  const produced = new Set(g.eqns.flatMap((e) => e.outs));
  const inner = new Map<Var, number>();
  const inputs: FusedInput[] = [];
  for (const x of [...g.concats, ...g.reductions.map((r) => r.eqn)].flatMap((e) => e.inputs)) {
    inner.set(x, (inner.get(x) ?? 0) + 1);
  }
  for (const eqn of g.eqns) {
    for (const v of eqn.inputs) {
      if (produced.has(v)) {
        inner.set(v, (inner.get(v) ?? 0) + 1);
        continue;
      }
      const pattern = inputPattern(eqn, v);
      if (!inputs.some((i) => i.v === v && i.pattern === pattern)) inputs.push({ v, pattern });
    }
  }
  // A value leaves the group when something outside reads it.
  // (A recomputed broadcast never leaves: its other readers recompute or materialize it.)
  const outputs = [...produced].filter(
    (v) =>
      !recomputed.has(v) && (programOuts.has(v) || (readers.get(v) ?? 0) > (inner.get(v) ?? 0)),
  );
  outputs.push(...[...g.concats, ...g.reductions.map((r) => r.eqn)].map((e) => e.outs[0]!));
  const { domain, eqns, concats, reductions } = g;
  return { domain, eqns, inputs, concats, reductions, outputs };
}

/** How `eqn` reads its operand `v` (broadcasts and slices have a pattern; the rest read in step). */
export function inputPattern(eqn: JaxprEqn, v: Var): LoadPattern {
  if (eqn.prim === 'slice') return slicePattern(eqn)!;
  if (eqn.prim !== 'broadcast_in_dim') return 'full';
  const p = eqn.params as { shape: readonly number[]; dims: readonly number[] };
  return broadcastPattern(v.aval.shape, p.shape, p.dims)!;
}
