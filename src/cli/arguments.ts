/**
 * Tool and prompt arguments from the command line: `--args JSON`, or `key=value` pairs coerced with the tool's
 * input schema by the same code as the editor's argument form (a number field gets a number, `true` a boolean,
 * an enum its option's value, a nested field parsed JSON). Then the whole object is validated against the schema.
 */
import { sanitizeLabel } from '../core/base/sanitize';
import { coerceFieldInput, schemaToFields, validateArguments, validateFieldInput } from '../core/schema';
import type { Tool } from '../core/protocol/sdk';
import { splitPairs } from './args';
import { CliError } from './errors';

/** Arguments for `tools/call`. Throws CliError('invalidArguments') naming each problem. */
export function toolArguments(tool: Tool, argsJson: string | undefined, pairs: readonly string[]): Record<string, unknown> {
  if (argsJson !== undefined && pairs.length > 0) throw new CliError('usage', 'give the arguments either with --args JSON or as key=value, not both');
  const schema: unknown = tool.inputSchema;
  const args = argsJson !== undefined ? parseArgsJson(argsJson) : fromPairs(schema, pairs);
  const check = validateArguments(schema, args);
  // A schema MCP Host cannot use is the server's business: it validates the arguments itself.
  if (!check.valid && check.schemaError === undefined) {
    const lines = check.errors.map((e) => `  ${e.path ? `${e.path.slice(1)}: ` : ''}${e.message}`);
    throw new CliError('invalidArguments', `the arguments do not fit the input schema of tool "${sanitizeLabel(tool.name, 80)}":\n${lines.join('\n')}`);
  }
  return args;
}

function parseArgsJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError('invalidArguments', `--args is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError('invalidArguments', '--args must be a JSON object, like {"key": "value"}');
  return value as Record<string, unknown>;
}

function fromPairs(schema: unknown, pairs: readonly string[]): Record<string, unknown> {
  const { fields } = schemaToFields(schema);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const out: Record<string, unknown> = {};
  for (const [key, text] of splitPairs(pairs)) {
    const field = byName.get(key);
    if (!field) {
      // Not in the schema: sent as text; the validation below rejects it if the schema forbids extra keys.
      Object.defineProperty(out, key, { value: text, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const problem = validateFieldInput(field, text);
    if (problem) throw new CliError('invalidArguments', `${key}: ${problem}`);
    const value = coerceFieldInput(field, text);
    if (value !== undefined) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Prompt arguments are strings by definition (MCP): `key=value` as given. */
export function promptArguments(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of splitPairs(pairs)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
