/**
 * `elicitation/create` params -> a validated question, and the user's answer -> the result. The spec restricts a
 * form to a flat object of primitive properties (string with optional format, number/integer, boolean, single and
 * multi-select enums); anything else is rejected with a clear -32602 instead of a form the user cannot fill.
 * URL mode (2025-11-25) accepts only https, or http to a loopback host, without credentials in the URL.
 */
import { validateArguments } from '../../schema/validate';
import { AnswerError, AnswerErrorCode, type FormAnswer, type FormQuestion } from './types';

/** Bounds on what a server may ask in one form (every walk over server data has a bound). */
export const MAX_FORM_FIELDS = 50;
export const MAX_SCHEMA_JSON = 64 * 1024;
export const MAX_MESSAGE_LENGTH = 4000;
export const MAX_URL_LENGTH = 4096;
export const MAX_ENUM_OPTIONS = 200;

const stringFormats = new Set(['email', 'uri', 'date', 'date-time']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(message: string): AnswerError {
  return new AnswerError(AnswerErrorCode.invalidParams, message, 'invalidParams');
}

/** The parsed request: a form or a URL question (the URL's completion promise is added by the caller). */
export type ParsedElicitation =
  | FormQuestion
  | { readonly mode: 'url'; readonly message: string; readonly url: string; readonly domain: string; readonly elicitationId: string };

/** Validates `elicitation/create` params; throws an AnswerError (-32602) saying what is wrong. */
export function parseElicitation(params: unknown): ParsedElicitation {
  if (!isObject(params)) throw invalid('elicitation/create needs params: { message, requestedSchema } or { mode: "url", ... }');
  const message = params.message;
  if (typeof message !== 'string') throw invalid('elicitation/create: "message" must be a string');
  if (message.length > MAX_MESSAGE_LENGTH) throw invalid(`elicitation/create: "message" is longer than ${MAX_MESSAGE_LENGTH} characters`);
  const mode = params.mode ?? 'form';
  if (mode === 'url') return parseUrlElicitation(params, message);
  if (mode !== 'form') throw invalid(`elicitation/create: unknown mode ${JSON.stringify(mode).slice(0, 40)} (expected "form" or "url")`);
  return { mode: 'form', message, schema: checkRequestedSchema(params.requestedSchema) };
}

/** The restricted schema of the spec, or an error naming the first property that breaks it. */
export function checkRequestedSchema(schema: unknown): Record<string, unknown> {
  if (!isObject(schema)) throw invalid('elicitation/create: "requestedSchema" must be an object schema');
  let size: number;
  try {
    size = JSON.stringify(schema).length;
  } catch {
    throw invalid('elicitation/create: "requestedSchema" is not JSON');
  }
  if (size > MAX_SCHEMA_JSON) throw invalid(`elicitation/create: "requestedSchema" is larger than ${MAX_SCHEMA_JSON / 1024} KiB`);
  if (schema.type !== 'object') throw invalid('elicitation/create: "requestedSchema" must have "type": "object"');
  const props = schema.properties ?? {};
  if (!isObject(props)) throw invalid('elicitation/create: "requestedSchema.properties" must be an object');
  const names = Object.keys(props);
  if (names.length > MAX_FORM_FIELDS) throw invalid(`elicitation/create: the form has ${names.length} fields; at most ${MAX_FORM_FIELDS} are allowed`);
  for (const name of names) checkProperty(name, props[name]);
  const required = schema.required;
  if (required !== undefined) {
    if (!Array.isArray(required) || required.some((r) => typeof r !== 'string')) throw invalid('elicitation/create: "requestedSchema.required" must be an array of property names');
    const missing = (required as string[]).find((r) => !(r in props));
    if (missing !== undefined) throw invalid(`elicitation/create: "required" names "${missing.slice(0, 60)}", which is not a property`);
  }
  return schema;
}

function checkProperty(name: string, p: unknown): void {
  const where = `property "${name.slice(0, 60)}"`;
  if (!isObject(p)) throw invalid(`elicitation/create: ${where} must be a schema object`);
  const options = (list: unknown, what: string): void => {
    if (!Array.isArray(list) || list.length === 0) throw invalid(`elicitation/create: ${where}: "${what}" must be a non-empty array`);
    if (list.length > MAX_ENUM_OPTIONS) throw invalid(`elicitation/create: ${where} has more than ${MAX_ENUM_OPTIONS} options`);
  };
  const consts = (list: unknown, what: string): void => {
    options(list, what);
    for (const o of list as unknown[]) {
      if (!isObject(o) || typeof o.const !== 'string') throw invalid(`elicitation/create: ${where}: every "${what}" entry needs a string "const"`);
    }
  };
  switch (p.type) {
    case 'string':
      if (p.enum !== undefined) {
        options(p.enum, 'enum');
        if ((p.enum as unknown[]).some((e) => typeof e !== 'string')) throw invalid(`elicitation/create: ${where}: enum values must be strings`);
      } else if (p.oneOf !== undefined) consts(p.oneOf, 'oneOf');
      if (p.format !== undefined && (typeof p.format !== 'string' || !stringFormats.has(p.format))) {
        throw invalid(`elicitation/create: ${where}: format must be one of email, uri, date, date-time`);
      }
      return;
    case 'number':
    case 'integer':
    case 'boolean':
      return;
    case 'array': {
      const items = p.items;
      if (!isObject(items)) throw invalid(`elicitation/create: ${where}: an array must be a multi-select with "items"`);
      if (items.enum !== undefined) options(items.enum, 'items.enum');
      else if (items.anyOf !== undefined) consts(items.anyOf, 'items.anyOf');
      else throw invalid(`elicitation/create: ${where}: an array is only allowed as a multi-select (items.enum or items.anyOf)`);
      return;
    }
    default:
      throw invalid(
        `elicitation/create: ${where} has type ${JSON.stringify(p.type ?? null).slice(0, 40)}; a form field must be a string, number, integer, boolean or a multi-select array (no nested objects)`,
      );
  }
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Whether a URL may be offered to the user to open: https, or http to a loopback host; no credentials. */
export function checkOpenableUrl(url: string): { ok: true; domain: string } | { ok: false; why: string } {
  if (url.length > MAX_URL_LENGTH) return { ok: false, why: `the URL is longer than ${MAX_URL_LENGTH} characters` };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, why: 'the URL is not valid' };
  }
  if (u.username || u.password) return { ok: false, why: 'the URL carries a user name or password' };
  if (u.protocol === 'https:') return { ok: true, domain: u.hostname };
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return { ok: true, domain: u.hostname };
  return { ok: false, why: `only https links (or http to this machine) are opened, not ${u.protocol.replace(/:$/, '')}` };
}

