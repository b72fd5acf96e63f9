import { ELEMENTWISE_MEMORY } from './elementwise-kernel';
import { kernelMemory } from './matmul';
import { growMemory } from './memory';
import { buildRowsModule } from './rows-kernel';

type Run = (src: number, dst: number, m: number, n: number, srcRow: number, dstRow: number) => void;

/**
 * The row-block kernels (`copy`, `add`; see `rows-kernel.ts`) on the calling thread, over
 * the matmul's memory, which callers lay out themselves from `scratchBase()` up: they copy
 * operands in through `f32` (or find them in a program's arena there), run the kernels
 * on byte addresses, and copy results out.
 */
export interface RowsRuntime {
  readonly copy: Run;
  readonly add: Run;
  /** A view of the whole memory, valid after `reserve` (another kernel may grow it). */
  readonly f32: Float32Array;
  /** Makes the memory at least `bytes` long. */
  reserve(bytes: number): void;
}

let runtime: RowsRuntime | null | undefined;

function createRuntime(): RowsRuntime | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const km = kernelMemory();
    if (!km) return null;
    const bytes = buildRowsModule(km.shared);
    if (!WebAssembly.validate(bytes)) return null;
    const memory = km.memory;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      [ELEMENTWISE_MEMORY.module]: { [ELEMENTWISE_MEMORY.name]: memory },
    });
    let f32 = new Float32Array(memory.buffer);
    return {
      copy: exports.copy as Run,
      add: exports.add as Run,
      get f32() {
        return f32;
      },
      reserve(need) {
        growMemory(memory, need);
        if (f32.buffer !== memory.buffer) f32 = new Float32Array(memory.buffer);
      },
    };
  } catch {
    return null;
  }
}

/** The runtime, or null where WebAssembly SIMD is unavailable. */
export function rowsRuntime(): RowsRuntime | null {
  if (runtime === undefined) runtime = createRuntime();
  return runtime;
}
