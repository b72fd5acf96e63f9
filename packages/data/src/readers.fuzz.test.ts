import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as jt from '@jute/tensor';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charVocab } from './char-vocab';
import { parseCsv } from './csv';
import type { DataError, DataErrorTag } from './errors';
import { gunzipBounded } from './file-io';
import { encodeIdx, idxDeclaredBytes, parseIdx } from './idx';
import { decodeSafetensors, encodeSafetensors } from './safetensors';
import { loadTextCorpus } from './text-corpus';

/**
 * Fuzzing every byte reader of the package: random bytes, truncations, mutated headers
 * and huge declared sizes. Each case must end in a typed `DataError` or a valid value,
 * never a throw, and within a small budget of time and memory (the readers check every
 * declared size against the bytes present, or against `maxBytes`, before allocating).
 *
 * `JUTE_FUZZ_RUNS` sets the cases per property (default 250: a few thousand in all, a
 * few seconds); e.g. `JUTE_FUZZ_RUNS=100000 npx vitest run src/readers.fuzz.test.ts`.
 */
const RUNS = Number(process.env.JUTE_FUZZ_RUNS ?? 250);
const params = { numRuns: RUNS };
/** A test's time grows with the runs; a generous per-case budget keeps a busy machine green. */
const timeout = 20_000 + RUNS * 20;

const TAGS: ReadonlySet<DataErrorTag> = new Set<DataErrorTag>([
  'FileNotFound',
  'ReadFailed',
  'DecompressFailed',
  'BadMagic',
  'Truncated',
  'TrailingBytes',
  'CountMismatch',
  'MalformedHeader',
  'OffsetOutOfRange',
  'UnsupportedDType',
  'ParseError',
  'ValueOutOfRange',
  'UnknownCharacter',
  'InvalidArgument',
  'TooLarge',
]);

/** A Left must be a known error; a Right is checked by `valid`. Never throws past here. */
function expectTypedOr<A>(r: E.Either<DataError, A>, valid: (a: A) => void): void {
  if (E.isLeft(r)) {
    expect(TAGS.has(r.left._tag), `unexpected error ${JSON.stringify(r.left)}`).toBe(true);
  } else valid(r.right);
}

/** Every array the readers return is as large as its shape says, and no larger than the input allows. */
const validArray = (a: jt.Array, inputBytes: number): void => {
  expect(a.shape.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
  expect(a.data().length).toBe(a.shape.reduce((x, y) => x * y, 1));
  expect(a.data().byteLength).toBeLessThanOrEqual(Math.max(inputBytes, 0) * 8);
};

/** Bytes with some positions overwritten: mutations of a valid file. */
const mutate = (base: Uint8Array) =>
  fc
    .array(
      fc.tuple(fc.nat({ max: Math.max(0, base.length - 1) }), fc.integer({ min: 0, max: 255 })),
      {
        maxLength: 6,
      },
    )
    .map((edits) => {
      const out = base.slice();
      for (const [i, v] of edits) out[i] = v;
      return out;
    });

/** A valid file, then truncated at a random point, mutated, or with bytes appended. */
const hostile = (base: Uint8Array) =>
  fc.oneof(
    fc.nat({ max: base.length }).map((n) => base.subarray(0, n)),
    mutate(base),
    fc.uint8Array({ maxLength: 32 }).map((tail) => Uint8Array.from([...base, ...tail])),
    fc.uint8Array({ maxLength: 256 }),
  );

describe('safetensors decoder', () => {
  const valid = E.getOrElseW(() => {
    throw new Error('encode failed');
  })(
    encodeSafetensors(
      {
        w: jt.array([[1, 2, 3]]),
        b: jt.array([1, 2], { dtype: 'int32' }),
        f: jt.array([true, false], { dtype: 'bool' }),
        d: jt.array([0.5], { dtype: 'float64' }),
      },
      { metadata: { step: 3 } },
    ),
  );

  it(
    'random, truncated and mutated files: a typed error or tensors the bytes hold',
    () => {
      fc.assert(
        fc.property(hostile(valid), (bytes) => {
          expectTypedOr(decodeSafetensors(bytes), ({ tensors }) => {
            for (const t of Object.values(tensors)) validArray(t, bytes.length);
          });
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'headers declaring huge shapes, offsets and lengths',
    () => {
      const dims = fc.oneof(
        fc.nat({ max: 4 }),
        fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53, 2 ** 64, -1, 1.5, Number.NaN),
      );
      const header = fc.record({
        dtype: fc.constantFrom('F32', 'F64', 'I32', 'BOOL', 'F16', 'x'),
        shape: fc.array(dims, { maxLength: 4 }),
        data_offsets: fc.tuple(dims, dims),
      });
      fc.assert(
        fc.property(
          fc.dictionary(fc.string({ maxLength: 4 }), header, { maxKeys: 3 }),
          fc.nat({ max: 64 }),
          fc.constantFrom(0n, 2n ** 32n, 2n ** 63n),
          (h, dataBytes, lengthBias) => {
            const json = new TextEncoder().encode(JSON.stringify(h));
            const bytes = new Uint8Array(8 + json.length + dataBytes);
            new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length) + lengthBias, true);
            bytes.set(json, 8);
            expectTypedOr(decodeSafetensors(bytes), ({ tensors }) => {
              for (const t of Object.values(tensors)) validArray(t, bytes.length);
            });
          },
        ),
        params,
      );
    },
    timeout,
  );
});

/** An IDX header for `dims` of element type `type`, and `extra` data bytes. */
function idx(type: number, dims: readonly number[], extra: number): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + extra);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d, false);
  return out;
}

