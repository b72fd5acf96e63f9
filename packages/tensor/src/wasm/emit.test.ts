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
