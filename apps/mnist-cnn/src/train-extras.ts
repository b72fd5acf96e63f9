import type * as datasets from '@jute/datasets';
import * as metrics from '@jute/metrics';
import type * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import type * as jt from '@jute/tensor';
import { augmentDigits, shiftedCopy } from './augment';
import type { TrainState } from './checkpoint';
import { type AttackKind, adversarialBatches } from './robustness';
import { confusionOn, type TrainOptions } from './train';

/** The training flags for robustness: augmentation, adversarial training, accumulation. */
export const robustTrainFlags = {
  augment: {
    type: 'boolean',
    help: 'Augment training batches (rotation ±10°, zoom 0.9-1.1, shifts up to 3 px)',
  },
  adversarial: {
    type: 'string',
    help: 'Adversarial training: pgd (PGD-k) or fgsm (one step from a random start)',
    choices: ['pgd', 'fgsm'],
  },
  eps: { type: 'number', help: 'L∞ radius of adversarial training', default: 0.1, min: 0 },
  attackSteps: {
    type: 'number',
    help: 'PGD steps of adversarial training',
    default: 7,
    integer: true,
    min: 1,
  },
  mixClean: {
    type: 'boolean',
    help: 'Adversarial training on clean and attacked examples (half the loss each)',
  },
  accumulate: {
    type: 'number',
    help: 'Micro-batches of --batch-size per optimizer update (gradient accumulation)',
    default: 1,
    integer: true,
    min: 1,
  },
} as const;

export interface RobustTrainFlags {
  readonly augment: boolean;
  readonly adversarial: string | undefined;
  readonly eps: number;
  readonly attackSteps: number;
  readonly mixClean: boolean;
  readonly accumulate: number;
}

/** The optimizer, wrapped to accumulate `--accumulate` micro-batches per update. */
export function withAccumulation(
  opt: optim.GradientTransformation<jt.PyTree>,
  f: RobustTrainFlags,
): optim.GradientTransformation<jt.PyTree> {
  return f.accumulate > 1 ? optim.multiSteps(opt, { everyK: f.accumulate }) : opt;
}

/** The `trainLoop` options the flags turn on. */
export function robustLoopOptions(
  model: nn.Sequential,
  f: RobustTrainFlags,
): Pick<TrainOptions, 'augment' | 'prepareBatch'> {
  const out: { -readonly [K in 'augment' | 'prepareBatch']?: TrainOptions[K] } = {};
  if (f.augment) out.augment = augmentDigits;
  if (f.adversarial)
    out.prepareBatch = adversarialBatches(
      model,
      { kind: f.adversarial as AttackKind, eps: f.eps, norm: 'linf', steps: f.attackSteps },
      f.mixClean,
    );
  return out as Pick<TrainOptions, 'augment' | 'prepareBatch'>;
}

/** One line saying what the flags turned on, or '' when none. */
export function describeRobustFlags(f: RobustTrainFlags): string {
  const parts = [
    f.augment ? 'augmentation' : '',
    f.adversarial
      ? `adversarial training (${f.adversarial === 'pgd' ? `PGD-${f.attackSteps}` : 'FGSM, random start'}, ε ${f.eps}${f.mixClean ? ', mixed with clean' : ''})`
      : '',
    f.accumulate > 1 ? `${f.accumulate} micro-batches per update` : '',
  ].filter((p) => p !== '');
  return parts.join(', ');
}

/** Accuracy on the test set with every digit moved by 3 pixels (see `shiftedCopy`). */
export async function shiftedAccuracy(
  model: nn.Sequential,
  train: TrainState,
  test: datasets.LabelledImages,
): Promise<number> {
  const cm = await confusionOn(model, train, shiftedCopy(test.images), test.labels);
  return Number(metrics.accuracyFromConfusion(cm).item());
}
