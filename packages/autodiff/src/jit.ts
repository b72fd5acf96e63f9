import * as jt from '@jute/tensor';
import * as jc from '@jute/tensor/core';
import { flattenArrays } from './flat';
import { hoistConsts, traceFlat } from './tracing';

export interface JitOptions {
  /**
   * Positions of arguments that are not arrays but values the function's structure
   * depends on (sizes, flags, a layer config). Each new value traces anew.
   */
  staticArgnums?: readonly number[];
  /**
   * Positions of arguments whose buffers the caller gives up (JAX's `donate_argnums`):
   * a backend may write the outputs into them, so `params ← params − lr·update` needs
   * no new memory. A donated array is deleted by the call: reading it afterwards throws
   * a `DeletedArrayError` (`x.isDeleted()` tells).
   */
  donateArgnums?: readonly number[];
}

/** One traced signature: its constant-free program, constants and output structure. */
interface Compiled {
  readonly jaxpr: jc.Jaxpr;
  readonly consts: jt.Array[];
  readonly outDef: jt.TreeDef;
  readonly donated: readonly boolean[];
}

// Identities for static arguments that are objects (functions, configs): JAX hashes them.
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

function staticKey(v: unknown): string {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    return `${typeof v}:${String(v)}`;
  }
  let id = objectIds.get(v);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(v, id);
  }
  return `object:${id}`;
}

const avalKey = (x: jt.Array): string => `${x.dtype}[${x.shape.join(',')}]`;

function checkArgnums(what: string, nums: readonly number[], n: number): void {
  for (const i of nums) {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new jt.TraceError(`jit: ${what} ${i} is out of range for ${n} arguments`);
    }
  }
}

/** Splits the arguments into the static ones and the flat array leaves of the rest. */
function splitArgs(args: readonly unknown[], staticNums: readonly number[]) {
  const dynamic = args.filter((_, i) => !staticNums.includes(i));
  const [leaves, def] = flattenArrays(dynamic);
  const merge = (traced: readonly unknown[]): unknown[] => {
    let k = 0;
    return args.map((a, i) => (staticNums.includes(i) ? a : traced[k++]));
  };
  return { leaves, def, merge, dynamic };
}

/** Traces `f` for one signature into a constant-free program. */
function traceSignature(
  f: (...args: any[]) => unknown,
  args: readonly unknown[],
  options: JitOptions,
  name: string,
): Compiled & { leaves: jt.Array[] } {
  const staticNums = options.staticArgnums ?? [];
  const { leaves, def, merge } = splitArgs(args, staticNums);
  let outDef: jt.TreeDef | undefined;
  const flat = (ins: jt.Array[]): jt.Array[] => {
    const tree = jt.tree.unflatten<unknown[]>(def, ins);
    const [outs, d] = flattenArrays(f(...merge(tree)));
    outDef = d;
    return outs;
  };
  const traced = traceFlat(
    flat,
    leaves.map((l) => ({ shape: l.shape, dtype: l.dtype })),
    name,
  );
  // Leaves of donated arguments, in the flat order (constants are never donated).
  const donateNums = options.donateArgnums ?? [];
  const donatedLeaves = args.flatMap((a, i) =>
    staticNums.includes(i) ? [] : flattenArrays(a)[0].map(() => donateNums.includes(i)),
  );
  return {
    jaxpr: hoistConsts(traced),
    consts: traced.consts,
    outDef: outDef!,
    donated: [...traced.consts.map(() => false), ...donatedLeaves],
    leaves,
  };
}

/**
 * Compiles `f`: the first call for each signature (argument structure, shapes, dtypes,
 * static values) traces `f` into a jaxpr; later calls replay the compiled program with
 * no tracing. Inside other transforms the call is one primitive (`jit_call`), so
 * `grad(jit(f))`, `jit(grad(f))`, `vmap(jit(f))` and nested `jit` all work.
 *
 * Reading a traced value inside `f` (`.item()`, `.data()`, `Number(x)`) throws a
 * `ConcretizationError`: use `jt.cond`/`jt.where`, or `staticArgnums`.
 * @example
 * const step = jit((p, x) => jt.tanh(jt.matmul(x, p.w)).sum());
 * step(params, batch); // traces and compiles
 * step(params, batch); // replays
 */
