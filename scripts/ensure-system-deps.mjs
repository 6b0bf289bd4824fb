#!/usr/bin/env node
// The Debian packages the tests and the demo need, in one place. When some are missing: installed with apt-get
// when running as root (as on CI and these machines), otherwise a clear error with the command to run.
//   chromium     the browser the integration and e2e layers drive (and the demo's --smoke check)
//   libkrb5-dev  code-server's kerberos module compiles against it
//   ripgrep      seeds code-server 4.100.3's offline install (its installer would download rg)
//   g++ make python3  node-gyp, for code-server's native modules
// Usage: node scripts/ensure-system-deps.mjs [--for demo|test]   (default: test, which needs all of them)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const NEEDS = {
  test: ['chromium', 'libkrb5-dev', 'ripgrep', 'g++', 'make', 'python3'],
  demo: ['libkrb5-dev', 'g++', 'make', 'python3'],
};
// Tools count as present when they are on PATH, however installed (python3 may come from pyenv, say).
const TOOLS = new Set(['g++', 'make', 'python3']);

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v '${cmd}'`], { stdio: 'ignore' }).status === 0;
const installed = (pkg) => (TOOLS.has(pkg) && onPath(pkg)) || spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

/** Makes sure the packages `purpose` needs are installed; throws with the command to run when it cannot. */
export function ensureSystemDeps(purpose = 'test') {
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/dpkg')) return; // elsewhere: see the README
  const missing = NEEDS[purpose].filter((p) => !installed(p));
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them with: sudo sh -c '${cmd}'`);
  console.error(`[deps] installing ${missing.join(' ')} with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}); run: ${cmd}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--for');
  try {
    ensureSystemDeps(i > 0 ? process.argv[i + 1] : 'test');
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
