import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseFlags, usage } from './flags';

const specs = {
  epochs: { type: 'number', help: 'Epochs', default: 3, integer: true, min: 1, max: 1000 },
  lr: { type: 'number', help: 'Learning rate', default: 0.001 },
  model: { type: 'string', help: 'Model', default: 'cnn', choices: ['mlp', 'cnn'] },
  out: { type: 'string', help: 'Checkpoint' },
  verbose: { type: 'boolean', help: 'More output' },
  batchSize: { type: 'number', help: 'Batch size', default: 64, integer: true },
} as const;

describe('parseFlags', () => {
  it('applies defaults and parses both --flag value and --flag=value', () => {
    const r = parseFlags(specs, [
      '--epochs',
      '5',
      '--lr=0.01',
      '--batch-size',
      '32',
      'predict',
      '--verbose',
    ]);
    expect(E.isRight(r)).toBe(true);
    if (E.isRight(r)) {
      expect(r.right.flags).toEqual({
        epochs: 5,
        lr: 0.01,
        model: 'cnn',
        verbose: true,
        batchSize: 32,
      });
      expect(r.right.positional).toEqual(['predict']);
      expect(r.right.flags.out).toBeUndefined();
    }
  });
  it.each([
    [['--nope'], 'unknown flag --nope'],
    [['--epochs', 'x'], '--epochs expects a number'],
    [['--epochs', '1.5'], '--epochs expects an integer'],
    [['--epochs', '0'], '--epochs must be at least 1'],
    [['--epochs', '1e8'], '--epochs must be at most 1000, got 1e8'],
    [['--model', 'rnn'], '--model must be one of mlp, cnn'],
    [['--out'], '--out needs a value'],
  ])('rejects %j with a one-line message', (argv, message) => {
    const r = parseFlags(specs, argv);
    expect(E.isLeft(r) && r.left.message).toContain(message);
  });
  it('recognizes --help and documents every flag', () => {
    const r = parseFlags(specs, ['--help']);
    expect(E.isRight(r) && r.right.help).toBe(true);
    const text = usage('jute-mnist', 'Train.', specs);
    for (const f of [
      '--epochs N',
      '--batch-size N',
      '--model VALUE',
      '[mlp|cnn]',
      '(default 3)',
      '--verbose',
    ])
      expect(text).toContain(f);
  });
});
