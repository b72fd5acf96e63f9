import * as jt from '@jute/tensor';
import { checkRange } from './image-transform';
import { Xoshiro128 } from './rng';

/**
 * Options of {@link mixup}.
 * @example const o: MixupOptions = { alpha: 0.2, numClasses: 10 };
 */
export interface MixupOptions {
  /** λ ~ Beta(alpha, alpha); small alpha keeps most mixes close to one example (> 0). */
  readonly alpha: number;
  /** Number of classes, needed when the labels are integer class indices. */
  readonly numClasses?: number;
}

/** A uniform float in (0, 1), never 0 (logs of it stay finite). */
const unit = (rng: Xoshiro128): number => (rng.nextUint32() + 0.5) / 4294967296;

/** A standard normal draw (Box–Muller). */
const normal = (rng: Xoshiro128): number =>
  Math.sqrt(-2 * Math.log(unit(rng))) * Math.cos(2 * Math.PI * unit(rng));

/** A Gamma(a, 1) draw: Marsaglia and Tsang's squeeze, boosted for a < 1. */
function gamma(rng: Xoshiro128, a: number): number {
  if (a < 1) return gamma(rng, a + 1) * unit(rng) ** (1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(rng);
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    if (Math.log(unit(rng)) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Per-example mixing weights λ ~ Beta(alpha, alpha), drawn from `key`.
 * @example betaSample(key, 0.2, 64) // Float64Array of 64 weights in [0, 1]
 */
export function betaSample(key: jt.Array, alpha: number, n: number): Float64Array {
  const rng = new Xoshiro128(jt.random.randomBits(key, 4));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = gamma(rng, alpha);
    const b = gamma(rng, alpha);
    out[i] = a + b > 0 ? a / (a + b) : 0.5;
  }
  return out;
}

/**
 * Mixup (Zhang et al., 2018): blends every example with a random partner from the same
 * batch, `x̃ = λ·x + (1 − λ)·x[π]`, and its label the same way,
 * `ỹ = λ·y + (1 − λ)·y[π]`, with λ ~ Beta(alpha, alpha) per example and π a random
 * permutation. Integer labels `[batch]` become one-hot first (pass `numClasses`); soft
 * labels `[batch, classes]` are mixed as they are. Each mixed label sums to 1. Built
 * from `jt` ops, so the gradient flows to `x`. Train on the result with
 * `losses.softmaxCrossEntropy(logits, y)`.
 * @example
 * const { x, y } = mixup(key, images, labels, { alpha: 0.2, numClasses: 10 });
 */
export function mixup(
  key: jt.Array,
  x: jt.Array,
  labels: jt.Array,
  options: MixupOptions,
): { x: jt.Array; y: jt.Array } {
  const fn = 'mixup';
  checkRange(fn, 'alpha', options.alpha, Number.MIN_VALUE, Number.MAX_VALUE);
  if (!jt.isFloat(x.dtype)) throw new jt.DTypeError(`${fn}: x must be float, got ${x.dtype}`);
  const n = x.shape[0];
  if (n === undefined || labels.shape[0] !== n)
    throw new jt.ShapeError(
      `${fn}: x ${jt.fmtShape(x.shape)} and labels ${jt.fmtShape(labels.shape)} need the same batch size`,
    );
  let soft: jt.Array;
  if (labels.dtype === 'int32') {
    const k = options.numClasses;
    if (k === undefined || !Number.isSafeInteger(k) || k < 1)
      throw new jt.ValueError(`${fn}: integer labels need numClasses (a positive integer)`);
    if (labels.ndim !== 1)
      throw new jt.ShapeError(
        `${fn}: integer labels must be [batch], got ${jt.fmtShape(labels.shape)}`,
      );
    soft = jt.oneHot(labels, k, { dtype: x.dtype });
  } else if (jt.isFloat(labels.dtype) && labels.ndim === 2) {
    soft = jt.cast(labels, x.dtype);
  } else {
    throw new jt.DTypeError(
      `${fn}: labels must be int32 [batch] or float [batch, classes], got ${labels.dtype} ${jt.fmtShape(labels.shape)}`,
    );
  }
  const [kLam, kPerm] = jt.random.split(key, 2);
  const lam = betaSample(kLam!, options.alpha, n);
  const perm = jt.random.permutation(kPerm!, n);
  const mix = (a: jt.Array) => {
    const l = jt.array(lam, { shape: [n, ...a.shape.slice(1).map(() => 1)], dtype: a.dtype });
    return jt.add(jt.mul(a, l), jt.mul(jt.take(a, perm, { axis: 0 }), jt.sub(1, l)));
  };
  return { x: mix(x), y: mix(soft) };
}
