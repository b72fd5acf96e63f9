import { describe, expect, it } from 'vitest';
import { closeProgressLine, progressBar } from './progress';

/** A terminal that records what is written to it. */
const terminal = () => {
  const out: string[] = [];
  const stream = { isTTY: true, write: (s: string) => out.push(s) > 0 };
  return { out, stream: stream as unknown as NodeJS.WriteStream };
};

describe('progress bar lines', () => {
  it('an error after a bar drawn in place starts on a line of its own', () => {
    const { out, stream } = terminal();
    const bar = progressBar('epoch 1/2', 10, { stream });
    bar.update(3, { loss: 'NaN' });
    expect(out.at(-1)).not.toContain('\n');
    closeProgressLine();
    expect(out.at(-1)).toBe('\n');
    // Closing twice, or after the bar finished its line, writes nothing more.
    closeProgressLine();
    bar.update(4);
    bar.finish();
    const n = out.length;
    closeProgressLine();
    expect(out).toHaveLength(n);
  });
});
