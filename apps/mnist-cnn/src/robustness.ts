import * as adv from '@jute/adversarial';
import type * as nn from '@jute/nn';
import * as jt from '@jute/tensor';
import type { TrainState } from './checkpoint';

export type AttackKind = 'fgsm' | 'pgd';

export interface AttackSpec {
  readonly kind: AttackKind;
  readonly eps: number;
  readonly norm: adv.Norm;
  /** PGD steps (ignored by FGSM). */
  readonly steps: number;
  /** PGD step size; 2.5·ε/steps by default (Madry et al.'s choice). */
  readonly stepSize?: number;
}

/** The network in inference mode (no dropout) as an attack sees it: `(params, x) → logits`. */
export function inferenceModel(model: nn.Sequential, state: jt.PyTree): adv.Model<jt.PyTree> {
  return (params, x) => model.apply(params, x, { state: state, training: false }).y;
}

/** Builds the attack a spec names, on pixels in [0, 1]. */
export function buildAttack(model: adv.Model<jt.PyTree>, spec: AttackSpec): adv.Attack<jt.PyTree> {
  if (spec.kind === 'fgsm') return adv.fgsm(model, { eps: spec.eps, norm: spec.norm });
  return adv.pgd(model, {
    eps: spec.eps,
    norm: spec.norm,
    steps: spec.steps,
    // With ε = 0 every step is projected back onto x: any positive step size will do.
    stepSize: spec.stepSize ?? (spec.eps > 0 ? (2.5 * spec.eps) / spec.steps : 1),
  });
}

/**
 * The training attack: PGD as asked, or, for `fgsm`, one step of 1.25·ε from a random
 * start (Wong et al.'s "fast" adversarial training, which plain FGSM training lacks:
 * without the random start the model learns to mask its gradient).
 */
export function trainingAttack(
  model: adv.Model<jt.PyTree>,
  spec: AttackSpec,
): adv.Attack<jt.PyTree> {
  if (spec.kind === 'pgd') return buildAttack(model, spec);
  return adv.pgd(model, {
    eps: spec.eps,
    norm: spec.norm,
    steps: 1,
    stepSize: spec.eps > 0 ? 1.25 * spec.eps : 1,
  });
}

/**
 * The batch hook of adversarial training: replaces each batch by its adversarial
 * examples under the current parameters (Madry's min–max), or appends them to the
 * clean batch (`mix`: half of the loss each). The attack runs outside the gradient, so
 * the step differentiates the outer loss only.
 */
export function adversarialBatches(model: nn.Sequential, spec: AttackSpec, mix: boolean) {
  return (x: jt.Array, y: jt.Array, key: jt.Array, train: TrainState) => {
    const attack = trainingAttack(inferenceModel(model, train.state), spec);
    const xAdv = attack(train.params, x, y, key);
    return mix ? { x: jt.concatenate([x, xAdv]), y: jt.concatenate([y, y]) } : { x: xAdv, y };
  };
}

export interface RobustRow {
  readonly eps: number;
  readonly clean: number;
  readonly adversarial: number;
}

/** Clean and adversarial accuracy on a labelled set for each ε, in batches. */
export async function robustnessCurve(
  model: nn.Sequential,
  train: Pick<TrainState, 'params' | 'state'>,
  set: { readonly images: jt.Array; readonly labels: jt.Array },
  spec: Omit<AttackSpec, 'eps'>,
  epsList: readonly number[],
  key: jt.Array,
  batchSize = 250,
): Promise<RobustRow[]> {
  const f = inferenceModel(model, train.state);
  const n = set.labels.shape[0]!;
  const batches = [...Array(Math.ceil(n / batchSize)).keys()].map((b) => {
    const [lo, hi] = [b * batchSize, Math.min(n, (b + 1) * batchSize)];
    return { x: jt.slice(set.images, [lo], [hi]), y: jt.slice(set.labels, [lo], [hi]) };
  });
  const rows: RobustRow[] = [];
  for (const eps of epsList) {
    const attack = buildAttack(f, { ...spec, eps });
    const r = await adv.robustAccuracy(f, train.params, batches, attack, { key });
    rows.push({ eps, clean: r.clean, adversarial: r.adversarial });
  }
  return rows;
}

/** The curve as a text table. */
export function formatCurve(rows: readonly RobustRow[], title: string): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`.padStart(9);
  return [
    title,
    '     eps      clean  adversarial',
    ...rows.map(
      (r) => `${r.eps.toFixed(3).padStart(8)}  ${pct(r.clean)}  ${pct(r.adversarial).padStart(11)}`,
    ),
  ].join('\n');
}
