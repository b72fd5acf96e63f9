import type { Array } from '../core/array';
import { neg, sub } from './elementwise';

/**
 * An order-reversing map, so max-based ops give min-based ones. Floats negate; int32 uses
 * bitwise not (`-1 - x`), because `-x` overflows at -2^31 (`-(-2^31)` wraps to -2^31),
 * which made `min`, `argmin` and `topK` wrong at the int32 minimum.
 */
export const reverseOrder = (x: Array): Array => (x.dtype === 'int32' ? sub(-1, x) : neg(x));
