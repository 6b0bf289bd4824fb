/**
 * Where the core writes what it does. The adapter passes one per server (a LogOutputChannel) and one for the
 * host. Implementations must redact secrets they were told about (see `redact`).
 */
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

/** Replace every occurrence of each secret (length >= 4) with `••••••`. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4 && out.includes(s)) out = out.split(s).join('••••••');
  }
  return out;
}
