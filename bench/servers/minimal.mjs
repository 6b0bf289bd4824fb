// Bench server: a minimal MCP server on the SDK's own server classes (McpServer + StdioServerTransport), the same
// for every client in the benchmark, so differences come from the client side.
//   tool  echo {text}          -> one text block with `text`
//   tool  blob {bytes}         -> one text block of `bytes` ASCII characters (1, 10, 50 MiB results)
//   resource template blob://{bytes} -> text contents of `bytes` characters
// Flags: --tools N  registers N extra tools (tool_00001...) with a description and an input schema of about
//                   330 bytes each (10,000 tools ~ 3.3 MB of tools/list JSON, like MCP-NOTES measured).
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bench-minimal', version: '1.0.0' });
const cache = new Map();
const blob = (n) => {
  let s = cache.get(n);
  if (!s) cache.set(n, (s = 'x'.repeat(n)));
  return s;
};

server.registerTool('echo', { description: 'Echoes its input', inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: 'text', text }],
}));
server.registerTool('blob', { description: 'Returns N bytes of text', inputSchema: { bytes: z.number() } }, async ({ bytes }) => ({
  content: [{ type: 'text', text: blob(bytes) }],
}));
server.registerResource('blob', new ResourceTemplate('blob://{bytes}', { list: undefined }), { mimeType: 'text/plain' }, async (uri, { bytes }) => ({
  contents: [{ uri: uri.href, mimeType: 'text/plain', text: blob(Number(bytes)) }],
}));

const i = process.argv.indexOf('--tools');
const extra = i > 0 ? Number(process.argv[i + 1]) : 0;
for (let n = 1; n <= extra; n++) {
  const name = `tool_${String(n).padStart(5, '0')}`;
  server.registerTool(
    name,
    {
      description: `Synthetic tool number ${n}: does nothing useful, but has a realistic description length.`,
      inputSchema: { query: z.string().describe('What to look for'), limit: z.number().optional().describe('Maximum results') },
    },
    async () => ({ content: [{ type: 'text', text: name }] }),
  );
}

await server.connect(new StdioServerTransport());
