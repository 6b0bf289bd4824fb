/** Small formatters shared by the layers (log lines and messages for people). */

/** "2 s", "1.5 s". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}
