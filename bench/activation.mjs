#!/usr/bin/env node
// Activation cost of the extension bundle, measured outside VS Code.
//
//   node bench/activation.mjs [--runs N] [--profile] [--json] [--bundle path]
//
// Each run is a fresh `node` child process (cold module cache) that
//   1. times `require('dist/extension.js')` (parse + compile + module evaluation of the bundle), then
//   2. times `activate(context)` until it returns (awaited if it returns a promise): the tree, commands and
//      features are registered by then; the first configuration load runs in the background and is not counted.
// `vscode` is the benchmarks' one fake (bench/fakeVscode.mjs): concrete classes and namespaces for what
// activate() touches, backed by an empty temporary workspace folder. The bundle logs its real activation time in
// the "MCP Host" output channel ("activated in N ms").
// Any vscode member the fake lacks is answered by a no-op and listed in `fakeGaps`: if that list is not empty,
// extend the fake (the numbers would otherwise miss work).
//
// --profile adds one more child run under `--cpu-prof` and attributes the load phase's samples (via the bundle's
// source map) to packages and to our source directories: `loadProfile`.
//
// API (`npm run bench` times activation through bench/worker.mjs, which calls activateOnce in a fresh worker):
//   import { measureActivation, activateOnce } from './activation.mjs';
//   const once = await activateOnce(bundle);   // { loadMs, activateMs, loadCpuMs, activateCpuMs, filesLoaded, fakeGaps }
//   const r = await measureActivation({ runs: 10, profile: false });
//   r = { runs, medianLoadMs, medianActivateMs, medianTotalMs, p90TotalMs, minTotalMs,
//         medianLoadCpuMs, medianActivateCpuMs (CPU time of the child: robust on a busy machine), bundleBytes,
//         bundleFiles: { 'dist/extension.js': bytes, ... } (every dist/*.js: the VSIX ships them),
//         filesLoaded: names of the bundle directory's files read by require + activate (not dist/vendor.js),
//         samples: [{ loadMs, activateMs, loadCpuMs, activateCpuMs }],
//         fakeGaps: string[], loadavg: number[], cpus: number, node: string, note: string,
//         loadProfile?: { totalMs, byGroup: [{ group, ms }] } }
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installFakeVscode, makeContext, makeFakeVscode } from './fakeVscode.mjs';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');
const defaultBundle = path.join(root, 'dist', 'extension.js');

export const note =
  'Measured in a fresh Node process per run with a fake `vscode` module (bench/fakeVscode.mjs); the fake is valid only for benchmarks: ' +
  'a real extension host cannot be timed per module from outside and adds its own IPC. load = require(bundle); activate = activate(context) until it returns.';

// ------------------------------------------------------------------------------------------------ parent side

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function runChild(bundle, extraNodeArgs = [], extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...extraNodeArgs, here, '--child', bundle, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line);
        if (r.error) reject(new Error(`activation child failed: ${r.error}`));
        else resolve(r);
      } catch {
        reject(new Error(`activation child exited with ${code}: ${(err || out).slice(-2000)}`));
      }
    });
  });
}

function bundleFiles(bundle) {
  const dir = path.dirname(bundle);
  const files = {};
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.js')) files[path.relative(root, path.join(dir, f))] = fs.statSync(path.join(dir, f)).size;
  return files;
}

/**
 * Runs `runs` cold activations (plus one discarded warm-up run that fills the OS file cache) and returns medians.
 * @param {{ runs?: number, profile?: boolean, bundle?: string }} [options]
 */
