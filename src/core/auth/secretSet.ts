/**
 * A `SecretRegistry` backed by a set, for a host that has no registry of its own yet: its loggers mask with
 * `mask()` (the one redaction mechanism, `maskSecrets`). The values are held in memory only.
 */
import type { Disposable } from '../base/events';
import type { Logger } from '../base/logger';
import { maskSecrets, type SecretValue } from '../base/redact';
import type { SecretRegistry } from './types';

export class SecretSet implements SecretRegistry {
  private readonly entries = new Set<SecretValue>();

  add(value: string, label: string): Disposable {
    const entry: SecretValue = { value, label };
    if (value !== '') this.entries.add(entry);
    return { dispose: () => void this.entries.delete(entry) };
  }

  values(): SecretValue[] {
    return [...this.entries];
  }

  /** `text` with every registered secret masked. */
  mask(text: string): string {
    return maskSecrets(text, this.values());
  }
}

/** `inner` with every line masked by `set` (tokens and client secrets never reach a log). */
export function maskingLogger(inner: Logger, set: SecretSet): Logger {
  const m = (text: string) => set.mask(text);
  return {
    trace: (t) => inner.trace(m(t)),
    debug: (t) => inner.debug(m(t)),
    info: (t) => inner.info(m(t)),
    warn: (t) => inner.warn(m(t)),
    error: (t) => inner.error(m(t)),
  };
}
