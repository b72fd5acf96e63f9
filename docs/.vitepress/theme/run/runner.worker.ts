/**
 * Runs the code of a page's blocks in a Web Worker: strips the TypeScript (sucrase: types and
 * `import` to `require`, lines kept), loads the modules it imports from the ones bundled for
 * the page (`virtual:jute-run-modules`: the Jute packages and fp-ts), and runs it as the body
 * of an async function, so top-level `await` works. Console output is posted back as Node
 * would print it, and so are the figures of `plot` (`./plot.js`), which prints as in Node and
 * is also drawn under the block.
 */

import { loaders } from 'virtual:jute-run-modules';
import { transform } from 'sucrase';
import { type Curve, describeFigure, type Figure, type PlotOptions } from '../../../tutorials/plot';
import { formatLog } from './format-log';
import {
  canonicalSpecifier,
  isPlotSpecifier,
  joinBlocks,
  locate,
  nodeOnly,
  nodeOnlyModule,
  type RunEvent,
  type RunRequest,
} from './protocol';

const post = (e: RunEvent): void => self.postMessage(e);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>;

const marker = '__juteBlock';

function describe(err: unknown): string {
  if (err instanceof Error)
    return err.name === 'Error' ? err.message : `${err.name}: ${err.message}`;
  return String(err);
}

/**
 * A package as the page's code sees it: its browser build, where a name the browser build
 * lacks (`loadMnist`, which reads files) is a function that says it runs in Node only,
 * rather than `undefined is not a function`. `__esModule` keeps sucrase's import helpers
 * from copying the module (which would drop this lookup).
 */
function browserFacade(spec: string, mod: unknown): unknown {
  if (typeof mod !== 'object' || mod === null || !spec.startsWith('@jute/')) return mod;
  return new Proxy(mod, {
    get(target, key) {
      if (key === '__esModule') return true;
      if (key in target || typeof key !== 'string' || key === 'then' || key === 'default') {
        return Reflect.get(target, key);
      }
      return () => {
        throw new Error(nodeOnly(spec, key));
      };
    },
  });
}

/**
 * Where in the page's blocks an error was thrown, from the stack frame of the code's own
 * function (`<anonymous>:LINE`, counted from the two lines of the function's header).
 */
function where(err: unknown, blocks: readonly string[]): string {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  const m = /<anonymous>:(\d+):\d+/.exec(stack);
  const at = m ? locate(blocks, Number(m[1]) - 2) : undefined;
  return at ? `\n    at line ${at.line} of block ${at.block + 1}` : '';
}

async function run(req: RunRequest): Promise<void> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  try {
    const { code } = transform(joinBlocks(req.blocks, marker), {
      transforms: ['typescript', 'imports'],
      production: true,
      disableESTransforms: true,
    });
    let current = -1;
    const show =
      (method: string) =>
      (...args: unknown[]): void => {
        if (current === req.target) post({ type: 'log', method, text: formatLog(args) });
      };
    const pageConsole = {
      ...console,
      log: show('log'),
      info: show('info'),
      warn: show('warn'),
      error: show('error'),
      debug: show('debug'),
    };
    // `plot` as Node runs it (the same lines, through the page's console), plus the drawing.
    const plotModule = {
      __esModule: true,
      describeFigure,
      plot: (curves: readonly Curve[], options: PlotOptions = {}): Figure => {
        const figure: Figure = { curves, options };
        for (const line of describeFigure(figure)) pageConsole.log(line);
        if (current === req.target) post({ type: 'figure', figure });
        return figure;
      },
    };
    const modules = new Map<string, unknown>();
    for (const m of code.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)) {
      const spec = m[2]!;
      if (isPlotSpecifier(spec)) {
        modules.set(spec, plotModule);
        continue;
      }
      if (spec.startsWith('node:')) throw new Error(nodeOnlyModule(spec));
      const load = loaders[canonicalSpecifier(spec)];
      if (load === undefined) {
        throw new Error(
          `'${spec}' cannot be loaded in the page (only Jute's packages, fp-ts and ./plot.js)`,
        );
      }
      let mod: unknown;
      try {
        mod = await load();
      } catch {
        // A package whose browser build still needs Node (files) fails as it loads.
        throw new Error(nodeOnlyModule(spec));
      }
      modules.set(spec, browserFacade(spec, mod));
    }
    const require = (spec: string): unknown => modules.get(spec);
    const body = new AsyncFunction('require', 'exports', 'console', marker, code);
    await body(require, {}, pageConsole, (k: number) => {
      current = k;
    });
    post({ type: 'done', ms: ms() });
  } catch (err) {
    post({ type: 'error', text: describe(err) + where(err, req.blocks), ms: ms() });
  }
}

self.addEventListener('message', (e: MessageEvent<RunRequest>) => {
  if (e.data.type === 'run') void run(e.data);
});
self.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
  post({ type: 'error', text: `unhandled rejection: ${describe(e.reason)}`, ms: 0 });
});
