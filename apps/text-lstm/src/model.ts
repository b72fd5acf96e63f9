import * as nn from '@jute/nn';
import * as jt from '@jute/tensor';

/** The hyperparameters that fix the shapes of a character LSTM (stored in checkpoints). */
export interface ModelConfig {
  /** Number of distinct characters (embedding rows and output logits). */
  readonly vocabSize: number;
  /** Size of the character embedding. */
  readonly embed: number;
  /** LSTM hidden size. */
  readonly hidden: number;
}

/** Parameters of the character LSTM: one subtree per layer, named as in the checkpoint. */
export interface CharLstmParams {
  embedding: nn.EmbeddingParams;
  lstm: nn.RnnCellParams;
  dense: nn.DenseParams;
}

/** The LSTM's recurrent state `{ c, h }`, `[batch, hidden]` each. */
export type Carry = nn.LstmCarry;

/** A character language model: embedding → LSTM (a `jt.scan` over time) → dense over the vocabulary. */
export interface CharLstm {
  readonly config: ModelConfig;
  /** Fresh parameters drawn from `key`. */
  init(key: jt.Array): CharLstmParams;
  /** The zero state for `batch` streams. */
  initialCarry(batch: number): Carry;
  /**
   * Logits `[batch, time, vocab]` for int32 ids `[batch, time]`, starting from `carry`
   * (zeros by default), and the state after the last step (to continue the stream).
   */
  apply(params: CharLstmParams, ids: jt.Array, carry?: Carry): { logits: jt.Array; carry: Carry };
  /** One time step: logits `[batch, vocab]` for int32 ids `[batch]`, and the next state. */
  step(params: CharLstmParams, carry: Carry, ids: jt.Array): { logits: jt.Array; carry: Carry };
}

/**
 * Builds the character LSTM for a vocabulary and layer sizes. Parameters are those of
 * `nn.embedding`, `nn.lstm` and `nn.dense`; the LSTM runs `nn.lstm`'s cell under `jt.scan`.
 *
 * The scan loops over the int32 ids rather than over the embedded, projected inputs:
 * `embedding @ inputKernel + bias` is one `[vocab, 4·hidden]` table, and each step gathers
 * its rows. That is the same function as embedding → `nn.lstm`, but reverse mode through
 * a scan whose `xs` depend on the parameters costs O(time²) here (the transpose of each
 * step's slice is a full-size pad), while a gather's transpose is a scatter into the
 * small table.
 * @example
 * const model = charLstm({ vocabSize: 80, embed: 32, hidden: 128 });
 * const params = model.init(jt.random.key(0));
 * const { logits, carry } = model.apply(params, ids); // ids int32 [batch, time]
 */
export function charLstm(config: ModelConfig): CharLstm {
  const emb = nn.embedding({ vocabSize: config.vocabSize, features: config.embed });
  const rnn = nn.lstm({ features: config.hidden, returnSequences: true });
  const out = nn.dense({ features: config.vocabSize });
  const cell = rnn.cell;
  const table = (p: CharLstmParams) => cell.project(p.lstm, p.embedding.embedding);
  return {
    config,
    init(key) {
      const [k1, k2, k3] = jt.random.split(key, 3);
      return {
        embedding: emb.init(k1!, [1, 1]).params,
        lstm: rnn.init(k2!, [1, 1, config.embed]).params,
        dense: out.init(k3!, [1, 1, config.hidden]).params,
      };
    },
    initialCarry: (batch) => cell.initialCarry([batch]),
    apply(params, ids, carry) {
      const gates = table(params);
      const [last, hs] = jt.scan(
        (c: Carry, idsT: jt.Array): [Carry, jt.Array] =>
          cell.step(params.lstm, c, jt.take(gates, idsT, { axis: 0 })),
        carry ?? cell.initialCarry([ids.shape[0]!]),
        jt.transpose(ids, [1, 0]),
      );
      return { logits: out.apply(params.dense, jt.moveAxis(hs, 0, 1)).y, carry: last };
    },
    step(params, carry, ids) {
      const x = emb.apply(params.embedding, ids).y;
      const [next, h] = cell.apply(params.lstm, carry, x);
      return { logits: out.apply(params.dense, h).y, carry: next };
    },
  };
}
