/**
 * A real `@modelcontextprotocol/server-everything` over stdio, through the SDK's own Client (tests may import
 * the SDK directly; src/ may not). Used by the schema and content tests for real schemas and real results.
 */
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { isAlive } from '../../../src/core/transport/stdio/processTree';
import { repoRoot } from '../transport/stdio/helpers';

export interface Everything {
  client: Client;
  pid: number | null;
  close(): Promise<void>;
}

/** Starts server-everything; `close()` ends it and waits until the process is gone. */
export function startEverything(): Promise<Everything> {
  return startReference('server-everything', ['stdio']);
}

/** Starts a reference server from node_modules (e.g. server-filesystem with its allowed directories). */
export async function startReference(pkg: 'server-everything' | 'server-filesystem', args: string[]): Promise<Everything> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(repoRoot(), 'node_modules/@modelcontextprotocol', pkg, 'dist/index.js'), ...args],
    stderr: 'ignore',
    cwd: repoRoot(),
  });
  const client = new Client({ name: 'mcp-host-unit-tests', version: '0.0.0' });
  await client.connect(transport);
  const pid = transport.pid;
  return {
    client,
    pid,
    async close() {
      await client.close();
      if (pid !== null) {
        // The SDK's close() escalates to SIGKILL after its own grace period; make sure nothing is left.
        const deadline = Date.now() + 10_000;
        while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
    },
  };
}
