import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommand } from './cli';

const spec = {
  usage: 'pnpm demo run [FILE]',
  summary: 'Runs the demo.',
  flags: { steps: { type: 'number', help: 'How many steps', default: 3, integer: true } },
  positional: 1,
} as const;

/** Makes `process.exit` throw so a failing parse can be observed, and captures stderr. */
function captureExit() {
  const errors: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    errors.push(String(s));
    return true;
  });
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`exit ${code}`);
  });
  return errors;
}

describe('parseCommand', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns flags with defaults and the allowed positional arguments', () => {
    expect(parseCommand(spec, ['in.png', '--steps', '5'])).toEqual({
      flags: { steps: 5 },
      positional: ['in.png'],
    });
    expect(parseCommand(spec, [])).toEqual({ flags: { steps: 3 }, positional: [] });
  });

  it('prints the usage on --help and returns undefined', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(parseCommand(spec, ['--help'])).toBeUndefined();
    const text = String(log.mock.calls[0]?.[0]);
    expect(text).toContain('Usage: pnpm demo run [FILE]');
    expect(text).toContain('--steps N');
  });

  it('fails with one error line on a stray argument or a bad flag', () => {
    const errors = captureExit();
    expect(() => parseCommand(spec, ['a.png', 'b.png'])).toThrow('exit 1');
    expect(() => parseCommand(spec, ['--steps', 'x'])).toThrow('exit 1');
    expect(() => parseCommand({ ...spec, positional: 0 }, ['a.png'])).toThrow('exit 1');
    expect(errors[0]).toBe("error: unexpected argument 'b.png' (see --help)\n");
    expect(errors[1]).toMatch(/^error: --steps/);
    expect(errors[2]).toBe("error: unexpected argument 'a.png' (see --help)\n");
  });
});
