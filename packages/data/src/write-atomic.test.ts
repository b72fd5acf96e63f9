import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jt from '@jute/tensor';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAtomic } from './file-io';
import { readSafetensors, writeSafetensors } from './safetensors-file';

// Every special file here is made inside a fresh mkdtemp folder; no test names a system
// path. Before the fix, writeSafetensors renamed a regular file over each of them (as
// root it replaced /dev/null and /etc/shadow that way).

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jute-write-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const tree = { w: jt.array([1, 2, 3]) };
const bytes = (s: string) => new TextEncoder().encode(s);

describe('writeAtomic replaces regular files only', () => {
  it('refuses a FIFO with UnsafeTarget, and leaves it a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const r = await writeSafetensors(fifo, tree)();
    expect(r).toMatchObject(E.left({ _tag: 'UnsafeTarget', path: fifo }));
    expect(E.isLeft(r) && 'reason' in r.left && r.left.reason).toMatch(/FIFO/);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
  });

  it('refuses a character device (made with mknod in the temp folder) and leaves it', async (ctx) => {
    const node = join(dir, 'null');
    // mknod needs root (CAP_MKNOD); elsewhere there is no device to test with.
    if (spawnSync('mknod', [node, 'c', '1', '3']).status !== 0) return ctx.skip();
    const r = await writeSafetensors(node, tree)();
    expect(r).toMatchObject(E.left({ _tag: 'UnsafeTarget', path: node }));
    expect(E.isLeft(r) && 'reason' in r.left && r.left.reason).toMatch(/character device/);
    expect((await lstat(node)).isCharacterDevice()).toBe(true);
  });

  it('does not follow a symlink: refuses it, and neither link nor target changes', async () => {
    const target = join(dir, 'secret');
    await writeFile(target, 'secret contents');
    const link = join(dir, 'link.safetensors');
    await symlink(target, link);
    const r = await writeSafetensors(link, tree)();
    expect(r).toMatchObject(E.left({ _tag: 'UnsafeTarget', path: link }));
    expect(E.isLeft(r) && 'reason' in r.left && r.left.reason).toMatch(/symbolic link/);
    expect(await readlink(link)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('secret contents');
    // A dangling link is refused too (a rename would drop it, a follow would create its target).
    const dangling = join(dir, 'dangling');
    await symlink(join(dir, 'nowhere'), dangling);
    expect(await writeAtomic(dangling, [bytes('x')])()).toMatchObject(
      E.left({ _tag: 'UnsafeTarget' }),
    );
    await expect(lstat(join(dir, 'nowhere'))).rejects.toThrow();
  });

  it('refuses a directory', async () => {
    const sub = join(dir, 'sub');
    await mkdir(sub);
    expect(await writeAtomic(sub, [bytes('x')])()).toMatchObject(E.left({ _tag: 'UnsafeTarget' }));
    expect((await stat(sub)).isDirectory()).toBe(true);
  });

  it('leaves no temporary file behind after a refusal', async () => {
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('writeAtomic on regular files', () => {
  it('keeps an existing file’s permission bits', async () => {
    const path = join(dir, 'mode.safetensors');
    await writeFile(path, 'old');
    await chmod(path, 0o640);
    expect(E.isRight(await writeSafetensors(path, tree)())).toBe(true);
    expect((await stat(path)).mode & 0o7777).toBe(0o640);
    const back = await readSafetensors(path)();
    expect(E.isRight(back) && [...back.right.tensors.w!.data()]).toEqual([1, 2, 3]);
  });

  it('creates a new file with the default mode (0666 less the umask)', async () => {
    const path = join(dir, 'new.bin');
    expect(await writeAtomic(path, [bytes('a'), bytes('b')])()).toEqual(E.right(undefined));
    expect(await readFile(path, 'utf8')).toBe('ab');
    const umask = process.umask();
    expect((await stat(path)).mode & 0o777).toBe(0o666 & ~umask);
  });
});

describe('temporary files of a killed writer', () => {
  /** A pid that no process holds: a child that has already exited. */
  const deadPid = (): number => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    return Number(child.stdout.toString());
  };

  it('are removed on the next write of the same target, and nothing else is', async () => {
    const sub = await mkdtemp(join(dir, 'stale-'));
    const target = join(sub, 'ckpt.safetensors');
    const dead = deadPid();
    const stale = `ckpt.safetensors.${dead}.0123456789ab.tmp`;
    const names = {
      stale,
      // Same pattern, but its writer is alive (this process): possibly mid-write.
      live: `ckpt.safetensors.${process.pid}.0123456789ab.tmp`,
      // Another target's temp file, and names that only look similar.
      other: `other.safetensors.${dead}.0123456789ab.tmp`,
      shortHex: `ckpt.safetensors.${dead}.0123.tmp`,
      noPid: 'ckpt.safetensors.x.0123456789ab.tmp',
      prefix: `xckpt.safetensors.${dead}.0123456789ab.tmp`,
    };
    for (const n of Object.values(names)) await writeFile(join(sub, n), 'partial');
    expect(E.isRight(await writeSafetensors(target, tree)())).toBe(true);
    const left = await readdir(sub);
    expect(left).not.toContain(names.stale);
    for (const n of [names.live, names.other, names.shortHex, names.noPid, names.prefix])
      expect(left).toContain(n);
    expect(left).toContain('ckpt.safetensors');
  });

  it('a stale name that is a directory or symlink is left alone', async () => {
    const sub = await mkdtemp(join(dir, 'stale-odd-'));
    const dead = deadPid();
    const asDir = join(sub, `t.${dead}.aaaaaaaaaaaa.tmp`);
    const asLink = join(sub, `t.${dead}.bbbbbbbbbbbb.tmp`);
    await mkdir(asDir);
    await symlink(join(dir, 'secret'), asLink);
    expect(E.isRight(await writeAtomic(join(sub, 't'), [bytes('x')])())).toBe(true);
    expect((await lstat(asDir)).isDirectory()).toBe(true);
    expect((await lstat(asLink)).isSymbolicLink()).toBe(true);
  });
});
