/**
 * `mcp-host conformance URL`: the client the official MCP conformance suite runs
 * (`conformance client --command "mcp-host conformance"`). The suite starts a mock server per scenario, appends
 * its URL and names the scenario in MCP_CONFORMANCE_SCENARIO (context in MCP_CONFORMANCE_CONTEXT). For each
 * scenario this does what the suite's example clients do (examples/clients/typescript/everything-client.ts):
 * connect, list, then the scenario's calls, reads and prompts (its plan below); through the CLI's own engine paths, as `mcp-host --url URL`
 * would, with no protocol code of its own. Sign-in follows the mock authorization server's redirect without a
 * browser and elicitation forms are accepted with their defaults (src/cli/auth.ts, src/cli/asks.ts). Whatever the
 * engine cannot do yet fails here, and the scenario is listed in test/conformance/expected-failures-*.yml with
 * the issue that adds it.
 */
import { sanitizeLabel } from '../core/base/sanitize';
import type { ServerDefinition } from '../core/config/types';
import type { ServerLists } from '../core/server/types';
import type { CliOptions } from './args';
import { loadCliConfig } from './config';
import { CliError, ExitCode, type ExitCodeValue } from './errors';
import { formatPrompt, formatResource, formatToolResult } from './output';
import { withServer, type CliIo } from './session';

/** One request of a scenario after the lists: what the suite's example clients send. */
export type ScenarioStep =
  | { readonly kind: 'call'; readonly name: string; readonly arguments: Record<string, unknown> }
  | { readonly kind: 'read'; readonly uri: string }
  | { readonly kind: 'prompt'; readonly name: string; readonly arguments: Record<string, string> };

interface ScenarioPlan {
  /** The requests to send once the server is started and listed (from its lists and the scenario's context). */
  readonly steps?: (lists: ServerLists, context: Record<string, unknown>) => readonly ScenarioStep[];
}

const call = (name: string, args: Record<string, unknown> = {}): ScenarioStep => ({ kind: 'call', name, arguments: args });
/** Calls count against what the suite's mocks offer: a few, never a loop over an unbounded server list. */
const MAX_STEPS = 32;

const plans: Readonly<Record<string, ScenarioPlan>> = {
  initialize: {},
  tools_call: { steps: () => [call('add_numbers', { a: 5, b: 3 })] },
  // The engine answers the server's elicitation/create (#16); the mock checks the defaults were applied.
  'elicitation-sep1034-client-defaults': { steps: () => [call('test_client_elicitation_defaults')] },
  'sse-retry': { steps: () => [call('test_reconnection')] },
  // 2026-07-28. The mock refuses the first request with -32022; the engine's probe retries, then lists.
  'request-metadata': {},
  // input_required rounds (MRTR): state echoed, no state invented, nothing leaking into an unrelated call, and a
  // result without resultType taken as complete. The engine answers the elicitation through src/cli/asks.ts.
  'sep-2322-client-request-state': {
    steps: () => ['test_mrtr_echo_state', 'test_mrtr_unrelated', 'test_mrtr_no_state', 'test_mrtr_no_result_type'].map((n) => call(n)),
  },
  // Mcp-Method and Mcp-Name on every kind of request that carries them.
  'http-standard-headers': {
    steps: (lists) => [
      ...lists.tools.slice(0, 1).map((t) => call(t.name)),
      ...lists.resources.slice(0, 1).map((r): ScenarioStep => ({ kind: 'read', uri: r.uri })),
      ...lists.prompts.slice(0, 1).map((p): ScenarioStep => ({ kind: 'prompt', name: p.name, arguments: {} })),
    ],
  },
  // Mcp-Param-* headers: the context names the calls and their arguments.
  'http-custom-headers': { steps: (_lists, context) => contextToolCalls(context) },
  // The engine drops tools whose x-mcp-header annotations are invalid: every tool it kept is called.
  'http-invalid-tool-headers': { steps: (lists) => lists.tools.map((t) => call(t.name, { region: 'us-west1' })) },
  // The engine lists a tool whose schema has a network $ref and must not fetch it.
  'json-schema-ref-no-deref': {},
  // The schema the engine keeps for the focal tool goes back verbatim to the echo tool.
  'json-schema-2020-12-preservation': {
    steps: (lists) => {
      const focal = lists.tools.find((t) => t.name === 'json_schema_2020_12_tool');
      return focal ? [call('json_schema_echo', { schema: focal.inputSchema })] : [];
    },
  },
};

/** Every auth/* scenario of the example client: sign in (OAuth, #13), list the tools, call test-tool. */
const authPlan: ScenarioPlan = { steps: () => [call('test-tool')] };

