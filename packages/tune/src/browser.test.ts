import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from './index';
import * as nodeEntry from './node';

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

describe('the entries', () => {
  it('the main entry reaches no Node built-in module (it runs in browsers)', () => {
    const specs = [...reachableImports(join(here, 'index.ts'))];
    expect(specs.filter((s) => s.startsWith('node:'))).toEqual([]);
    expect(specs).toContain('@jute/tensor');
    // The walk does see Node imports where there are some.
    expect([...reachableImports(join(here, 'node.ts'))]).toContain('node:fs/promises');
  });

  it('@jute/tune/node is the main entry plus the file journal', () => {
    const extra = Object.keys(nodeEntry).filter((k) => !(k in core));
    expect(extra).toEqual(['fileJournal']);
  });
});
