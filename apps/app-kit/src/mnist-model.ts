import * as nn from '@jute/nn';

export type ModelKind = 'mlp' | 'cnn';

/** What `pnpm mnist tune` searches over; the defaults are the classic architectures. */
export interface ModelOptions {
  /** Units of the hidden dense layer (default 256 for the MLP, 128 for the CNN). */
  readonly width?: number | undefined;
  /** Dropout rate before the output layer (default 0.2 for the MLP, 0.5 for the CNN). */
  readonly dropout?: number | undefined;
}

/**
 * The models `apps/mnist-cnn` trains, here so that the docs playground and the benchmarks
 * build the very same network (apps are not importable; this subpath is browser-safe). The CNN is the classic Keras MNIST convnet (VALID 3×3
 * convolutions: 28→26→13→11→5, so the dense layer sees 5·5·64 = 1600 features).
 */
export function buildModel(kind: ModelKind, options: ModelOptions = {}): nn.Sequential {
  if (kind === 'mlp') {
    return nn.sequential(
      nn.flatten(),
      nn.named('dense1', nn.dense({ features: options.width ?? 256 })),
      nn.relu,
      nn.dropout({ rate: options.dropout ?? 0.2 }),
      nn.named('dense2', nn.dense({ features: 10 })),
    );
  }
  return nn.sequential(
    nn.named('conv1', nn.conv2d({ features: 32, kernelSize: [3, 3], padding: 'VALID' })),
    nn.relu,
    nn.maxPool2d({ window: [2, 2] }),
    nn.named('conv2', nn.conv2d({ features: 64, kernelSize: [3, 3], padding: 'VALID' })),
    nn.relu,
    nn.maxPool2d({ window: [2, 2] }),
    nn.flatten(),
    nn.named('dense1', nn.dense({ features: options.width ?? 128 })),
    nn.relu,
    nn.dropout({ rate: options.dropout ?? 0.5 }),
    nn.named('dense2', nn.dense({ features: 10 })),
  );
}
