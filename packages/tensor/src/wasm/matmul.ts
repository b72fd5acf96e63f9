import { JuteError } from '../core/errors';
import { Ctl, MAX_THREADS } from './control';
import {
  buildMatmulModule,
  defaultKernelConfig,
  type MatmulKernelConfig,
  MEMORY_MAX_PAGES,
  MEMORY_MODULE,
  MEMORY_NAME,
} from './matmul-kernel';
import { growMemory, KEPT_PACKS_BYTES, PAGE, roundUp, scratchBase } from './memory';
import { canBlock, hardwareThreads, newControl, type PoolWorker, workerSpawner } from './pool';

type I = number;

interface GemmExports {
  pack_b(b: I, rsB: I, csB: I, bp: I, k: I, kPad: I, n: I, jp0: I, jp1: I): void;
  gemm(
    a: I,
    rsA: I,
    csA: I,
    bp: I,
    c: I,
    ldc: I,
    k: I,
    kPad: I,
    r0: I,
    r1: I,
    j0: I,
    j1: I,
    ap: I,
    tmp: I,
    accumulate: I,
  ): void;
}

interface Runtime {
  readonly cfg: MatmulKernelConfig;
  readonly memory: WebAssembly.Memory;
  /** Whether `memory` is shared with the pool's workers (modules must declare it so). */
  readonly shared: boolean;
  readonly module: WebAssembly.Module;
  readonly ex: GemmExports;
  /** Present when the memory is shared and workers can be started. */
  readonly spawn: ((id: number) => PoolWorker) | undefined;
  readonly ctl: Int32Array;
  readonly mainCanBlock: boolean;
  workers: PoolWorker[];
  /** Views of the whole memory, renewed by `ensureBytes` whenever it has grown. */
  f32: Float32Array;
  u8: Uint8Array;
  /** Packed B operands kept at the bottom of memory; see `lookupPackedB`. */
  packs: PackCache;
}

/**
 * Packed right operands kept in wasm memory, keyed by the caller's buffer object in a
 * `WeakMap`. Not a `WeakRef`: creating or dereferencing one keeps its target alive until
 * the current synchronous job ends, so a training loop without `await` kept every weight
 * it ever multiplied (and the 2 MiB slab each small one is a view of) alive: 56 MB grew
 * to 1.9 GB in 2,000 steps. A `WeakMap` entry never keeps its key alive, and dies with it.
 */
interface PackCache {
  readonly byBuffer: WeakMap<Float32Array, PackedB[]>;
  /** Packs of an older generation were overwritten when the area was reset. */
  generation: number;
  /** End (byte offset) of the last pack of this generation. */
  top: number;
}

/** Where a packed right operand lives, and for which use of its buffer. */
interface PackedB {
  readonly generation: number;
  readonly transB: boolean;
  readonly batch: number;
  readonly k: number;
  readonly n: number;
  /** Byte offset of the first matrix's packed panels. */
  readonly offset: number;
}

const ALIGN = 64;
/**
 * Below this many multiply-adds, waking workers costs more than it saves: measured on a
 * [32,128]·[128,512] product (2^21), one thread takes 124 µs and two 145 µs.
 */
const PARALLEL_MIN_MACS = 1 << 22;
/**
 * Packed operands kept for reuse (see `cacheB`) take at most `KEPT_PACKS_BYTES`, at the
 * bottom of memory, and only packs up to a quarter of it are kept. Reuse pays when
 * packing costs as much as the product (few rows, a small weight reused at every time
 * step); large operands are packed cheaply relative to their product, and keeping them
 * grew the CNN's memory by over 100 MB.
 */
const PACK_CACHE_MAX_BYTES = KEPT_PACKS_BYTES;

let runtime: Runtime | null | undefined;
let requestedThreads: number | undefined;
/** How often `cacheB` operands were packed and how often a kept pack was reused. */
const packCounts = { packed: 0, reused: 0 };

/**
 * Counts of right operands packed and of kept packs reused since start (tests check that
 * a weight used at every time step is packed once).
 */
export function packStats(): { packed: number; reused: number } {
  return { ...packCounts };
}

