/**
 * JSON Schema described for people: type names (`string[]`, `"a" | "b"`) and one-line argument summaries for
 * tooltips and input hints. Every walk is bounded (MAX_DESCRIBE_NODES); property names stay raw server text.
 */
import { deref, isObject, schemaTypes } from './jsonSchema';

/** A type name for humans: `string`, `integer`, `string[]`, `"a" | "b"`, `object`, `string | null`. */
export function describeType(root: unknown, raw: unknown, depth = 0): string {
  return describe(root, raw, depth, { left: MAX_DESCRIBE_NODES });
}

/** Sub-schemas looked at per type description: unions of `$ref`s to unions fan out even at depth 3. */
const MAX_DESCRIBE_NODES = 200;

function describe(root: unknown, raw: unknown, depth: number, budget: { left: number }): string {
  if (budget.left-- <= 0) return 'any';
  const schema = deref(root, raw);
  if (!isObject(schema) || depth > 3) return schema === false ? 'never' : 'any';
  if ('const' in schema) return JSON.stringify(schema['const']) ?? 'any';
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'] as unknown[];
    const shown = values.slice(0, 4).map((v) => JSON.stringify(v) ?? String(v));
    return values.length > 4 ? `${shown.join(' | ')} | …` : shown.join(' | ') || 'never';
  }
  const union = Array.isArray(schema['anyOf']) ? schema['anyOf'] : Array.isArray(schema['oneOf']) ? schema['oneOf'] : undefined;
  if (union) {
    const parts = [...new Set((union as unknown[]).slice(0, 20).map((m) => describe(root, m, depth + 1, budget)))];
    return parts.length > 4 || union.length > 20 ? `${parts.slice(0, 4).join(' | ')} | …` : parts.join(' | ');
  }
  const types = schemaTypes(schema);
  const one = (t: string): string => {
    if (t === 'array') {
      const items = schema['items'];
      if (isObject(items) || typeof items === 'boolean') {
        const inner = describe(root, items, depth + 1, budget);
        return inner.includes(' ') ? `(${inner})[]` : `${inner}[]`;
      }
      return 'array';
    }
    return t;
  };
  if (types && types.length > 0) return types.map(one).join(' | ');
  if ('properties' in schema) return 'object';
  if ('items' in schema) return one('array');
  return 'any';
}

/**
 * A one-line summary of a tool's arguments for tooltips: `message: string (required), count?: integer`.
 * Property names are raw server text.
 */
export function summarizeArguments(schema: unknown, maxProperties = 12): string {
  try {
    const root = schema;
    const top = deref(root, root);
    if (!isObject(top)) return schema === undefined ? 'no arguments' : 'arguments: any JSON';
    const props = isObject(top['properties']) ? top['properties'] : {};
    const required = new Set(Array.isArray(top['required']) ? (top['required'] as unknown[]).filter((r) => typeof r === 'string') : []);
    const names = Object.keys(props);
    if (names.length === 0) {
      const extra = top['additionalProperties'];
      return extra === undefined || extra === false ? 'no arguments' : 'arguments: any object';
    }
    // Required first: that is what the user must provide.
    const ordered = [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))];
    const budget = { left: MAX_DESCRIBE_NODES * 4 };
    const parts = ordered.slice(0, maxProperties).map((n) => {
      const type = describe(root, props[n], 0, budget);
      return required.has(n) ? `${n}: ${type} (required)` : `${n}?: ${type}`;
    });
    if (ordered.length > maxProperties) parts.push(`… ${ordered.length - maxProperties} more`);
    return parts.join(', ');
  } catch {
    return 'arguments: see schema';
  }
}
