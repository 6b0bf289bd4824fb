/**
 * Private files (issue #10, finding 7): directories 0700, files 0600, a planted symbolic link is refused and its
 * target never written. Real directories, real links.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { UnsafePathError, ensurePrivateDir, removeOlderThan, writePrivateFile } from '../../../src/core/base/privateFiles';

const posix = process.platform !== 'win32';
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-private-'));
const mode = (p: string): number => fs.lstatSync(p).mode & 0o777;

void describe('private files', () => {
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  void it('creates every level 0700 and tightens an existing one', { skip: !posix }, async () => {
    const root = path.join(base, 'storage');
    fs.mkdirSync(path.join(root, 'arguments'), { recursive: true, mode: 0o755 });
    fs.chmodSync(path.join(root, 'arguments'), 0o755);
    const dir = await ensurePrivateDir(root, 'arguments', 'server');
    assert.equal(dir, path.join(root, 'arguments', 'server'));
    for (const p of [root, path.join(root, 'arguments'), dir]) assert.equal(mode(p), 0o700, p);
  });

  void it('writes files 0600 and replaces an earlier version', { skip: !posix }, async () => {
    const dir = await ensurePrivateDir(path.join(base, 's2'), 'a');
    const file = path.join(dir, 'x.json');
    await writePrivateFile(file, 'one');
    await writePrivateFile(file, Buffer.from('two'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.equal(mode(file), 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['x.json'], 'no temporary file left');
  });

  void it('a symbolic link planted at the target is refused and its target is not written', { skip: !posix }, async () => {
    const dir = await ensurePrivateDir(path.join(base, 's3'), 'a');
    const victim = path.join(base, 'bashrc');
    fs.writeFileSync(victim, 'original\n');
    const file = path.join(dir, 'tool.arguments.json');
    fs.symlinkSync(victim, file);
    await assert.rejects(writePrivateFile(file, 'evil'), (e: unknown) => e instanceof UnsafePathError && e.code === 'ESYMLINK');
    assert.equal(fs.readFileSync(victim, 'utf8'), 'original\n');
    assert.ok(fs.lstatSync(file).isSymbolicLink(), 'the link is left for the user to see, not followed');
    // A dangling link (the target does not exist yet) is refused too: it must not create the target.
    const dangling = path.join(dir, 'audio.wav');
    fs.symlinkSync(path.join(base, 'created-through-link'), dangling);
    await assert.rejects(writePrivateFile(dangling, 'x'), (e: unknown) => e instanceof UnsafePathError && e.code === 'ESYMLINK');
    assert.equal(fs.existsSync(path.join(base, 'created-through-link')), false);
  });

  void it('a symbolic link in place of a directory is refused', { skip: !posix }, async () => {
    const root = path.join(base, 's4');
    fs.mkdirSync(root);
    const elsewhere = path.join(base, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(root, 'results'));
    await assert.rejects(ensurePrivateDir(root, 'results', 'srv'), (e: unknown) => e instanceof UnsafePathError && e.code === 'ESYMLINK');
    assert.deepEqual(fs.readdirSync(elsewhere), []);
  });

  void it('a directory at the target is refused (ENOTFILE)', async () => {
    const dir = await ensurePrivateDir(path.join(base, 's5'));
    fs.mkdirSync(path.join(dir, 'd'));
    await assert.rejects(writePrivateFile(path.join(dir, 'd'), 'x'), (e: unknown) => e instanceof UnsafePathError && e.code === 'ENOTFILE');
  });
});

void describe('removeOlderThan', () => {
  void it('removes result runs older than the limit, keeps newer ones and empty groups go; links are not followed', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-prune-'));
    try {
      const results = path.join(root, 'results');
      const old = path.join(results, 'srv', 'tool-1');
      const fresh = path.join(results, 'srv', 'tool-2');
      const lonely = path.join(results, 'gone', 'tool-3');
      for (const d of [old, fresh, lonely]) fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(old, '1.png'), 'x');
      const outside = path.join(root, 'outside');
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(outside, 'keep'), 'k');
      fs.symlinkSync(outside, path.join(results, 'srv', 'link'));
      const day = 24 * 3600 * 1000;
      const now = Date.now();
      const past = new Date(now - 8 * day);
      for (const p of [old, lonely]) fs.utimesSync(p, past, past);
      fs.lutimesSync(path.join(results, 'srv', 'link'), past, past);
      const removed = await removeOlderThan(results, 7 * day, now);
      assert.equal(removed, 3);
      assert.deepEqual(fs.readdirSync(results), ['srv']);
      assert.deepEqual(fs.readdirSync(path.join(results, 'srv')), ['tool-2']);
      assert.deepEqual(fs.readdirSync(outside), ['keep'], 'the link target is untouched');
      assert.equal(await removeOlderThan(path.join(root, 'missing'), day), 0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
