/**
 * The browser build of `@jute/datasets`: MNIST, fetched from where a site serves the `mnist`
 * package's digit files (`loadMnist({ url })`, default `/mnist/`), with the same split as in
 * Node. *Moby-Dick* is Node only (`loadMobyDick` reads a file): fetch the text yourself.
 * @packageDocumentation
 */
export { type LabelledImages, loadMnist, type Mnist, type MnistOptions } from './mnist-browser';
