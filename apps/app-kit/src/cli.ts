import { resolve } from 'node:path';

/** Paths on the command line are relative to where the user ran `pnpm`, not to the app's package. */
export const userPath = (p: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), p);

/** Ends the program the way every app reports a failure: one `error:` line, exit code 1. */
export function fail(e: { readonly message: string }): never {
  process.stderr.write(`error: ${e.message.split('\n')[0]}\n`);
  process.exit(1);
}
