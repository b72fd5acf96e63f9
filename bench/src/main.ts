import { runCnnBench } from './cnn';
import { runConvBench } from './conv';
import { runLstmBench } from './lstm';
import { runMatmulBench } from './matmul';
import { runMlpBench } from './mlp';
import { runTransformerBench } from './transformer';

/**
 * `pnpm bench [name ...]` runs the named benchmarks (all when none is named), one after
 * another so that they do not compete for cores. `--rounds=N` sets how many interleaved
 * timing rounds each takes the best of.
 */
const roundsArg = process.argv.find((a) => a.startsWith('--rounds='));
const rounds = roundsArg === undefined ? undefined : Number(roundsArg.slice('--rounds='.length));

const benches: Record<string, () => Promise<unknown>> = {
  matmul: () => runMatmulBench(rounds === undefined ? {} : { rounds }),
  conv: () => runConvBench(),
  cnn: () => runCnnBench(),
  lstm: () => runLstmBench(),
  mlp: () => runMlpBench(),
  transformer: () => runTransformerBench(),
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(', ')}; have ${Object.keys(benches).join(', ')}`,
  );
  process.exit(1);
}
for (const name of requested.length > 0 ? requested : Object.keys(benches)) {
  await benches[name]!();
}
