/**
 * Draws a `plot` figure (see `docs/tutorials/plot.ts`) as an SVG line chart for the Run
 * buttons: axes with ticks, one polyline per curve, a legend, a log y axis on request.
 */
import type { Figure } from '../../../tutorials/plot';

const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const W = 640;
const H = 320;
const m = { l: 64, r: 16, t: 32, b: 44 };

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const px = (v: number): string => v.toFixed(1);

/** "Nice" ticks covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Number(t.toPrecision(12)));
  }
  return out;
}

/** The figure as a standalone `<svg>` element's markup. */
export function figureSvg(figure: Figure): string {
  const { curves, options } = figure;
  const logY = options.logY === true;
  const ty = (y: number): number => (logY ? Math.log10(y) : y);
  const points = curves.map((c) =>
    c.y
      .map((y, i) => [c.x?.[i] ?? i, y] as const)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(ty(y))),
  );
  const all = points.flat();
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => ty(p[1]))), Math.max(...all.map((p) => ty(p[1])))];
  if (all.length === 0) [x0, x1, y0, y1] = [0, 1, 0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const sx = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (v: number): number => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const title = options.title ?? curves.map((c) => c.name).join(', ');
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  const yTicks = logY
    ? niceTicks(Math.ceil(y0), Math.floor(y1)).filter(Number.isInteger)
    : niceTicks(y0, y1);
  for (const t of yTicks) {
    const label = logY ? String(Number((10 ** t).toPrecision(3))) : String(t);
    out.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#eee"/>`,
      `<text x="${m.l - 6}" y="${px(sy(t) + 4)}" text-anchor="end">${label}</text>`,
    );
  }
  for (const t of niceTicks(x0, x1)) {
    out.push(`<text x="${px(sx(t))}" y="${H - m.b + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`,
    `<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`,
  );
  if (options.xLabel) {
    out.push(
      `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(options.xLabel)}</text>`,
    );
  }
  if (options.yLabel) {
    const label = `${options.yLabel}${logY ? ' (log scale)' : ''}`;
    out.push(
      `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(label)}</text>`,
    );
  }
  curves.forEach((c, i) => {
    const color = palette[i % palette.length]!;
    const pts = points[i]!.map(([x, y]) => `${px(sx(x))},${px(sy(ty(y)))}`).join(' ');
    out.push(
      `<polyline class="curve" fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`,
      `<rect x="${W - m.r - 160}" y="${m.t + 4 + i * 18}" width="14" height="3" fill="${color}"/>`,
      `<text x="${W - m.r - 140}" y="${m.t + 9 + i * 18}">${esc(c.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
