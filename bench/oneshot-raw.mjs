// A one-shot `tools/list` over a raw newline JSON-RPC pipe, the floor of the "One-shot command line" section
// (bench/oneshot.mjs): spawn the server, initialize, list the tools (every page), print their names, SIGTERM the
// server, exit. No SDK, no validation. Usage: node bench/oneshot-raw.mjs COMMAND ARGS...
import { spawn } from 'node:child_process';

const [command = '', ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
const send = (m) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
const names = [];
let buf = '';
child.stdout.on('data', (d) => {
  buf += d;
  for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
    const m = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    if (m.id === 0) {
      send({ method: 'notifications/initialized' });
      send({ id: 1, method: 'tools/list', params: {} });
    } else if (typeof m.id === 'number' && m.result) {
      names.push(...m.result.tools.map((t) => t.name));
      if (m.result.nextCursor) send({ id: m.id + 1, method: 'tools/list', params: { cursor: m.result.nextCursor } });
      else {
        process.stdout.write(`${names.join('\n')}\n`);
        child.kill('SIGTERM');
      }
    }
  }
});
child.on('exit', () => process.exit(names.length ? 0 : 1));
send({ id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'oneshot-raw', version: '0' } } });
