// Helpers for integration tests (they run inside the real extension host).
import * as vscode from 'vscode';
import { repoRoot } from '../support/repoRoot';

export const EXTENSION_ID = 'mcp-host.mcp-host';

export { repoRoot };

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

/** Activates the extension (if needed) and returns what activate() returned. */
export async function activate<T = unknown>(): Promise<T> {
  const ext = extension();
  return (await ext.activate()) as T;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 20_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
