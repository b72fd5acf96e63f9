import { describe, expect, it } from 'vitest';
import {
  expectedFromComment,
  printedShows,
  samePrinted,
  tokenize,
  trailingComment,
} from './expected-output';

const shows = (printed: string, comment: string): boolean => {
  const e = expectedFromComment(comment);
  if (!e) throw new Error(`no value in ${comment}`);
  return printedShows(printed, e);
};

describe('expectedFromComment', () => {
  it('reads the value at the start and stops at the first word of prose', () => {
    expect(expectedFromComment(' [5, 7, 9]: one number per column')?.tokens).toEqual(
      tokenize('[5, 7, 9]'),
    );
    expect(expectedFromComment(' 21: every axis')?.tokens).toEqual(tokenize('21'));
    expect(expectedFromComment(" [2, 3] 'float32' 2 6")?.tokens).toHaveLength(8);
    expect(expectedFromComment(' true ShapeError: add: ...')?.tokens).toEqual(tokenize('true'));
    expect(expectedFromComment(" { task: 'quadrants' }")?.tokens).toHaveLength(5);
  });

  it('treats a comment that starts with prose, or with an unfinished value, as prose', () => {
    expect(expectedFromComment(' about 0.1: chance')).toBeUndefined();
    expect(expectedFromComment(' never settles at 0')).toBeUndefined();
    expect(expectedFromComment(' [n, 2] and the fraction of positives')).toBeUndefined();
    expect(expectedFromComment(' ShapeError: ... [2,3] ... [2]')).toBeUndefined();
    expect(expectedFromComment(' u vᵀ, [3, 2]')).toBeUndefined();
  });

  it('marks ≈ and ~ as approximate', () => {
    expect(expectedFromComment(' ≈ [0.1, 0.1]')?.approx).toBe(true);
    expect(expectedFromComment(' [0.1, 0.1]')?.approx).toBe(false);
  });
});

describe('printedShows', () => {
  it('matches Node spacing and quoting', () => {
    expect(shows('[ 2, 3 ] float32 2 6', " [2, 3] 'float32' 2 6")).toBe(true);
    expect(shows('[ [ 11, 22, 33 ], [ 44, 55, 66 ] ]', ' [[11, 22, 33], [44, 55, 66]]')).toBe(true);
    expect(shows("{ task: 'quadrants' }", " { task: 'quadrants' }")).toBe(true);
  });

  it('finds the value after a label', () => {
    expect(shows('parameters: 5258', ' 5258')).toBe(true);
    expect(shows('parameters: 5259', ' 5258')).toBe(false);
  });

  it('takes numbers to the digits shown, rounded or cut', () => {
    expect(shows('[ 0.24131132662296295, 0.1096014678478241 ]', ' [0.241, 0.110]')).toBe(true);
    expect(shows('[ 0.24131132662296295, 0.1096014678478241 ]', ' [0.241, 0.109]')).toBe(true);
    expect(shows('[ 0.24131132662296295, 0.1096014678478241 ]', ' [0.241, 0.107]')).toBe(false);
    expect(shows('[ 1, 2.718281828459045 ]', ' [1, 2.718...]')).toBe(true);
    expect(shows('[ 1, 2.8 ]', ' [1, 2.718...]')).toBe(false);
  });

  it('catches a wrong sign (tutorial 6: Adam’s first step is +0.1)', () => {
    expect(shows('[ 0.1, 0.1 ]', ' ≈ [−0.1, −0.1]')).toBe(false);
    expect(shows('[ -0.1, -0.1 ]', ' ≈ [−0.1, −0.1]')).toBe(true);
  });

  it('reads typographic minus signs and exponents', () => {
    expect(shows('-0.00001', ' −1e-5')).toBe(true);
    expect(shows('0.00001', ' −1e-5')).toBe(false);
  });
});

describe('samePrinted', () => {
  it('ignores spacing, line breaks and quotes', () => {
    expect(samePrinted("[\n  1, 2,\n  3\n] 'a'", '[ 1, 2, 3 ] a')).toBe(true);
  });
  it('allows float noise but not a different count', () => {
    expect(samePrinted('loss 0.0341', 'loss 0.0342')).toBe(true);
    expect(samePrinted('accuracy 0.92578125', 'accuracy 0.921875')).toBe(false);
    expect(samePrinted('5258 parameters', '5259 parameters')).toBe(false);
    expect(samePrinted('a b', 'a b c')).toBe(false);
  });
  it('can allow a looser relative difference, and any timing', () => {
    expect(samePrinted('train 0.0500', 'train 0.0494', { rel: 0.05 })).toBe(true);
    expect(samePrinted('train 0.0500', 'train 0.0600', { rel: 0.05 })).toBe(false);
    expect(samePrinted('sum 1.5 in 45.2 ms', 'sum 1.5 in 3.3 ms')).toBe(false);
    expect(samePrinted('sum 1.5 in 45.2 ms', 'sum 1.5 in 3.3 ms', { ignoreTimings: true })).toBe(
      true,
    );
    expect(samePrinted('sum 1.5 in 45 ms', 'sum 2.5 in 3 ms', { ignoreTimings: true })).toBe(false);
  });
});

describe('trailingComment', () => {
  it('skips // inside strings', () => {
    expect(trailingComment("console.log('http://x'); // 1")).toBe(' 1');
    expect(trailingComment('const s = `a // b`;')).toBeUndefined();
  });
});

describe('tokenize', () => {
  it('reads a number glued to letters as a word (prose such as 2cos(x))', () => {
    expect(tokenize('2cos(x)')[0]).toEqual({ kind: 'word', value: '2cos' });
    expect(expectedFromComment(' 2cos(x) − x sin(x)')).toBeUndefined();
    expect(tokenize('1e-3')).toEqual([{ kind: 'num', value: 0.001, decimals: 3, cut: false }]);
  });
});
