/**
 * Preloaded (`node --import`) into the child process that runs a page's code as a reader would.
 * Leaves the page's code untouched: it records each console call, with the line of the page's
 * file it was made from (Node's source maps make stack lines those of the `.ts` file), into the
 * JSON-lines file named by JUTE_DOCS_CAPTURE, and still prints it. Plain JavaScript: the child
 * is plain Node, with no TypeScript loader.
 */
import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatWithOptions } from 'node:util';

const out = process.env.JUTE_DOCS_CAPTURE;
const file = process.env.JUTE_DOCS_PAGE_FILE;

if (out !== undefined && file !== undefined) {
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = new RegExp(`${name}:(\\d+):\\d+`, 'g');
  for (const method of /** @type {const} */ (['log', 'info', 'warn', 'error'])) {
    const original = console[method].bind(console);
    console[method] = (...args) => {
      // The innermost frame in the page is the call's own line; the outermost, the top-level
      // statement running, which tells the block (a function of block 1 called by block 3
      // prints for block 3).
      const lines = [...(new Error().stack ?? '').matchAll(at)].map((m) => Number(m[1]));
      const text = formatWithOptions({ colors: false }, ...args);
      const record = { line: lines[0] ?? 0, top: lines[lines.length - 1] ?? 0, method, text };
      appendFileSync(out, `${JSON.stringify(record)}\n`);
      original(...args);
    };
  }
}
