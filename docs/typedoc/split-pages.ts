/**
 * Runs after TypeDoc (`pnpm api`): turns a grouped package's one long page into one page per
 * topic (the `## Creation`, `## Elementwise`, ... sections `plugin.mjs` makes), keeps links and
 * anchors pointing at the right page, lists the topics in the sidebar, and gives the API index
 * one line per package with its description.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Groups {
  readonly order: readonly string[];
  readonly packages: Readonly<Record<string, unknown>>;
  readonly types: string;
}

/** VitePress's heading anchor for a heading's plain text (the `@mdit-vue/shared` slugify). */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036F]/g, '')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: VitePress drops control characters.
      .replace(/[\u0000-\u001f]/g, '')
      .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, '')
      .replace(/^(\d)/, '_$1')
      .toLowerCase()
  );
}

/** The plain text of a heading's inline Markdown (code spans, links, escapes, emphasis). */
export function headingText(inline: string): string {
  return inline
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\(.)/g, '$1')
    .replace(/(\*\*|__|\*|_)(\S.*?\S|\S)\1/g, '$2')
    .trim();
}

const fenceRe = /^\s{0,3}(`{3,}|~{3,})/;

/** For each line of a page: the heading level there (0 for none), skipping fenced code. */
export function headingLevels(lines: readonly string[]): number[] {
  let fence: string | undefined;
  return lines.map((line) => {
    const f = fenceRe.exec(line);
    if (f) {
      const mark = f[1]!;
      if (fence === undefined) fence = mark;
      else if (mark[0] === fence[0] && mark.length >= fence.length) fence = undefined;
      return 0;
    }
    if (fence !== undefined) return 0;
    const h = /^(#{1,6})\s/.exec(line);
    return h ? h[1]!.length : 0;
  });
}

/** The anchors VitePress gives a page's headings (h1 included), repeats numbered `-1`, `-2`. */
export function headingAnchors(lines: readonly string[]): Map<number, string> {
  const levels = headingLevels(lines);
  const used = new Set<string>();
  const out = new Map<number, string>();
  lines.forEach((line, i) => {
    const level = levels[i]!;
    if (level === 0) return;
    const base = slugify(headingText(line.slice(level + 1).replace(/\s#+\s*$/, '')));
    // markdown-it-anchor's uniqueSlug: the first free of base, base-1, base-2, ...
    let slug = base;
    for (let n = 1; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    out.set(i, slug);
  });
  return out;
}

/** A page cut at its `## ` headings. */
export function splitSections(md: string): {
  preamble: string[];
  sections: Array<{ title: string; lines: string[] }>;
} {
  const lines = md.split('\n');
  const levels = headingLevels(lines);
  const preamble: string[] = [];
  const sections: Array<{ title: string; lines: string[] }> = [];
  lines.forEach((line, i) => {
    if (levels[i] === 2) sections.push({ title: headingText(line.slice(3)), lines: [] });
    else if (sections.length === 0) preamble.push(line);
    else sections[sections.length - 1]!.lines.push(line);
  });
  return { preamble, sections };
}

/** Raises every heading of `lines` (outside code) by one level: `### f()` becomes `## f()`. */
export function promoteHeadings(lines: readonly string[]): string[] {
  const levels = headingLevels(lines);
  return lines.map((line, i) => (levels[i]! > 2 ? line.slice(1) : line));
}

/** A file name for a topic: `Shape and indexing` → `shape-and-indexing`. */
export const topicSlug = (title: string): string => slugify(title).replace(/_/g, '');

/** One output page: where it goes, where its text came from, and its lines. */
export interface OutPage {
  readonly file: string;
  readonly from: string;
  readonly lines: string[];
}

/**
 * The pages a grouped package's page becomes: an index (its preamble, a line per topic, the
 * sections that are not topics), and a page per topic section (types included), headings
 * raised so that each function is an `##`.
 */
export function splitPackagePage(
  file: string,
  md: string,
  groups: Groups,
  namespaces: readonly string[] = [],
): OutPage[] {
  const { preamble, sections } = splitSections(md);
  const dir = dirname(file);
  const crumbs = preamble.find((l) => l.startsWith('[API reference]')) ?? '';
  const title = /^# (.+)$/m.exec(preamble.join('\n'))?.[1] ?? 'package';
  const topics = sections.filter((s) => groups.order.includes(s.title));
  const rest = sections.filter((s) => !groups.order.includes(s.title));
  const pages: OutPage[] = [];
  const list: string[] = [];
  for (const s of topics) {
    const name = `${topicSlug(s.title)}.md`;
    const levels = headingLevels(s.lines);
    const members = s.lines
      .filter((_, i) => levels[i] === 3)
      .map((l) => headingText(l.slice(4)).replace(/^abstract\s+/, ''));
    const shown = members.slice(0, 12).map((m) => `\`${m.replace(/\(\)$/, '')}\``);
    const more = members.length > 12 ? `, … (${members.length} in all)` : '';
    list.push(`- [${s.title}](${name}): ${shown.join(', ')}${more}`);
    pages.push({
      file: join(dir, name),
      from: file,
      lines: [
        crumbs.replace(/ \/ ([^\s[\]]+)$/, ` / [$1](index.md) / ${s.title}`),
        '',
        `# ${title}: ${s.title}`,
        ...promoteHeadings(s.lines),
      ],
    });
  }
  const index: string[] = [...preamble];
  while (index.length > 0 && index[index.length - 1]!.trim() === '') index.pop();
  const spaces = namespaces.map((n) => `- [\`${n}\`](namespaces/${n}.md): the \`${n}\` namespace`);
  index.push('', '## Topics', '', ...list, ...spaces, '');
  for (const s of rest) index.push(`## ${s.title}`, ...s.lines);
  pages.unshift({ file, from: file, lines: index });
  return pages;
}

/**
 * Rewrites the links of `page` for pages that moved: `moved` maps `file#anchor` of the old
 * pages to `file#anchor` of the new ones. Link paths are resolved against the page's origin.
 */
export function rewriteLinks(page: OutPage, moved: ReadonlyMap<string, string>): string[] {
  let fence = false;
  return page.lines.map((line) => {
    if (fenceRe.test(line)) fence = !fence;
    if (fence) return line;
    return line.replace(
      /\]\(([^)\s]*?)(?:#([^)\s]*))?\)/g,
      (whole, path: string, anchor?: string) => {
        if (/^[a-z]+:/i.test(path) || anchor === undefined) return whole;
        const target = path === '' ? page.from : resolve(dirname(page.from), path);
        const to = moved.get(`${target}#${anchor}`);
        if (to === undefined) return whole;
        const [file, a] = to.split('#') as [string, string];
        if (file === page.file) return `](#${a})`;
        return `](${relative(dirname(page.file), file).split(sep).join('/')}#${a})`;
      },
    );
  });
}

/** `old file#anchor` → `new file#anchor` for every heading of the split pages. */
export function movedAnchors(
  file: string,
  original: string,
  pages: readonly OutPage[],
): Map<string, string> {
  const oldLines = original.split('\n');
  const oldAnchors = headingAnchors(oldLines);
  const levels = headingLevels(oldLines);
  // Headings keep their order across the split: pair the k-th heading of a topic (below its
  // `##`) in the old page with the k-th heading of its new page.
  const moved = new Map<string, string>();
  const byTitle = new Map<string, string[]>(); // section title -> old anchors of its headings
  let current: string | undefined;
  oldLines.forEach((line, i) => {
    if (levels[i] === 2) {
      current = headingText(line.slice(3));
      byTitle.set(current, []);
    } else if (levels[i]! > 2 && current !== undefined)
      byTitle.get(current)!.push(oldAnchors.get(i)!);
  });
  for (const page of pages) {
    if (page.file === file) continue;
    const title = /^# .+?: (.+)$/m.exec(page.lines.join('\n'))?.[1] ?? '';
    const olds = byTitle.get(title) ?? [];
    const newAnchors = headingAnchors(page.lines);
    const pageLevels = headingLevels(page.lines);
    const news = page.lines.map((_, i) => (pageLevels[i]! > 1 ? newAnchors.get(i) : undefined));
    const kept = news.filter((a): a is string => a !== undefined);
    olds.forEach((a, k) => {
      if (kept[k] !== undefined) moved.set(`${file}#${a}`, `${page.file}#${kept[k]}`);
    });
    const topicAnchor = oldAnchors.get(
      levels.findIndex((l, i) => l === 2 && headingText(oldLines[i]!.slice(3)) === title),
    );
    if (topicAnchor !== undefined) moved.set(`${file}#${topicAnchor}`, `${page.file}#`);
  }
  return moved;
}

/** Every `.md` file under `dir`. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? markdownFiles(full) : e.name.endsWith('.md') ? [full] : [];
  });
}

interface SidebarItem {
  text: string;
  link?: string;
  collapsed?: boolean;
  items?: SidebarItem[];
}

/** The API index: one line per package, its name linked, then its description. */
export function indexWithDescriptions(
  md: string,
  describe: (pkg: string) => string | undefined,
): string {
  return md.replace(
    /^- \[(@jute\/[\w-]+)\]\(([^)]+)\)\s*$/gm,
    (line, name: string, link: string) => {
      const d = describe(name);
      return d === undefined ? line : `- [${name}](${link}): ${d}`;
    },
  );
}

