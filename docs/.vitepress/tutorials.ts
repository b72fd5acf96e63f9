/** The tutorial track, in reading order. The sidebar, the tutorials index and the tests read it. */
export interface Tutorial {
  /** Page path under `docs/`, without the `.md` extension. */
  readonly path: string;
  readonly title: string;
}

export const tutorials: readonly Tutorial[] = [
  { path: 'tutorials/01-arrays-and-broadcasting', title: '1. Arrays and broadcasting' },
  { path: 'tutorials/02-neurons-and-perceptron', title: '2. Neurons and the perceptron' },
  { path: 'tutorials/03-activations', title: '3. Activation functions' },
  { path: 'tutorials/04-losses', title: '4. Loss functions' },
  { path: 'tutorials/05-backpropagation', title: '5. Backpropagation' },
  { path: 'tutorials/06-optimizers', title: '6. Optimizers' },
  { path: 'tutorials/07-regularization', title: '7. Regularization' },
  { path: 'tutorials/08-cnn-mnist', title: '8. A CNN on MNIST' },
  { path: 'tutorials/09-rnn-lstm', title: '9. RNNs and LSTMs' },
  { path: 'tutorials/10-transforms', title: '10. Function transforms' },
  { path: 'tutorials/11-fine-tuning', title: '11. Fine-tuning' },
];
