// Plain Node ESM, as a user writes it after `npm install @jute/...`: trains a small MLP on
// two Gaussian blobs and prints what the harness checks (loss falls, accuracy is high).
import { valueAndGrad } from '@jute/autodiff';
import * as data from '@jute/data';
import * as losses from '@jute/losses';
import * as metrics from '@jute/metrics';
import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';

const [kx, kinit] = jt.random.split(jt.random.key(0), 2);
// Class 0 around (-1.5, -1.5), class 1 around (1.5, 1.5).
const n = 128;
const labels = jt.array(
  Array.from({ length: n }, (_, i) => i % 2),
  { dtype: 'int32' },
);
const centres = jt.cast(labels, 'float32').mul(3).sub(1.5).reshape([n, 1]);
const x = jt.random.normal(kx, [n, 2]).add(centres);

const model = nn.sequential(nn.dense({ features: 16 }), nn.relu, nn.dense({ features: 2 }));
let { params } = model.init(kinit, [n, 2]);
const opt = optim.adam({ learningRate: 0.05 });
let optState = opt.init(params);
const loss = (p, xb, yb) => jt.mean(losses.sparseSoftmaxCrossEntropy(model.apply(p, xb).y, yb));

const batches = data.batch(32)(data.fromArrays({ x, y: labels }));
const history = [];
for (let epoch = 0; epoch < 15; epoch++) {
  for await (const { x: xb, y: yb } of data.epoch(batches, epoch)) {
    const [value, grads] = valueAndGrad(loss)(params, xb, yb);
    const [updates, next] = opt.update(grads, optState, params);
    params = optim.applyUpdates(params, updates);
    optState = next;
    history.push(value.item());
  }
}
const accuracy = metrics.accuracy(model.apply(params, x).y, labels).item();
console.log(
  JSON.stringify({ first: history[0], last: history.at(-1), accuracy, info: jt.backendInfo() }),
);
