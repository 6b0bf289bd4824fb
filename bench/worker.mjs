// One benchmark measurement in a fresh process (so module caches, JIT state and peak memory belong to it alone).
// Usage: node bench/worker.mjs '<json: {scenario, client, ...}>'  -> prints one JSON result line.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { activateOnce } from './activation.mjs';
import { cpuMs, pinToOneCpu, serverCpuMs, stillAnswers } from './benchHost.mjs';
import { clients, getDefaultEnvironment, outDir, root, servers } from './clients.mjs';
import { installFakeVscode, makeFakeVscode } from './fakeVscode.mjs';

const spec = JSON.parse(process.argv[2] ?? '');
const require = createRequire(import.meta.url);
const MiB = 1024 * 1024;

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function make(kind, server, opts) {
  return clients[kind](servers[server], opts);
}

/** Loads the client's modules before anything is timed. */
function preload(kind) {
  if (kind === 'host' || kind === 'transport') {
    require(path.join(outDir, 'src/core/host/createHost.js'));
    require(path.join(outDir, 'src/core/transport/stdio/stdioTransport.js'));
    // The SDK is loaded on the first server start (src/core/protocol/loadSdk.ts); the bare SDK client has it loaded
    // before its timer starts too. Its one-time cost is reported under "Activation and size".
    const lazy = path.join(outDir, 'src/core/protocol/loadSdk.js');
    if (fs.existsSync(lazy)) require(lazy).sdk();
  }
}

