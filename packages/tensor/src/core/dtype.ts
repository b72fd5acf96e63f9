import { DTypeError } from './errors';

/** The element types Jute arrays hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that stores each dtype (`bool` as 0/1 bytes). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** Promotion order: JAX's lattice restricted to Jute's dtypes is a chain. */
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';
export const isInt = (d: DType): boolean => d === 'int32';

/** The dtype two arrays promote to (JAX rules: bool < int32 < float32 < float64). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The dtype an array of dtype `d` combined with a JS number takes. JS numbers are weakly
 * typed: they never widen an array's dtype, except that a non-integer number lifts
 * integers and booleans to float32, and any number lifts bool to int32.
 */
export function promoteWithScalar(d: DType, value: number | boolean): DType {
  if (typeof value === 'boolean') return d;
  if (isFloat(d)) return d;
  if (!Number.isInteger(value)) return 'float32';
  return d === 'bool' ? 'int32' : d;
}

/** The dtype a JS value gets when it becomes an array on its own. */
export const scalarDType = (value: number | boolean): DType =>
  typeof value === 'boolean' ? 'bool' : 'float32';

/**
 * Small arrays are views into shared 2 MiB slabs. Creating an `ArrayBuffer` has a fixed
 * cost (a zeroed allocation outside the JS heap, and bookkeeping that makes V8 collect
 * garbage more often), which dominated the many small kernels of an unrolled LSTM step:
 * bump-allocating views took its training step from about 440 to 370 ms. A slab is freed
 * once none of its views is reachable; it is never reused, so new views are zero like a
 * fresh typed array. The price: one long-lived small array keeps its whole slab alive,
 * so retained memory can exceed live data by about the small arrays allocated in one
 * training step.
 */
const SLAB_BYTES = 2 << 20;
/** Larger arrays get their own buffer; smaller than V8's on-heap limit too (64 bytes). */
const SLAB_MAX_BYTES = 64 << 10;
const ON_HEAP_BYTES = 64;
let slab = /*#__PURE__*/ new ArrayBuffer(0);
let slabUsed = 0;

/** Byte offset of `bytes` fresh (zero) bytes in the current slab, starting a new one if full. */
function slabOffset(bytes: number): number {
  // 8-byte alignment serves every element type, float64 included.
  const aligned = (bytes + 7) & ~7;
  if (slabUsed + aligned > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += aligned;
  return at;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/**
 * Large buffers that compiled programs have released (see `recycleBuffer`), by byte
 * length. A fresh multi-megabyte buffer costs about 0.3 ms per MiB in page faults (glibc
 * maps it anew each time), far more than zeroing a reused one; a training step allocates
 * the same sizes every call, so its intermediates come back here and are handed out again.
 */
const spare = new Map<number, ArrayBuffer[]>();
/** Buffers `allocate` made and nobody has released: the only ones that may be recycled. */
const recyclable = new WeakSet<ArrayBuffer>();
/** At most this many bytes wait for reuse; beyond it, released buffers go to the GC. */
const SPARE_MAX_BYTES = 512 << 20;
let spareBytes = 0;

function ownBuffer(bytes: number, zeroed: boolean): ArrayBuffer {
  const reused = spare.get(bytes)?.pop();
  let buffer: ArrayBuffer;
  if (reused === undefined) buffer = new ArrayBuffer(bytes);
  else {
    spareBytes -= bytes;
    if (zeroed) new Uint8Array(reused).fill(0);
    buffer = reused;
  }
  recyclable.add(buffer);
  return buffer;
}

/**
 * Hands a buffer from `allocate` back for reuse. The caller promises that nothing reads or
 * writes it any more, through any view. Buffers `allocate` did not make (a user's typed
 * array, WebAssembly memory, slabs of small arrays) and a second release are ignored.
 */
export function recycleBuffer(buffer: ArrayBufferLike): void {
  if (!recyclable.has(buffer as ArrayBuffer)) return;
  recyclable.delete(buffer as ArrayBuffer);
  const bytes = buffer.byteLength;
  if (spareBytes + bytes > SPARE_MAX_BYTES) return;
  spareBytes += bytes;
  const list = spare.get(bytes);
  if (list === undefined) spare.set(bytes, [buffer as ArrayBuffer]);
  else list.push(buffer as ArrayBuffer);
}

/** Whether `recycleBuffer` would take this buffer (it is large and from `allocate`). */
export const isRecyclable = (buffer: ArrayBufferLike): boolean =>
  recyclable.has(buffer as ArrayBuffer);

/**
 * A zero-filled buffer of `size` elements of `dtype`. A kernel that writes every element
 * passes `zeroed: false`, which skips clearing a recycled buffer (a memset of megabytes);
 * its contents are then arbitrary.
 */
export function allocate(dtype: DType, size: number, zeroed = true): TypedArray {
  const bytes = size * BYTES[dtype];
  if (bytes > ON_HEAP_BYTES && bytes <= SLAB_MAX_BYTES) {
    const at = slabOffset(bytes); // first: it may replace `slab`
    switch (dtype) {
      case 'float32':
        return new Float32Array(slab, at, size);
      case 'float64':
        return new Float64Array(slab, at, size);
      case 'int32':
        return new Int32Array(slab, at, size);
      case 'bool':
        return new Uint8Array(slab, at, size);
    }
  }
  if (bytes <= SLAB_MAX_BYTES) {
    switch (dtype) {
      case 'float32':
        return new Float32Array(size);
      case 'float64':
        return new Float64Array(size);
      case 'int32':
        return new Int32Array(size);
      case 'bool':
        return new Uint8Array(size);
    }
  }
  const buffer = ownBuffer(bytes, zeroed);
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'bool':
      return new Uint8Array(buffer);
  }
}

/** The dtype a typed array stores. */
export function dtypeOfTypedArray(data: TypedArray, op = 'array'): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  throw new DTypeError(
    `${op}: unsupported typed array ${Object.prototype.toString.call(data)} (expected Float32Array, Float64Array, Int32Array or Uint8Array)`,
  );
}

export function checkDType(op: string, dtype: string): DType {
  if ((DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new DTypeError(`${op}: unknown dtype '${dtype}' (expected one of ${DTYPES.join(', ')})`);
}
