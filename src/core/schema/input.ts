import { fieldRootSchema, type EnumOption, type FormField } from './fields';
import { valueLabel } from './jsonSchema';
import { safeRegExp, type SafeRegExp } from './safeRegExp';
import { validateArguments } from './validate';

/** Thrown by `coerceFieldInput` for text that `validateFieldInput` rejects. */
export class FieldInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldInputError';
  }
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'no', 'n', 'off', '0']);

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function formatNumber(n: number): string {
  return String(n);
}

/** The enum option a typed text means: exact label, then the value's text or JSON, then a case-insensitive label. */
export function findEnumOption(field: FormField, text: string): EnumOption | undefined {
  const options = field.enum ?? [];
  return (
    options.find((o) => o.label === text) ??
    options.find((o) => valueLabel(o.value) === text) ??
    options.find((o) => JSON.stringify(o.value) === text) ??
    options.find((o) => o.label.toLowerCase() === text.trim().toLowerCase())
  );
}

function parse(field: FormField, text: string): Parsed {
  if (text === '' || (field.type !== 'string' && text.trim() === '')) {
    if (!field.required) return { ok: true, value: undefined };
    if (field.hasDefault) return { ok: true, value: field.default };
    return { ok: false, message: `${field.name} is required.` };
  }
  if (field.nullable && field.type !== 'string' && field.type !== 'enum' && text.trim() === 'null') return { ok: true, value: null };
  switch (field.type) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
    case 'integer': {
      const t = text.trim();
      if (!NUMBER.test(t)) return { ok: false, message: field.type === 'integer' ? 'Enter a whole number.' : 'Enter a number.' };
      const n = Number(t);
      if (!Number.isFinite(n)) return { ok: false, message: 'The number is too large.' };
      if (field.type === 'integer' && !Number.isInteger(n)) return { ok: false, message: 'Enter a whole number.' };
      if (field.type === 'integer' && !Number.isSafeInteger(n)) return { ok: false, message: 'The number is too large to send exactly.' };
      return { ok: true, value: n };
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (TRUE.has(t)) return { ok: true, value: true };
      if (FALSE.has(t)) return { ok: true, value: false };
      return { ok: false, message: 'Enter true or false.' };
    }
    case 'enum': {
      const option = findEnumOption(field, text);
      if (!option) {
        const labels = (field.enum ?? []).slice(0, 8).map((o) => o.label);
        return { ok: false, message: `Choose one of: ${labels.join(', ')}${(field.enum?.length ?? 0) > 8 ? ', …' : ''}.` };
      }
      return { ok: true, value: option.value };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch (err) {
        return { ok: false, message: `Enter JSON: ${err instanceof Error ? err.message : String(err)}` };
      }
  }
}

function checkConstraints(field: FormField, value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (field.minimum !== undefined && value < field.minimum) return `Must be at least ${formatNumber(field.minimum)}.`;
    if (field.maximum !== undefined && value > field.maximum) return `Must be at most ${formatNumber(field.maximum)}.`;
    if (field.exclusiveMinimum !== undefined && value <= field.exclusiveMinimum) return `Must be greater than ${formatNumber(field.exclusiveMinimum)}.`;
    if (field.exclusiveMaximum !== undefined && value >= field.exclusiveMaximum) return `Must be less than ${formatNumber(field.exclusiveMaximum)}.`;
    if (field.multipleOf !== undefined) {
      const q = value / field.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) return `Must be a multiple of ${formatNumber(field.multipleOf)}.`;
    }
  }
  if (typeof value === 'string' && field.type === 'string') {
    // JSON Schema counts code points, not UTF-16 units.
    const needsCount = field.minLength !== undefined || field.maxLength !== undefined;
    const length = needsCount ? codePointLength(value) : 0;
    if (field.minLength !== undefined && length < field.minLength) {
      return field.minLength === 1 ? 'Must not be empty.' : `Must be at least ${field.minLength} characters.`;
    }
    if (field.maxLength !== undefined && length > field.maxLength) return `Must be at most ${field.maxLength} characters (now ${length}).`;
    if (field.pattern !== undefined) {
      const rx = patternOf(field.pattern);
      if (rx && !rx.test(value)) return `Must match the pattern ${field.pattern}`;
    }
  }
  return undefined;
}

