import {
  type LoadedTextCheckpoint,
  positiveInt,
  type TextCheckpointMeta,
  textCheckpoints,
} from '@jute/app-kit/text-checkpoint';
import type * as jt from '@jute/tensor';
import { type CharLstm, type CharLstmParams, charLstm, type ModelConfig } from './model';

/** Everything training needs to continue where it stopped. */
export interface TrainState {
  readonly params: CharLstmParams;
  readonly optState: jt.PyTree;
}

/** What a checkpoint records besides the tensors (stored as safetensors metadata). */
export type CheckpointMeta = TextCheckpointMeta<ModelConfig>;

/** A checkpoint read from disk: its metadata, the vocabulary and the model it belongs to. */
export type LoadedCheckpoint = LoadedTextCheckpoint<ModelConfig, CharLstm>;

/**
 * The app's checkpoints: `jute-text-lstm` files whose metadata holds the vocabulary and
 * the layer sizes; loading refuses non-finite weights (a diverged run's).
 */
export const checkpoints = textCheckpoints<ModelConfig, CharLstm, TrainState>({
  app: 'jute-text-lstm',
  fields: ['embed', 'hidden'],
  parse: (m) => {
    const embed = positiveInt(m.embed);
    const hidden = positiveInt(m.hidden);
    return embed === undefined || hidden === undefined ? undefined : { embed, hidden };
  },
  architecture: 'layer sizes',
  model: charLstm,
});

/**
 * `saveCheckpoint` writes parameters and optimizer state atomically (a temporary file
 * renamed into place), with the vocabulary and layer sizes in the metadata so that
 * sampling needs neither the corpus nor flags. `loadCheckpoint` reads one back; a file
 * that is not one, whose tensors do not fit the architecture its metadata names, or that
 * holds NaN or infinite values, is an error naming the problem.
 * @example
 * await saveCheckpoint('lstm.safetensors', { params, optState }, meta)();
 * const ckpt = await loadCheckpoint('lstm.safetensors')();
 * if (E.isRight(ckpt)) ckpt.right.restore({ params: ckpt.right.model.init(jt.random.key(0)) });
 */
export const { save: saveCheckpoint, load: loadCheckpoint } = checkpoints;
