/**
 * A tiny WebAssembly binary emitter: just enough of the format (types, one imported
 * shared memory, functions, exports, code) and of the instruction set (i32 arithmetic,
 * control flow, f32/f64 scalars, v128 memory access, and the f32x4, f64x2, i32x4 and
 * bitwise SIMD ops the kernels use) to generate numeric kernels at run time. Generating the bytes in TypeScript keeps the package free of committed
 * binaries and of any build-time compiler, and lets a kernel's tile sizes be parameters.
 *
 * The encoding follows the WebAssembly core specification (binary format, section 5)
 * and the fixed-width SIMD and relaxed-SIMD proposals for the `0xfd`-prefixed opcodes.
 */

/** Value types, by their binary encoding. */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Unsigned LEB128, the encoding of every index, count and size in a module. */
export function uleb128(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`uleb128: expected a u32, got ${value}`);
  }
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    // Division, not `>>>`, so values up to 2^32 - 1 stay exact.
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128, the encoding of `i32.const` immediates. */
export function sleb128(value: number): number[] {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new RangeError(`sleb128: expected an i32, got ${value}`);
  }
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    // Done once the rest is pure sign extension of the byte's top bit.
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function encodeString(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb128(bytes.length), ...bytes];
}

/** Little-endian bytes of one number stored as `kind` (WebAssembly is little-endian). */
function leBytes(kind: 'f32' | 'f64' | 'i32', value: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  if (kind === 'f32') view.setFloat32(0, value, true);
  else if (kind === 'f64') view.setFloat64(0, value, true);
  else view.setInt32(0, value, true);
  return Array.from(new Uint8Array(view.buffer, 0, kind === 'f64' ? 8 : 4));
}

function encodeVector(items: readonly number[][]): number[] {
  return [...uleb128(items.length), ...items.flat()];
}

/**
 * Builds one function body. Methods append instructions and return `this`, so kernels
 * read as straight-line assembly; structured helpers (`loop`, `ifThen`) keep block
 * nesting balanced by construction.
 */
export class FunctionBuilder {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  private readonly localTypes: ValType[] = [];
  private readonly code: number[] = [];

  constructor(params: readonly ValType[], results: readonly ValType[] = []) {
    this.params = params;
    this.results = results;
  }

  /** Declares a new local and returns its index (parameters come first). */
  local(type: ValType): number {
    this.localTypes.push(type);
    return this.params.length + this.localTypes.length - 1;
  }

