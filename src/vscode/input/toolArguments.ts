/**
 * Collects a tool's arguments: the guided quick input for flat schemas, the JSON document for nested ones (or
 * when the user asks), remembered arguments and schema defaults pre-filled, validated before they are sent.
 */
import * as vscode from 'vscode';
import type { Tool } from '../../core/protocol/sdk';
import {
  coerceFieldInput,
  fieldInputText,
  prepareArgumentsCheck,
  schemaToFields,
  skeletonFromSchema,
  validateArgumentsAsync,
  validateFieldInput,
  type ArgumentValidation,
  type FormField as SchemaField,
} from '../../core/schema';
import { sanitizeLabel } from '../../core/base/sanitize';
import { isSecretSchema } from '../../core/trust/secretValues';
import { runForm, type FormField } from './form';
import { editArgumentsAsJson, type ArgumentLenses, type ArgumentProblem } from './jsonArguments';
import { showMessage } from '../messages';

function hintOf(f: SchemaField, secret: boolean): string {
  const parts: string[] = [f.type === 'enum' ? 'choice' : f.type];
  const range = (lo?: number, hi?: number, exLo?: number, exHi?: number): string | undefined => {
    const a = lo !== undefined ? `≥ ${lo}` : exLo !== undefined ? `> ${exLo}` : undefined;
    const b = hi !== undefined ? `≤ ${hi}` : exHi !== undefined ? `< ${exHi}` : undefined;
    return a && b ? `${a} and ${b}` : (a ?? b);
  };
  const r = range(f.minimum, f.maximum, f.exclusiveMinimum, f.exclusiveMaximum);
  if (r) parts.push(r);
  if (f.minLength !== undefined || f.maxLength !== undefined) parts.push(`length ${f.minLength ?? 0}–${f.maxLength ?? '∞'}`);
  if (f.pattern) parts.push(`pattern ${sanitizeLabel(f.pattern, 60)}`);
  if (f.format) parts.push(`format ${sanitizeLabel(f.format, 30)}`);
  if (f.nullable) parts.push('or null');
  if (f.hasDefault) parts.push(secret ? 'has a default' : `default ${sanitizeLabel(JSON.stringify(f.default) ?? 'null', 40)}`);
  return parts.join(', ');
}

/**
 * The quick-input field for one schema field (H5's parse/validate rules behind it). A field the schema marks
 * `writeOnly` or `format: "password"` is typed into a password box and its default is not shown in the hint.
 */
export function toFormField(f: SchemaField): FormField {
  const description = [f.title, f.description].filter((s): s is string => typeof s === 'string' && s.length > 0).join(' — ');
  const secret = isSecretSchema(f.schema);
  const base = {
    name: f.name,
    required: f.required,
    hint: hintOf(f, secret),
    ...(secret ? { password: true } : {}),
    ...(description ? { description } : {}),
    parse: (text: string) => coerceFieldInput(f, text),
    format: (value: unknown) => fieldInputText(f, value),
    validate: (text: string) => validateFieldInput(f, text),
  };
  if (f.type === 'boolean') {
    return {
      ...base,
      choices: [
        { label: 'true', value: true },
        { label: 'false', value: false },
        ...(f.nullable ? [{ label: 'null', value: null }] : []),
      ],
    };
  }
  if (f.type === 'enum') {
    return {
      ...base,
      choices: (f.enum ?? []).map((o) => ({ label: o.label, value: o.value, ...(o.description ? { description: o.description } : {}) })),
    };
  }
  return base;
}

/** Pointer `/a/0/b` -> ['a', 0, 'b']. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/**
 * What the user must be told about a check that did not fully happen: a schema too costly or unusable (the
 * arguments were not checked), or patterns that were not enforced. Empty when the check was complete.
 */
export function uncheckedNotices(r: ArgumentValidation, what: string): string[] {
  const notices: string[] = [];
  if (r.schemaError) notices.push(`The arguments of ${what} were not checked: ${sanitizeLabel(r.schemaError, 300)}`);
  const skipped = r.skippedPatterns ?? [];
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 3).map((p) => sanitizeLabel(p, 100)).join('; ');
    notices.push(`${skipped.length} pattern(s) of ${what}'s input schema were not enforced (they could hang the editor): ${shown}${skipped.length > 3 ? '; …' : ''}`);
  }
  return notices;
}

