import type { DType } from './dtype';
import type { Jaxpr, Var } from './jaxpr';
import { nestedJaxprs } from './jaxpr';

const SHORT: Record<DType, string> = { float32: 'f32', float64: 'f64', int32: 'i32', bool: 'bool' };

/** Names `a, b, ..., z, ba, bb, ...` in order of first appearance, as JAX prints them. */
function namer(): (v: Var) => string {
  const names = new Map<Var, string>();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const nameOf = (n: number): string =>
    n < 26 ? letters[n]! : nameOf(Math.floor(n / 26)) + letters[n % 26]!;
  return (v) => {
    let s = names.get(v);
    if (s === undefined) {
      s = nameOf(names.size);
      names.set(v, s);
    }
    return s;
  };
}

const NESTED = new Set(['jaxpr', 'bodyJaxpr', 'condJaxpr', 'branchJaxprs']);

function formatParam(value: unknown): string | undefined {
  if (typeof value === 'function') return undefined;
  if (Array.isArray(value)) {
    const parts = value.map(formatParam);
    if (parts.some((p) => p === undefined)) return undefined;
    return `(${parts.join(',')}${value.length === 1 ? ',' : ''})`;
  }
  if (value !== null && typeof value === 'object') {
    if ('shape' in value && 'dtype' in value) {
      const a = value as { shape: readonly number[]; dtype: DType };
      return `${SHORT[a.dtype]}[${a.shape.join(',')}]`;
    }
    return undefined;
  }
  return String(value);
}

function formatParams(params: unknown): string {
  const entries = Object.entries(params as Record<string, unknown>).flatMap(([k, v]) => {
    if (NESTED.has(k)) return [];
    const s = formatParam(v);
    return s === undefined ? [] : [`${k}=${s}`];
  });
  return entries.length ? `[${entries.join(' ')}]` : '';
}

function format(jaxpr: Jaxpr, indent: string, name: (v: Var) => string): string {
  const typed = (v: Var) => `${name(v)}:${SHORT[v.aval.dtype]}[${v.aval.shape.join(',')}]`;
  const consts = jaxpr.constVars.map(typed).join(' ');
  const ins = jaxpr.inVars.map(typed).join(' ');
  const lines = jaxpr.eqns.map((e) => {
    const lhs = e.outs.map(typed).join(' ');
    const rhs = `${e.prim}${formatParams(e.params)} ${e.inputs.map(name).join(' ')}`;
    const inner = nestedJaxprs(e)
      .map((j) => `\n${indent}      ${format(j, `${indent}      `, name)}`)
      .join('');
    return `${indent}    ${lhs} = ${rhs}${inner}`;
  });
  const outs = jaxpr.outs.map(name).join(', ');
  const head = `{ lambda ${consts}${consts ? '; ' : ''}${ins}. let`;
  return `${head}\n${lines.join('\n')}\n${indent}  in (${outs}${jaxpr.outs.length === 1 ? ',' : ''}) }`;
}

/**
 * The readable text of a jaxpr, in JAX's notation:
 * ```
 * { lambda a:f32[3]. let
 *     b:f32[3] = sin a
 *     c:f32[] = reduce_sum[axes=(0,)] b
 *   in (c,) }
 * ```
 */
export function jaxprToString(jaxpr: Jaxpr): string {
  return format(jaxpr, '', namer());
}
