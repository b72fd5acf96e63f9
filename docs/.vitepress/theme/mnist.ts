/**
 * The browser side of the "Draw a digit" page: the app's CNN and its MNIST-style
 * preprocessing, shared with the app through browser-safe `@jute/app-kit` subpaths, and
 * its weights, decoded by `@jute/data`'s browser entry.
 */
export { centreDigit } from '@jute/app-kit/digit';

import { buildModel } from '@jute/app-kit/mnist-model';
import * as data from '@jute/data';
import * as jt from '@jute/tensor';

/** A loaded classifier: 28×28 ink in [0, 1] (white on black) → ten class probabilities. */
export type Classifier = (digit: Float32Array) => number[];

/** Builds the CNN and loads its weights from the safetensors file at `url`. */
export async function loadClassifier(url: string): Promise<Classifier> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const decoded = data.decodeSafetensors(new Uint8Array(await res.arrayBuffer()), url);
  if (decoded._tag === 'Left') throw data.dataErrorToError(decoded.left);
  const model = buildModel('cnn');
  const init = model.init(jt.random.key(0), [1, 28, 28, 1]);
  const restored = data.restoreInto(init.params, decoded.right.tensors);
  if (restored._tag === 'Left') throw data.dataErrorToError(restored.left);
  const params = restored.right;
  return (digit) => {
    const x = jt.array(digit, { shape: [1, 28, 28, 1] });
    const { y } = model.apply(params, x, { state: init.state, training: false });
    return Array.from(jt.softmax(y).data());
  };
}
