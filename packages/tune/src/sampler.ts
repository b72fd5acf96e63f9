import type { Rng } from './rng';
import type { Primitive } from './space';
import type { Direction, FrozenTrial } from './trial';
import type { ValidSpace } from './validate-space';

/** What a sampler sees when it proposes the configuration of a new trial. */
export interface SamplerContext {
  readonly space: ValidSpace;
  /** Every trial of the study so far, in any state (the new one excluded). */
  readonly trials: readonly FrozenTrial[];
  readonly direction: Direction;
  /** The new trial's number. */
  readonly number: number;
  /** Uniform numbers from the new trial's own key: a sampler's only source of randomness. */
  readonly rng: Rng;
}

/**
 * Proposes configurations. A sampler is a pure function of its context: given the same
 * trials and the same key it proposes the same configuration, which is what makes a
 * resumed study continue exactly like an uninterrupted one.
 */
export interface Sampler {
  readonly name: string;
  /** A value for every active parameter; inactive conditional ones are left out. */
  readonly sample: (ctx: SamplerContext) => Readonly<Record<string, Primitive>>;
}
