import * as jt from '@jute/tensor';

// Loading the text, its validation split and the unigram baseline are shared with the
// transformer app: `@jute/app-kit/text-corpus`.

/** One batch of next-character windows: int32 `[batch, time]`, targets shifted by one. */
export interface StreamBatch {
  readonly inputs: jt.Array;
  readonly targets: jt.Array;
}

/**
 * Cuts `ids` into `batchSize` contiguous streams and walks them in windows of `length`:
 * row `b` of batch `i + 1` continues row `b` of batch `i` in the text, so the LSTM state
 * can be carried from one batch to the next (truncated backpropagation through time).
 * The characters that do not fill a whole window in every stream are dropped.
 * @example
 * const s = streamBatches(ids, { batchSize: 32, length: 64 });
 * for (let i = 0; i < s.steps; i++) step(s.batch(i));
 */
export function streamBatches(
  ids: Int32Array,
  o: { readonly batchSize: number; readonly length: number },
): { readonly steps: number; batch(i: number): StreamBatch } {
  const { batchSize: B, length: T } = o;
  // Each stream needs one character beyond its windows for the last target.
  const streamLength = Math.floor((ids.length - 1) / B);
  const steps = Math.max(0, Math.floor(streamLength / T));
  return {
    steps,
    batch(i) {
      const inputs = new Int32Array(B * T);
      const targets = new Int32Array(B * T);
      for (let b = 0; b < B; b++) {
        const start = b * streamLength + i * T;
        inputs.set(ids.subarray(start, start + T), b * T);
        targets.set(ids.subarray(start + 1, start + T + 1), b * T);
      }
      return {
        inputs: jt.array(inputs, { shape: [B, T], dtype: 'int32' }),
        targets: jt.array(targets, { shape: [B, T], dtype: 'int32' }),
      };
    },
  };
}

/**
 * The `count` training characters of epoch `epoch`: consecutive epochs take consecutive
 * slices of the text (wrapping around), so a per-epoch limit still covers all of it.
 * @example epochSlice(ids, 2, 100_000) // ids[200_000 .. 300_000) when ids is long enough
 */
export function epochSlice(ids: Int32Array, epoch: number, count: number): Int32Array {
  if (count >= ids.length) return ids;
  const start = (epoch * count) % ids.length;
  if (start + count <= ids.length) return ids.subarray(start, start + count);
  const out = new Int32Array(count);
  out.set(ids.subarray(start));
  out.set(ids.subarray(0, count - (ids.length - start)), ids.length - start);
  return out;
}
