import type { FusedGroup, FusedReduction, LoadPattern } from '../backend/compiler/fusion';
import { inputPattern } from '../backend/compiler/fusion';
import type { JaxprEqn, Var } from '../core/jaxpr';
import type { Primitive } from '../core/primitives';
import { sizeOf } from '../core/shape';
import {
  type BinaryKernel,
  binaryBodies,
  type CompareKernel,
  callingThreadModule,
  compareOps,
  maxStep,
  maxStepX4,
  promoteHigh,
  stream,
  type UnaryKernel,
  unaryBodies,
} from './elementwise-kernel';
import { FunctionBuilder, ValType } from './emit';

const { i32, f32, v128 } = ValType;
type F = FunctionBuilder;

// SIMD and memory opcodes the shared emitter has no method for.
const simd = (f: F, op: number, ...imm: number[]) => {
  f.raw(0xfd);
  let v = op;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    f.raw(v ? byte | 0x80 : byte);
  } while (v);
  f.raw(...imm);
};
const v128Load32Zero = (f: F) => simd(f, 0x5c, 2, 0);
const i32x4Neg = (f: F) => simd(f, 0xa1);
const i32x4Splat = (f: F) => simd(f, 0x11);
const i32x4ExtractLane0 = (f: F) => simd(f, 0x1b, 0);
const f32x4Floor = (f: F) => simd(f, 0x68);
const f32x4Ceil = (f: F) => simd(f, 0x67);
const i32Load8U = (f: F) => f.raw(0x2d, 0, 0);
const i32Store = (f: F) => f.raw(0x36, 2, 0);
const f32Load = (f: F) => f.raw(0x2a, 2, 0);

const UNARY = new Set<Primitive>([
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
]);
const BINARY = new Set<Primitive>(['add', 'sub', 'mul', 'div', 'max', 'min']);
const COMPARE = new Set<Primitive>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

const isBool = (v: Var) => v.aval.dtype === 'bool';

/**
 * A canonical text of a group: equal texts compile to the same kernel, so the kernel
 * of an LSTM step or of a repeated block is built once.
 */
export function groupSignature(g: FusedGroup): string {
  const names = new Map<Var, number>();
  const name = (v: Var) => {
    let n = names.get(v);
    if (n === undefined) {
      n = names.size;
      names.set(v, n);
    }
    return n;
  };
  const ins = g.inputs.map(
    (i) => `${name(i.v)}:${i.v.aval.dtype}:${i.pattern}:${i.v.aval.shape.join('x')}`,
  );
  const body = g.eqns.map((e) => {
    const params =
      e.prim === 'broadcast_in_dim'
        ? (e.params as { shape: readonly number[] }).shape.join('x')
        : e.prim === 'cast'
          ? (e.params as { dtype: string }).dtype
          : '';
    return `${e.outs.map(name).join(',')}=${e.prim}[${params}](${e.inputs.map(name).join(',')})`;
  });
  const folds = g.reductions.map(
    (r) =>
      `${name(r.eqn.outs[0]!)}=${r.eqn.prim}:${r.layout}:${r.size}:${r.inner}(${name(r.eqn.inputs[0]!)})`,
  );
  const joins = g.concats.map(
    (c) =>
      `${name(c.outs[0]!)}=concatenate:${rowWidth(c.inputs[0]!)}(${c.inputs.map(name).join(',')})`,
  );
  return `${g.domain}|${ins.join(';')}|${body.join(';')}|${joins.join(';')}|${folds.join(';')}|${g.outputs.map(name).join(',')}`;
}

/** Bytes one element of `v` takes in kernel memory (bool: one byte). */
export const elementBytes = (v: Var): number => (isBool(v) ? 1 : 4);

interface InputState {
  readonly ptr: number;
  readonly pattern: LoadPattern;
  readonly bool: boolean;
  /**
   * suffix: the start and end addresses to wrap between; prefix: a lane counter;
   * middle: the start of the current run (`start`), the lanes done in it (`count`) and
   * the times it has been read (`repeat`); slice: the lanes done in the row (`count`).
   */
  readonly start?: number;
  readonly end?: number;
  readonly count?: number;
  readonly repeat?: number;
  /** scalar: the value, splat once before the loop. */
  readonly splat?: number;
}

/** Bytes of float64 scratch a reduction needs beside its result (a column sum's partials). */
export const reductionScratchBytes = (r: FusedReduction): number =>
  r.layout === 'cols' && r.eqn.prim === 'reduce_sum' ? r.size * 8 : 0;

