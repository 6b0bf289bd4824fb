/**
 * `${input:ID}` values: asked once through the injected prompter and remembered. Plain values go to the Memento,
 * password values only to the SecretStore. An index of what was remembered (ids, never values) lives in the
 * Memento so `forgetInputs` can clear it.
 */
import type { ConfigSource, InputDefinition, InputPrompter, Memento, SecretStore } from './types';

/** The user dismissed the prompt for an input. Distinct so the registry shows it and does not retry. */
export class InputCancelledError extends Error {
  readonly code = 'inputCancelled';
  constructor(
    readonly inputId: string,
    readonly serverName: string,
  ) {
    super(`Input "${inputId}" was cancelled: server "${serverName}" was not started. Start it again to enter the value.`);
    this.name = 'InputCancelledError';
  }
}

export function isInputCancelledError(e: unknown): e is InputCancelledError {
  return e instanceof InputCancelledError || (e instanceof Error && (e as { code?: unknown }).code === 'inputCancelled');
}

export interface InputStores {
  readonly inputs: InputPrompter;
  readonly secrets: SecretStore;
  readonly memento: Memento;
}

/** One remembered input, as listed in the index. */
export interface RememberedInput {
  readonly scope: string;
  readonly id: string;
  readonly secret: boolean;
}

const indexKey = 'mcpHost.inputs.index';
const keyPrefix = 'mcpHost.input';

/** Inputs are remembered per declaring file (two files may use the same id for different things). */
export function inputScope(source: ConfigSource): string {
  return source.file ?? `${source.kind}:${source.folder ?? ''}`;
}

function storageKey(scope: string, id: string): string {
  return `${keyPrefix}:${scope}:${id}`;
}

/** Concurrent launches that need the same input share one prompt (keyed by the memento they remember into). */
const pending = new WeakMap<Memento, Map<string, Promise<string>>>();

export interface ResolveInputOptions {
  /**
   * The input was declared by the user (user settings), so its `default` may be pre-filled into a password box.
   * Otherwise (a workspace file, or not said) a password input's `default` is dropped: a password box shows
   * dots, so Enter would accept a value the workspace chose and the user never saw (it could be an option
   * such as `--import=data:...`).
   */
  readonly trustedDefault?: boolean;
}

/** What the prompt may show for an input: a password input's default only when the user declared it. */
export function promptableInput(input: InputDefinition, options: ResolveInputOptions = {}): InputDefinition {
  if (input.type !== 'promptString' || input.password !== true || input.default === undefined || options.trustedDefault === true) return input;
  const { default: _dropped, ...rest } = input;
  return rest;
}

/**
 * The value of an input: remembered, or asked now (then remembered). Throws InputCancelledError on cancel.
 * `secret` tells whether the value must be redacted.
 */
export async function resolveInput(
  input: InputDefinition,
  scope: string,
  serverName: string,
  stores: InputStores,
  options: ResolveInputOptions = {},
): Promise<{ value: string; secret: boolean }> {
  const secret = input.type === 'promptString' && input.password === true;
  const key = storageKey(scope, input.id);
  let byKey = pending.get(stores.memento);
  if (!byKey) pending.set(stores.memento, (byKey = new Map()));
  let p = byKey.get(key);
  if (!p) {
    p = lookupOrPrompt(promptableInput(input, options), key, scope, serverName, secret, stores);
    byKey.set(key, p);
    const done = byKey;
    const clear = () => {
      if (done.get(key) === p) done.delete(key);
    };
    void p.then(clear, clear);
  }
  return { value: await p, secret };
}

/**
 * Prompts are shown one at a time: an editor shows one quick input, and a second one would dismiss the first
 * (which would then look like a cancel). Servers starting together queue their questions.
 */
const promptQueue = new WeakMap<Memento, Promise<unknown>>();

function oneAtATime<T>(memento: Memento, run: () => Promise<T>): Promise<T> {
  const previous = promptQueue.get(memento) ?? Promise.resolve();
  const next = previous.then(run, run);
  promptQueue.set(
    memento,
    next.then(
      () => undefined,
      () => undefined,
    ),
  );
  return next;
}

async function lookupOrPrompt(
  input: InputDefinition,
  key: string,
  scope: string,
  serverName: string,
  secret: boolean,
  stores: InputStores,
): Promise<string> {
  if (secret) {
    const stored = await stores.secrets.get(key);
    if (stored !== undefined) return stored;
  } else {
    const stored = stores.memento.get<{ value?: unknown }>(key);
    if (stored && typeof stored.value === 'string' && (input.type !== 'pickString' || input.options.includes(stored.value))) {
      return stored.value;
    }
  }
  const value = await oneAtATime(stores.memento, () => stores.inputs.prompt(input, serverName));
  if (value === undefined) throw new InputCancelledError(input.id, serverName);
  if (secret) {
    await stores.secrets.store(key, value);
    // The input may have been a plain one before: never leave the now-secret value in plain storage.
    if (stores.memento.get(key) !== undefined) await stores.memento.update(key, undefined);
  } else {
    await stores.memento.update(key, { value });
    await stores.secrets.delete(key);
  }
  await addToIndex(stores.memento, { scope, id: input.id, secret });
  return value;
}

function readIndex(memento: Memento): RememberedInput[] {
  const raw = memento.get<unknown>(indexKey);
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (r): r is RememberedInput =>
      typeof r === 'object' && r !== null && typeof (r as RememberedInput).scope === 'string' && typeof (r as RememberedInput).id === 'string',
  );
}

async function addToIndex(memento: Memento, entry: RememberedInput): Promise<void> {
  const index = readIndex(memento).filter((r) => !(r.scope === entry.scope && r.id === entry.id));
  index.push(entry);
  await memento.update(indexKey, index);
}

/** Inputs remembered so far (ids and scopes only, never values). */
export function rememberedInputs(memento: Memento): readonly RememberedInput[] {
  return readIndex(memento);
}

/**
 * Forgets remembered input values (plain and secret) so they are asked again. Without a filter, forgets all;
 * `source` limits it to the inputs declared by that file, `ids` to those ids. Returns how many were forgotten.
 */
export async function forgetInputs(
  stores: { readonly memento: Memento; readonly secrets: SecretStore },
  filter?: { readonly source?: ConfigSource; readonly ids?: readonly string[] },
): Promise<number> {
  const scope = filter?.source ? inputScope(filter.source) : undefined;
  const index = readIndex(stores.memento);
  const matches = (r: RememberedInput) => (scope === undefined || r.scope === scope) && (!filter?.ids || filter.ids.includes(r.id));
  const forget = index.filter(matches);
  for (const r of forget) {
    const key = storageKey(r.scope, r.id);
    await stores.secrets.delete(key);
    await stores.memento.update(key, undefined);
  }
  await stores.memento.update(
    indexKey,
    index.filter((r) => !matches(r)),
  );
  return forget.length;
}
