/**
 * RFC 6570 URI templates, levels 1-3 plus the level-4 prefix modifier (`{var:3}`); an explode modifier (`*`) is
 * accepted and treated like a plain variable because every value entered here is a single string.
 * Pure (no vscode import) so it can be tested anywhere.
 */

export interface TemplateVariable {
  readonly name: string;
  /** '' | '+' | '#' | '.' | '/' | ';' | '?' | '&' */
  readonly operator: string;
  /** Whether the value goes into the query (`{?a}` / `{&a}`): such variables are optional by nature. */
  readonly inQuery: boolean;
}

type Part = string | { readonly operator: string; readonly vars: readonly { name: string; prefix?: number }[] };

interface OpSpec {
  first: string;
  sep: string;
  named: boolean;
  ifEmpty: string;
  reserved: boolean;
}

const OPS: Record<string, OpSpec> = {
  '': { first: '', sep: ',', named: false, ifEmpty: '', reserved: false },
  '+': { first: '', sep: ',', named: false, ifEmpty: '', reserved: true },
  '#': { first: '#', sep: ',', named: false, ifEmpty: '', reserved: true },
  '.': { first: '.', sep: '.', named: false, ifEmpty: '', reserved: false },
  '/': { first: '/', sep: '/', named: false, ifEmpty: '', reserved: false },
  ';': { first: ';', sep: ';', named: true, ifEmpty: '', reserved: false },
  '?': { first: '?', sep: '&', named: true, ifEmpty: '=', reserved: false },
  '&': { first: '&', sep: '&', named: true, ifEmpty: '=', reserved: false },
};

function parse(template: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) {
      parts.push(template.slice(i));
      break;
    }
    const close = template.indexOf('}', open);
    if (close === -1) {
      parts.push(template.slice(i)); // an unclosed brace is literal text
      break;
    }
    if (open > i) parts.push(template.slice(i, open));
    let body = template.slice(open + 1, close);
    let operator = '';
    if (body.length > 0 && '+#./;?&'.includes(body[0] ?? '')) {
      operator = body[0] ?? '';
      body = body.slice(1);
    }
    const vars = body
      .split(',')
      .map((spec) => spec.trim())
      .filter((spec) => spec.length > 0)
      .map((spec) => {
        const explode = spec.endsWith('*');
        const s = explode ? spec.slice(0, -1) : spec;
        const colon = s.indexOf(':');
        if (colon === -1) return { name: s };
        const prefix = Number.parseInt(s.slice(colon + 1), 10);
        return Number.isFinite(prefix) && prefix > 0 ? { name: s.slice(0, colon), prefix } : { name: s.slice(0, colon) };
      });
    if (vars.length === 0) parts.push(template.slice(open, close + 1));
    else parts.push({ operator, vars });
    i = close + 1;
  }
  return parts;
}

/** The variables of a template in order of appearance, each once. */
export function templateVariables(template: string): TemplateVariable[] {
  const seen = new Set<string>();
  const out: TemplateVariable[] = [];
  for (const p of parse(template)) {
    if (typeof p === 'string') continue;
    for (const v of p.vars) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      out.push({ name: v.name, operator: p.operator, inQuery: p.operator === '?' || p.operator === '&' });
    }
  }
  return out;
}

function encodeUnreserved(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function encodeReserved(s: string): string {
  // Keep reserved characters and existing percent-encoded triplets; encode everything else.
  return s
    .split(/(%[0-9A-Fa-f]{2})/g)
    .map((chunk, i) => (i % 2 === 1 ? chunk : encodeURI(chunk).replace(/%5B/gi, '[').replace(/%5D/gi, ']')))
    .join('');
}

/** Expands a template; variables missing from `values` (undefined) are left out, as RFC 6570 says. */
export function expandTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  for (const p of parse(template)) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const op = OPS[p.operator] ?? OPS[''];
    if (!op) continue;
    const pieces: string[] = [];
    for (const v of p.vars) {
      let value = values[v.name];
      if (value === undefined) continue;
      if (v.prefix !== undefined) value = [...value].slice(0, v.prefix).join('');
      const enc = op.reserved ? encodeReserved(value) : encodeUnreserved(value);
      if (op.named) pieces.push(value === '' ? `${v.name}${op.ifEmpty}` : `${v.name}=${enc}`);
      else pieces.push(enc);
    }
    if (pieces.length > 0) out += op.first + pieces.join(op.sep);
  }
  return out;
}

/** Does the template have any variables at all? */
export function isTemplate(template: string): boolean {
  return templateVariables(template).length > 0;
}

/** Templates and URIs longer than this are not matched (a typed URI is short; the regex stays cheap). */
const MAX_MATCH_LENGTH = 2048;
/** More expressions than this, or more than two that may contain "/", are not matched (bounded backtracking). */
const MAX_MATCH_EXPRESSIONS = 12;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What one expression may expand to, as a regex (values are never empty-checked: an omitted variable is fine). */
const EXPRESSION: Record<string, string> = {
  '': '[^/?#]*',
  '+': '[^?#]*',
  '#': '(?:#.*)?',
  '.': '(?:\\.[^/?#.]*)*',
  '/': '(?:/[^/?#]*)*',
  ';': '(?:;[^/?#;]*)*',
  '?': '(?:\\?[^#]*)?',
  '&': '(?:&[^#]*)?',
};

/**
 * Whether `uri` could be an expansion of `template` (e.g. `notes://today` of `notes://{name}`): the literal
 * parts must match exactly and each expression may expand to what its operator allows. Used to offer a typed
 * URI as a read through a server's template; false for anything too long to check cheaply.
 */
export function matchesTemplate(template: string, uri: string): boolean {
  if (template.length > MAX_MATCH_LENGTH || uri.length > MAX_MATCH_LENGTH) return false;
  const parts = parse(template);
  const expressions = parts.filter((p) => typeof p !== 'string');
  if (expressions.length === 0 || expressions.length > MAX_MATCH_EXPRESSIONS) return false;
  if (expressions.filter((p) => p.operator === '+' || p.operator === '#').length > 2) return false;
  const source = parts.map((p) => (typeof p === 'string' ? escapeRegExp(p) : (EXPRESSION[p.operator] ?? EXPRESSION['']!))).join('');
  return new RegExp(`^${source}$`).test(uri);
}