function tryMemory(shared: boolean): WebAssembly.Memory | undefined {
  // A shared memory is reserved at its maximum up front; retry smaller where address
  // space is short (32-bit browsers). The module's declared maximum is an upper bound.
  for (const maximum of [MEMORY_MAX_PAGES, 16384, 4096]) {
    try {
      return new WebAssembly.Memory({ initial: 16, maximum, shared });
    } catch {}
  }
  return undefined;
}

function createRuntime(): Runtime | null {
  if (typeof WebAssembly !== 'object') return null;
  const spawner = workerSpawner();
  const attempts = spawner ? [true, false] : [false];
  for (const shared of attempts) {
    try {
      // Prefer relaxed-SIMD FMA where the engine has it (Chrome 114+, Node 22+): one
      // instruction per multiply-add, twice the peak on CPUs whose adders are the FMA
      // units (Intel); fall back to mul + add.
      let cfg: MatmulKernelConfig = { ...defaultKernelConfig, fma: true };
      let bytes = buildMatmulModule(cfg, shared);
      if (!WebAssembly.validate(bytes)) {
        cfg = { ...defaultKernelConfig, fma: false };
        bytes = buildMatmulModule(cfg, shared);
      }
      if (!WebAssembly.validate(bytes)) continue;
      const memory = tryMemory(shared);
      if (!memory) continue;
      const module = new WebAssembly.Module(bytes);
      const instance = new WebAssembly.Instance(module, {
        [MEMORY_MODULE]: { [MEMORY_NAME]: memory },
      });
      const ctl = newControl();
      const spawn =
        shared && spawner
          ? (id: number) =>
              spawner({ module, memory, control: ctl.buffer as SharedArrayBuffer, id })
          : undefined;
      return {
        cfg,
        memory,
        shared,
        module,
        ex: instance.exports as unknown as GemmExports,
        spawn,
        ctl,
        mainCanBlock: canBlock(),
        workers: [],
        f32: new Float32Array(memory.buffer),
        u8: new Uint8Array(memory.buffer),
        packs: { byBuffer: new WeakMap(), generation: 0, top: ALIGN },
      };
    } catch {
      // An engine without SIMD, threads or shared memory throws somewhere above; try
      // the next (unshared) option, else report the kernel unavailable.
    }
  }
  return null;
}

function getRuntime(): Runtime | null {
  if (runtime === undefined) runtime = createRuntime();
  return runtime;
}

/**
 * Whether the WebAssembly SIMD matmul can run here (WebAssembly with fixed-width SIMD).
 * When false, callers should use their portable TypeScript kernels.
 */
export function wasmAvailable(): boolean {
  return getRuntime() !== null;
}

/** The memory every WebAssembly kernel addresses, and views of all of it. */
export interface KernelMemory {
  readonly memory: WebAssembly.Memory;
  /** Whether it is shared with the pool's workers (kernel modules must declare it so). */
  readonly shared: boolean;
  /** Valid until the next call that may grow the memory (any kernel's). */
  readonly f32: Float32Array;
  readonly u8: Uint8Array;
}

/**
 * The memory the matmul kernels address, and every other kernel too (elementwise, fused,
 * im2col/col2im), grown to at least `bytes`; undefined where WebAssembly SIMD is
 * unavailable.
 */
export function kernelMemory(bytes = 0): KernelMemory | undefined {
  const rt = getRuntime();
  if (!rt) return undefined;
  ensureBytes(rt, bytes);
  return rt;
}

/** Whether the matmul kernel uses relaxed-SIMD fused multiply-adds (false when unavailable). */
export function matmulUsesFma(): boolean {
  return getRuntime()?.cfg.fma === true;
}

/** Threads (the calling one included) that `matmulF32` uses. */
export function getNumThreads(): number {
  const rt = getRuntime();
  if (!rt?.spawn) return 1;
  return requestedThreads ?? hardwareThreads();
}

/**
 * Sets how many threads (the calling one included) `matmulF32` uses; `n = 1` runs on the
 * calling thread only and stops the pool. Workers start here or lazily on the next call,
 * and stay parked between calls.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  }
  requestedThreads = Math.min(n, MAX_THREADS);
  const rt = getRuntime();
  if (rt) resizePool(rt, getNumThreads() - 1);
}

function resizePool(rt: Runtime, workers: number): void {
  // Between calls no worker holds a ticket (a job returns only when all are done), so
  // stopping one can never lose work.
  while (rt.workers.length > workers) {
    rt.workers.pop()?.terminate();
    Atomics.store(rt.ctl, Ctl.READY + rt.workers.length + 1, 0);
  }
  if (!rt.spawn) return;
  while (rt.workers.length < workers) rt.workers.push(rt.spawn(rt.workers.length + 1));
}

/**
 * Resolves once every pool worker has compiled the kernel and is parked, so the next
 * call runs on all threads. Optional: calls made before that start on fewer threads.
 */
