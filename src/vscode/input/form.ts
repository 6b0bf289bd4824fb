/**
 * A guided multi-step quick input: one step per field (input box for text, quick pick for choices, a quick pick
 * that follows server completions as the user types), a step counter, a Back button, defaults pre-filled,
 * required fields marked and live validation. Optionally an "Edit as JSON" button that hands the values
 * entered so far to the caller.
 */
import * as vscode from 'vscode';
import { sanitizeLabel, sanitizeMessage } from '../../core/base/sanitize';
import { showMessage } from '../messages';

export interface FormChoice {
  readonly label: string;
  readonly value: unknown;
  readonly description?: string;
}

export interface FormField {
  readonly name: string;
  readonly description?: string;
  readonly required: boolean;
  /** Placeholder/type hint, e.g. `integer, 1 to 10`. */
  readonly hint?: string;
  /** Mask what is typed (a password box): the schema marks the field `writeOnly` or `format: "password"`. */
  readonly password?: boolean;
  /** A fixed set of values (enums, booleans): shown as a quick pick. */
  readonly choices?: readonly FormChoice[];
  /** With `choices`: several may be picked (the value is the array of picked values). */
  readonly multi?: boolean;
  /** Turns typed text into the value (undefined = leave the field out). Default: the text itself. */
  parse?(text: string): unknown;
  /** A value (default or remembered) as text in the box. Default: String(value). */
  format?(value: unknown): string;
  /** Why the text is not acceptable, or undefined. Empty text of an optional field is always acceptable. */
  validate?(text: string): string | undefined;
  /** Suggestions for the current text (server completions); `context` holds the values entered so far. */
  complete?(text: string, context: Record<string, string>, token: vscode.CancellationToken): Promise<string[]>;
}

export type FormResult =
  | { readonly kind: 'done'; readonly values: Record<string, unknown> }
  | { readonly kind: 'json'; readonly values: Record<string, unknown> };

/** The signal of the form whose step is being shown (steps are shown one at a time). */
let currentSignal: AbortSignal | undefined;

type StepResult = { kind: 'value'; value: unknown } | { kind: 'skip' } | { kind: 'back' } | { kind: 'json' } | undefined;

const jsonButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('json'), tooltip: 'Edit as JSON' };

export interface FormOptions {
  readonly title: string;
  readonly fields: readonly FormField[];
  /** Pre-filled values (remembered arguments, then schema defaults). */
  readonly initial: Readonly<Record<string, unknown>>;
  /** Show the "Edit as JSON" button. */
  readonly allowJson: boolean;
  /** Closes the open step (the form resolves undefined) when it aborts: a question withdrawn by its server. */
  readonly signal?: AbortSignal;
}

/** Walks the fields; resolves undefined when the user cancels (Escape). */
export async function runForm(opts: FormOptions): Promise<FormResult | undefined> {
  const values: Record<string, unknown> = { ...opts.initial };
  const n = opts.fields.length;
  let i = 0;
  while (i < n) {
    if (opts.signal?.aborted) return undefined;
    const field = opts.fields[i];
    if (!field) break;
    // completion/complete context: the arguments answered before this one.
    const prior: Record<string, unknown> = {};
    for (const f of opts.fields.slice(0, i)) if (f.name in values) prior[f.name] = values[f.name];
    const r = await runStep(opts, field, i, n, values, prior);
    if (r === undefined) return undefined;
    if (r.kind === 'back') {
      i = Math.max(0, i - 1);
      continue;
    }
    if (r.kind === 'json') return { kind: 'json', values };
    if (r.kind === 'skip') delete values[field.name];
    else values[field.name] = r.value;
    i++;
  }
  return { kind: 'done', values };
}

/**
 * Every string a step shows in the title, prompt, placeholder or validation message passes through here: VS Code
 * renders `[x](command:...)` there as a live link and `$(name)` as an icon, and field names, descriptions,
 * hints (patterns, defaults) and validation messages (enum labels) are server text.
 */
function quickInputText(text: string): string {
  return sanitizeMessage(text, 500);
}

function fieldPrompt(field: FormField): string {
  const name = sanitizeLabel(field.name, 80);
  const parts = [field.required ? `${name} (required)` : `${name} (optional)`];
  if (field.hint) parts.push(field.hint);
  if (field.description) parts.push(sanitizeLabel(field.description, 300));
  return quickInputText(parts.join(' · '));
}

function formatValue(field: FormField, value: unknown): string {
  if (value === undefined) return '';
  if (field.format) return field.format(value);
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

/** The other arguments entered so far (completion/complete `context.arguments`), never the one being typed. */
function stringContext(values: Record<string, unknown>, except: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k !== except && typeof v === 'string') out[k] = v;
  return out;
}

