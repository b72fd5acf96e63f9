/**
 * The browser side of the "Draw a digit" page: the app's CNN and its MNIST-style
 * preprocessing, shared with the app through browser-safe `@jute/app-kit` subpaths, and
 * its weights, decoded by `@jute/data`'s browser entry.
 */
export { centreDigit } from '@jute/app-kit/digit';

import { buildModel } from '@jute/app-kit/mnist-model';
import * as data from '@jute/data';
import * as jt from '@jute/tensor';

/**
 * A loaded classifier: 28×28 ink in [0, 1] (white on black) → ten class probabilities.
 * Asynchronous, because on WebGPU the probabilities are read back from the device.
 */
export type Classifier = (digit: Float32Array) => Promise<number[]>;

/**
 * Picks WebGPU when the browser has it, else keeps the default backend (WebAssembly or
 * CPU). Returns what ran, for the page to show.
 */
export async function chooseBackend(): Promise<string> {
  try {
    const gpu = await jt.webgpuBackend();
    jt.setBackend(gpu);
    return `WebGPU (${gpu.device})`;
  } catch (e) {
    if (!(e instanceof jt.WebGpuUnavailableError)) throw e;
    return jt.getBackend().name === 'cpu' ? 'CPU (TypeScript)' : 'WebAssembly';
  }
}

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
  return async (digit) => {
    const x = jt.array(digit, { shape: [1, 28, 28, 1] });
    const { y } = model.apply(params, x, { state: init.state, training: false });
    return Array.from(await jt.softmax(y).dataAsync());
  };
}
