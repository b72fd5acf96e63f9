import {
  type LoadedTextCheckpoint,
  positiveInt,
  type TextCheckpointMeta,
  textCheckpoints,
} from '@jute/app-kit/text-checkpoint';
import { type CharGpt, charGpt, type GptConfig } from './model';
import type { TrainState } from './train';

/** What a checkpoint records besides the tensors (stored as safetensors metadata). */
export type CheckpointMeta = TextCheckpointMeta<GptConfig>;

/** A checkpoint read from disk: its metadata, the vocabulary and the model it belongs to. */
export type LoadedCheckpoint = LoadedTextCheckpoint<GptConfig, CharGpt>;

/** The architecture in a checkpoint's metadata, or `undefined` when a field is missing or invalid. */
function parseArchitecture(
  m: Readonly<Record<string, string>>,
): Omit<GptConfig, 'vocabSize'> | undefined {
  const context = positiveInt(m.context);
  const dim = positiveInt(m.dim);
  const layers = positiveInt(m.layers);
  const heads = positiveInt(m.heads);
  const { mlp, positions } = m;
  if (
    context === undefined ||
    dim === undefined ||
    layers === undefined ||
    heads === undefined ||
    dim % heads !== 0 ||
    (mlp !== 'gelu' && mlp !== 'swiglu') ||
    (positions !== 'rope' && positions !== 'learned')
  )
    return undefined;
  return { context, dim, layers, heads, mlp, positions };
}

/** The app's checkpoints: `jute-text-transformer` files whose metadata holds the vocabulary and the architecture. */
export const checkpoints = textCheckpoints<GptConfig, CharGpt, TrainState>({
  app: 'jute-text-transformer',
  fields: ['context', 'dim', 'layers', 'heads', 'mlp', 'positions'],
  parse: parseArchitecture,
  architecture: 'architecture',
  model: (config) => charGpt(config),
});

/**
 * `saveCheckpoint` writes parameters and optimizer state atomically (a temporary file
 * renamed into place), with the vocabulary and the architecture in the metadata, so
 * sampling needs neither the corpus nor flags. `loadCheckpoint` reads one back; a file
 * that is not one, or whose tensors do not fit the architecture its metadata names, is an
 * error naming the problem.
 * @example
 * await saveCheckpoint('gpt.safetensors', { params, optState }, meta)();
 * const ckpt = await loadCheckpoint('gpt.safetensors')();
 * if (E.isRight(ckpt)) ckpt.right.restore({ params: ckpt.right.model.init(jt.random.key(0)) });
 */
export const { save: saveCheckpoint, load: loadCheckpoint } = checkpoints;
