// Bundled with esbuild for the browser and run on a page without COOP/COEP headers (so
// without SharedArrayBuffer): the WebAssembly kernels must still be what runs.
import { grad } from '@jute/autodiff';
import * as nn from '@jute/nn';
import * as jt from '@jute/tensor';

try {
  const [kx, kinit] = jt.random.split(jt.random.key(1), 2);
  const x = jt.random.normal(kx, [64, 32]);
  const target = jt.sum(x, { axis: -1, keepdims: true });
  const model = nn.sequential(nn.dense({ features: 64 }), nn.tanh, nn.dense({ features: 1 }));
  let { params } = model.init(kinit, [64, 32]);
  const loss = (p) => jt.mean(jt.square(model.apply(p, x).y.sub(target)));
  const first = loss(params).item();
  for (let step = 0; step < 30; step++) {
    const g = grad(loss)(params);
    params = jt.tree.map((p, d) => p.sub(d.mul(0.05)), params, g);
  }
  const last = loss(params).item();
  globalThis.__juteResult = {
    first,
    last,
    info: jt.backendInfo(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
} catch (e) {
  globalThis.__juteResult = { error: String(e?.stack ?? e) };
}
