import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as data from '@jute/data';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { positiveInt, resumeConflict, textCheckpoints } from './text-checkpoint';

const dir = await mkdtemp(join(tmpdir(), 'app-kit-checkpoint-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A stand-in app: one width and one name in its architecture; parameters are plain numbers. */
interface ToyConfig {
  readonly vocabSize: number;
  readonly width: number;
  readonly kind: 'a' | 'b';
}
const toyModel = (config: ToyConfig) => ({
  config,
  init: (seed: number) => ({ w: seed, b: [0, 0] }),
});
const format = {
  app: 'jute-toy',
  fields: ['width', 'kind'] as const,
  parse: (m: Readonly<Record<string, string>>): Omit<ToyConfig, 'vocabSize'> | undefined => {
    const width = positiveInt(m.width);
    return width === undefined || (m.kind !== 'a' && m.kind !== 'b')
      ? undefined
      : { width, kind: m.kind };
  },
  architecture: 'toy sizes',
  model: toyModel,
};
const toy = textCheckpoints(format);
const meta = {
  vocabSize: 3,
  width: 4,
  kind: 'b' as const,
  chars: [' ', 'a', 'é'],
  epoch: 2,
  step: 30,
  validationLoss: 1.25,
};
const state = { params: { w: 1.5, b: [2, 3] }, optState: { count: 7 } };
const path = (name: string) => join(dir, `${name}.safetensors`);
const good = {
  app: 'jute-toy',
  vocab: '[" ","a","é"]',
  vocabSize: '3',
  width: '4',
  kind: 'b',
  epoch: '2',
  step: '30',
  validationLoss: '1.25',
};
/** A file with the given metadata and the toy's tensors. */
async function fileWith(name: string, metadata: Record<string, string>, tree: unknown = state) {
  const written = await data.writeSafetensors(path(name), tree, { metadata })();
  if (E.isLeft(written)) throw new Error(data.formatDataError(written.left));
  return path(name);
}
const loadError = async (file: string) => {
  const r = await toy.load(file)();
  return E.isLeft(r) ? r.left.message : 'loaded';
};

describe('textCheckpoints: save', () => {
  it('writes the app, the vocabulary, the architecture and the progress, in that order', async () => {
    const saved = await toy.save(path('saved'), state, meta)();
    expect(E.isRight(saved)).toBe(true);
    const back = await data.readSafetensors(path('saved'))();
    if (E.isLeft(back)) throw new Error(data.formatDataError(back.left));
    expect(back.right.metadata).toEqual(good);
    expect(Object.keys(back.right.metadata)).toEqual(Object.keys(good));
    expect(Object.keys(back.right.tensors).sort()).toEqual([
      'optState.count',
      'params.b.0',
      'params.b.1',
      'params.w',
    ]);
  });

  it('reports a write it cannot do as an error, not an exception', async () => {
    const r = await toy.save(join(dir, 'no-such-dir', 'x.safetensors'), state, meta)();
    expect(E.isLeft(r) && r.left.message).toContain('no-such-dir');
  });
});

describe('textCheckpoints: load', () => {
  it('reads back the metadata, the vocabulary, the model and the tensors', async () => {
    const file = await fileWith('good', good);
    const r = await toy.load(file)();
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.meta).toEqual(meta);
    expect(r.right.vocab.chars).toEqual([' ', 'a', 'é']);
    expect(r.right.model.config).toEqual(meta);
    expect(r.right.restore({ params: r.right.model.init(0) })).toEqual(
      E.right({ params: { w: 1.5, b: [2, 3] } }),
    );
  });

  it('treats missing progress fields as zero epochs and an unknown loss', async () => {
    const { epoch: _e, step: _s, validationLoss: _v, ...bare } = good;
    const r = await toy.load(await fileWith('bare', bare))();
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.meta).toMatchObject({ epoch: 0, step: 0 });
    expect(r.right.meta.validationLoss).toBeNaN();
  });

  it("refuses another app's file, or one naming no app", async () => {
    const other = await fileWith('other', { ...good, app: 'jute-mnist' });
    expect(await loadError(other)).toBe(`${other}: not a toy checkpoint (written by jute-mnist)`);
    const { app: _, ...noApp } = good;
    const anonymous = await fileWith('anonymous', noApp);
    expect(await loadError(anonymous)).toBe(
      `${anonymous}: not a toy checkpoint (no app in its metadata)`,
    );
  });

  it.each([
    ['vocab', 'not json'],
    ['vocab', '{"a":1}'],
    ['vocab', '[" ","a"]'],
    ['vocab', '[" ","ab","é"]'],
    ['vocab', '[" ",1,"é"]'],
    ['vocab', '["a","a","é"]'],
    ['vocabSize', '0'],
    ['vocabSize', '3.5'],
    ['width', '-4'],
    ['width', ''],
    ['kind', 'c'],
  ])('refuses corrupt metadata: %s = %j', async (key, value) => {
    const file = await fileWith(`corrupt-${key}`, { ...good, [key]: value });
    expect(await loadError(file)).toBe(
      `${file}: corrupt checkpoint metadata (vocabulary or toy sizes)`,
    );
  });

  it('refuses a vocabulary out of code-point order (its ids would be scrambled)', async () => {
    const file = await fileWith('order', { ...good, vocab: '["a"," ","é"]' });
    expect(await loadError(file)).toBe(`${file}: corrupt checkpoint metadata (vocabulary order)`);
  });

  it('refuses non-finite tensors, naming the tensor', async () => {
    const nan = { params: { w: Number.NaN, b: [2, 3] }, optState: {} };
    const file = await fileWith('nan', good, nan);
    expect(await loadError(file)).toBe(
      `${file}: the checkpoint holds non-finite values: 'params.w' holds 1 non-finite value of 1 (first NaN at flat index 0)`,
    );
    // Checked before the metadata: a diverged file is named as such whatever it claims to be.
    const other = await fileWith('nan-other', { app: 'jute-mnist' }, nan);
    expect(await loadError(other)).toContain('non-finite values');
  });

  it('refuses to restore tensors that do not fit the template', async () => {
    const file = await fileWith('good-again', good);
    const r = await toy.load(file)();
    if (E.isLeft(r)) throw new Error(r.left.message);
    const restored = r.right.restore({ params: { w: 0, b: [0, 0, 0] } });
    const message = E.isLeft(restored) ? restored.left.message : '';
    expect(message).toContain(`${file}: tensors do not match the architecture in its metadata (`);
    expect(message).toContain('params.b.2');
  });

  it('names the file it cannot read', async () => {
    const junk = path('junk');
    await writeFile(junk, 'not a safetensors file at all');
    expect(await loadError(junk)).toContain(junk);
    expect(await loadError(path('missing'))).toContain(path('missing'));
  });
});