/** The pattern as ajv runs it: unicode mode, or without it for patterns only valid there (`[a-z\_]`). */
function patternOf(pattern: string): SafeRegExp | undefined {
  for (const flags of ['u', '']) {
    try {
      return safeRegExp(pattern, flags);
    } catch {
      // try the next flags; an invalid pattern is reported by validateArguments as a schema error
    }
  }
  return undefined;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * The message to show under a quick input for `text`, or undefined when it is acceptable. Checks the type,
 * required, min/max, lengths, pattern and enum with friendly messages, then everything else in the field's
 * schema (format, nested shapes of JSON fields, ...) with the full validator.
 */
export function validateFieldInput(field: FormField, text: string): string | undefined {
  const parsed = parse(field, text);
  if (!parsed.ok) return parsed.message;
  if (parsed.value === undefined) return undefined;
  const simple = checkConstraints(field, parsed.value);
  if (simple) return simple;
  const root = fieldRootSchema(field);
  if (root !== undefined && typeof root === 'object' && root !== null) {
    const prefix = `/${field.name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const result = validateArguments(root, { [field.name]: parsed.value });
    if (result.schemaError) return undefined; // reported when the tool is run; do not block typing
    const mine = result.errors.filter((e) => e.path === prefix || e.path.startsWith(`${prefix}/`));
    const first = mine[0];
    if (first) {
      const where = first.path.slice(prefix.length);
      const text = first.message.charAt(0).toUpperCase() + first.message.slice(1);
      return where ? `${where}: ${first.message}` : `${text}.`;
    }
  }
  return undefined;
}

/**
 * Turns accepted quick-input text into the argument value: a number for number/integer, a boolean, the enum
 * option's value, parsed JSON for `json` fields, the text itself for strings. Returns `undefined` for an empty
 * optional field (omit the argument). Text that `validateFieldInput` rejects throws a `FieldInputError`.
 */
export function coerceFieldInput(field: FormField, text: string): unknown {
  const parsed = parse(field, text);
  if (!parsed.ok) throw new FieldInputError(field.name, parsed.message);
  return parsed.value;
}

/** The text to pre-fill a quick input with for a value (previous argument or default); '' when none. */
export function fieldInputText(field: FormField, value: unknown): string {
  if (value === undefined) return '';
  if (field.type === 'string' && typeof value === 'string') return value;
  if (field.type === 'enum') {
    const option = (field.enum ?? []).find((o) => JSON.stringify(o.value) === JSON.stringify(value));
    if (option) return option.label;
  }
  if (field.type === 'json') return JSON.stringify(value) ?? '';
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/**
 * A short hint of what to type, for an input box's placeholder: `whole number, 1 to 10 (optional: leave empty to
 * omit)`. Built from the field's constraints; enum labels and patterns are raw server text.
 */
export function fieldHint(field: FormField): string {
  const bits: string[] = [];
  switch (field.type) {
    case 'string': {
      const what = field.format ? `text (${field.format})` : 'text';
      const { minLength: min, maxLength: max } = field;
      bits.push(min !== undefined && max !== undefined ? `${what}, ${min} to ${max} characters` : max !== undefined ? `${what}, at most ${max} characters` : min !== undefined ? `${what}, at least ${min} characters` : what);
      if (field.pattern !== undefined) bits.push(`matching ${field.pattern.length > 60 ? `${field.pattern.slice(0, 59)}…` : field.pattern}`);
      break;
    }
    case 'number':
    case 'integer': {
      const what = field.type === 'integer' ? 'whole number' : 'number';
      const low = field.minimum !== undefined ? `${field.minimum}` : field.exclusiveMinimum !== undefined ? `more than ${field.exclusiveMinimum}` : undefined;
      const high = field.maximum !== undefined ? `${field.maximum}` : field.exclusiveMaximum !== undefined ? `less than ${field.exclusiveMaximum}` : undefined;
      bits.push(low !== undefined && high !== undefined ? `${what}, ${low} to ${high}` : low !== undefined ? `${what}, at least ${low}` : high !== undefined ? `${what}, at most ${high}` : what);
      if (field.multipleOf !== undefined) bits.push(`a multiple of ${field.multipleOf}`);
      break;
    }
    case 'boolean':
      bits.push('true or false');
      break;
    case 'enum': {
      const labels = (field.enum ?? []).map((o) => o.label);
      bits.push(`one of: ${labels.slice(0, 6).join(', ')}${labels.length > 6 ? ', …' : ''}`);
      break;
    }
    case 'json':
      bits.push(typeof field.schema['type'] === 'string' ? `JSON (${field.schema['type']})` : 'JSON');
      break;
  }
  if (field.nullable && field.type !== 'string' && field.type !== 'enum') bits.push('or null');
  if (field.hasDefault) bits.push(`default ${fieldInputText(field, field.default) || JSON.stringify(field.default)}`);
  bits.push(field.required ? 'required' : 'optional: leave empty to omit');
  return bits.join(', ');
}
