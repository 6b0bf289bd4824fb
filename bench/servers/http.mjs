// Bench server over HTTP on 127.0.0.1: the tools of bench/servers/minimal.mjs (echo, blob) on the SDK's own server
// classes, reached two ways, so that differences in bench/http.mjs come from the client side:
//   POST/GET/DELETE /mcp      Streamable HTTP (StreamableHTTPServerTransport), one session per initialize
//   GET /sse + POST /messages the legacy HTTP+SSE transport (SSEServerTransport)
// Flags: --port N (default 0: any free port), --sse-answers (Streamable HTTP answers each POST with an SSE stream,
// the SDK server's default; without it the answer is one JSON body, as raw fetch reads it).
// Prints `@@PORT <n>` on stdout once it listens.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
const port = portArg >= 0 ? Number(argv[portArg + 1]) : 0;
const jsonAnswers = !argv.includes('--sse-answers');

const cache = new Map();
const blob = (n) => {
  let s = cache.get(n);
  if (!s) cache.set(n, (s = 'x'.repeat(n)));
  return s;
};

function mcpServer() {
  const server = new McpServer({ name: 'bench-http', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes its input', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('blob', { description: 'Returns N bytes of text', inputSchema: { bytes: z.number() } }, async ({ bytes }) => ({
    content: [{ type: 'text', text: blob(bytes) }],
  }));
  return server;
}

/** The request body, parsed (requests are small: the bench sends no large arguments). */
async function body(req) {
  const parts = [];
  for await (const c of req) parts.push(c);
  const text = Buffer.concat(parts).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/** @type {Map<string, StreamableHTTPServerTransport>} */
const streamable = new Map();
/** @type {Map<string, SSEServerTransport>} */
const legacy = new Map();

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/mcp') {
    const sid = req.headers['mcp-session-id'];
    const parsed = req.method === 'POST' ? await body(req) : undefined;
    let transport = typeof sid === 'string' ? streamable.get(sid) : undefined;
    if (!transport) {
      if (sid !== undefined || req.method !== 'POST' || parsed?.method !== 'initialize') {
        res.writeHead(sid === undefined ? 400 : 404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: jsonAnswers,
        onsessioninitialized: (id) => void streamable.set(id, created),
      });
      created.onclose = () => void (created.sessionId && streamable.delete(created.sessionId));
      await mcpServer().connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, parsed);
    return;
  }
  if (url.pathname === '/sse' && req.method === 'GET') {
    const transport = new SSEServerTransport('/messages', res);
    legacy.set(transport.sessionId, transport);
    res.on('close', () => legacy.delete(transport.sessionId));
    await mcpServer().connect(transport);
    return;
  }
  if (url.pathname === '/messages' && req.method === 'POST') {
    const transport = legacy.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) {
      res.writeHead(404).end();
      return;
    }
    await transport.handlePostMessage(req, res, await body(req));
    return;
  }
  res.writeHead(404).end();
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  });
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`@@PORT ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => process.exit(0));
