import { FunctionBuilder, ModuleBuilder, ValType } from './emit';

/**
 * Shape of the generated GEMM: an `mr x nr` register tile of f32x4 accumulators, B packed
 * into panels `nr` columns wide, A packed per `kc`-deep block, the k loop unrolled `unroll`
 * times (k is zero-padded to a multiple of it, so the loop has no remainder).
 */
export interface MatmulKernelConfig {
  /** Rows of the register tile (each row is `nr / 4` accumulators). */
  readonly mr: number;
  /** Columns of the register tile; a multiple of 4 (one f32x4 per 4 columns). */
  readonly nr: number;
  /** Depth of one k block: the packed A block (`mc x kc`) is sized for L2. */
  readonly kc: number;
  /** Most rows one call of `gemm` handles (the packed-A scratch holds `mc x kc`). */
  readonly mc: number;
  /** Unroll of the innermost k loop; `kc` must be a multiple of it. */
  readonly unroll: number;
  /** Use relaxed-SIMD `f32x4.relaxed_madd` (fused where the CPU has FMA). */
  readonly fma: boolean;
}

/**
 * 4x8 keeps 8 accumulators + 2 B vectors + 1 broadcast A in registers, within the 16
 * xmm registers of x64 and far within the 32 of arm64, so V8 does not spill in the inner
 * loop. `kc = 256` makes a B micro-panel 8 KiB (L1) and the packed A block `mc * kc * 4`
 * = 128 KiB (L2). No unrolling in wasm: TurboFan unrolls the small loop itself, while an
 * unrolled body makes it hoist all loads first and spill accumulators (~1.6x slower).
 */
export const defaultKernelConfig: MatmulKernelConfig = {
  mr: 4,
  nr: 8,
  kc: 256,
  mc: 128,
  unroll: 1,
  fma: false,
};

/** Memory the module imports; the pool passes one shared instance to every thread. */
export const MEMORY_MODULE = 'env';
export const MEMORY_NAME = 'memory';
/** Declared maximum (pages). A shared memory must declare one; 65536 pages is 4 GiB. */
export const MEMORY_MAX_PAGES = 65536;

const { i32, v128 } = ValType;

/**
 * Emits `for (; <cond>; ) { body; step }` as block/loop. `cond` leaves an i32 on the
 * stack; the loop exits when it is zero.
 */
function forLoop(f: FunctionBuilder, cond: () => void, step: () => void, body: () => void): void {
  f.block(() => {
    f.loop(() => {
      cond();
      f.i32Eqz().brIf(1);
      body();
      step();
      f.br(0);
    });
  });
}

/** `local += value` for an i32 local. */
function addTo(f: FunctionBuilder, local: number, value: number): void {
  f.get(local).i32Const(value).i32Add().set(local);
}

/** `local += other` for i32 locals. */
function addLocal(f: FunctionBuilder, local: number, other: number): void {
  f.get(local).get(other).i32Add().set(local);
}

/** Pushes `min(x, y)` of two i32 locals (signed). */
function minLocals(f: FunctionBuilder, x: number, y: number): void {
  f.get(x).get(y).get(x).get(y).i32LtS().select();
}

/**
 * `pack_b(b, rsB, csB, bp, k, kPad, n, jp0, jp1)`: copies B (element (p, j) at
 * `b + 4 * (p * rsB + j * csB)`) into panels `jp0 .. jp1` of `nr` columns; panel `jp`
 * starts at `bp + 4 * jp * kPad * nr` and holds row p's `nr` values contiguously.
 * Columns past n and rows past k are zeros, so the micro-kernel never needs a remainder.
 */
