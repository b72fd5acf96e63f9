import type { PrimitiveParams } from '../core/primitives';
import { sizeOf } from '../core/shape';

/** How `dot_general` runs as one batched matrix product `[batch, m, k] · [batch, k, n]`. */
export interface DotLayout {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** The lhs is read as it lies, `[batch, k, m]` (`transA`) or `[batch, m, k]`... */
  readonly transA: boolean;
  readonly transB: boolean;
  /** ...unless it must first be transposed (copied) by this permutation. */
  readonly lperm: readonly number[] | undefined;
  readonly rperm: readonly number[] | undefined;
  readonly outShape: readonly number[];
}

const sameOrder = (perm: readonly number[], order: readonly number[]) =>
  perm.length === order.length && perm.every((v, i) => v === order[i]);

/**
 * The matrix product a `dot_general` is. Operands whose axes are in `[batch, m, k]` /
 * `[batch, k, n]` order, or in the transposed `[batch, k, m]` / `[batch, n, k]` order
 * (what matmul gradients produce), go to the kernel as they are; others must be
 * transposed (copied) first, by `lperm`/`rperm`.
 */
export function dotLayout(
  lhs: readonly number[],
  rhs: readonly number[],
  p: PrimitiveParams['dot_general'],
): DotLayout {
  const [lc, rc] = p.contract;
  const [lb, rb] = p.batch;
  const lf = lhs.map((_, i) => i).filter((i) => !lc.includes(i) && !lb.includes(i));
  const rf = rhs.map((_, i) => i).filter((i) => !rc.includes(i) && !rb.includes(i));
  const batchShape = lb.map((i) => lhs[i]!);
  const lperm = [...lb, ...lf, ...lc];
  const rperm = [...rb, ...rc, ...rf];
  const lid = lhs.map((_, i) => i);
  const rid = rhs.map((_, i) => i);
  const transA = !sameOrder(lperm, lid) && sameOrder([...lb, ...lc, ...lf], lid);
  const transB = !sameOrder(rperm, rid) && sameOrder([...rb, ...rf, ...rc], rid);
  return {
    batch: sizeOf(batchShape),
    m: sizeOf(lf.map((i) => lhs[i]!)),
    k: sizeOf(lc.map((i) => lhs[i]!)),
    n: sizeOf(rf.map((i) => rhs[i]!)),
    transA,
    transB,
    lperm: transA || sameOrder(lperm, lid) ? undefined : lperm,
    rperm: transB || sameOrder(rperm, rid) ? undefined : rperm,
    outShape: [...batchShape, ...lf.map((i) => lhs[i]!), ...rf.map((i) => rhs[i]!)],
  };
}
