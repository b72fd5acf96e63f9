/**
 * The browser side of the "Draw a digit" page: the app's CNN, its weights (decoded by
 * `@jute/data`'s browser entry) and the MNIST-style preprocessing (`centreDigit`, shared
 * with the app through the browser-safe `@jute/app-kit/digit`). Apps are not importable,
 * so the model is a copy of `apps/mnist-cnn/src/model.ts`; keep them in step.
 */
export { centreDigit } from '@jute/app-kit/digit';

import * as data from '@jute/data';
import * as nn from '@jute/nn';
import * as jt from '@jute/tensor';

/** The CNN of `apps/mnist-cnn/src/model.ts` (`buildModel('cnn')`): same layers, same names. */
export function buildCnn(): nn.Sequential {
  return nn.sequential(
    nn.named('conv1', nn.conv2d({ features: 32, kernelSize: [3, 3], padding: 'VALID' })),
    nn.relu,
    nn.maxPool2d({ window: [2, 2] }),
    nn.named('conv2', nn.conv2d({ features: 64, kernelSize: [3, 3], padding: 'VALID' })),
    nn.relu,
    nn.maxPool2d({ window: [2, 2] }),
    nn.flatten(),
    nn.named('dense1', nn.dense({ features: 128 })),
    nn.relu,
    nn.dropout({ rate: 0.5 }),
    nn.named('dense2', nn.dense({ features: 10 })),
  );
}

/** A loaded classifier: 28×28 ink in [0, 1] (white on black) → ten class probabilities. */
export type Classifier = (digit: Float32Array) => number[];

/** Builds the CNN and loads its weights from the safetensors file at `url`. */
export async function loadClassifier(url: string): Promise<Classifier> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const decoded = data.decodeSafetensors(new Uint8Array(await res.arrayBuffer()), url);
  if (decoded._tag === 'Left') throw data.dataErrorToError(decoded.left);
  const model = buildCnn();
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