function buildPackB(cfg: MatmulKernelConfig): FunctionBuilder {
  const { nr } = cfg;
  const nv = nr / 4;
  const f = new FunctionBuilder([i32, i32, i32, i32, i32, i32, i32, i32, i32]);
  const [b, rsB, csB, bp, k, kPad, n, jp0, jp1] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const jp = f.local(i32);
  const j = f.local(i32);
  const nrEff = f.local(i32);
  const dst = f.local(i32);
  const src = f.local(i32);
  const p = f.local(i32);
  const jj = f.local(i32);
  const full = f.local(i32);
  const rowStride = f.local(i32);
  const colStride = f.local(i32);

  f.get(rsB).i32Const(2).i32Shl().set(rowStride);
  f.get(csB).i32Const(2).i32Shl().set(colStride);
  f.get(jp0).set(jp);
  forLoop(
    f,
    () => f.get(jp).get(jp1).i32LtS(),
    () => addTo(f, jp, 1),
    () => {
      f.get(jp).i32Const(nr).i32Mul().set(j);
      // nrEff = min(nr, n - j)
      f.get(n).get(j).i32Sub().set(nrEff);
      f.get(nrEff).i32Const(nr).get(nrEff).i32Const(nr).i32LtS().select().set(nrEff);
      // Contiguous full panels copy with v128; edges and transposed B go element-wise.
      f.get(nrEff).i32Const(nr).i32Sub().i32Eqz();
      f.get(csB).i32Const(1).i32Sub().i32Eqz();
      f.raw(0x71); // i32.and
      f.set(full);
      f.get(jp)
        .get(kPad)
        .i32Mul()
        .i32Const(nr * 4)
        .i32Mul()
        .get(bp)
        .i32Add()
        .set(dst);
      f.get(j).get(colStride).i32Mul().get(b).i32Add().set(src);
      f.i32Const(0).set(p);
      forLoop(
        f,
        () => f.get(p).get(k).i32LtS(),
        () => {
          addTo(f, p, 1);
          addLocal(f, src, rowStride);
          addTo(f, dst, nr * 4);
        },
        () => {
          f.get(full).ifThen(
            () => {
              for (let v = 0; v < nv; v++) {
                f.get(dst)
                  .get(src)
                  .v128Load(v * 16, 2)
                  .v128Store(v * 16, 2);
              }
            },
            () => {
              f.i32Const(0).set(jj);
              forLoop(
                f,
                () => f.get(jj).i32Const(nr).i32LtS(),
                () => addTo(f, jj, 1),
                () => {
                  // dst[jj] = jj < nrEff ? src[jj * csB] : 0
                  // (Blocks cannot see values pushed outside them, so each arm
                  // pushes its own address.)
                  f.get(jj).get(nrEff).i32LtS();
                  f.ifThen(
                    () => {
                      f.get(dst).get(jj).i32Const(2).i32Shl().i32Add();
                      f.get(src).get(jj).get(colStride).i32Mul().i32Add().f32Load();
                      f.f32Store();
                    },
                    () => {
                      f.get(dst).get(jj).i32Const(2).i32Shl().i32Add().f32Const0().f32Store();
                    },
                  );
                },
              );
            },
          );
        },
      );
      // Zero rows k .. kPad.
      forLoop(
        f,
        () => f.get(p).get(kPad).i32LtS(),
        () => {
          addTo(f, p, 1);
          addTo(f, dst, nr * 4);
        },
        () => {
          for (let v = 0; v < nv; v++)
            f.get(dst)
              .v128Zero()
              .v128Store(v * 16, 2);
        },
      );
    },
  );
  return f;
}

/**
 * `gemm(a, rsA, csA, bp, c, ldc, k, kPad, r0, r1, j0, j1, ap, tmp, accumulate)`:
 * C[r0:r1, j0:j1] (+)= A[r0:r1, :] @ B[:, j0:j1], with A's element (i, p) at
 * `a + 4 * (i * rsA + p * csA)` (so transposed A needs no copy), B already packed by
 * `pack_b`, C row-major with row stride `ldc`, `j0` a multiple of `nr`, `r1 - r0 <= mc`.
 * `ap` is this thread's packed-A scratch (`mc * kc` floats), `tmp` its `mr * nr` edge tile.
 *
 * Loop order (outer to inner): k block, pack A, B panel, A panel, micro-kernel. A B
 * micro-panel (`kc x nr`) stays in L1 while every A panel of the block streams past it
 * from L2.
 */
