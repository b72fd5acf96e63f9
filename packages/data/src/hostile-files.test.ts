import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { readCsv } from './csv-file';
import type { DataError } from './errors';
import { gunzipBounded } from './file-io';
import { encodeIdx, parseIdx } from './idx';
import { readIdx, readIdxRaw } from './idx-file';
import { DEFAULT_MAX_BYTES } from './limits';
import { restoreInto } from './restore-into';
import { decodeSafetensors } from './safetensors';
import { writeSafetensors } from './safetensors-file';

// Regression tests for the hostile files of issue #16: each failed (threw, "succeeded"
// with empty data, took seconds, or exhausted memory) before the readers were bounded.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jute-hostile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const tag = (r: E.Either<DataError, unknown>): string => (E.isLeft(r) ? r.left._tag : 'Right');

/** An IDX header: magic with `type`, then the dimensions big-endian. */
function idxHeader(dims: readonly number[], type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  return out;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const MiB = 1024 * 1024;
const zeros16 = gzipSync(new Uint8Array(16 * MiB), { level: 9 });
/**
 * `head` followed by `16 MiB × members` zero bytes, gzipped as concatenated members (gzip
 * allows that), so a 1 GiB bomb costs one 16 MiB compression and about 1 MB of memory.
 */
const bomb = (head: Uint8Array, members: number): Uint8Array =>
  concat(gzipSync(head), ...Array.from({ length: members }, () => zeros16));

describe('IDX headers whose sizes do not fit a number', () => {
  it('dimensions that multiply past 2^53 are MalformedHeader, not Truncated or a throw', () => {
    const huge = idxHeader([0xffffffff, 0xffffffff, 0xffffffff]);
    expect(parseIdx(huge)).toMatchObject(E.left({ _tag: 'MalformedHeader' }));
    // 2^27 · 2^27 = 2^54 > 2^53: just past exactness.
    expect(tag(parseIdx(idxHeader([2 ** 27, 2 ** 27])))).toBe('MalformedHeader');
  });

  it('a zero among dimensions whose product overflows is an error, not an empty success', () => {
    // 255 dimensions of 2^32-1 multiply to Infinity, and Infinity · 0 is NaN: the old
    // parser compared NaN sizes (all false) and returned Right with empty data.
    const dims = [...Array.from({ length: 254 }, () => 0xffffffff), 0];
    expect(tag(parseIdx(idxHeader(dims)))).toBe('MalformedHeader');
    expect(tag(parseIdx(idxHeader([0xffffffff, 0xffffffff, 0xffffffff, 0])))).toBe(
      'MalformedHeader',
    );
  });

  it('readIdx turns such files into a DataError, never a thrown ShapeError', async () => {
    const path = join(dir, 'nan.idx');
    await writeFile(path, idxHeader([0xffffffff, 0xffffffff, 0xffffffff, 0]));
    expect(tag(await readIdx(path)())).toBe('MalformedHeader');
    // An honest empty file still reads.
    await writeFile(join(dir, 'empty.idx'), idxHeader([0, 28, 28]));
    const empty = await readIdx(join(dir, 'empty.idx'))();
    expect(E.isRight(empty) && empty.right.shape).toEqual([0, 28, 28]);
  });

  it('a declared size above maxBytes is TooLarge before anything is allocated', () => {
    const header = idxHeader([2 ** 29]);
    expect(parseIdx(header)).toEqual(
      E.left({
        _tag: 'TooLarge',
        path: '',
        what: 'declared IDX size',
        limit: DEFAULT_MAX_BYTES,
        actual: 8 + 2 ** 29,
      }),
    );
    const small = encodeIdx({ type: 'int32', shape: [4], data: Int32Array.of(1, 2, 3, 4) });
    expect(tag(parseIdx(small, '', { maxBytes: 16 }))).toBe('TooLarge');
    expect(tag(parseIdx(small, '', { maxBytes: 24 }))).toBe('Right');
    expect(tag(parseIdx(small, '', { maxBytes: -1 }))).toBe('InvalidArgument');
  });
});

describe('decompression bombs', () => {
  it('a 1 GiB uint8 IDX in 1 MB of gzip is refused at its header', async () => {
    const path = join(dir, 'bomb-1g.idx.gz');
    const gz = bomb(idxHeader([2 ** 30]), 64);
    expect(gz.length).toBeLessThan(2 * MiB);
    await writeFile(path, gz);
    const before = process.memoryUsage().arrayBuffers;
    const r = await readIdxRaw(path)();
    expect(r).toMatchObject(
      E.left({ _tag: 'TooLarge', what: 'declared size', actual: 8 + 2 ** 30 }),
    );
    // Unbounded, gunzip alone held 1 GiB here.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * MiB);
  });

  it('the issue’s uint8[2^29] file (0.5 GiB) is TooLarge by default', async () => {
    const path = join(dir, 'bomb-512m.idx.gz');
    await writeFile(path, bomb(idxHeader([2 ** 29]), 1));
    expect(await readIdx(path)()).toMatchObject(
      E.left({ _tag: 'TooLarge', limit: DEFAULT_MAX_BYTES }),
    );
  });

  it('content inflating past what its header declares stops there', async () => {
    const path = join(dir, 'liar.idx.gz');
    await writeFile(path, bomb(idxHeader([10]), 64));
    const r = await readIdxRaw(path)();
    expect(r).toMatchObject(E.left({ _tag: 'DecompressFailed' }));
    expect(E.isLeft(r) && 'message' in r.left && r.left.message).toMatch(
      /past the 18 bytes its header declares/,
    );
  });

  it('gzip without a known header is bounded by maxBytes alone', async () => {
    const r = await gunzipBounded(bomb(Uint8Array.of(1), 4), 'x.gz', { maxBytes: MiB })();
    expect(r).toMatchObject(E.left({ _tag: 'TooLarge', what: 'gunzipped size', limit: MiB }));
    const ok = await gunzipBounded(gzipSync(Uint8Array.of(1, 2, 3)), 'x.gz', { maxBytes: 3 })();
    expect(ok).toEqual(E.right(Uint8Array.of(1, 2, 3)));
    expect(tag(await gunzipBounded(Uint8Array.of(0x1f, 0x8b, 8, 0), 'x.gz')())).toBe(
      'DecompressFailed',
    );
  });

  it('a gzipped IDX still round-trips, and so does a truncated one as Truncated', async () => {
    const idx = encodeIdx({ type: 'uint8', shape: [3, 2], data: Uint8Array.of(1, 2, 3, 4, 5, 6) });
    await writeFile(join(dir, 'ok.idx.gz'), gzipSync(idx));
    expect(await readIdxRaw(join(dir, 'ok.idx.gz'))()).toEqual(
      parseIdx(idx, join(dir, 'ok.idx.gz')),
    );
    await writeFile(join(dir, 'short.idx.gz'), gzipSync(idx.subarray(0, 12)));
    expect(tag(await readIdxRaw(join(dir, 'short.idx.gz'))())).toBe('Truncated');
  });
});

describe('CSV parsing is linear', () => {
  /** Parses `text` and returns the milliseconds it took. */
  const time = (text: string): number => {
    const t0 = performance.now();
    parseCsv(text, { header: false });
    return performance.now() - t0;
  };

  it('a 64 KB numeric field that is not a number fails fast', () => {
    // The old pattern backtracked over every split of the digit run: 15-21 s here.
    const field = `${'1'.repeat(65536)}x`;
    const t = time(field);
    const r = parseCsv(field, { header: false });
    expect(r).toMatchObject(E.left({ _tag: 'ParseError', line: 1, column: 1 }));
    // The message stays one short line.
    expect(E.isLeft(r) && 'message' in r.left && r.left.message.length).toBeLessThan(120);
    expect(t).toBeLessThan(2000);
  });

  it('doubling the field doubles the work, not quadruples it', () => {
    // Generous bound (5x for 2x the input, after a warm-up) so a busy machine cannot flake;
    // the quadratic parser gave 4x per doubling and seconds in absolute terms.
    for (const n of [1 << 14, 1 << 15]) time(`${'9'.repeat(n)}.5e`);
    const small = time(`${'9'.repeat(1 << 18)}.5e`);
    const large = time(`${'9'.repeat(1 << 19)}.5e`);
    expect(large).toBeLessThan(5 * Math.max(small, 1) + 50);
  });

  it('a 1 MB numeric file parses in well under a second', () => {
    const row = Array.from({ length: 10 }, (_, i) => (i * 1.25 - 3).toExponential(6)).join(',');
    const text = Array.from({ length: Math.ceil((1 << 20) / row.length) }, () => row).join('\n');
    const t0 = performance.now();
    const r = parseCsv(text, { header: false, dtype: 'float64' });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(E.isRight(r) && r.right.data.shape[1]).toBe(10);
  });
});

describe('readers return errors, never throw', () => {
  it('readCsv: a dtype, delimiter or option outside the type is InvalidArgument', async () => {
    const path = join(dir, 'a.csv');
    await writeFile(path, 'a,b\n1,2\n');
    const bad: unknown[] = [
      { dtype: 'int64' },
      { dtype: 'bool' },
      { delimiter: 5 },
      { delimiter: '\r' },
      { header: 'yes' },
      { missing: 'NA' },
      null,
    ];
    for (const o of bad) {
      const r = await readCsv(path, o as never)();
      expect(r).toMatchObject(E.left({ _tag: 'InvalidArgument' }));
    }
    expect(tag(parseCsv(42 as never))).toBe('InvalidArgument');
  });

  it('paths that are not strings are InvalidArgument (Node would read a file descriptor)', async () => {
    expect(tag(await readCsv(0 as never)())).toBe('InvalidArgument');
    expect(tag(await readIdx(undefined as never)())).toBe('InvalidArgument');
  });

  it('restoreInto refuses tensors that are not arrays instead of throwing', () => {
    const template = { w: jt.zeros([2]) };
    expect(tag(restoreInto(template, null as never))).toBe('InvalidArgument');
    expect(tag(restoreInto(template, { w: 3 } as never))).toBe('InvalidArgument');
    expect(tag(restoreInto(template, { w: jt.zeros([2]) }))).toBe('Right');
  });

  it('writeSafetensors: bad options, metadata or path are InvalidArgument', async () => {
    const tree = { w: jt.zeros([1]) };
    const out = join(dir, 'w.safetensors');
    for (const o of [null, { metadata: null }, { metadata: 'x' }, { metadata: { a: {} } }]) {
      expect(tag(await writeSafetensors(out, tree, o as never)())).toBe('InvalidArgument');
    }
    expect(tag(await writeSafetensors(7 as never, tree)())).toBe('InvalidArgument');
    expect(tag(await writeSafetensors(out, tree, { metadata: { step: 1, ok: true } })())).toBe(
      'Right',
    );
  });

  it('a FIFO or an endless device is ReadFailed at once, not a read that never ends', async (ctx) => {
    const fifo = join(dir, 'input.csv');
    execFileSync('mkfifo', [fifo]);
    // open() on a FIFO without a writer blocks for ever; the reader must not get there.
    expect(await readCsv(fifo)()).toMatchObject(E.left({ _tag: 'ReadFailed', path: fifo }));
    const zero = join(dir, 'zero.idx');
    // A /dev/zero twin, made in the temp folder (mknod needs root).
    if (spawnSync('mknod', [zero, 'c', '1', '5']).status !== 0) return ctx.skip();
    const r = await readIdx(zero)();
    expect(r).toMatchObject(E.left({ _tag: 'ReadFailed' }));
    expect(E.isLeft(r) && 'message' in r.left && r.left.message).toMatch(/character device/);
  });

  it('byte decoders refuse non-bytes', () => {
    expect(tag(decodeSafetensors('x' as never))).toBe('InvalidArgument');
    expect(tag(parseIdx([0, 0, 8, 0] as never))).toBe('InvalidArgument');
  });

  it('an empty safetensors tensor with an absurd shape is MalformedHeader or valid', () => {
    const json = JSON.stringify({ w: { dtype: 'F32', shape: [0, 2 ** 52], data_offsets: [0, 0] } });
    const header = new TextEncoder().encode(json.padEnd(Math.ceil(json.length / 8) * 8, ' '));
    const bytes = new Uint8Array(8 + header.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(header, 8);
    expect(['Right', 'MalformedHeader']).toContain(tag(decodeSafetensors(bytes)));
  });
});