/** Splits the grouped packages' pages under `apiDir` and updates the sidebar and the index. */
export function splitApi(
  apiDir: string,
  groups: Groups,
  describe: (pkg: string) => string | undefined,
): string[] {
  const written: string[] = [];
  const all = markdownFiles(apiDir);
  const pages: OutPage[] = [];
  const moved = new Map<string, string>();
  const split = new Set<string>();
  const sidebarFile = join(apiDir, 'typedoc-sidebar.json');
  const sidebar = existsSync(sidebarFile)
    ? (JSON.parse(readFileSync(sidebarFile, 'utf8')) as SidebarItem[])
    : [];
  for (const pkg of Object.keys(groups.packages)) {
    const candidates = [join(apiDir, `${pkg}/index.md`), join(apiDir, `${pkg}.md`)];
    const file = candidates.find((f) => existsSync(f));
    if (file === undefined) continue;
    const original = readFileSync(file, 'utf8');
    const nsDir = join(dirname(file), 'namespaces');
    const namespaces = existsSync(nsDir)
      ? readdirSync(nsDir)
          .filter((f) => f.endsWith('.md'))
          .map((f) => f.slice(0, -3))
          .sort()
      : [];
    const out = splitPackagePage(
      file,
      original,
      groups,
      file.endsWith('index.md') ? namespaces : [],
    );
    for (const [k, v] of movedAnchors(file, original, out)) moved.set(k, v);
    pages.push(...out);
    split.add(file);
    const item = sidebar.find((s) => s.text === pkg);
    if (item) {
      const topics = out
        .filter((p) => p.file !== file)
        .map((p) => ({
          text: /^# .+?: (.+)$/m.exec(p.lines.join('\n'))?.[1] ?? p.file,
          link: `/${posix.join('api', relative(apiDir, p.file).split(sep).join('/'))}`,
        }));
      const others = (item.items ?? []).filter((i) => i.text !== 'Topics');
      item.items = [{ text: 'Topics', items: topics }, ...others];
    }
  }
  for (const f of all)
    if (!split.has(f)) pages.push({ file: f, from: f, lines: readFileSync(f, 'utf8').split('\n') });
  for (const p of pages) {
    let text = rewriteLinks(p, moved).join('\n');
    if (p.file === join(apiDir, 'index.md')) text = indexWithDescriptions(text, describe);
    writeFileSync(p.file, text);
    written.push(p.file);
  }
  if (existsSync(sidebarFile)) writeFileSync(sidebarFile, JSON.stringify(sidebar));
  return written;
}

/** `@jute/tensor` → the `description` of `packages/tensor/package.json`. */
function packageDescription(root: string): (pkg: string) => string | undefined {
  return (pkg) => {
    const file = join(root, 'packages', pkg.replace(/^@jute\//, ''), 'package.json');
    if (!existsSync(file)) return undefined;
    const d = (JSON.parse(readFileSync(file, 'utf8')) as { description?: string }).description;
    return d?.replace(/\s+/g, ' ').trim();
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const docs = fileURLToPath(new URL('..', import.meta.url));
  const groups = JSON.parse(readFileSync(join(docs, 'typedoc', 'groups.json'), 'utf8')) as Groups;
  const written = splitApi(join(docs, 'api'), groups, packageDescription(join(docs, '..')));
  console.log(`api: ${written.length} pages written`);
}
