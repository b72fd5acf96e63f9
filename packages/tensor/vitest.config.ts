import { mergeConfig } from 'vitest/config';
import { juteProject } from '../../vitest.shared';

export default mergeConfig(juteProject('@jute/tensor'), {
  test: { setupFiles: ['./src/test-setup.ts'] },
});
