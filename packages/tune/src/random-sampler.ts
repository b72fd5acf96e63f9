import { sampleUniform } from './param-scale';
import type { Sampler } from './sampler';
import type { Primitive } from './space';
import { isActive } from './validate-space';

/**
 * Random search: every parameter drawn independently and uniformly (on a log scale for
 * log parameters), from the trial's key, so a study with the same key draws the same
 * configurations. Ignores past trials; a strong baseline for few trials.
 * @example tune.createStudy({ space, key: jt.random.key(0), sampler: tune.randomSampler() })
 */
export function randomSampler(): Sampler {
  return {
    name: 'random',
    sample: ({ space, rng }) => {
      const config: Record<string, Primitive> = {};
      for (const name of space.order) {
        const p = space.params[name]!;
        if (isActive(p, config)) config[name] = sampleUniform(p, rng);
      }
      return config;
    },
  };
}
