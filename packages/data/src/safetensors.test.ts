import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DataError } from './errors';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { readSafetensors, writeSafetensors } from './safetensors-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jute-st-'));
});

const tree = {
  conv1: {
    kernel: jt.array(
      Float32Array.from({ length: 24 }, (_, i) => i / 7),
      { shape: [2, 2, 2, 3] },
    ),
    bias: jt.array([0.5, -1, 2]),
  },
  layers: [
    { w: jt.array([[1.5, 2.5]], { dtype: 'float64' }) },
    { mask: jt.array([true, false, true]) },
  ],
  step: jt.array([7], { dtype: 'int32' }),
  lr: 0.001,
};

/** A file assembled by hand from the format description: u64 LE length, JSON, LE data. */
function handWritten(header: string, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const leftTag = (r: E.Either<DataError, unknown>): string => (E.isLeft(r) ? r.left._tag : 'Right');

describe('safetensors', () => {
  it('round-trips a nested pytree with every dtype and metadata through a file', async () => {
    const path = join(dir, 'model.safetensors');
    const w = await writeSafetensors(path, tree, { metadata: { step: 1200, note: 'hi' } })();
    expect(w).toEqual(E.right(undefined));
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const r = await readSafetensors(path)();
    if (E.isLeft(r)) throw new Error(r.left._tag);
    const { tensors, metadata } = r.right;
    expect(metadata).toEqual({ step: '1200', note: 'hi' });
    expect(Object.keys(tensors).sort()).toEqual([
      'conv1.bias',
      'conv1.kernel',
      'layers.0.w',
      'layers.1.mask',
      'lr',
      'step',
    ]);
    expect(tensors['conv1.kernel']!.shape).toEqual([2, 2, 2, 3]);
    expect([...tensors['conv1.kernel']!.data()]).toEqual([...tree.conv1.kernel.data()]);
    expect(tensors['layers.0.w']!.dtype).toBe('float64');
    expect(tensors['layers.0.w']!.toArray()).toEqual([[1.5, 2.5]]);
    expect(tensors['layers.1.mask']!.dtype).toBe('bool');
    expect(tensors['layers.1.mask']!.toArray()).toEqual([true, false, true]);
    expect(tensors.step!.dtype).toBe('int32');
    expect(tensors.lr!.dtype).toBe('float64');
    expect(tensors.lr!.item()).toBe(0.001);
  });

  it('writes the exact layout of the spec: 8-aligned header padded with spaces, LE data', () => {
    const bytes = E.getOrElseW(() => new Uint8Array())(
      encodeSafetensors({ a: jt.array([1, 2], { dtype: 'int32' }), b: jt.array([0.5]) }),
    );
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.startsWith('{')).toBe(true);
    expect(/^[^ ]*\}( *)$/.test(header)).toBe(true);
    const parsed = JSON.parse(header);
    expect(parsed.a).toEqual({ dtype: 'I32', shape: [2], data_offsets: [0, 8] });
    expect(parsed.b).toEqual({ dtype: 'F32', shape: [1], data_offsets: [8, 12] });
    expect(parsed.__metadata__).toBeUndefined();
    expect([...bytes.subarray(8 + n, 8 + n + 8)]).toEqual([1, 0, 0, 0, 2, 0, 0, 0]);
    expect(view.getFloat32(8 + n + 8, true)).toBe(0.5);
    expect(bytes.length).toBe(8 + n + 12);
  });

  it('reads a file written by hand from the spec (another writer)', async () => {
    const data = new Uint8Array(8 + 4 * 4 + 2);
    const dv = new DataView(data.buffer);
    dv.setFloat64(0, -2.25, true);
    [1, 2, 3, 4].forEach((v, i) => {
      dv.setFloat32(8 + 4 * i, v, true);
    });
    data.set([1, 0], 24);
    const header =
      '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]},' +
      '"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]},"m":{"dtype":"BOOL","shape":[2],"data_offsets":[24,26]}}   ';
    const path = join(dir, 'hand.safetensors');
    await writeFile(path, handWritten(header, data));
    const r = await readSafetensors(path)();
    if (E.isLeft(r)) throw new Error(r.left._tag);
    expect(r.right.metadata).toEqual({ format: 'pt' });
    expect(r.right.tensors.w!.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(r.right.tensors.s!.shape).toEqual([]);
    expect(r.right.tensors.s!.item()).toBe(-2.25);
    expect(r.right.tensors.m!.toArray()).toEqual([true, false]);
    // Our own writer's output is byte-for-byte readable by the same rules.
    const empty = handWritten('{}', new Uint8Array());
    expect(decodeSafetensors(empty)).toEqual(E.right({ tensors: {}, metadata: {} }));
  });

  it('rejects every kind of corrupt file with a typed error', async () => {
    const tensor = (dtype: string, shape: number[], offsets: number[]) =>
      `{"t":{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}}`;
    const four = new Uint8Array(4);
    const cases: [string, Uint8Array][] = [
      ['Truncated', new Uint8Array(5)],
      [
        'Truncated',
        (() => {
          const b = handWritten('{}', new Uint8Array());
          new DataView(b.buffer).setBigUint64(0, 1000n, true);
          return b;
        })(),
      ],
      [
        'MalformedHeader',
        (() => {
          const b = new Uint8Array(16);
          new DataView(b.buffer).setBigUint64(0, 1n << 40n, true);
          return b;
        })(),
      ],
      ['MalformedHeader', handWritten('{"t": ', four)],
      ['MalformedHeader', handWritten(' {}', new Uint8Array())],
      ['MalformedHeader', handWritten('[1]', new Uint8Array())],
      ['MalformedHeader', handWritten('{"__metadata__":{"step":3}}', new Uint8Array())],
      ['MalformedHeader', handWritten('{"t":{"dtype":"F32","shape":[1]}}', four)],
      ['MalformedHeader', handWritten(tensor('F32', [-1], [0, 4]), four)],
      ['MalformedHeader', handWritten(tensor('F32', [1], [4, 0]), four)],
      ['MalformedHeader', handWritten(tensor('F32', [2], [0, 4]), four)],
      ['UnsupportedDType', handWritten(tensor('F16', [2], [0, 4]), four)],
      ['Truncated', handWritten(tensor('F32', [2], [0, 8]), four)],
      ['TrailingBytes', handWritten(tensor('F32', [1], [0, 4]), new Uint8Array(6))],
      ['OffsetOutOfRange', handWritten(tensor('F32', [1], [400, 404]), four)],
      [
        'MalformedHeader',
        handWritten(
          '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
          new Uint8Array(8),
        ),
      ],
      ['ValueOutOfRange', handWritten(tensor('BOOL', [1], [0, 1]), Uint8Array.of(7))],
    ];
    for (const [tag, bytes] of cases)
      expect([tag, leftTag(decodeSafetensors(bytes, 'f'))]).toEqual([tag, tag]);
    const path = join(dir, 'trunc.safetensors');
    const good = E.getOrElseW(() => new Uint8Array())(encodeSafetensors(tree));
    await writeFile(path, good.subarray(0, good.length - 3));
    expect(leftTag(await readSafetensors(path)())).toBe('Truncated');
    expect(await readSafetensors(join(dir, 'none'))()).toEqual(
      E.left({ _tag: 'FileNotFound', path: join(dir, 'none') }),
    );
  });

  it('rejects unwritable trees and never leaves a partial file behind', async () => {
    expect(leftTag(encodeSafetensors({ __metadata__: jt.zeros([1]) }))).toBe('InvalidArgument');
    expect(leftTag(encodeSafetensors({ when: new Date() }))).toBe('InvalidArgument');
    const path = join(dir, 'missing-dir', 'x.safetensors');
    expect(leftTag(await writeSafetensors(path, tree)())).toBe('WriteFailed');
    const keep = join(dir, 'keep.safetensors');
    await writeFile(keep, 'old');
    expect(leftTag(await writeSafetensors(keep, { bad: new Map() })())).toBe('InvalidArgument');
    expect(await readFile(keep, 'utf8')).toBe('old');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
