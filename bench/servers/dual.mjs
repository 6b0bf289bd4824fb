// Bench server of both protocol eras: the v2 SDK (@modelcontextprotocol/server) serving 2025-11-25 (initialize) and
// 2026-07-28 (per-request _meta) from one factory, so the era comparison runs against the very same server code.
//   tool echo {text} -> one text block with `text`
import * as z from 'zod/v4';
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

serveStdio(() => {
  const server = new McpServer({ name: 'bench-dual', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('echo', { description: 'Echoes its input', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
});
