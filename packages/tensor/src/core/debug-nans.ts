import type { Array, ConcreteArray } from './array';
import type { TypedArray } from './dtype';
import { FloatingPointError, fmtShape } from './errors';

const SHORT: Record<string, string> = {
  float32: 'f32',
  float64: 'f64',
  int32: 'i32',
  bool: 'bool',
};

/** `f32[2,3]`, as jaxprs print an abstract value. */
const aval = (x: Array): string => `${SHORT[x.dtype] ?? x.dtype}${fmtShape(x.shape)}`;

/** The host data of a float array, or undefined (integer, traced, or on a device). */
function floatData(x: Array): TypedArray | undefined {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') return undefined;
  try {
    return (x as ConcreteArray).buffer;
  } catch {
    return undefined;
  }
}

function hasNan(x: Array): boolean {
  const data = floatData(x);
  if (data === undefined) return false;
  for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i]!)) return true;
  return false;
}

// Frames of Jute's own packages (sources in the workspace, builds in node_modules) and of
// the runtime; test files inside the packages are user code.
const JUTE_FRAME =
  /[\\/](?:packages[\\/][\w-]+[\\/](?:src|dist)|node_modules[\\/]@jute[\\/][\w-]+)[\\/]|node:internal|\(native\)|\(<anonymous>\)$/;
const TEST_FILE = /\.(?:test|spec|fixture)\.[cm]?[jt]s/;

/**
 * The first stack frame outside Jute (`file:line:col`, as the stack prints it), or
 * undefined when there is none.
 */
export function userCallSite(): string | undefined {
  // V8's frame limit (10 by default) is less than Jute's own depth under a transform.
  const E = Error as unknown as { stackTraceLimit: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 200;
  const stack = new Error().stack ?? '';
  E.stackTraceLimit = limit;
  for (const line of stack.split('\n').slice(1)) {
    const frame = line.trim();
    if (!frame.startsWith('at ') && !frame.includes('@')) continue;
    if (JUTE_FRAME.test(frame) && !TEST_FILE.test(frame)) continue;
    return frame.replace(/^at /, '');
  }
  return undefined;
}

/**
 * Throws a `FloatingPointError` when an output of `prim` holds NaN. `where` says which
 * equation of a compiled program ran it, if any.
 */
export function checkNans(
  prim: string,
  inputs: readonly Array[],
  outputs: readonly Array[],
  where?: string,
): void {
  const bad = outputs.findIndex(hasNan);
  if (bad < 0) return;
  const ins = inputs.map(aval).join(', ');
  const outs = outputs.map(aval).join(', ');
  const fromInput = inputs.some(hasNan) ? ' (an input already held NaN)' : '';
  const site = userCallSite();
  throw new FloatingPointError(
    `${prim} produced NaN${outputs.length > 1 ? ` in output ${bad}` : ''}: (${ins}) -> ${outs}${fromInput}` +
      `${where ? ` in ${where}` : ''}${site ? `, called at ${site}` : ''} (jt.config.debugNans)`,
  );
}
