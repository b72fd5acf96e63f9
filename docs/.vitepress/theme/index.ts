import type { Theme } from 'vitepress';
import { onContentUpdated } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import DrawDigit from './DrawDigit.vue';
import { enhanceRunnableBlocks } from './run/run-buttons';
import './custom.css';

/** The default theme plus the site's own components (used in Markdown by name) and Run buttons. */
export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('DrawDigit', DrawDigit);
  },
  setup() {
    // Each page's blocks get their buttons once its content is in the DOM: VitePress calls
    // this when the content mounts (first load) and after every client-side navigation.
    onContentUpdated(() => enhanceRunnableBlocks());
  },
} satisfies Theme;
