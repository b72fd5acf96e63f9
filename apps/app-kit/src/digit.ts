/**
 * MNIST-style digit preprocessing, shared by the MNIST app (PNG input) and the docs
 * playground (canvas input). No Node imports: it is exported on its own subpath,
 * `@jute/app-kit/digit`, so browsers can bundle it.
 */

/** Crops to the ink, resizes into a 20×20 box (area sampling) and centres it by mass in 28×28. */
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
