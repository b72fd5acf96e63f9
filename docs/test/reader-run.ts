import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { expectedFromComment, printedShows, trailingComment } from './expected-output';
import { type CodeBlock, docsRoot, readPage, runnableBlocks } from './markdown';
import type { ScratchPackage } from './scratch-package';

const capture = pathToFileURL(join(docsRoot, 'test', 'capture-console.mjs')).href;

/** One console call of a run: where in the Markdown it was made, and what it printed. */
export interface Printed {
  /** 1-based Markdown line of the call (0 when the stack named no line of the page). */
  readonly mdLine: number;
  /** 1-based Markdown line of the top-level statement that was running (0 if unknown). */
  readonly topLine: number;
  readonly method: 'log' | 'info' | 'warn' | 'error';
  readonly text: string;
}

/** A page's code run as a reader runs it. */
export interface PageRun {
  readonly page: string;
  readonly blocks: readonly CodeBlock[];
  /** Every console call, in order. */
  readonly printed: readonly Printed[];
  readonly ms: number;
}

/** Thrown when a page's code fails; the message names the page and the Markdown line. */
export class DocBlockError extends Error {
  constructor(
    readonly page: string,
    readonly blockLine: number | undefined,
    readonly mdLine: number | undefined,
    detail: string,
  ) {
    const where =
      blockLine === undefined
        ? `docs/${page}: code blocks failed while loading (imports?)`
        : `docs/${page}:${mdLine ?? blockLine}: code block at line ${blockLine} failed`;
    super(`${where}\n${detail}`);
    this.name = 'DocBlockError';
  }
}

/**
 * The file a reader would write from a page: its runnable blocks in order, each after a comment
 * naming its Markdown line. `mdLine` maps a line of that file back to the page.
 */
export function pageModule(
  page: string,
  blocks: readonly CodeBlock[],
): { source: string; mdLine: (line: number) => { block: CodeBlock; mdLine: number } | undefined } {
  const out: string[] = [];
  const starts: Array<{ line: number; block: CodeBlock }> = [];
  for (const block of blocks) {
    out.push(`// docs/${page}:${block.line}`);
    starts.push({ line: out.length + 1, block });
    out.push(...block.code.split('\n'));
  }
  out.push('export {};', '');
  const mdLine = (line: number) => {
    for (let k = starts.length - 1; k >= 0; k--) {
      const s = starts[k]!;
      if (line >= s.line) return { block: s.block, mdLine: s.block.line + 1 + (line - s.line) };
    }
    return undefined;
  };
  return { source: out.join('\n'), mdLine };
}

/** Imports run before any block: blame the block that imports a module the error names. */
function importingBlock(blocks: readonly CodeBlock[], text: string): CodeBlock | undefined {
  return blocks.find((b) =>
    [...b.code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s+['"]([^'"]+)['"]/g)].some((m) => {
      const spec = m[1] ?? m[2];
      return spec !== undefined && text.includes(spec);
    }),
  );
}

/** The error lines of a child's stderr: from the first `Error`-like line on, at most 12. */
function errorSummary(stderr: string): string {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => /\b\w*(Error|Exception)\b|^\s*throw\b/.test(l));
  return lines
    .slice(Math.max(0, at))
    .filter((l) => l.trim() !== '')
    .slice(0, 12)
    .join('\n');
}

/**
 * Runs the runnable blocks of `page` (relative to `root`) in the scratch project, as one file,
 * in a child process of plain Node: the TypeScript is only stripped of its types (esbuild's
 * transform, as `tsc` or `node --experimental-strip-types` would), and every import resolves
 * by Node's own rules, so `import 'fp-ts/function'` fails here as it fails for a reader.
 * Resolves to what it printed; rejects with a {@link DocBlockError} naming the Markdown line of
 * the failure.
 */