/**
 * The WebAssembly module of a fused group: `run(n, in0, ..., out0, ..., scratch0, ...)`
 * over byte addresses of whole arrays (padded to 16 bytes), four elements per step; one
 * scratch address per reduction that needs one (`reductionScratchBytes`).
 */
export function buildFusedModule(g: FusedGroup, shared = false): Uint8Array<ArrayBuffer> {
  const nIn = g.inputs.length;
  const nScratch = g.reductions.filter((r) => reductionScratchBytes(r) > 0).length;
  const f = new FunctionBuilder([
    i32,
    ...g.inputs.map(() => i32),
    ...g.outputs.map(() => i32),
    ...Array.from({ length: nScratch }, () => i32),
  ]);
  const n = 0;
  const states: InputState[] = g.inputs.map((input, k) => {
    const ptr = 1 + k;
    const bool = isBool(input.v);
    const bytes = bool ? 1 : 4;
    if (input.pattern === 'scalar') {
      const splat = f.local(v128);
      if (bool) {
        f.i32Const(0).get(ptr);
        i32Load8U(f);
        f.raw(0x6b);
        i32x4Splat(f);
      } else {
        f.get(ptr);
        f32Load(f);
        f.f32x4Splat();
      }
      f.set(splat);
      return { ptr, pattern: 'scalar', bool, splat };
    }
    if (input.pattern === 'suffix') {
      const start = f.local(i32);
      const end = f.local(i32);
      const size = input.v.aval.shape.reduce((a, d) => a * d, 1);
      f.get(ptr)
        .set(start)
        .get(ptr)
        .i32Const(size * bytes)
        .i32Add()
        .set(end);
      return { ptr, pattern: 'suffix', bool, start, end };
    }
    if (input.pattern === 'prefix') {
      const count = f.local(i32);
      return { ptr, pattern: 'prefix', bool, count };
    }
    if (input.pattern.startsWith('middle')) {
      const [start, count, repeat] = [f.local(i32), f.local(i32), f.local(i32)];
      f.get(ptr).set(start);
      return { ptr, pattern: input.pattern, bool, start, count, repeat };
    }
    if (input.pattern.startsWith('slice')) {
      // Start at the slice's first element (float32 only: 4 bytes each).
      const offset = Number(input.pattern.split(':')[1]);
      f.get(ptr)
        .i32Const(offset * 4)
        .i32Add()
        .set(ptr);
      return { ptr, pattern: input.pattern, bool, count: f.local(i32) };
    }
    return { ptr, pattern: 'full', bool };
  });
  const outPtrs = g.outputs.map((_, k) => 1 + nIn + k);
  const nValues = g.outputs.length - g.concats.length - g.reductions.length;
  const joins = g.concats.map((c, k) => startConcat(f, c, outPtrs[nValues + k]!));
  let nextScratch = 1 + nIn + g.outputs.length;
  const folds = g.reductions.map((r, k) => {
    const scratch = reductionScratchBytes(r) > 0 ? nextScratch++ : undefined;
    return startFold(f, r, g.domain, outPtrs[nValues + g.concats.length + k]!, scratch);
  });
  const i = f.local(i32);
  const values = new Map<Var, number>();
  const loaded = new Map<string, number>();

  const load = (k: number): number => {
    const s = states[k]!;
    if (s.splat !== undefined) return s.splat;
    const key = String(k);
    const cached = loaded.get(key);
    if (cached !== undefined) return cached;
    const local = f.local(v128);
    if (s.pattern === 'prefix') {
      if (s.bool) {
        f.i32Const(0).get(s.ptr);
        i32Load8U(f);
        f.raw(0x6b);
        i32x4Splat(f);
      } else {
        f.get(s.ptr);
        f32Load(f);
        f.f32x4Splat();
      }
    } else if (s.bool) {
      f.get(s.ptr);
      v128Load32Zero(f);
      f.i16x8ExtendLowI8x16S().i32x4ExtendLowI16x8S();
      i32x4Neg(f);
    } else {
      f.get(s.ptr).v128Load();
    }
    f.set(local);
    loaded.set(key, local);
    return local;
  };
  const inputIndex = (v: Var, pattern: LoadPattern) =>
    g.inputs.findIndex((inp) => inp.v === v && inp.pattern === pattern);
  const operand = (eqnInput: Var, pattern: LoadPattern): number =>
    values.get(eqnInput) ?? load(inputIndex(eqnInput, pattern));

  const end = f.local(i32);
  // end = round_up(n, 4): buffers are padded, so the last vector may run past n.
  f.get(n).i32Const(3).i32Add().i32Const(-4).i32And().set(end);
  f.block(() => {
    f.get(i).get(end).i32LtU().i32Eqz().brIf(0);
    f.loop(() => {
      loaded.clear();
      values.clear();
      for (const eqn of g.eqns) {
        const ins = eqn.inputs.map((v) => operand(v, inputPattern(eqn, v)));
        const out = f.local(v128);
        const p = eqn.prim;
        if (UNARY.has(p)) unaryBodies[p as UnaryKernel](f, ins[0]!);
        else if (BINARY.has(p)) binaryBodies[p as BinaryKernel](f, ins[0]!, ins[1]!);
        else if (COMPARE.has(p)) {
          f.get(ins[0]!).get(ins[1]!);
          compareOps[p as CompareKernel](f);
        } else if (p === 'floor') {
          f.get(ins[0]!);
          f32x4Floor(f);
        } else if (p === 'ceil') {
          f.get(ins[0]!);
          f32x4Ceil(f);
        } else if (p === 'select') {
          // select(pred, onTrue, onFalse): bitselect takes the first operand where the mask is set.
          f.get(ins[1]!).get(ins[2]!).get(ins[0]!).v128Bitselect();
        } else if (p === 'and') f.get(ins[0]!).get(ins[1]!).v128And();
        else if (p === 'or') f.get(ins[0]!).get(ins[1]!).v128Or();
        else if (p === 'not') f.get(ins[0]!).v128Not();
        else if (p === 'cast') {
          const from = eqn.inputs[0]!.aval.dtype;
          const to = eqn.outs[0]!.aval.dtype;
          if (from === to) f.get(ins[0]!);
          else if (to === 'bool') f.get(ins[0]!).f32x4Const(0).f32x4Ne();
          else f.get(ins[0]!).f32x4Const(1).v128And();
        } else {
          // stop_gradient, broadcast_in_dim and slice: the value itself (the load did the
          // indexing).
          f.get(ins[0]!);
        }
        f.set(out);
        values.set(eqn.outs[0]!, out);
      }
      g.concats.forEach((c, k) => {
        joins[k]!(c.inputs.map((v) => values.get(v)!));
      });
      g.reductions.forEach((r, k) => {
        folds[k]!.step(values.get(r.eqn.inputs[0]!)!);
      });
      g.outputs.slice(0, nValues).forEach((v, k) => {
        const ptr = outPtrs[k]!;
        const local = values.get(v)!;
        if (isBool(v)) {
          f.get(ptr).get(local);
          i32x4Neg(f);
          f.get(local);
          i32x4Neg(f);
          f.i16x8NarrowI32x4S();
          f.get(local); // any operand: only the low four bytes are kept
          f.i8x16NarrowI16x8S();
          i32x4ExtractLane0(f);
          i32Store(f);
          f.get(ptr).i32Const(4).i32Add().set(ptr);
        } else {
          f.get(ptr).get(local).v128Store();
          f.get(ptr).i32Const(16).i32Add().set(ptr);
        }
      });
      states.forEach((s) => {
        if (s.pattern === 'full') {
          f.get(s.ptr)
            .i32Const(s.bool ? 4 : 16)
            .i32Add()
            .set(s.ptr);
        } else if (s.pattern === 'suffix') {
          f.get(s.ptr)
            .i32Const(s.bool ? 4 : 16)
            .i32Add()
            .set(s.ptr);
          // Wrap to the start at the end of the operand.
          f.get(s.start!).get(s.ptr).get(s.ptr).get(s.end!).raw(0x46).select().set(s.ptr);
        } else if (s.pattern.startsWith('middle')) {
          advanceMiddle(f, s);
        } else if (s.pattern.startsWith('slice')) {
          advanceSlice(f, s);
        } else if (s.pattern === 'prefix') {
          const inner = g.domain / sizeOf(g.inputs[states.indexOf(s)]!.v.aval.shape);
          f.get(s.count!).i32Const(4).i32Add().set(s.count!);
          // Next operand element once a whole row of `inner` outputs is done.
          f.get(s.ptr)
            .i32Const(s.bool ? 1 : 4)
            .i32Add()
            .get(s.ptr)
            .get(s.count!)
            .i32Const(inner)
            .raw(0x46)
            .select()
            .set(s.ptr);
          f.i32Const(0)
            .get(s.count!)
            .get(s.count!)
            .i32Const(inner)
            .raw(0x46)
            .select()
            .set(s.count!);
        }
      });
      f.get(i).i32Const(4).i32Add().tee(i).get(end).i32LtU().brIf(0);
    });
  });
  for (const fold of folds) fold.finish();
  const mod = callingThreadModule(shared);
  mod.addFunction('run', f);
  return mod.encode();
}