/** The plan for a scenario, or undefined for one this client does not know. */
export function scenarioPlan(name: string): ScenarioPlan | undefined {
  if (Object.prototype.hasOwnProperty.call(plans, name)) return plans[name];
  return name.startsWith('auth/') ? authPlan : undefined;
}

/** `context.toolCalls` ({ name, arguments }[]) as steps; anything else in it is ignored. */
function contextToolCalls(context: Record<string, unknown>): ScenarioStep[] {
  const calls = Array.isArray(context['toolCalls']) ? context['toolCalls'] : [];
  const steps: ScenarioStep[] = [];
  for (const c of calls.slice(0, MAX_STEPS)) {
    if (typeof c !== 'object' || c === null) continue;
    const { name, arguments: args } = c as { name?: unknown; arguments?: unknown };
    if (typeof name !== 'string') continue;
    steps.push(call(name, typeof args === 'object' && args !== null && !Array.isArray(args) ? (args as Record<string, unknown>) : {}));
  }
  return steps;
}

export async function runConformance(url: string, options: CliOptions, io: CliIo, version: string): Promise<ExitCodeValue> {
  const scenario = io.env.MCP_CONFORMANCE_SCENARIO;
  if (!scenario) throw new CliError('usage', 'MCP_CONFORMANCE_SCENARIO is not set: this command is run by the MCP conformance suite');
  const plan = scenarioPlan(scenario);
  if (!plan) throw new CliError('usage', `unknown conformance scenario "${scenario}"`);
  const context = parseContext(io.env.MCP_CONFORMANCE_CONTEXT);
  io.stderr.write(`mcp-host conformance: scenario ${scenario}, protocol ${io.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? '(not given)'}, ${url}\n`);
  // Client credentials in the context (auth/pre-registration) are a pre-registered client, configured as a user
  // would: `oauth.clientId` and the secret through a password input.
  const clientId = typeof context['client_id'] === 'string' ? context['client_id'] : undefined;
  const clientSecret = typeof context['client_secret'] === 'string' ? context['client_secret'] : undefined;
  const inputs = new Map(options.inputs);
  if (clientSecret !== undefined) inputs.set(SECRET_INPUT, clientSecret);
  const runOptions: CliOptions = { ...options, url, configFiles: [], inputs };
  const cfg = await loadCliConfig(runOptions, { cwd: io.cwd, home: io.env.HOME ?? io.cwd, env: io.env, platform: process.platform });
  const def = clientId !== undefined ? withConfiguredClient(cfg.adHoc!, clientId, clientSecret !== undefined) : cfg.adHoc!;
  const mode = { conformance: scenario.startsWith('auth/') ? { clientMetadataUrl: CONFORMANCE_CLIENT_METADATA_URL } : {} };
  // A run that signs in again for more scopes (step-up) runs this twice: the list is printed once.
  let listed = false;
  return withServer(def, { ...cfg, adHoc: def }, runOptions, io, version, async ({ server, signal }) => {
    if (!listed) io.stdout.write(`tools: ${server.lists.tools.map((t) => sanitizeLabel(t.name, 200)).join(', ')}\n`);
    listed = true;
    let exit: ExitCodeValue = ExitCode.ok;
    for (const step of (plan.steps?.(server.lists, context) ?? []).slice(0, MAX_STEPS)) {
      if (step.kind === 'read') {
        io.stdout.write(formatResource(await server.readResource(step.uri, { signal }), 'text'));
      } else if (step.kind === 'prompt') {
        io.stdout.write(formatPrompt(await server.getPrompt(step.name, step.arguments, { signal }), 'text'));
      } else {
        const result = await server.callTool(step.name, step.arguments, { signal });
        io.stdout.write(formatToolResult(result, 'text'));
        if (result.isError === true) exit = ExitCode.toolError;
      }
    }
    return exit;
  }, mode);
}

/** The Client ID Metadata Document URL the suite's auth/basic-cimd scenario expects as the client id. */
export const CONFORMANCE_CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
/** The password input that carries a pre-registered client's secret. */
const SECRET_INPUT = 'conformanceClientSecret';

function parseContext(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('usage', 'MCP_CONFORMANCE_CONTEXT is not JSON');
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function withConfiguredClient(def: ServerDefinition, clientId: string, withSecret: boolean): ServerDefinition {
  const oauth = { clientId, ...(withSecret ? { clientSecret: `\${input:${SECRET_INPUT}}` } : {}) };
  const secretInput = { type: 'promptString', id: SECRET_INPUT, description: 'client secret', password: true } as const;
  return { ...def, entry: { ...def.entry, oauth }, inputs: withSecret ? [...def.inputs, secretInput] : def.inputs };
}