describe('positiveInt', () => {
  it('accepts whole numbers above zero only', () => {
    expect(positiveInt('64')).toBe(64);
    expect(['0', '-1', '1.5', 'x', '', undefined].map(positiveInt)).toEqual(
      Array(6).fill(undefined),
    );
  });
});

describe('resumeConflict', () => {
  const vocab = data.charVocab(' aé');
  const config = { vocabSize: 3, width: 4, kind: 'b' as const };

  it('lets a checkpoint with the same architecture and characters continue', () => {
    expect(resumeConflict('c.st', meta, config, vocab, ['width', 'kind'])).toBeUndefined();
  });

  it('names the flags that differ, or all of them', () => {
    const wider = { ...config, width: 8 };
    expect(resumeConflict('c.st', meta, wider, vocab, ['width', 'kind'])?.message).toBe(
      'c.st has --width 4, not --width 8',
    );
    expect(resumeConflict('c.st', meta, wider, vocab, ['kind', 'width'], 'all')?.message).toBe(
      'c.st has --kind b --width 4, not --kind b --width 8',
    );
  });

  it('refuses another character set', () => {
    expect(resumeConflict('c.st', meta, config, data.charVocab(' ab'), ['width'])?.message).toBe(
      'c.st was trained on a corpus with a different character set',
    );
  });
});
