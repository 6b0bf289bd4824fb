// The three clients the benchmark compares, behind one small interface:
//   host : MCP Host's core as the extension uses it (createHost): McpServer (src/core/server/: connection, SDK session,
//          list handling, result parsing) over our stdio transport (src/core/transport/stdio), from the esbuild output in out/.
//   sdk  : the bare SDK, Client + StdioClientTransport (its defaults: env allow-list, 10 MiB read buffer).
//   raw  : a raw newline JSON-RPC pipe: spawn, one JSON.stringify per request, linear framing, JSON.parse per line.
// All three talk to the same server processes (bench/servers/*.mjs, server-everything).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { benchHostDeps } from './benchHost.mjs';

export const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
/** Our compiled modules: the benchmark's own snapshot (bench/run.mjs), else out/ from `npm run build`. */
export const outDir = process.env.MCP_HOST_BENCH_OUT ?? path.join(root, 'out');
const out = (p) => require(path.join(outDir, p));

/** Server launch specs. */
export const servers = {
  minimal: { command: process.execPath, args: [path.join(root, 'bench/servers/minimal.mjs')] },
  tools10k: { command: process.execPath, args: [path.join(root, 'bench/servers/minimal.mjs'), '--tools', '10000'] },
  everything: { command: process.execPath, args: [path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'] },
  dual: { command: process.execPath, args: [path.join(root, 'bench/servers/dual.mjs')] },
  erasMinimal: { command: process.execPath, args: [path.join(root, 'bench/servers/eras-minimal.mjs')] },
};

const PROTOCOL = '2025-06-18';
const MODERN_PROTOCOL = '2026-07-28';

// ---------------------------------------------------------------------------------------------------- host
let hostCounter = 0;
export async function hostClient(spec, opts = {}) {
  const { createHost } = out('src/core/host/createHost.js');
  const { createTransport: transportFor } = out('src/core/transport/launch.js');
  const { defaultHostSettings } = out('src/core/host/types.js');
  const { nullLogger } = out('src/core/base/logger.js');
  const baseEnv = opts.env ?? process.env;
  const name = `bench-${++hostCounter}`;
  const def = {
    id: `userSettings::${name}`,
    name,
    source: { kind: 'userSettings' },
    entry: { type: 'stdio', command: spec.command, args: spec.args, env: {}, disabled: false, ...(opts.era ? { protocolEra: opts.era } : {}) },
    inputs: [],
  };
  const memory = new Map();
  const deps = benchHostDeps({ defaultHostSettings, nullLogger, baseEnv, memory });
  const hooks = { lastListAt: 0 };
  const createTransport = (spec) => {
    const t = transportFor(spec);
    // Record when the transport hands over a tools/list answer (parsed), for the 10,000-tools measurement.
    let inner;
    Object.defineProperty(t, 'onmessage', {
      configurable: true,
      get: () => inner,
      set: (fn) => {
        inner = fn
          ? (m) => {
              if (m.result && Array.isArray(m.result.tools)) hooks.lastListAt = performance.now();
              fn(m);
            }
          : fn;
      },
    });
    return t;
  };
  const host = createHost(deps, {
    createTransport,
    resolveLaunch: async () => ({ command: spec.command, args: spec.args, cwd: root, env: {}, secrets: [] }),
  });
  await host.registry.apply({ servers: [def], problems: [] });
  const server = host.registry.get(def.id);
  await server.start();
  // The era rows must measure the era they name: a pinned era the host did not keep would make the ratio meaningless.
  if (opts.era && server.info?.era !== opts.era) throw new Error(`bench: asked for the ${opts.era} era, the host speaks ${server.info?.era ?? 'none'}`);
  return {
    kind: 'host',
    hooks,
    server,
    get pid() {
      return server.pid;
    },
    tools: () => server.lists.tools,
    listTools: async () => {
      await server.refresh();
      return server.lists.tools;
    },
    callTool: (name, args) => server.callTool(name, args, { timeoutMs: 120_000 }),
    readResource: (uri) => server.readResource(uri, { timeoutMs: 120_000 }),
    close: () => host.dispose(),
  };
}

// ---------------------------------------------------------------------------------------------------- sdk
export async function sdkClient(spec) {
  const transport = new StdioClientTransport({ command: spec.command, args: spec.args, stderr: 'ignore' });
  const client = new Client({ name: 'sdk-bench', version: '0.0.0' });
  await client.connect(transport);
  const first = await client.listTools();
  return {
    kind: 'sdk',
    client,
    get pid() {
      return transport.pid ?? undefined;
    },
    tools: () => first.tools,
    listTools: async () => (await client.listTools()).tools,
    callTool: (name, args) => client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 }),
    readResource: (uri) => client.readResource({ uri }, { timeout: 60_000 }),
    close: () => client.close(),
  };
}

