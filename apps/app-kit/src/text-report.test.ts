import { describe, expect, it } from 'vitest';
import { formatSeconds } from './progress';
import { formatTextReport, type TextEpochStats } from './text-report';

const epoch = (n: number, validationLoss: number, validationChars: number): TextEpochStats => ({
  epoch: n,
  loss: 2,
  validationLoss,
  validationPerplexity: Math.exp(validationLoss),
  validationChars,
  steps: 100,
  seconds: n === 1 ? 30 : 45,
  charsPerSecond: 0,
});
const history = [epoch(1, 1.5, 1000), epoch(2, 1.25, 12_345)];
const base = { history, unigramPerplexity: 12, batchSize: 32, window: 64 };

describe('formatTextReport', () => {
  it('sums the epochs: perplexity of the last, steps, time and characters of all', () => {
    // 200 steps of 32×64 characters in 75 s: 2.67 steps/s, 409,600 / 75 = 5,461 chars/s.
    expect(formatTextReport(base).split('\n')).toEqual([
      'validation perplexity 3.49 (1.2500 nats/char on 12,345 held-out chars)',
      'unigram baseline      12.00 (character frequencies of the training text)',
      'trained 2 epochs · 200 steps of 32×64 chars in 1m15s · 2.67 steps/s · 5,461 chars/s',
    ]);
  });

  it('puts comparisons under the perplexity, details under the baseline, the sample last', () => {
    const text = formatTextReport({
      ...base,
      history: history.slice(0, 1),
      comparisons: ['other model    7.00'],
      details: ['curve          a · b'],
      sample: { prompt: 'The ', text: 'whale', temperature: 0.7 },
    });
    expect(text.split('\n')).toEqual([
      'validation perplexity 4.48 (1.5000 nats/char on 1,000 held-out chars)',
      'other model    7.00',
      'unigram baseline      12.00 (character frequencies of the training text)',
      'curve          a · b',
      'trained 1 epoch · 100 steps of 32×64 chars in 30.0s · 3.33 steps/s · 6,827 chars/s',
      '',
      'sample (temperature 0.7, prompt "The "):',
      'The whale',
    ]);
  });

  it('says so when no epoch ran', () => {
    expect(formatTextReport({ ...base, history: [] })).toBe(
      'no epochs were run (the checkpoint already has --epochs epochs)',
    );
  });
});

describe('formatSeconds', () => {
  it('shows minutes past a minute, tenths below', () => {
    expect([0, 42, 59.94, 60, 187, 3599].map(formatSeconds)).toEqual([
      '0.0s',
      '42.0s',
      '59.9s',
      '1m00s',
      '3m07s',
      '59m59s',
    ]);
  });
});
