import { callingThreadModule } from './elementwise-kernel';
import { FunctionBuilder, ValType } from './emit';

/**
 * Generator of the row-block module behind im2col and col2im in WebAssembly: `copy` and
 * `add` move `m` rows of `n` contiguous 32-bit words from `src` to `dst` (byte
 * addresses, rows `srcRow` and `dstRow` bytes apart), four words per SIMD step and the
 * remainder one by one. `add` does `dst += src` in float32, which rounds exactly as the
 * TypeScript loop does (a float32 sum computed in float64 and rounded once).
 */

const { i32 } = ValType;

function rows(add: boolean): FunctionBuilder {
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32]);
  const [src, dst, m, n, srcRow, dstRow] = [0, 1, 2, 3, 4, 5];
  const s = f.local(i32);
  const d = f.local(i32);
  const vectorEnd = f.local(i32);
  const end = f.local(i32);
  f.block(() => {
    f.get(m).i32Eqz().brIf(0);
    f.loop(() => {
      f.get(src).set(s);
      f.get(dst).set(d);
      f.get(n).i32Const(-4).i32And().i32Const(2).i32Shl().get(src).i32Add().set(vectorEnd);
      f.get(n).i32Const(2).i32Shl().get(src).i32Add().set(end);
      // Four words at a time.
      f.block(() => {
        f.get(s).get(vectorEnd).i32LtU().i32Eqz().brIf(0);
        f.loop(() => {
          f.get(d);
          if (add) f.get(d).v128Load(0, 0).get(s).v128Load(0, 0).f32x4Add();
          else f.get(s).v128Load(0, 0);
          f.v128Store(0, 0);
          f.get(s).i32Const(16).i32Add().set(s);
          f.get(d).i32Const(16).i32Add().set(d);
          f.get(s).get(vectorEnd).i32LtU().brIf(0);
        });
      });
      // The last n mod 4 words.
      f.block(() => {
        f.get(s).get(end).i32LtU().i32Eqz().brIf(0);
        f.loop(() => {
          f.get(d);
          if (add) f.get(d).f32Load(0, 0).get(s).f32Load(0, 0).f32Add();
          else f.get(s).f32Load(0, 0);
          f.f32Store(0, 0);
          f.get(s).i32Const(4).i32Add().set(s);
          f.get(d).i32Const(4).i32Add().set(d);
          f.get(s).get(end).i32LtU().brIf(0);
        });
      });
      f.get(src).get(srcRow).i32Add().set(src);
      f.get(dst).get(dstRow).i32Add().set(dst);
      f.get(m).i32Const(1).i32Sub().tee(m).brIf(0);
    });
  });
  return f;
}

/** The module: `copy` and `add`, over the matmul's memory (`shared` where it is). */
export function buildRowsModule(shared = false): Uint8Array<ArrayBuffer> {
  const mod = callingThreadModule(shared);
  mod.addFunction('copy', rows(false));
  mod.addFunction('add', rows(true));
  return mod.encode();
}
