import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tutorial track, in reading order. The sidebar, the previous/next links and the tests read
 * it. The order is the one `tutorials/ORDER.md` gives; pages it does not name follow, by file
 * name, so a page that exists is never missing from the sidebar.
 */
export interface Tutorial {
  /** Page path under `docs/`, without the `.md` extension. */
  readonly path: string;
  /** The sidebar text: the position in the track and the page's title. */
  readonly title: string;
}

const docsDir = fileURLToPath(new URL('..', import.meta.url));

/** Files in `tutorials/` that are not tutorials. */
const notTutorials = new Set(['index.md', 'ORDER.md', 'README.md']);

/**
 * The pages an order list names, in order of first mention. A line may name a page as a file
 * (`03-activations.md`), a link (`[Activations](./03-activations)`) or a bare slug; the first
 * name on a line that `exists` accepts counts, other text is ignored.
 */
export function parseOrder(text: string, exists: (page: string) => boolean): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const names = [...line.matchAll(/(?:\.\/|\/)?((?:[\w-]+\/)*[\w-]+)(?:\.md)?/g)].map(
      (m) => `${m[1]}`,
    );
    const page = names.map((n) => n.replace(/^tutorials\//, '')).find((n) => exists(n));
    if (page !== undefined && !out.includes(page)) out.push(page);
  }
  return out;
}

/** The page's title: frontmatter `title:`, else its first `# ` heading, without a leading number. */
export function titleOf(markdown: string, fallback: string): string {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(markdown)?.[1];
  const fromFront = front && /^title:\s*['"]?(.+?)['"]?\s*$/m.exec(front)?.[1];
  const heading = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown.replace(/^---[\s\S]*?\n---/, ''))?.[1];
  const raw = fromFront || heading || fallback;
  return raw.replace(/^(?:tutorial\s+)?\d+[.:)]?\s+/i, '').trim();
}

/**
 * The track from the files under `dir`: ORDER.md's order first, then any page it leaves out.
 * Titles are numbered by position, so the sidebar reads as one sequence.
 */
export function readTutorials(dir: string = join(docsDir, 'tutorials')): Tutorial[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.md') && !notTutorials.has(f))
    .map((f) => f.slice(0, -'.md'.length))
    .sort();
  const orderFile = join(dir, 'ORDER.md');
  const listed = existsSync(orderFile)
    ? parseOrder(readFileSync(orderFile, 'utf8'), (p) => files.includes(p))
    : [];
  const slugs = [...listed, ...files.filter((f) => !listed.includes(f))];
  return slugs.map((slug, k) => ({
    path: `tutorials/${slug}`,
    title: `${k + 1}. ${titleOf(readFileSync(join(dir, `${slug}.md`), 'utf8'), slug)}`,
  }));
}

export const tutorials: readonly Tutorial[] = readTutorials();
