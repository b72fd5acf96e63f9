import * as jt from '@jute/tensor';
import { sumOverLeaves } from './internal/penalty';

/**
 * L1 penalty `Σ |w|` over every leaf of a parameter pytree, as a scalar (multiply by
 * your coefficient). The gradient at `w = 0` is 0. Non-float leaves throw `DTypeError`.
 * @example
 * const loss = jt.add(dataLoss, jt.mul(losses.l1Penalty(params), 1e-5));
 */
export const l1Penalty = (params: unknown): jt.Array => sumOverLeaves('l1Penalty', params, jt.abs);
