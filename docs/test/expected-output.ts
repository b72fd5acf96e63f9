/**
 * What a page says its code prints, and whether a run printed it.
 *
 * The convention the tutorials follow: a `console.log(...)` line whose trailing comment
 * (or, for a long output, the comment alone on the line below the call)
 * *starts with a value* shows the output, e.g. `// [5, 7, 9]: one number per column` or
 * `// 'float32'`. The value is everything up to the first word of prose; numbers are rounded to
 * the digits they show, rounded or cut (`0.109` stands for 0.108..0.110, `2.718...` too), and a
 * leading `≈` or `~` allows 5% (or one unit in the last digit). Integers are exact. A comment that starts with a
 * word (`// about 0.1: chance`, `// never settles at 0`) is prose and is not checked.
 */

export type Token =
  | {
      readonly kind: 'num';
      readonly value: number;
      readonly decimals: number;
      readonly cut: boolean;
    }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'word'; readonly value: string }
  | { readonly kind: 'punct'; readonly value: string };

const numberRe = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i;
const wordRe = /^[A-Za-z_$][\w$]*/;

/** Splits printed text (or a comment) into numbers, strings, words and punctuation. */
export function tokenize(text: string): Token[] {
  const s = text.replace(/\u2212/g, '-'); // typographic minus, as written in prose
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = numberRe.exec(rest);
    if (num && (c !== '-' || /\d|\./.test(s[i + 1] ?? ''))) {
      const literal = num[0];
      // A number glued to letters (`2cos`, `5ms`) is a word, not a value.
      const glued = /^[A-Za-z_]\w*/.exec(s.slice(i + literal.length));
      if (glued && !/e$/i.test(literal)) {
        out.push({ kind: 'word', value: literal + glued[0] });
        i += literal.length + glued[0].length;
        continue;
      }
      const frac = /\.(\d*)/.exec(literal.replace(/e.*$/i, ''));
      const exp = /e([+-]?\d+)/i.exec(literal);
      const decimals = (frac?.[1]?.length ?? 0) - (exp ? Number(exp[1]) : 0);
      i += literal.length;
      const ellipsis = /^(\.\.\.|\u2026)/.exec(s.slice(i));
      if (ellipsis) i += ellipsis[0].length;
      out.push({ kind: 'num', value: Number(literal), decimals, cut: ellipsis !== null });
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = s.indexOf(c, i + 1);
      if (end > i) {
        out.push({ kind: 'str', value: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    const word = wordRe.exec(rest);
    if (word) {
      out.push({ kind: 'word', value: word[0] });
      i += word[0].length;
      continue;
    }
    out.push({ kind: 'punct', value: c });
    i++;
  }
  return out;
}

const literalWords = new Set(['true', 'false', 'null', 'undefined', 'NaN', 'Infinity']);
const openers: Record<string, string> = { '[': ']', '{': '}', '(': ')' };

/** The expected output a trailing comment shows, or undefined when it is prose. */
export function expectedFromComment(
  comment: string,
): { readonly tokens: readonly Token[]; readonly approx: boolean } | undefined {
  let text = comment.trim();
  const approx = /^[≈~]/.test(text);
  if (approx) text = text.slice(1);
  const tokens = tokenize(text);
  const stack: string[] = [];
  let balanced = 0; // tokens up to here form complete values
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const inBraces = stack.includes('}');
    if (t.kind === 'punct') {
      if (t.value in openers) stack.push(openers[t.value]!);
      else if (t.value === stack[stack.length - 1]) stack.pop();
      else if (t.value === ',' && stack.length > 0) {
        // a separator inside a value
      } else if (t.value === ':' && inBraces) {
        // a key's colon
      } else break;
    } else if (t.kind === 'word') {
      const isKey = inBraces && tokens[k + 1]?.kind === 'punct' && tokens[k + 1]?.value === ':';
      if (!literalWords.has(t.value) && !isKey) break;
    }
    if (stack.length === 0) balanced = k + 1;
  }
  const kept = tokens.slice(0, balanced);
  const hasValue = kept.some((t) => t.kind === 'num' || t.kind === 'str' || t.kind === 'word');
  return hasValue ? { tokens: kept, approx } : undefined;
}

/** Whether printed token `a` shows expected token `e`. */
function shows(a: Token, e: Token, approx: boolean): boolean {
  if (e.kind === 'num') {
    if (a.kind !== 'num') return false;
    // One unit in the last digit shown: the page may round or cut (0.1096 as 0.11 or 0.109).
    // Integers (counts, indices, shapes) are exact unless marked approximate.
    const unit = 10 ** -e.decimals;
    const slack = 1e-6 * Math.abs(e.value) + 1e-12;
    if (e.decimals <= 0 && !approx && !e.cut) return Math.abs(a.value - e.value) <= slack;
    const tol = (approx ? Math.max(unit, 0.05 * Math.abs(e.value)) : unit) + slack;
    return Math.abs(a.value - e.value) <= tol;
  }
  if (e.kind === 'str' || e.kind === 'word') {
    return (a.kind === 'str' || a.kind === 'word') && a.value === e.value;
  }
  return a.kind === 'punct' && a.value === e.value;
}

/** Whether `printed` contains the expected value, token for token (spacing and quotes aside). */
export function printedShows(
  printed: string,
  expected: { readonly tokens: readonly Token[]; readonly approx: boolean },
): boolean {
  const actual = tokenize(printed);
  const n = expected.tokens.length;
  for (let i = 0; i + n <= actual.length; i++) {
    let ok = true;
    for (let k = 0; k < n && ok; k++)
      ok = shows(actual[i + k]!, expected.tokens[k]!, expected.approx);
    if (ok) return true;
  }
  return false;
}

/** How closely {@link samePrinted} compares numbers. */
export interface Closeness {
  /** Relative tolerance of numbers with decimals (default 1e-3). */
  readonly rel?: number;
  /** Whether a number followed by a time unit (`45.2 ms`) may differ at will (default false). */
  readonly ignoreTimings?: boolean;
}

const timeUnits = new Set(['ms', 's', 'sec', 'seconds', 'us', 'µs', 'ns', 'min']);

/**
 * Whether two runs printed the same thing (Node's `console.log` and the page's Run button):
 * the same tokens, numbers with decimals equal to a relative `rel` or one unit in the last
 * digit printed (backends differ in the last bits of a float32), integers exactly, quotes and
 * line breaks aside.
 */
export function samePrinted(a: string, b: string, closeness: Closeness = {}): boolean {
  const rel = closeness.rel ?? 1e-3;
  const ta = tokenize(a);
  const tb = tokenize(b);
  if (ta.length !== tb.length) return false;
  return ta.every((x, k) => {
    const y = tb[k]!;
    if (x.kind === 'num' && y.kind === 'num') {
      const next = ta[k + 1];
      if (closeness.ignoreTimings && next?.kind === 'word' && timeUnits.has(next.value))
        return true;
      // Counts and indices print as integers on both sides: those must agree exactly.
      if (x.decimals <= 0 && y.decimals <= 0) return x.value === y.value;
      const unit = 10 ** -Math.min(x.decimals, y.decimals);
      const tol = Math.max(rel * Math.max(Math.abs(x.value), Math.abs(y.value)), unit);
      const close = Math.abs(x.value - y.value) <= tol * (1 + 1e-9);
      return close || (Number.isNaN(x.value) && Number.isNaN(y.value));
    }
    if ((x.kind === 'str' || x.kind === 'word') && (y.kind === 'str' || y.kind === 'word')) {
      return x.value === y.value;
    }
    return x.kind === y.kind && x.value === y.value;
  });
}

/** The trailing `//` comment of a line of code (outside strings), if any. */
export function trailingComment(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '/' && line[i + 1] === '/') return line.slice(i + 2);
  }
  return undefined;
}
