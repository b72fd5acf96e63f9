import { fmtShape, ShapeError } from './errors';
import type { ConvPatchesParams } from './primitives';
import { type Shape, sizeOf } from './shape';

/** Output spatial size of a window op along one axis. */
export function windowOutSize(
  size: number,
  window: number,
  stride: number,
  pad: readonly [number, number],
  lhsDil: number,
  rhsDil: number,
): number {
  const inSize = size === 0 ? 0 : (size - 1) * lhsDil + 1 + pad[0] + pad[1];
  const span = (window - 1) * rhsDil + 1;
  return inSize < span ? 0 : Math.floor((inSize - span) / stride) + 1;
}

/** Output shape of `conv_patches`: `[N, ...outSpatial, prod(window) * C]`. */
export function patchesShape(op: string, inShape: Shape, p: ConvPatchesParams): number[] {
  const nsp = inShape.length - 2;
  if (nsp < 1 || nsp > 2)
    throw new ShapeError(
      `${op}: only 1-D and 2-D convolutions are supported, got input ${fmtShape(inShape)}`,
    );
  const out = [inShape[0]!];
  for (let i = 0; i < nsp; i++) {
    out.push(
      windowOutSize(
        inShape[i + 1]!,
        p.window[i]!,
        p.strides[i]!,
        p.padding[i]!,
        p.lhsDilation[i]!,
        p.rhsDilation[i]!,
      ),
    );
  }
  out.push(sizeOf(p.window) * inShape[nsp + 1]!);
  return out;
}
