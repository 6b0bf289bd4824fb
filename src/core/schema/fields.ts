/**
 * A tool's input schema read into one form field per top-level property (quick input asks them one by one), or
 * the verdict that the JSON editor is needed. Describing types for people is ./describe.ts.
 */
import { deref, isNullSchema, isObject, jsonTypeOf, schemaTypes, setOwn, valueLabel, type JsonSchema } from './jsonSchema';

/** How a field is entered in a quick input. `json` = nested object/array/union: enter JSON (or use the editor). */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

/** One choice of an enum field. `label` is untrusted server text (raw), `value` is what is sent. */
export interface EnumOption {
  value: unknown;
  label: string;
  description?: string;
}

/**
 * One top-level argument of a tool. Every text (name, title, description, labels) comes from the server: raw,
 * the UI sanitizes before showing it.
 */
export interface FormField {
  name: string;
  title?: string;
  description?: string;
  type: FieldType;
  required: boolean;
  /** `null` is also accepted (`type: ['string', 'null']`, pydantic's `anyOf: [X, {type: 'null'}]`). */
  nullable: boolean;
  /** Whether the schema declares a `default` (which may itself be `null` or `false`). */
  hasDefault: boolean;
  default?: unknown;
  /** For `enum` fields (also `const`, `oneOf`/`anyOf` of consts, booleans never: they are `boolean`). */
  enum?: EnumOption[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  examples?: unknown[];
  deprecated?: boolean;
  readOnly?: boolean;
  /** The property's schema with top-level `$ref`s resolved (nested refs still point into the tool's schema). */
  schema: JsonSchema;
}

export interface SchemaFields {
  fields: FormField[];
  /** Quick input is not enough: some field is nested/complex, or the schema itself is (or is invalid). */
  needsJsonEditor: boolean;
  /** What could not be understood, in words (shown in the log, not as errors). */
  warnings: string[];
}

const rootOf = new WeakMap<FormField, unknown>();

/** More top-level properties than this are not asked one by one (nor read into fields): the JSON editor is. */
export const MAX_FORM_FIELDS = 200;

/** The tool schema a field came from (for validating a field against `$ref`s into the root). */
export function fieldRootSchema(field: FormField): unknown {
  return rootOf.get(field);
}

/** Reads a tool's input schema into one field per top-level property. Never throws. */
export function schemaToFields(schema: unknown): SchemaFields {
  const warnings: string[] = [];
  try {
    return toFields(schema, warnings);
  } catch (err) {
    // Defensive: a schema built to trip us up (getters, proxies, cycles) still yields an editor.
    warnings.push(`The schema could not be read: ${err instanceof Error ? err.message : String(err)}`);
    return { fields: [], needsJsonEditor: true, warnings };
  }
}

function toFields(input: unknown, warnings: string[]): SchemaFields {
  if (input === undefined || input === true) return { fields: [], needsJsonEditor: false, warnings };
  if (!isObject(input)) {
    warnings.push(`The input schema is not an object (got ${jsonTypeOf(input)}); enter the arguments as JSON.`);
    return { fields: [], needsJsonEditor: true, warnings };
  }
  const root = input;
  const { schema: top, complex } = flattenAllOf(root, deref(root, root, warnings), warnings);
  if (!isObject(top)) {
    warnings.push('The input schema does not describe an object; enter the arguments as JSON.');
    return { fields: [], needsJsonEditor: true, warnings };
  }
  let needsJsonEditor = complex;
  const types = schemaTypes(top);
  if (types && !types.includes('object')) {
    warnings.push(`The input schema's type is ${types.join(' | ') || 'empty'}, not object; enter the arguments as JSON.`);
    return { fields: [], needsJsonEditor: true, warnings };
  }
  for (const keyword of ['anyOf', 'oneOf', 'if', 'not', 'dependentSchemas', 'dependencies', 'patternProperties']) {
    if (keyword in top) {
      warnings.push(`The input schema uses "${keyword}" at the top level; the JSON editor shows every choice.`);
      needsJsonEditor = true;
    }
  }
  if (isObject(top['additionalProperties']) && Object.keys(top['additionalProperties']).length > 0) {
    // A map of arbitrary keys: quick input cannot ask for names.
    needsJsonEditor = true;
  }
  const props = top['properties'];
  if (props !== undefined && !isObject(props)) {
    warnings.push('"properties" is not an object; enter the arguments as JSON.');
    return { fields: [], needsJsonEditor: true, warnings };
  }
  const required = new Set<string>();
  const req = top['required'];
  if (Array.isArray(req)) {
    for (const r of req) {
      if (typeof r === 'string') required.add(r);
      else warnings.push(`"required" lists a non-string (${valueLabel(r)}); ignored.`);
    }
  } else if (req !== undefined) {
    warnings.push('"required" is not an array; ignored.');
  }
  const names = Object.keys(props ?? {});
  if (names.length > MAX_FORM_FIELDS) {
    warnings.push(`The input schema has ${names.length} properties (more than ${MAX_FORM_FIELDS}); enter the arguments as JSON.`);
    return { fields: [], needsJsonEditor: true, warnings };
  }
  const fields: FormField[] = [];
  for (const [name, raw] of Object.entries(props ?? {})) {
    const field = toField(root, name, raw, required.has(name), warnings);
    rootOf.set(field, root);
    if (field.type === 'json') needsJsonEditor = true;
    fields.push(field);
  }
  for (const name of required) {
    if (!props || !Object.prototype.hasOwnProperty.call(props, name)) {
      warnings.push(`"${name}" is required but has no schema; the JSON editor is needed to enter it.`);
      needsJsonEditor = true;
    }
  }
  return { fields, needsJsonEditor, warnings };
}

/** Merges a top-level `allOf` of object schemas (generated schemas compose them) into one object schema. */
function flattenAllOf(root: unknown, schema: unknown, warnings: string[]): { schema: unknown; complex: boolean } {
  if (!isObject(schema) || !Array.isArray(schema['allOf'])) return { schema, complex: false };
  const { allOf, ...rest } = schema;
  const merged: JsonSchema = { ...rest };
  const properties: JsonSchema = isObject(rest['properties']) ? { ...rest['properties'] } : {};
  const required: unknown[] = Array.isArray(rest['required']) ? [...rest['required']] : [];
  let complex = false;
  for (const part of allOf as unknown[]) {
    const p = deref(root, part, warnings);
    if (!isObject(p)) continue;
    const t = schemaTypes(p);
    if ((t && !t.includes('object')) || 'anyOf' in p || 'oneOf' in p || 'allOf' in p) {
      complex = true;
      warnings.push('The input schema combines schemas with "allOf" that are not plain objects; the JSON editor shows them.');
      continue;
    }
    if (isObject(p['properties'])) for (const [k, v] of Object.entries(p['properties'])) setOwn(properties, k, v);
    if (Array.isArray(p['required'])) required.push(...(p['required'] as unknown[]));
    if (p['additionalProperties'] !== undefined && merged['additionalProperties'] === undefined) {
      merged['additionalProperties'] = p['additionalProperties'];
    }
  }
  merged['properties'] = properties;
  merged['required'] = required;
  if (merged['type'] === undefined) merged['type'] = 'object';
  return { schema: merged, complex };
}

function toField(root: unknown, name: string, raw: unknown, required: boolean, warnings: string[]): FormField {
  const resolved = deref(root, raw, warnings);
  if (resolved === false) warnings.push(`"${name}" has schema false: no value is valid.`);
  const schema: JsonSchema = isObject(resolved) ? resolved : {};
  const field: FormField = { name, type: 'json', required, nullable: false, hasDefault: false, schema };
  const str = (k: string): string | undefined => (typeof schema[k] === 'string' ? (schema[k] as string) : undefined);

  const title = str('title');
  if (title !== undefined) field.title = title;
  const description = str('description');
  if (description !== undefined) field.description = description;
  if ('default' in schema) {
    field.hasDefault = true;
    field.default = schema['default'];
  }
  if (Array.isArray(schema['examples'])) field.examples = schema['examples'] as unknown[];
  else if ('example' in schema) field.examples = [schema['example']];
  if (schema['deprecated'] === true) field.deprecated = true;
  if (schema['readOnly'] === true) field.readOnly = true;
  if (schema['required'] === true) field.required = true; // draft-03 style

  // The value's shape: strip `null` out of unions first.
  let shape: JsonSchema = schema;
  const union = Array.isArray(schema['anyOf']) ? schema['anyOf'] : Array.isArray(schema['oneOf']) ? schema['oneOf'] : undefined;
  if (union) {
    const members = (union as unknown[]).map((m) => deref(root, m, warnings));
    const nonNull = members.filter((m) => !isNullSchema(m));
    if (nonNull.length < members.length) field.nullable = true;
    const options = constOptions(nonNull);
    if (options) {
      field.type = 'enum';
      field.enum = field.nullable ? [...options, { value: null, label: 'null' }] : options;
      return field;
    }
    if (nonNull.length === 1 && isObject(nonNull[0])) {
      // pydantic's Optional[X]: anyOf [X, null]; the outer schema's annotations stay.
      const { anyOf: _a, oneOf: _o, ...outer } = schema;
      shape = { ...nonNull[0], ...outer };
      field.schema = shape;
      if (field.description === undefined && typeof nonNull[0]['description'] === 'string') field.description = nonNull[0]['description'];
      if (field.title === undefined && typeof nonNull[0]['title'] === 'string') field.title = nonNull[0]['title'];
    } else {
      return field; // a real union: JSON
    }
  }
  if ('const' in shape) {
    field.type = 'enum';
    field.enum = [{ value: shape['const'], label: valueLabel(shape['const']) }];
    return field;
  }

  let types = schemaTypes(shape);
  if (types?.includes('null')) {
    field.nullable = true;
    types = types.filter((t) => t !== 'null');
  }

  const enumValues = shape['enum'];
  if (Array.isArray(enumValues)) {
    const names = Array.isArray(shape['enumNames']) ? shape['enumNames'] : Array.isArray(shape['x-enumNames']) ? shape['x-enumNames'] : undefined;
    const values = enumValues as unknown[];
    if (values.includes(null)) field.nullable = true;
    field.type = 'enum';
    field.enum = values.map((value, i) => ({ value, label: typeof names?.[i] === 'string' ? (names[i] as string) : valueLabel(value) }));
    if (field.enum.length === 0) warnings.push(`"${name}" has an empty enum: no value is valid.`);
    return field;
  }

  let type: string | undefined;
  if (types === undefined) {
    if ('properties' in shape || 'additionalProperties' in shape) type = 'object';
    else if ('items' in shape || 'prefixItems' in shape) type = 'array';
    else if ('minLength' in shape || 'maxLength' in shape || 'pattern' in shape || 'format' in shape) type = 'string';
    else if ('minimum' in shape || 'maximum' in shape) type = 'number';
  } else if (types.length === 1) {
    type = types[0];
  } else if (types.length === 2 && types.includes('integer') && types.includes('number')) {
    type = 'number';
  } else if (types.length === 0 && field.nullable) {
    field.type = 'enum';
    field.enum = [{ value: null, label: 'null' }];
    return field;
  }

  switch (type) {
    case 'string': {
      field.type = 'string';
      const minLength = numOf(shape, 'minLength');
      const maxLength = numOf(shape, 'maxLength');
      const pattern = typeof shape['pattern'] === 'string' ? shape['pattern'] : undefined;
      const format = typeof shape['format'] === 'string' ? shape['format'] : undefined;
      if (minLength !== undefined) field.minLength = minLength;
      if (maxLength !== undefined) field.maxLength = maxLength;
      if (pattern !== undefined) field.pattern = pattern;
      if (format !== undefined) field.format = format;
      return field;
    }
    case 'number':
    case 'integer': {
      field.type = type;
      const minimum = numOf(shape, 'minimum');
      const maximum = numOf(shape, 'maximum');
      const multipleOf = numOf(shape, 'multipleOf');
      if (minimum !== undefined) field.minimum = minimum;
      if (maximum !== undefined) field.maximum = maximum;
      if (multipleOf !== undefined && multipleOf > 0) field.multipleOf = multipleOf;
      // draft-06+: numbers; draft-04: booleans that make minimum/maximum exclusive.
      const exMin = shape['exclusiveMinimum'];
      const exMax = shape['exclusiveMaximum'];
      if (typeof exMin === 'number' && Number.isFinite(exMin)) field.exclusiveMinimum = exMin;
      else if (exMin === true && minimum !== undefined) {
        field.exclusiveMinimum = minimum;
        delete field.minimum;
      }
      if (typeof exMax === 'number' && Number.isFinite(exMax)) field.exclusiveMaximum = exMax;
      else if (exMax === true && maximum !== undefined) {
        field.exclusiveMaximum = maximum;
        delete field.maximum;
      }
      return field;
    }
    case 'boolean':
      field.type = 'boolean';
      return field;
    case undefined:
    case 'object':
    case 'array':
      return field;
    default:
      warnings.push(`"${name}" has an unknown type "${String(type)}"; enter it as JSON.`);
      return field;
  }
}

function numOf(schema: JsonSchema, key: string): number | undefined {
  const v = schema[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `oneOf`/`anyOf` whose members are all `{const, title?}`: a labelled enum (the MCP elicitation idiom). */
function constOptions(members: unknown[]): EnumOption[] | undefined {
  if (members.length === 0) return undefined;
  const options: EnumOption[] = [];
  for (const m of members) {
    if (!isObject(m)) return undefined;
    if ('const' in m) {
      const option: EnumOption = { value: m['const'], label: typeof m['title'] === 'string' ? m['title'] : valueLabel(m['const']) };
      if (typeof m['description'] === 'string') option.description = m['description'];
      options.push(option);
    } else if (Array.isArray(m['enum']) && Object.keys(m).every((k) => ['enum', 'type', 'title', 'description'].includes(k))) {
      for (const value of m['enum'] as unknown[]) options.push({ value, label: valueLabel(value) });
    } else {
      return undefined;
    }
  }
  return options;
}
