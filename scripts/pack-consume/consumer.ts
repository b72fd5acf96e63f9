// Type-checked as a user's TypeScript under `nodenext` and `bundler` resolution: the types
// carry from the model through grad and the optimizer, so no casts are needed.
import { grad, valueAndGrad } from '@jute/autodiff';
import * as losses from '@jute/losses';
import * as nn from '@jute/nn';
import * as optim from '@jute/optim';
import * as jt from '@jute/tensor';

const model = nn.sequential(
  nn.conv2d({ features: 4, kernelSize: [3, 3] }),
  nn.relu,
  nn.flatten(),
  nn.dense({ features: 10 }),
);
const { params } = model.init(jt.random.key(0), [2, 8, 8, 1]);
const kernel: jt.Array = params.conv2d_0.kernel;
const bias: jt.Array = params.dense_3.kernel;
// @ts-expect-error a misspelt parameter key is a compile error
params.conv2d_1.kernel;

const images = jt.zeros([2, 8, 8, 1]);
const labels = jt.array([3, 7], { dtype: 'int32' });
const loss = (p: typeof params) =>
  jt.mean(losses.sparseSoftmaxCrossEntropy(model.apply(p, images).y, labels));

const g = grad(loss)(params);
const gk: jt.Array = g.conv2d_0.kernel;
const [value, g2] = valueAndGrad(loss)(params);
const v: jt.Array = value;
const opt = optim.adam({ learningRate: 1e-3 });
const [updates, state] = opt.update(g2, opt.init(params), params);
const next = optim.applyUpdates(params, updates);
const nk: jt.Array = next.dense_3.kernel;
// @ts-expect-error the updated parameters keep their keys
next.dense_2;

// A tuple of gradients for a list of argnums, each with its argument's type.
const f = (a: jt.Array, b: { w: jt.Array }) => jt.sum(a.mul(b.w));
const [ga, gb] = grad(f, { argnums: [0, 1] })(jt.ones([2]), { w: jt.ones([2]) });
const gw: jt.Array = gb.w;

export { bias, ga, gk, gw, kernel, nk, state, v };
