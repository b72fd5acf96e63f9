import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import type { DataError } from './errors';

/**
 * A character-level vocabulary: ids `0..size-1` for the distinct characters of a text.
 * @example const vocab: CharVocab = charVocab(text);
 */
export interface CharVocab {
  /** The characters (Unicode code points), sorted; `chars[id]` is the character of `id`. */
  readonly chars: readonly string[];
  /** The number of distinct characters. */
  readonly size: number;
  /** The id of a character, or `undefined`. */
  idOf(char: string): number | undefined;
  /** Ids of every character of `text`; `UnknownCharacter` for one outside the vocabulary. */
  encode(text: string): E.Either<DataError, Int32Array>;
  /** The text of ids (a JS array, typed array or int array); throws `ValueError` for an id out of range. */
  decode(ids: ArrayLike<number> | jt.Array): string;
}

/**
 * Builds the character vocabulary of a text (by Unicode code point, so `—` and emoji
 * are one character each), with ids in code-point order. Throws `ValueError` when `text`
 * is not a string (an argument error, not data: `encode` returns its errors).
 * @example
 * const vocab = data.charVocab('hello');  // chars ['e', 'h', 'l', 'o'], size 4
 * vocab.encode('hell');                    // Right(Int32Array [1, 0, 2, 2])
 * vocab.decode([1, 0, 2, 2, 3]);           // 'hello'
 */
export function charVocab(text: string): CharVocab {
  if (typeof text !== 'string')
    throw new jt.ValueError(`charVocab: expected the text as a string, got ${typeof text}`);
  const set = new Set<string>();
  for (const ch of text) set.add(ch);
  const chars = [...set].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  // A flat table for the Basic Multilingual Plane keeps encoding a megabyte fast.
  const bmp = new Int32Array(65536).fill(-1);
  const astral = new Map<string, number>();
  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0)!;
    if (cp < 65536) bmp[cp] = i;
    else astral.set(ch, i);
  });
  const idOf = (ch: string): number | undefined => {
    const cp = ch.codePointAt(0);
    if (cp === undefined) return undefined;
    const id = cp < 65536 ? bmp[cp]! : (astral.get(ch) ?? -1);
    return id >= 0 ? id : undefined;
  };
  return Object.freeze({
    chars: Object.freeze(chars),
    size: chars.length,
    idOf,
    encode: (s: string): E.Either<DataError, Int32Array> => {
      if (typeof s !== 'string')
        return E.left({
          _tag: 'InvalidArgument',
          message: `charVocab.encode: expected a string, got ${typeof s}`,
        });
      const out = new Int32Array(s.length);
      let n = 0;
      for (let i = 0; i < s.length; i++) {
        const code = s.charCodeAt(i);
        let id: number;
        if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
          const ch = String.fromCodePoint(s.codePointAt(i)!);
          id = astral.get(ch) ?? -1;
          if (id < 0) return E.left({ _tag: 'UnknownCharacter', char: ch, position: i });
          i++;
        } else {
          id = bmp[code]!;
          if (id < 0) return E.left({ _tag: 'UnknownCharacter', char: s[i]!, position: i });
        }
        out[n++] = id;
      }
      return E.right(out.slice(0, n));
    },
    decode: (ids: ArrayLike<number> | jt.Array): string => {
      const xs = ids instanceof jt.Array ? ids.data() : ids;
      let s = '';
      for (let i = 0; i < xs.length; i++) {
        const ch = chars[xs[i]!];
        if (ch === undefined)
          throw new jt.ValueError(
            `charVocab.decode: id ${xs[i]} at ${i} outside [0, ${chars.length})`,
          );
        s += ch;
      }
      return s;
    },
  });
}
