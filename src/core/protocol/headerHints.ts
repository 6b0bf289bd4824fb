/**
 * The HTTP headers a modern request carries besides its body (transports/streamable-http, "Standard headers" and
 * `x-mcp-header`): `MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name` and `Mcp-Param-{name}`. Computed here as
 * per-message hints; a transport that speaks HTTP sends them, stdio ignores them (and is never asked for them).
 */

/** Header name -> value, ready to send (values already encoded). */
export type HeaderHints = Readonly<Record<string, string>>;

/** How deep `properties` chains are followed looking for `x-mcp-header` (schemas are server-controlled). */
const MAX_DEPTH = 8;
/** At most this many properties are looked at per schema. */
const MAX_PROPERTIES = 2000;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A header value: plain when it is visible ASCII without leading/trailing blanks, else the `=?base64?…?=` sentinel
 * form (also for a plain value that looks like the sentinel, so it cannot be misread).
 */
export function encodeHeaderValue(value: string): string {
  const plain = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !(value.startsWith('=?base64?') && value.endsWith('?='));
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `x-mcp-header` declarations of a tool's input schema: header name -> property path. Invalid ones are left out. */
export function mcpHeaderParams(inputSchema: unknown): ReadonlyMap<string, readonly string[]> {
  const found = new Map<string, readonly string[]>();
  const seen = new Set<string>();
  let budget = MAX_PROPERTIES;
  const walk = (schema: Record<string, unknown>, path: readonly string[]): void => {
    const props = schema.properties;
    if (!isObject(props) || path.length >= MAX_DEPTH) return;
    for (const [key, sub] of Object.entries(props)) {
      if (--budget < 0 || !isObject(sub)) return;
      const name = sub['x-mcp-header'];
      if (typeof name === 'string' && TOKEN.test(name) && !seen.has(name.toLowerCase())) {
        seen.add(name.toLowerCase());
        found.set(name, [...path, key]);
      }
      walk(sub, [...path, key]);
    }
  };
  if (isObject(inputSchema)) walk(inputSchema, []);
  return found;
}

/**
 * The headers of one modern request. `toolSchema` is the input schema of the tool a `tools/call` names (from the
 * last tools/list), for its `x-mcp-header` parameters; values that are not a string, a safe integer or a boolean are
 * left out, as the spec allows only those.
 */
export function modernHeaderHints(method: string, params: Record<string, unknown> | undefined, version: string, toolSchema?: unknown): HeaderHints {
  const h: Record<string, string> = { 'MCP-Protocol-Version': version, 'Mcp-Method': method };
  const name = method === 'resources/read' ? params?.uri : method === 'tools/call' || method === 'prompts/get' ? params?.name : undefined;
  if (typeof name === 'string') h['Mcp-Name'] = encodeHeaderValue(name);
  if (method === 'tools/call' && toolSchema !== undefined && isObject(params?.arguments)) {
    for (const [header, path] of mcpHeaderParams(toolSchema)) {
      let v: unknown = params.arguments;
      for (const step of path) v = isObject(v) ? v[step] : undefined;
      if (typeof v === 'string') h[`Mcp-Param-${header}`] = encodeHeaderValue(v);
      else if (typeof v === 'boolean') h[`Mcp-Param-${header}`] = String(v);
      else if (typeof v === 'number' && Number.isSafeInteger(v)) h[`Mcp-Param-${header}`] = String(v);
    }
  }
  return h;
}

/** How many schema nodes the validity walk visits at most (a bigger schema is judged on what was seen). */
const MAX_NODES = 5000;

/**
 * Why a tool's `x-mcp-header` annotations make it invalid for an HTTP client (transports/streamable-http, "Schema
 * Extension": a token name, unique ignoring case, on a string/integer/boolean property reached only through
 * `properties`), or undefined when they are fine. Such a tool is left out of the list on HTTP.
 */
export function invalidMcpHeader(inputSchema: unknown): string | undefined {
  const names = new Set<string>();
  let nodes = 0;
  let problem: string | undefined;
  const visit = (node: unknown, reachable: boolean, where: string): void => {
    if (problem || ++nodes > MAX_NODES || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, false, where);
      return;
    }
    const o = node as Record<string, unknown>;
    if ('x-mcp-header' in o) {
      const name = o['x-mcp-header'];
      const type = o.type;
      if (!reachable) problem = `x-mcp-header at ${where} is not reached through "properties" alone`;
      else if (typeof name !== 'string' || !TOKEN.test(name)) problem = `x-mcp-header at ${where} is not a valid header name`;
      else if (names.has(name.toLowerCase())) problem = `x-mcp-header "${name}" is used twice`;
      else if (type !== 'string' && type !== 'integer' && type !== 'boolean') problem = `x-mcp-header "${name}" is on a property that is not a string, integer or boolean`;
      else names.add(name.toLowerCase());
    }
    for (const [key, value] of Object.entries(o)) {
      if (key === 'properties' && isObject(value)) {
        for (const [prop, sub] of Object.entries(value)) visit(sub, reachable, `${where}.${prop.slice(0, 40)}`);
      } else if (key !== 'x-mcp-header') visit(value, false, `${where}.${key.slice(0, 40)}`);
    }
  };
  visit(inputSchema, true, 'arguments');
  return problem;
}
