#!/usr/bin/env node
// Stands in for the VS Code executable that @vscode/test-electron launches (`vscodeExecutablePath`).
// Accepts the flags test-electron passes (--extensionDevelopmentPath=, --extensionTestsPath=,
// --user-data-dir=, --extensions-dir=, --disable-workspace-trust, a folder; others are ignored), starts
// code-server with them, opens the workbench in headless Chromium with the extension-test URL payload,
// prints the test output it receives through codeAutomationLog and exits with the code the tests report
// through codeAutomationExit.
//
// Environment:
//   MCP_HOST_CODE_SERVER_VERSION  code-server version to run (default: the current engine)
//   MCP_HOST_ENABLE_WORKSPACE_TRUST=1  keep workspace trust on (test-electron always passes --disable-workspace-trust)
//   MCP_HOST_TEST_ENV_KEYS        comma-separated names of env vars to hand to the extension host
//   MCP_HOST_SHIM_SCREENSHOT      file to write a screenshot of the workbench to when the tests end
//   MCP_HOST_SHIM_TIMEOUT_MS      give up after this long (default 600000)
//   MCP_HOST_RUN_DIR              where code-server's config/XDG/tmp dirs go (default: next to user-data-dir)
//   MCP_HOST_SHIM_VERBOSE=1       echo the workbench console (always written to <run dir>/workbench-console.log;
//                                 its tail is printed when the tests fail)
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { chromium } from 'playwright-core';
import { startCodeServer, workbenchUrl, remoteUri, chromiumPath, CHROMIUM_ARGS, QUIET_SETTINGS, writeUserSettings } from './lib/codeServer.mjs';
import { CURRENT_ENGINE } from './lib/tools.mjs';

const flags = {};
const positional = [];
for (const a of process.argv.slice(2)) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
  if (m) flags[m[1]] = m[2] ?? true;
  else positional.push(a);
}
const devPath = flags.extensionDevelopmentPath;
const testsPath = flags.extensionTestsPath;
if (!devPath || !testsPath) {
  process.stderr.write('code-server-shim: --extensionDevelopmentPath= and --extensionTestsPath= are required\n');
  process.exit(2);
}
const version = process.env.MCP_HOST_CODE_SERVER_VERSION || CURRENT_ENGINE;
const userDataDir = path.resolve(flags['user-data-dir'] ?? fs.mkdtempSync('/tmp/mcp-host-ud-'));
const extensionsDir = path.resolve(flags['extensions-dir'] ?? path.join(userDataDir, '..', 'extensions'));
const runDir = path.resolve(process.env.MCP_HOST_RUN_DIR ?? path.join(userDataDir, '..', 'code-server'));
const trust = process.env.MCP_HOST_ENABLE_WORKSPACE_TRUST === '1' || !flags['disable-workspace-trust'];
const folder = positional[0] ? path.resolve(positional[0]) : undefined;
const timeoutMs = Number(process.env.MCP_HOST_SHIM_TIMEOUT_MS ?? 600_000);

const extEnv = {};
for (const k of (process.env.MCP_HOST_TEST_ENV_KEYS ?? '').split(',').filter(Boolean)) {
  if (process.env[k] !== undefined) extEnv[k] = process.env[k];
}

if (!fs.existsSync(path.join(userDataDir, 'User/settings.json'))) {
  writeUserSettings(userDataDir, { ...QUIET_SETTINGS, ...(trust ? { 'security.workspace.trust.enabled': true } : {}) });
}

const verbose = process.env.MCP_HOST_SHIM_VERBOSE === '1';
fs.mkdirSync(runDir, { recursive: true });
const consoleLogFile = path.join(runDir, 'workbench-console.log');
const consoleLog = fs.createWriteStream(consoleLogFile);
let server;
let browser;
let exitCode = 1;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));

try {
  server = await startCodeServer({ version, runDir, folder, userDataDir, extensionsDir, workspaceTrust: trust, env: extEnv });
  process.stdout.write(`[shim] code-server ${version} (VS Code ${server.vscodeVersion}) at ${server.url}\n`);
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const text = util.format(...(Array.isArray(args) ? args : [args]));
    consoleLog.write(`${text}\n`);
    if (verbose) process.stdout.write(`${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => done(Number(code)));
  page.on('pageerror', (e) => process.stderr.write(`[shim] page error: ${e.message}\n`));
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server.url, path.resolve(devPath))],
    ['extensionTestsPath', remoteUri(server.url, path.resolve(testsPath))],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
    ['extensionEnvironment', JSON.stringify(extEnv)],
  ];
  await page.goto(workbenchUrl(server.url, { folder, payload }));
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write(`[shim] the tests did not finish within ${timeoutMs} ms\n`);
      resolve(1);
    }, timeoutMs);
  });
  exitCode = await Promise.race([finished, timeout]);
  clearTimeout(timer);
  const shot = process.env.MCP_HOST_SHIM_SCREENSHOT;
  if (shot) {
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).catch(() => {});
  }
} catch (e) {
  process.stderr.write(`[shim] ${e instanceof Error ? (e.stack ?? e) : e}\n`);
  exitCode = 1;
} finally {
  await cleanup();
}
await new Promise((r) => consoleLog.end(r));
if (exitCode !== 0 && !verbose) {
  const tail = fs.readFileSync(consoleLogFile, 'utf8').split('\n').slice(-80).join('\n');
  process.stdout.write(`[shim] tests exited with ${exitCode}; last workbench console lines (${consoleLogFile}):\n${tail}\n`);
}
process.exit(exitCode);
