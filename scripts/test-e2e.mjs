#!/usr/bin/env node
// E2E: packages the VSIX, installs it into code-server and runs every scenario file
// (test/e2e/*.e2e.ts, node:test + playwright-core driving Debian's Chromium) one at a time.
// Screenshots per step go to test-results/e2e/<scenario>/. Writes { passed, failed } to
// $MCP_HOST_SUMMARY_FILE (default test-results/e2e-summary.json).
// --no-package uses the mcp-host-<version>.vsix already in the repo root.
// Usage: node scripts/test-e2e.mjs [--engine 4.139.1] [--no-package] [scenario-name ...]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, ensureCodeServer, CURRENT_ENGINE } from './lib/tools.mjs';

const argv = process.argv.slice(2);
let engine = CURRENT_ENGINE;
let pack = true;
const names = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--engine') engine = argv[++i] ?? engine;
  else if (argv[i] === '--no-package') pack = false;
  else names.push(argv[i]);
}
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
// A VSIX of this run's own: others may package in the same checkout at the same time.
const vsix = path.join(root, '.vscode-test/vsix', `${pkg.name}-${pkg.version}-${process.pid}.vsix`);
const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });
const summaryFile = process.env.MCP_HOST_SUMMARY_FILE ?? path.join(resultsDir, 'e2e-summary.json');
fs.rmSync(summaryFile, { force: true });
const t0 = Date.now();

const step = (script, args = []) => {
  const r = spawnSync(process.execPath, [path.join(root, script), ...args], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step('scripts/build.mjs', ['--out-only']);
if (pack) step('scripts/package.mjs', ['--out', vsix]);
else {
  fs.mkdirSync(path.dirname(vsix), { recursive: true });
  fs.copyFileSync(path.join(root, `${pkg.name}-${pkg.version}.vsix`), vsix);
}
const tt = Date.now();
await ensureCodeServer(engine);
console.log(`[e2e] code-server ${engine} ready in ${((Date.now() - tt) / 1000).toFixed(1)} s`);

const dir = path.join(root, 'out/test/e2e');
let files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.js')).sort() : [];
if (names.length) files = files.filter((f) => names.includes(f.replace(/\.e2e\.js$/, '')));
if (files.length === 0) {
  console.log('[e2e] no scenarios');
  fs.writeFileSync(summaryFile, JSON.stringify({ passed: 0, failed: 0 }));
  process.exit(0);
}
const env = { ...process.env, MCP_HOST_VSIX: vsix, MCP_HOST_CODE_SERVER_VERSION: engine, MCP_HOST_RUN_TAG: String(process.pid) };
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files.map((f) => path.join(dir, f))], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
child.stdout.on('data', (d) => {
  output += d;
  process.stdout.write(d);
});
const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
const grab = (k) => {
  const m = [...output.matchAll(new RegExp(`^\\S*\\s*${k} (\\d+)\\s*$`, 'gm'))];
  return m.length ? Number(m[m.length - 1]?.[1]) : 0;
};
let passed = grab('pass');
let failed = grab('fail') + grab('cancelled');
if (code !== 0 && failed === 0) failed = 1;
fs.writeFileSync(summaryFile, JSON.stringify({ passed, failed }));
console.log(`[e2e] ${files.length} scenario file(s) on code-server ${engine}: passed ${passed}, failed ${failed} in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in test-results/e2e/`);
fs.rmSync(vsix, { force: true });
// Keep the run folders (code-server and extension host logs) only when something failed.
const runsDir = path.join(root, '.vscode-test/runs');
if (failed === 0 && !process.env.MCP_HOST_KEEP_RUNS && fs.existsSync(runsDir))
  for (const d of fs.readdirSync(runsDir)) if (d.startsWith('e2e-') && d.endsWith(`-${process.pid}`)) fs.rmSync(path.join(runsDir, d), { recursive: true, force: true });
if (failed > 0) console.log(`[e2e] logs kept in .vscode-test/runs/e2e-*-${process.pid}/`);
process.exit(failed > 0 ? 1 : 0);
