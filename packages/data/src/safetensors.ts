import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from './errors';

/**
 * The safetensors dtypes Jute reads and writes.
 * @example const d: SafetensorsDType = 'F32';
 */
export type SafetensorsDType = 'F32' | 'F64' | 'I32' | 'BOOL';

/**
 * The tensors and metadata of a safetensors file. Tensor names are pytree paths like `'conv1.kernel'`.
 * @example const { tensors, metadata }: Safetensors = checkpoint; Number(metadata.step);
 */
export interface Safetensors {
  readonly tensors: Readonly<Record<string, jt.Array>>;
  /** The `__metadata__` string map (empty when the file has none). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Options of {@link encodeSafetensors} and `writeSafetensors`.
 * @example writeSafetensors(path, params, { metadata: { step: 1200, model: 'mnist-cnn' } })
 */
export interface SafetensorsWriteOptions {
  /**
   * Stored in `__metadata__`; the format allows only strings, so numbers and booleans
   * are written with `String(v)` (read a step back with `Number(metadata.step)`).
   */
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

const TO_SAFE: Readonly<Record<jt.DType, SafetensorsDType>> = {
  float32: 'F32',
  float64: 'F64',
  int32: 'I32',
  bool: 'BOOL',
};
const FROM_SAFE: Readonly<Record<string, readonly [jt.DType, number]>> = {
  F32: ['float32', 4],
  F64: ['float64', 8],
  I32: ['int32', 4],
  BOOL: ['bool', 1],
};
/** Largest header the reference implementation accepts (100 MB). */
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Entry {
  readonly key: string;
  readonly dtype: jt.DType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** The little-endian bytes of a typed array. */
function leBytes(data: jt.TypedArray): Uint8Array {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return raw;
  const out = new Uint8Array(raw.length);
  const w = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < raw.length; i += w)
    for (let b = 0; b < w; b++) out[i + b] = raw[i + w - 1 - b]!;
  return out;
}

/**
 * Encodes a pytree as a safetensors file: 8-byte little-endian header length, a JSON
 * header (`dtype`, `shape`, `data_offsets` per tensor, `__metadata__`), padded with
 * spaces to a multiple of 8, then the little-endian data. Tensors are named by
 * their pytree paths; JS numbers are stored as F64 scalars and booleans as BOOL.
 * @example const bytes = encodeSafetensors({ dense: { kernel: w, bias: b } }, { metadata: { step: 100 } });
 */
export function encodeSafetensors(
  tree: unknown,
  options: SafetensorsWriteOptions = {},
): E.Either<DataError, Uint8Array> {
  const invalid = (message: string): E.Either<DataError, never> =>
    E.left({ _tag: 'InvalidArgument', message: `writeSafetensors: ${message}` });
  if (typeof options !== 'object' || options === null) return invalid('options must be an object');
  const meta0: unknown = options.metadata;
  if (meta0 !== undefined) {
    if (typeof meta0 !== 'object' || meta0 === null || Array.isArray(meta0))
      return invalid('metadata must be an object of strings, numbers or booleans');
    const bad = Object.entries(meta0).find(
      ([, v]) => !['string', 'number', 'boolean'].includes(typeof v),
    );
    if (bad !== undefined)
      return invalid(
        `metadata.${bad[0]} must be a string, number or boolean, got ${typeof bad[1]}`,
      );
  }
  let leaves: [string, unknown][];
  try {
    leaves = jt.tree.flattenWithPath<unknown>(tree);
  } catch (e) {
    return E.left({
      _tag: 'InvalidArgument',
      message: `writeSafetensors: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  const entries: Entry[] = [];
  for (const [key, leaf] of leaves) {
    if (key === '__metadata__') {
      return E.left({
        _tag: 'InvalidArgument',
        message: "writeSafetensors: a tensor cannot be named '__metadata__'",
      });
    }
    if (leaf instanceof jt.Array) {
      entries.push({ key, dtype: leaf.dtype, shape: leaf.shape, bytes: leBytes(leaf.data()) });
    } else if (typeof leaf === 'number') {
      entries.push({ key, dtype: 'float64', shape: [], bytes: leBytes(Float64Array.of(leaf)) });
    } else if (typeof leaf === 'boolean') {
      entries.push({ key, dtype: 'bool', shape: [], bytes: Uint8Array.of(leaf ? 1 : 0) });
    }
  }
  // Widest dtype first keeps every tensor aligned to its element size in the file.
  const width = (d: jt.DType): number => FROM_SAFE[TO_SAFE[d]]![1];
  entries.sort(
    (a, b) => width(b.dtype) - width(a.dtype) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  const meta = options.metadata;
  if (meta !== undefined && Object.keys(meta).length > 0) {
    header.__metadata__ = Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));
  }
  let offset = 0;
  for (const e of entries) {
    header[e.key] = {
      dtype: TO_SAFE[e.dtype],
      shape: [...e.shape],
      data_offsets: [offset, offset + e.bytes.length],
    };
    offset += e.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLen = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLen + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLen);
  let at = 8 + headerLen;
  for (const e of entries) {
    out.set(e.bytes, at);
    at += e.bytes.length;
  }
  return E.right(out);
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

interface Parsed {
  readonly key: string;
  readonly dtype: jt.DType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/**
 * Decodes the bytes of a safetensors file (see {@link encodeSafetensors}), checking
 * everything the format promises: the header length fits the file, the header is
 * JSON starting with `{`, `__metadata__` maps strings to strings, each tensor's byte
 * span matches its dtype and shape, and the spans tile the data buffer exactly.
 * Supports F32, F64, I32 and BOOL (`UnsupportedDType` otherwise).
 * @example pipe(decodeSafetensors(bytes), E.map((st) => Object.keys(st.tensors)));
 */
export function decodeSafetensors(bytes: Uint8Array, path = ''): E.Either<DataError, Safetensors> {
  const malformed = (reason: string): E.Either<DataError, never> =>
    E.left({ _tag: 'MalformedHeader', path, reason });
  if (!(bytes instanceof Uint8Array))
    return E.left({
      _tag: 'InvalidArgument',
      message: 'decodeSafetensors: bytes must be a Uint8Array',
    });
  if (bytes.length < 8)
    return E.left({ _tag: 'Truncated', path, expectedBytes: 8, actualBytes: bytes.length });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER))
    return malformed(`header length ${n64} exceeds ${MAX_HEADER} bytes`);
  const n = Number(n64);
  if (8 + n > bytes.length)
    return E.left({ _tag: 'Truncated', path, expectedBytes: 8 + n, actualBytes: bytes.length });
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
    if (!text.startsWith('{')) return malformed("the JSON header must start with '{'");
    header = JSON.parse(text);
  } catch (e) {
    return malformed(
      `header is not valid UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (!isObject(header)) return malformed('the header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const parsed: Parsed[] = [];
  for (const [key, value] of Object.entries(header)) {
    if (key === '__metadata__') {
      if (!isObject(value)) return malformed('__metadata__ is not an object');
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') return malformed(`__metadata__.${k} is not a string`);
      }
      metadata = { ...(value as Record<string, string>) };
      continue;
    }
    if (!isObject(value)) return malformed(`tensor '${key}' is not an object`);
    const { dtype, shape, data_offsets: offsets } = value;
    if (typeof dtype !== 'string') return malformed(`tensor '${key}' has no dtype string`);
    if (!Array.isArray(shape) || !shape.every(isCount))
      return malformed(`tensor '${key}' has no valid shape`);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every(isCount) ||
      offsets[0]! > offsets[1]!
    ) {
      return malformed(`tensor '${key}' has no valid data_offsets [begin, end]`);
    }
    const known = FROM_SAFE[dtype];
    if (known === undefined) return E.left({ _tag: 'UnsupportedDType', path, key, dtype });
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * known[1]) {
      return malformed(
        `tensor '${key}': ${dtype}[${shape.join(',')}] needs ${count * known[1]} bytes but data_offsets span ${end - begin}`,
      );
    }
    parsed.push({ key, dtype: known[0], shape: shape as number[], begin, end });
  }
  const byStart = [...parsed].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let contiguous = true;
  for (const p of byStart) {
    if (p.begin !== cursor) contiguous = false;
    cursor = Math.max(cursor, p.end);
  }
  if (contiguous) {
    if (cursor > dataLength) {
      return E.left({
        _tag: 'Truncated',
        path,
        expectedBytes: dataStart + cursor,
        actualBytes: bytes.length,
      });
    }
    if (cursor < dataLength) {
      return E.left({
        _tag: 'TrailingBytes',
        path,
        expectedBytes: dataStart + cursor,
        actualBytes: bytes.length,
      });
    }
  } else {
    const outside = parsed.find((p) => p.end > dataLength);
    if (outside) {
      return E.left({
        _tag: 'OffsetOutOfRange',
        path,
        key: outside.key,
        begin: outside.begin,
        end: outside.end,
        dataLength,
      });
    }
    return malformed('tensor data_offsets leave gaps or overlap (they must tile the data buffer)');
  }
  const tensors: [string, jt.Array][] = [];
  for (const p of parsed) {
    const raw = bytes.slice(dataStart + p.begin, dataStart + p.end);
    const dv = new DataView(raw.buffer);
    const count = p.shape.reduce((a, b) => a * b, 1);
    let data: jt.TypedArray;
    switch (p.dtype) {
      case 'float32':
        data = LITTLE_ENDIAN
          ? new Float32Array(raw.buffer)
          : Float32Array.from({ length: count }, (_, i) => dv.getFloat32(4 * i, true));
        break;
      case 'float64':
        data = LITTLE_ENDIAN
          ? new Float64Array(raw.buffer)
          : Float64Array.from({ length: count }, (_, i) => dv.getFloat64(8 * i, true));
        break;
      case 'int32':
        data = LITTLE_ENDIAN
          ? new Int32Array(raw.buffer)
          : Int32Array.from({ length: count }, (_, i) => dv.getInt32(4 * i, true));
        break;
      case 'bool': {
        const bad = raw.findIndex((b) => b > 1);
        if (bad >= 0)
          return E.left({
            _tag: 'ValueOutOfRange',
            path,
            index: bad,
            value: raw[bad]!,
            min: 0,
            max: 1,
          });
        data = raw;
        break;
      }
    }
    try {
      tensors.push([p.key, jt.array(data, { shape: p.shape, dtype: p.dtype })]);
    } catch (e) {
      // Only empty tensors get here with odd shapes (a byte span checks every other one).
      return malformed(
        `tensor '${p.key}' shape [${p.shape.join(',')}]: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return E.right({ tensors: Object.fromEntries(tensors), metadata });
}
