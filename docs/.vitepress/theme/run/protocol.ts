/** Messages between a page's Run buttons and the worker that runs the code. */
import type { Figure } from '../../../tutorials/plot';

/** Run `blocks` (TypeScript, in page order) as one program; report what block `target` prints. */
export interface RunRequest {
  readonly type: 'run';
  readonly blocks: readonly string[];
  readonly target: number;
}

export type RunEvent =
  | { readonly type: 'log'; readonly method: string; readonly text: string }
  | { readonly type: 'figure'; readonly figure: Figure }
  | { readonly type: 'done'; readonly ms: number }
  | { readonly type: 'error'; readonly text: string; readonly ms: number };

/**
 * The program the worker runs: the blocks in order, each after a call naming it, so that only
 * the target block's console output is shown (the blocks before it run for their variables).
 * One line per marker keeps the code's own line numbers easy to find in errors.
 */
export function joinBlocks(blocks: readonly string[], marker: string): string {
  return blocks.map((code, k) => `${marker}(${k});\n${code}`).join('\n');
}

/** Which block, and which line of it (1-based), a line of {@link joinBlocks}' program is. */
export function locate(
  blocks: readonly string[],
  programLine: number,
): { readonly block: number; readonly line: number } | undefined {
  let start = 1;
  for (let k = 0; k < blocks.length; k++) {
    start++; // the marker line
    const n = blocks[k]!.split('\n').length;
    if (programLine >= start && programLine < start + n) {
      return { block: k, line: programLine - start + 1 };
    }
    start += n;
  }
  return undefined;
}

/** `fp-ts/lib/function.js`, `fp-ts/es6/function`, `fp-ts/function`: one module. */
export function canonicalSpecifier(spec: string): string {
  const fp = /^fp-ts\/(?:lib\/|es6\/)?([\w-]+)(?:\.js)?$/.exec(spec);
  return fp ? `fp-ts/${fp[1]}` : spec;
}

/** Whether `spec` names the tutorials' figure helper, `./plot.js` (`docs/tutorials/plot.ts`). */
export const isPlotSpecifier = (spec: string): boolean => /^\.\/plot(?:\.[jt]s)?$/.test(spec);

/** The message of a call to an export only the Node build of a package has (`loadMnist`). */
export const nodeOnly = (spec: string, name: string): string =>
  `${spec}: '${name}' runs in Node only (it reads files); run this block with Node to use it`;

/** The message of an import of a module the page cannot load (`node:fs`, a Node-only package). */
export const nodeOnlyModule = (spec: string): string =>
  `'${spec}' runs in Node only (files, processes); run this block with Node to use it`;
