/**
 * `mcp-host conformance URL`: the client the official MCP conformance suite runs
 * (`conformance client --command "mcp-host conformance"`). The suite starts a mock server per scenario, appends
 * its URL and names the scenario in MCP_CONFORMANCE_SCENARIO (context in MCP_CONFORMANCE_CONTEXT). For each
 * scenario this does what the suite's example client does (examples/clients/typescript/everything-client.ts):
 * connect, list the tools, call the scenario's tool; through the CLI's own engine paths, as `mcp-host --url URL`
 * would, with no protocol code of its own. Sign-in follows the mock authorization server's redirect without a
 * browser and elicitation forms are accepted with their defaults (src/cli/auth.ts, src/cli/asks.ts). Whatever the
 * engine cannot do yet fails here, and the scenario is listed in test/conformance/expected-failures-*.yml with
 * the issue that adds it.
 */
import type { ServerDefinition } from '../core/config/types';
import type { CliOptions } from './args';
import { loadCliConfig } from './config';
import { CliError, ExitCode, type ExitCodeValue } from './errors';
import { formatToolResult } from './output';
import { withServer, type CliIo } from './session';

interface ScenarioPlan {
  /** The tool to call after listing, with its arguments (as the example client calls it). */
  readonly call?: { readonly name: string; readonly arguments: Record<string, unknown> };
}

const plans: Readonly<Record<string, ScenarioPlan>> = {
  initialize: {},
  tools_call: { call: { name: 'add_numbers', arguments: { a: 5, b: 3 } } },
  // The engine answers the server's elicitation/create (#16); the mock checks the defaults were applied.
  'elicitation-sep1034-client-defaults': { call: { name: 'test_client_elicitation_defaults', arguments: {} } },
  'sse-retry': { call: { name: 'test_reconnection', arguments: {} } },
};

/** Every auth/* scenario of the example client: sign in (OAuth, #13), list the tools, call test-tool. */
const authPlan: ScenarioPlan = { call: { name: 'test-tool', arguments: {} } };

/** The plan for a scenario, or undefined for one this client does not know. */
export function scenarioPlan(name: string): ScenarioPlan | undefined {
  if (Object.prototype.hasOwnProperty.call(plans, name)) return plans[name];
  return name.startsWith('auth/') ? authPlan : undefined;
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
    if (!listed) io.stdout.write(`tools: ${server.lists.tools.map((t) => t.name).join(', ')}\n`);
    listed = true;
    if (!plan.call) return ExitCode.ok;
    const result = await server.callTool(plan.call.name, plan.call.arguments, { signal });
    io.stdout.write(formatToolResult(result, 'text'));
    return result.isError === true ? ExitCode.toolError : ExitCode.ok;
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
