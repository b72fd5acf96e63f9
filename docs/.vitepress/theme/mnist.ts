/**
 * The browser side of the "Draw a digit" page: the app's CNN, a safetensors decoder and the
 * MNIST-style preprocessing (`centreDigit`, shared with the app through the browser-safe
 * `@jute/app-kit/digit`). Apps are not importable, so the model is a copy of
 * `apps/mnist-cnn/src/model.ts`; keep them in step. `@jute/data` reads files through
 * `node:fs`, so the (tiny) decoder is here too.
 */
export { centreDigit } from '@jute/app-kit/digit';

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

/**
 * Decodes the F32 tensors of a safetensors file: 8-byte little-endian header length, a JSON
 * header of `{ name: { dtype, shape, data_offsets } }`, then the data (offsets relative to it).
 */
export function decodeF32Safetensors(buf: ArrayBuffer): Map<string, jt.Array> {
  if (buf.byteLength < 8) throw new Error('safetensors: file shorter than 8 bytes');
  const n = Number(new DataView(buf).getBigUint64(0, true));
  if (8 + n > buf.byteLength) throw new Error('safetensors: truncated header');
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const start = 8 + n;
  const out = new Map<string, jt.Array>();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (t.dtype !== 'F32') throw new Error(`safetensors: ${name} is ${t.dtype}, not F32`);
    const [b, e] = t.data_offsets;
    const size = t.shape.reduce((a, d) => a * d, 1);
    if (e - b !== size * 4 || start + e > buf.byteLength)
      throw new Error(`safetensors: ${name} has a bad byte span`);
    // slice() copies, so the Float32Array is aligned whatever the offset.
    const data = new Float32Array(buf.slice(start + b, start + e));
    out.set(name, jt.array(data, { shape: t.shape }));
  }
  return out;
}

/** Fills the params tree of `template` (from `model.init`) with the named tensors. */
export function paramsFrom<T>(template: T, tensors: ReadonlyMap<string, jt.Array>): T {
  const named = jt.tree.flattenWithPath<jt.Array>(template);
  const leaves = named.map(([path, leaf]) => {
    const t = tensors.get(path);
    if (!t) throw new Error(`weights: no tensor '${path}'`);
    if (t.shape.join() !== leaf.shape.join())
      throw new Error(`weights: '${path}' is [${t.shape}], the model wants [${leaf.shape}]`);
    return t;
  });
  return jt.tree.unflatten<T>(jt.tree.structure(template), leaves);
}

/** A loaded classifier: 28×28 ink in [0, 1] (white on black) → ten class probabilities. */
export type Classifier = (digit: Float32Array) => number[];

/** Builds the CNN and loads its weights from the safetensors file at `url`. */
export async function loadClassifier(url: string): Promise<Classifier> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const tensors = decodeF32Safetensors(await res.arrayBuffer());
  const model = buildCnn();
  const init = model.init(jt.random.key(0), [1, 28, 28, 1]);
  const params = paramsFrom(init.params, tensors);
  return (digit) => {
    const x = jt.array(digit, { shape: [1, 28, 28, 1] });
    const { y } = model.apply(params, x, { state: init.state, training: false });
    return Array.from(jt.softmax(y).data());
  };
}
