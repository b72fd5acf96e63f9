import * as E from 'fp-ts/lib/Either.js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MAX_SIDE, pngDimensions, pngToDigit } from './image';

// Images `mnist predict` used to classify (exit 0) or choke on: a PNG header claiming
// 30000×30000 pixels (10 GB, 49 s), 1×1 pixels, blank, white, grey or transparent pages.

/** A `w`×`h` RGBA PNG whose pixel (x, y) is `rgba(x, y)`. */
function png(w: number, h: number, rgba: (x: number, y: number) => readonly number[]): Buffer {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p.data.set(rgba(x, y), 4 * (y * w + x));
  return PNG.sync.write(p);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A valid-looking PNG of a few dozen bytes whose header claims `w`×`h` pixels. */
function headerOnlyPng(w: number, h: number): Uint8Array {
  const out = new Uint8Array(8 + 25 + 12 + 12);
  const view = new DataView(out.buffer);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunk = (at: number, type: string, body: Uint8Array) => {
    view.setUint32(at, body.length);
    out.set(new TextEncoder().encode(type), at + 4);
    out.set(body, at + 8);
    view.setUint32(at + 8 + body.length, crc32(out.subarray(at + 4, at + 8 + body.length)));
    return at + 12 + body.length;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, w);
  new DataView(ihdr.buffer).setUint32(4, h);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter, no interlace
  let at = chunk(8, 'IHDR', ihdr);
  // No pixel data at all: a decoder allocates from the header before it notices.
  at = chunk(at, 'IDAT', new Uint8Array(0));
  chunk(at, 'IEND', new Uint8Array(0));
  return out;
}

const message = (r: E.Either<{ message: string }, unknown>) =>
  E.isLeft(r) ? r.left.message : 'Right';

describe('pngToDigit refuses what is not a digit', () => {
  it('reads the dimensions from the header without decoding', () => {
    const bytes = headerOnlyPng(30000, 30000);
    expect(bytes.length).toBeLessThan(70);
    expect(pngDimensions(bytes)).toEqual({ width: 30000, height: 30000 });
    expect(pngDimensions(png(9, 11, () => [0, 0, 0, 255]))).toEqual({ width: 9, height: 11 });
    expect(
      pngDimensions(new TextEncoder().encode('not a png at all, but long enough')),
    ).toBeUndefined();
  });

  it('a 30000×30000 header is refused at once, naming the size and the limit', () => {
    const t0 = performance.now();
    const r = pngToDigit(headerOnlyPng(30000, 30000), 'huge.png');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(message(r)).toBe(
      `huge.png: the image is 30000×30000 pixels; the largest accepted is ${MAX_SIDE}×${MAX_SIDE}`,
    );
    expect(message(pngToDigit(headerOnlyPng(1, MAX_SIDE + 1), 'tall.png'))).toMatch(/1×4097/);
  });

  it('a 1×1 image is refused as too small', () => {
    expect(
      message(
        pngToDigit(
          png(1, 1, () => [0, 0, 0, 255]),
          'dot.png',
        ),
      ),
    ).toBe('dot.png: the image is 1×1 pixels; a digit needs at least 8×8');
  });

  it.each([
    ['white', [255, 255, 255, 255]],
    ['black', [0, 0, 0, 255]],
    ['mid-grey', [128, 128, 128, 255]],
    ['transparent', [0, 0, 0, 0]],
  ] as const)('a %s page has no ink', (name, colour) => {
    expect(
      message(
        pngToDigit(
          png(32, 32, () => colour),
          `${name}.png`,
        ),
      ),
    ).toBe(`${name}.png: the image has no ink (it is blank or a single colour)`);
  });

  it('faint noise on white is still no ink; a stroke is', () => {
    const noisy = png(32, 32, (x, y) => {
      const v = 255 - ((x * 7 + y * 13) % 20);
      return [v, v, v, 255];
    });
    expect(message(pngToDigit(noisy, 'noise.png'))).toMatch(/no ink/);
    const stroke = png(32, 32, (x) => (x >= 14 && x <= 17 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
    const r = pngToDigit(stroke, 'one.png');
    expect(E.isRight(r) && Math.max(...r.right)).toBeGreaterThan(0.5);
  });
});
