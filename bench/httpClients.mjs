// The clients bench/http.mjs compares over HTTP, behind the small interface of bench/clients.mjs:
//   host : MCP Host's engine as the extension and the CLI use it: createHost() with a remote entry
//          ({type: 'http' | 'sse', url}), the registry's own launch resolution and transports (src/core/transport/
//          http, sse), from the benchmark's transpiled snapshot.
//   sdk  : the bare SDK Client + StreamableHTTPClientTransport (http) or SSEClientTransport (sse).
//   raw  : fetch only: http = one POST of the JSON-RPC body per request, the answer read as JSON (or, when the server
//          answers with an SSE stream, its one `data:` line); sse = the GET event stream read by hand, one POST per
//          request, answers matched by id. JSON.stringify / JSON.parse only.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { benchHostDeps } from './benchHost.mjs';
import { outDir } from './clients.mjs';

const require = createRequire(import.meta.url);
const out = (p) => require(path.join(outDir, p));
const PROTOCOL = '2025-06-18';
const TIMEOUT_MS = 120_000;

/** Loads the engine's modules (the SDK included) before anything is timed, as bench/worker.mjs does for stdio. */
export function preloadHost() {
  out('src/core/host/createHost.js');
  out('src/core/transport/launch.js');
  out('src/core/protocol/loadSdk.js').sdk();
}

// One memento for the process: the host remembers a server's protocol era (protocolEra auto) as in the editor, so
// the first connection probes (server/discover, then initialize) and later ones go straight to initialize.
const memory = new Map();
// One host per server address, as the editor has one host: a new connection is a start of the configured server
// (and closing it is its stop), not a new host with a new registry. The first connection also makes the host.
/** @type {Map<string, Promise<{ server: any }>>} */
const hosts = new Map();

/** `url`: the server's /mcp (http) or /sse (sse) address. */
export async function hostRemote(url, transport) {
  const key = `${transport} ${url}`;
  let made = hosts.get(key);
  if (!made) hosts.set(key, (made = makeHost(url, transport)));
  const { server } = await made;
  await server.start();
  if (server.state.kind !== 'running') throw new Error(`host: ${server.state.kind}: ${server.state.message ?? ''}`);
  return {
    tools: () => server.lists.tools,
    callTool: (tool, args) => server.callTool(tool, args, { timeoutMs: TIMEOUT_MS }),
    close: () => server.stop(),
  };
}

async function makeHost(url, transport) {
  const { createHost } = out('src/core/host/createHost.js');
  const { defaultHostSettings } = out('src/core/host/types.js');
  const { nullLogger } = out('src/core/base/logger.js');
  const name = 'bench-http';
  const def = { id: `userSettings::${name}`, name, source: { kind: 'userSettings' }, entry: { type: transport, url, args: [], env: {}, headers: {}, disabled: false }, inputs: [] };
  const host = createHost(benchHostDeps({ defaultHostSettings, nullLogger, memory }));
  await host.registry.apply({ servers: [def], problems: [] });
  return { server: host.registry.get(def.id) };
}

export async function sdkRemote(url, transport) {
  const t = transport === 'sse' ? new SSEClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'sdk-bench', version: '0.0.0' });
  await client.connect(t);
  const first = await client.listTools();
  return {
    tools: () => first.tools,
    callTool: (tool, args) => client.callTool({ name: tool, arguments: args }, undefined, { timeout: TIMEOUT_MS }),
    close: async () => {
      if (t instanceof StreamableHTTPClientTransport) await t.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

const initializeParams = { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'raw-bench', version: '0' } };

/** Streamable HTTP by hand: POST, read the JSON answer (or the single event of an SSE answer). */
async function rawHttp(url) {
  let session;
  let nextId = 1;
  const post = async (message) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': PROTOCOL } : {}) },
      body: JSON.stringify(message),
    });
    session ??= res.headers.get('mcp-session-id') ?? undefined;
    if (message.id === undefined) {
      await res.arrayBuffer();
      return undefined;
    }
    const text = await res.text();
    const data = res.headers.get('content-type')?.startsWith('text/event-stream') ? text.slice(text.indexOf('data: ') + 6, text.indexOf('\n', text.indexOf('data: '))) : text;
    const msg = JSON.parse(data);
    if (msg.error) throw new Error(msg.error.message);
    return msg.result;
  };
  const request = (method, params) => post({ jsonrpc: '2.0', id: nextId++, method, params });
  await request('initialize', initializeParams);
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const first = await request('tools/list', {});
  return {
    tools: () => first.tools,
    callTool: (tool, args) => request('tools/call', { name: tool, arguments: args }),
    close: async () => {
      await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': session ?? '' } }).then((r) => r.arrayBuffer()).catch(() => {});
    },
  };
}

/** Legacy HTTP+SSE by hand: the GET stream split on blank lines, `endpoint` then `message` events. */
async function rawSse(url) {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  if (!res.body) throw new Error(`GET ${url}: no body (HTTP ${res.status})`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const pending = new Map();
  let endpoint;
  let gotEndpoint;
  const endpointKnown = new Promise((r) => (gotEndpoint = r));
  const emit = (event) => {
    if (!event) return;
    const nl = event.indexOf('\n');
    const kind = event.startsWith('event: ') ? event.slice(7, nl) : 'message';
    const data = event.slice(event.indexOf('data: ') + 6);
    if (kind === 'endpoint') {
      endpoint = new URL(data, url).toString();
      gotEndpoint();
      return;
    }
    const msg = JSON.parse(data);
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.error) p?.reject(new Error(msg.error.message));
    else p?.resolve(msg.result);
  };
  void (async () => {
    // Chunks are kept apart until an event ends (a 50 MiB event is one join, not a growing string searched again).
    let parts = [];
    for (;;) {
      const next = await reader.read().catch(() => undefined);
      if (!next || next.done) return;
      const value = next.value;
      let start = 0;
      if (value.startsWith('\n') && parts.at(-1)?.endsWith('\n')) {
        emit(parts.join('').slice(0, -1));
        parts = [];
        start = 1;
      }
      let end;
      while ((end = value.indexOf('\n\n', start)) >= 0) {
        parts.push(value.slice(start, end));
        emit(parts.join(''));
        parts = [];
        start = end + 2;
      }
      if (start < value.length) parts.push(value.slice(start));
    }
  })();
  await endpointKnown;
  let nextId = 1;
  const post = (message) => fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) }).then((r) => r.arrayBuffer());
  const request = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post({ jsonrpc: '2.0', id, method, params }).catch(reject);
    });
  await request('initialize', initializeParams);
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const first = await request('tools/list', {});
  return {
    tools: () => first.tools,
    callTool: (tool, args) => request('tools/call', { name: tool, arguments: args }),
    close: async () => abort.abort(),
  };
}

export const rawRemote = (url, transport) => (transport === 'sse' ? rawSse(url) : rawHttp(url));
export const remoteClients = { host: hostRemote, sdk: sdkRemote, raw: rawRemote };
