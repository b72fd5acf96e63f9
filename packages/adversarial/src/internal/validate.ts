import * as jt from '@jute/tensor';
import type { AttackOptions, Norm } from '../attack';

/** Options after validation, with defaults filled in. */
export interface ThreatModel {
  readonly eps: number;
  readonly norm: Norm;
  readonly range: readonly [number, number] | null;
  readonly targeted: boolean;
}

/** Checks the options every attack shares; errors name the attack. */
export function threatModel(fn: string, o: AttackOptions): ThreatModel {
  if (!(Number.isFinite(o.eps) && o.eps >= 0))
    throw new jt.ValueError(`${fn}: eps must be a finite number >= 0, got ${o.eps}`);
  const norm = o.norm ?? 'linf';
  if (norm !== 'linf' && norm !== 'l2')
    throw new jt.ValueError(`${fn}: norm must be 'linf' or 'l2', got ${String(norm)}`);
  const range = o.range === undefined ? ([0, 1] as const) : o.range;
  if (range !== null && !(range[0] < range[1]))
    throw new jt.ValueError(
      `${fn}: range must be [lo, hi] with lo < hi, got [${range.join(', ')}]`,
    );
  return { eps: o.eps, norm, range, targeted: o.targeted ?? false };
}

/** Checks a batch: float inputs `[batch, ...]` and int32 labels `[batch]`. */
export function checkBatch(fn: string, x: jt.Array, y: jt.Array): void {
  if (!jt.isFloat(x.dtype)) throw new jt.DTypeError(`${fn}: x must be float, got ${x.dtype}`);
  if (x.ndim < 1) throw new jt.ShapeError(`${fn}: x must have a batch axis, got shape []`);
  if (y.dtype !== 'int32')
    throw new jt.DTypeError(`${fn}: labels must be int32 class indices, got ${y.dtype}`);
  if (y.ndim !== 1 || y.shape[0] !== x.shape[0])
    throw new jt.ShapeError(
      `${fn}: labels ${jt.fmtShape(y.shape)} must be [batch] for x ${jt.fmtShape(x.shape)}`,
    );
}
