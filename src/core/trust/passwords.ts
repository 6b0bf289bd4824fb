/**
 * Values that came from password inputs, in a launch: masked (naming the input behind each mask) wherever the
 * launch is shown, and fingerprinted with a keyed hash whose key lives in the secret store, so a changed value
 * asks again without the stored fingerprint revealing anything.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedLaunch, SecretStore } from '../config/types';
import { maskSecrets, SECRET_MASK, type SecretValue } from '../base/redact';

/** The launch's password-sourced values, labelled with the input they came from (`input:apiKey`) when known. */
export function launchSecrets(launch: Pick<ResolvedLaunch, 'secrets' | 'secretInputs'>): SecretValue[] {
  const labelled = (launch.secretInputs ?? []).filter((s) => s.value.length > 0);
  const out: SecretValue[] = labelled.map((s) => ({ value: s.value, label: `input:${s.inputId}` }));
  for (const value of launch.secrets) if (!labelled.some((s) => s.value === value)) out.push({ value });
  return out;
}

/** One masked part as the dialog shows it: `••••••(input:apiKey)`, naming every input behind it. */
export function labelledMask(labels: readonly string[]): string {
  return labels.length ? `${SECRET_MASK}(${labels.join(', ')})` : SECRET_MASK;
}

/** Password-sourced values masked as whole units (any length, nested, overlapping), each naming its input. */
export function maskPasswords(text: string, launch: Pick<ResolvedLaunch, 'secrets' | 'secretInputs'>): string {
  return launch.secrets.length ? maskSecrets(text, launchSecrets(launch), labelledMask) : text;
}

/** A launch with password-sourced values was fingerprinted without the key (see `fingerprintKey`). */
export class FingerprintKeyMissingError extends Error {
  readonly code = 'fingerprintKeyMissing';
  constructor() {
    super('A launch with password-input values needs the fingerprint key from the secret store.');
    this.name = 'FingerprintKeyMissingError';
  }
}

/** Where the fingerprint key is kept in the secret store. */
export const FINGERPRINT_KEY_NAME = 'mcpHost.trust.fingerprintKey';

const keys = new WeakMap<SecretStore, Promise<string>>();

/**
 * The random key (256 bits, hex) that fingerprints launches holding password values: read from the secret
 * store, or made and stored there on first use. Concurrent callers share one read (two launches starting
 * together must not make two keys). If the store loses it, those launches are simply asked about again.
 */
export function fingerprintKey(store: SecretStore): Promise<string> {
  let p = keys.get(store);
  if (!p) {
    p = loadOrCreateKey(store);
    keys.set(store, p);
    // A failed read is not remembered: the next launch tries again.
    p.catch(() => keys.delete(store));
  }
  return p;
}

async function loadOrCreateKey(store: SecretStore): Promise<string> {
  const stored = await store.get(FINGERPRINT_KEY_NAME);
  if (stored !== undefined && /^[0-9a-f]{64}$/.test(stored)) return stored;
  const key = randomBytes(32).toString('hex');
  await store.store(FINGERPRINT_KEY_NAME, key);
  return key;
}
