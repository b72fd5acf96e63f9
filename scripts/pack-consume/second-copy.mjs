// What a second, different copy of @jute/tensor finds when it loads: the mark of the first
// one on globalThis. It must refuse to load, with an error that says why.
Object.defineProperty(globalThis, Symbol.for('@jute/tensor/instance'), {
  value: { version: '0.0.0-another-copy' },
  configurable: true,
});
try {
  await import('@jute/tensor');
  console.log('loaded');
} catch (e) {
  console.log(String(e?.message ?? e));
}
