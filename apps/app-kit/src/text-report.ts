import { formatSeconds } from './progress';

/** What the character-level apps record per epoch (their learning curves and reports read it). */
export interface TextEpochStats {
  readonly epoch: number;
  /** Mean training loss over the epoch (nats per character). */
  readonly loss: number;
  /** Validation loss (nats per character) after the epoch. */
  readonly validationLoss: number;
  /** `exp(validationLoss)`. */
  readonly validationPerplexity: number;
  /** Held-out characters scored. */
  readonly validationChars: number;
  /** Training steps this epoch. */
  readonly steps: number;
  /** Wall-clock seconds of the training steps (validation excluded). */
  readonly seconds: number;
  readonly charsPerSecond: number;
}

/** Everything a character-level app's end-of-training report shows. */
export interface TextReport {
  readonly history: readonly TextEpochStats[];
  /** Perplexity of the training text's character frequencies. */
  readonly unigramPerplexity: number;
  readonly batchSize: number;
  /** Characters per window of a step (`--seq-len`, `--context`). */
  readonly window: number;
  readonly sample?: {
    readonly prompt: string;
    readonly text: string;
    readonly temperature: number;
  };
  /** Lines after the validation perplexity: other models to compare with. */
  readonly comparisons?: readonly string[];
  /** Lines after the unigram baseline (e.g. the learning curve). */
  readonly details?: readonly string[];
}

/**
 * The end-of-training summary: validation perplexity against the unigram baseline (and
 * any comparisons), throughput, and a sample.
 * @example console.log(formatTextReport({ history, unigramPerplexity, batchSize: 32, window: 64 }));
 */
export function formatTextReport(r: TextReport): string {
  const last = r.history[r.history.length - 1];
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (!last) return 'no epochs were run (the checkpoint already has --epochs epochs)';
  const steps = r.history.reduce((a, h) => a + h.steps, 0);
  const seconds = r.history.reduce((a, h) => a + h.seconds, 0);
  const chars = steps * r.batchSize * r.window;
  const lines = [
    `validation perplexity ${last.validationPerplexity.toFixed(2)} (${last.validationLoss.toFixed(4)} nats/char on ${fmt(last.validationChars)} held-out chars)`,
    ...(r.comparisons ?? []),
    `unigram baseline      ${r.unigramPerplexity.toFixed(2)} (character frequencies of the training text)`,
    ...(r.details ?? []),
    `trained ${r.history.length} epoch${r.history.length === 1 ? '' : 's'} · ${fmt(steps)} steps of ${r.batchSize}×${r.window} chars in ${formatSeconds(seconds)} · ${(steps / seconds).toFixed(2)} steps/s · ${fmt(Math.round(chars / seconds))} chars/s`,
  ];
  if (r.sample)
    lines.push(
      '',
      `sample (temperature ${r.sample.temperature}, prompt ${JSON.stringify(r.sample.prompt)}):`,
      r.sample.prompt + r.sample.text,
    );
  return lines.join('\n');
}
