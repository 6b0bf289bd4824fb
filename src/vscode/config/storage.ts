/** Adapters for the core's SecretStore, Memento and InputPrompter over the editor's storage and quick input. */
import * as vscode from 'vscode';
import { sanitizeLabel, sanitizeMessage } from '../../core/base/sanitize';
import type { InputDefinition, InputPrompter, Memento, SecretStore } from '../../core/config/types';

export function secretStoreFrom(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}

/**
 * Input values are remembered per workspace: the only configs that declare `inputs` are workspace files
 * (.vscode/mcp.json), and a value entered for one project should not leak into another.
 */
export function mementoFrom(state: vscode.Memento): Memento & { keys(): readonly string[] } {
  return {
    get: <T>(key: string) => state.get<T>(key),
    update: async (key, value) => state.update(key, value),
    keys: () => state.keys(),
  };
}

/**
 * Asks for `${input:...}` values with quick input; password inputs are masked. Undefined = cancelled.
 * A password box is pre-filled only with a default the core hands over (never a workspace file's default, see
 * `promptableInput`): dots would hide what Enter accepts.
 */
export class QuickInputPrompter implements InputPrompter {
  private box: vscode.InputBox | undefined;

  /** The input box open now, if any (the trust test seam types into it: a test cannot type into quick input). */
  get openBox(): vscode.InputBox | undefined {
    return this.box;
  }

  async prompt(input: InputDefinition, serverName: string): Promise<string | undefined> {
    // The description and options come from a config file (maybe the workspace's): quick input renders links
    // and icons in prompts, placeholders and rows, so they pass the same sanitisers as server text.
    const title = sanitizeMessage(`MCP Host: ${serverName}`);
    const what = sanitizeMessage(input.description ?? input.id);
    if (input.type === 'pickString') {
      const options = input.default !== undefined && input.options.includes(input.default)
        ? [input.default, ...input.options.filter((o) => o !== input.default)]
        : [...input.options];
      const items = options.map((o) => ({ label: sanitizeLabel(o), value: o }));
      const picked = await vscode.window.showQuickPick(items, { title, placeHolder: what, ignoreFocusOut: true });
      return picked?.value;
    }
    return new Promise<string | undefined>((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = title;
      box.prompt = what;
      box.password = input.password === true;
      box.value = input.default ?? '';
      box.ignoreFocusOut = true;
      let settled = false;
      const finish = (value: string | undefined): void => {
        if (settled) return;
        settled = true;
        if (this.box === box) this.box = undefined;
        for (const d of subscriptions) d.dispose();
        box.dispose();
        resolve(value);
      };
      const subscriptions = [box.onDidAccept(() => finish(box.value)), box.onDidHide(() => finish(undefined))];
      this.box = box;
      box.show();
    });
  }
}