const scenarios = {
  async coldstart({ client, server, sdkEnv }) {
    preload(client);
    const opts = sdkEnv ? { env: getDefaultEnvironment() } : {};
    const t0 = performance.now();
    const c = await make(client, server, opts);
    const ms = performance.now() - t0;
    const tools = c.tools().length;
    await c.close();
    return { ms, tools };
  },

  /**
   * Sequential echo calls. The first `warmup` calls are measured apart (warmCpuUs): a fresh process spends them mostly
   * compiling (V8's JIT on its threads, the interpreter before), 3-5x the CPU of a later call for every client; the
   * `calls` after them are the per-call cost.
   */
  async echo({ client, calls = 2000, warmup = 3000, server = 'minimal', era, pin }) {
    const pinned = pin ? pinToOneCpu() : undefined;
    const c = await make(client, server, era ? { era } : {});
    const w0 = process.cpuUsage();
    for (let i = 0; i < warmup; i++) await c.callTool('echo', { text: `warm ${i}` });
    const warmCpu = cpuMs(process.cpuUsage(w0));
    const lat = new Float64Array(calls);
    const cpu0 = process.cpuUsage();
    const s0 = serverCpuMs(c.pid);
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) {
      const a = performance.now();
      await c.callTool('echo', { text: `hello ${i}` });
      lat[i] = performance.now() - a;
    }
    const wall = performance.now() - t0;
    const clientCpu = cpuMs(process.cpuUsage(cpu0));
    const serverCpu = serverCpuMs(c.pid) - s0;
    await c.close();
    const sorted = Array.from(lat).sort((a, b) => a - b);
    return {
      p50us: quantile(sorted, 0.5) * 1000,
      p99us: quantile(sorted, 0.99) * 1000,
      clientCpuUs: (clientCpu / calls) * 1000,
      totalCpuUs: ((clientCpu + serverCpu) / calls) * 1000,
      serverCpuUs: (serverCpu / calls) * 1000,
      warmCpuUs: warmup ? (warmCpu / warmup) * 1000 : undefined,
      pinned,
      callsPerS: calls / (wall / 1000),
    };
  },

  /**
   * Both protocol eras of the host in one process, like with like: two servers of the same code (`server`: dual, the v2
   * SDK, or erasMinimal, hand-written; one stdio connection is pinned to one era, so one process cannot serve both),
   * and the raw pipe in both eras against two more, calls in alternating blocks (ABBA),
   * so machine load, JIT state and GC pressure hit both alike. Client CPU per block (process.cpuUsage; a GC that
   * one block's garbage triggers in the next is at most one scavenge per block), server CPU from schedstat.
   */
  async eras({ calls = 3000, warmup = 3000, block = 100, server = 'dual', pin }) {
    const pinned = pin ? pinToOneCpu() : undefined;
    // The raw pipe in both eras (requests shaped as the host's): what the server and the pipe cost per era.
    const variants = [
      ['legacy', 'host'],
      ['modern', 'host'],
      ['legacy', 'raw'],
      ['modern', 'raw'],
    ];
    const cs = [];
    for (const [era, client] of variants) cs.push(await make(client, server, { era }));
    for (let i = 0; i < warmup; i++) for (const c of cs) await c.callTool('echo', { text: `warm ${i}` });
    /** @type {{ lat: number[], cpu: number, server: number }[]} */
    const acc = cs.map(() => ({ lat: [], cpu: 0, server: 0 }));
    const t0 = performance.now();
    for (let done = 0, round = 0; done < calls; done += block, round++) {
      const n = Math.min(block, calls - done);
      for (const i of round % 2 ? [3, 2, 1, 0] : [0, 1, 2, 3]) {
        const c = cs[i];
        const a = acc[i];
        if (!c || !a) throw new Error(`eras: no client ${i}`);
        const s0 = serverCpuMs(c.pid);
        const cpu0 = process.cpuUsage();
        for (let k = 0; k < n; k++) {
          const at = performance.now();
          await c.callTool('echo', { text: `hello ${done + k}` });
          a.lat.push(performance.now() - at);
        }
        a.cpu += cpuMs(process.cpuUsage(cpu0));
        a.server += serverCpuMs(c.pid) - s0;
      }
    }
    const wall = performance.now() - t0;
    for (const c of cs) await c.close();
    const out = { wallMs: wall, pinned };
    variants.forEach(([era, client], i) => {
      const a = acc[i];
      if (!a) return;
      const sorted = a.lat.sort((x, y) => x - y);
      out[`${client}:${era}`] = {
        p50us: quantile(sorted, 0.5) * 1000,
        p99us: quantile(sorted, 0.99) * 1000,
        clientCpuUs: (a.cpu / a.lat.length) * 1000,
        serverCpuUs: (a.server / a.lat.length) * 1000,
      };
    });
    return out;
  },

  async throughput({ client, inflight, calls = 4000 }) {
    const c = await make(client, 'minimal');
    for (let i = 0; i < 200; i++) await c.callTool('echo', { text: 'warm' });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: inflight }, async () => {
        while (next < calls) {
          next++;
          await c.callTool('echo', { text: 'x' });
        }
      }),
    );
    const wall = performance.now() - t0;
    await c.close();
    return { callsPerS: calls / (wall / 1000) };
  },

  async big({ client, mib, kind }) {
    const c = await make(client, 'minimal');
    const bytes = mib * MiB;
    await (kind === 'tool' ? c.callTool('blob', { bytes: 1000 }) : c.readResource('blob://1000'));
    // Let the server build its string first (its cost is the same for every client).
    await (kind === 'tool' ? c.callTool('blob', { bytes: 10 }) : c.readResource('blob://10'));
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    let ok = true;
    let error;
    let length = 0;
    try {
      const r = await (kind === 'tool' ? c.callTool('blob', { bytes }) : c.readResource(`blob://${bytes}`));
      length = kind === 'tool' ? r.content[0].text.length : r.contents[0].text.length;
      ok = length === bytes;
    } catch (e) {
      ok = false;
      error = String(e instanceof Error ? e.message : e).slice(0, 120);
    }
    const ms = performance.now() - t0;
    // Does the connection survive?
    const alive = await stillAnswers(c);
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    await c.close().catch(() => {});
    return { ok, alive, error, ms, mibPerS: ok ? mib / (ms / 1000) : 0, peakMiB, rss0MiB: rss0 / MiB };
  },

  async many({ client, count = 20, mode, concurrency, holdLimitMs }) {
    preload(client);
    const t0 = performance.now();
    const readyAt = [];
    const startOne = async () => {
      const c = await make(client, 'minimal');
      readyAt.push(performance.now() - t0);
      return c;
    };
    let started;
    if (mode === 'limited') {
      const { createStartLimiter } = require(path.join(outDir, 'src/core/host/startQueue.js'));
      const limiter = createStartLimiter({ ...(concurrency ? { concurrency } : {}), ...(holdLimitMs !== undefined ? { holdLimitMs } : {}) });
      started = await Promise.all(Array.from({ length: count }, () => limiter.run(startOne)));
    } else {
      started = await Promise.all(Array.from({ length: count }, startOne));
    }
    await Promise.all(started.map((c) => c.close()));
    return { firstMs: Math.min(...readyAt), allMs: Math.max(...readyAt) };
  },

  async tools10k({ client }) {
    preload(client);
    let contentItem;
    if (client === 'host') {
      const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-host-bench-'));
      process.on('exit', () => fs.rmSync(workspaceDir, { recursive: true, force: true }));
      installFakeVscode(makeFakeVscode(workspaceDir, new Set()).vscode);
      ({ contentItem } = require(path.join(outDir, 'src/vscode/tree/items.js')));
    }
    const c = await make(client, 'tools10k');
    const t0 = performance.now();
    const tools = await c.listTools();
    const listed = performance.now();
    let afterResponseMs;
    let itemsMs;
    if (client === 'host') {
      // The tree's getChildren for the Tools category: one TreeItem per tool.
      const server = c.server;
      const ti = performance.now();
      const items = tools.map((t) => contentItem(server, { kind: 'tool', serverId: server.id, name: t.name }, undefined));
      itemsMs = performance.now() - ti;
      if (items.length !== tools.length) throw new Error('items missing');
      afterResponseMs = performance.now() - c.hooks.lastListAt;
    }
    // JSON.parse of the same answer (done by the transport before it hands the message over).
    const text = JSON.stringify({ result: { tools }, jsonrpc: '2.0', id: 1 });
    const tp = performance.now();
    JSON.parse(text);
    const parseMs = performance.now() - tp;
    await c.close();
    return { tools: tools.length, roundTripMs: listed - t0, afterResponseMs, itemsMs, parseMs, hostSideMs: afterResponseMs === undefined ? undefined : afterResponseMs + parseMs, bytes: text.length };
  },

  async activation() {
    const distDir = process.env.MCP_HOST_BENCH_DIST ?? path.join(root, 'dist');
    const bundle = path.join(distDir, 'extension.js');
    let loadMs;
    let activateMs;
    let activateError;
    let fakeGaps;
    try {
      ({ loadMs, activateMs, fakeGaps } = await activateOnce(bundle));
    } catch (e) {
      activateError = String(e instanceof Error ? e.message : e).slice(0, 200);
    }
    // What the first server start pays on top: dist/vendor.js (SDK, zod, ajv) is loaded on first use.
    let vendorMs;
    const vendor = path.join(distDir, 'vendor.js');
    if (fs.existsSync(vendor)) {
      const tv = performance.now();
      const v = require(vendor);
      for (const k of Object.keys(v)) void v[k];
      vendorMs = performance.now() - tv;
    }
    return { vendorMs, vendorBytes: fs.existsSync(vendor) ? fs.statSync(vendor).size : undefined, loadMs, activateMs, activateError, fakeGaps, bundleBytes: fs.statSync(bundle).size };
  },
};

const fn = scenarios[spec.scenario];
if (!fn) throw new Error(`unknown scenario ${spec.scenario}`);
const result = await fn(spec);
process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
