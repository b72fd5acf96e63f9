import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browser from './browser';
import * as full from './index';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module specifier reachable from `file` through relative imports. */
function reachableImports(file: string, seen = new Set<string>()): Set<string> {
  const specifiers = new Set<string>();
  if (seen.has(file)) return specifiers;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, spec] of source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
    if (spec!.startsWith('.')) {
      for (const s of reachableImports(join(dirname(file), `${spec}.ts`), seen)) specifiers.add(s);
    } else specifiers.add(spec!);
  }
  return specifiers;
}

describe('the browser entry', () => {
  it('reaches no Node built-in module', () => {
    const specs = [...reachableImports(join(here, 'browser.ts'))];
    expect(specs.filter((s) => s.startsWith('node:'))).toEqual([]);
    expect(specs).toContain('@jute/tensor');
    // The walk does see Node imports where there are some.
    expect([...reachableImports(join(here, 'index.ts'))]).toContain('node:fs/promises');
  });

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