// ---------------------------------------------------------------------------------------------------- raw
export async function rawClient(spec, opts = {}) {
  const child = spawn(spec.command, spec.args, { stdio: ['pipe', 'pipe', 'ignore'], env: opts.env ?? process.env });
  const pending = new Map();
  let nextId = 1;
  let chunks = [];
  let exited = false;
  child.on('exit', () => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error('server exited'));
    pending.clear();
  });
  child.stdout.on('data', (chunk) => {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        if (start < chunk.length) chunks.push(chunk.subarray(start));
        return;
      }
      chunks.push(chunk.subarray(start, nl));
      const line = chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString();
      chunks = [];
      start = nl + 1;
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      const p = pending.get(msg.id);
      if (p) {
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(msg.error.message));
        else p.resolve(msg.result);
      }
    }
  });
  const request = (method, params) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error('server exited'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  // opts.era (the era table): requests shaped as the host sends them, a progress token in every call's _meta and, in
  // the modern era, the per-request envelope; so the difference between the two raw rows is the server's (and the
  // pipe's) alone.
  let meta;
  if (opts.era === 'modern') {
    const envelope = {
      'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
      'io.modelcontextprotocol/clientCapabilities': { roots: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } },
      'io.modelcontextprotocol/clientInfo': { name: 'raw-bench', version: '0' },
    };
    await request('server/discover', { _meta: envelope });
    meta = (token) => ({ progressToken: token, ...envelope });
  } else {
    await request('initialize', { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'raw-bench', version: '0' } });
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    if (opts.era === 'legacy') meta = (token) => ({ progressToken: token });
  }
  let nextToken = 1;
  const withMeta = (params) => (meta ? { ...params, _meta: meta(`raw-${nextToken++}`) } : params);
  const listTools = async () => {
    const tools = [];
    let cursor;
    do {
      const r = await request('tools/list', withMeta(cursor ? { cursor } : {}));
      tools.push(...r.tools);
      cursor = r.nextCursor;
    } while (cursor);
    return tools;
  };
  const first = await listTools();
  return {
    kind: 'raw',
    get pid() {
      return child.pid;
    },
    tools: () => first,
    listTools,
    callTool: (name, args) => request('tools/call', withMeta({ name, arguments: args })),
    readResource: (uri) => request('resources/read', withMeta({ uri })),
    close: async () => {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 2000);
      await done;
      clearTimeout(t);
    },
  };
}

export const clients = { host: hostClient, sdk: sdkClient, raw: rawClient };
export { getDefaultEnvironment };

// ---------------------------------------------------------------------------------------------------- transport
/** Decomposition row: the bare SDK Client over MCP Host's transport (no McpServer/connection layer). */
export async function transportClient(spec, opts = {}) {
  const { createStdioTransport } = out('src/core/transport/stdio/stdioTransport.js');
  const { nullLogger } = out('src/core/base/logger.js');
  const transport = createStdioTransport({
    launch: { command: spec.command, args: spec.args, cwd: root, env: {}, secrets: [] },
    baseEnv: opts.env ?? process.env,
    maxMessageBytes: 256 * 1024 * 1024,
    logger: nullLogger,
  });
  const client = new Client({ name: 'transport-bench', version: '0.0.0' });
  await client.connect(transport);
  const first = await client.listTools();
  return {
    kind: 'transport',
    client,
    get pid() {
      return transport.pid;
    },
    tools: () => first.tools,
    listTools: async () => (await client.listTools()).tools,
    callTool: (name, args) => client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 }),
    readResource: (uri) => client.readResource({ uri }, { timeout: 120_000 }),
    close: () => client.close(),
  };
}
clients.transport = transportClient;