function runStep(
  opts: FormOptions,
  field: FormField,
  i: number,
  n: number,
  values: Record<string, unknown>,
  prior: Record<string, unknown>,
): Promise<StepResult> {
  currentSignal = opts.signal;
  const buttons: vscode.QuickInputButton[] = [];
  if (i > 0) buttons.push(vscode.QuickInputButtons.Back);
  if (opts.allowJson) buttons.push(jsonButton);
  if (field.choices) return choiceStep(opts, field, i, n, values, buttons);
  if (field.complete) return completionStep(opts, field, i, n, values, buttons, prior);
  return textStep(opts, field, i, n, values, buttons);
}

function validateText(field: FormField, text: string): string | undefined {
  const message = text === '' ? (field.required ? `${field.name} is required.` : undefined) : field.validate?.(text);
  return message === undefined ? undefined : quickInputText(message);
}

function parseText(field: FormField, text: string): StepResult {
  if (text === '' && !field.required) return { kind: 'skip' };
  const value = field.parse ? field.parse(text) : text;
  return value === undefined ? { kind: 'skip' } : { kind: 'value', value };
}

function textStep(
  opts: FormOptions,
  field: FormField,
  i: number,
  n: number,
  values: Record<string, unknown>,
  buttons: vscode.QuickInputButton[],
): Promise<StepResult> {
  const box = vscode.window.createInputBox();
  box.title = quickInputText(opts.title);
  box.step = i + 1;
  box.totalSteps = n;
  box.prompt = fieldPrompt(field);
  box.placeholder = quickInputText(field.hint ?? (field.required ? 'required' : 'optional: leave empty to omit'));
  box.value = formatValue(field, values[field.name]);
  box.password = field.password === true;
  box.buttons = buttons;
  box.ignoreFocusOut = true;
  return settleStep(box, (finish) => {
    box.onDidChangeValue((text) => (box.validationMessage = text === '' ? undefined : validateText(field, text)));
    box.onDidAccept(() => {
      const message = validateText(field, box.value);
      if (message) {
        box.validationMessage = message;
        return;
      }
      finish(parseText(field, box.value));
    });
  });
}

/**
 * Shows a step's input and resolves once: with what `wire`'s handlers pass to `finish`, with a step button's
 * result, or undefined when it is hidden; then runs `cleanup` and disposes the input.
 */
function settleStep(
  input: vscode.InputBox | vscode.QuickPick<ChoiceItem>,
  wire: (finish: (r: StepResult) => void) => void,
  cleanup?: () => void,
): Promise<StepResult> {
  const signal = currentSignal;
  return new Promise<StepResult>((resolve) => {
    let done = false;
    const onAbort = () => finish(undefined);
    const finish = (r: StepResult) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      cleanup?.();
      resolve(r);
      input.dispose();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    wire(finish);
    input.onDidTriggerButton((b) => finish(buttonResult(b)));
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}

interface ChoiceItem extends vscode.QuickPickItem {
  readonly result: StepResult;
  /** The item that stands for the typed text itself. */
  readonly typed?: boolean;
}

/** Back goes one step back; the other step button switches to the JSON editor. */
function buttonResult(b: vscode.QuickInputButton): StepResult {
  return b === vscode.QuickInputButtons.Back ? { kind: 'back' } : { kind: 'json' };
}

/** A quick pick for step `i` of `n`: the form's title, the field's prompt, the step buttons. */
function stepQuickPick(opts: FormOptions, field: FormField, i: number, n: number, buttons: vscode.QuickInputButton[]): vscode.QuickPick<ChoiceItem> {
  const qp = vscode.window.createQuickPick<ChoiceItem>();
  qp.title = quickInputText(opts.title);
  qp.step = i + 1;
  qp.totalSteps = n;
  qp.placeholder = fieldPrompt(field);
  qp.buttons = buttons;
  qp.ignoreFocusOut = true;
  return qp;
}

function choiceStep(
  opts: FormOptions,
  field: FormField,
  i: number,
  n: number,
  values: Record<string, unknown>,
  buttons: vscode.QuickInputButton[],
): Promise<StepResult> {
  const qp = stepQuickPick(opts, field, i, n, buttons);
  const current = values[field.name];
  const items: ChoiceItem[] = (field.choices ?? []).map((c) => ({
    label: sanitizeLabel(c.label, 120),
    ...(c.description ? { description: sanitizeLabel(c.description, 120) } : {}),
    result: { kind: 'value', value: c.value },
  }));
  if (field.multi) return multiChoiceStep(qp, field, items, current);
  if (!field.required) items.push({ label: '$(circle-slash) Leave out', description: 'omit this argument', result: { kind: 'skip' } });
  qp.items = items;
  const active = items.find((it) => it.result?.kind === 'value' && JSON.stringify(it.result.value) === JSON.stringify(current));
  if (active) qp.activeItems = [active];
  return settleStep(qp, (finish) => {
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0] ?? qp.activeItems[0];
      if (picked) finish(picked.result);
    });
  });
}