const rowWidth = (v: Var) => v.aval.shape[v.aval.shape.length - 1]!;

/**
 * Code that stores one vector of each operand of a last-axis concatenation into its
 * result (whose address is in `out`): operand `k`'s rows start `k` row widths into each
 * result row, so each operand walks its column band, skipping the others' at a row end.
 */
function startConcat(f: F, c: JaxprEqn, out: number): (values: readonly number[]) => void {
  const width = rowWidth(c.inputs[0]!);
  const skip = (c.inputs.length - 1) * width * 4;
  const count = f.local(i32);
  const ptrs = c.inputs.map((_, k) => {
    const ptr = f.local(i32);
    f.get(out)
      .i32Const(k * width * 4)
      .i32Add()
      .set(ptr);
    return ptr;
  });
  return (values) => {
    ptrs.forEach((ptr, k) => {
      f.get(ptr).get(values[k]!).v128Store();
      f.get(ptr).i32Const(16).i32Add().set(ptr);
    });
    f.get(count).i32Const(4).i32Add().tee(count).i32Const(width).raw(0x46); // i32.eq
    f.ifThen(() => {
      f.i32Const(0).set(count);
      for (const ptr of ptrs) f.get(ptr).i32Const(skip).i32Add().set(ptr);
    });
  };
}

