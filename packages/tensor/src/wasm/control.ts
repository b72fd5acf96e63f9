/**
 * Layout of the shared control block (an Int32Array over a SharedArrayBuffer) through
 * which the main thread hands GEMM jobs to the worker pool without posting messages.
 *
 * Protocol (see README.md): `GEN` is a seqlock around the job parameters (odd while the
 * main thread writes them). Work is split into tickets; `NEXT` is a ticket counter that
 * only grows, and job g owns tickets `BASE .. BASE + COUNT`. A thread claims a ticket with
 * compare-exchange only while it is inside the range of the job it read, so a worker that
 * wakes late with a stale job can never take a ticket of a newer one. `DONE` counts
 * finished tickets, also monotonically; the job is complete at `DONE_BASE + COUNT`.
 */
export const Ctl = {
  GEN: 0,
  NEXT: 1,
  DONE: 2,
  A: 3,
  RS_A: 4,
  CS_A: 5,
  BP: 6,
  C: 7,
  LDC: 8,
  K: 9,
  K_PAD: 10,
  M: 11,
  N: 12,
  ROWS: 13,
  COLS: 14,
  COL_CHUNKS: 15,
  ACCUMULATE: 16,
  BASE: 17,
  COUNT: 18,
  SCRATCH: 19,
  SCRATCH_STRIDE: 20,
  DONE_BASE: 21,
  /** Byte offset of a thread's edge-tile buffer inside its scratch slot. */
  TMP_OFFSET: 23,
  /** Byte strides between consecutive matrices of a batch: A, packed B, C. */
  A_STRIDE: 24,
  BP_STRIDE: 25,
  C_STRIDE: 26,
  /** Tickets per matrix of the batch (row chunks x column chunks). */
  PER_MATRIX: 27,
  /** Unused slot (kept so indices stay stable). */
  RESERVED: 22,
  /**
   * 0, or 1 + the id of the first thread whose ticket threw during the current job
   * (the calling thread is id 0). Set, the job's remaining tickets are skipped, and the
   * caller throws once all are accounted for.
   */
  ERROR: 28,
  /** Test hook: while 1, the next ticket a worker claims throws (see `injectWorkerFault`). */
  FAULT: 29,
  /** Length of the message of the error in `ERROR`, stored as UTF-16 code units at `ERROR_MSG`. */
  ERROR_LEN: 30,
  /** Per-thread count of tickets run (index STATS + thread id); tests read it. */
  STATS: 32,
  /** Per-thread flag: 1 once worker `id` has instantiated the module (READY + id). */
  READY: 32 + 64,
  /** First of ERROR_MSG_MAX slots holding the failed worker's message. */
  ERROR_MSG: 32 + 64 + 64,
  /**
   * Raw B, whose columns each ticket packs itself before its product (-1: B is packed
   * already), its row and column strides in elements, and bytes between its matrices.
   */
  B: 32 + 64 + 64 + 256,
  RS_B: 32 + 64 + 64 + 257,
  CS_B: 32 + 64 + 64 + 258,
  B_STRIDE: 32 + 64 + 64 + 259,
  /** Columns per packed panel (the kernel's `nr`). */
  NR: 32 + 64 + 64 + 260,
  /** Length of the control block in Int32 elements. */
  LENGTH: 32 + 64 + 64 + 261,
} as const;

/** Most threads (main included) the control block has stats slots for. */
export const MAX_THREADS = 64;

/** Code units of a worker's error message the control block keeps. */
export const ERROR_MSG_MAX = 256;
