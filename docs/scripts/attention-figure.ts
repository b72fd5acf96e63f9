/**
 * The attention map of tutorial 12: a one-head, one-layer attention model trained for a few
 * seconds to continue sequences that repeat a random pattern, and the weights its head puts
 * on each earlier position, drawn as a heatmap.
 */
import { valueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';

/** Letters the patterns are drawn from, the period of the patterns and the sequence length. */
export const COPY_TASK = { letters: 'abcdefgh', period: 5, length: 20 } as const;

/**
 * `count` sequences, each a random pattern of `period` distinct letters repeated to
 * `length + 1` characters (inputs and next-character targets). After the first period, the
 * next character is the one `period - 1` positions back: a job for attention.
 */
export function copyTaskBatch(
  key: jt.Array,
  count: number,
): { inputs: jt.Array; targets: jt.Array } {
  const { letters, period, length } = COPY_TASK;
  const order = jt.argsort(jt.random.uniform(key, [count, letters.length]), { axis: -1 });
  const pattern = jt.slice(order, [0, 0], [count, period]);
  const reps = Math.ceil((length + 1) / period);
  const seq = jt.slice(jt.tile(pattern, [1, reps]), [0, 0], [count, length + 1]);
  const ids = jt.cast(seq, 'int32');
  return {
    inputs: jt.slice(ids, [0, 0], [count, length]),
    targets: jt.slice(ids, [0, 1], [count, length + 1]),
  };
}

/** The model: embedding → one causal attention head with RoPE (plus the residual) → logits. */
export function copyModel() {
  const V = COPY_TASK.letters.length;
  const embed = nn.embedding({ vocabSize: V, features: 32, embeddingInit: nn.normal(0.3) });
  const attention = nn.causalSelfAttention({ numHeads: 1, rope: true });
  const out = nn.dense({ features: V });
  type P = {
    embed: nn.EmbeddingParams;
    attention: nn.CausalSelfAttentionParams;
    out: nn.DenseParams;
  };
  return {
    init(key: jt.Array): P {
      const [k1, k2, k3] = jt.random.split(key, 3);
      const shape = [1, COPY_TASK.length, 32];
      return {
        embed: embed.init(k1!, [1, COPY_TASK.length]).params,
        attention: attention.init(k2!, shape).params,
        out: out.init(k3!, shape).params,
      };
    },
    logits(p: P, ids: jt.Array): jt.Array {
      const x = embed.apply(p.embed, ids).y;
      return out.apply(p.out, jt.add(x, attention.apply(p.attention, x).y)).y;
    },
    weights: (p: P, ids: jt.Array) => attention.weights(p.attention, embed.apply(p.embed, ids).y),
  };
}

/** Trains the copy model; returns its parameters and the loss at each step. */
export function trainCopyModel(steps = 80) {
  const model = copyModel();
  let params = model.init(jt.random.key(0));
  const opt = optim.adam({ learningRate: 0.03 });
  let state = opt.init(params);
  const loss = (p: typeof params, b: { inputs: jt.Array; targets: jt.Array }) =>
    jt.mean(losses.sparseSoftmaxCrossEntropy(model.logits(p, b.inputs), b.targets));
  const lossAndGrad = valueAndGrad(loss);
  const history: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [value, grads] = lossAndGrad(params, copyTaskBatch(jt.random.key(1000 + i), 16));
    const [updates, next] = opt.update(grads, state, params);
    params = optim.applyUpdates(params, updates);
    state = next;
    history.push(Number(value.item()));
  }
  return { model, params, history };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A heatmap of `weights[query][key]` in [0, 1], rows and columns labelled by `labels`. */
export function attentionHeatmap(
  weights: readonly (readonly number[])[],
  labels: readonly string[],
  title: string,
): string {
  const n = labels.length;
  const cell = 22;
  const m = { l: 70, t: 56, r: 20, b: 54 };
  const W = m.l + n * cell + m.r;
  const H = m.t + n * cell + m.b;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<text x="${m.l + (n * cell) / 2}" y="42" text-anchor="middle">key position (attended to)</text>`,
    `<text x="16" y="${m.t + (n * cell) / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.t + (n * cell) / 2})">query position</text>`,
  ];
  weights.forEach((row, i) => {
    // Only the causal part: position i attends to keys 0 .. i.
    for (let j = 0; j <= i; j++) {
      parts.push(
        `<rect x="${m.l + j * cell}" y="${m.t + i * cell}" width="${cell}" height="${cell}" fill="#1f4e99" fill-opacity="${(row[j] ?? 0).toFixed(2)}" stroke="#dddddd" stroke-width="0.5"/>`,
      );
    }
  });
  labels.forEach((c, i) => {
    const mid = i * cell + cell / 2;
    parts.push(
      `<text x="${m.l - 8}" y="${m.t + mid + 4}" text-anchor="end" font-family="monospace">${i} ${esc(c)}</text>`,
      `<text x="${m.l + mid}" y="${m.t + n * cell + 16}" text-anchor="middle" font-family="monospace">${esc(c)}</text>`,
    );
  });
  parts.push(
    `<text x="${m.l + (n * cell) / 2}" y="${H - 12}" text-anchor="middle" fill="#555555">darker = more weight; the upper triangle is masked (the future)</text>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** The figure: the trained head's weights on one held-out sequence. */
export function attentionFigures(): Record<string, string> {
  const { model, params } = trainCopyModel();
  const example = copyTaskBatch(jt.random.key(7), 1).inputs;
  const w = model.weights(params, example);
  const rows = (jt.reshape(w, [COPY_TASK.length, COPY_TASK.length]).toArray() as number[][]).map(
    (r) => r.map((v) => Math.round(v * 100) / 100),
  );
  const ids = example.toArray() as number[][];
  const labels = ids[0]!.map((i) => COPY_TASK.letters[i]!);
  return {
    'attention-map.svg': attentionHeatmap(
      rows,
      labels,
      `Attention of a trained head on a repeating pattern (period ${COPY_TASK.period})`,
    ),
  };
}
