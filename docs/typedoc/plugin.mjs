// @ts-check
/**
 * TypeDoc plugin for the docs' API reference, which is for users:
 * - members a class only inherits from outside the project (`Error`'s `stack`, `cause`,
 *   `captureStackTrace`, ... on every error class) are left out; Jute's own members and the
 *   constructors stay;
 * - the top-level functions of the packages listed in `groups.json` get a `@category` from
 *   the module that defines them (`ops/creation.ts` → Creation), without tags in the sources,
 *   so each topic renders as one section (and `split-pages.ts` makes each a page).
 */
import { readFileSync } from 'node:fs';
import { Comment, CommentTag, Converter, DeclarationReflection, ReflectionKind } from 'typedoc';

/** @type {{ packages: Record<string, Record<string, string>>, utilities: string, types: string }} */
const groups = JSON.parse(readFileSync(new URL('./groups.json', import.meta.url), 'utf8'));

/**
 * The group of a top-level export of a grouped package, from its defining file.
 * @param {string} file absolute path of the declaring source file
 * @param {Record<string, string>} byFile
 * @param {boolean} callable whether it is a function or a function-valued variable
 */
function groupOf(file, byFile, callable) {
  if (!callable) return groups.types;
  const normal = file.split('\\').join('/');
  for (const [suffix, group] of Object.entries(byFile)) {
    if (normal.endsWith(`/src/${suffix}`)) return group;
  }
  return groups.utilities;
}

/**
 * @param {DeclarationReflection} refl
 * @param {string} category
 */
function addCategory(refl, category) {
  const sig = refl.signatures?.[0];
  const holder = sig ?? refl;
  holder.comment ??= new Comment();
  holder.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: category }]));
}

/**
 * Whether a member comes, possibly through project classes (`ShapeError` ← `JuteError` ←
 * `Error`), from a declaration outside the project.
 * @param {import('typedoc').Reflection | undefined} refl
 * @returns {boolean}
 */
function inheritedFromOutside(refl) {
  const seen = new Set();
  let at = refl;
  while (at instanceof DeclarationReflection && at.inheritedFrom !== undefined && !seen.has(at)) {
    seen.add(at);
    const target = at.inheritedFrom.reflection;
    if (target === undefined) return true;
    // The reference may name the parent's signature: climb to its declaration.
    at = target instanceof DeclarationReflection ? target : target.parent;
  }
  return false;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  /** @type {WeakMap<import('typedoc').Reflection, string>} */
  const files = new WeakMap();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, refl) => {
    const file = context.getSymbolFromReflection(refl)?.declarations?.[0]?.getSourceFile().fileName;
    if (file !== undefined) files.set(refl, file);
  });
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      const project = context.project;
      const members = project.getReflectionsByKind(
        ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor,
      );
      for (const member of members) {
        if (inheritedFromOutside(member)) project.removeReflection(member);
      }
      // Each package is converted on its own (`entryPointStrategy: packages`): its exports are
      // the project's children, and where most of them are defined tells which package it is
      // (a package re-exporting a few of another's must not be grouped as that one).
      const children = project.children ?? [];
      /** @param {import('typedoc').Reflection} r */
      const fileOf = (r) => files.get(r)?.split('\\').join('/') ?? '';
      const pkg = Object.keys(groups.packages).find((name) => {
        const dir = `/packages/${name.replace(/^@jute\//, '')}/src/`;
        return children.filter((c) => fileOf(c).includes(dir)).length > children.length / 2;
      });
      if (pkg === undefined) return;
      for (const child of children) {
        const file = fileOf(child);
        if (child.kindOf(ReflectionKind.Namespace | ReflectionKind.Reference)) continue;
        const signatures =
          child.type?.type === 'reflection' ? (child.type.declaration.signatures?.length ?? 0) : 0;
        const callable =
          child.kindOf(ReflectionKind.Function) ||
          (child.kindOf(ReflectionKind.Variable) && signatures > 0);
        addCategory(child, groupOf(file, groups.packages[pkg] ?? {}, callable));
      }
    },
    // Before TypeDoc groups and categorises the members.
    200,
  );
}
