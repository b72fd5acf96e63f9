import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';
import { copyMnistDigits, serveMnistDigits } from './mnist-files';
import { runnableFence } from './run-markdown';
import { keepEntrySideEffects, runModulesPlugin } from './run-modules';
import { tutorials } from './tutorials';

/**
 * TypeDoc writes `api/` (and its sidebar) before `vitepress build`; see `typedoc.json`.
 * Without it (a bare `vitepress dev`), the API section is a single link to the index.
 */
const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiSidebar: DefaultTheme.SidebarItem[] = existsSync(apiSidebarFile)
  ? (JSON.parse(readFileSync(apiSidebarFile, 'utf8')) as DefaultTheme.SidebarItem[])
  : [];

const tutorialsGroup: DefaultTheme.SidebarItem = {
  text: 'Tutorials',
  link: '/tutorials/',
  items: tutorials.map((t) => ({ text: t.title, link: `/${t.path}` })),
};
const playgroundGroup: DefaultTheme.SidebarItem = {
  text: 'Playground',
  items: [
    { text: 'Draw a digit', link: '/playground/draw-a-digit' },
    { text: 'WebGPU benchmark', link: '/benchmarks/webgpu' },
  ],
};
const architectureGroup: DefaultTheme.SidebarItem = {
  text: 'Architecture',
  items: [{ text: 'How Jute is built', link: '/architecture' }],
};

/**
 * The API tree has one entry per exported symbol; rendering it on every tutorial page would
 * bloat each page by the whole tree, so it is shown only under `/api/`.
 */
const sidebar: DefaultTheme.SidebarMulti = {
  '/api/': [
    { text: 'API reference', link: '/api/', items: apiSidebar },
    {
      text: 'Guides',
      items: [
        { text: 'Tutorials', link: '/tutorials/' },
        { text: 'Draw a digit', link: '/playground/draw-a-digit' },
        { text: 'Architecture', link: '/architecture' },
      ],
    },
  ],
  '/': [
    tutorialsGroup,
    playgroundGroup,
    architectureGroup,
    { text: 'API reference', items: [{ text: 'All packages', link: '/api/' }] },
  ],
};

/** TypeDoc's headings inside a symbol's entry: not worth a search result each. */
const apiSectionHeadings = new Set([
  'Parameters',
  'Returns',
  'Example',
  'Examples',
  'Type Parameters',
  'Throws',
  'Remarks',
  'See',
  'Overrides',
  'Inherited from',
  'Implementation of',
  'Extends',
  'Extended by',
  'Implements',
  'Constructors',
  'Constructor',
  'Properties',
  'Methods',
  'Accessors',
  'Call Signature',
  'Index Signature',
  'Deprecated',
  'Default Value',
  'Type Declaration',
  'Signature',
]);

export default defineConfig({
  title: 'Jute',
  description: 'A functional, JAX-style machine-learning library for TypeScript.',
  lang: 'en-US',
  // The harness' fixtures are Markdown on purpose (some fail); they are not pages.
  // tutorials/ORDER.md is the sidebar's order (read by tutorials.ts), not a page.
  srcExclude: ['test/**', 'README.md', 'tutorials/ORDER.md'],
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  vite: {
    resolve: {
      // The playground imports @jute/tensor and @jute/nn: take their TypeScript sources (the
      // `@jute/source` export condition), so the site needs no package build. VitePress 1.6
      // runs Vite 5, where these conditions are added to the built-in ones ('import',
      // 'module', 'browser', 'default', 'production'/'development'); 'module' and 'browser'
      // are listed anyway so the intent survives a move to Vite 6, whose list replaces them.
      conditions: ['@jute/source', 'module', 'browser'],
    },
    plugins: [runModulesPlugin(), keepEntrySideEffects(), serveMnistDigits()],
    // The Run buttons' worker imports Jute lazily (one chunk per package): ES module workers.
    worker: { format: 'es', plugins: () => [runModulesPlugin(), keepEntrySideEffects()] },
  },
  // The MNIST digits that the browser `loadMnist` fetches (from `/mnist/`), for the Run buttons.
  buildEnd(site) {
    copyMnistDigits(site.outDir);
  },
  markdown: {
    // Rendered at build time by markdown-it-mathjax3 into SVG: no client-side math runtime.
    math: true,
    // Runnable ```ts blocks are wrapped so the theme can give them Run buttons.
    config: (md) => {
      runnableFence(md);
    },
  },
  themeConfig: {
    nav: [
      { text: 'Tutorials', link: '/tutorials/' },
      { text: 'Playground', link: '/playground/draw-a-digit' },
      { text: 'Benchmark', link: '/benchmarks/webgpu' },
      { text: 'Architecture', link: '/architecture' },
      { text: 'API', link: '/api/' },
    ],
    sidebar,
    search: {
      provider: 'local',
      options: {
        // API pages are indexed by page and by symbol only: TypeDoc's section headings
        // (Parameters, Returns, Example, ...) and h5/h6 would otherwise fill every result list.
        _render(src, env, md) {
          const html = md.render(src, env);
          if (!env.relativePath.startsWith('api/')) return html;
          return html.replace(/<h([2-6])\b[^>]*>([\s\S]*?)<\/h\1>/g, (whole, level, inner) => {
            const text = String(inner)
              .replace(/<[^>]*>/g, '')
              .replace(/&[a-z#0-9]+;/g, '')
              .trim();
            return Number(level) >= 5 || apiSectionHeadings.has(text)
              ? `<p><strong>${inner}</strong></p>`
              : whole;
          });
        },
      },
    },
    outline: [2, 3],
    docFooter: { prev: 'Previous', next: 'Next' },
  },
});
