import { describe, expect, it } from 'vitest';
import { FunctionBuilder, ModuleBuilder, sleb128, uleb128, ValType } from './emit';

/** Reference decoders, written independently of the encoders. */
function decodeUleb(bytes: number[]): number {
  let result = 0;
  let scale = 1;
  for (const b of bytes) {
    result += (b & 0x7f) * scale;
    scale *= 128;
  }
  return result;
}

function decodeSleb(bytes: number[]): number {
  let result = 0n;
  let shift = 0n;
  let last = 0;
  for (const b of bytes) {
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    last = b;
  }
  if (last & 0x40) result -= 1n << shift;
  return Number(result);
}

describe('LEB128', () => {
  it('encodes unsigned values from the spec examples', () => {
    expect(uleb128(0)).toEqual([0]);
    expect(uleb128(127)).toEqual([0x7f]);
    expect(uleb128(128)).toEqual([0x80, 0x01]);
    expect(uleb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb128(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('encodes signed values', () => {
    expect(sleb128(0)).toEqual([0]);
    expect(sleb128(63)).toEqual([0x3f]);
    expect(sleb128(64)).toEqual([0xc0, 0x00]);
    expect(sleb128(-1)).toEqual([0x7f]);
    expect(sleb128(-64)).toEqual([0x40]);
    expect(sleb128(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb128(0x7fffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x07]);
    expect(sleb128(-0x80000000)).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  it('round-trips through independent decoders', () => {
    const values = [1, 2, 63, 64, 65, 255, 256, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 31 - 1];
    for (const v of values) {
      expect(decodeUleb(uleb128(v))).toBe(v);
      expect(decodeSleb(sleb128(v))).toBe(v);
      expect(decodeSleb(sleb128(-v))).toBe(-v);
      // The shortest encoding: every byte but the last has its continuation bit.
      const u = uleb128(v);
      expect(u.slice(0, -1).every((b) => b & 0x80)).toBe(true);
      expect(u.at(-1)! & 0x80).toBe(0);
    }
  });

  it('rejects values outside 32 bits', () => {
    expect(() => uleb128(-1)).toThrow(RangeError);
    expect(() => uleb128(2 ** 32)).toThrow(RangeError);
    expect(() => sleb128(2 ** 31)).toThrow(RangeError);
    expect(() => uleb128(1.5)).toThrow(RangeError);
  });
});

describe('ModuleBuilder', () => {
  it('builds a module that validates and runs: scalar loop and SIMD', () => {
    // sum(ptr, n): f32 sum of n floats with a v128 accumulator (n a multiple of 4).
    const { i32, f32, v128 } = ValType;
    const f = new FunctionBuilder([i32, i32], [f32]);
    const acc = f.local(v128);
    const end = f.local(i32);
    f.get(0).get(1).i32Const(2).i32Shl().i32Add().set(end);
    f.v128Zero().set(acc);
    f.block(() => {
      f.get(0).get(end).i32LtU().i32Eqz().brIf(0);
      f.loop(() => {
        f.get(acc).get(0).v128Load(0, 2).f32x4Add().set(acc);
        f.get(0).i32Const(16).i32Add().tee(0).get(end).i32LtU().brIf(0);
      });
    });
    // Horizontal sum through memory at address 0.
    f.i32Const(0).get(acc).v128Store(0, 2);
    f.i32Const(0).f32Load(0).i32Const(0).f32Load(4).f32Add();
    f.i32Const(0).f32Load(8).f32Add().i32Const(0).f32Load(12).f32Add();

    const mod = new ModuleBuilder().importMemory({
      module: 'env',
      name: 'memory',
      initial: 1,
      maximum: 2,
      shared: false,
    });
    mod.addFunction('sum', f);
    const bytes = mod.encode();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    const data = new Float32Array(memory.buffer, 64, 12);
    data.set(Array.from({ length: 12 }, (_, i) => i + 1));
    const sum = inst.exports.sum as (ptr: number, n: number) => number;
    expect(sum(64, 12)).toBe(78);
    expect(sum(64, 0)).toBe(0);
  });

  it('encodes SIMD opcodes as LEB128 after the 0xfd prefix, and constants little-endian', () => {
    // Body = [size, 0 local groups, ...code, end]: the code is everything in between.
    const code = (emit: (f: FunctionBuilder) => void) => {
      const f = new FunctionBuilder([]);
      emit(f);
      return f.encodeBody().slice(2, -1);
    };
    expect(code((f) => f.v128Bitselect())).toEqual([0xfd, 0x52]);
    expect(code((f) => f.f32x4Pmin())).toEqual([0xfd, 0xea, 0x01]);
    expect(code((f) => f.i32x4TruncSatF32x4S())).toEqual([0xfd, 0xf8, 0x01]);
    expect(code((f) => f.f32Const(1.5))).toEqual([0x43, 0x00, 0x00, 0xc0, 0x3f]);
    expect(code((f) => f.f64Const(-2))).toEqual([0x44, 0, 0, 0, 0, 0, 0, 0, 0xc0]);
    expect(code((f) => f.i32x4Const(-1))).toEqual([
      0xfd,
      0x0c,
      ...new Array<number>(16).fill(0xff),
    ]);
    expect(() => code((f) => f.i8x16Shuffle([32, ...new Array<number>(15).fill(0)]))).toThrow(
      RangeError,
    );
  });

  it('runs the lane-wise compare, select, convert and f64x2 instructions', () => {
    // run(p): reads a = f32x4 at p, b = f32x4 at p + 16, writes at p + 32 ...:
    //   bitselect(a, b, a > b), nearest(a) as i32, f32(1 / sqrt(f64(a_lo))), the
    //   comparison mask narrowed to bytes and negated (0 / 1).
    const { i32 } = ValType;
    const f = new FunctionBuilder([i32]);
    const a = f.local(ValType.v128);
    const b = f.local(ValType.v128);
    f.get(0).v128Load().set(a).get(0).v128Load(16).set(b);
    f.get(0).get(a).get(b).get(a).get(b).f32x4Gt().v128Bitselect().v128Store(32);
    f.get(0).get(a).f32x4Nearest().i32x4TruncSatF32x4S().v128Store(48);
    f.get(0).f64x2Const(1).get(a).f64x2PromoteLowF32x4().f64x2Sqrt().f64x2Div();
    f.f32x4DemoteF64x2Zero().v128Store(64);
    f.get(0).get(a).get(b).f32x4Gt().get(a).get(b).f32x4Lt().i16x8NarrowI32x4S();
    f.v128Zero().i8x16NarrowI16x8S().i8x16Neg().v128Store(80);
    const mod = new ModuleBuilder().importMemory({
      module: 'env',
      name: 'memory',
      initial: 1,
      maximum: 1,
      shared: false,
    });
    mod.addFunction('run', f);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mod.encode()), {
      env: { memory },
    });
    const f32 = new Float32Array(memory.buffer);
    f32.set([4, -2.5, 0.25, Number.NaN, 1, 3.5, -1, 2], 0);
    (inst.exports.run as (p: number) => void)(0);
    expect(Array.from(f32.subarray(8, 12))).toEqual([4, 3.5, 0.25, 2]);
    expect(Array.from(new Int32Array(memory.buffer, 48, 4))).toEqual([4, -2, 0, 0]);
    expect(Array.from(f32.subarray(16, 18))).toEqual([0.5, Number.NaN]);
    expect(Array.from(new Uint8Array(memory.buffer, 80, 8))).toEqual([1, 0, 1, 0, 0, 1, 0, 0]);
  });

  it('declares a shared memory import that accepts a shared memory', () => {
    const mod = new ModuleBuilder().importMemory({
      module: 'env',
      name: 'memory',
      initial: 1,
      maximum: 65536,
      shared: true,
    });
    mod.addFunction('nop', new FunctionBuilder([]));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mod.encode()), {
      env: { memory },
    });
    expect(typeof inst.exports.nop).toBe('function');
  });
});
