import { resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { type FlagSpecs, type Flags, parseFlags, usage } from './flags';
import { closeProgressLine } from './progress';

/** Paths on the command line are relative to where the user ran `pnpm`, not to the app's package. */
export const userPath = (p: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), p);

/** Ends the program the way every app reports a failure: one `error:` line, exit code 1. */
export function fail(e: { readonly message: string }): never {
  closeProgressLine();
  process.stderr.write(`error: ${e.message.split('\n')[0]}\n`);
  process.exit(1);
}

/** One subcommand of an app: how it is called, what it does, its flags. */
export interface CommandSpec<S extends FlagSpecs> {
  /** The synopsis line, e.g. `pnpm mnist predict --checkpoint FILE [IMAGE.png]`. */
  readonly usage: string;
  readonly summary: string;
  readonly flags: S;
  /** How many positional arguments the command takes (default 0). */
  readonly positional?: number;
}

/** What a command runs with once its arguments parsed. */
export interface CommandArgs<S extends FlagSpecs> {
  readonly flags: Flags<S>;
  readonly positional: readonly string[];
}

/**
 * Parses a subcommand's arguments the same way in every app: a usage error or a stray
 * positional argument ends the program through `fail`; `--help` prints the usage and
 * returns undefined (the command then does nothing).
 */
export function parseCommand<S extends FlagSpecs>(
  spec: CommandSpec<S>,
  argv: readonly string[],
): CommandArgs<S> | undefined {
  const parsed = parseFlags(spec.flags, argv);
  if (E.isLeft(parsed)) return fail(parsed.left);
  if (parsed.right.help) {
    console.log(usage(spec.usage, spec.summary, spec.flags));
    return undefined;
  }
  const extra = parsed.right.positional[spec.positional ?? 0];
  if (extra !== undefined) return fail({ message: `unexpected argument '${extra}' (see --help)` });
  return { flags: parsed.right.flags, positional: parsed.right.positional };
}

/**
 * Stops on Ctrl-C with exit code 130, saying which checkpoint (if any) holds the last
 * complete epoch, instead of a stack trace in the middle of an epoch.
 * @example exitOnInterrupt(flags.out);
 */
export function exitOnInterrupt(out: string | undefined): void {
  process.on('SIGINT', () => {
    process.stderr.write(`\ninterrupted${out ? `; ${out} holds the last complete epoch` : ''}\n`);
    process.exit(130);
  });
}

/** A subcommand: runs with the arguments after its name. */
export type Command = (argv: string[]) => Promise<void>;

/**
 * Runs an app's command line: the subcommand its first argument names, or `fallback` with
 * all of the arguments (so `pnpm lstm --epochs 3` trains); an exception ends the program
 * through `fail`.
 * @example runCommands({ train, sample }, 'train');
 */
export function runCommands<K extends string>(
  commands: Readonly<Record<K, Command>>,
  fallback: NoInfer<K>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  const [first, ...rest] = argv;
  const named = first !== undefined && Object.hasOwn(commands, first);
  const run = async () => (named ? commands[first as K](rest) : commands[fallback]([...argv]));
  return run().catch((e: unknown) => fail({ message: e instanceof Error ? e.message : String(e) }));
}