export function jit<F extends (...args: any[]) => any>(f: F, options: JitOptions = {}): F {
  const name = f.name || 'fn';
  const cache = new Map<string, Compiled>();
  const jitted = (...args: unknown[]): unknown => {
    const staticNums = options.staticArgnums ?? [];
    checkArgnums('staticArgnums', staticNums, args.length);
    checkArgnums('donateArgnums', options.donateArgnums ?? [], args.length);
    const { leaves, def } = splitArgs(args, staticNums);
    const key = [
      jt.tree.defToString(def),
      leaves.map(avalKey).join(';'),
      staticNums.map((i) => staticKey(args[i])).join(';'),
    ].join('|');
    let compiled = cache.get(key);
    if (compiled === undefined) {
      compiled = traceSignature(f, args, options, name);
      // A function that closes over traced values of an enclosing transform is traced
      // anew each call: those values belong to that call only.
      if (!compiled.consts.some((c) => c instanceof jc.Tracer)) cache.set(key, compiled);
    }
    const outs = jc.bind('jit_call', [...compiled.consts, ...leaves], {
      jaxpr: compiled.jaxpr,
      name,
      donated: compiled.donated,
    });
    deleteDonatedLeaves(leaves, compiled.donated.slice(compiled.consts.length), outs, name);
    return jt.tree.unflatten(compiled.outDef, outs);
  };
  Object.defineProperty(jitted, 'name', { value: `jit(${name})` });
  return jitted as F;
}

/**
 * After a call the backend ran, marks the donated arrays deleted, as JAX does: the
 * program may have written its outputs into their memory. An array the call also
 * returns stays live. A call inside a transform donates nothing and deletes nothing;
 * nor does one whose outputs live on a device (WebGPU does not reuse donated buffers).
 */
function deleteDonatedLeaves(
  leaves: readonly jt.Array[],
  donated: readonly boolean[],
  outs: readonly jt.Array[],
  name: string,
): void {
  // Traced outputs: the call ran inside a transform, with nothing donated.
  if (!outs.every((o) => o instanceof jc.ConcreteArray)) return;
  leaves.forEach((leaf, i) => {
    if (donated[i] && leaf instanceof jc.ConcreteArray && !outs.includes(leaf)) {
      jc.deleteDonated(leaf, `jit(${name})`);
    }
  });
}

/** A traced program: its jaxpr, the constants it reads and its output structure. */
export interface ClosedProgram {
  readonly jaxpr: jc.Jaxpr;
  readonly consts: readonly jt.Array[];
  readonly outDef: jt.TreeDef;
  /** The program in JAX's notation. */
  toString(): string;
}

/**
 * The jaxpr `f` records on the given arguments (JAX's `make_jaxpr`): what `jit` compiles.
 * @example
 * console.log(makeJaxpr((x) => jt.sum(jt.sin(x)))(jt.ones([3])).toString());
 * // { lambda a:f32[3]. let
 * //     b:f32[3] = sin a
 * //     c:f32[] = reduce_sum[axes=(0,)] b
 * //   in (c,) }
 */
export function makeJaxpr<A extends unknown[]>(
  f: (...args: A) => unknown,
  options: Pick<JitOptions, 'staticArgnums'> = {},
): (...args: A) => ClosedProgram {
  return (...args) => {
    const staticNums = options.staticArgnums ?? [];
    checkArgnums('staticArgnums', staticNums, args.length);
    const { leaves, def, merge } = splitArgs(args, staticNums);
    let outDef: jt.TreeDef | undefined;
    const traced = traceFlat(
      (ins) => {
        const [outs, d] = flattenArrays(f(...(merge(jt.tree.unflatten<unknown[]>(def, ins)) as A)));
        outDef = d;
        return outs;
      },
      leaves.map((l) => ({ shape: l.shape, dtype: l.dtype })),
      f.name || 'fn',
    );
    return {
      jaxpr: traced.jaxpr,
      consts: traced.consts,
      outDef: outDef!,
      toString: () => jc.jaxprToString(traced.jaxpr),
    };
  };
}