/**
 * Checks arguments against the tool's input schema without blocking the host (ajv runs in a worker). A schema
 * that cannot be used does not block the call (the server checks the arguments too), but it is never silent:
 * `warn` gets what was not checked.
 */
export async function schemaProblems(
  schema: unknown,
  value: unknown,
  what: string,
  warn: (message: string) => void = (m) => void showMessage('warning', m),
): Promise<ArgumentProblem[]> {
  const r = await validateArgumentsAsync(schema, value);
  for (const notice of uncheckedNotices(r, what)) warn(notice);
  if (r.valid || r.schemaError) return [];
  return r.errors.map((e) => ({ path: pointerToPath(e.path), message: e.path ? `${e.path}: ${e.message}` : e.message }));
}

export interface ToolArgumentsContext {
  readonly serverName: string;
  readonly tool: Tool;
  readonly remembered: Record<string, unknown> | undefined;
  readonly diagnostics: vscode.DiagnosticCollection;
  readonly lenses?: ArgumentLenses;
  readonly log: (message: string) => void;
  /** Private directory for the JSON arguments document (the extension's storage). */
  readonly privateDir: string;
}

/** Asks for the arguments; undefined when the user cancelled. */
export async function collectToolArguments(ctx: ToolArgumentsContext): Promise<Record<string, unknown> | undefined> {
  const schema: unknown = ctx.tool.inputSchema;
  // Compile in the schema worker while the user looks at the form: keystroke checks then need not wait.
  void prepareArgumentsCheck(schema);
  const { fields, needsJsonEditor, warnings } = schemaToFields(schema);
  for (const w of warnings) ctx.log(`Tool "${ctx.tool.name}" input schema: ${w}`);
  const name = sanitizeLabel(ctx.tool.name, 80);

  const initial: Record<string, unknown> = {};
  for (const f of fields) if (f.hasDefault) initial[f.name] = f.default;
  // Remembered values only for fields that still exist (the schema may have changed).
  const known = new Set(fields.map((f) => f.name));
  for (const [k, v] of Object.entries(ctx.remembered ?? {})) if (known.has(k) || needsJsonEditor) initial[k] = v;

  const what = `tool "${name}"`;
  const json = async (values: Record<string, unknown>) => {
    const notes: string[] = [];
    const skeleton = skeletonFromSchema(schema, values, { warnings: notes });
    for (const note of notes) void showMessage('warning', `${what}: ${note}`);
    const start = typeof skeleton === 'object' && skeleton !== null && !Array.isArray(skeleton) ? (skeleton as Record<string, unknown>) : values;
    // A schema too costly for our checker is not handed to the JSON language service either (it would grind
    // through it on every keystroke); the user is told once, here.
    const first = await validateArgumentsAsync(schema, start);
    const live = first.unchecked === 'tooCostly' ? undefined : schema;
    let told = false;
    return editArgumentsAsJson(
      {
        serverName: ctx.serverName,
        privateDir: ctx.privateDir,
        itemName: ctx.tool.name,
        what,
        initial: start,
        ...(live !== undefined ? { schema: live } : {}),
        validate: (v) =>
          schemaProblems(schema, v, what, (m) => {
            if (told) return;
            told = true;
            void showMessage('warning', m);
          }),
      },
      ctx.diagnostics,
      ctx.lenses,
    );
  };

  if (needsJsonEditor) return json(initial);
  if (fields.length === 0) return {};
  const result = await runForm({
    title: `Run ${name} (${sanitizeLabel(ctx.serverName, 60)})`,
    fields: fields.map(toFormField),
    initial,
    allowJson: true,
  });
  if (!result) return undefined;
  if (result.kind === 'json') return json(result.values);
  const problems = await schemaProblems(schema, result.values, what);
  if (problems.length > 0) {
    void showMessage('warning', `Some arguments of "${name}" are not valid: ${problems[0]?.message ?? ''}. Edit them as JSON.`);
    return json(result.values);
  }
  return result.values;
}
