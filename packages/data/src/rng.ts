import * as jt from '@jute/tensor';
import type { IterationContext } from './dataset';

/**
 * A small, fast generator (xoshiro128**) for the data pipeline's hot loops, seeded
 * from a Jute PRNG key so that pipelines stay reproducible from explicit keys
 * without one tensor op per random draw.
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(words: ArrayLike<number>) {
    this.s0 = (words[0] ?? 0) >>> 0;
    this.s1 = (words[1] ?? 0) >>> 0;
    this.s2 = (words[2] ?? 0) >>> 0;
    this.s3 = (words[3] ?? 0) >>> 0;
    // The all-zero state is a fixed point of xoshiro.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform integer in `[0, n)` for `n <= 2^32` (bias below n / 2^32). */
  below(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** The generator for one pass: `key` folded with the epoch, then each repetition index. */
export function rngFor(key: jt.Array, ctx: IterationContext): Xoshiro128 {
  let k = jt.random.foldIn(key, ctx.epoch);
  for (const r of ctx.repeats) k = jt.random.foldIn(k, r);
  return new Xoshiro128(jt.random.randomBits(k, 4));
}

/** A generator from an integer seed (loaders that take `seed`). */
export const rngFromSeed = (seed: number): Xoshiro128 =>
  new Xoshiro128(jt.random.randomBits(jt.random.key(seed), 4));