export async function measureActivation({ runs = 10, profile = false, bundle = defaultBundle } = {}) {
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} does not exist: run node scripts/build.mjs first`);
  await runChild(bundle); // warm-up: disk cache, not module cache (every run is a new process)
  const samples = [];
  const gaps = new Set();
  let filesLoaded = [];
  for (let i = 0; i < runs; i++) {
    const r = await runChild(bundle);
    samples.push({ loadMs: r.loadMs, activateMs: r.activateMs, loadCpuMs: r.loadCpuMs, activateCpuMs: r.activateCpuMs });
    for (const g of r.fakeGaps) gaps.add(g);
    filesLoaded = r.filesLoaded;
  }
  const totals = samples.map((s) => s.loadMs + s.activateMs);
  const files = bundleFiles(bundle);
  const result = {
    runs,
    medianLoadMs: median(samples.map((s) => s.loadMs)),
    medianActivateMs: median(samples.map((s) => s.activateMs)),
    medianTotalMs: median(totals),
    p90TotalMs: quantile(totals, 0.9),
    minTotalMs: Math.min(...totals),
    // CPU time (user + system) of the child during each phase: far less sensitive to other processes than wall time.
    medianLoadCpuMs: median(samples.map((s) => s.loadCpuMs)),
    medianActivateCpuMs: median(samples.map((s) => s.activateCpuMs)),
    bundleBytes: fs.statSync(bundle).size,
    bundleFiles: files,
    filesLoaded,
    samples,
    fakeGaps: [...gaps].sort(),
    loadavg: os.loadavg(),
    cpus: os.cpus().length,
    node: process.version,
    note,
  };
  if (profile) result.loadProfile = await profileLoad(bundle);
  return result;
}

// Group a source path from the bundle's source map: node_modules/<pkg>[/<subdir>] or src/<dir>.
function groupOf(source) {
  if (!source) return '(no source)';
  const s = source.replace(/\\/g, '/');
  const nm = s.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = s.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? s);
  }
  const src = s.indexOf('src/');
  if (src >= 0) {
    const parts = s.slice(src).split('/');
    return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, parts.length - 1).join('/') || s;
  }
  return s;
}

async function profileLoad(bundle) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-host-actprof-'));
  try {
    const child = await runChild(bundle, ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', dir], ['--load-only']);
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return undefined;
    const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const mapFile = `${bundle}.map`;
    const { SourceMap } = createRequire(import.meta.url)('node:module');
    const map = fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8'))) : undefined;
    const bundleUrl = new URL(`file://${bundle}`).href;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Innermost frame inside the bundle for each profile node (memoized), mapped to its original source.
    const groupFor = new Map();
    const nodeGroup = (id) => {
      if (groupFor.has(id)) return groupFor.get(id);
      const n = byId.get(id);
      let g;
      const cf = n.callFrame;
      if (cf.url === bundleUrl || cf.url === bundle) {
        if (cf.lineNumber === 0 && cf.columnNumber === 0 && !cf.functionName) g = 'bundle top level';
        else {
          const e = map?.findEntry(cf.lineNumber, cf.columnNumber);
          // Unmapped code is esbuild's runtime (__commonJS/__esm wrappers): V8's lazy compilation of a module's
          // body shows up there.
          g = e?.originalSource ? groupOf(e.originalSource) : 'esbuild module wrappers (incl. lazy compilation)';
        }
      } else {
        const p = parent.get(id);
        g = p === undefined ? null : nodeGroup(p);
      }
      groupFor.set(id, g);
      return g;
    };
    // The load phase: samples between the child's markers (both clocks are CLOCK_MONOTONIC in µs).
    const [from, to] = child.loadWindowUs;
    const times = [];
    let t = prof.startTime;
    for (const d of prof.timeDeltas) times.push((t += d));
    const totals = new Map();
    let totalUs = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      const at = times[i];
      if (at < from || at > to) continue;
      const id = prof.samples[i];
      // Code in the bundle by its source; the rest by what the engine was doing.
      let g = nodeGroup(id);
      if (g === null) {
        const fn = byId.get(id).callFrame.functionName;
        g =
          fn === '(garbage collector)'
            ? 'V8 garbage collection'
            : fn === 'wrapSafe' || fn === 'compileFunction'
              ? 'V8 compiling the bundle (parse)'
              : fn === '(program)'
                ? 'V8/native (other)'
                : 'node require machinery (resolve, read)';
      }
      const dt = Math.min(to, times[i + 1] ?? at) - at;
      totals.set(g, (totals.get(g) ?? 0) + dt);
      totalUs += dt;
    }
    const byGroup = [...totals].map(([group, us]) => ({ group, ms: +(us / 1000).toFixed(1) })).sort((a, b) => b.ms - a.ms);
    return {
      totalMs: +(totalUs / 1000).toFixed(1),
      byGroup,
      note: 'one run under --cpu-prof (50 µs samples) restricted to require(bundle); bundle code by original source (source map), the rest by engine activity; the profiler itself slows the run',
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------ child side

/**
 * One activation in THIS process (the module cache decides what is cold): require(bundle), then activate(context)
 * with the fake `vscode` (bench/fakeVscode.mjs) over an empty temporary workspace folder, then dispose and
 * deactivate. Used by the children above and by bench/worker.mjs (`npm run bench`). Throws if activate() throws.
 * @param {string} bundle absolute path of dist/extension.js (or a copy)
 * @param {boolean} [loadOnly] stop after require(bundle)
 */
export async function activateOnce(bundle, loadOnly = false) {
  /** @type {Set<string>} */
  const gaps = new Set();
  const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-host-actbench-'));
  try {
    const fake = makeFakeVscode(workspaceDir, gaps);
    installFakeVscode(fake.vscode);
    const require = createRequire(import.meta.url);
    const cpuMs = (u) => (u.user + u.system) / 1000;
    const us = () => Number(process.hrtime.bigint() / 1000n);
    const c0 = process.cpuUsage();
    const h0 = us();
    const t0 = performance.now();
    const ext = require(bundle);
    const t1 = performance.now();
    const h1 = us();
    const c1 = process.cpuUsage();
    if (loadOnly) return { loadMs: t1 - t0, activateMs: 0, loadCpuMs: cpuMs(process.cpuUsage(c0)), loadWindowUs: [h0, h1], fakeGaps: [...gaps] };
    const context = makeContext(fake, workspaceDir);
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    await ext.activate(context);
    const t3 = performance.now();
    const activateCpuMs = cpuMs(process.cpuUsage(c2));
    const loadCpuMs = cpuMs({ user: c1.user - c0.user, system: c1.system - c0.system });
    for (const d of context.subscriptions.splice(0).reverse()) {
      try {
        await d.dispose();
      } catch {
        /* disposal errors are not activation's */
      }
    }
    // Which files next to the bundle were read by activation (dist/vendor.js must not be).
    const dir = path.dirname(bundle);
    const filesLoaded = Object.keys(require.cache)
      .filter((f) => path.dirname(f) === dir)
      .map((f) => path.basename(f));
    await ext.deactivate?.();
    return { loadMs: t1 - t0, activateMs: t3 - t2, loadCpuMs, activateCpuMs, filesLoaded, fakeGaps: [...gaps] };
  } finally {
    fs.rmSync(workspaceDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------ entry points

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  try {
    const r = await activateOnce(argv[1] ?? defaultBundle, argv.includes('--load-only'));
    process.stdout.write(`\n${JSON.stringify(r)}\n`);
  } catch (e) {
    process.stdout.write(`\n${JSON.stringify({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) })}\n`);
  }
  process.exit(0);
} else if (path.resolve(process.argv[1] ?? '') === here) {
  const opt = (name, d) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : d;
  };
  const r = await measureActivation({
    runs: Number(opt('--runs', 10)),
    profile: argv.includes('--profile'),
    bundle: path.resolve(opt('--bundle', defaultBundle)),
  });
  if (argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '?');
    console.log(`Activation (${r.runs} cold runs, node ${r.node}, ${r.cpus} cpus, load avg ${r.loadavg.map((x) => x.toFixed(2)).join(' ')})`);
    console.log(`  require(bundle)   median ${f(r.medianLoadMs)} ms`);
    console.log(`  activate(context) median ${f(r.medianActivateMs)} ms`);
    console.log(`  total             median ${f(r.medianTotalMs)} ms, p90 ${f(r.p90TotalMs)} ms, min ${f(r.minTotalMs)} ms   (target < 50 ms)`);
    console.log(`  CPU time          load median ${f(r.medianLoadCpuMs)} ms, activate median ${f(r.medianActivateCpuMs)} ms`);
    console.log(`  bundle: ${Object.entries(r.bundleFiles).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KiB`).join(', ')}; read on activation: ${r.filesLoaded.join(', ')}`);
    console.log(`  samples (load/activate ms): ${r.samples.map((s) => `${f(s.loadMs)}/${f(s.activateMs)}`).join(' ')}`);
    if (r.fakeGaps.length) console.log(`  WARNING: the fake vscode lacks ${r.fakeGaps.join(', ')} (answered by no-ops): extend it`);
    if (r.loadProfile) {
      console.log(`  load profile (${r.loadProfile.note}; ${r.loadProfile.totalMs} ms):`);
      for (const g of r.loadProfile.byGroup.slice(0, 15)) console.log(`    ${g.ms.toFixed(1).padStart(7)} ms  ${g.group}`);
    }
    console.log(`  ${r.note}`);
  }
}
