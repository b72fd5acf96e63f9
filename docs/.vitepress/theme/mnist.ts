/**
 * The browser side of the "Draw a digit" page: the app's CNN, a safetensors decoder and the
 * MNIST-style preprocessing. Apps are not importable, so the model and `centreDigit` are
 * copies of `apps/mnist-cnn/src/model.ts` and `apps/mnist-cnn/src/image.ts`; keep them in
 * step. `@jute/data` reads files through `node:fs`, so the (tiny) decoder is here too.
 * Only `@jute/tensor` and `@jute/nn` are imported: both run in a browser.
 */
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

/**
 * Crops to the ink, resizes into a 20×20 box (area sampling) and centres it by mass in 28×28,
 * as the MNIST images were prepared. A copy of `centreDigit` in `apps/mnist-cnn/src/image.ts`.
 */
export function centreDigit(ink: Float32Array, w: number, h: number): Float32Array {
  let [x0, y0, x1, y1] = [w, h, -1, -1];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x]! > 0.1)
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  const out = new Float32Array(28 * 28);
  if (x1 < 0) return out;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  const box = new Float32Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      // Average the source pixels that fall in this target pixel.
      const sx0 = x0 + Math.floor(tx / scale);
      const sx1 = Math.max(sx0 + 1, x0 + Math.floor((tx + 1) / scale));
      const sy0 = y0 + Math.floor(ty / scale);
      const sy1 = Math.max(sy0 + 1, y0 + Math.floor((ty + 1) / scale));
      let sum = 0;
      let n = 0;
      for (let sy = sy0; sy < Math.min(sy1, h); sy++)
        for (let sx = sx0; sx < Math.min(sx1, w); sx++, n++) sum += ink[sy * w + sx]!;
      box[ty * tw + tx] = n ? sum / n : 0;
    }
  }
  let [mx, my, mass] = [0, 0, 0];
  for (let y = 0; y < th; y++)
    for (let x = 0; x < tw; x++)
      [mx, my, mass] = [
        mx + x * box[y * tw + x]!,
        my + y * box[y * tw + x]!,
        mass + box[y * tw + x]!,
      ];
  const ox = Math.round(14 - (mass ? mx / mass : tw / 2));
  const oy = Math.round(14 - (mass ? my / mass : th / 2));
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) out[Y * 28 + X] = Math.min(1, box[y * tw + x]!);
    }
  }
  return out;
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
