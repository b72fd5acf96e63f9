import type { DType, TypedArray } from './dtype';
import type { Shape } from './shape';

/** Nested JS arrays from row-major data. */
export function toNested(data: TypedArray, shape: Shape, dtype: DType): unknown {
  const conv = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(data[0]!);
  let offset = 0;
  const build = (axis: number): unknown[] => {
    const n = shape[axis]!;
    const out: unknown[] = new globalThis.Array(n);
    for (let i = 0; i < n; i++)
      out[i] = axis === shape.length - 1 ? conv(data[offset++]!) : build(axis + 1);
    return out;
  };
  return build(0);
}

function formatElement(v: number, dtype: DType): string {
  if (dtype === 'bool') return v !== 0 ? 'true' : 'false';
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  // `${-0}` is '0'; NumPy prints the sign of a negative zero.
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${Object.is(v, -0) ? '-0' : v}.`;
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e16)
    ? v.toExponential(4)
    : String(Number(v.toPrecision(dtype === 'float32' ? 7 : 15)));
}

/** NumPy-style text: `array([[1., 2.], [3., 4.]], dtype=float32)`; long arrays are elided. */
export function formatArray(data: TypedArray, shape: Shape, dtype: DType): string {
  const cells = Array.from(data, (v) => formatElement(v, dtype));
  const width = Math.max(0, ...cells.map((c) => c.length));
  const edge = 3;
  let offset = 0;
  const render = (axis: number, indent: string): string => {
    if (axis === shape.length) return cells[offset++]!.padStart(width);
    const n = shape[axis]!;
    const parts: string[] = [];
    const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) {
      if (n > 2 * edge + 1 && i === edge) {
        parts.push('...');
        offset += inner * (n - 2 * edge);
        i = n - edge - 1;
        continue;
      }
      parts.push(render(axis + 1, `${indent} `));
    }
    const sep = axis === shape.length - 1 ? ', ' : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, '      ');
  return dtype === 'float32' ? `array(${body})` : `array(${body}, dtype=${dtype})`;
}
