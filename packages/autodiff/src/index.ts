import { tensorVersion } from '@jute/tensor';

export const autodiffVersion = tensorVersion;
