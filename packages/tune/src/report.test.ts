import { describe, expect, it } from 'vitest';
import { historySvg } from './history-svg';
import { formatValue, leaderboard } from './leaderboard';
import type { FrozenTrial } from './trial';

const trials: FrozenTrial[] = [
  {
    number: 0,
    state: 'complete',
    params: { lr: 0.01, opt: 'sgd', m: 0.9 },
    value: 0.5,
    reports: [
      [1, 0.7],
      [2, 0.5],
    ],
    restarts: 0,
  },
  {
    number: 1,
    state: 'pruned',
    params: { lr: 0.3, opt: 'adam' },
    value: 2.25,
    reports: [[1, 2.25]],
    restarts: 0,
  },
  {
    number: 2,
    state: 'complete',
    params: { lr: 0.001234567, opt: 'adam' },
    value: 0.25,
    reports: [
      [1, 0.4],
      [2, 0.25],
    ],
    restarts: 1,
  },
  {
    number: 3,
    state: 'failed',
    params: { lr: 0.1, opt: 'sgd', m: 0.5 },
    reports: [],
    error: 'boom',
    restarts: 0,
  },
  {
    number: 4,
    state: 'complete',
    params: { lr: 0.02, opt: 'sgd', m: 0.1 },
    value: 0.75,
    reports: [
      [1, 0.9],
      [2, 0.75],
    ],
    restarts: 0,
  },
];

describe('leaderboard', () => {
  it('ranks complete trials best first, then pruned ones, one aligned column per parameter', () => {
    const table = leaderboard(trials, { valueName: 'val loss' });
    expect(table.split('\n')).toEqual([
      'rank  trial  val loss  state     steps  lr        opt   m',
      '----  -----  --------  --------  -----  --------  ----  ---',
      '1     2      0.25      complete  2      0.001235  adam  -',
      '2     0      0.5       complete  2      0.01      sgd   0.9',
      '3     4      0.75      complete  2      0.02      sgd   0.1',
      '4     1      2.25      pruned    1      0.3       adam  -',
      '5 trials: 3 complete, 1 pruned, 1 failed, 0 running',
    ]);
  });

  it('follows the direction and the row limit', () => {
    const rows = leaderboard(trials, { direction: 'maximize', top: 2 }).split('\n');
    expect(rows.slice(2, 4).map((r) => r.split(/\s+/)[1])).toEqual(['4', '0']);
    expect(rows).toHaveLength(5);
  });

  it('formats values to four significant digits', () => {
    expect([
      formatValue(0.000123456),
      formatValue(12345.678),
      formatValue(3),
      formatValue(undefined),
      formatValue(true),
    ]).toEqual(['0.0001235', '12350', '3', '-', 'true']);
  });
});

describe('historySvg', () => {
  it('draws complete trials, pruned ones hollow, and the best-so-far as a step line', () => {
    const svg = historySvg(trials, { title: 'history <test>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title>history &lt;test&gt;</title>');
    expect(svg.match(/class="complete"/g)).toHaveLength(3);
    expect(svg.match(/class="pruned"/g)).toHaveLength(1);
    // Best so far: 0.5 at trial 0, 0.25 from trial 2 on, to the last trial: points at
    // (0, 0.5), (2, 0.5), (2, 0.25), (4, 0.25).
    const line = /class="best"[^>]*points="([^"]+)"/.exec(svg)![1]!.split(' ');
    const ys = line.map((p) => Number(p.split(',')[1]));
    const xs = line.map((p) => Number(p.split(',')[0]));
    expect(line).toHaveLength(4);
    expect(ys[0]).toBe(ys[1]);
    expect(ys[2]).toBeGreaterThan(ys[1]!); // a lower value sits further down the page
    expect(ys[3]).toBe(ys[2]);
    expect(xs[1]).toBe(xs[2]);
    expect(xs[0]! < xs[1]! && xs[2]! < xs[3]!).toBe(true);
  });

  it('draws an empty chart for a study without values', () => {
    const svg = historySvg([]);
    expect(svg).toContain('Optimization history');
    expect(svg).not.toContain('class="best"');
  });
});
