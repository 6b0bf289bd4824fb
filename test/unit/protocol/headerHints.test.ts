/**
 * The HTTP header hints of modern requests (transports/streamable-http: standard headers, x-mcp-header, value
 * encoding), checked against the spec's own examples.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeHeaderValue, invalidMcpHeader, mcpHeaderParams, modernHeaderHints } from '../../../src/core/protocol/headerHints';

void describe('modern header hints', () => {
  void it('encodes values as the spec table shows', () => {
    assert.equal(encodeHeaderValue('us-west1'), 'us-west1');
    assert.equal(encodeHeaderValue('Hello, 世界'), '=?base64?SGVsbG8sIOS4lueVjA==?=');
    assert.equal(encodeHeaderValue(' padded '), '=?base64?IHBhZGRlZCA=?=');
    assert.equal(encodeHeaderValue('line1\nline2'), '=?base64?bGluZTEKbGluZTI=?=');
    assert.equal(encodeHeaderValue('=?base64?literal?='), '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=');
  });

  void it('a tools/call carries method, name and the x-mcp-header parameters', () => {
    const schema = {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        query: { type: 'string' },
        opts: { type: 'object', properties: { dry: { type: 'boolean', 'x-mcp-header': 'Dry' }, n: { type: 'integer', 'x-mcp-header': 'N' } } },
      },
    };
    const h = modernHeaderHints('tools/call', { name: 'execute_sql', arguments: { region: 'us-west1', query: 'SELECT 1', opts: { dry: true, n: 3 } } }, '2026-07-28', schema);
    assert.deepEqual(h, {
      'MCP-Protocol-Version': '2026-07-28',
      'Mcp-Method': 'tools/call',
      'Mcp-Name': 'execute_sql',
      'Mcp-Param-Region': 'us-west1',
      'Mcp-Param-Dry': 'true',
      'Mcp-Param-N': '3',
    });
  });

  void it('absent values, numbers that are not safe integers and objects are left out', () => {
    const schema = { properties: { a: { 'x-mcp-header': 'A' }, b: { 'x-mcp-header': 'B' }, c: { 'x-mcp-header': 'C' } } };
    const h = modernHeaderHints('tools/call', { name: 't', arguments: { b: 1.5, c: { x: 1 } } }, '2026-07-28', schema);
    assert.deepEqual(Object.keys(h).filter((k) => k.startsWith('Mcp-Param-')), []);
  });

  void it('resources/read names its URI, prompts/get its name, a list names nothing', () => {
    assert.equal(modernHeaderHints('resources/read', { uri: 'file:///a b' }, '2026-07-28')['Mcp-Name'], 'file:///a b');
    assert.equal(modernHeaderHints('prompts/get', { name: 'review' }, '2026-07-28')['Mcp-Name'], 'review');
    assert.deepEqual(modernHeaderHints('tools/list', undefined, '2026-07-28'), { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' });
  });

  void it('invalid or duplicate header names and annotations behind arrays or refs are not used', () => {
    const schema = {
      properties: {
        ok: { 'x-mcp-header': 'Ok' },
        dup: { 'x-mcp-header': 'ok' },
        bad: { 'x-mcp-header': 'has space' },
        list: { type: 'array', items: { properties: { x: { 'x-mcp-header': 'X' } } } },
      },
    };
    assert.deepEqual([...mcpHeaderParams(schema).keys()], ['Ok']);
  });
});

void describe('x-mcp-header validity (tools an HTTP client must leave out)', () => {
  const props = (p: Record<string, unknown>) => ({ type: 'object', properties: p });
  void it('valid annotations pass, nested through properties too', () => {
    assert.equal(invalidMcpHeader(props({ region: { type: 'string', 'x-mcp-header': 'Region' }, o: props({ n: { type: 'integer', 'x-mcp-header': 'N' } }) })), undefined);
    assert.equal(invalidMcpHeader(props({ q: { type: 'string' } })), undefined);
  });
  void it('a bad name, a duplicate ignoring case, a number type, or a place behind items/anyOf/$defs is invalid', () => {
    assert.match(invalidMcpHeader(props({ a: { type: 'string', 'x-mcp-header': 'has space' } })) ?? '', /not a valid header name/);
    assert.match(invalidMcpHeader(props({ a: { type: 'string', 'x-mcp-header': 'R' }, b: { type: 'string', 'x-mcp-header': 'r' } })) ?? '', /used twice/);
    assert.match(invalidMcpHeader(props({ a: { type: 'number', 'x-mcp-header': 'A' } })) ?? '', /not a string, integer or boolean/);
    assert.match(invalidMcpHeader(props({ a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } })) ?? '', /not reached through "properties"/);
    assert.match(invalidMcpHeader(props({ a: { anyOf: [{ type: 'string', 'x-mcp-header': 'A' }] } })) ?? '', /not reached/);
    assert.match(invalidMcpHeader({ ...props({}), $defs: { x: { type: 'string', 'x-mcp-header': 'X' } } }) ?? '', /not reached/);
  });
});
