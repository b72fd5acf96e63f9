import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import DrawDigit from './DrawDigit.vue';

/** The default theme plus the site's own components (used in Markdown by name). */
export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('DrawDigit', DrawDigit);
  },
} satisfies Theme;