/** Several choices (a multi-select enum): accepting with none picked leaves an optional field out. */
function multiChoiceStep(qp: vscode.QuickPick<ChoiceItem>, field: FormField, items: ChoiceItem[], current: unknown): Promise<StepResult> {
  qp.canSelectMany = true;
  qp.items = items;
  const picked = Array.isArray(current) ? current.map((v) => JSON.stringify(v)) : [];
  qp.selectedItems = items.filter((it) => it.result?.kind === 'value' && picked.includes(JSON.stringify(it.result.value)));
  return settleStep(qp, (finish) => {
    qp.onDidAccept(() => {
      const values = qp.selectedItems.map((it) => (it.result?.kind === 'value' ? it.result.value : undefined));
      if (values.length === 0) {
        if (field.required) return;
        finish({ kind: 'skip' });
        return;
      }
      finish({ kind: 'value', value: values });
    });
  });
}

/** A text field whose suggestions come from the server and follow what is typed (debounced). */
function completionStep(
  opts: FormOptions,
  field: FormField,
  i: number,
  n: number,
  values: Record<string, unknown>,
  buttons: vscode.QuickInputButton[],
  prior: Record<string, unknown>,
): Promise<StepResult> {
  const qp = stepQuickPick(opts, field, i, n, buttons);
  qp.matchOnDescription = false;
  // The server filters: every item is `alwaysShow` so the quick pick does not hide suggestions that do not
  // contain the typed text literally.
  let suggestions: string[] = [];
  let cts: vscode.CancellationTokenSource | undefined;
  let timer: NodeJS.Timeout | undefined;
  const render = () => {
    const text = qp.value;
    const items: ChoiceItem[] = [];
    const message = text === '' ? undefined : validateText(field, text);
    if (text !== '' || !field.required) {
      items.push({
        label: text === '' ? '$(circle-slash) Leave empty' : text,
        description: message ? `$(error) ${message}` : text === '' ? 'omit this argument' : 'use what you typed',
        alwaysShow: true,
        typed: true,
        result: parseText(field, text),
      });
    }
    for (const s of suggestions) {
      if (s === text) continue;
      items.push({ label: sanitizeLabel(s, 200), description: 'suggested by the server', alwaysShow: true, result: { kind: 'value', value: field.parse ? field.parse(s) : s } });
    }
    // New suggestions must not move the highlight under the user's pointer or keyboard: keep the active label.
    const active = qp.activeItems[0];
    qp.items = items;
    const same = active && !active.typed ? items.find((it) => !it.typed && it.label === active.label) : undefined;
    if (same) qp.activeItems = [same];
  };
  const fetch = () => {
    cts?.cancel();
    cts?.dispose();
    cts = new vscode.CancellationTokenSource();
    const token = cts.token;
    qp.busy = true;
    void field.complete!(qp.value, stringContext(prior, field.name), token).then(
      (list) => {
        if (token.isCancellationRequested) return;
        suggestions = list.slice(0, 100);
        qp.busy = false;
        render();
      },
      () => {
        if (token.isCancellationRequested) return;
        qp.busy = false;
      },
    );
  };
  qp.value = formatValue(field, values[field.name]);
  render();
  fetch();
  const cleanup = () => {
    if (timer) clearTimeout(timer);
    cts?.cancel();
    cts?.dispose();
  };
  return settleStep(
    qp,
    (finish) => {
      qp.onDidChangeValue(() => {
        render();
        if (timer) clearTimeout(timer);
        timer = setTimeout(fetch, 250);
      });
      qp.onDidAccept(() => {
        const picked = qp.selectedItems[0] ?? qp.activeItems[0];
        if (!picked) {
          if (field.required) return;
          finish({ kind: 'skip' });
          return;
        }
        if (picked.typed) {
          const message = validateText(field, qp.value);
          if (message) {
            void showMessage('warning', message);
            return;
          }
        }
        finish(picked.result);
      });
    },
    cleanup,
  );
}
