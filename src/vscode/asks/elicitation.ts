/**
 * Elicitation in the editor: a form question is asked with the same schema-driven quick input as tool arguments
 * (required fields, enums, defaults, validation as typed, Back), after a first step that shows the server's name and
 * message (untrusted, sanitised) with Fill in / Decline; Escape anywhere is Cancel. A URL question shows the domain
 * and the server's reason and opens the link (https, or http to this machine; checked by the core) only when the
 * user picks Open: never automatically. Every step closes when the question is withdrawn.
 */
import * as vscode from 'vscode';
import { sanitizeHost, sanitizeLabel, sanitizeMessage } from '../../core/base/sanitize';
import { schemaToFields, type FormField as SchemaField } from '../../core/schema';
import { multiSelectChoices } from '../../core/session/asks/elicitation';
import type { AskContext, ElicitAction, ElicitationPrompter, FormAnswer, FormQuestion, UrlQuestion } from '../../core/session/asks/types';
import { runForm, type FormField } from '../input/form';
import { toFormField } from '../input/toolArguments';

interface ActionItem extends vscode.QuickPickItem {
  readonly action: 'fill' | 'open' | 'done' | 'decline';
}

/**
 * One quick pick of actions; resolves the picked action, or undefined (Escape, or withdrawn). The title and
 * placeholder hold server text and VS Code renders links in them: each passes through `sanitizeMessage` whole.
 */
function pickAction(title: string, placeholder: string, items: ActionItem[], signal: AbortSignal, until?: Promise<void>): Promise<ActionItem['action'] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ActionItem>();
    qp.title = sanitizeMessage(title, 300);
    qp.placeholder = sanitizeMessage(placeholder, 600);
    qp.items = items;
    qp.ignoreFocusOut = true;
    let done = false;
    const finish = (a: ActionItem['action'] | undefined) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      resolve(a);
      qp.dispose();
    };
    const onAbort = () => finish(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void until?.then(() => finish('done'));
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.action ?? qp.activeItems[0]?.action));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** A multi-select enum (`type: array` with items.enum / items.anyOf) as a quick-pick field. */
function multiSelectField(f: SchemaField): FormField | undefined {
  const options = multiSelectChoices(f.schema);
  if (!options) return undefined;
  const description = [f.title, f.description].filter((s): s is string => typeof s === 'string' && s.length > 0).join(' — ');
  return {
    name: f.name,
    required: f.required,
    hint: 'pick one or more',
    ...(description ? { description } : {}),
    multi: true,
    choices: options.map((o) => ({ label: o.label, value: o.value, ...(o.description ? { description: o.description } : {}) })),
  };
}

export class QuickInputElicitation implements ElicitationPrompter {
  async form(question: FormQuestion, ctx: AskContext): Promise<FormAnswer> {
    const title = `MCP server "${ctx.server.name}" asks for input`;
    const first = await pickAction(
      title,
      question.message,
      [
        { label: '$(edit) Fill in', description: 'answer the questions (Accept)', action: 'fill' },
        { label: '$(circle-slash) Decline', description: 'do not give this information', action: 'decline' },
      ],
      ctx.signal,
    );
    if (first === 'decline') return { action: 'decline' };
    if (first !== 'fill') return { action: 'cancel' };
    const { fields } = schemaToFields(question.schema);
    const formFields = fields.map((f) => (f.type === 'json' ? multiSelectField(f) : toFormField(f))).filter((f): f is FormField => f !== undefined);
    const initial: Record<string, unknown> = {};
    for (const f of fields) if (f.hasDefault) initial[f.name] = f.default;
    const result = await runForm({ title: `${title}: ${sanitizeLabel(question.message, 80)}`, fields: formFields, initial, allowJson: false, signal: ctx.signal });
    if (!result || ctx.signal.aborted) return { action: 'cancel' };
    return { action: 'accept', content: result.values };
  }

  async url(question: UrlQuestion, ctx: AskContext): Promise<ElicitAction> {
    const server = ctx.server.name;
    // Cut at its start when long: the end of a host name is the domain that matters.
    const domain = sanitizeHost(question.domain, 120);
    const title = `MCP server "${sanitizeLabel(server, 80)}" asks you to open a page on ${domain}`;
    const reason = `Reason given by the server: ${question.message}`;
    const choice = await pickAction(
      title,
      reason,
      [
        { label: `$(link-external) Open ${domain}`, detail: sanitizeLabel(question.url, 300), action: 'open' },
        { label: '$(circle-slash) Decline', description: 'do not open the page', action: 'decline' },
      ],
      ctx.signal,
    );
    if (choice === 'decline') return 'decline';
    if (choice !== 'open') return 'cancel';
    // The core checked the URL (https, or http to this machine); parse strictly so nothing is re-encoded into another target.
    const opened = await vscode.env.openExternal(vscode.Uri.parse(question.url, true));
    if (!opened) return 'cancel';
    if (question.origin === 'request') return 'accept';
    // A -32042 error: the call is retried once the user finished in the browser (or the server says so).
    const done = await pickAction(
      `Finish on ${domain}, then continue`,
      `MCP server "${server}" retries the request when you continue.`,
      [
        { label: '$(check) Continue', description: 'I finished in the browser', action: 'done' },
        { label: '$(close) Cancel', action: 'decline' },
      ],
      ctx.signal,
      question.completed,
    );
    return done === 'done' ? 'accept' : 'cancel';
  }
}
