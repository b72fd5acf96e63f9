import type { Direction, FrozenTrial } from './trial';
import { lossOf } from './trial';

/** Options of {@link historySvg}. */
export interface HistorySvgOptions {
  readonly direction?: Direction;
  readonly title?: string;
  /** Label of the value axis (default `objective value`). */
  readonly valueName?: string;
  readonly width?: number;
  readonly height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const px = (v: number) => v.toFixed(1);

/** About five round tick values covering `[lo, hi]`. */
function niceTicks(lo: number, hi: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

/**
 * The optimisation history as a standalone SVG: each complete trial's value (filled dots),
 * each pruned trial's last reported value (hollow dots), and the best value so far (a
 * step line), against the trial number.
 * @example await writeFile('history.svg', tune.historySvg(study.trials, { title: 'MNIST' }));
 */
export function historySvg(
  trials: readonly FrozenTrial[],
  options: HistorySvgOptions = {},
): string {
  const direction = options.direction ?? 'minimize';
  const W = options.width ?? 640;
  const H = options.height ?? 360;
  const m = { l: 64, r: 20, t: options.title ? 36 : 16, b: 48 };
  const points = trials
    .filter(
      (t) =>
        (t.state === 'complete' || t.state === 'pruned') &&
        t.value !== undefined &&
        Number.isFinite(t.value),
    )
    .map((t) => ({ x: t.number, y: t.value!, pruned: t.state === 'pruned' }));
  // The best value so far as a step line: flat until a trial improves on it, then down.
  const best: [number, number][] = [];
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.state !== 'complete' || t.value === undefined) continue;
    const prev = best.at(-1)?.[1];
    if (prev !== undefined && !(lossOf(direction, t.value) < lossOf(direction, prev))) continue;
    if (prev !== undefined) best.push([t.number, prev]);
    best.push([t.number, t.value]);
  }
  const lastNumber = Math.max(0, ...trials.map((t) => t.number));
  if (best.length && best.at(-1)![0] < lastNumber) best.push([lastNumber, best.at(-1)![1]]);
  const ys = points.map((p) => p.y);
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  // Extra room at the top keeps the legend off the points.
  [y0, y1] = [y0 - pad, y1 + 5 * pad];
  const [x0, x1] = [0, Math.max(1, lastNumber)];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const title = options.title ?? 'Optimization history';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
  if (options.title)
    parts.push(
      `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(options.title)}</text>`,
    );
  for (const t of niceTicks(y0, y1)) {
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#eee"/>`,
    );
    parts.push(`<text x="${m.l - 6}" y="${px(sy(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  for (const t of niceTicks(x0, x1).filter(Number.isInteger))
    parts.push(`<text x="${px(sx(t))}" y="${H - m.b + 16}" text-anchor="middle">${t}</text>`);
  parts.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/>`);
  parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 10}" text-anchor="middle">trial</text>`);
  parts.push(
    `<text transform="translate(14 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(options.valueName ?? 'objective value')}</text>`,
  );
  if (best.length) {
    parts.push(
      `<polyline class="best" fill="none" stroke="#d62728" stroke-width="2" points="${best.map(([x, y]) => `${px(sx(x))},${px(sy(y))}`).join(' ')}"/>`,
    );
  }
  for (const p of points) {
    parts.push(
      p.pruned
        ? `<circle class="pruned" cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="3.5" fill="white" stroke="#7f7f7f"/>`
        : `<circle class="complete" cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="3.5" fill="#1f77b4"/>`,
    );
  }
  const legend: [string, string][] = [
    ['<circle cx="6" cy="-4" r="3.5" fill="#1f77b4"/>', 'complete trial'],
    ['<circle cx="6" cy="-4" r="3.5" fill="white" stroke="#7f7f7f"/>', 'pruned (last value)'],
    ['<rect x="0" y="-5" width="12" height="3" fill="#d62728"/>', 'best so far'],
  ];
  legend.forEach(([mark, label], i) => {
    parts.push(
      `<g transform="translate(${W - m.r - 150} ${m.t + 14 + i * 18})">${mark}<text x="18" y="0">${label}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
