import * as metrics from '@jute/metrics';
import type * as jt from '@jute/tensor';

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

/** Accuracy, a per-class precision/recall/F1 table and the confusion matrix, as text. */
export function formatReport(cm: jt.Array): string {
  const precision = metrics.precisionFromConfusion(cm, { average: 'none' }).toArray() as number[];
  const recall = metrics.recallFromConfusion(cm, { average: 'none' }).toArray() as number[];
  const f1 = metrics.f1FromConfusion(cm, { average: 'none' }).toArray() as number[];
  const macroF1 = Number(metrics.f1FromConfusion(cm, { average: 'macro' }).item());
  const rows = cm.toArray() as number[][];
  const support = rows.map((r) => r.reduce((a, b) => a + b, 0));
  const accuracy = Number(metrics.accuracyFromConfusion(cm).item());
  const lines = [
    `test accuracy ${pct(accuracy)} on ${support.reduce((a, b) => a + b, 0)} images · macro F1 ${macroF1.toFixed(4)}`,
    '',
    'class  precision  recall     f1  support',
    ...precision.map(
      (p, c) =>
        `${String(c).padStart(5)}  ${p.toFixed(4).padStart(9)}  ${recall[c]!.toFixed(4).padStart(6)}  ${f1[c]!.toFixed(4).padStart(5)}  ${String(support[c]).padStart(7)}`,
    ),
    '',
    'confusion matrix (rows: true digit, columns: predicted)',
    `      ${rows.map((_, c) => String(c).padStart(4)).join('')}`,
    ...rows.map(
      (r, c) => `${String(c).padStart(4)}  ${r.map((v) => String(v).padStart(4)).join('')}`,
    ),
  ];
  return lines.join('\n');
}
