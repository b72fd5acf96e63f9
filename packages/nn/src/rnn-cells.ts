import * as jt from '@jute/tensor';
import { checkFeatures } from './errors';
import { type Initializer, lecunNormal, orthogonal, zeros } from './initializers';

/**
 * A recurrent cell: one time step `apply(params, carry, x) → [carry, y]` over a batch
 * `x: [batch, inFeatures]`. The step is split in two so that sequence layers can do the
 * input projection for all time steps as one matrix product: `apply` is
 * `step(params, carry, project(params, x))`.
 * @example
 * const cell = nn.lstmCell({ features: 8 });
 * const params = cell.init(key, 4);
 * const [carry, y] = cell.apply(params, cell.initialCarry([2]), jt.ones([2, 4])); // y [2,8]
 */
// biome-ignore lint/suspicious/noExplicitAny: defaults let heterogeneous cells share one type.
export interface Cell<P = any, C = any> {
  readonly name: string;
  /** Output (hidden) size. */
  readonly features: number;
  /** Parameters for inputs with `inFeatures` features. */
  init(key: jt.Array, inFeatures: number): P;
  /** The zero carry for a batch of shape `batchShape`. */
  initialCarry(batchShape: jt.Shape, dtype?: jt.DType): C;
  /** The input's contribution to every gate, `[..., inFeatures]` → `[..., gates * features]`. */
  project(params: P, x: jt.Array): jt.Array;
  /** One step on a projected input. */
  step(params: P, carry: C, projected: jt.Array): [C, jt.Array];
  /** One step on a raw input. */
  apply(params: P, carry: C, x: jt.Array): [C, jt.Array];
  /** The output a carry holds (the hidden state `h`). */
  outputOf(carry: C): jt.Array;
  /** The dtype the carry must have for these parameters and inputs. */
  carryDtype(params: P, x: jt.Array): jt.DType;
}

/** Options of the recurrent cells and sequence layers. @example nn.gruCell({ features: 32, recurrentInit: nn.orthogonal(1) }) */
export interface CellOptions {
  /** Hidden size. */
  features: number;
  /** Input kernel `[in, gates * features]`, default `lecunNormal`. */
  kernelInit?: Initializer;
  /** Recurrent kernel, drawn per gate as `[features, features]`, default `orthogonal()`. */
  recurrentInit?: Initializer;
  /** Default `zeros`. */
  biasInit?: Initializer;
}

/** Parameters of a recurrent cell: input and recurrent kernels with the gates side by side on the last axis. */
export type RnnCellParams = {
  inputKernel: jt.Array;
  recurrentKernel: jt.Array;
  bias: jt.Array;
};

/** Carry of the LSTM: the cell state `c` and the hidden state `h`, `[batch, features]` each. */
export interface LstmCarry {
  c: jt.Array;
  h: jt.Array;
}

function initGates(
  key: jt.Array,
  inF: number,
  h: number,
  gates: number,
  o: CellOptions,
): RnnCellParams {
  const keys = jt.random.split(key, gates + 2);
  const recurrentInit = o.recurrentInit ?? orthogonal();
  // One orthogonal block per gate (as Flax): the fused [h, gates*h] matrix is not orthogonal as a whole.
  const blocks = Array.from({ length: gates }, (_, g) => recurrentInit(keys[g + 2]!, [h, h]));
  return {
    inputKernel: (o.kernelInit ?? lecunNormal)(keys[0]!, [inF, gates * h]),
    recurrentKernel: gates === 1 ? blocks[0]! : jt.concatenate(blocks, 1),
    bias: (o.biasInit ?? zeros)(keys[1]!, [gates * h]),
  };
}

const checkFeatureCount = (name: string, features: number) => {
  if (!Number.isInteger(features) || features < 1)
    throw new jt.ValueError(`${name}: features must be a positive integer, got ${features}`);
};

function project(name: string, p: RnnCellParams, x: jt.Array): jt.Array {
  checkFeatures(name, x.shape, p.inputKernel.shape[0]!);
  return jt.add(jt.matmul(x, p.inputKernel), p.bias);
}

const carryDtype = (p: RnnCellParams, x: jt.Array): jt.DType => {
  const d = jt.promoteTypes(x.dtype, p.recurrentKernel.dtype);
  return jt.isFloat(d) ? d : 'float32';
};

/**
 * The Elman cell `h' = activation(x W + h U + b)` (default tanh); carry and output are `h`.
 * @example const cell = nn.simpleRnnCell({ features: 16 });
 */
