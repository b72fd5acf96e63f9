#!/usr/bin/env node
// Checks what `changeset version` would do, without doing it:
// - private packages (apps, app-kit, docs, bench) are never versioned;
// - a package that was never released (no CHANGELOG.md yet) is published first at the
//   version in its package.json, so no pending changeset may bump it;
// - every published package's package.json follows scripts/package-conventions.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** name -> { dir, private } for every workspace package. */
function workspacePackages() {
  const out = new Map();
  for (const group of ['packages', 'apps']) {
    for (const d of readdirSync(join(root, group))) {
      const file = join(root, group, d, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      out.set(pkg.name, { dir: join(root, group, d), private: pkg.private === true });
    }
  }
  return out;
}

/**
 * The plan `changeset version` would carry out. Through the library, because the CLI's
 * `status` refuses to report while the branch has changes without a changeset.
 */
async function releasePlan() {
  const require = createRequire(import.meta.url);
  const cli = realpathSync(dirname(require.resolve('@changesets/cli/package.json')));
  const lib = createRequire(join(cli, 'package.json'));
  const { default: getReleasePlan } = await import(
    pathToFileURL(lib.resolve('@changesets/get-release-plan')).href
  );
  return (getReleasePlan.default ?? getReleasePlan)(root);
}

const problems = [];
const packages = workspacePackages();
for (const r of (await releasePlan()).releases) {
  const pkg = packages.get(r.name);
  if (r.type === 'none' || pkg === undefined) continue;
  if (pkg.private) problems.push(`${r.name} is private but would be versioned (${r.newVersion})`);
  else if (!existsSync(join(pkg.dir, 'CHANGELOG.md'))) {
    problems.push(
      `${r.name} was never released, but a changeset would move it from ${r.oldVersion} to ` +
        `${r.newVersion}: its first release is the package.json version; drop the changeset`,
    );
  }
}
try {
  execFileSync('node', [join(root, 'scripts/package-conventions.mjs'), '--check'], {
    stdio: 'inherit',
  });
} catch {
  problems.push('package.json conventions (above)');
}
if (problems.length > 0) {
  console.error(`check-release:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check-release: ok');