  /** Appends raw bytes (an opcode and its immediates). */
  raw(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  // Variables and constants.
  get(index: number): this {
    return this.raw(0x20, ...uleb128(index));
  }
  set(index: number): this {
    return this.raw(0x21, ...uleb128(index));
  }
  tee(index: number): this {
    return this.raw(0x22, ...uleb128(index));
  }
  i32Const(value: number): this {
    return this.raw(0x41, ...sleb128(value));
  }
  drop(): this {
    return this.raw(0x1a);
  }

  // i32 arithmetic and comparisons.
  i32Add(): this {
    return this.raw(0x6a);
  }
  i32Sub(): this {
    return this.raw(0x6b);
  }
  i32Mul(): this {
    return this.raw(0x6c);
  }
  i32Shl(): this {
    return this.raw(0x74);
  }
  i32Eqz(): this {
    return this.raw(0x45);
  }
  i32Ne(): this {
    return this.raw(0x47);
  }
  i32LtS(): this {
    return this.raw(0x48);
  }
  i32LtU(): this {
    return this.raw(0x49);
  }
  i32GeS(): this {
    return this.raw(0x4e);
  }
  i32And(): this {
    return this.raw(0x71);
  }
  i32Or(): this {
    return this.raw(0x72);
  }
  i32ShrS(): this {
    return this.raw(0x75);
  }
  i32ShrU(): this {
    return this.raw(0x76);
  }
  /** `select` with an explicit i32 result keeps the encoding valid for any operand type. */
  select(): this {
    return this.raw(0x1b);
  }

  // Memory: `align` is log2 of the byte alignment hint; `offset` is a static byte offset.
  f32Load(offset = 0, align = 2): this {
    return this.raw(0x2a, align, ...uleb128(offset));
  }
  f32Store(offset = 0, align = 2): this {
    return this.raw(0x38, align, ...uleb128(offset));
  }
  f64Load(offset = 0, align = 3): this {
    return this.raw(0x2b, align, ...uleb128(offset));
  }
  f64Store(offset = 0, align = 3): this {
    return this.raw(0x39, align, ...uleb128(offset));
  }
  f32Add(): this {
    return this.raw(0x92);
  }
  f32Const0(): this {
    return this.raw(0x43, 0, 0, 0, 0);
  }
  /** `f32.const`: `value` rounded to float32, little-endian. */
  f32Const(value: number): this {
    return this.raw(0x43, ...leBytes('f32', value));
  }
  f64Const(value: number): this {
    return this.raw(0x44, ...leBytes('f64', value));
  }
  f32Eq(): this {
    return this.raw(0x5b);
  }
  f32Ne(): this {
    return this.raw(0x5c);
  }
  f32Gt(): this {
    return this.raw(0x5e);
  }
  f64Add(): this {
    return this.raw(0xa0);
  }
  f32DemoteF64(): this {
    return this.raw(0xb6);
  }
  f64PromoteF32(): this {
    return this.raw(0xbb);
  }

  // SIMD (0xfd prefix, LEB-encoded opcode).
  private simd(op: number, ...imm: number[]): this {
    return this.raw(0xfd, ...uleb128(op), ...imm);
  }
  v128Load(offset = 0, align = 4): this {
    return this.simd(0x00, align, ...uleb128(offset));
  }
  v128Load32Splat(offset = 0, align = 2): this {
    return this.simd(0x09, align, ...uleb128(offset));
  }
  v128Store(offset = 0, align = 4): this {
    return this.simd(0x0b, align, ...uleb128(offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  /** `v128.const` with 16 explicit bytes (lane 0 first). */
  v128Const(bytes: readonly number[]): this {
    if (bytes.length !== 16)
      throw new RangeError(`v128Const: expected 16 bytes, got ${bytes.length}`);
    return this.simd(0x0c, ...bytes);
  }
  /** A `v128.const` with `value` (rounded to float32) in all four lanes. */
  f32x4Const(value: number): this {
    return this.v128Const(new Array<number[]>(4).fill(leBytes('f32', value)).flat());
  }
  /** A `v128.const` with the i32 `value` in all four lanes. */
  i32x4Const(value: number): this {
    return this.v128Const(new Array<number[]>(4).fill(leBytes('i32', value)).flat());
  }
  /** A `v128.const` with `value` in both f64 lanes. */
  f64x2Const(value: number): this {
    const b = leBytes('f64', value);
    return this.v128Const([...b, ...b]);
  }
  /** Picks 16 bytes out of the concatenation of the two operands (indices 0..31). */
  i8x16Shuffle(lanes: readonly number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => l < 0 || l > 31)) {
      throw new RangeError(`i8x16Shuffle: expected 16 lane indices in 0..31`);
    }
    return this.simd(0x0d, ...lanes);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(0x1f, lane);
  }
  f64x2ExtractLane(lane: number): this {
    return this.simd(0x21, lane);
  }

  // Lane-wise comparisons give all-ones / all-zeros masks.
  f32x4Eq(): this {
    return this.simd(0x41);
  }
  f32x4Ne(): this {
    return this.simd(0x42);
  }
  f32x4Lt(): this {
    return this.simd(0x43);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  f32x4Le(): this {
    return this.simd(0x45);
  }
  f32x4Ge(): this {
    return this.simd(0x46);
  }

  // Bitwise.
  v128Not(): this {
    return this.simd(0x4d);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  /** `a & ~b`. */
  v128AndNot(): this {
    return this.simd(0x4f);
  }
  v128Or(): this {
    return this.simd(0x50);
  }
  v128Xor(): this {
    return this.simd(0x51);
  }
  /** Pops `a, b, mask`; pushes `(a & mask) | (b & ~mask)`. */
  v128Bitselect(): this {
    return this.simd(0x52);
  }

  // Conversions and integer lanes.
  f32x4DemoteF64x2Zero(): this {
    return this.simd(0x5e);
  }
  f64x2PromoteLowF32x4(): this {
    return this.simd(0x5f);
  }
  i8x16Neg(): this {
    return this.simd(0x61);
  }
  i8x16NarrowI16x8S(): this {
    return this.simd(0x65);
  }
  i16x8NarrowI32x4S(): this {
    return this.simd(0x85);
  }
  i16x8ExtendLowI8x16S(): this {
    return this.simd(0x87);
  }
  i16x8ExtendHighI8x16S(): this {
    return this.simd(0x88);
  }
  i32x4ExtendLowI16x8S(): this {
    return this.simd(0xa7);
  }
  i32x4ExtendHighI16x8S(): this {
    return this.simd(0xa8);
  }
  /** Shifts take the vector, then an i32 count. */
  i32x4Shl(): this {
    return this.simd(0xab);
  }
  i32x4ShrS(): this {
    return this.simd(0xac);
  }
  i32x4Add(): this {
    return this.simd(0xae);
  }
  i32x4Sub(): this {
    return this.simd(0xb1);
  }
  /** Truncates toward zero, saturating; NaN gives 0. */
  i32x4TruncSatF32x4S(): this {
    return this.simd(0xf8);
  }
  f32x4ConvertI32x4S(): this {
    return this.simd(0xfa);
  }

  // f32x4 and f64x2 arithmetic.
  /** Round to nearest, ties to even. */
  f32x4Nearest(): this {
    return this.simd(0x6a);
  }
  f32x4Abs(): this {
    return this.simd(0xe0);
  }
  f32x4Neg(): this {
    return this.simd(0xe1);
  }
  f32x4Sqrt(): this {
    return this.simd(0xe3);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Sub(): this {
    return this.simd(0xe5);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  /** Pops `a, b`; pushes `b < a ? b : a` per lane (one `minps` on x64; NaN in `a` stays). */
  f32x4Pmin(): this {
    return this.simd(0xea);
  }
  /** Pops `a, b`; pushes `a < b ? b : a` per lane (one `maxps` on x64; NaN in `a` stays). */
  f32x4Pmax(): this {
    return this.simd(0xeb);
  }
  f64x2Sqrt(): this {
    return this.simd(0xef);
  }
  f64x2Add(): this {
    return this.simd(0xf0);
  }
  f64x2Div(): this {
    return this.simd(0xf3);
  }
  /** Relaxed SIMD `a * b + c`, fused or not at the engine's choice. */
  f32x4RelaxedMadd(): this {
    return this.simd(0x105);
  }

  // Control flow. Block types are always empty: kernels keep values in locals.
  block(body: (f: this) => void): this {
    this.raw(0x02, 0x40);
    body(this);
    return this.raw(0x0b);
  }
  /** A `loop`: `br 0` inside `body` jumps back to its start. */
  loop(body: (f: this) => void): this {
    this.raw(0x03, 0x40);
    body(this);
    return this.raw(0x0b);
  }
  /** Pops an i32 condition; runs `then` when it is non-zero, else `otherwise`. */
  ifThen(then: (f: this) => void, otherwise?: (f: this) => void): this {
    this.raw(0x04, 0x40);
    then(this);
    if (otherwise) {
      this.raw(0x05);
      otherwise(this);
    }
    return this.raw(0x0b);
  }
  br(depth: number): this {
    return this.raw(0x0c, ...uleb128(depth));
  }
  brIf(depth: number): this {
    return this.raw(0x0d, ...uleb128(depth));
  }
  ret(): this {
    return this.raw(0x0f);
  }

  /** The body as it appears in the code section: size, local declarations, code, `end`. */
  encodeBody(): number[] {
    // Runs of equal types compress into (count, type) pairs.
    const groups: number[][] = [];
    let i = 0;
    while (i < this.localTypes.length) {
      const t = this.localTypes[i]!;
      let j = i;
      while (j < this.localTypes.length && this.localTypes[j] === t) j++;
      groups.push([...uleb128(j - i), t]);
      i = j;
    }
    const body = [...encodeVector(groups), ...this.code, 0x0b];
    return [...uleb128(body.length), ...body];
  }
}

/** Limits of the imported memory, in 64 KiB pages. */
export interface MemoryImport {
  readonly module: string;
  readonly name: string;
  readonly initial: number;
  readonly maximum: number;
  readonly shared: boolean;
}

/** Assembles a module with one imported memory and exported functions. */
export class ModuleBuilder {
  private memory: MemoryImport | undefined;
  private readonly functions: { name: string; fn: FunctionBuilder }[] = [];

  importMemory(memory: MemoryImport): this {
    this.memory = memory;
    return this;
  }

  /** Adds a function exported under `name`; returns its function index. */
  addFunction(name: string, fn: FunctionBuilder): number {
    this.functions.push({ name, fn });
    return this.functions.length - 1;
  }

  encode(): Uint8Array<ArrayBuffer> {
    const section = (id: number, payload: number[]): number[] =>
      payload.length === 0 ? [] : [id, ...uleb128(payload.length), ...payload];

    // One type per function keeps indices trivial; duplicates cost a few bytes.
    const types = this.functions.map(({ fn }) => [
      0x60,
      ...encodeVector(fn.params.map((t) => [t])),
      ...encodeVector(fn.results.map((t) => [t])),
    ]);
    const imports: number[][] = [];
    if (this.memory) {
      const m = this.memory;
      // Limits flag: bit 0 = has maximum, bit 1 = shared (threads proposal).
      const flag = (m.shared ? 0x02 : 0) | 0x01;
      imports.push([
        ...encodeString(m.module),
        ...encodeString(m.name),
        0x02,
        flag,
        ...uleb128(m.initial),
        ...uleb128(m.maximum),
      ]);
    }
    const funcs = this.functions.map((_, i) => uleb128(i));
    const exports = this.functions.map(({ name }, i) => [
      ...encodeString(name),
      0x00,
      ...uleb128(i),
    ]);
    const code = this.functions.map(({ fn }) => fn.encodeBody());

    const bytes = [
      0x00,
      0x61,
      0x73,
      0x6d, // "\0asm"
      0x01,
      0x00,
      0x00,
      0x00, // version 1
      ...section(1, encodeVector(types)),
      ...section(2, imports.length ? encodeVector(imports) : []),
      ...section(3, encodeVector(funcs)),
      ...section(7, encodeVector(exports)),
      ...section(10, encodeVector(code)),
    ];
    return new Uint8Array(bytes);
  }
}
