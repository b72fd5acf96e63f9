import * as jt from '@jute/tensor';

/** Options of `rotaryEmbedding`. @example nn.rotaryEmbedding(q, { offset: 12, base: 10_000 }) */
export interface RotaryOptions {
  /**
   * Position of the first row (default 0): a number, or an int32 scalar array (the length
   * of a key/value cache, which may be a traced value inside a transform).
   */
  offset?: number | jt.Array;
  /** Wavelength base of the rotation frequencies (default 10 000, as in the paper). */
  base?: number;
}

/**
 * Rotary position embedding (RoPE, Su et al. 2021) of `x: [..., time, depth]` (even depth):
 * row `t` (at position `offset + t`) is rotated, feature pair `(i, i + depth/2)` by the angle
 * `position · base^(-2i/depth)`. Applied to queries and keys, it makes `q·k` depend on
 * positions only through their difference, so attention sees relative positions and the
 * layer needs no position parameters. Pairs are the two halves of the depth (the GPT-NeoX
 * layout), so the rotation is two slices and one concatenation rather than an interleave.
 * @example
 * const q2 = nn.rotaryEmbedding(q, { offset: cacheLength }); // q: [batch, heads, time, headDim]
 */
export function rotaryEmbedding(x: jt.Array, options: RotaryOptions = {}): jt.Array {
  const op = 'rotaryEmbedding';
  if (x.ndim < 2)
    throw new jt.ShapeError(
      `${op}: expected an input of rank >= 2 [..., time, depth], got ${jt.fmtShape(x.shape)}`,
    );
  const d = x.shape[x.ndim - 1]!;
  const t = x.shape[x.ndim - 2]!;
  if (d % 2 !== 0)
    throw new jt.ShapeError(
      `${op}: the depth (last axis) must be even, got ${jt.fmtShape(x.shape)}`,
    );
  const base = options.base ?? 10_000;
  if (!(base > 1)) throw new jt.ValueError(`${op}: base must be > 1, got ${base}`);
  const { cos, sin } = rotaryAngles(t, d, options.offset ?? 0, base, x.dtype);
  const [x1, x2] = jt.split(x, 2, -1) as [jt.Array, jt.Array];
  return jt.concatenate(
    [jt.sub(jt.mul(x1, cos), jt.mul(x2, sin)), jt.add(jt.mul(x1, sin), jt.mul(x2, cos))],
    -1,
  );
}

/** `cos` and `sin` of the rotation angles, `[time, depth/2]` each. */
function rotaryAngles(
  t: number,
  d: number,
  offset: number | jt.Array,
  base: number,
  dtype: jt.DType,
): { cos: jt.Array; sin: jt.Array } {
  const half = d / 2;
  const inv = Float64Array.from({ length: half }, (_, i) => base ** ((-2 * i) / d));
  const steps = jt.arange(t, undefined, 1, { dtype: 'int32' });
  const positions = jt.cast(jt.add(steps, offset), dtype);
  const angles = jt.mul(jt.expandDims(positions, 1), jt.array(inv, { dtype }));
  return { cos: jt.cos(angles), sin: jt.sin(angles) };
}
