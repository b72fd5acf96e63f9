import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';
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
        { text: 'Architecture', link: '/architecture' },
      ],
    },
  ],
  '/': [
    tutorialsGroup,
    architectureGroup,
    { text: 'API reference', items: [{ text: 'All packages', link: '/api/' }] },
  ],
};

export default defineConfig({
  title: 'Jute',
  description: 'A functional, JAX-style machine-learning library for TypeScript.',
  lang: 'en-US',
  // The harness' fixtures are Markdown on purpose (some fail); they are not pages.
  srcExclude: ['test/**', 'README.md'],
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  markdown: {
    // Rendered at build time by markdown-it-mathjax3 into SVG: no client-side math runtime.
    math: true,
  },
  themeConfig: {
    nav: [
      { text: 'Tutorials', link: '/tutorials/' },
      { text: 'Architecture', link: '/architecture' },
      { text: 'API', link: '/api/' },
    ],
    sidebar,
    search: { provider: 'local' },
    outline: [2, 3],
    docFooter: { prev: 'Previous', next: 'Next' },
  },
});
