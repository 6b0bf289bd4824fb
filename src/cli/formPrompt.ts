/**
 * An elicitation form on a terminal: the server's message, one prompt per field with the same parsing and checks
 * as the editor's form (core/schema: schemaToFields, validateFieldInput, coerceFieldInput), then a last question:
 * send, decline or cancel. Every text of the server is made inert and bounded before it reaches the terminal.
 * Enter on an empty line keeps the default (the engine fills defaults in, SEP-1034) or leaves an optional field out;
 * Ctrl+D cancels the whole form; the form closes when the server withdraws the question (the call ended).
 */
import { sanitizeLabel, sanitizeText } from '../core/base/sanitize';
import { coerceFieldInput, fieldHint, schemaToFields, validateFieldInput, type FormField } from '../core/schema';
import { multiSelectChoices, type MultiSelectChoice } from '../core/session/asks/elicitation';
import type { FormAnswer, FormQuestion } from '../core/session/asks/types';
import { readVisible, type PromptTerminal } from './prompter';

/** Wrong answers to one field before the form is cancelled (a script piping text must not loop for ever). */
const MAX_TRIES = 5;
/** Options listed for a choice; longer lists are cut (the rest can still be typed by value). */
const MAX_OPTIONS = 50;

/** A multiple-choice array field (`type: array` with enum / const items) reads as a comma-separated choice list. */
function multiOptions(field: FormField): readonly MultiSelectChoice[] | undefined {
  if (field.type !== 'json' || field.schema.type !== 'array') return undefined;
  const choices = multiSelectChoices(field.schema)?.slice(0, MAX_OPTIONS);
  return choices?.length ? choices : undefined;
}

/** Turns "1,3" or "Guitar, Piano" into the JSON array text the field's validator expects; undefined if unknown. */
function multiChoiceText(options: ReadonlyArray<{ value: unknown; label: string }>, text: string): string | undefined {
  const picked: unknown[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const n = Number(part);
    const o = Number.isInteger(n) && n >= 1 && n <= options.length ? options[n - 1] : options.find((x) => x.label === part || String(x.value) === part);
    if (!o) return undefined;
    picked.push(o.value);
  }
  return JSON.stringify(picked);
}

type Ask = (question: string) => Promise<string | undefined>;

/** Asks one field until the answer is acceptable; `cancel` on Ctrl+D, abort or too many wrong answers. */
async function askField(t: PromptTerminal, field: FormField, ask: Ask): Promise<{ value: unknown } | 'skip' | 'cancel'> {
  const title = sanitizeLabel(field.title ?? field.name, 80);
  const multi = multiOptions(field);
  const hint = multi ? 'choose any, comma-separated numbers' : field.type === 'boolean' ? 'y/n' : fieldHint(field);
  t.output.write(`\n${title}: ${sanitizeLabel(hint, 160)}\n`);
  if (field.description) t.output.write(`  ${sanitizeLabel(field.description, 300)}\n`);
  const choices = multi ?? (field.type === 'enum' ? (field.enum ?? []).slice(0, MAX_OPTIONS) : undefined);
  choices?.forEach((o, i) => t.output.write(`  ${i + 1}) ${sanitizeLabel(o.label, 120)}\n`));
  const keep = field.hasDefault ? ` [${sanitizeLabel(JSON.stringify(field.default) ?? '', 60)}]` : '';
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const raw = await ask(`${title}${keep}: `);
    if (raw === undefined) return 'cancel';
    if (raw.trim() === '' && (field.hasDefault || !field.required)) return 'skip';
    let text = raw;
    if (multi) text = multiChoiceText(multi, raw) ?? raw;
    else if (field.type === 'enum') {
      const n = Number(raw.trim());
      const option = Number.isInteger(n) && n >= 1 && n <= (choices?.length ?? 0) ? choices?.[n - 1] : undefined;
      if (option) text = option.label;
    }
    const problem = validateFieldInput(field, text);
    if (problem === undefined) {
      const value = coerceFieldInput(field, text);
      return value === undefined ? 'skip' : { value };
    }
    t.output.write(`  ${sanitizeLabel(problem, 200)}\n`);
  }
  t.output.write(`  too many answers that do not fit: the form is cancelled\n`);
  return 'cancel';
}

/**
 * Asks `question` on the terminal `t` for server `serverName`. Resolves with the protocol's answer; closes the
 * prompt and resolves `cancel` when `signal` aborts. `onInterrupt` is Ctrl+C (the run is interrupted).
 */
export async function askFormOnTerminal(
  t: PromptTerminal,
  question: FormQuestion,
  serverName: string,
  signal: AbortSignal,
  onInterrupt: () => void,
): Promise<FormAnswer> {
  const ask: Ask = (q) => (signal.aborted ? Promise.resolve(undefined) : readVisible(t, q, onInterrupt, signal));
  // The engine checked the schema (flat primitive properties, core/session/asks/elicitation.ts); a multiple choice
  // reads as a list, anything else a line cannot hold as JSON text, checked against the field's schema.
  const { fields } = schemaToFields(question.schema);
  const properties = Object.keys((question.schema.properties ?? {}) as object).length;
  const server = sanitizeLabel(serverName, 80);
  t.output.write(`\nserver "${server}" asks for input:\n  ${sanitizeText(question.message).slice(0, 2000).replace(/\n/g, '\n  ')}\n`);
  if (fields.length < properties) {
    t.output.write(`the form has ${properties} fields, more than a terminal asks one by one: declined\n`);
    return { action: 'decline' };
  }
  t.output.write('(Enter keeps the [default] or leaves an optional field out; Ctrl+D cancels)\n');
  const content: Record<string, unknown> = {};
  for (const field of fields) {
    const got = await askField(t, field, ask);
    if (got === 'cancel') return { action: 'cancel' };
    if (got !== 'skip') content[field.name] = got.value;
  }
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const send = await ask(`\nsend this to "${server}"? [Y]es / [n]o, decline / [c]ancel: `);
    if (send === undefined) return { action: 'cancel' };
    const a = send.trim().toLowerCase();
    if (a === '' || a === 'y' || a === 'yes') return { action: 'accept', content };
    if (a === 'n' || a === 'no') return { action: 'decline' };
    if (a === 'c' || a === 'cancel') return { action: 'cancel' };
  }
  return { action: 'cancel' };
}
