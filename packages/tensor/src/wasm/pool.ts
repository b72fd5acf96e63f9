import { Ctl, MAX_THREADS } from './control';
import { workerSource } from './worker-source';

/**
 * Starting and stopping pool workers in whichever environment we run in, without a
 * static import of anything Node-only (this package must bundle for browsers and compiles
 * with `types: []`).
 */

/** The part of a Node or DOM worker the pool uses. */
export interface PoolWorker {
  terminate(): void;
}

/** What a worker receives once, before it starts its loop. */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly id: number;
}

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

interface NodeWorker {
  postMessage(value: unknown): void;
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true }) => NodeWorker;
}

interface NodeOs {
  availableParallelism?: () => number;
  cpus(): readonly unknown[];
}

/**
 * A Node built-in through `process.getBuiltinModule` (Node >= 20.16): synchronous, so the
 * pool can start inside a synchronous call, and invisible to bundlers and to `tsc`.
 */
function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  try {
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** Hardware threads available to this process (1 when unknown). */
export function hardwareThreads(): number {
  const os = nodeBuiltin<NodeOs>('node:os');
  let n: number | undefined;
  if (os) n = os.availableParallelism?.() ?? os.cpus().length;
  else if (typeof navigator !== 'undefined') n = navigator.hardwareConcurrency;
  return Math.max(1, Math.min(MAX_THREADS, n ?? 1));
}

let blobUrl: string | undefined;

/**
 * A function that starts worker `id` with `init`, or undefined when this environment
 * cannot share memory with workers (then everything runs on the calling thread).
 */
export function workerSpawner(): ((init: WorkerInit) => PoolWorker) | undefined {
  if (!sharedMemoryAvailable()) return undefined;
  const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
  if (wt) {
    return (init) => {
      const w = new wt.Worker(workerSource(), { eval: true });
      // A ticket that throws is caught in the worker and reported to the caller through
      // the control block. What is left (a worker that fails to start) only means fewer
      // threads: the caller's thread takes the tickets, so it must not become an
      // uncaught exception in the main thread.
      w.on('error', () => {});
      // Idle workers sit in Atomics.wait forever; they must not keep the process alive.
      w.unref();
      w.postMessage(init);
      return { terminate: () => void w.terminate() };
    };
  }
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (
    typeof Worker === 'function' &&
    g.crossOriginIsolated === true &&
    typeof Blob === 'function'
  ) {
    return (init) => {
      blobUrl ??= URL.createObjectURL(new Blob([workerSource()], { type: 'text/javascript' }));
      const w = new Worker(blobUrl);
      w.postMessage(init);
      return { terminate: () => w.terminate() };
    };
  }
  return undefined;
}

/**
 * Whether this thread may block in `Atomics.wait` (Node's main thread and workers may,
 * a browser window's main thread may not). The spec checks this before comparing the
 * value, so probing with a mismatching value never blocks.
 */
export function canBlock(): boolean {
  if (!sharedMemoryAvailable()) return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether this environment has shared memory (a browser page needs cross-origin isolation). */
export function sharedMemoryAvailable(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

/**
 * A control block for `Ctl`: shared where workers can read it, else a plain one (a page
 * without cross-origin isolation has no `SharedArrayBuffer`, and the kernels must still
 * run there, on the calling thread).
 */
export function newControl(): Int32Array {
  if (sharedMemoryAvailable()) return new Int32Array(new SharedArrayBuffer(Ctl.LENGTH * 4));
  return new Int32Array(Ctl.LENGTH);
}
