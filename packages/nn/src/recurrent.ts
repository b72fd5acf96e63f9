import * as jt from '@jute/tensor';
import { checkFeatures, checkRank } from './errors';
import { type ApplyResult, EMPTY, type Layer } from './layer';
import {
  type Cell,
  type CellOptions,
  type GruCellParams,
  gruCell,
  type LstmCarry,
  lstmCell,
  type RnnCellParams,
  simpleRnnCell,
} from './rnn-cells';

/** Options of the sequence layers. @example nn.lstm({ features: 64, returnSequences: true }) */
export interface RecurrentOptions {
  /** Return the outputs of every step `[batch, time, features]` (default false: only the last, `[batch, features]`). */
  returnSequences?: boolean;
  /** Run from the last time step to the first; outputs stay aligned with their inputs. */
  reverse?: boolean;
}

/** Extra `apply` options of recurrent layers. */
export interface RecurrentApplyOptions<C> {
  /** The carry to start from (default zeros), e.g. the final carry of the previous chunk. */
  initialCarry?: C;
}

/** A recurrent layer's result: the output, the (unchanged, empty) state and the final carry. */
export interface RecurrentResult<C> extends ApplyResult<Record<string, never>> {
  carry: C;
}

/**
 * A sequence layer over `[batch, time, features]` built from a cell. Its `apply` also
 * returns the final `carry`.
 * @example
 * const layer = nn.lstm({ features: 32, returnSequences: true });
 * const { y, carry } = layer.apply(params, x); // y [batch,time,32], carry { c, h }
 */
export interface RecurrentLayer<P, C>
  extends Layer<P, Record<string, never>, RecurrentApplyOptions<C>> {
  apply(
    params: P,
    x: jt.Array,
    options?: {
      state?: Record<string, never>;
      key?: jt.Array;
      training?: boolean;
    } & RecurrentApplyOptions<C>,
  ): RecurrentResult<C>;
}

const LAYOUT = '[batch, time, features]';

/**
 * A recurrent layer made from one cell (what `bidirectional` accepts).
 * @example const layer: nn.CellLayer<nn.RnnCellParams, nn.LstmCarry> = nn.lstm({ features: 8 });
 */
export interface CellLayer<P, C> extends RecurrentLayer<P, C> {
  readonly cell: Cell<P, C>;
  readonly options: RecurrentOptions;
}

/**
 * Runs a cell over the time axis with `jt.scan` (time moved to axis 0). The input
 * projection of all steps is one matrix product before the loop; the loop body does only
 * the recurrent product and the gates.
 * @example const layer = nn.rnn(nn.gruCell({ features: 16 }), { returnSequences: true });
 */
export function rnn<P, C>(
  cell: Cell<P, C>,
  options: RecurrentOptions = {},
  name = cell.name.replace(/_cell$/, ''),
): CellLayer<P, C> {
  const returnSequences = options.returnSequences ?? false;
  return {
    name,
    cell,
    options,
    init(key, inputShape) {
      checkRank(name, inputShape, 3, LAYOUT);
      const [b, t] = inputShape as [number, number, number];
      return {
        params: cell.init(key, inputShape[2]!),
        state: EMPTY,
        outputShape: returnSequences ? [b, t, cell.features] : [b, cell.features],
      };
    },
    apply(params, x, o) {
      checkRank(name, x.shape, 3, LAYOUT);
      const xs = cell.project(params, jt.moveAxis(x, 1, 0));
      const carry0 =
        o?.initialCarry ?? cell.initialCarry([x.shape[0]!], cell.carryDtype(params, x));
      const [carry, ys] = jt.scan(
        (c: C, xt: jt.Array): [C, jt.Array | null] => {
          const [next, y] = cell.step(params, c, xt);
          return [next, returnSequences ? y : null];
        },
        carry0,
        xs,
        { reverse: options.reverse ?? false },
      );
      const y = returnSequences ? jt.moveAxis(ys as jt.Array, 0, 1) : cell.outputOf(carry);
      return { y, state: o?.state ?? EMPTY, carry };
    },
  };
}

/**
 * Elman RNN over `[batch, time, features]`.
 * @example nn.simpleRnn({ features: 16, returnSequences: true })
 */
export const simpleRnn = (
  options: CellOptions & RecurrentOptions & { activation?: (x: jt.Array) => jt.Array },
): CellLayer<RnnCellParams, jt.Array> => rnn(simpleRnnCell(options), options);

/**
 * LSTM over `[batch, time, features]`; the final carry is `{ c, h }`.
 * @example
 * const model = nn.sequential(nn.embedding({ vocabSize: 65, features: 32 }), nn.lstm({ features: 128, returnSequences: true }), nn.dense({ features: 65 }));
 */
export const lstm = (
  options: CellOptions & RecurrentOptions & { unitForgetBias?: boolean },
): CellLayer<RnnCellParams, LstmCarry> => rnn(lstmCell(options), options);

/**
 * GRU over `[batch, time, features]`.
 * @example nn.gru({ features: 64 }) // [batch, time, f] → [batch, 64]
 */
export const gru = (options: CellOptions & RecurrentOptions): CellLayer<GruCellParams, jt.Array> =>
  rnn(gruCell(options), options);

/** Parameters and carry of `bidirectional`: one copy per direction. */
export interface Bidirectional<T> {
  forward: T;
  backward: T;
}

/**
 * Runs a recurrent layer forwards and a second copy backwards in time and concatenates
 * (or sums) their outputs on the feature axis. With `returnSequences` outputs stay aligned
 * with the inputs; without, the backward output is the one after reading the first step.
 * @example nn.bidirectional(nn.lstm({ features: 32, returnSequences: true })) // → [batch, time, 64]
 */
export function bidirectional<P, C>(
  layer: CellLayer<P, C>,
  options: { merge?: 'concat' | 'sum' } = {},
): RecurrentLayer<Bidirectional<P>, Bidirectional<C>> {
  const merge = options.merge ?? 'concat';
  const fwd = rnn(layer.cell, layer.options, layer.name ?? 'rnn');
  const bwd = rnn(
    layer.cell,
    { ...layer.options, reverse: !layer.options.reverse },
    layer.name ?? 'rnn',
  );
  const name = `bidirectional_${layer.name ?? 'rnn'}`;
  return {
    name,
    init(key, inputShape) {
      checkRank(name, inputShape, 3, LAYOUT);
      const [k1, k2] = jt.random.split(key, 2);
      const f = fwd.init(k1!, inputShape);
      const b = bwd.init(k2!, inputShape);
      const outputShape = [...f.outputShape];
      if (merge === 'concat') outputShape[outputShape.length - 1]! *= 2;
      return { params: { forward: f.params, backward: b.params }, state: EMPTY, outputShape };
    },
    apply(params, x, o) {
      checkRank(name, x.shape, 3, LAYOUT);
      const f = fwd.apply(
        params.forward,
        x,
        o?.initialCarry ? { initialCarry: o.initialCarry.forward } : {},
      );
      const b = bwd.apply(
        params.backward,
        x,
        o?.initialCarry ? { initialCarry: o.initialCarry.backward } : {},
      );
      checkFeatures(name, b.y.shape, f.y.shape[f.y.ndim - 1]!, 'backward features');
      const y = merge === 'concat' ? jt.concatenate([f.y, b.y], -1) : jt.add(f.y, b.y);
      return { y, state: o?.state ?? EMPTY, carry: { forward: f.carry, backward: b.carry } };
    },
  };
}
