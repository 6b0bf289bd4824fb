// Starts code-server (a real VS Code workbench and extension host) the way /work/shared/VSCODE-TESTING.md
// describes: its own config, XDG dirs and TMPDIR inside a run folder, no marketplace, quiet settings, the
// smoke-test driver enabled (so a URL payload can run extension tests), stopped by a /proc tree walk.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureCodeServer, cleanEnv, CURRENT_ENGINE } from './tools.mjs';
import { freePort, killTree, waitForHttp } from './proc.mjs';

/** Settings that keep the workbench quiet and offline. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath() {
  const p = process.env.MCP_HOST_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(p)) throw new Error(`Chromium not found at ${p}: apt-get update && apt-get install -y chromium (or set MCP_HOST_CHROMIUM)`);
  return p;
}

export function writeUserSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

function runDirs(runDir) {
  const d = {
    config: path.join(runDir, 'config.yaml'),
    xdgConfig: path.join(runDir, 'xdg/config'),
    xdgData: path.join(runDir, 'xdg/data'),
    xdgCache: path.join(runDir, 'xdg/cache'),
    tmp: path.join(runDir, 'tmp'),
    log: path.join(runDir, 'code-server.log'),
  };
  for (const k of ['xdgConfig', 'xdgData', 'xdgCache', 'tmp']) fs.mkdirSync(d[k], { recursive: true });
  return d;
}

function csEnv(tool, d, extra = {}) {
  return {
    ...cleanEnv(),
    ...tool.env,
    XDG_CONFIG_HOME: d.xdgConfig,
    XDG_DATA_HOME: d.xdgData,
    XDG_CACHE_HOME: d.xdgCache,
    TMPDIR: d.tmp,
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

/** Installs a VSIX into `extensionsDir` (under a second). */
export async function installVsix({ version = CURRENT_ENGINE, runDir, vsix, userDataDir, extensionsDir }) {
  const tool = await ensureCodeServer(version);
  fs.mkdirSync(runDir, { recursive: true });
  const d = runDirs(runDir);
  fs.writeFileSync(d.config, 'auth: none\ncert: false\n');
  const r = spawnSync(
    tool.node,
    [tool.entry, '--config', d.config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    { env: csEnv(tool, d), encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Starts code-server and resolves when it answers /healthz.
 * Options: version, runDir (created), folder (opened), userDataDir, extensionsDir, userSettings (merged
 * into QUIET_SETTINGS and written before start), workspaceTrust (false: --disable-workspace-trust),
 * env (extra environment, seen by the extension host), port, host, quiet (do not echo the log).
 * Returns { url, port, pid, logFile, stop() }.
 */
export async function startCodeServer(opts) {
  const { version = CURRENT_ENGINE, runDir, folder, workspaceTrust = false, env = {}, host = '127.0.0.1' } = opts;
  const tool = await ensureCodeServer(version);
  fs.mkdirSync(runDir, { recursive: true });
  const d = runDirs(runDir);
  const userDataDir = opts.userDataDir ?? path.join(runDir, 'user-data');
  const extensionsDir = opts.extensionsDir ?? path.join(runDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  if (opts.userSettings !== undefined || !fs.existsSync(path.join(userDataDir, 'User/settings.json'))) {
    writeUserSettings(userDataDir, {
      ...QUIET_SETTINGS,
      ...(workspaceTrust ? { 'security.workspace.trust.enabled': true } : {}),
      ...(opts.userSettings ?? {}),
    });
  }
  const port = opts.port ?? (await freePort());
  fs.writeFileSync(d.config, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const args = [
    tool.entry,
    '--config', d.config,
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    // Newer VS Code ignores the extension-test URL payload without the smoke-test driver; code-server
    // 4.100 has no --vscode-option (and honours the payload anyway).
    ...(Number(version.split('.')[1]) > 100 ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(folder ? [folder] : []),
  ];
  const logStream = fs.openSync(d.log, 'a');
  // Its own process group: a Ctrl+C in the terminal reaches only us, so code-server cannot exit first and
  // leave its children (extension host, MCP servers) re-parented where the /proc walk would miss them.
  const child = spawn(tool.node, args, { env: csEnv(tool, d, env), stdio: ['ignore', logStream, logStream], detached: true });
  fs.closeSync(logStream);
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (child.pid) await killTree(child.pid);
  };
  const url = `http://${host}:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, 60_000, () => exited);
  } catch (e) {
    await stop();
    throw new Error(`${e instanceof Error ? e.message : e}\n--- ${d.log} ---\n${fs.readFileSync(d.log, 'utf8').slice(-4000)}`);
  }
  return { url, port, pid: child.pid, logFile: d.log, userDataDir, extensionsDir, vscodeVersion: tool.vscodeVersion, stop, child };
}

/**
 * The URL that opens `folder` in the workbench, optionally with an extension-test payload.
 * @param {string} baseUrl
 * @param {{ folder?: string, payload?: unknown }} [options]
 */
export function workbenchUrl(baseUrl, { folder, payload } = {}) {
  const q = [];
  if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  if (folder) q.push(`folder=${encodeURIComponent(folder)}`);
  return `${baseUrl}/${q.length ? `?${q.join('&')}` : ''}`;
}

/** A vscode-remote:// URI for a path on the code-server machine. */
export function remoteUri(baseUrl, absPath) {
  const { host } = new URL(baseUrl);
  return `vscode-remote://${host}${absPath.split(path.sep).map(encodeURIComponent).join('/')}`;
}
