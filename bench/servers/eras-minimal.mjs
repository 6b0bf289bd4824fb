// Bench server of both protocol eras, written by hand (newline JSON-RPC, no SDK), so that a call costs the server the
// same work in either era and the era comparison measures the client. The v2 SDK server (bench/servers/dual.mjs)
// does more per modern request than per legacy one (schema checks of the envelope, serverInfo stamped on every
// result), which the raw-pipe control shows as a server-side difference.
//   legacy (2025-11-25 and before): initialize (+ notifications/initialized), ping
//   modern (2026-07-28): server/discover; every request's _meta names the version (checked: -32022 otherwise)
//   both: tools/list -> one tool `echo`; tools/call echo {text} -> one text block with `text`
// The only per-call difference is what the modern spec requires of the answer: `resultType: "complete"`.
// Capabilities are `tools: {}` in both eras (no listChanged: no subscription stream in the modern era, none needed in
// the legacy one), so both eras start the same way and carry nothing but the calls afterwards.
const MODERN = '2026-07-28';
const LEGACY = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
const VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';
const info = { name: 'bench-eras-minimal', version: '1.0.0' };
const tools = [
  {
    name: 'echo',
    description: 'Echoes its input',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
];

/** The era of this connection: set by the first of initialize / server/discover (one stdio connection, one era). */
let era;
const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
const error = (id, code, message, data) => send({ jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } });
/** A result in the connection's era: the modern one says it is complete (2026-07-28 results carry resultType). */
const answer = (id, result) => send({ jsonrpc: '2.0', id, result: era === 'modern' ? { resultType: 'complete', ...result } : result });

function handle(msg) {
  const id = msg.id;
  if (id === undefined || typeof msg.method !== 'string') return; // notifications (initialized) and stray responses
  const p = msg.params ?? {};
  if (msg.method === 'initialize' && era === undefined) {
    era = 'legacy';
    const asked = typeof p.protocolVersion === 'string' && LEGACY.includes(p.protocolVersion) ? p.protocolVersion : LEGACY[0];
    return answer(id, { protocolVersion: asked, capabilities: { tools: {} }, serverInfo: info });
  }
  if (msg.method === 'server/discover' && era !== 'legacy') era = 'modern';
  if (era === undefined) return error(id, -32600, 'initialize first');
  if (era === 'modern') {
    // Every modern request names its version (basic/versioning); a legacy request in a modern connection does not.
    const version = p._meta?.[VERSION_KEY];
    if (version !== MODERN) return error(id, -32022, 'Unsupported protocol version', { supported: [MODERN] });
  }
  switch (msg.method) {
    case 'server/discover':
      if (era !== 'modern') break;
      return answer(id, { supportedVersions: [MODERN], capabilities: { tools: {} }, _meta: { 'io.modelcontextprotocol/serverInfo': info } });
    case 'ping':
      if (era !== 'legacy') break;
      return answer(id, {});
    case 'tools/list':
      return answer(id, { tools });
    case 'tools/call':
      if (p.name !== 'echo' || typeof p.arguments?.text !== 'string') return error(id, -32602, 'Unknown tool or invalid arguments');
      return answer(id, { content: [{ type: 'text', text: p.arguments.text }] });
  }
  return error(id, -32601, 'Method not found');
}

// Newline framing over a utf8 string buffer (requests are small).
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    if (!line.trim()) continue;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      continue;
    }
    handle(msg);
  }
});
process.stdin.on('end', () => process.exit(0));
