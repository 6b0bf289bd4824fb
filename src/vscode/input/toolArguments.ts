/**
 * Collects a tool's arguments: the guided quick input for flat schemas, the JSON document for nested ones (or
 * when the user asks), remembered arguments and schema defaults pre-filled, validated before they are sent.
 */
import * as vscode from 'vscode';
import type { Tool } from '../../core/mcp/sdk';
import {
  coerceFieldInput,
  fieldInputText,
  schemaToFields,
  skeletonFromSchema,
  validateArguments,
  validateFieldInput,
  type FormField as SchemaField,
} from '../../core/schema';
import { sanitizeLabel } from '../../core/trust/sanitize';
import { runForm, type FormField } from './form';
import { editArgumentsAsJson, type ArgumentLenses, type ArgumentProblem } from './jsonArguments';

function hintOf(f: SchemaField): string {
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
  if (f.hasDefault) parts.push(`default ${sanitizeLabel(JSON.stringify(f.default) ?? 'null', 40)}`);
  return parts.join(', ');
}

/** The quick-input field for one schema field (H5's parse/validate rules behind it). */
export function toFormField(f: SchemaField): FormField {
  const description = [f.title, f.description].filter((s): s is string => typeof s === 'string' && s.length > 0).join(' — ');
  const base = {
    name: f.name,
    required: f.required,
    hint: hintOf(f),
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

export function schemaProblems(schema: unknown, value: unknown): ArgumentProblem[] {
  const r = validateArguments(schema, value);
  // A schema we cannot use does not block the call: the server checks the arguments too.
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
  const { fields, needsJsonEditor, warnings } = schemaToFields(schema);
  for (const w of warnings) ctx.log(`Tool "${ctx.tool.name}" input schema: ${w}`);
  const name = sanitizeLabel(ctx.tool.name, 80);

  const initial: Record<string, unknown> = {};
  for (const f of fields) if (f.hasDefault) initial[f.name] = f.default;
  // Remembered values only for fields that still exist (the schema may have changed).
  const known = new Set(fields.map((f) => f.name));
  for (const [k, v] of Object.entries(ctx.remembered ?? {})) if (known.has(k) || needsJsonEditor) initial[k] = v;

  const json = async (values: Record<string, unknown>) => {
    const skeleton = skeletonFromSchema(schema, values);
    const start = typeof skeleton === 'object' && skeleton !== null && !Array.isArray(skeleton) ? (skeleton as Record<string, unknown>) : values;
    return editArgumentsAsJson(
      {
        serverName: ctx.serverName,
        privateDir: ctx.privateDir,
        itemName: ctx.tool.name,
        what: `tool "${name}"`,
        initial: start,
        schema,
        validate: (v) => schemaProblems(schema, v),
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
  const problems = schemaProblems(schema, result.values);
  if (problems.length > 0) {
    void vscode.window.showWarningMessage(`Some arguments of "${name}" are not valid: ${problems[0]?.message ?? ''}. Edit them as JSON.`);
    return json(result.values);
  }
  return result.values;
}
