import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The docs package root (`docs/`). */
export const docsRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The widest code line a page may show: what a desktop code column shows without scrolling
 * from 1024 px up (74 characters at 1024 and 1280 px, 84 at 1366, 97 at 1440; the e2e test
 * measures it), so an expected-output comment is never cut off at the right edge.
 */
export const codeLineWidth = 74;

/** Markdown files that are data, not pages (the tutorials' order, read by the sidebar). */
const notPages = new Set(['ORDER.md']);

/** Directories under `docs/` that hold no hand-written pages. */
const skippedDirs = new Set(['node_modules', '.vitepress', 'api', 'test']);

/**
 * Every hand-written Markdown page under `root`, as paths relative to it with `/` separators,
 * sorted. Generated API pages, the site's build output and the test fixtures are left out.
 */
export function findPages(root: string = docsRoot): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name) && !entry.name.startsWith('.'))
          walk(join(dir, entry.name));
      } else if (entry.isFile() && entry.name.endsWith('.md') && !notPages.has(entry.name)) {
        out.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return out.sort();
}

/** One fenced code block of a Markdown page. */
export interface CodeBlock {
  /** The language word of the info string (`ts` in ```` ```ts no-run ````). */
  readonly lang: string;
  /** The words after the language (`['no-run']`), without `{...}` line-highlight markers. */
  readonly flags: readonly string[];
  /** 1-based line of the opening fence in the Markdown file. */
  readonly line: number;
  /** 1-based line of the closing fence (the last line of the file if the block is unclosed). */
  readonly endLine: number;
  /** The block's text, without the fences. */
  readonly code: string;
}

const fenceOpen = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Fenced code blocks in document order, following CommonMark: a fence of three or more
 * backticks or tildes, closed by a fence of the same character at least as long. An unclosed
 * block runs to the end of the file, as CommonMark says.
 */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, rawInfo] = open as unknown as [string, string, string, string];
    // A backtick fence's info string may not contain backticks (that is inline code).
    if (fence[0] === '`' && rawInfo.includes('`')) continue;
    const words = rawInfo
      .replace(/\{[^}]*\}/g, ' ')
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]!); j++) {
      // Content lines lose up to the opening fence's indentation.
      body.push(lines[j]!.replace(new RegExp(`^ {0,${indent.length}}`), ''));
    }
    blocks.push({
      lang: words[0] ?? '',
      flags: words.slice(1),
      line: i + 1,
      endLine: Math.min(j + 1, lines.length),
      code: body.join('\n'),
    });
    i = j;
  }
  return blocks;
}

/** The blocks the harness executes: ```ts or ```typescript, not tagged `no-run`. */
export function runnableBlocks(markdown: string): CodeBlock[] {
  return extractCodeBlocks(markdown).filter(
    (b) => (b.lang === 'ts' || b.lang === 'typescript') && !b.flags.includes('no-run'),
  );
}

/** The page's text with fenced code blocks, inline code and HTML comments removed. */
function proseOf(markdown: string): string {
  const lines = markdown.split(/\r?\n/);
  const code = new Set<number>();
  for (const b of extractCodeBlocks(markdown)) {
    for (let l = b.line; l <= b.endLine; l++) code.add(l);
  }
  return lines
    .filter((_, i) => !code.has(i + 1))
    .join('\n')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

/** Whether a page has TeX math (`$...$` or `$$...$$`) outside code, so it must render some. */
export function hasMath(markdown: string): boolean {
  const prose = proseOf(markdown);
  return /\$\$[\s\S]+?\$\$/.test(prose) || /(^|[^\\$])\$[^\s$][^$\n]*?[^\s\\]?\$/.test(prose);
}

/** Read a page relative to `docs/`. */
export function readPage(page: string, root: string = docsRoot): string {
  return readFileSync(join(root, page), 'utf8');
}
