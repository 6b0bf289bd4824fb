#!/usr/bin/env node
// `npm run demo`: builds the VSIX, starts code-server on 127.0.0.1 with it installed and demo/workspace
// open, prints the URL, and stops everything it started on Ctrl+C (a /proc walk of its own process tree).
// server-everything is configured twice: in the demo user settings (`mcpHost.servers.everything`, starts
// with no question) and in demo/workspace/.vscode/mcp.json (`everything-workspace`, a workspace server,
// which MCP Host asks you to approve). Both run with node from node_modules: no npx, no network.
// A third copy runs in its Streamable HTTP mode on 127.0.0.1 (started here, stopped on Ctrl+C) and is configured
// as the remote server `everything-remote` ({ "type": "http", "url": ... }): local and remote side by side.
// Usage: node scripts/demo.mjs [--port N] [--engine 4.139.1] [--smoke]
//   --smoke: open the workbench in headless Chromium, wait for the server's tools in the tree, save
//            test-results/demo.png, then stop (a self-check of the demo).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root, CURRENT_ENGINE, ensureCodeServer } from './lib/tools.mjs';
import { startCodeServer, installVsix, workbenchUrl, chromiumPath, CHROMIUM_ARGS } from './lib/codeServer.mjs';
import { freePort } from './lib/proc.mjs';
import { ensureSystemDeps } from './ensure-system-deps.mjs';

const argv = process.argv.slice(2);
let engine = CURRENT_ENGINE;
let port = Number(process.env.MCP_HOST_DEMO_PORT ?? 0);
const smoke = argv.includes('--smoke');
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--engine') engine = argv[++i] ?? engine;
  if (argv[i] === '--port') port = Number(argv[++i]);
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const r = spawnSync(process.execPath, [path.join(root, 'scripts/package.mjs')], { stdio: 'inherit', cwd: root });
if (r.status !== 0) process.exit(r.status ?? 1);
ensureSystemDeps(smoke ? 'test' : 'demo'); // code-server compiles native modules; --smoke also needs chromium
await ensureCodeServer(engine);

const runDir = path.join(root, '.vscode-test/demo');
fs.rmSync(runDir, { recursive: true, force: true });
const userDataDir = path.join(runDir, 'user-data');
const extensionsDir = path.join(runDir, 'extensions');
const workspace = path.join(root, 'demo/workspace');
const everything = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
if (!fs.existsSync(everything)) {
  console.error(`${everything} is missing: run npm ci first`);
  process.exit(1);
}
// The remote one: server-everything's Streamable HTTP mode on a free local port (it takes the port from PORT).
const remotePort = await freePort();
const remote = spawn(process.execPath, [everything, 'streamableHttp'], {
  env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(remotePort) },
  stdio: 'ignore',
});
const remoteUrl = `http://127.0.0.1:${remotePort}/mcp`;
process.on('exit', () => remote.kill('SIGKILL')); // also when a later step fails
await installVsix({ version: engine, runDir: path.join(runDir, 'code-server'), vsix, userDataDir, extensionsDir });
if (!port) port = (await isFree(8080)) ? 8080 : await freePort();
const server = await startCodeServer({
  version: engine,
  runDir: path.join(runDir, 'code-server'),
  folder: workspace,
  userDataDir,
  extensionsDir,
  port,
  userSettings: {
    'mcpHost.servers': {
      everything: { command: 'node', args: [everything, 'stdio'] },
      'everything-remote': { type: 'http', url: remoteUrl },
    },
    'workbench.colorTheme': 'Default Dark Modern',
  },
});
const url = workbenchUrl(server.url, { folder: workspace });

let stopping = false;
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server and everything it started ...');
  await server.stop();
  remote.kill('SIGKILL');
  console.log('stopped.');
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));

console.log(`\nMCP Host demo (code-server ${engine}, VS Code ${server.vscodeVersion}) is running.`);
console.log(`Open: ${url}`);
console.log(`Log:  ${path.relative(root, server.logFile)}`);
console.log(`Remote server (Streamable HTTP): ${remoteUrl}`);
console.log('Press Ctrl+C to stop.\n');

if (smoke) {
  const { chromium } = await import('playwright-core');
  let code = 1;
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    const icon = page.locator('.part.activitybar [aria-label^="MCP Host"]').first();
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: /^everything$|everything(?!-)/ }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click();
    await page.locator('.part.sidebar .monaco-list-row', { hasText: /echo|Tools/ }).first().waitFor({ timeout: 60_000 });
    fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(root, 'test-results/demo.png') });
    console.log('smoke check passed: test-results/demo.png');
    code = 0;
  } catch (e) {
    console.error(`smoke check failed: ${e instanceof Error ? e.message : e}`);
  } finally {
    await browser.close();
  }
  await stop(code);
}

function isFree(p) {
  return new Promise((resolve) => {
    import('node:net').then(({ default: net }) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  });
}
