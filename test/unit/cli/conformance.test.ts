/**
 * The plans of `mcp-host conformance` (src/cli/conformance.ts): what each 2026-07-28 scenario sends after the lists,
 * from the lists and the suite's MCP_CONFORMANCE_CONTEXT. The suite itself runs them in scripts/test-conformance.mjs.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioPlan, type ScenarioStep } from '../../../src/cli/conformance';
import { emptyLists, type ServerLists } from '../../../src/core/server/types';

const steps = (scenario: string, lists: ServerLists = emptyLists, context: Record<string, unknown> = {}): readonly ScenarioStep[] => {
  const plan = scenarioPlan(scenario);
  assert.ok(plan, `a plan for ${scenario}`);
  return plan.steps?.(lists, context) ?? [];
};
const tool = (name: string, inputSchema: Record<string, unknown> = { type: 'object' }) => ({ name, inputSchema: { type: 'object' as const, ...inputSchema } });

void describe('mcp-host conformance plans', () => {
  void it('http-custom-headers calls what the context names, with its arguments; malformed entries are skipped', () => {
    const context = { toolCalls: [{ name: 'test_custom_headers', arguments: { region: 'us-west1', verbose: null } }, 7, { name: 3 }, { name: 'test_custom_headers_null' }] };
    assert.deepEqual(steps('http-custom-headers', emptyLists, context), [
      { kind: 'call', name: 'test_custom_headers', arguments: { region: 'us-west1', verbose: null } },
      { kind: 'call', name: 'test_custom_headers_null', arguments: {} },
    ]);
    assert.deepEqual(steps('http-custom-headers', emptyLists, { toolCalls: 'nope' }), []);
  });

  void it('http-invalid-tool-headers calls every tool the engine kept; http-standard-headers one tool, resource and prompt', () => {
    const lists: ServerLists = {
      ...emptyLists,
      tools: [tool('valid_tool'), tool('other')],
      resources: [{ uri: 'file:///a%20b.txt', name: 'a' }, { uri: 'file:///c', name: 'c' }],
      prompts: [{ name: 'p1' }, { name: 'p2' }],
    };
    assert.deepEqual(steps('http-invalid-tool-headers', lists).map((s) => (s.kind === 'call' ? s.name : s.kind)), ['valid_tool', 'other']);
    assert.deepEqual(steps('http-standard-headers', lists), [
      { kind: 'call', name: 'valid_tool', arguments: {} },
      { kind: 'read', uri: 'file:///a%20b.txt' },
      { kind: 'prompt', name: 'p1', arguments: {} },
    ]);
  });

  void it('json-schema-2020-12-preservation echoes the focal tool schema as the engine holds it', () => {
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: { a: { $anchor: 'a' } }, additionalProperties: false };
    const lists: ServerLists = { ...emptyLists, tools: [tool('json_schema_echo'), tool('json_schema_2020_12_tool', schema)] };
    const [echo] = steps('json-schema-2020-12-preservation', lists);
    assert.equal(echo?.kind, 'call');
    assert.deepEqual(echo?.kind === 'call' ? echo.arguments : undefined, { schema: { type: 'object', ...schema } });
    assert.deepEqual(steps('json-schema-2020-12-preservation'), [], 'no focal tool listed: nothing to echo');
  });

  void it('list-only scenarios send nothing more; MRTR calls its four tools in order; unknown names have no plan', () => {
    assert.deepEqual(steps('request-metadata'), []);
    assert.deepEqual(steps('json-schema-ref-no-deref'), []);
    assert.deepEqual(
      steps('sep-2322-client-request-state').map((s) => (s.kind === 'call' ? s.name : '')),
      ['test_mrtr_echo_state', 'test_mrtr_unrelated', 'test_mrtr_no_state', 'test_mrtr_no_result_type'],
    );
    assert.equal(scenarioPlan('no-such-scenario'), undefined);
    assert.deepEqual(steps('auth/iss-supported'), [{ kind: 'call', name: 'test-tool', arguments: {} }]);
  });
});
