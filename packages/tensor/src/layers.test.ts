import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package's layers point only downward: core/ imports nothing else in the package,
// backends import only core/, ops/ never imports a backend, and no module cycle exists.
const src = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !e.name.startsWith('test-') ? [p] : [];
  });
}

/**
 * Module graph: file (relative to src, no extension) → the relative modules it imports.
 * With `runtimeOnly`, `import type` statements (erased when compiled) are left out.
 */
function importGraph(runtimeOnly = false): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const rel = relative(src, file).replace(/\.ts$/, '');
    const text = readFileSync(file, 'utf8');
    const statement = runtimeOnly
      ? /(?:^|\n)\s*(?:import|export)(?!\s+type\b)[^'"]*?from\s*'(\.{1,2}\/[^']+)'/g
      : /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*'(\.{1,2}\/[^']+)'/g;
    const specs = [...text.matchAll(statement)];
    // `import('./x').T` in type positions is an import too.
    const inline = runtimeOnly ? [] : [...text.matchAll(/import\('(\.{1,2}\/[^']+)'\)/g)];
    graph.set(
      rel,
      [...specs, ...inline].map((m) =>
        normalize(join(dirname(rel), m[1]!)).replace(/\/index$/, '/index'),
      ),
    );
  }
  return graph;
}

const layerOf = (m: string): string => {
  if (m.startsWith('core/')) return 'core';
  if (m.startsWith('backend/') || m.startsWith('wasm/')) return 'backend';
  if (m.startsWith('ops/')) return 'ops';
  return 'top';
};

const allowed: Record<string, readonly string[]> = {
  core: ['core'],
  backend: ['core', 'backend'],
  ops: ['core', 'ops'],
  top: ['core', 'backend', 'ops', 'top'],
};

describe('module layers', () => {
  const graph = importGraph();

  it('finds the modules', () => {
    expect(graph.has('core/array')).toBe(true);
    expect(graph.has('ops/elementwise')).toBe(true);
    expect(graph.size).toBeGreaterThan(30);
  });

  it('every import points down a layer or stays within one', () => {
    const bad: string[] = [];
    for (const [from, tos] of graph) {
      for (const to of tos) {
        if (!allowed[layerOf(from)]!.includes(layerOf(to))) bad.push(`${from} -> ${to}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycle at run time', () => {
    const runtime = importGraph(true);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (m: string, path: string[]): void => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...path.slice(path.indexOf(m)), m].join(' -> '));
        return;
      }
      state.set(m, 'open');
      for (const next of runtime.get(m) ?? []) visit(next, [...path, m]);
      state.set(m, 'done');
    };
    for (const m of runtime.keys()) visit(m, []);
    expect(cycles).toEqual([]);
  });
});
