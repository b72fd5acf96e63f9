// @ts-check
/**
 * TypeDoc's options: `typedoc.json`, with the entry points computed. Every published library
 * under `packages/` is documented (one with a `src/index.ts` that is not `private`), so a new
 * package appears in the reference by itself, and a private test package never breaks it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const packages = join(here, '..', 'packages');
// typedoc.json keeps `entryPoints: []`: run TypeDoc with `--options typedoc.config.mjs`.
const base = JSON.parse(readFileSync(join(here, 'typedoc.json'), 'utf8'));

/** @param {string} dir */
const published = (dir) => {
  const file = join(packages, dir, 'package.json');
  if (!existsSync(file) || !existsSync(join(packages, dir, 'src', 'index.ts'))) return false;
  return JSON.parse(readFileSync(file, 'utf8')).private !== true;
};

export default {
  ...base,
  entryPoints: readdirSync(packages)
    .filter(published)
    .sort()
    .map((dir) => `../packages/${dir}`),
};
