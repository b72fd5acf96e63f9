import { Ctl, ERROR_MSG_MAX } from './control';

/** How long an idle worker polls for the next job before it sleeps. */
const SPIN_US = 200;

/**
 * Source of a pool worker, as a string so that it can start from `eval` (Node) or a Blob
 * URL (browsers) and the package needs no separate worker file a bundler must find.
 *
 * The worker receives `{ module, memory, control, id }` once, instantiates the GEMM module
 * on the shared memory, then loops forever: wait for `GEN` to change, read a consistent
 * snapshot of the job, claim tickets until the job's range is used up. It never returns
 * to its event loop, so it is stopped with `terminate()`, never with a message.
 *
 * A ticket that throws still counts as done, so the caller never waits for it forever:
 * the first failure records the thread and its message in the control block, the job's
 * remaining tickets are skipped, and the caller throws. The worker keeps serving jobs.
 */
export function workerSource(): string {
  const C = Ctl;
  return `'use strict';
function runPool(d) {
  const ex = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
  const ctl = new Int32Array(d.control);
  const id = d.id;
  const gemm = ex.gemm;
  const packB = ex.pack_b;
  const L = (i) => Atomics.load(ctl, i);
  let seen = 0;
  Atomics.store(ctl, ${C.READY} + id, 1);
  for (;;) {
    const g = L(${C.GEN});
    if (g === seen || (g & 1) === 1) {
      // Spin for ~${SPIN_US} us before sleeping: the next product of a training step
      // usually comes sooner, and then skips the futex wake-up (tens of us).
      const until = performance.now() + ${SPIN_US / 1000};
      let spins = 0;
      while (L(${C.GEN}) === g && ((++spins & 1023) !== 0 || performance.now() < until)) {}
      if (L(${C.GEN}) === g) Atomics.wait(ctl, ${C.GEN}, g);
      continue;
    }
    const a = L(${C.A}), rsA = L(${C.RS_A}), csA = L(${C.CS_A}), bp = L(${C.BP});
    const c = L(${C.C}), ldc = L(${C.LDC}), k = L(${C.K}), kPad = L(${C.K_PAD});
    const m = L(${C.M}), n = L(${C.N}), rows = L(${C.ROWS}), cols = L(${C.COLS});
    const colChunks = L(${C.COL_CHUNKS}), acc = L(${C.ACCUMULATE});
    const base = L(${C.BASE}), count = L(${C.COUNT}), doneBase = L(${C.DONE_BASE});
    const aStride = L(${C.A_STRIDE}), bpStride = L(${C.BP_STRIDE}), cStride = L(${C.C_STRIDE});
    const perMatrix = L(${C.PER_MATRIX});
    const b = L(${C.B}), rsB = L(${C.RS_B}), csB = L(${C.CS_B}), bStride = L(${C.B_STRIDE});
    const nr = L(${C.NR});
    const ap = L(${C.SCRATCH}) + id * L(${C.SCRATCH_STRIDE});
    const tmp = ap + L(${C.TMP_OFFSET});
    if (L(${C.GEN}) !== g) continue; // torn snapshot: the main thread moved on
    seen = g;
    for (;;) {
      const cur = L(${C.NEXT});
      if (((cur - base) >>> 0) >= count) break;
      if (Atomics.compareExchange(ctl, ${C.NEXT}, cur, (cur + 1) | 0) !== cur) continue;
      const t = (cur - base) >>> 0;
      const bi = (t / perMatrix) | 0, tm = t - bi * perMatrix;
      const rc = (tm / colChunks) | 0, cc = tm - rc * colChunks;
      const r0 = rc * rows, j0 = cc * cols;
      if (L(${C.ERROR}) === 0) {
        try {
          if (L(${C.FAULT}) === 1 && Atomics.compareExchange(ctl, ${C.FAULT}, 1, 0) === 1) {
            throw new Error('fault injected by the test hook');
          }
          const j1 = Math.min(n, j0 + cols);
          if (b >= 0) packB(b + bi * bStride, rsB, csB, bp + bi * bpStride, k, kPad, n,
            j0 / nr, Math.ceil(j1 / nr));
          gemm(a + bi * aStride, rsA, csA, bp + bi * bpStride, c + bi * cStride, ldc, k, kPad,
            r0, Math.min(m, r0 + rows), j0, j1, ap, tmp, acc);
        } catch (e) {
          if (Atomics.compareExchange(ctl, ${C.ERROR}, 0, id + 1) === 0) {
            let text = 'unknown error';
            try { text = String(e && e.stack ? e.stack : e); } catch {}
            const len = Math.min(text.length, ${ERROR_MSG_MAX});
            for (let i = 0; i < len; i++) ctl[${C.ERROR_MSG} + i] = text.charCodeAt(i);
            Atomics.store(ctl, ${C.ERROR_LEN}, len);
          }
        }
      }
      Atomics.add(ctl, ${C.STATS} + id, 1);
      const done = (Atomics.add(ctl, ${C.DONE}, 1) + 1) | 0;
      if (((done - doneBase) >>> 0) === count) Atomics.notify(ctl, ${C.DONE});
    }
  }
}
if (typeof require === 'function') {
  require('node:worker_threads').parentPort.once('message', runPool);
} else {
  self.onmessage = (e) => runPool(e.data);
}
`;
}
