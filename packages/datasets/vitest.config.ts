import { juteProject } from '../../vitest.shared';

export default juteProject('@jute/datasets');
