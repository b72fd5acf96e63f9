/**
 * Writes docs/public/mnist-cnn.safetensors, the weights of the "Draw a digit" page, from a
 * checkpoint of `pnpm mnist` (default CNN run): keeps `params.*` (and `state.*`, if any),
 * drops the optimizer state, and strips the `params.` prefix.
 *
 *   pnpm --filter @jute/docs exec tsx --conditions=@jute/source scripts/extract-weights.ts CKPT
 */
import { fileURLToPath } from 'node:url';
import * as data from '@jute/data';
import type * as jt from '@jute/tensor';

const [input] = process.argv.slice(2);
if (!input) throw new Error('usage: extract-weights.ts <checkpoint.safetensors>');
const out = fileURLToPath(new URL('../public/mnist-cnn.safetensors', import.meta.url));

const read = await data.readSafetensors(input)();
if (read._tag === 'Left') throw new Error(data.formatDataError(read.left));
const { tensors, metadata } = read.right;
if (metadata.model !== undefined && metadata.model !== 'cnn')
  throw new Error(`${input}: a checkpoint of --model ${metadata.model}, not cnn`);
const kept: Record<string, jt.Array> = {};
for (const [k, v] of Object.entries(tensors)) {
  if (k.startsWith('params.')) kept[k.slice('params.'.length)] = v;
  else if (k.startsWith('state.')) kept[k] = v;
}
if (Object.keys(kept).some((k) => k.startsWith('state.')))
  throw new Error('this checkpoint has model state; the page expects none (the CNN has none)');
const written = await data.writeSafetensors(out, kept, {
  metadata: { model: 'cnn', epoch: metadata.epoch ?? '', step: metadata.step ?? '' },
})();
if (written._tag === 'Left') throw new Error(data.formatDataError(written.left));
console.log(`wrote ${out}: ${Object.keys(kept).sort().join(', ')}`);
