/**
 * Every way reading or writing data can fail, as values. I/O and parsing in
 * `@jute/data` return these inside fp-ts `Either`/`TaskEither` instead of throwing,
 * so a training script decides what a missing file or a corrupt checkpoint means.
 * `path` is always a file path; `key` is a tensor name or pytree path.
 * @example const e: DataError = { _tag: 'FileNotFound', path: 'model.safetensors' };
 */
export type DataError =
  | { readonly _tag: 'FileNotFound'; readonly path: string }
  | { readonly _tag: 'ReadFailed'; readonly path: string; readonly message: string }
  | { readonly _tag: 'WriteFailed'; readonly path: string; readonly message: string }
  | { readonly _tag: 'DecompressFailed'; readonly path: string; readonly message: string }
  | {
      readonly _tag: 'BadMagic';
      readonly path: string;
      readonly expected: string;
      readonly actual: string;
    }
  | {
      readonly _tag: 'Truncated';
      readonly path: string;
      readonly expectedBytes: number;
      readonly actualBytes: number;
    }
  | {
      readonly _tag: 'TrailingBytes';
      readonly path: string;
      readonly expectedBytes: number;
      readonly actualBytes: number;
    }
  | {
      readonly _tag: 'CountMismatch';
      readonly path: string;
      readonly what: string;
      readonly expected: number;
      readonly actual: number;
    }
  | { readonly _tag: 'MalformedHeader'; readonly path: string; readonly reason: string }
  | {
      readonly _tag: 'OffsetOutOfRange';
      readonly path: string;
      readonly key: string;
      readonly begin: number;
      readonly end: number;
      readonly dataLength: number;
    }
  | {
      readonly _tag: 'UnsupportedDType';
      readonly path: string;
      readonly key: string;
      readonly dtype: string;
    }
  | {
      readonly _tag: 'DTypeMismatch';
      readonly key: string;
      readonly expected: string;
      readonly actual: string;
    }
  | {
      readonly _tag: 'ShapeMismatch';
      readonly key: string;
      readonly expected: readonly number[];
      readonly actual: readonly number[];
    }
  | { readonly _tag: 'MissingTensor'; readonly key: string }
  | { readonly _tag: 'UnexpectedTensor'; readonly key: string }
  | {
      readonly _tag: 'ParseError';
      readonly path: string;
      readonly line: number;
      readonly column: number;
      readonly message: string;
    }
  | {
      readonly _tag: 'ValueOutOfRange';
      readonly path: string;
      readonly index: number;
      readonly value: number;
      readonly min: number;
      readonly max: number;
    }
  | { readonly _tag: 'UnknownCharacter'; readonly char: string; readonly position: number }
  | { readonly _tag: 'InvalidArgument'; readonly message: string }
  | {
      readonly _tag: 'TooLarge';
      readonly path: string;
      /** What is too large, e.g. `'declared IDX size'` or `'gunzipped size'`. */
      readonly what: string;
      /** The limit in bytes (the reader's `maxBytes`). */
      readonly limit: number;
      /** The size in bytes that exceeds it (a lower bound while inflating). */
      readonly actual: number;
    }
  | {
      /** A write refused because `path` is not a regular file (a device, FIFO, symlink, directory...). */
      readonly _tag: 'UnsafeTarget';
      readonly path: string;
      readonly reason: string;
    };

/** The tag of every {@link DataError} variant. @example const t: DataErrorTag = 'Truncated'; */
export type DataErrorTag = DataError['_tag'];

const shape = (s: readonly number[]): string => `[${s.join(',')}]`;
const where = (path: string): string => (path === '' ? '<memory>' : path);

/**
 * A one-line, human-readable message for a {@link DataError}.
 * @example
 * formatDataError({ _tag: 'FileNotFound', path: 'x.csv' }); // "FileNotFound: x.csv: no such file"
 */
export function formatDataError(e: DataError): string {
  const msg = ((): string => {
    switch (e._tag) {
      case 'FileNotFound':
        return `${where(e.path)}: no such file`;
      case 'ReadFailed':
        return `${where(e.path)}: cannot read: ${e.message}`;
      case 'WriteFailed':
        return `${where(e.path)}: cannot write: ${e.message}`;
      case 'DecompressFailed':
        return `${where(e.path)}: cannot gunzip: ${e.message}`;
      case 'BadMagic':
        return `${where(e.path)}: bad magic number: expected ${e.expected}, got ${e.actual}`;
      case 'Truncated':
        return `${where(e.path)}: truncated: need ${e.expectedBytes} bytes, have ${e.actualBytes}`;
      case 'TrailingBytes':
        return `${where(e.path)}: ${e.actualBytes - e.expectedBytes} unexpected bytes after the data (expected ${e.expectedBytes} in all, have ${e.actualBytes})`;
      case 'CountMismatch':
        return `${where(e.path)}: ${e.what}: expected ${e.expected}, got ${e.actual}`;
      case 'MalformedHeader':
        return `${where(e.path)}: malformed header: ${e.reason}`;
      case 'OffsetOutOfRange':
        return `${where(e.path)}: tensor '${e.key}' data_offsets [${e.begin},${e.end}] outside the ${e.dataLength}-byte data buffer`;
      case 'UnsupportedDType':
        return `${where(e.path)}: tensor '${e.key}' has unsupported dtype ${e.dtype}`;
      case 'DTypeMismatch':
        return `'${e.key}': dtype ${e.actual} where ${e.expected} was expected`;
      case 'ShapeMismatch':
        return `'${e.key}': shape ${shape(e.actual)} where ${shape(e.expected)} was expected`;
      case 'MissingTensor':
        return `no tensor '${e.key}' in the checkpoint`;
      case 'UnexpectedTensor':
        return `tensor '${e.key}' in the checkpoint has no place in the template`;
      case 'ParseError':
        return `${where(e.path)}:${e.line}:${e.column}: ${e.message}`;
      case 'ValueOutOfRange':
        return `${where(e.path)}: value ${e.value} at index ${e.index} outside [${e.min}, ${e.max}]`;
      case 'UnknownCharacter':
        return `character ${JSON.stringify(e.char)} at position ${e.position} is not in the vocabulary`;
      case 'InvalidArgument':
        return e.message;
      case 'TooLarge':
        return `${where(e.path)}: ${e.what} ${e.actual} bytes exceeds the limit of ${e.limit} (raise it with the maxBytes option)`;
      case 'UnsafeTarget':
        return `${where(e.path)}: refusing to write: ${e.reason}`;
    }
  })();
  return `${e._tag}: ${msg}`;
}

/**
 * A {@link DataError} as a thrown `Error`, for scripts that would rather crash.
 * @example pipe(result, E.getOrElseW((e) => { throw dataErrorToError(e); }));
 */
export function dataErrorToError(e: DataError): Error & { readonly dataError: DataError } {
  return Object.assign(new Error(formatDataError(e)), { name: 'DataError', dataError: e });
}
