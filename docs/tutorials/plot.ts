/**
 * plot.ts: the figures of the tutorials' code. A block that draws imports `plot` from
 * `./plot.js`; save this file beside your own. In Node, `plot` prints a line per curve (its
 * first and last values and its minimum); under a Run button on the docs site, the page
 * prints the same lines and draws the curves as a chart under the block.
 */

/** One curve: its values, against `x` (default 0, 1, 2, ...). */
export interface Curve {
  readonly name: string;
  readonly y: readonly number[];
  readonly x?: readonly number[];
}

/** What the chart says about its axes. */
export interface PlotOptions {
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** A logarithmic y axis (for losses that fall by orders of magnitude). */
  readonly logY?: boolean;
}

/** A figure: its curves and options, as `plot` returns it. */
export interface Figure {
  readonly curves: readonly Curve[];
  readonly options: PlotOptions;
}

/** Four significant digits: enough to read a curve off, and the same in Node and a page. */
const num = (v: number | undefined): string =>
  v === undefined ? '-' : Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);

/** The lines `plot` prints for `figure`. */
export function describeFigure(figure: Figure): string[] {
  const lines = [`figure: ${figure.options.title ?? 'untitled'}`];
  for (const c of figure.curves) {
    const finite = c.y.filter(Number.isFinite);
    const min = finite.length > 0 ? Math.min(...finite) : undefined;
    lines.push(
      `  ${c.name}: ${c.y.length} points, from ${num(c.y[0])} to ${num(c.y.at(-1))}, ` +
        `min ${num(min)}`,
    );
  }
  return lines;
}

/**
 * Plots `curves` (prints them in Node; draws them too under a Run button) and returns the
 * figure.
 * @example plot([{ name: 'loss', y: losses }], { title: 'training loss', xLabel: 'step' });
 */
export function plot(curves: readonly Curve[], options: PlotOptions = {}): Figure {
  const figure: Figure = { curves, options };
  for (const line of describeFigure(figure)) console.log(line);
  return figure;
}
