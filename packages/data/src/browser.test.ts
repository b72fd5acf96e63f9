import { describe, expect, it } from 'vitest';
import { expectBrowserSafe } from '../../../scripts/test-helpers/node-imports';
import * as browser from './browser';
import * as full from './index';

describe('the browser entry', () => {
  it('reaches no Node built-in module', () =>
    expectBrowserSafe(
      new URL('./browser.ts', import.meta.url),
      new URL('./index.ts', import.meta.url),
    ));

  it('is the Node entry minus the file loaders', () => {
    const missing = Object.keys(full).filter((k) => !(k in browser));
    expect(missing.sort()).toEqual([
      'loadTextCorpus',
      'readCsv',
      'readIdx',
      'readIdxRaw',
      'readSafetensors',
      'writeSafetensors',
    ]);
  });
});
