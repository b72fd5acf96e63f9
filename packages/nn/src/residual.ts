import * as jt from '@jute/tensor';
import type { ParamsOf, StateOf } from './child-trees';
import { childKey, type LayerLike, nameChildren } from './children';
import { inChild, layerShapeError } from './errors';
import type { Layer, Params } from './layer';

/**
 * A skip connection `y = layer(x) + x`. Without a shortcut the parameters and state are
 * the wrapped layer's own (the wrapper adds no level to the trees); with a `shortcut`
 * (e.g. a 1×1 convolution that matches the shapes) they are `{ main, shortcut }` and
 * `y = layer(x) + shortcut(x)`. Shapes must agree at init.
 * @example
 * const block = nn.residual(nn.sequential(nn.dense({ features: 64 }), nn.relu, nn.dense({ features: 64 })));
 */
export function residual<L extends LayerLike>(
  layer: L,
): Layer<ParamsOf<L>, StateOf<L>, object, 'residual'>;
export function residual<L extends LayerLike, C extends LayerLike>(
  layer: L,
  options: { shortcut: C },
): Layer<
  { main: ParamsOf<L>; shortcut: ParamsOf<C> },
  { main: StateOf<L>; shortcut: StateOf<C> },
  object,
  'residual'
>;
export function residual(
  layer: LayerLike,
  options?: { shortcut?: LayerLike },
): Layer<Params, Params, object, 'residual'>;
export function residual(
  layer: LayerLike,
  options: { shortcut?: LayerLike } = {},
  // biome-ignore lint/suspicious/noExplicitAny: the overloads above carry the types.
): Layer<any, any, object, 'residual'> {
  const [main] = nameChildren('residual', [layer]);
  const mainLayer = main!.layer;
  if (!options.shortcut) {
    return {
      name: 'residual',
      init(key, inputShape) {
        const r = mainLayer.init(key, inputShape);
        if (!sameShape(r.outputShape, inputShape)) {
          throw layerShapeError(
            'residual',
            `the wrapped layer maps ${jt.fmtShape(inputShape)} to ${jt.fmtShape(r.outputShape)}; a residual needs equal shapes (add a shortcut)`,
          );
        }
        return r;
      },
      apply(params, x, o) {
        const r = mainLayer.apply(params, x, o);
        return { y: jt.add(r.y, x), state: r.state };
      },
    };
  }
  const shortcut = nameChildren('residual', [options.shortcut])[0]!.layer;
  return {
    name: 'residual',
    init(key, inputShape) {
      const [k1, k2] = jt.random.split(key, 2);
      const m = inChild('main', () => mainLayer.init(k1!, inputShape));
      const s = inChild('shortcut', () => shortcut.init(k2!, inputShape));
      if (!sameShape(m.outputShape, s.outputShape)) {
        throw layerShapeError(
          'residual',
          `the main path gives ${jt.fmtShape(m.outputShape)} but the shortcut ${jt.fmtShape(s.outputShape)}`,
        );
      }
      return {
        params: { main: m.params, shortcut: s.params },
        state: { main: m.state, shortcut: s.state },
        outputShape: m.outputShape,
      };
    },
    apply(params, x, o) {
      const p = params as { main: Params; shortcut: Params };
      const st = o?.state as { main?: Params; shortcut?: Params } | undefined;
      const sub = (i: number, s: Params | undefined) => {
        const k = childKey(o?.key, i);
        return {
          training: o?.training ?? false,
          ...(s !== undefined ? { state: s } : {}),
          ...(k ? { key: k } : {}),
        };
      };
      const m = inChild('main', () => mainLayer.apply(p.main, x, sub(0, st?.main)));
      const s = inChild('shortcut', () => shortcut.apply(p.shortcut, x, sub(1, st?.shortcut)));
      return { y: jt.add(m.y, s.y), state: { main: m.state, shortcut: s.state } };
    },
  };
}

const sameShape = (a: jt.Shape, b: jt.Shape) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
