import type { EpochStats } from './train';

/**
 * The character LSTM's default run (`pnpm lstm`, apps/text-lstm/README.md), the number
 * this app is compared with: the same corpus, split and vocabulary.
 */
export const LSTM_REFERENCE = { validationPerplexity: 7.53 } as const;

/** Seconds as `3m07s` or `42.0s`. */
export const formatSeconds = (s: number): string =>
  s >= 60
    ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${s.toFixed(1)}s`;

/** Everything the end-of-training report shows. */
export interface TrainReport {
  readonly history: readonly EpochStats[];
  /** Perplexity of the training text's character frequencies. */
  readonly unigramPerplexity: number;
  readonly batchSize: number;
  readonly context: number;
  readonly sample?: {
    readonly prompt: string;
    readonly text: string;
    readonly temperature: number;
  };
}

/**
 * The end-of-training summary: validation perplexity next to the LSTM's and the unigram
 * baseline, the learning curve against wall time, throughput, and a sample.
 * @example console.log(formatReport({ history, unigramPerplexity, batchSize: 32, context: 64 }));
 */
export function formatReport(r: TrainReport): string {
  const last = r.history[r.history.length - 1];
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (!last) return 'no epochs were run (the checkpoint already has --epochs epochs)';
  const steps = r.history.reduce((a, h) => a + h.steps, 0);
  const seconds = r.history.reduce((a, h) => a + h.seconds, 0);
  const lines = [
    `validation perplexity ${last.validationPerplexity.toFixed(2)} (${last.validationLoss.toFixed(4)} nats/char on ${fmt(last.validationChars)} held-out chars)`,
    `character LSTM        ${LSTM_REFERENCE.validationPerplexity.toFixed(2)} (pnpm lstm, default run)`,
    `unigram baseline      ${r.unigramPerplexity.toFixed(2)} (character frequencies of the training text)`,
    `learning curve        ${r.history.map((h) => `${formatSeconds(h.elapsed)}: ${h.validationPerplexity.toFixed(2)}`).join(' · ')}`,
    `trained ${r.history.length} epoch${r.history.length === 1 ? '' : 's'} · ${fmt(steps)} steps of ${r.batchSize}×${r.context} chars in ${formatSeconds(seconds)} · ${(steps / seconds).toFixed(2)} steps/s · ${fmt(Math.round((steps * r.batchSize * r.context) / seconds))} chars/s`,
  ];
  if (r.sample)
    lines.push(
      '',
      `sample (temperature ${r.sample.temperature}, prompt ${JSON.stringify(r.sample.prompt)}):`,
      r.sample.prompt + r.sample.text,
    );
  return lines.join('\n');
}
