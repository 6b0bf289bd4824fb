/**
 * Where the core writes what it does. The adapter passes one per server (a LogOutputChannel) and one for the
 * host. Implementations must redact secrets they were told about (see `redact`).
 */
import { maskSecrets } from './redact';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const nullLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that prefixes and forwards to another one. */
export function prefixedLogger(inner: Logger, prefix: string): Logger {
  return {
    trace: (m) => inner.trace(`${prefix}${m}`),
    debug: (m) => inner.debug(`${prefix}${m}`),
    info: (m) => inner.info(`${prefix}${m}`),
    warn: (m) => inner.warn(`${prefix}${m}`),
    error: (m) => inner.error(`${prefix}${m}`),
  };
}

/**
 * Every occurrence of each secret masked as a whole unit (`••••••`), also in its quoted forms; see `maskSecrets`
 * for the rules (short secrets, secrets inside others).
 */
export function redact(text: string, secrets: Iterable<string>): string {
  return maskSecrets(text, [...secrets].map((value) => ({ value })));
}

/** A logger that masks `secrets()` (read per line: a launch's secrets change on restart) in every line. */
export function redactingLogger(inner: Logger, secrets: () => Iterable<string>): Logger {
  const r = (m: string) => redact(m, secrets());
  return {
    trace: (m) => inner.trace(r(m)),
    debug: (m) => inner.debug(r(m)),
    info: (m) => inner.info(r(m)),
    warn: (m) => inner.warn(r(m)),
    error: (m) => inner.error(r(m)),
  };
}
