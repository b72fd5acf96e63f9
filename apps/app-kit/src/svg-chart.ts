/** One line of a chart. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color?: string;
}

export interface ChartOptions {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly width?: number;
  readonly height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
/** Coordinates to a tenth of a pixel: finer is invisible and only bloats the file. */
const px = (v: number) => v.toFixed(1);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** "Nice" tick positions covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

/** A standalone SVG line chart (axes, ticks, legend), for training curves and docs figures. */
export function lineChart(series: readonly Series[], options: ChartOptions = {}): string {
  const W = options.width ?? 640;
  const H = options.height ?? 360;
  const m = { l: 60, r: 20, t: options.title ? 36 : 16, b: 48 };
  const all = series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  let [x0, x1] = [Math.min(...xs, 0), Math.max(...xs, 1)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    // Screen readers announce the title (and it names the file's content in a browser tab).
    `<title>${esc(options.title ?? series.map((s) => s.name).join(', '))}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  if (options.title)
    parts.push(
      `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(options.title)}</text>`,
    );
  for (const t of ticks(y0, y1)) {
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#eee"/>`,
    );
    parts.push(`<text x="${m.l - 6}" y="${px(sy(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  for (const t of ticks(x0, x1))
    parts.push(`<text x="${px(sx(t))}" y="${H - m.b + 16}" text-anchor="middle">${t}</text>`);
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  if (options.xLabel)
    parts.push(
      `<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle">${esc(options.xLabel)}</text>`,
    );
  if (options.yLabel)
    parts.push(
      `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
    );
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([x, y]) => `${px(sx(x))},${px(sy(y))}`).join(' ')}"/>`,
      );
    parts.push(
      `<rect x="${W - m.r - 150}" y="${m.t + 6 + i * 18}" width="12" height="3" fill="${color}"/>`,
    );
    parts.push(`<text x="${W - m.r - 132}" y="${m.t + 11 + i * 18}">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
