import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { charVocab } from './char-vocab';

describe('charVocab', () => {
  it('assigns ids in code-point order and round-trips text', () => {
    const v = charVocab('hello world');
    expect(v.chars).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(v.size).toBe(8);
    expect(v.idOf('l')).toBe(4);
    expect(v.idOf('z')).toBeUndefined();
    const ids = v.encode('hello');
    expect(ids).toEqual(E.right(Int32Array.of(3, 2, 4, 4, 5)));
    expect(v.decode([3, 2, 4, 4, 5])).toBe('hello');
    expect(v.decode(jt.array([7, 5, 6], { dtype: 'int32' }))).toBe('wor');
  });

  it('treats astral characters and dashes as single characters', () => {
    const text = 'a—b😀c';
    const v = charVocab(text);
    expect(v.size).toBe(5);
    const ids = v.encode(text);
    if (E.isLeft(ids)) throw new Error('encode failed');
    expect(ids.right.length).toBe(5);
    expect(v.decode(ids.right)).toBe(text);
  });

  it('reports unknown characters and out-of-range ids', () => {
    const v = charVocab('ab');
    expect(v.encode('abc')).toEqual(E.left({ _tag: 'UnknownCharacter', char: 'c', position: 2 }));
    expect(E.isLeft(v.encode('a😀'))).toBe(true);
    expect(() => v.decode([0, 2])).toThrow(jt.ValueError);
  });
});
