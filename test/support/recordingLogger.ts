// A Logger that keeps what it is given, for assertions on log lines.
import type { Logger } from '../../src/core/base/logger';

export interface RecordingLogger extends Logger {
  readonly lines: { level: string; message: string }[];
  /** The messages (of one level, or all), one a line. */
  text(level?: string): string;
}

/** Keeps at most `max` lines (a flooding server must not exhaust the test process). */
export function recordingLogger(max: number): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const rec = (level: string) => (message: string) => {
    if (lines.length < max) lines.push({ level, message });
  };
  return {
    lines,
    trace: rec('trace'),
    debug: rec('debug'),
    info: rec('info'),
    warn: rec('warn'),
    error: rec('error'),
    text: (level) =>
      lines
        .filter((l) => !level || l.level === level)
        .map((l) => l.message)
        .join('\n'),
  };
}
