/**
 * Small, defensive helpers over untrusted JSON Schemas (tool `inputSchema`s as MCP servers send them: draft-07
 * from zod-to-json-schema, 2020-12 from newer SDKs, pydantic's `anyOf [X, null]` and `allOf [$ref]`).
 * Nothing here throws on a malformed schema: callers get `undefined` or a warning.
 */

/** A JSON Schema object (or one of its sub-schemas). Booleans are valid schemas too (`true` = anything). */
export type JsonSchema = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets an own property even for keys like `__proto__` (server-chosen property names must not change an
 * object's prototype or be dropped): plain assignment and `Object.assign` would.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** How deep `$ref` chains and nested schemas are followed (recursive schemas stop here). */
export const MAX_REF_DEPTH = 32;

/** Decodes one JSON Pointer segment (`~1` -> `/`, `~0` -> `~`) and its percent-encoding. */
function decodePointerSegment(segment: string): string {
  let s = segment;
  try {
    s = decodeURIComponent(s);
  } catch {
    // keep the raw segment: a malformed escape is not ours to fix
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Resolves a local `$ref` (`#`, `#/$defs/x`, `#/definitions/x`, any JSON pointer into the root, or a plain-name
 * anchor `#name` declared with `$anchor`/`$id`). Remote references are never fetched: they return a reason.
 */
export function resolveLocalRef(root: unknown, ref: string): { schema: unknown } | { error: string } {
  if (!ref.startsWith('#')) {
    return { error: `$ref "${ref}" points outside the schema; remote references are not followed` };
  }
  const fragment = ref.slice(1);
  if (fragment === '' || fragment === '/') return { schema: root };
  if (!fragment.startsWith('/')) {
    const anchored = findAnchor(root, decodePointerSegment(fragment));
    return anchored === undefined ? { error: `$ref "${ref}": no $anchor "${fragment}" in the schema` } : { schema: anchored };
  }
  let node: unknown = root;
  for (const raw of fragment.slice(1).split('/')) {
    const key = decodePointerSegment(raw);
    if (Array.isArray(node)) {
      const index = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
      node = index >= 0 && index < node.length ? node[index] : undefined;
    } else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, key)) {
      node = node[key];
    } else {
      node = undefined;
    }
    if (node === undefined) return { error: `$ref "${ref}" does not resolve inside the schema` };
  }
  return { schema: node };
}

/** At most this many nodes are walked to index a schema's anchors (the index is kept per schema). */
export const MAX_ANCHOR_NODES = 20_000;

const anchorIndexes = new WeakMap<object, Map<string, unknown>>();

/**
 * The node declaring `anchor`. The anchors of a root are indexed once, by a walk with a node budget: searching
 * the whole schema again for every `$ref` made a wide schema with many anchor refs quadratic.
 */
function findAnchor(root: unknown, anchor: string): unknown {
  if (!isObject(root) && !Array.isArray(root)) return undefined;
  let index = anchorIndexes.get(root);
  if (!index) {
    index = new Map();
    const stack: [unknown, number][] = [[root, 0]];
    let budget = MAX_ANCHOR_NODES;
    for (let top = stack.pop(); top && budget > 0; top = stack.pop(), budget--) {
      const [node, depth] = top;
      if (isObject(node)) {
        for (const key of ['$anchor', '$dynamicAnchor'] as const) if (typeof node[key] === 'string' && !index.has(node[key])) index.set(node[key], node);
        for (const key of ['$id', 'id'] as const) {
          const id = node[key];
          if (typeof id === 'string' && id.startsWith('#') && !index.has(id.slice(1))) index.set(id.slice(1), node);
        }
      }
      if (depth >= MAX_REF_DEPTH) continue;
      // Reversed so that the first declaration in document order wins, as the recursive search did.
      const children = isObject(node) ? Object.values(node) : Array.isArray(node) ? (node as unknown[]) : [];
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i];
        if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
      }
    }
    anchorIndexes.set(root, index);
  }
  return index.get(anchor);
}

/**
 * Follows `$ref` chains (and pydantic's single-member `allOf: [{$ref}]` wrappers) to a concrete schema. Keywords
 * next to the `$ref` (description, default, title, ...) win over the target's, as in 2019-09+.
 */
export function deref(root: unknown, schema: unknown, warnings?: string[]): unknown {
  let current = schema;
  const siblings: JsonSchema[] = [];
  const seen = new Set<unknown>();
  for (let depth = 0; depth < MAX_REF_DEPTH; depth++) {
    if (!isObject(current)) break;
    const ref = current['$ref'];
    const allOf = current['allOf'];
    if (typeof ref === 'string') {
      if (seen.has(current)) {
        warnings?.push(`$ref "${ref}" is circular`);
        return {};
      }
      seen.add(current);
      const { $ref: _ref, ...rest } = current;
      siblings.push(rest);
      const target = resolveLocalRef(root, ref);
      if ('error' in target) {
        warnings?.push(target.error);
        return mergeSiblings({}, siblings);
      }
      current = target.schema;
      continue;
    }
    if (Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && typeof allOf[0]['$ref'] === 'string') {
      const { allOf: _allOf, ...rest } = current;
      siblings.push(rest);
      current = allOf[0];
      continue;
    }
    break;
  }
  if (siblings.length === 0) return current;
  return mergeSiblings(current, siblings);
}

function mergeSiblings(target: unknown, siblings: JsonSchema[]): unknown {
  if (target === false) return false;
  let merged: JsonSchema = isObject(target) ? { ...target } : {};
  // Outermost keywords win: apply innermost first.
  for (let i = siblings.length - 1; i >= 0; i--) merged = { ...merged, ...siblings[i] };
  return merged;
}

/** The JSON types a schema admits (from `type`, `const`, `enum`), or undefined when unconstrained. */
export function schemaTypes(schema: JsonSchema): string[] | undefined {
  const t = schema['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return undefined;
}

/** `typeof` in JSON Schema terms. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** True when `schema` is exactly "null" (`{type: 'null'}`, `{const: null}`, `{enum: [null]}`). */
export function isNullSchema(schema: unknown): boolean {
  if (!isObject(schema)) return false;
  const types = schemaTypes(schema);
  if (types && types.length === 1 && types[0] === 'null') return true;
  if ('const' in schema && schema['const'] === null) return true;
  const e = schema['enum'];
  return Array.isArray(e) && e.length === 1 && e[0] === null;
}

/** Stable, short text for a value of any JSON type (enum labels, summaries). */
export function valueLabel(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
