/** What a progress bar shows after the bar itself: `loss 0.123 · acc 95.1%`. */
export type ProgressFields = Readonly<Record<string, string>>;

export interface ProgressBar {
  update(done: number, fields?: ProgressFields): void;
  finish(fields?: ProgressFields): void;
}

export interface ProgressOptions {
  /** Defaults to process.stderr. */
  readonly stream?: NodeJS.WriteStream;
  readonly width?: number;
}

/** The terminal stream a bar has drawn on without ending its line, if any. */
let openLine: NodeJS.WriteStream | undefined;

/**
 * Ends a progress bar's line left open on a terminal, so that what is written next (an
 * `error:` line from `fail`) starts a line of its own.
 * @example closeProgressLine(); process.stderr.write('error: ...\n');
 */
export function closeProgressLine(): void {
  openLine?.write('\n');
  openLine = undefined;
}

/**
 * Seconds as `3m07s` or `42.0s`.
 * @example formatSeconds(187) // '3m07s'
 */
export const formatSeconds = (s: number): string =>
  s >= 60
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${s.toFixed(1)}s`;

/**
 * A one-line progress bar that redraws in place on a terminal and prints at most one line
 * every few seconds (plus the last) when output is a file or a CI log.
 */
export function progressBar(
  label: string,
  total: number,
  options: ProgressOptions = {},
): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const width = options.width ?? 24;
  const start = performance.now();
  let lastPrint = 0;
  const render = (done: number, fields: ProgressFields) => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * width);
    const elapsed = (performance.now() - start) / 1000;
    const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : 0;
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ');
    return `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${formatSeconds(elapsed)} eta ${formatSeconds(eta)}${extra ? ` · ${extra}` : ''}`;
  };
  return {
    update(done, fields = {}) {
      const now = performance.now();
      if (tty) {
        stream.write(`\r\x1b[2K${render(done, fields)}`);
        openLine = stream;
      } else if (now - lastPrint > 5000) {
        stream.write(`${render(done, fields)}\n`);
        lastPrint = now;
      }
    },
    finish(fields = {}) {
      if (openLine === stream) openLine = undefined;
      stream.write(`${tty ? '\r\x1b[2K' : ''}${render(total, fields)}\n`);
    },
  };
}