function parseUrlElicitation(params: Record<string, unknown>, message: string): ParsedElicitation {
  const { url, elicitationId } = params;
  if (typeof url !== 'string') throw invalid('elicitation/create (url mode): "url" must be a string');
  if (typeof elicitationId !== 'string' || elicitationId === '' || elicitationId.length > 200) {
    throw invalid('elicitation/create (url mode): "elicitationId" must be a non-empty string');
  }
  const check = checkOpenableUrl(url);
  if (!check.ok) throw invalid(`elicitation/create (url mode): ${check.why}`);
  return { mode: 'url', message, url, domain: check.domain, elicitationId };
}

/**
 * The result for an answered form: on accept, fields the user left out get their schema `default` (SEP-1034) and
 * the content is checked against the schema (a client bug must not reach the server as "accepted").
 */
/** One choice of a multi-select field: `label` is the server's title (raw, untrusted), `value` what is sent. */
export interface MultiSelectChoice {
  readonly label: string;
  readonly value: unknown;
  /** The value's text, when the label is a title. */
  readonly description?: string;
}

/**
 * The choices of a multi-select form field (a property of `type: array` whose `items` has `enum`, or `anyOf` /
 * `oneOf` of `const`s with optional titles), or undefined when `schema` is not one.
 */
export function multiSelectChoices(schema: Readonly<Record<string, unknown>>): MultiSelectChoice[] | undefined {
  const items = schema.items as Record<string, unknown> | undefined;
  if (!items || typeof items !== 'object') return undefined;
  if (Array.isArray(items.enum)) return items.enum.map((v) => ({ label: String(v), value: v }));
  const consts = items.anyOf ?? items.oneOf;
  if (!Array.isArray(consts)) return undefined;
  return consts
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && 'const' in c)
    .map((c) => (typeof c.title === 'string' ? { label: c.title, value: c.const, description: String(c.const) } : { label: String(c.const), value: c.const }));
}

export function formResult(question: FormQuestion, answer: FormAnswer): Record<string, unknown> {
  if (answer.action !== 'accept') return { action: answer.action };
  const content: Record<string, unknown> = { ...answer.content };
  const props = (question.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, p] of Object.entries(props)) {
    if (content[name] === undefined && p.default !== undefined) content[name] = p.default;
  }
  const check = validateArguments(question.schema, content);
  if (!check.valid && !check.schemaError) {
    const first = check.errors[0];
    throw new AnswerError(AnswerErrorCode.internal, `the answer does not match the form: ${first ? `${first.path} ${first.message}` : 'invalid'}`, 'invalidParams');
  }
  return { action: 'accept', content };
}
