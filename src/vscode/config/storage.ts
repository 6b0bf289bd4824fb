/** Adapters for the core's SecretStore, Memento and InputPrompter over the editor's storage and quick input. */
import * as vscode from 'vscode';
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
export function mementoFrom(state: vscode.Memento): Memento {
  return {
    get: <T>(key: string) => state.get<T>(key),
    update: async (key, value) => state.update(key, value),
  };
}

/** Asks for `${input:...}` values with quick input; password inputs are masked. Undefined = cancelled. */
export const quickInputPrompter: InputPrompter = {
  async prompt(input: InputDefinition, serverName: string): Promise<string | undefined> {
    const title = `MCP Host: ${serverName}`;
    const what = input.description ?? input.id;
    if (input.type === 'pickString') {
      const options = input.default !== undefined && input.options.includes(input.default)
        ? [input.default, ...input.options.filter((o) => o !== input.default)]
        : [...input.options];
      return vscode.window.showQuickPick(options, { title, placeHolder: what, ignoreFocusOut: true });
    }
    return vscode.window.showInputBox({
      title,
      prompt: what,
      value: input.default,
      password: input.password === true,
      ignoreFocusOut: true,
    });
  },
};
