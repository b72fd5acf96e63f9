import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type CodeBlock, docsRoot, readPage, runnableBlocks } from './markdown';

/**
 * Generated modules live inside `docs/` (not in the OS temp dir) so that their imports of
 * `@jute/*` resolve through `docs/node_modules`, with the `@jute/source` condition vitest sets.
 */
export const generatedDir = join(docsRoot, 'test', '.generated');

const blockMarker = '__juteDocsBlock';
let counter = 0;

/** Where a generated line came from: the block and the Markdown line. */
interface Origin {
  readonly block: CodeBlock;
  readonly mdLine: number;
}

/** The module text for a page's runnable blocks, and a map from its lines to Markdown lines. */
export function buildModule(
  page: string,
  blocks: readonly CodeBlock[],
): { source: string; origin: (line: number) => Origin | undefined } {
  const out: string[] = [`// Generated from docs/${page}: its \`\`\`ts blocks, in order.`];
  const starts: Array<{ line: number; block: CodeBlock }> = [];
  blocks.forEach((block, k) => {
    // The marker tells which block was running when an error carries no usable stack.
    out.push(`(globalThis as Record<string, unknown>).${blockMarker} = ${k};`);
    starts.push({ line: out.length + 1, block });
    out.push(...block.code.split('\n'));
  });
  out.push('export {};', '');
  const origin = (line: number): Origin | undefined => {
    for (let k = starts.length - 1; k >= 0; k--) {
      const s = starts[k]!;
      if (line >= s.line) return { block: s.block, mdLine: s.block.line + 1 + (line - s.line) };
    }
    return undefined;
  };
  return { source: out.join('\n'), origin };
}

/** The first `file:line` of `file` named by an error (its stack, or a transform error's `loc`). */
function errorLine(err: unknown, file: string): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { stack?: unknown; loc?: { file?: string; line?: number }; message?: unknown };
  if (
    e.loc?.line !== undefined &&
    (e.loc.file === undefined || e.loc.file.endsWith(basename(file)))
  ) {
    return e.loc.line;
  }
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${name}:(\\d+)(?::\\d+)?`);
  for (const text of [e.stack, e.message]) {
    const m = typeof text === 'string' ? re.exec(text) : null;
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Imports run before any block: blame the block that imports a module the error names. */
function importingBlock(blocks: readonly CodeBlock[], err: unknown): CodeBlock | undefined {
  const text = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  return blocks.find((b) =>
    [...b.code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s+['"]([^'"]+)['"]/g)].some((m) => {
      const spec = m[1] ?? m[2];
      return spec !== undefined && text.includes(spec);
    }),
  );
}

/** Thrown when a page's code fails; the message names the page and the Markdown line. */
export class DocBlockError extends Error {
  constructor(
    readonly page: string,
    readonly blockLine: number | undefined,
    readonly mdLine: number | undefined,
    cause: unknown,
  ) {
    const where =
      blockLine === undefined
        ? `docs/${page}: code blocks failed while loading (imports?)`
        : `docs/${page}:${mdLine ?? blockLine}: code block at line ${blockLine} failed`;
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${where}\n${why}`, { cause });
    this.name = 'DocBlockError';
  }
}

/**
 * Runs every runnable ```ts block of `page` (relative to `root`) as one ES module, in order.
 * Resolves to the number of blocks run; rejects with a {@link DocBlockError}.
 */
export async function runPage(page: string, root: string = docsRoot): Promise<number> {
  const blocks = runnableBlocks(readPage(page, root));
  if (blocks.length === 0) return 0;
  const { source, origin } = buildModule(page, blocks);
  mkdirSync(generatedDir, { recursive: true });
  const slug = page.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  const file = join(generatedDir, `${slug}.${process.pid}.${counter++}.ts`);
  writeFileSync(file, source);
  const g = globalThis as Record<string, unknown>;
  delete g[blockMarker];
  try {
    await import(/* @vite-ignore */ file);
    return blocks.length;
  } catch (err) {
    const line = errorLine(err, file);
    const from = line === undefined ? undefined : origin(line);
    if (from) throw new DocBlockError(page, from.block.line, from.mdLine, err);
    const k = g[blockMarker];
    const block = typeof k === 'number' ? blocks[k] : importingBlock(blocks, err);
    throw new DocBlockError(page, block?.line, undefined, err);
  } finally {
    delete g[blockMarker];
    rmSync(file, { force: true });
  }
}
