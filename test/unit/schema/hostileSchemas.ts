/** Tool input schemas built to make the host slow (issue 10, finding 5), shared by the schema tests. */

/** d_i = {anyOf: [{$ref: d_(i+1)}, {$ref: d_(i+1)}]}, 26 levels: 1.7 KB that expands to 2^26 paths. */
export function anyOfChain(levels = 26): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
  defs[`d${levels}`] = { type: 'string' };
  return { type: 'object', properties: { x: { $ref: '#/$defs/d0' } }, required: ['x'], $defs: defs };
}

/** An object whose 12 required properties are each the whole schema again (456 bytes). */
export function selfRefFanOut(k = 12): Record<string, unknown> {
  const names = 'abcdefghijklmnopqrstuvwxyz'.slice(0, k).split('');
  return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { $ref: '#' }])), required: names };
}

/** An object with `n` string properties. */
export function wideObject(n = 40_000): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) properties[`p${i}`] = { type: 'string' };
  return { type: 'object', properties };
}

export const slowPatterns = ['^\\d{0,2000}\\d{0,2000}\\d{0,2000}x$', '^(?:a+){9}b$'];