/** Stores the f32 `value` (a local) into `count` floats from the address in `ptr`. */
function fill(f: F, ptr: number, count: number, value: number): void {
  const [at, end] = [f.local(i32), f.local(i32)];
  f.get(ptr)
    .set(at)
    .get(ptr)
    .i32Const(count * 4)
    .i32Add()
    .set(end);
  stream(f, end, [[at, 16]], () => f.get(at).get(value).f32x4Splat().v128Store());
}

/**
 * Code of one folded reduction: its set-up (emitted now, before the loop), `step` (per
 * vector of the operand, inside the loop) and `finish` (after it). Folds follow the eager
 * WebAssembly kernels, so results match them: row sums in two float64x2 partial sums,
 * column sums in a float64 row, maxima with the TypeScript kernels' step (first maximal
 * element wins, NaN propagates) in element order.
 */
function startFold(
  f: F,
  r: FusedReduction,
  domain: number,
  out: number,
  scratch: number | undefined,
): { step: (v: number) => void; finish: () => void } {
  const sum = r.eqn.prim === 'reduce_sum';
  const noop = () => {};
  if (r.layout === 'rows') {
    const inner = domain / r.size;
    const count = f.local(i32);
    // After each vector: at a row's end, `store` writes its result; then on to the next.
    const endRow = (store: () => void) => {
      f.get(count).i32Const(4).i32Add().tee(count).i32Const(inner).raw(0x46); // i32.eq
      f.ifThen(() => {
        store();
        f.get(out).i32Const(4).i32Add().set(out);
        f.i32Const(0).set(count);
      });
    };
    if (sum) {
      const [acc0, acc1] = [f.local(v128), f.local(v128)];
      return {
        step: (v) => {
          f.get(acc0).get(v).f64x2PromoteLowF32x4().f64x2Add().set(acc0);
          f.get(acc1);
          promoteHigh(f, v);
          f.f64x2Add().set(acc1);
          endRow(() => {
            f.get(acc0).get(acc1).f64x2Add().set(acc0);
            f.get(out).get(acc0).f64x2ExtractLane(0).get(acc0).f64x2ExtractLane(1).f64Add();
            f.f32DemoteF64().f32Store();
            f.v128Zero().set(acc0).v128Zero().set(acc1);
          });
        },
        finish: noop,
      };
    }
    const [best, lane] = [f.local(f32), f.local(f32)];
    f.f32Const(Number.NEGATIVE_INFINITY).set(best);
    return {
      step: (v) => {
        for (let l = 0; l < 4; l++) {
          f.get(v).f32x4ExtractLane(l).set(lane);
          maxStep(f, lane, best);
          f.set(best);
        }
        endRow(() => {
          f.get(out).get(best).f32Store();
          f.f32Const(Number.NEGATIVE_INFINITY).set(best);
        });
      },
      finish: noop,
    };
  }
  // Columns: the results (or their float64 partials) are read, updated and written back
  // at every vector; after a run of `inner` results the walk goes back to the run's start,
  // and on to the next run once it has been walked `domain / size` times.
  const [at, start, count, repeat] = [f.local(i32), f.local(i32), f.local(i32), f.local(i32)];
  const row = sum ? scratch! : out;
  const init = f.local(f32);
  f.f32Const(sum ? 0 : Number.NEGATIVE_INFINITY).set(init);
  // A float64 zero is all zero bits, as two float32 zeros are.
  fill(f, row, sum ? r.size * 2 : r.size, init);
  f.get(row).tee(at).set(start);
  const acc = f.local(v128);
  const walk = { ptr: at, start, count, repeat };
  const advance = (bytes: number) => walkRuns(f, walk, bytes, r.inner, domain / r.size);
  if (sum) {
    return {
      step: (v) => {
        f.get(at).get(at).v128Load().get(v).f64x2PromoteLowF32x4().f64x2Add().v128Store();
        f.get(at).get(at).v128Load(16);
        promoteHigh(f, v);
        f.f64x2Add().v128Store(16);
        advance(32);
      },
      finish: () => {
        // Round the float64 sums into the results.
        const [q, o, end] = [f.local(i32), f.local(i32), f.local(i32)];
        f.get(scratch!)
          .tee(q)
          .i32Const(r.size * 8)
          .i32Add()
          .set(end)
          .get(out)
          .set(o);
        stream(
          f,
          end,
          [
            [q, 8],
            [o, 4],
          ],
          () => f.get(o).get(q).f64Load().f32DemoteF64().f32Store(),
        );
      },
    };
  }
  return {
    step: (v) => {
      f.get(at).v128Load().set(acc);
      maxStepX4(f, v, acc);
      f.get(at).get(acc).v128Store();
      advance(16);
    },
    finish: noop,
  };
}