describe('IDX decoder', () => {
  const valid = encodeIdx({
    type: 'int16',
    shape: [2, 3],
    data: Int16Array.of(1, -2, 3, -4, 5, -6),
  });
  const dim = fc.oneof(fc.nat({ max: 8 }), fc.constantFrom(0, 2 ** 16, 2 ** 31, 2 ** 32 - 1));

  it(
    'random, truncated and mutated files',
    () => {
      fc.assert(
        fc.property(hostile(valid), (bytes) => {
          expectTypedOr(parseIdx(bytes), (d) => {
            expect(d.data.length).toBe(d.shape.reduce((a, b) => a * b, 1));
            expect(d.data.byteLength).toBeLessThanOrEqual(bytes.length);
          });
        }),
        params,
      );
    },
    timeout,
  );

  it(
    'huge declared dimensions (NaN and beyond 2^53 included) never succeed emptily or throw',
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(8, 9, 11, 12, 13, 14),
          fc.array(dim, { maxLength: 12 }),
          fc.nat({ max: 64 }),
          (type, dims, extra) => {
            const bytes = idx(type, dims, extra);
            const declared = idxDeclaredBytes(bytes);
            expectTypedOr(parseIdx(bytes, '', { maxBytes: 1 << 20 }), (d) => {
              // A success holds exactly the declared size, which is the input's size.
              expect(declared && E.isRight(declared) && declared.right).toBe(bytes.length);
              expect(d.data.length).toBe(d.shape.reduce((a, b) => a * b, 1));
            });
          },
        ),
        params,
      );
    },
    timeout,
  );

  it(
    'gzipped: random and mutated streams inflate within the declared size and maxBytes',
    async () => {
      const gz = gzipSync(valid);
      const maxBytes = 1 << 16;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            hostile(gz),
            // Valid gzip around a hostile IDX header declaring up to 2^32 elements.
            fc
              .tuple(fc.array(dim, { maxLength: 4 }), fc.nat({ max: 2048 }))
              .map(([dims, extra]) => gzipSync(idx(8, dims, extra))),
          ),
          async (bytes) => {
            const inflated = await gunzipBounded(bytes, 'x.gz', {
              maxBytes,
              declared: (p) => idxDeclaredBytes(p, 'x.gz'),
            })();
            expectTypedOr(inflated, (b) => {
              expect(b.length).toBeLessThanOrEqual(maxBytes);
              expectTypedOr(parseIdx(b, 'x.gz', { maxBytes }), () => undefined);
            });
          },
        ),
        { numRuns: Math.max(1, Math.floor(RUNS / 2)) },
      );
    },
    timeout,
  );
});

