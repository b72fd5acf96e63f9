import { mergeConfig } from 'vitest/config';
import { juteProject } from '../../vitest.shared';

// The test files share module instances (no per-file isolation): they hold no global
// state, and re-evaluating @jute/tensor for each of them would dominate the suite.
export default mergeConfig(juteProject('@jute/tune'), { test: { isolate: false } });
