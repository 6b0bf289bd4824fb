import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/repoRoot';

interface Progress {
  line(text: string): void;
  readonly phase: string;
  status(): string;
  done(): void;
}
type InstallProgress = (label: string, opts: { stream: NodeJS.WritableStream; now: () => number }) => Progress;

async function load(): Promise<InstallProgress> {
  const lib = (await import(pathToFileURL(path.join(repoRoot(), 'scripts/lib/tools.mjs')).href)) as { installProgress: InstallProgress };
  return lib.installProgress;
}

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean; columns?: number }; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.isTTY = isTTY;
  stream.columns = 200;
  return { stream, text: () => out };
}

// Lines as npm 11 prints them installing code-server with --loglevel=http --foreground-scripts.
const NPM_OUTPUT = [
  'npm http fetch GET 200 https://registry.npmjs.org/code-server 312ms (cache miss)',
  'npm http fetch GET 200 https://registry.npmjs.org/argon2 80ms (cache miss)',
  '',
  '> code-server@4.139.1 postinstall',
  '> sh ./postinstall.sh',
  'Installing Code dependencies...',
  '> @vscode/deviceid@0.1.5 install',
  '> node-gyp rebuild',
  'gyp info it worked if it ends with ok',
  'added 412 packages in 3m',
];

void test('the install status names the phase, the elapsed time and npm\'s latest line', async () => {
  const installProgress = await load();
  let now = 1_000;
  const out = sink(false);
  const p = installProgress('code-server@4.139.1', { stream: out.stream, now: () => now });
  try {
    assert.match(p.status(), /resolving packages, 0 s$/);
    p.line(NPM_OUTPUT[0]!);
    p.line(NPM_OUTPUT[1]!);
    now += 12_000;
    assert.match(p.status(), /downloading packages \(2 fetched\), 12 s: npm http fetch GET 200 https:\/\/registry\.npmjs\.org\/argon2/);
    for (const l of NPM_OUTPUT.slice(2, 8)) p.line(l);
    assert.equal(p.phase, 'running install scripts (@vscode/deviceid@0.1.5)');
    assert.match(p.status(), /: > node-gyp rebuild$/);
    for (const l of NPM_OUTPUT.slice(8)) p.line(l);
    assert.equal(p.phase, 'finishing');
  } finally {
    p.done();
  }
  assert.equal(out.text(), '', 'nothing printed before the first 15 s tick in a log');
});

void test('on a terminal the status line is rewritten in place every second and cleared at the end', async () => {
  const installProgress = await load();
  const tty = sink(true);
  const p = installProgress('x', { stream: tty.stream, now: () => 0 });
  await new Promise((r) => setTimeout(r, 1_150));
  p.done();
  assert.match(tty.text(), /^\r\[tools\] x: resolving packages, 0 s/);
  assert.ok(!tty.text().includes('\n'), 'no new lines on a terminal');
  assert.ok(tty.text().endsWith('\r'), 'the line is cleared');
});
