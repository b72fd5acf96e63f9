/**
 * Child process of sync-training-memory.test.ts: trains a tiny MLP with `valueAndGrad` in
 * a synchronous loop (no `await`, so no microtask checkpoint ever runs) and prints the
 * peak resident set size. Exits early (status 2) once RSS passes the limit, so a leak
 * fails fast instead of exhausting the machine.
 */
import * as jt from '@jute/tensor';
import { valueAndGrad } from './index';

const steps = Number(process.argv[2] ?? 5000);
const limitBytes = Number(process.argv[3] ?? 300) * 2 ** 20;

const [kx, k1, k2] = jt.random.split(jt.random.key(0), 3);
const x = jt.random.normal(kx!, [32, 16]);
const y = jt.sum(jt.square(x), { axis: -1, keepdims: true });
type Params = { w1: jt.Array; b1: jt.Array; w2: jt.Array; b2: jt.Array };
const loss = (p: Params) => {
  const h = jt.tanh(jt.matmul(x, p.w1).add(p.b1));
  return jt.mean(jt.square(jt.matmul(h, p.w2).add(p.b2).sub(y)));
};
let params: Params = {
  w1: jt.random.normal(k1!, [16, 64]).mul(0.25),
  b1: jt.zeros([64]),
  w2: jt.random.normal(k2!, [64, 1]).mul(0.125),
  b2: jt.zeros([1]),
};
let peak = 0;
let first = 0;
let last = 0;
for (let step = 0; step < steps; step++) {
  const [value, grads] = valueAndGrad(loss)(params);
  params = jt.tree.map((p: jt.Array, g: jt.Array) => p.sub(g.mul(0.01)), params, grads);
  if (step === 0) first = Number(value.item());
  if (step % 100 === 0 || step === steps - 1) {
    last = Number(value.item());
    peak = Math.max(peak, process.memoryUsage().rss);
    if (peak > limitBytes) {
      console.log(JSON.stringify({ step, peakMB: peak / 2 ** 20, backend: jt.backendInfo() }));
      process.exit(2);
    }
  }
}
console.log(JSON.stringify({ steps, peakMB: peak / 2 ** 20, first, last }));
