#!/usr/bin/env node
// Unit tests: node's test runner over out/test/unit (built from test/unit/**/*.test.ts).
// Usage: node scripts/test-unit.mjs [test/unit/some/file.test.ts ...]   (no args: all)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--out-only'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

let files = process.argv.slice(2).map((f) => path.join(root, 'out', f.replace(/\.ts$/, '.js')));
if (files.length === 0) {
  const dir = path.join(root, 'out/test/unit');
  files = fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.js')).map((f) => path.join(dir, f))
    : [];
}
if (files.length === 0) {
  // With no file arguments `node --test` would search the whole tree by its default patterns.
  console.log('no unit tests found under out/test/unit');
  process.exit(0);
}
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root });
process.exit(res.status ?? 1);
