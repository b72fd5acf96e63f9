import { ELEMENTWISE_MEMORY } from './elementwise-kernel';
import { kernelMemory } from './matmul';
import { buildRowsModule } from './rows-kernel';

type Run = (src: number, dst: number, m: number, n: number, srcRow: number, dstRow: number) => void;

/**
 * The row-block kernels (`copy`, `add`; see `rows-kernel.ts`) on the calling thread, over
 * the matmul's memory (`kernelMemory`), which callers lay out themselves from
 * `scratchBase()` up: they copy operands in (or find them in a program's arena there),
 * run the kernels on byte addresses, and copy results out.
 */
export interface RowsRuntime {
  readonly copy: Run;
  readonly add: Run;
}

let runtime: RowsRuntime | null | undefined;

function createRuntime(): RowsRuntime | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    const km = kernelMemory();
    if (!km) return null;
    const bytes = buildRowsModule(km.shared);
    if (!WebAssembly.validate(bytes)) return null;
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      [ELEMENTWISE_MEMORY.module]: { [ELEMENTWISE_MEMORY.name]: km.memory },
    });
    return { copy: exports.copy as Run, add: exports.add as Run };
  } catch {
    return null;
  }
}

/** The runtime, or null where WebAssembly SIMD is unavailable. */
export function rowsRuntime(): RowsRuntime | null {
  if (runtime === undefined) runtime = createRuntime();
  return runtime;
}