export function simpleRnnCell(
  options: CellOptions & { activation?: (x: jt.Array) => jt.Array },
): Cell<RnnCellParams, jt.Array> {
  const { features } = options;
  checkFeatureCount('simple_rnn_cell', features);
  const act = options.activation ?? jt.tanh;
  const cell: Cell<RnnCellParams, jt.Array> = {
    name: 'simple_rnn_cell',
    features,
    init: (key, inF) => initGates(key, inF, features, 1, options),
    initialCarry: (batch, dtype = 'float32') => jt.zeros([...batch, features], { dtype }),
    project: (p, x) => project('simple_rnn_cell', p, x),
    step(p, h, xp) {
      const next = act(jt.add(xp, jt.matmul(h, p.recurrentKernel)));
      return [next, next];
    },
    apply: (p, h, x) => cell.step(p, h, cell.project(p, x)),
    outputOf: (h) => h,
    carryDtype,
  };
  return cell;
}

/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997), gates in the order input, forget, cell,
 * output (as Keras and PyTorch): `i, f, o = σ(·)`, `g = tanh(·)`, `c' = f c + i g`,
 * `h' = o tanh(c')`. The forget-gate bias starts at 1 unless `unitForgetBias: false`.
 * @example
 * const cell = nn.lstmCell({ features: 32 });
 * const [{ c, h }, y] = cell.apply(params, carry, xt);
 */
export function lstmCell(
  options: CellOptions & { unitForgetBias?: boolean },
): Cell<RnnCellParams, LstmCarry> {
  const { features } = options;
  checkFeatureCount('lstm_cell', features);
  const cell: Cell<RnnCellParams, LstmCarry> = {
    name: 'lstm_cell',
    features,
    init(key, inF) {
      const p = initGates(key, inF, features, 4, options);
      if (options.unitForgetBias ?? true) {
        const mask = jt.concatenate([
          jt.zeros([features]),
          jt.ones([features]),
          jt.zeros([2 * features]),
        ]);
        p.bias = jt.add(p.bias, jt.cast(mask, p.bias.dtype));
      }
      return p;
    },
    initialCarry: (batch, dtype = 'float32') => ({
      c: jt.zeros([...batch, features], { dtype }),
      h: jt.zeros([...batch, features], { dtype }),
    }),
    project: (p, x) => project('lstm_cell', p, x),
    step(p, carry, xp) {
      const z = jt.add(xp, jt.matmul(carry.h, p.recurrentKernel));
      const [zi, zf, zg, zo] = jt.split(z, 4, -1) as [jt.Array, jt.Array, jt.Array, jt.Array];
      const c = jt.add(jt.mul(jt.sigmoid(zf), carry.c), jt.mul(jt.sigmoid(zi), jt.tanh(zg)));
      const h = jt.mul(jt.sigmoid(zo), jt.tanh(c));
      return [{ c, h }, h];
    },
    apply: (p, carry, x) => cell.step(p, carry, cell.project(p, x)),
    outputOf: (carry) => carry.h,
    carryDtype,
  };
  return cell;
}

/** Parameters of the GRU cell: the recurrent bias sits inside the reset gate's product. */
export type GruCellParams = RnnCellParams & {
  recurrentBias: jt.Array;
};

/**
 * The GRU cell (Cho et al. 2014) in the cuDNN/PyTorch/Flax form, gates in the order
 * reset, update, candidate: `r, z = σ(x W + b + h U + b_h)`,
 * `n = tanh(x W_n + b_n + r (h U_n + b_hn))`, `h' = (1 - z) n + z h`.
 * @example const cell = nn.gruCell({ features: 32 });
 */
export function gruCell(options: CellOptions): Cell<GruCellParams, jt.Array> {
  const { features } = options;
  checkFeatureCount('gru_cell', features);
  const cell: Cell<GruCellParams, jt.Array> = {
    name: 'gru_cell',
    features,
    init(key, inF) {
      const [k1, k2] = jt.random.split(key, 2);
      const p = initGates(k1!, inF, features, 3, options);
      return { ...p, recurrentBias: (options.biasInit ?? zeros)(k2!, [3 * features]) };
    },
    initialCarry: (batch, dtype = 'float32') => jt.zeros([...batch, features], { dtype }),
    project: (p, x) => project('gru_cell', p, x),
    step(p, h, xp) {
      const hp = jt.add(jt.matmul(h, p.recurrentKernel), p.recurrentBias);
      const [xr, xz, xn] = jt.split(xp, 3, -1) as [jt.Array, jt.Array, jt.Array];
      const [hr, hz, hn] = jt.split(hp, 3, -1) as [jt.Array, jt.Array, jt.Array];
      const r = jt.sigmoid(jt.add(xr, hr));
      const z = jt.sigmoid(jt.add(xz, hz));
      const n = jt.tanh(jt.add(xn, jt.mul(r, hn)));
      const next = jt.add(n, jt.mul(z, jt.sub(h, n)));
      return [next, next];
    },
    apply: (p, h, x) => cell.step(p, h, cell.project(p, x)),
    outputOf: (h) => h,
    carryDtype,
  };
  return cell;
}