export async function whenThreadsReady(timeoutMs = 10_000): Promise<number> {
  const rt = getRuntime();
  if (!rt) return 1;
  resizePool(rt, getNumThreads() - 1);
  const ready = () =>
    rt.workers.reduce((s, _, i) => s + Atomics.load(rt.ctl, Ctl.READY + i + 1), 0);
  const t0 = Date.now();
  while (ready() < rt.workers.length && Date.now() - t0 < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return ready() + 1;
}

/** Per-thread count of work tickets run since start (index 0: the calling thread). */
export function threadTicketCounts(): number[] {
  const rt = getRuntime();
  if (!rt) return [];
  return Array.from({ length: rt.workers.length + 1 }, (_, i) =>
    Atomics.load(rt.ctl, Ctl.STATS + i),
  );
}

function ensureBytes(rt: Runtime, bytes: number): void {
  growMemory(rt.memory, bytes);
  // A shared memory's buffer is a new object after growth even where no view detaches.
  if (rt.f32.buffer !== rt.memory.buffer || rt.f32.length * 4 !== rt.memory.buffer.byteLength) {
    rt.f32 = new Float32Array(rt.memory.buffer);
    rt.u8 = new Uint8Array(rt.memory.buffer);
  }
}

/** Options of `matmulF32Into` and `matmulF32Batched`. */
export interface MatmulF32Options {
  /** `a` holds A transposed, i.e. a `[k, m]` row-major array (per matrix of a batch). */
  readonly transA?: boolean;
  /** `b` holds B transposed, i.e. a `[n, k]` row-major array (per matrix of a batch). */
  readonly transB?: boolean;
  /** Add the product to `out` instead of overwriting it. */
  readonly accumulate?: boolean;
  /**
   * Promise that `b` is never modified, so its packed form may be kept in wasm memory and
   * reused when the same array object comes back (a recurrent weight used at every time
   * step). The backend sets it: its arrays are immutable.
   */
  readonly cacheB?: boolean;
}

/**
 * The packed form of `b` kept by an earlier call, or a place to keep it (`hit` false),
 * or undefined when it is too big to keep. Packs are bump-allocated; when the area is
 * full it starts over with a new generation, which invalidates every older pack (those of
 * collected buffers included, so their space costs nothing for long).
 */
function lookupPackedB(
  rt: Runtime,
  b: Float32Array,
  transB: boolean,
  batch: number,
  k: number,
  n: number,
  bytes: number,
): { offset: number; hit: boolean } | undefined {
  const cache = rt.packs;
  const list = (cache.byBuffer.get(b) ?? []).filter((e) => e.generation === cache.generation);
  const found = list.find(
    (e) => e.transB === transB && e.batch === batch && e.k === k && e.n === n,
  );
  if (found) {
    packCounts.reused++;
    return { offset: found.offset, hit: true };
  }
  if (bytes > PACK_CACHE_MAX_BYTES / 4) return undefined;
  packCounts.packed++;
  if (cache.top + bytes > ALIGN + PACK_CACHE_MAX_BYTES) {
    cache.generation++;
    cache.top = ALIGN;
    list.length = 0;
  }
  const offset = cache.top;
  cache.top = roundUp(offset + bytes, ALIGN);
  list.push({ generation: cache.generation, transB, batch, k, n, offset });
  cache.byBuffer.set(b, list);
  return { offset, hit: false };
}

/**
 * `out[m, n] (+)= A[m, k] @ B[k, n]` for row-major float32 data, on the WebAssembly SIMD
 * kernel, split across the worker pool. Synchronous: returns when `out` holds the result.
 *
 * @throws RangeError when the WebAssembly kernel is unavailable (see `wasmAvailable`) or
 * an array is shorter than its shape.
 */
export function matmulF32Into(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  options: MatmulF32Options = {},
): Float32Array {
  matmulF32Batched(a, b, out, 1, m, k, n, options);
  return out;
}

/**
 * An operand of `matmulF32Batched`: a typed array, copied into the kernel memory, or the
 * byte offset of data already there (a value in a compiled program's arena).
 */
export type Operand = Float32Array | number;

/**
 * `out[i] (+)= A[i] @ B[i]` for `i < batch`, with `a` `[batch, m, k]`, `b` `[batch, k, n]`
 * and `out` `[batch, m, n]` row-major float32 (the argument order of the CPU backend's
 * `setMatmulKernel`). All matrices of the batch share one job on the pool, so many
 * small products cost one wake-up, not one each. An operand given as a byte offset into
 * the kernel memory (see `kernelMemory`) is read or written in place.
 *
 * @throws RangeError when the WebAssembly kernel is unavailable (see `wasmAvailable`) or
 * an array is shorter than its shape.
 */
export function matmulF32Batched(
  a: Operand,
  b: Operand,
  out: Operand,
  batch: number,
  m: number,
  k: number,
  n: number,
  options: MatmulF32Options = {},
): void {
  for (const [name, v] of [
    ['batch', batch],
    ['m', m],
    ['k', k],
    ['n', n],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`matmulF32: bad ${name} = ${v}`);
  }
  const [aSize, bSize, cSize] = [m * k, k * n, m * n];
  const short = (x: Operand, size: number) => typeof x !== 'number' && x.length < batch * size;
  if (short(a, aSize) || short(b, bSize) || short(out, cSize)) {
    const len = (x: Operand) => (typeof x === 'number' ? `at ${x}` : x.length);
    throw new RangeError(
      `matmulF32: arrays too short for ${batch} x [${m},${k}] @ [${k},${n}]: ` +
        `a ${len(a)}, b ${len(b)}, out ${len(out)}`,
    );
  }
  const accumulate = options.accumulate === true;
  if (batch === 0 || m === 0 || n === 0) return;
  const rt = getRuntime();
  if (k === 0) {
    if (accumulate) return;
    if (typeof out !== 'number') out.fill(0, 0, batch * cSize);
    else if (rt) {
      ensureBytes(rt, out + batch * cSize * 4);
      rt.f32.fill(0, out / 4, out / 4 + batch * cSize);
    }
    return;
  }
  if (!rt) throw new RangeError('matmulF32: WebAssembly SIMD is not available');
  const { mr, nr, kc, mc, unroll } = rt.cfg;

  const threads = batch * m * k * n >= PARALLEL_MIN_MACS ? getNumThreads() : 1;
  if (threads > 1) resizePool(rt, threads - 1);
  const slots = threads > 1 ? rt.workers.length + 1 : 1;

  // Where rows and columns alone give fewer tickets than threads (the weight gradient of
  // a layer with few inputs and outputs, contracting a long batch), the depth is split
  // into slices: each ticket multiplies one slice into a partial product of its own, and
  // the partials are summed after. The last k mod slices rows are added on this thread.
  let grid = ticketGrid(rt.cfg, m, n, Math.ceil((threads * 6) / batch));
  const slices =
    threads > 1 && batch === 1 && grid.rowChunks === 1 && grid.colChunks < threads
      ? Math.min(threads * 3, Math.floor(k / SLICE_MIN_DEPTH))
      : 1;
  const depth = slices > 1 ? Math.floor(k / slices) : k;
  if (slices > 1) grid = ticketGrid(rt.cfg, m, n, Math.ceil((threads * 6) / slices));

  // Layout from `scratchBase()` up (below it: the kept packs and every running program's
  // arena): [scratch per thread][A][B][packed B][C][partials], 64-byte aligned, each
  // operand only where it is not in memory already. Only the kept packs outlive the call.
  const kPad = roundUp(depth, unroll);
  const panels = Math.ceil(n / nr);
  const tmpOffset = mc * kc * 4;
  const scratchStride = roundUp(tmpOffset + mr * nr * 4, ALIGN);
  const matrices = batch * slices;
  const bpStride = panels * kPad * nr * 4;
  const transB = options.transB === true;
  const kept =
    options.cacheB === true && typeof b !== 'number' && slices === 1
      ? lookupPackedB(rt, b, transB, batch, k, n, batch * bpStride)
      : undefined;
  const scratch = roundUp(scratchBase(), ALIGN);
  let top = scratch + slots * scratchStride;
  const reserve = (bytes: number): number => {
    const at = top;
    top = roundUp(at + bytes, ALIGN);
    return at;
  };
  const place = (x: Operand, bytes: number) => (typeof x === 'number' ? x : reserve(bytes));
  const aOff = place(a, batch * aSize * 4);
  const bOff = kept?.hit ? 0 : place(b, batch * bSize * 4);
  const bpOff = kept ? kept.offset : reserve(matrices * bpStride);
  const cOff = place(out, batch * cSize * 4);
  const partials = slices > 1 ? reserve(slices * cSize * 4) : cOff;
  if (top > MEMORY_MAX_PAGES * PAGE) {
    throw new RangeError(`matmulF32: ${batch} x [${m},${k}] @ [${k},${n}] needs more than 4 GiB`);
  }
  ensureBytes(rt, top);
  const f32 = rt.f32;
  if (typeof a !== 'number') f32.set(a.subarray(0, batch * aSize), aOff / 4);
  if (accumulate && typeof out !== 'number') f32.set(out.subarray(0, batch * cSize), cOff / 4);
  if (!kept?.hit && typeof b !== 'number') f32.set(b.subarray(0, batch * bSize), bOff / 4);

  const [rsA, csA] = options.transA === true ? [1, m] : [k, 1];
  const [rsB, csB] = transB ? [1, k] : [n, 1];
  // A ticket that owns whole columns of its matrix packs them itself, in parallel and
  // just before it reads them; else all of B is packed here first.
  const aStride = slices > 1 ? depth * csA * 4 : aSize * 4;
  const bStride = slices > 1 ? depth * rsB * 4 : bSize * 4;
  const packInTicket = !kept?.hit && grid.rowChunks === 1;
  if (!kept?.hit && !packInTicket) {
    for (let i = 0; i < matrices; i++) {
      rt.ex.pack_b(bOff + i * bStride, rsB, csB, bpOff + i * bpStride, depth, kPad, n, 0, panels);
    }
  }
  const job: GemmJob = {
    a: aOff,
    rsA,
    csA,
    aStride,
    b: packInTicket ? bOff : -1,
    rsB,
    csB,
    bStride,
    bp: bpOff,
    bpStride,
    c: partials,
    cStride: cSize * 4,
    m,
    n,
    k: depth,
    kPad,
    ...grid,
    count: matrices * grid.rowChunks * grid.colChunks,
    accumulate: accumulate && slices === 1,
    scratch,
    scratchStride,
    tmpOffset,
  };
  runJob(rt, job, threads);
  if (slices > 1) {
    const rest = k - slices * depth;
    if (rest > 0) {
      // The last rows of the depth, into the first partial, on this thread.
      const restPad = roundUp(rest, unroll);
      const bRest = bOff + slices * depth * rsB * 4;
      rt.ex.pack_b(bRest, rsB, csB, bpOff, rest, restPad, n, 0, panels);
      const aRest = aOff + slices * depth * csA * 4;
      rt.ex.gemm(
        aRest,
        rsA,
        csA,
        bpOff,
        partials,
        n,
        rest,
        restPad,
        0,
        m,
        0,
        n,
        scratch,
        scratch + tmpOffset,
        1,
      );
    }
    sumPartials(rt.f32, partials / 4, slices, cSize, cOff / 4, accumulate);
  }
  if (typeof out !== 'number') out.set(rt.f32.subarray(cOff / 4, cOff / 4 + batch * cSize));
}

/** Depth slices are at least this deep (one k block of the kernel). */
const SLICE_MIN_DEPTH = 256;

/** How a matrix is cut into tickets: row chunks of `rows`, column chunks of `cols`. */
interface TicketGrid {
  readonly rows: number;
  readonly rowChunks: number;
  readonly cols: number;
  readonly colChunks: number;
}

/**
 * About `want` tickets for an `m x n` result, but no fewer than 32 rows or 64 columns
 * each, so a B panel loaded into L1 is reused across several A panels.
 */
function ticketGrid(cfg: MatmulKernelConfig, m: number, n: number, want: number): TicketGrid {
  const rows = Math.min(
    cfg.mc,
    roundUp(m, cfg.mr),
    Math.max(roundUp(Math.ceil(m / want), cfg.mr), 32),
  );
  const rowChunks = Math.ceil(m / rows);
  const chunks = Math.max(1, Math.min(Math.ceil(want / rowChunks), Math.ceil(n / 64)));
  const cols = roundUp(Math.ceil(n / chunks), cfg.nr);
  return { rows, rowChunks, cols, colChunks: Math.ceil(n / cols) };
}

/** One call's tickets: byte offsets and strides of every operand, and the grid. */
interface GemmJob extends TicketGrid {
  readonly a: number;
  readonly rsA: number;
  readonly csA: number;
  /** Bytes between consecutive matrices (or depth slices) of A, raw B, packed B and C. */
  readonly aStride: number;
  /** Raw B, which each ticket packs its own columns of; -1 when B is packed already. */
  readonly b: number;
  readonly rsB: number;
  readonly csB: number;
  readonly bStride: number;
  readonly bp: number;
  readonly bpStride: number;
  readonly c: number;
  readonly cStride: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly kPad: number;
  readonly count: number;
  readonly accumulate: boolean;
  readonly scratch: number;
  readonly scratchStride: number;
  readonly tmpOffset: number;
}

/**
 * Runs every ticket of `job`: on this thread alone, or shared with the pool. Tickets
 * are about six per thread, so a thread that the OS descheduled (the machine may be
 * shared) holds up little.
 */
function runJob(rt: Runtime, job: GemmJob, threads: number): void {
  const { rows, cols, colChunks, rowChunks, m, n, k, kPad } = job;
  const { nr } = rt.cfg;
  const perMatrix = rowChunks * colChunks;
  const acc = job.accumulate ? 1 : 0;
  const runTicket = (t: number): void => {
    const bi = Math.floor(t / perMatrix);
    const tm = t - bi * perMatrix;
    const rc = Math.floor(tm / colChunks);
    const r0 = rc * rows;
    const j0 = (tm - rc * colChunks) * cols;
    const j1 = Math.min(n, j0 + cols);
    const bp = job.bp + bi * job.bpStride;
    if (job.b >= 0) {
      rt.ex.pack_b(
        job.b + bi * job.bStride,
        job.rsB,
        job.csB,
        bp,
        k,
        kPad,
        n,
        j0 / nr,
        Math.ceil(j1 / nr),
      );
    }
    rt.ex.gemm(
      job.a + bi * job.aStride,
      job.rsA,
      job.csA,
      bp,
      job.c + bi * job.cStride,
      n,
      k,
      kPad,
      r0,
      Math.min(m, r0 + rows),
      j0,
      j1,
      job.scratch,
      job.scratch + job.tmpOffset,
      acc,
    );
  };
  if (threads === 1 || job.count === 1) {
    for (let t = 0; t < job.count; t++) runTicket(t);
    return;
  }
  const S = (i: number, v: number) => Atomics.store(rt.ctl, i, v);
  runParallel(rt, job.count, runTicket, () => {
    S(Ctl.A, job.a);
    S(Ctl.RS_A, job.rsA);
    S(Ctl.CS_A, job.csA);
    S(Ctl.B, job.b);
    S(Ctl.RS_B, job.rsB);
    S(Ctl.CS_B, job.csB);
    S(Ctl.B_STRIDE, job.bStride);
    S(Ctl.NR, nr);
    S(Ctl.BP, job.bp);
    S(Ctl.C, job.c);
    S(Ctl.LDC, n);
    S(Ctl.K, k);
    S(Ctl.K_PAD, kPad);
    S(Ctl.M, m);
    S(Ctl.N, n);
    S(Ctl.ROWS, rows);
    S(Ctl.COLS, cols);
    S(Ctl.COL_CHUNKS, colChunks);
    S(Ctl.ACCUMULATE, acc);
    S(Ctl.SCRATCH, job.scratch);
    S(Ctl.SCRATCH_STRIDE, job.scratchStride);
    S(Ctl.TMP_OFFSET, job.tmpOffset);
    S(Ctl.A_STRIDE, job.aStride);
    S(Ctl.BP_STRIDE, job.bpStride);
    S(Ctl.C_STRIDE, job.cStride);
    S(Ctl.PER_MATRIX, perMatrix);
  });
}

/** `f32[to..] (+)= Σ` of `slices` partial products of `size` elements from `from`. */
function sumPartials(
  f32: Float32Array,
  from: number,
  slices: number,
  size: number,
  to: number,
  accumulate: boolean,
): void {
  for (let i = 0; i < size; i++) {
    let sum = accumulate ? f32[to + i]! : 0;
    for (let s = 0; s < slices; s++) sum += f32[from + s * size + i]!;
    f32[to + i] = sum;
  }
}

/**
 * Publishes a job to the pool (`writeParams` stores its parameters into the control
 * block), works on it on this thread too, and returns when every ticket is done.
 */
function runParallel(
  rt: Runtime,
  count: number,
  runTicket: (t: number) => void,
  writeParams: () => void,
): void {
  const ctl = rt.ctl;
  // The previous job is complete and tickets outside a job's range cannot be claimed,
  // so nobody moves NEXT or DONE while we read them.
  const base = Atomics.load(ctl, Ctl.NEXT);
  const doneBase = Atomics.load(ctl, Ctl.DONE);
  Atomics.add(ctl, Ctl.GEN, 1); // odd: parameters being written
  writeParams();
  Atomics.store(ctl, Ctl.BASE, base);
  Atomics.store(ctl, Ctl.COUNT, count);
  Atomics.store(ctl, Ctl.DONE_BASE, doneBase);
  Atomics.add(ctl, Ctl.GEN, 1); // even: published
  Atomics.notify(ctl, Ctl.GEN);

  // A ticket that throws still counts as done (here and in the workers), so nobody waits
  // for it forever; the first failure is recorded in ERROR and later tickets are skipped.
  let ownError: unknown;
  for (;;) {
    const cur = Atomics.load(ctl, Ctl.NEXT);
    if ((cur - base) >>> 0 >= count) break;
    if (Atomics.compareExchange(ctl, Ctl.NEXT, cur, (cur + 1) | 0) !== cur) continue;
    if (Atomics.load(ctl, Ctl.ERROR) === 0) {
      try {
        runTicket((cur - base) >>> 0);
      } catch (e) {
        if (Atomics.compareExchange(ctl, Ctl.ERROR, 0, 1) === 0) ownError = e;
      }
    }
    Atomics.add(ctl, Ctl.STATS, 1);
    Atomics.add(ctl, Ctl.DONE, 1);
  }
  // Wait for tickets other threads still run: spin briefly (they are usually nearly
  // done), then sleep where this thread may block.
  let spins = 0;
  for (;;) {
    const done = Atomics.load(ctl, Ctl.DONE);
    if ((done - doneBase) >>> 0 >= count) break;
    if (spins < 20_000 || !rt.mainCanBlock) spins++;
    else Atomics.wait(ctl, Ctl.DONE, done);
  }
  const failed = Atomics.load(ctl, Ctl.ERROR);
  if (failed === 0) return;
  // Every ticket is accounted for, so the pool is idle and ready for the next job.
  Atomics.store(ctl, Ctl.ERROR, 0);
  if (failed === 1) throw ownError;
  const len = Atomics.load(ctl, Ctl.ERROR_LEN);
  const text = String.fromCharCode(...ctl.subarray(Ctl.ERROR_MSG, Ctl.ERROR_MSG + len));
  throw new JuteError(`matmul: pool worker ${failed - 1} failed: ${text}`);
}

/**
 * Test hook: the next matmul ticket a pool worker claims throws inside the worker, as a
 * kernel fault would. The caller must see the error, and the pool must keep working.
 * Returns false where there is no pool (no shared memory or threads).
 */
export function injectWorkerFault(): boolean {
  const rt = getRuntime();
  if (!rt?.spawn) return false;
  Atomics.store(rt.ctl, Ctl.FAULT, 1);
  return true;
}

/** Test hook: withdraws a fault `injectWorkerFault` armed that no worker has hit yet. */
export function clearWorkerFault(): void {
  const rt = getRuntime();
  if (rt?.spawn) Atomics.store(rt.ctl, Ctl.FAULT, 0);
}

/**
 * `A[m, k] @ B[k, n]` for row-major float32 data on the WebAssembly SIMD kernel, using
 * every thread of the pool (see `setNumThreads`). Synchronous.
 *
 * @example
 * ```ts
 * if (wasmAvailable()) {
 *   const c = matmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), 2, 2, 2);
 *   // c = [19, 22, 43, 50]
 * }
 * ```
 */
export function matmulF32(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  return matmulF32Into(new Float32Array(m * n), a, b, m, k, n);
}
