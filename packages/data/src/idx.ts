import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from './errors';
import { maxBytesOption } from './limits';

/**
 * The element types an IDX file can declare (type byte 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E).
 * @example const t: IdxType = 'uint8';
 */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/**
 * A decoded IDX file: its declared element type, its shape and its values in a
 * typed array of the matching kind (host byte order).
 * @example const { shape } = E.getOrElseW(() => undefined)(parseIdx(bytes))!;
 */
export interface IdxData {
  readonly type: IdxType;
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Readonly<Record<number, readonly [IdxType, number]>> = {
  8: ['uint8', 1],
  9: ['int8', 1],
  11: ['int16', 2],
  12: ['int32', 4],
  13: ['float32', 4],
  14: ['float64', 8],
};

const TYPE_CODE: Readonly<Record<IdxType, number>> = {
  uint8: 0x08,
  int8: 0x09,
  int16: 0x0b,
  int32: 0x0c,
  float32: 0x0d,
  float64: 0x0e,
};

const hex = (bytes: Uint8Array): string =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** Options of {@link parseIdx}, `readIdx` and `readIdxRaw`. */
export interface IdxOptions {
  /**
   * The largest IDX content (header and data) accepted, in bytes; a header declaring
   * more is `TooLarge` before anything is allocated or inflated. Default 256 MiB
   * (`DEFAULT_MAX_BYTES`): MNIST's 47 MB fit, EMNIST needs `2 ** 30`.
   */
  readonly maxBytes?: number;
}

/**
 * The total size in bytes an IDX header declares, from a prefix of the file:
 * `undefined` while the prefix is shorter than the header, `BadMagic` for a wrong magic
 * number, `MalformedHeader` when the dimensions multiply past 2^53 elements (where
 * sizes stop being exact).
 * @example idxDeclaredBytes(bytes); // Right(16 + 60000 * 784)
 */
export function idxDeclaredBytes(
  prefix: Uint8Array,
  path = '',
): E.Either<DataError, number> | undefined {
  if (prefix.length < 4) return undefined;
  const type = TYPES[prefix[2]!];
  if (prefix[0] !== 0 || prefix[1] !== 0 || type === undefined) {
    return E.left({
      _tag: 'BadMagic',
      path,
      expected: '00 00 {08,09,0b,0c,0d,0e} <ndim>',
      actual: hex(prefix.subarray(0, 4)),
    });
  }
  const ndim = prefix[3]!;
  const headerBytes = 4 + 4 * ndim;
  if (prefix.length < headerBytes) return undefined;
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  // The product is checked at every step (Infinity * 0 = NaN would pass every size
  // comparison), over the non-zero dimensions too: [2^32-1, ..., 0] is refused, not read
  // as an empty array whose other dimensions no array could hold.
  let count = 1;
  for (const d of dims) {
    count *= d === 0 ? 1 : d;
    if (count * type[1] > Number.MAX_SAFE_INTEGER) {
      return E.left({
        _tag: 'MalformedHeader',
        path,
        reason: `dimensions [${dims.join(',')}] hold more than 2^53 bytes of ${type[0]}`,
      });
    }
  }
  if (dims.includes(0)) count = 0;
  return E.right(headerBytes + count * type[1]);
}

/**
 * Decodes the bytes of an IDX file (the format of the MNIST distribution): magic
 * `00 00 <type> <ndim>`, `ndim` big-endian uint32 dimensions, then big-endian data.
 * Returns `BadMagic`, `Truncated`, `TrailingBytes`, `MalformedHeader` (dimensions
 * beyond 2^53 elements) or `TooLarge` (above `maxBytes`) for bytes that do not fit;
 * it never throws.
 * @example pipe(parseIdx(bytes), E.map((idx) => idx.shape)); // Right([60000, 28, 28])
 */
export function parseIdx(
  bytes: Uint8Array,
  path = '',
  options: IdxOptions = {},
): E.Either<DataError, IdxData> {
  if (!(bytes instanceof Uint8Array))
    return E.left({ _tag: 'InvalidArgument', message: 'parseIdx: bytes must be a Uint8Array' });
  const limit = maxBytesOption('parseIdx', options.maxBytes);
  if (E.isLeft(limit)) return limit;
  const maxBytes = limit.right;
  const declared = idxDeclaredBytes(bytes, path);
  if (declared === undefined) {
    const need = bytes.length < 4 ? 4 : 4 + 4 * bytes[3]!;
    return E.left({ _tag: 'Truncated', path, expectedBytes: need, actualBytes: bytes.length });
  }
  if (E.isLeft(declared)) return declared;
  const total = declared.right;
  if (total > maxBytes)
    return E.left({
      _tag: 'TooLarge',
      path,
      what: 'declared IDX size',
      limit: maxBytes,
      actual: total,
    });
  const type = TYPES[bytes[2]!]!;
  const ndim = bytes[3]!;
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < total)
    return E.left({ _tag: 'Truncated', path, expectedBytes: total, actualBytes: bytes.length });
  if (bytes.length > total)
    return E.left({ _tag: 'TrailingBytes', path, expectedBytes: total, actualBytes: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const [name, width] = type;
  const count = (total - headerBytes) / width;
  const at = headerBytes;
  const data = ((): IdxData['data'] => {
    switch (name) {
      case 'uint8':
        return bytes.slice(at, total);
      case 'int8':
        return new Int8Array(bytes.slice(at, total).buffer);
      case 'int16': {
        const out = new Int16Array(count);
        for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, false);
        return out;
      }
      case 'int32': {
        const out = new Int32Array(count);
        for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, false);
        return out;
      }
      case 'float32': {
        const out = new Float32Array(count);
        for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, false);
        return out;
      }
      case 'float64': {
        const out = new Float64Array(count);
        for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, false);
        return out;
      }
    }
  })();
  return E.right({ type: name, shape, data });
}

/**
 * Encodes values as an IDX file (big-endian), the inverse of {@link parseIdx}; for
 * tests and for exporting data to tools that read MNIST's format.
 * @example const bytes = encodeIdx({ type: 'uint8', shape: [2, 2], data: Uint8Array.of(0, 1, 2, 3) });
 */
export function encodeIdx(idx: IdxData): Uint8Array {
  const width = TYPES[TYPE_CODE[idx.type]]![1];
  const header = 4 + 4 * idx.shape.length;
  const out = new Uint8Array(header + idx.data.length * width);
  const view = new DataView(out.buffer);
  out[2] = TYPE_CODE[idx.type];
  out[3] = idx.shape.length;
  idx.shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  const set = {
    uint8: (at: number, v: number) => view.setUint8(at, v),
    int8: (at: number, v: number) => view.setInt8(at, v),
    int16: (at: number, v: number) => view.setInt16(at, v, false),
    int32: (at: number, v: number) => view.setInt32(at, v, false),
    float32: (at: number, v: number) => view.setFloat32(at, v, false),
    float64: (at: number, v: number) => view.setFloat64(at, v, false),
  }[idx.type];
  for (let i = 0; i < idx.data.length; i++) set(header + i * width, idx.data[i]!);
  return out;
}

/** IDX contents as an array: integer types become int32, float32 and float64 keep theirs. */
export function idxToArray({ type, shape, data }: IdxData): jt.Array {
  const dtype: jt.DType = type === 'float32' ? 'float32' : type === 'float64' ? 'float64' : 'int32';
  const buf =
    data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array
      ? data
      : Int32Array.from(data);
  return jt.array(buf, { shape, dtype });
}