export async function runPageAsReader(
  pkg: ScratchPackage,
  page: string,
  root: string = docsRoot,
  timeoutMs = 240_000,
): Promise<PageRun> {
  const blocks = runnableBlocks(readPage(page, root));
  if (blocks.length === 0) return { page, blocks, printed: [], ms: 0 };
  const { source, mdLine } = pageModule(page, blocks);
  const slug = page.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  const dir = join(pkg.dir, 'pages');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${slug}.ts`);
  const js = join(dir, `${slug}.mjs`);
  const log = join(dir, `${slug}.log.jsonl`);
  writeFileSync(file, source);
  rmSync(log, { force: true });
  try {
    const out = await transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcemap: 'inline',
      sourcefile: file,
    });
    writeFileSync(js, out.code);
  } catch (err) {
    const e = err as { errors?: Array<{ text: string; location?: { line: number } | null }> };
    const first = e.errors?.[0];
    const from = first?.location ? mdLine(first.location.line) : undefined;
    throw new DocBlockError(page, from?.block.line, from?.mdLine, first?.text ?? String(err));
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUTE_DOCS_CAPTURE: log,
    JUTE_DOCS_PAGE_FILE: file,
  };
  // Nothing of the test runner's own setup reaches the reader's process.
  for (const k of Object.keys(env))
    if (k === 'NODE_OPTIONS' || k.startsWith('VITEST')) delete env[k];
  const t0 = performance.now();
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--enable-source-maps', '--import', capture, js],
      { cwd: pkg.dir, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        const status = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({
          code: status,
          stderr: err?.killed ? `timed out after ${timeoutMs} ms\n${stderr}` : stderr,
        });
      },
    );
  });
  const ms = performance.now() - t0;
  let printed: Printed[] = [];
  try {
    printed = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const r = JSON.parse(l) as {
          line: number;
          top: number;
          method: Printed['method'];
          text: string;
        };
        return {
          mdLine: mdLine(r.line)?.mdLine ?? 0,
          topLine: mdLine(r.top)?.mdLine ?? 0,
          method: r.method,
          text: r.text,
        };
      });
  } catch {
    // Nothing printed.
  }
  if (code !== 0) {
    const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`${name}:(\\d+)(?::\\d+)?`).exec(stderr);
    const from = m ? mdLine(Number(m[1])) : undefined;
    const detail = errorSummary(stderr);
    if (from) throw new DocBlockError(page, from.block.line, from.mdLine, detail);
    throw new DocBlockError(page, importingBlock(blocks, stderr)?.line, undefined, detail);
  }
  return { page, blocks, printed, ms };
}

/** A console line whose page comment shows a value the run did not print. */
export interface OutputMismatch {
  readonly mdLine: number;
  readonly comment: string;
  readonly printed: readonly string[];
}

/** The index of the line that closes the call opened on line `k`. */
function callEnd(lines: readonly string[], k: number): number {
  let depth = 0;
  for (let j = k; j < lines.length; j++) {
    const code = lines[j]!.replace(/\/\/.*$/, '');
    for (const c of code) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth <= 0) return j;
  }
  return k;
}

/**
 * Checks a run against the outputs its page shows: for every `console.*` call with a value
 * comment (see `expected-output.ts`), some print made from that call (a loop prints many)
 * must show the value. A call that never ran, though its comment shows a value, is a mismatch.
 */
export function outputMismatches(run: PageRun): OutputMismatch[] {
  const out: OutputMismatch[] = [];
  for (const block of run.blocks) {
    const lines = block.code.split('\n');
    lines.forEach((line, k) => {
      if (!/\bconsole\.(log|info|warn|error)\s*\(/.test(line)) return;
      // The comment is on the call's first line, on the line that closes it, or alone on
      // the line below (where a long output would not fit beside the call).
      const end = callEnd(lines, k);
      const below = /^\s*\/\/(.*)$/.exec(lines[end + 1] ?? '')?.[1];
      const comment = trailingComment(line) ?? trailingComment(lines[end]!) ?? below;
      if (comment === undefined) return;
      const expected = expectedFromComment(comment);
      if (!expected) return;
      const mdLine = block.line + 1 + k;
      const texts = run.printed.filter((p) => p.mdLine === mdLine).map((p) => p.text);
      if (!texts.some((t) => printedShows(t, expected))) {
        out.push({ mdLine, comment: comment.trim(), printed: texts });
      }
    });
  }
  return out;
}
