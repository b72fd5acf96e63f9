import * as E from 'fp-ts/lib/Either.js';

/** One command-line flag: its type, default and help text. */
export type FlagSpec =
  | {
      readonly type: 'number';
      readonly help: string;
      readonly default?: number;
      readonly integer?: boolean;
      readonly min?: number;
      /** Largest accepted value; bounds flags that size an allocation or a loop. */
      readonly max?: number;
    }
  | {
      readonly type: 'string';
      readonly help: string;
      readonly default?: string;
      readonly choices?: readonly string[];
    }
  | { readonly type: 'boolean'; readonly help: string };

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = S extends { type: 'number' }
  ? number
  : S extends { type: 'string' }
    ? string
    : boolean;

/** Parsed flags: flags with defaults are always present, the others may be undefined. */
export type Flags<S extends FlagSpecs> = {
  [K in keyof S]: S[K] extends { default: unknown }
    ? ValueOf<S[K]>
    : S[K] extends { type: 'boolean' }
      ? boolean
      : ValueOf<S[K]> | undefined;
};

export interface ParsedArgs<S extends FlagSpecs> {
  readonly flags: Flags<S>;
  readonly positional: readonly string[];
  readonly help: boolean;
}

export interface UsageError {
  readonly _tag: 'UsageError';
  readonly message: string;
}

const usageError = (message: string): UsageError => ({ _tag: 'UsageError', message });
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function parseValue(
  name: string,
  spec: FlagSpec,
  raw: string,
): E.Either<UsageError, number | string> {
  if (spec.type === 'number') {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v))
      return E.left(usageError(`--${kebab(name)} expects a number, got '${raw}'`));
    if (spec.integer && !Number.isInteger(v))
      return E.left(usageError(`--${kebab(name)} expects an integer, got '${raw}'`));
    if (spec.min !== undefined && v < spec.min)
      return E.left(usageError(`--${kebab(name)} must be at least ${spec.min}, got ${raw}`));
    if (spec.max !== undefined && v > spec.max)
      return E.left(usageError(`--${kebab(name)} must be at most ${spec.max}, got ${raw}`));
    return E.right(v);
  }
  if (spec.type === 'string' && spec.choices && !spec.choices.includes(raw)) {
    return E.left(
      usageError(`--${kebab(name)} must be one of ${spec.choices.join(', ')}, got '${raw}'`),
    );
  }
  return E.right(raw);
}

/**
 * Parses `--flag value`, `--flag=value` and boolean `--flag` against a spec; unknown
 * flags and bad values are a `UsageError`, never an exception.
 */
export function parseFlags<S extends FlagSpecs>(
  specs: S,
  argv: readonly string[],
): E.Either<UsageError, ParsedArgs<S>> {
  const byFlag = new Map(Object.keys(specs).map((k) => [kebab(k), k]));
  const values: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(specs)) {
    if ('default' in s && s.default !== undefined) values[k] = s.default;
    if (s.type === 'boolean') values[k] = false;
  }
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const name = byFlag.get(flag);
    if (name === undefined) return E.left(usageError(`unknown flag --${flag} (see --help)`));
    const spec = specs[name]!;
    if (spec.type === 'boolean') {
      values[name] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) return E.left(usageError(`--${flag} needs a value`));
    const parsed = parseValue(name, spec, raw);
    if (E.isLeft(parsed)) return parsed;
    values[name] = parsed.right;
  }
  return E.right({ flags: values as Flags<S>, positional, help });
}

/** The `--help` text for a command. */
export function usage(command: string, summary: string, specs: FlagSpecs): string {
  const rows = Object.entries(specs).map(([k, s]) => {
    const arg = s.type === 'boolean' ? '' : s.type === 'number' ? ' N' : ' VALUE';
    const dflt = 'default' in s && s.default !== undefined ? ` (default ${s.default})` : '';
    const choices = s.type === 'string' && s.choices ? ` [${s.choices.join('|')}]` : '';
    return [`  --${kebab(k)}${arg}`, `${s.help}${choices}${dflt}`] as const;
  });
  const width = Math.max(...rows.map(([a]) => a.length)) + 2;
  return [
    `Usage: ${command}`,
    '',
    summary,
    '',
    'Options:',
    ...rows.map(([a, b]) => a.padEnd(width) + b),
    `${'  --help'.padEnd(width)}Show this help`,
  ].join('\n');
}
