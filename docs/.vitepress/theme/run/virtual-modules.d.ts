declare module 'virtual:jute-run-modules' {
  /** Loaders of the modules a page's code may import, by specifier (fp-ts ones canonical). */
  export const loaders: Readonly<Record<string, () => Promise<unknown>>>;
}
