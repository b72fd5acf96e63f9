import { formatSeconds, type TextReport } from '@jute/app-kit';
import type { EpochStats } from './train';

/**
 * The character LSTM's default run (`pnpm lstm`, apps/text-lstm/README.md), the number
 * this app is compared with: the same corpus, split and vocabulary.
 */
export const LSTM_REFERENCE = { validationPerplexity: 7.53 } as const;

/**
 * The end-of-training report of a run (its sample aside): validation perplexity next to
 * the LSTM's and the unigram baseline, the learning curve against wall time, throughput.
 * @example textCli.finishTraining(reportOf(history, unigram, 32, 64), flags, options);
 */
export function reportOf(
  history: readonly EpochStats[],
  unigramPerplexity: number,
  batchSize: number,
  context: number,
): Omit<TextReport, 'sample'> {
  return {
    history,
    unigramPerplexity,
    batchSize,
    window: context,
    comparisons: [
      `character LSTM        ${LSTM_REFERENCE.validationPerplexity.toFixed(2)} (pnpm lstm, default run)`,
    ],
    details: [
      `learning curve        ${history.map((h) => `${formatSeconds(h.elapsed)}: ${h.validationPerplexity.toFixed(2)}`).join(' · ')}`,
    ],
  };
}
