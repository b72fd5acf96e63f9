import { execFile } from 'node:child_process';
import { vi } from 'vitest';

// Helpers for the apps' tests (exported as `@jute/app-kit/test-utils`; nothing else imports them).

/** How a command line ended: its exit code and everything it printed. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI of the app in `appDir` (`src/cli.ts`, on the sources) as a user would;
 * resolves with its exit code and output, never rejects.
 * @example const r = await runCli(appDir, ['sample', '--checkpoint', file]); expect(r.code).toBe(1);
 */
export function runCli(appDir: string, args: readonly string[]): Promise<CliRun> {
  // INIT_CWD (set by pnpm) would re-root relative paths; the tests pass absolute ones.
  const { INIT_CWD: _, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@jute/source', '--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: appDir, env, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Makes `process.exit` throw `exit CODE` so that a failure can be observed in-process,
 * and collects what is written to stderr. Undo with `vi.restoreAllMocks()`.
 * @example const errors = captureExit(); expect(() => fail(e)).toThrow('exit 1');
 */
export function captureExit(): string[] {
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
