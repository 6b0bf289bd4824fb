// One HTTP benchmark measurement in a fresh process (bench/http.mjs runs it), like bench/worker.mjs for stdio: starts
// its own bench/servers/http.mjs on 127.0.0.1, measures one client, stops the server, prints one result line.
// Usage: node bench/httpWorker.mjs '<json: {scenario: echo|big|setup, client: host|sdk|raw, transport: http|sse, sseAnswers?}>'
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cpuMs, pinToOneCpu, serverCpuMs, stillAnswers } from './benchHost.mjs';
import { root } from './clients.mjs';
import { preloadHost, remoteClients } from './httpClients.mjs';

const spec = JSON.parse(process.argv[2] ?? '');
const MiB = 1024 * 1024;
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Starts the server; resolves with its process and the URL the client connects to. */
async function startServer() {
  const child = spawn(process.execPath, [path.join(root, 'bench/servers/http.mjs'), ...(spec.sseAnswers ? ['--sse-answers'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      const m = /@@PORT (\d+)/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bench HTTP server exited (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}${spec.transport === 'sse' ? '/sse' : '/mcp'}` };
}

const connect = (url) => remoteClients[spec.client](url, spec.transport);

const scenarios = {
  async echo({ calls = 2000, warmup = 300 }, { url, child }) {
    const c = await connect(url);
    for (let i = 0; i < warmup; i++) await c.callTool('echo', { text: `warm ${i}` });
    const lat = new Float64Array(calls);
    const cpu0 = process.cpuUsage();
    const s0 = serverCpuMs(child.pid);
    for (let i = 0; i < calls; i++) {
      const a = performance.now();
      await c.callTool('echo', { text: `hello ${i}` });
      lat[i] = performance.now() - a;
    }
    const clientCpu = cpuMs(process.cpuUsage(cpu0));
    const serverCpu = serverCpuMs(child.pid) - s0;
    await c.close();
    const sorted = Array.from(lat).sort((a, b) => a - b);
    return { p50us: quantile(sorted, 0.5) * 1000, p99us: quantile(sorted, 0.99) * 1000, clientCpuUs: (clientCpu / calls) * 1000, serverCpuUs: (serverCpu / calls) * 1000 };
  },

  async big({ mib }, { url }) {
    const c = await connect(url);
    await c.callTool('blob', { bytes: 1000 });
    const bytes = mib * MiB;
    // Let the server build its string first (the same for every client), then measure a second call.
    await c.callTool('blob', { bytes });
    global.gc?.();
    const t0 = performance.now();
    let ok = false;
    let error;
    try {
      const r = await c.callTool('blob', { bytes });
      ok = r.content[0].text.length === bytes;
    } catch (e) {
      error = String(e instanceof Error ? e.message : e).slice(0, 120);
    }
    const ms = performance.now() - t0;
    // Does the connection survive?
    const alive = await stillAnswers(c);
    await c.close().catch(() => {});
    return { ok, alive, error, ms, peakMiB: process.resourceUsage().maxRSS / 1024 };
  },

  // Connection setup: initialize → tools listed (host: its start, which lists prompts and resources too), closed
  // after each. The first connection of the process is reported apart (lazy module paths, JIT), then the median.
  async setup({ connections = 20 }, { url }) {
    if (spec.client === 'host') preloadHost();
    const times = [];
    for (let i = 0; i <= connections; i++) {
      const t0 = performance.now();
      const c = await connect(url);
      times.push(performance.now() - t0);
      if (c.tools().length < 2) throw new Error('tools missing');
      await c.close();
    }
    const rest = times.slice(1).sort((a, b) => a - b);
    return { firstMs: times[0], ms: quantile(rest, 0.5) };
  },
};

const fn = scenarios[spec.scenario];
if (!fn) throw new Error(`unknown scenario ${spec.scenario}`);
// Pinned before the server is spawned, so both share one CPU (see pinToOneCpu).
const pinned = spec.pin ? pinToOneCpu() : undefined;
const server = await startServer();
try {
  const result = { ...(await fn(spec, server)), pinned };
  process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
} finally {
  server.child.kill('SIGTERM');
}
process.exit(0);
