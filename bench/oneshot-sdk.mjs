// A one-shot `tools/list` on the bare SDK, the baseline of `mcp-host tools` in bench/run.mjs (section "One-shot
// command line"): spawn the server, initialize, list the tools (every page), print their names, close, exit.
// Usage: node bench/oneshot-sdk.mjs COMMAND ARGS...
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [command = '', ...args] = process.argv.slice(2);
const client = new Client({ name: 'oneshot-sdk', version: '0.0.0' }, { capabilities: {} });
const transport = new StdioClientTransport({ command, args, stderr: 'ignore' });
await client.connect(transport);
const names = [];
let cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : undefined);
  names.push(...page.tools.map((t) => t.name));
  cursor = page.nextCursor;
} while (cursor);
process.stdout.write(`${names.join('\n')}\n`);
// The SDK's close(): end stdin, wait up to 2 s, SIGTERM, wait 2 s, SIGKILL (the direct child only).
await client.close();
