import * as jt from '@jute/tensor';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { batch } from './batch';
import { charWindows, languageModelBatches } from './char-windows';
import { collect } from './dataset';
import { epoch } from './epoch';

const ids = Int32Array.from({ length: 23 }, (_, i) => i);

describe('charWindows', () => {
  it('makes next-character windows: targets are inputs shifted by one', async () => {
    const ds = charWindows(ids, { length: 5 });
    expect(ds.cardinality).toBe(4); // starts 0, 5, 10, 15 (each needs 6 ids)
    const ws = await collect(ds);
    expect(ws[1]!.inputs.toArray()).toEqual([5, 6, 7, 8, 9]);
    expect(ws[1]!.targets.toArray()).toEqual([6, 7, 8, 9, 10]);
    expect(ws[0]!.inputs.dtype).toBe('int32');
    expect(charWindows(ids, { length: 5, stride: 1 }).cardinality).toBe(18);
    expect(charWindows(Int32Array.of(1, 2), { length: 5 }).cardinality).toBe(0);
  });

  it('batches into [batch, time] int32 arrays', async () => {
    const bs = await collect(pipe(charWindows(jt.array(ids), { length: 4 }), batch(2)));
    expect(bs[0]!.inputs.shape).toEqual([2, 4]);
    expect(bs[0]!.targets.toArray()).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(() => charWindows(jt.zeros([3]), { length: 2 })).toThrow(jt.DTypeError);
    expect(() => charWindows(ids, { length: 0 })).toThrow(jt.ValueError);
  });

  it('languageModelBatches shuffles per epoch and drops the remainder', async () => {
    const ds = languageModelBatches(ids, { batchSize: 2, length: 3, key: jt.random.key(0) });
    expect(ds.cardinality).toBe(3); // 7 windows -> 3 full batches
    const e0 = await collect(ds);
    const e1 = await collect(epoch(ds, 1));
    expect(e0.every((b) => b.inputs.shape[0] === 2 && b.inputs.shape[1] === 3)).toBe(true);
    expect(e0.map((b) => b.inputs.toArray())).not.toEqual(e1.map((b) => b.inputs.toArray()));
    for (const b of e0) {
      const x = b.inputs.data();
      const y = b.targets.data();
      x.forEach((v, i) => {
        expect(y[i]).toBe(v + 1);
      });
    }
  });
});
