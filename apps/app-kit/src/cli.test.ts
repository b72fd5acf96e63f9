import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitOnInterrupt, parseCommand, runCommands } from './cli';
import { captureExit } from './test-utils';

const spec = {
  usage: 'pnpm demo run [FILE]',
  summary: 'Runs the demo.',
  flags: { steps: { type: 'number', help: 'How many steps', default: 3, integer: true } },
  positional: 1,
} as const;

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

describe('runCommands', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const recorder = () => {
    const calls: [string, string[]][] = [];
    const command = (name: string) => async (argv: string[]) => {
      calls.push([name, argv]);
    };
    return { calls, commands: { train: command('train'), sample: command('sample') } };
  };

  it('runs the named subcommand with the rest, or the fallback with everything', async () => {
    const { calls, commands } = recorder();
    await runCommands(commands, 'train', ['sample', '--checkpoint', 'a']);
    await runCommands(commands, 'train', ['train', '--epochs', '3']);
    await runCommands(commands, 'train', ['--epochs', '3']);
    await runCommands(commands, 'train', []);
    // Names that every object has are not commands.
    await runCommands(commands, 'train', ['toString']);
    expect(calls).toEqual([
      ['sample', ['--checkpoint', 'a']],
      ['train', ['--epochs', '3']],
      ['train', ['--epochs', '3']],
      ['train', []],
      ['train', ['toString']],
    ]);
  });

  it('ends the program with one error line when a command throws', async () => {
    const errors = captureExit();
    const boom = async () => {
      throw new Error('boom\nstack');
    };
    await expect(runCommands({ train: boom }, 'train', [])).rejects.toThrow('exit 1');
    expect(errors).toEqual(['error: boom\n']);
  });
});

describe('exitOnInterrupt', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('exits 130 on SIGINT, naming the checkpoint that holds the last epoch', () => {
    const handlers: (() => void)[] = [];
    vi.spyOn(process, 'on').mockImplementation(((event: string, f: () => void) => {
      if (event === 'SIGINT') handlers.push(f);
      return process;
    }) as typeof process.on);
    exitOnInterrupt('run.safetensors');
    exitOnInterrupt(undefined);
    const errors = captureExit();
    expect(() => handlers[0]!()).toThrow('exit 130');
    expect(() => handlers[1]!()).toThrow('exit 130');
    expect(errors).toEqual([
      '\ninterrupted; run.safetensors holds the last complete epoch\n',
      '\ninterrupted\n',
    ]);
  });
});