function buildGemm(cfg: MatmulKernelConfig): FunctionBuilder {
  const { mr, nr, kc: KC, unroll, fma } = cfg;
  const nv = nr / 4;
  const f = new FunctionBuilder(new Array<ValType>(15).fill(i32));
  const [a, rsA, csA, bp, c, ldc, k, kPad, r0, r1, j0, j1, ap, tmp, accumulate] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  ];
  const pc = f.local(i32);
  const kc = f.local(i32);
  const kValid = f.local(i32);
  const loadC = f.local(i32);
  const r = f.local(i32);
  const i = f.local(i32);
  const p = f.local(i32);
  const dst = f.local(i32);
  const src = f.local(i32);
  const colStride = f.local(i32);
  const j = f.local(i32);
  const pbPanel = f.local(i32);
  const panelBytes = f.local(i32);
  const pa = f.local(i32);
  const pb = f.local(i32);
  const pend = f.local(i32);
  const mrEff = f.local(i32);
  const nrEff = f.local(i32);
  const cp = f.local(i32);
  const rowBytes = f.local(i32);
  const aPanelBytes = f.local(i32);
  const tmpKc = f.local(i32);
  const acc: number[][] = [];
  for (let y = 0; y < mr; y++) {
    const row: number[] = [];
    for (let v = 0; v < nv; v++) row.push(f.local(v128));
    acc.push(row);
  }
  const bv: number[] = [];
  for (let v = 0; v < nv; v++) bv.push(f.local(v128));
  const av = f.local(v128);
  const ctmp = f.local(v128);

  f.get(csA).i32Const(2).i32Shl().set(colStride);
  f.get(ldc).i32Const(2).i32Shl().set(rowBytes);
  f.i32Const(0).set(pc);
  forLoop(
    f,
    () => f.get(pc).get(kPad).i32LtS(),
    () => addTo(f, pc, KC),
    () => {
      // kc = min(KC, kPad - pc); kValid = min(kc, k - pc) (k - pc > 0 here).
      f.get(kPad).get(pc).i32Sub().set(tmpKc);
      f.i32Const(KC).set(kc);
      minLocals(f, kc, tmpKc);
      f.set(kc);
      f.get(k).get(pc).i32Sub().set(tmpKc);
      minLocals(f, kc, tmpKc);
      f.set(kValid);
      // Later k blocks add onto what the earlier ones stored.
      f.get(accumulate).get(pc).i32Const(0).i32Ne().raw(0x72).set(loadC); // i32.or
      f.get(kc)
        .i32Const(mr * 4)
        .i32Mul()
        .set(aPanelBytes);

      // Pack A[r0:r1, pc:pc+kc] into panels of mr rows, row-interleaved per k step.
      f.get(r0).set(r);
      f.get(ap).set(pa);
      forLoop(
        f,
        () => f.get(r).get(r1).i32LtS(),
        () => {
          addTo(f, r, mr);
          addLocal(f, pa, aPanelBytes);
        },
        () => {
          f.i32Const(0).set(i);
          forLoop(
            f,
            () => f.get(i).i32Const(mr).i32LtS(),
            () => addTo(f, i, 1),
            () => {
              f.get(pa).get(i).i32Const(2).i32Shl().i32Add().set(dst);
              f.i32Const(0).set(p);
              f.get(r).get(i).i32Add().get(r1).i32LtS();
              f.ifThen(() => {
                f.get(r).get(i).i32Add().get(rsA).i32Mul();
                f.get(pc).get(csA).i32Mul().i32Add();
                f.i32Const(2).i32Shl().get(a).i32Add().set(src);
                forLoop(
                  f,
                  () => f.get(p).get(kValid).i32LtS(),
                  () => {
                    addTo(f, p, 1);
                    addLocal(f, src, colStride);
                    addTo(f, dst, mr * 4);
                  },
                  () => {
                    f.get(dst).get(src).f32Load().f32Store();
                  },
                );
              });
              // Rows past r1 and depths past k are zeros (p continues from kValid or 0).
              forLoop(
                f,
                () => f.get(p).get(kc).i32LtS(),
                () => {
                  addTo(f, p, 1);
                  addTo(f, dst, mr * 4);
                },
                () => {
                  f.get(dst).f32Const0().f32Store();
                },
              );
            },
          );
        },
      );

      // Over B panels of this column range.
      f.get(kPad)
        .i32Const(nr * 4)
        .i32Mul()
        .set(panelBytes);
      f.get(j0).set(j);
      // pbPanel = bp + (j0 / nr) * panelBytes + pc * nr * 4
      f.get(j0).i32Const(nr).raw(0x6d).get(panelBytes).i32Mul(); // i32.div_s
      f.get(pc)
        .i32Const(nr * 4)
        .i32Mul()
        .i32Add()
        .get(bp)
        .i32Add()
        .set(pbPanel);
      forLoop(
        f,
        () => f.get(j).get(j1).i32LtS(),
        () => {
          addTo(f, j, nr);
          addLocal(f, pbPanel, panelBytes);
        },
        () => {
          f.get(j1).get(j).i32Sub().set(nrEff);
          f.get(r0).set(r);
          f.get(ap).set(pa);
          forLoop(
            f,
            () => f.get(r).get(r1).i32LtS(),
            () => {
              addTo(f, r, mr);
              addLocal(f, pa, aPanelBytes);
            },
            () => {
              f.get(r1).get(r).i32Sub().set(mrEff);
              emitMicroKernel();
              // Full tiles store straight into C; edge tiles go through tmp.
              f.get(mrEff).i32Const(mr).i32LtS().get(nrEff).i32Const(nr).i32LtS().raw(0x72);
              f.ifThen(
                () => emitEdgeStore(),
                () => emitFullStore(),
              );
            },
          );
        },
      );
    },
  );
  return f;

  function emitMicroKernel(): void {
    for (const row of acc) for (const x of row) f.v128Zero().set(x);
    f.get(pa).set(src);
    f.get(pbPanel).set(pb);
    f.get(pa).get(aPanelBytes).i32Add().set(pend);
    f.loop(() => {
      for (let u = 0; u < unroll; u++) {
        for (let v = 0; v < nv; v++)
          f.get(pb)
            .v128Load((u * nr + v * 4) * 4, 4)
            .set(bv[v]!);
        for (let y = 0; y < mr; y++) {
          f.get(src)
            .v128Load32Splat((u * mr + y) * 4)
            .set(av);
          for (let v = 0; v < nv; v++) {
            const x = acc[y]![v]!;
            if (fma) f.get(av).get(bv[v]!).get(x).f32x4RelaxedMadd().set(x);
            else f.get(x).get(av).get(bv[v]!).f32x4Mul().f32x4Add().set(x);
          }
        }
      }
      addTo(f, src, unroll * mr * 4);
      addTo(f, pb, unroll * nr * 4);
      f.get(src).get(pend).i32LtU().brIf(0);
    });
  }

  function emitFullStore(): void {
    f.get(r).get(ldc).i32Mul().get(j).i32Add().i32Const(2).i32Shl().get(c).i32Add().set(cp);
    f.get(loadC).ifThen(
      () => {
        for (let y = 0; y < mr; y++) {
          for (let v = 0; v < nv; v++) {
            f.get(cp)
              .v128Load(v * 16, 2)
              .get(acc[y]![v]!)
              .f32x4Add()
              .set(ctmp);
            f.get(cp)
              .get(ctmp)
              .v128Store(v * 16, 2);
          }
          if (y < mr - 1) addLocal(f, cp, rowBytes);
        }
      },
      () => {
        for (let y = 0; y < mr; y++) {
          for (let v = 0; v < nv; v++)
            f.get(cp)
              .get(acc[y]![v]!)
              .v128Store(v * 16, 2);
          if (y < mr - 1) addLocal(f, cp, rowBytes);
        }
      },
    );
  }

  function emitEdgeStore(): void {
    for (let y = 0; y < mr; y++) {
      for (let v = 0; v < nv; v++)
        f.get(tmp)
          .get(acc[y]![v]!)
          .v128Store((y * nr + v * 4) * 4, 4);
    }
    // for i < min(mrEff, mr), p < min(nrEff, nr): C[r+i, j+p] = (loadC ? C : 0) + tmp[i][p]
    f.i32Const(mr).set(tmpKc);
    minLocals(f, mrEff, tmpKc);
    f.set(mrEff);
    f.i32Const(nr).set(tmpKc);
    minLocals(f, nrEff, tmpKc);
    f.set(nrEff);
    f.i32Const(0).set(i);
    forLoop(
      f,
      () => f.get(i).get(mrEff).i32LtS(),
      () => addTo(f, i, 1),
      () => {
        f.get(r).get(i).i32Add().get(ldc).i32Mul().get(j).i32Add().i32Const(2).i32Shl();
        f.get(c).i32Add().set(cp);
        f.get(i)
          .i32Const(nr * 4)
          .i32Mul()
          .get(tmp)
          .i32Add()
          .set(dst);
        f.i32Const(0).set(p);
        forLoop(
          f,
          () => f.get(p).get(nrEff).i32LtS(),
          () => {
            addTo(f, p, 1);
            addTo(f, cp, 4);
            addTo(f, dst, 4);
          },
          () => {
            f.get(loadC).ifThen(
              () => f.get(cp).get(dst).f32Load().get(cp).f32Load().f32Add().f32Store(),
              () => f.get(cp).get(dst).f32Load().f32Store(),
            );
          },
        );
      },
    );
  }
}

/**
 * The GEMM module's bytes for `cfg`: exports `pack_b` and `gemm` over an imported
 * memory (`env.memory`, shared when `shared` so worker instances see the same bytes).
 */
export function buildMatmulModule(
  cfg: MatmulKernelConfig = defaultKernelConfig,
  shared = true,
): Uint8Array<ArrayBuffer> {
  if (cfg.nr % 4 !== 0 || cfg.kc % cfg.unroll !== 0 || cfg.mc % cfg.mr !== 0) {
    throw new RangeError('buildMatmulModule: need nr % 4 = 0, kc % unroll = 0, mc % mr = 0');
  }
  const mod = new ModuleBuilder().importMemory({
    module: MEMORY_MODULE,
    name: MEMORY_NAME,
    initial: 1,
    maximum: MEMORY_MAX_PAGES,
    shared,
  });
  mod.addFunction('pack_b', buildPackB(cfg));
  mod.addFunction('gemm', buildGemm(cfg));
  return mod.encode();
}
