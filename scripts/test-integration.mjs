#!/usr/bin/env node
// Integration tests: every suite under test/integration/<suite>/ (index.ts exporting run(), *.test.ts,
// optional suite.json) runs with mocha inside a real VS Code extension host through @vscode/test-electron.
// VS Code cannot be downloaded here, so test-electron launches scripts/code-server-shim.mjs as its
// `vscodeExecutablePath`, which runs the same tests in code-server. With MCP_HOST_TEST_DESKTOP=1 the
// desktop build of the engine's VS Code version is downloaded and used instead, with no shim.
//
// Usage: node scripts/test-integration.mjs [--suite NAME]... [--engine 4.100.3|4.139.1]... [--no-build]
//        (default: every suite on both engines, the minimum 4.100.3 = VS Code 1.100 and the current 4.139.1)
// Writes { passed, failed } to $MCP_HOST_SUMMARY_FILE (default test-results/integration-summary.json) for
// scripts/test-all.mjs. Run folders: .vscode-test/runs/integration-<suite>-<engine>-<pid>/, removed when
// the suite passed (MCP_HOST_KEEP_RUNS=1 keeps them).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { root, ENGINES, MIN_ENGINE, CURRENT_ENGINE, ensureCodeServer } from './lib/tools.mjs';
import { QUIET_SETTINGS, writeUserSettings } from './lib/codeServer.mjs';

const argv = process.argv.slice(2);
const suites = [];
const engines = [];
let build = true;
let extensionPath = root;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--suite') suites.push(argv[++i]);
  else if (a === '--engine') engines.push(argv[++i]);
  else if (a === '--no-build') build = false;
  else if (a === '--extension-path') extensionPath = path.resolve(argv[++i] ?? ''); // harness development only
  else {
    console.error(`unknown argument ${a}`);
    process.exit(2);
  }
}
if (engines.length === 0) engines.push(MIN_ENGINE, CURRENT_ENGINE);
for (const e of engines) if (!ENGINES[e]) throw new Error(`unknown engine ${e}; known: ${Object.keys(ENGINES).join(', ')}`);
const desktop = process.env.MCP_HOST_TEST_DESKTOP === '1';

