import { defineProject } from 'vitest/config';

/**
 * Every project resolves `@jute/*` through the `@jute/source` export condition,
 * so tests run against TypeScript sources and never need a build first.
 */
export const juteProject = (name: string) =>
  defineProject({
    resolve: { conditions: ['@jute/source', 'module', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@jute/source', 'module', 'node', 'import', 'default'] } },
    test: { name, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
  });
