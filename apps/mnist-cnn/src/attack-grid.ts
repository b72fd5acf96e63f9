import { PNG } from 'pngjs';

/** One row of the grid: a digit, its perturbation and the attacked digit, with predictions. */
export interface GridRow {
  /** 28×28 pixels in [0, 1]. */
  readonly clean: Float32Array;
  /** 28×28 pixels in [0, 1]. */
  readonly adversarial: Float32Array;
  readonly label: number;
  readonly cleanPrediction: number;
  readonly adversarialPrediction: number;
}

const SIDE = 28;
const SCALE = 4;
const TILE = SIDE * SCALE;
const GAP = 8;
const LABEL = 36;

/** Gray levels in [0, 1] to an 8-bit gray PNG tile, enlarged `SCALE` times (nearest). */
function tilePixels(gray: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(TILE * TILE);
  for (let y = 0; y < TILE; y++)
    for (let x = 0; x < TILE; x++) {
      const v = gray[Math.floor(y / SCALE) * SIDE + Math.floor(x / SCALE)]!;
      out[y * TILE + x] = Math.round(255 * Math.max(0, Math.min(1, v)));
    }
  return out;
}

/** The perturbation shown as gray: 0.5 is unchanged, black is −ε, white is +ε. */
function perturbation(row: GridRow, eps: number): Float32Array {
  return row.adversarial.map((v, i) => 0.5 + (v - row.clean[i]!) / (2 * Math.max(eps, 1e-12)));
}

function encodePng(width: number, height: number, gray: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = gray(x, y);
      const o = 4 * (y * width + x);
      png.data[o] = v;
      png.data[o + 1] = v;
      png.data[o + 2] = v;
      png.data[o + 3] = 255;
    }
  return PNG.sync.write(png);
}

const tiles = (row: GridRow, eps: number) =>
  [row.clean, perturbation(row, eps), row.adversarial].map(tilePixels);

/**
 * The grid as a PNG: one row per example, columns clean | perturbation | adversarial
 * (no text: predictions go in the SVG or on the console).
 */
export function attackGridPng(rows: readonly GridRow[], eps: number): Buffer {
  const cells = rows.map((r) => tiles(r, eps));
  const width = 3 * TILE + 2 * GAP;
  const height = rows.length * TILE + Math.max(0, rows.length - 1) * GAP;
  return encodePng(width, height, (x, y) => {
    const [r, ry] = [Math.floor(y / (TILE + GAP)), y % (TILE + GAP)];
    const [c, cx] = [Math.floor(x / (TILE + GAP)), x % (TILE + GAP)];
    if (ry >= TILE || cx >= TILE) return 255;
    return cells[r]![c]![ry * TILE + cx]!;
  });
}

/**
 * The grid as an SVG document: the three tiles of each example as embedded PNGs, with
 * the true label and both predictions written under them (red when the attack flipped
 * the prediction).
 */
export function attackGridSvg(rows: readonly GridRow[], eps: number, title: string): string {
  const rowHeight = TILE + LABEL;
  const width = 3 * TILE + 4 * GAP;
  const height = 40 + rows.length * rowHeight;
  const heads = ['clean', `perturbation (±${eps})`, 'adversarial'];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${title}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${GAP}" y="16" font-weight="bold">${title}</text>`,
    ...heads.map(
      (h, c) =>
        `<text x="${GAP + c * (TILE + GAP) + TILE / 2}" y="34" text-anchor="middle">${h}</text>`,
    ),
  ];
  rows.forEach((row, r) => {
    const y = 40 + r * rowHeight;
    tiles(row, eps).forEach((t, c) => {
      const png = encodePng(TILE, TILE, (x, yy) => t[yy * TILE + x]!).toString('base64');
      const x = GAP + c * (TILE + GAP);
      parts.push(
        `<image x="${x}" y="${y}" width="${TILE}" height="${TILE}" href="data:image/png;base64,${png}"/>`,
      );
    });
    const flipped = row.adversarialPrediction !== row.label;
    const text = (c: number, s: string, color = 'black') =>
      `<text x="${GAP + c * (TILE + GAP) + TILE / 2}" y="${y + TILE + 15}" text-anchor="middle" fill="${color}">${s}</text>`;
    parts.push(text(0, `label ${row.label} · predicted ${row.cleanPrediction}`));
    parts.push(text(2, `predicted ${row.adversarialPrediction}`, flipped ? '#c62828' : 'black'));
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
