import { describe, expect, it } from 'vitest';
import { lineChart, ticks } from './svg-chart';

describe('lineChart', () => {
  it('picks round ticks', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0, 97)).toEqual([0, 20, 40, 60, 80]);
  });
  it('draws one polyline per series with a legend, escaping text', () => {
    const svg = lineChart(
      [
        {
          name: 'train <loss>',
          points: [
            [0, 2],
            [1, 1],
            [2, 0.5],
          ],
        },
        {
          name: 'test',
          points: [
            [0, 2.2],
            [1, Number.NaN],
            [2, 0.7],
          ],
        },
      ],
      { title: 'Loss & accuracy' },
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('train &lt;loss&gt;');
    expect(svg).toContain('Loss &amp; accuracy');
    expect(svg).not.toContain('NaN');
  });
});