/**
 * Steps a `slice:offset:length:stride` input by one vector: along the row's `length`
 * elements, then over the rest of the row to the next row's slice.
 */
function advanceSlice(f: F, s: InputState): void {
  const [length, stride] = s.pattern.split(':').slice(2).map(Number) as [number, number];
  const { ptr, count } = s as Required<InputState>;
  f.get(ptr).i32Const(16).i32Add().set(ptr);
  f.get(count).i32Const(4).i32Add().tee(count).i32Const(length).raw(0x46); // i32.eq
  f.ifThen(() => {
    f.i32Const(0).set(count);
    f.get(ptr)
      .i32Const((stride - length) * 4)
      .i32Add()
      .set(ptr);
  });
}

/** Steps a `middle:inner:repeats` input by one vector. */
function advanceMiddle(f: F, s: InputState): void {
  const [inner, repeats] = s.pattern.split(':').slice(1).map(Number) as [number, number];
  walkRuns(f, s as Required<InputState>, s.bool ? 4 : 16, inner, repeats);
}

/**
 * Steps a pointer (`ptr`, four elements of `bytes` together) that walks runs of `inner`
 * elements: along its current run, then back to the run's start (`start`) until the run
 * has been walked `repeats` times, then on to the next run, which starts where the last
 * walk ended. `count` and `repeat` are its position in the run and in the repeats.
 */
function walkRuns(
  f: F,
  w: {
    readonly ptr: number;
    readonly start: number;
    readonly count: number;
    readonly repeat: number;
  },
  bytes: number,
  inner: number,
  repeats: number,
): void {
  const { ptr, start, count, repeat } = w;
  f.get(ptr).i32Const(bytes).i32Add().set(ptr);
  f.get(count).i32Const(4).i32Add().tee(count).i32Const(inner).raw(0x46); // i32.eq
  f.ifThen(() => {
    f.i32Const(0).set(count);
    f.get(repeat).i32Const(1).i32Add().tee(repeat).i32Const(repeats).raw(0x46);
    f.ifThen(
      () => {
        f.i32Const(0).set(repeat);
        f.get(ptr).set(start);
      },
      () => {
        f.get(start).set(ptr);
      },
    );
  });
}
