import type { MarkdownRenderer } from 'vitepress';

/**
 * Whether a fence's info string (`ts no-run {2}`) makes a runnable block: the same rule as the
 * docs' test harness (`test/markdown.ts`), so the page's Run buttons and the Node test see the
 * same blocks in the same order.
 */
export function isRunnableInfo(info: string): boolean {
  const [lang, ...flags] = info
    .replace(/\{[^}]*\}/g, ' ')
    .trim()
    .split(/\s+/);
  return (lang === 'ts' || lang === 'typescript') && !flags.includes('no-run');
}

/**
 * Wraps runnable fences in `<div class="jute-run">` (VitePress's own rendering inside). A file
 * shown with `<<< @/path.ts` (a fence token with `src`) is a file to read, not a block to run.
 */
export function runnableFence(md: MarkdownRenderer): void {
  const fence = md.renderer.rules.fence;
  if (fence === undefined) return;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const html = fence(tokens, idx, options, env, self);
    const token = tokens[idx] as (typeof tokens)[number] & { src?: unknown };
    return token && token.src === undefined && isRunnableInfo(token.info)
      ? `<div class="jute-run">${html}</div>`
      : html;
  };
}
