/**
 * checkTool's fast path (no zod for plain tools) must accept exactly what the SDK's ToolSchema accepts, with the same
 * fields, and send everything else through zod.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ToolSchema } from '@modelcontextprotocol/sdk/types.js';
import { checkTool } from '../../../src/core/protocol/sdk';

const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
const shapes: Record<string, unknown> = {
  minimal: { name: 't', inputSchema: { type: 'object' } },
  full: {
    name: 't',
    title: 'T',
    description: 'does t',
    inputSchema: schema,
    outputSchema: { type: 'object', properties: {} },
    annotations: { title: 'T!', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    _meta: { x: 1 },
    execution: { taskSupport: 'forbidden' },
  },
  unknownField: { name: 't', inputSchema: schema, vendorExtra: { y: 2 } },
  icons: { name: 't', inputSchema: schema, icons: [{ src: 'https://example.com/i.png' }] },
  oddAnnotation: { name: 't', inputSchema: schema, annotations: { readOnlyHint: 'yes' } },
};

void describe('checkTool', () => {
  for (const [label, raw] of Object.entries(shapes)) {
    void it(`a ${label} tool gives the same value as the SDK's ToolSchema`, () => {
      const expected = ToolSchema.safeParse(structuredClone(raw));
      const got = checkTool(structuredClone(raw));
      if (expected.success) {
        assert.ok('value' in got, 'accepted');
        assert.deepEqual(JSON.parse(JSON.stringify(got.value)), JSON.parse(JSON.stringify(expected.data)));
        assert.deepEqual(got.problems, []);
      } else {
        assert.ok(!('value' in got) || got.problems.length > 0, 'rejected or warned');
      }
    });
  }

  void it('unknown top-level fields are dropped, as zod does', () => {
    const got = checkTool(structuredClone(shapes.unknownField));
    assert.ok('value' in got);
    assert.equal((got.value as unknown as Record<string, unknown>).vendorExtra, undefined);
  });
});