describe('CSV parser', () => {
  const field = fc.oneof(
    fc.stringMatching(/^[+-]?\d{0,6}(\.\d{0,4})?([eE][+-]?\d{0,3})?$/),
    fc.constantFrom('', 'NaN', 'Infinity', '-Infinity', '"1"', '""', '"', 'x', ' 2 ', '1e999'),
    fc.string({ maxLength: 6 }),
  );
  const row = fc.array(field, { minLength: 1, maxLength: 4 }).map((fs) => fs.join(','));
  const text = fc
    .array(row, { maxLength: 6 })
    .chain((rows) => fc.constantFrom('\n', '\r\n', '\r').map((nl) => rows.join(nl)));

  it(
    'random numeric-looking text: a typed error or a [rows, cols] table',
    () => {
      fc.assert(
        fc.property(
          text,
          fc.record({
            header: fc.boolean(),
            dtype: fc.constantFrom('float32', 'float64', 'int32', 'int64', 'bool', undefined),
            missing: fc.option(fc.double(), { nil: undefined }),
            delimiter: fc.constantFrom(',', ';', '', '"', '\t', 7, undefined),
          }),
          (t, options) => {
            const o = Object.fromEntries(
              Object.entries(options).filter(([, v]) => v !== undefined),
            );
            expectTypedOr(parseCsv(t, o as never), ({ data, columns }) => {
              expect(data.ndim).toBe(2);
              expect(data.data().length).toBe(data.shape[0]! * data.shape[1]!);
              if (columns !== undefined) expect(columns.length).toBe(data.shape[1]);
            });
          },
        ),
        params,
      );
    },
    timeout,
  );

  it(
    'long fields parse in linear time (a typed error for garbage, a number for digits)',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1000, max: 20000 }),
          fc.constantFrom('x', 'e', '.', '', 'e+', '..'),
          (n, tail) => {
            const t0 = performance.now();
            expectTypedOr(parseCsv(`${'7'.repeat(n)}${tail}`, { header: false }), () => undefined);
            // The quadratic parser took ~0.8 s at 16,000 digits; linear is well under 50 ms.
            expect(performance.now() - t0).toBeLessThan(500);
          },
        ),
        { numRuns: Math.max(1, Math.floor(RUNS / 10)) },
      );
    },
    timeout,
  );
});

describe('text corpus and vocabulary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jute-fuzz-corpus-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it(
    'random bytes as a corpus file: text or a ParseError for invalid UTF-8',
    async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ maxLength: 64 }),
            fc.string({ unit: 'binary', maxLength: 32 }).map((s) => new TextEncoder().encode(s)),
          ),
          async (bytes) => {
            const path = join(dir, `c${n++}.txt`);
            await writeFile(path, bytes);
            expectTypedOr(await loadTextCorpus(path)(), (text) => {
              expect(text).not.toMatch(/\r/);
            });
          },
        ),
        { numRuns: Math.max(1, Math.floor(RUNS / 25)) },
      );
    },
    timeout,
  );

  it(
    'charVocab encodes its own text and decodes it back; other text is UnknownCharacter',
    () => {
      fc.assert(
        fc.property(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({ unit: 'binary', maxLength: 10 }),
          (text, other) => {
            const vocab = charVocab(text);
            const ids = vocab.encode(text);
            expect(E.isRight(ids) && vocab.decode(ids.right)).toBe(text);
            expectTypedOr(vocab.encode(other), (o) => {
              expect(vocab.decode(o)).toBe(other);
            });
          },
        ),
        params,
      );
    },
    timeout,
  );
});
