import * as jt from '@jute/tensor';
import { describe, expect, it } from 'vitest';
import { bilinearSample } from './bilinear-sample';

const coords = (pts: number[][], shape: number[]) => jt.array(pts.flat(), { shape });
const close = (a: jt.Array, want: number[]) => {
  const got = Array.from(a.data());
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g).toBeCloseTo(want[i]!, 6);
  });
};

describe('bilinearSample', () => {
  // [[1, 2], [3, 4]] with two channels (the second is ten times the first).
  const img = jt.array([1, 10, 2, 20, 3, 30, 4, 40], { shape: [1, 2, 2, 2] });

  it('reads pixels at whole coordinates', () => {
    const at = coords(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      [1, 2, 2, 2],
    );
    close(bilinearSample(img, at), [1, 10, 2, 20, 3, 30, 4, 40]);
  });

  it('averages neighbours at half pixels', () => {
    const at = coords(
      [
        [0, 0.5],
        [0.5, 0],
        [0.5, 0.5],
        [0.25, 1],
      ],
      [1, 1, 4, 2],
    );
    // (1+2)/2, (1+3)/2, (1+2+3+4)/4, 0.75·2 + 0.25·4
    close(bilinearSample(img, at), [1.5, 15, 2, 20, 2.5, 25, 2.5, 25]);
  });

  it('treats pixels outside the image as zeros', () => {
    const at = coords(
      [
        [-0.5, 0],
        [0, 1.5],
        [5, 5],
        [-1, -1],
      ],
      [1, 1, 4, 2],
    );
    close(bilinearSample(img, at), [0.5, 5, 1, 10, 0, 0, 0, 0]);
  });

  it('samples each example of a batch from its own image', () => {
    const batch = jt.concatenate([img, jt.mul(img, -1)]);
    const at = coords(
      [
        [0.5, 0.5],
        [0, 0],
      ],
      [2, 1, 1, 2],
    );
    close(bilinearSample(batch, at), [2.5, 25, -1, -10]);
  });

  it('rejects coordinates of the wrong shape', () => {
    expect(() => bilinearSample(img, jt.zeros([1, 2, 2, 3]))).toThrow(jt.ShapeError);
    expect(() => bilinearSample(img, jt.zeros([2, 2, 2, 2]))).toThrow(jt.ShapeError);
  });
});
