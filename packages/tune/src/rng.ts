import * as jt from '@jute/tensor';

/** A stream of uniform numbers in `[0, 1)`, drawn from one `jt.random` key. */
export interface Rng {
  /** The next uniform number in `[0, 1)`. */
  readonly next: () => number;
}

const CHUNK = 256;

/**
 * A reproducible uniform stream from a key: the same key always gives the same numbers.
 * Samplers draw many numbers per trial; asking Threefry for a block of words at a time
 * (`jt.random.randomBits`) keeps that cheap, and 53-bit doubles come from two words each.
 * @example const u = rngFromKey(jt.random.key(0)).next(); // 0 ≤ u < 1
 */
export function rngFromKey(key: jt.Array): Rng {
  let block = 0;
  let words: Uint32Array = new Uint32Array(0);
  let i = 0;
  return {
    next: () => {
      if (i + 2 > words.length) {
        words = jt.random.randomBits(jt.random.foldIn(key, block++), CHUNK);
        i = 0;
      }
      const hi = words[i++]! >>> 5; // 27 bits
      const lo = words[i++]! >>> 6; // 26 bits
      return (hi * 67108864 + lo) / 9007199254740992;
    },
  };
}