if (build) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const srcDir = path.join(root, 'test/integration');
// A suite is any folder with an index.ts, nested ones included (e.g. trust/consent: another workspace and
// trust setting); a suite's workspace folder is data, never searched for suites.
function findSuites(dir, rel = '') {
  const found = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name === 'workspace' || d.name === 'node_modules') continue;
    const name = rel ? `${rel}/${d.name}` : d.name;
    if (fs.existsSync(path.join(dir, d.name, 'index.ts'))) found.push(name);
    found.push(...findSuites(path.join(dir, d.name), name));
  }
  return found;
}
const all = findSuites(srcDir).sort();
/** A suite's name as a file name (trust/consent -> trust-consent). */
const flat = (suite) => suite.replace(/\//g, '-');
for (const s of suites) if (!all.includes(s)) throw new Error(`no suite ${s} (have: ${all.join(', ')})`);
const selected = suites.length ? suites : all;

const resultsDir = path.join(root, 'test-results');
const runsDir = path.join(root, '.vscode-test/runs');
fs.mkdirSync(resultsDir, { recursive: true });
const shim = path.join(root, 'scripts/code-server-shim.mjs');

let passed = 0;
let failed = 0;
const lines = [];
const t0 = Date.now();
for (const engine of engines) {
  if (!desktop) {
    const t = Date.now();
    await ensureCodeServer(engine);
    console.log(`[integration] code-server ${engine} ready in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  for (const suite of selected) {
    const cfgFile = path.join(srcDir, suite, 'suite.json');
    const cfg = fs.existsSync(cfgFile) ? JSON.parse(fs.readFileSync(cfgFile, 'utf8')) : {};
    // One folder per run and process: several people (or agents) may run suites in one checkout at once.
    const runDir = path.join(runsDir, `integration-${flat(suite)}-${engine}-${process.pid}`);
    fs.rmSync(runDir, { recursive: true, force: true });
    const workspace = path.join(runDir, 'workspace');
    if (cfg.workspace) fs.cpSync(path.join(srcDir, suite, cfg.workspace), workspace, { recursive: true });
    else fs.mkdirSync(workspace, { recursive: true });
    const userDataDir = path.join(runDir, 'user-data');
    const trust = cfg.workspaceTrust === true;
    writeUserSettings(userDataDir, {
      ...QUIET_SETTINGS,
      ...(trust ? { 'security.workspace.trust.enabled': true } : {}),
      ...(cfg.userSettings ?? {}),
    });
    // suite.json `extraExtensions`: more extension folders (repo-relative), installed into the run's extensions folder
    // so they load beside MCP Host (code-server loads one development path only), e.g. a test language model.
    for (const e of cfg.extraExtensions ?? []) {
      const manifest = JSON.parse(fs.readFileSync(path.join(root, e, 'package.json'), 'utf8'));
      fs.cpSync(path.join(root, e), path.join(runDir, 'extensions', `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
    }
    const resultsFile = path.join(runDir, 'results.json');
    const extEnv = { ...(cfg.extensionEnvironment ?? {}), MCP_HOST_TEST_RESULTS: resultsFile, MCP_HOST_TEST_WORKSPACE: workspace };
    const label = `${suite} on ${desktop ? 'VS Code' : 'code-server'} ${desktop ? ENGINES[engine] : `${engine} (VS Code ${ENGINES[engine]})`}`;
    console.log(`\n[integration] ${label}`);
    const ts = Date.now();
    /** @type {unknown} */
    let crashed;
    try {
      await runTests({
        ...(desktop ? { version: ENGINES[engine] } : { vscodeExecutablePath: shim }),
        extensionDevelopmentPath: extensionPath,
        extensionTestsPath: path.join(root, 'out/test/integration', suite, 'index'),
        launchArgs: [workspace, `--user-data-dir=${userDataDir}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
        extensionTestsEnv: {
          ...extEnv,
          MCP_HOST_CODE_SERVER_VERSION: engine,
          MCP_HOST_ENABLE_WORKSPACE_TRUST: trust ? '1' : '',
          MCP_HOST_TEST_ENV_KEYS: Object.keys(extEnv).join(','),
          MCP_HOST_RUN_DIR: path.join(runDir, 'code-server'),
          MCP_HOST_SHIM_SCREENSHOT: path.join(resultsDir, 'integration', `${flat(suite)}-${engine}.png`),
        },
      });
    } catch (e) {
      crashed = e;
    }
    let res;
    try {
      res = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    } catch {
      res = undefined;
    }
    const secs = ((Date.now() - ts) / 1000).toFixed(1);
    if (!res) {
      failed++;
      const msg = `  ✗ ${label}: the suite reported no results (${(crashed instanceof Error ? crashed.message : undefined) ?? 'no results file'})`;
      console.log(msg);
      lines.push(msg);
      continue;
    }
    for (const t of res.tests) {
      const mark = t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '-';
      console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
      if (t.error) console.log(t.error.replace(/^/gm, '      '));
    }
    // A run that exited non-zero with every test passed still failed (e.g. the suite threw while loading).
    const extra = crashed && res.failed === 0 ? 1 : 0;
    passed += res.passed;
    failed += res.failed + extra;
    if (res.failed + extra === 0 && !process.env.MCP_HOST_KEEP_RUNS) fs.rmSync(runDir, { recursive: true, force: true });
    else console.log(`  (logs kept in ${path.relative(root, runDir)})`);
    const line = `[integration] ${label}: ${res.passed} passed, ${res.failed + extra} failed, ${res.pending} pending (${secs} s)`;
    console.log(line);
    lines.push(line);
  }
}
console.log('');
for (const l of lines) console.log(l);
fs.writeFileSync(process.env.MCP_HOST_SUMMARY_FILE ?? path.join(resultsDir, 'integration-summary.json'), JSON.stringify({ passed, failed }));
console.log(`[integration] total: passed ${passed}, failed ${failed} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(failed > 0 ? 1 : 0);
