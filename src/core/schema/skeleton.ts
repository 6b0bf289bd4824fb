import { deref, hasOwn, isNullSchema, isObject, schemaTypes, setOwn, type JsonSchema } from './jsonSchema';

export interface SkeletonOptions {
  /** Also add optional properties that have no default (with a placeholder of their type). Default false. */
  includeOptional?: boolean;
  /** Receives a note for the user when the document could not be filled in completely (the schema is too big). */
  warnings?: string[];
}

const MAX_DEPTH = 8;
/**
 * At most this many values are built. Depth alone does not bound the walk: an object with 12 required
 * properties that are each the whole schema again (`$ref: '#'`) fans out 12^8 times within MAX_DEPTH.
 */
export const MAX_SKELETON_NODES = 2000;

interface Walk {
  readonly options: SkeletonOptions;
  left: number;
  truncated: boolean;
}

/** Spends one node of the budget; false (and the walk marked truncated) when it is used up. */
function spend(walk: Walk): boolean {
  if (walk.left <= 0) {
    walk.truncated = true;
    return false;
  }
  walk.left--;
  return true;
}

/**
 * A starting document for the JSON editor: `previous` arguments when given (kept as they were, extra keys
 * included), then each property's `default`, `const`, first `examples` entry or first enum value, and a
 * placeholder of the right type for required properties without any of those. Optional properties without a
 * default are left out (sending a placeholder would change what the tool does) unless `includeOptional`.
 */
export function skeletonFromSchema(schema: unknown, previous?: unknown, options: SkeletonOptions = {}): unknown {
  const walk: Walk = { options, left: MAX_SKELETON_NODES, truncated: false };
  try {
    const value = build(schema, schema, previous, true, walk, 0);
    return value === undefined ? {} : value;
  } catch {
    return isObject(previous) ? previous : {};
  } finally {
    if (walk.truncated) {
      options.warnings?.push(`The input schema is too large to fill in completely (more than ${MAX_SKELETON_NODES} values); the document starts with part of it.`);
    }
  }
}

function build(root: unknown, raw: unknown, previous: unknown, required: boolean, walk: Walk, depth: number): unknown {
  if (!spend(walk)) return previous !== undefined ? previous : required ? {} : undefined;
  const schema = deref(root, raw);
  if (!isObject(schema)) return previous !== undefined ? previous : required ? {} : undefined;
  const types = schemaTypes(schema);
  const isObjectSchema = types?.includes('object') ?? ('properties' in schema || (depth === 0 && !('items' in schema)));
  if (isObjectSchema && (previous === undefined || isObject(previous)) && depth < MAX_DEPTH) {
    const hasOwnValue = previous === undefined ? explicitValue(schema) : undefined;
    if (hasOwnValue) return hasOwnValue.value;
    const props = collectProperties(root, schema);
    if (previous === undefined && !required && depth > 0) return undefined;
    const out: JsonSchema = {};
    const prev = isObject(previous) ? previous : undefined;
    for (const [name, sub] of Object.entries(props.properties)) {
      const isRequired = props.required.has(name);
      if (prev && hasOwn(prev, name)) {
        setOwn(out, name, build(root, sub, prev[name], isRequired, walk, depth + 1));
        continue;
      }
      const v = valueFor(root, sub, isRequired, walk, depth + 1);
      if (v !== undefined) setOwn(out, name, v);
    }
    // Keep what the user sent last time even if the schema no longer names it: they can delete it.
    if (prev) for (const [k, v] of Object.entries(prev)) if (!hasOwn(out, k)) setOwn(out, k, v);
    return out;
  }
  if (previous !== undefined) return previous;
  return valueFor(root, schema, required, walk, depth);
}

function collectProperties(root: unknown, schema: JsonSchema): { properties: JsonSchema; required: Set<string> } {
  const properties: JsonSchema = {};
  const required = new Set<string>();
  const add = (s: unknown): void => {
    const r = deref(root, s);
    if (!isObject(r)) return;
    if (isObject(r['properties'])) for (const [k, v] of Object.entries(r['properties'])) setOwn(properties, k, v);
    if (Array.isArray(r['required'])) for (const n of r['required'] as unknown[]) if (typeof n === 'string') required.add(n);
  };
  add(schema);
  if (Array.isArray(schema['allOf'])) for (const part of schema['allOf'] as unknown[]) add(part);
  return { properties, required };
}

function explicitValue(schema: JsonSchema): { value: unknown } | undefined {
  if ('default' in schema) return { value: schema['default'] };
  if ('const' in schema) return { value: schema['const'] };
  if (Array.isArray(schema['examples']) && schema['examples'].length > 0) return { value: schema['examples'][0] };
  return undefined;
}

function valueFor(root: unknown, raw: unknown, required: boolean, walk: Walk, depth: number): unknown {
  if (!spend(walk)) return required ? {} : undefined;
  const options = walk.options;
  const schema = deref(root, raw);
  if (!isObject(schema)) return required ? null : undefined;
  const explicit = explicitValue(schema);
  if (explicit) return explicit.value;
  if (!required && !options.includeOptional) return undefined;
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  const union = Array.isArray(schema['anyOf']) ? schema['anyOf'] : Array.isArray(schema['oneOf']) ? schema['oneOf'] : undefined;
  if (union && union.length > 0) {
    // Prefer the first non-null branch: `anyOf [X, null]` means "an X, optionally".
    const branch = (union as unknown[]).find((m) => !isNullSchema(deref(root, m))) ?? union[0];
    return valueFor(root, branch, true, walk, depth + 1);
  }
  const types = schemaTypes(schema)?.filter((t) => t !== 'null');
  const type = types?.[0] ?? ('properties' in schema ? 'object' : 'items' in schema ? 'array' : undefined);
  switch (type) {
    case 'string':
      return '';
    case 'number':
    case 'integer': {
      const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : typeof schema['exclusiveMinimum'] === 'number' ? schema['exclusiveMinimum'] + (type === 'integer' ? 1 : 0) : undefined;
      return min ?? 0;
    }
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return depth < MAX_DEPTH ? build(root, schema, undefined, true, walk, depth) : {};
    case 'null':
      return null;
    default:
      return schemaTypes(schema)?.includes('null') ? null : '';
  }
}
