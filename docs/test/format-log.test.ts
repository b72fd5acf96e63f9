import { formatWithOptions } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatLog } from '../.vitepress/theme/run/format-log';
import { joinBlocks, locate } from '../.vitepress/theme/run/protocol';
import { samePrinted } from './expected-output';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

/** What Node's console.log prints: the reference the Run buttons' output must agree with. */
const node = (...args: unknown[]): string => formatWithOptions({ colors: false }, ...args);

describe('formatLog', () => {
  const cases: unknown[][] = [
    ['plain', 1, -0, 2.5, true, null, undefined],
    [[2, 3], 'float32', 2, 6],
    [
      [
        [11, 22, 33],
        [44, 55, 66],
      ],
    ],
    [{ task: 'quadrants', 'a-b': [1, 'x'] }],
    [new Float32Array([1.5, 2])],
    [new Map([[1, 'one']]), new Set([1, 2])],
    [new Point(1, 2)],
    [{ a: { b: { c: { d: 1 } } } }],
    [[1, [2, [3, [4, [5]]]]]],
    ['%s has %d items', 'list', 3, 'extra'],
    [10n, Symbol('s')],
    [[]],
    [{}],
  ];
  it.each(cases.map((c) => [node(...c), c] as const))(
    'prints %s as Node does',
    (expected, args) => {
      expect(formatLog(args)).toBe(expected);
    },
  );

  it('prints long arrays with the same items as Node (line breaks may differ)', () => {
    const long = Array.from({ length: 130 }, (_, i) => i * 0.5);
    expect(samePrinted(formatLog([long]), node(long))).toBe(true);
    expect(formatLog([long])).toContain('... 30 more items');
  });

  it('prints a function and a class as Node does', () => {
    expect(formatLog([function named() {}])).toBe(node(function named() {}));
    expect(formatLog([Point])).toBe(node(Point));
  });
});

describe('locate', () => {
  it('maps a line of the joined program back to its block and line', () => {
    const blocks = ['a\nb', 'c', 'd\ne\nf'];
    const program = joinBlocks(blocks, 'm').split('\n');
    // Every line of a block is found where joinBlocks put it.
    blocks.forEach((code, k) => {
      code.split('\n').forEach((text, i) => {
        const at = locate(blocks, program.indexOf(text) + 1);
        expect(at).toEqual({ block: k, line: i + 1 });
      });
    });
    expect(locate(blocks, 1)).toBeUndefined(); // a marker
    expect(locate(blocks, 99)).toBeUndefined();
  });
});
