/**
 * `mcp-host conformance URL`: the client the official MCP conformance suite runs
 * (`conformance client --command "mcp-host conformance"`). The suite starts a mock server per scenario, appends
 * its URL and names the scenario in MCP_CONFORMANCE_SCENARIO (context in MCP_CONFORMANCE_CONTEXT). For each
 * scenario this does what the suite's example client does (examples/clients/typescript/everything-client.ts):
 * connect, list the tools, call the scenario's tool; through the CLI's own engine paths, as `mcp-host --url URL`
 * would, with no protocol code of its own. Whatever the engine cannot do yet fails here, and the scenario is
 * listed in test/conformance/expected-failures-*.yml with the issue that adds it.
 */
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
  // TODO(#13): the auth scenarios pass client credentials here (auth/pre-registration, client-credentials-*): hand
  // them to the OAuth client as pre-registered credentials once it exists.
  const context = io.env.MCP_CONFORMANCE_CONTEXT;
  if (context !== undefined) {
    try {
      JSON.parse(context);
    } catch {
      throw new CliError('usage', 'MCP_CONFORMANCE_CONTEXT is not JSON');
    }
  }
  io.stderr.write(`mcp-host conformance: scenario ${scenario}, protocol ${io.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? '(not given)'}, ${url}\n`);
  const runOptions: CliOptions = { ...options, url, configFiles: [] };
  const cfg = await loadCliConfig(runOptions, { cwd: io.cwd, home: io.env.HOME ?? io.cwd, env: io.env, platform: process.platform });
  return withServer(cfg.adHoc!, cfg, runOptions, io, version, async ({ server, signal }) => {
    io.stdout.write(`tools: ${server.lists.tools.map((t) => t.name).join(', ')}\n`);
    if (!plan.call) return ExitCode.ok;
    const result = await server.callTool(plan.call.name, plan.call.arguments, { signal });
    io.stdout.write(formatToolResult(result, 'text'));
    return result.isError === true ? ExitCode.toolError : ExitCode.ok;
  });
}
