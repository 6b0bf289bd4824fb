/** Real in-memory implementations of the injected storage and prompt interfaces, plus temp-dir helpers. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConfigProblem, InputDefinition, InputPrompter } from '../../../src/core/config';
import type { ResolveContext } from '../../../src/core/config';
import { MapMemento, MapSecretStore } from '../../support/storage';

/** Answers prompts from a table (undefined = the user cancels) and records every prompt. */
export class TablePrompter implements InputPrompter {
  readonly asked: { id: string; server: string }[] = [];
  /** Most prompts open at the same time (an editor can show only one). */
  maxOpen = 0;
  private open = 0;
  constructor(readonly answers: Record<string, string | undefined>) {}
  async prompt(input: InputDefinition, serverName: string): Promise<string | undefined> {
    this.asked.push({ id: input.id, server: serverName });
    this.maxOpen = Math.max(this.maxOpen, ++this.open);
    await new Promise((r) => setTimeout(r, 5)); // a real prompt takes time: lets concurrent callers overlap
    this.open--;
    return this.answers[input.id];
  }
}

export function makeContext(overrides: Partial<ResolveContext> = {}): ResolveContext & { memento: MapMemento; secrets: MapSecretStore; inputs: TablePrompter } {
  return {
    userHome: '/home/user',
    baseEnv: { PATH: '/usr/bin', TOKEN_FROM_ENV: 'env-value' },
    workspaceFolders: [],
    inputs: new TablePrompter({}),
    secrets: new MapSecretStore(),
    memento: new MapMemento(),
    ...overrides,
  } as ResolveContext & { memento: MapMemento; secrets: MapSecretStore; inputs: TablePrompter };
}

export function folderInfo(p: string): { name: string; path: string; uri: string } {
  return { name: path.basename(p), path: p, uri: `file://${p}` };
}

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcphost-config-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeFile(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** The text a problem points at. */
export function pointed(text: string, p: ConfigProblem): string {
  if (p.offset === undefined || p.length === undefined) throw new Error(`problem has no location: ${p.message}`);
  return text.slice(p.offset, p.offset + p.length);
}
