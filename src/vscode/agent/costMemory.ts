/**
 * The tree tooltip's "Tool definitions" line: a server's total bytes (computed per tools list, cached by the
 * list's identity) and its tokens from the last Show Context Cost, while its tools are unchanged.
 */
import { serverDefinitionBytes, type ContextCost } from '../../core/agent';
import type { ServerHandle } from '../../core/server/types';

const bytesByList = new WeakMap<object, number>();
const tokens = new Map<string, { readonly tokens: number; readonly bytes: number; readonly modelName: string }>();

/** Keeps the token totals of `cost` per server name (with its bytes, to notice a changed list). */
export function rememberTokenTotals(cost: ContextCost): void {
  if (!cost.modelName) return;
  for (const s of cost.servers) if (s.tokens !== undefined) tokens.set(s.serverName, { tokens: s.tokens, bytes: s.bytes, modelName: cost.modelName });
}

/** "12 tools, 3.4 KB (850 tokens for Model)", or undefined when the server has no tools listed. */
export function toolDefinitionsLine(server: ServerHandle): string | undefined {
  const list = server.lists.tools;
  if (list.length === 0) return undefined;
  let bytes = bytesByList.get(list);
  if (bytes === undefined) {
    bytes = serverDefinitionBytes({ serverId: server.id, serverName: server.name, tools: list });
    bytesByList.set(list, bytes);
  }
  const t = tokens.get(server.name);
  const known = t && t.bytes === bytes ? ` (${t.tokens} tokens for ${t.modelName})` : '';
  return `${list.length} tools, ${bytes} bytes${known}`;
}
