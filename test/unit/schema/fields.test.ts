import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { schemaToFields, summarizeArguments, validateArgumentsAsync, skeletonFromSchema, validateFieldInput, coerceFieldInput, type FormField } from '../../../src/core/schema';
import { startEverything, startReference, type Everything } from './everything';

function field(fields: FormField[], name: string): FormField {
  const f = fields.find((x) => x.name === name);
  assert.ok(f, `field ${name}`);
  return f;
}

void describe('schema fields from a real server-everything', { timeout: 60_000 }, () => {
  let server: Everything;
  let tools: Tool[];
  before(async () => {
    server = await startEverything();
    tools = (await server.client.listTools()).tools;
  });
  after(async () => {
    await server?.close();
  });

  void test('every tool schema becomes fields for quick input, one per property, without warnings', async () => {
    assert.ok(tools.length >= 10, `server-everything lists its tools (got ${tools.length})`);
    for (const tool of tools) {
      const { fields, needsJsonEditor, warnings } = schemaToFields(tool.inputSchema);
      assert.deepEqual(warnings, [], tool.name);
      assert.equal(needsJsonEditor, false, `${tool.name} has only flat arguments`);
      assert.deepEqual(
        fields.map((f) => f.name),
        Object.keys(tool.inputSchema.properties ?? {}),
        tool.name,
      );
    }
    const echo = schemaToFields(tools.find((t) => t.name === 'echo')!.inputSchema).fields;
    assert.deepEqual(
      { name: echo[0]!.name, type: echo[0]!.type, required: echo[0]!.required, description: echo[0]!.description },
      { name: 'message', type: 'string', required: true, description: 'Message to echo' },
    );
    const annotated = schemaToFields(tools.find((t) => t.name === 'get-annotated-message')!.inputSchema).fields;
    assert.equal(field(annotated, 'messageType').type, 'enum');
    assert.deepEqual(
      field(annotated, 'messageType').enum?.map((o) => o.value),
      ['error', 'success', 'debug'],
    );
    assert.equal(field(annotated, 'includeImage').type, 'boolean');
    assert.equal(field(annotated, 'includeImage').default, false);
    const links = schemaToFields(tools.find((t) => t.name === 'get-resource-links')!.inputSchema).fields;
    assert.deepEqual([field(links, 'count').minimum, field(links, 'count').maximum, field(links, 'count').default], [1, 10, 3]);
  });

  void test('arguments typed field by field are accepted by the full validator and by the server', async () => {
    const sum = tools.find((t) => t.name === 'get-sum')!;
    const { fields } = schemaToFields(sum.inputSchema);
    const typed: Record<string, string> = { a: '2.5', b: '-4' };
    const args: Record<string, unknown> = {};
    for (const f of fields) {
      assert.equal(validateFieldInput(f, typed[f.name]!), undefined);
      args[f.name] = coerceFieldInput(f, typed[f.name]!);
    }
    assert.deepEqual((await validateArgumentsAsync(sum.inputSchema, args)), { valid: true, errors: [] });
    const result = await server.client.callTool({ name: 'get-sum', arguments: args });
    assert.notEqual(result.isError, true);
    assert.match(JSON.stringify(result.content), /-1\.5/);
  });

  void test('good arguments validate and bad ones are reported with their path, for the real schemas', async () => {
    const byName = new Map(tools.map((t) => [t.name, t.inputSchema]));
    assert.equal((await validateArgumentsAsync(byName.get('echo'), { message: 'hi' })).valid, true);
    assert.deepEqual((await validateArgumentsAsync(byName.get('echo'), {})).errors, [{ path: '', message: '"message" is required' }]);
    assert.deepEqual((await validateArgumentsAsync(byName.get('get-sum'), { a: 'x', b: 2 })).errors, [{ path: '/a', message: 'must be number' }]);
    assert.equal((await validateArgumentsAsync(byName.get('get-resource-links'), { count: 11 })).errors[0]?.path, '/count');
    assert.match((await validateArgumentsAsync(byName.get('get-structured-content'), { location: 'Paris' })).errors[0]?.message ?? '', /must be one of "New York"/);
    assert.equal((await validateArgumentsAsync(byName.get('gzip-file-as-resource'), { data: 'not a uri' })).errors[0]?.path, '/data', 'format: uri is checked');
  });

  void test('the skeleton of every real tool is a valid argument set the user only has to edit', async () => {
    for (const tool of tools) {
      const skeleton = skeletonFromSchema(tool.inputSchema);
      const result = (await validateArgumentsAsync(tool.inputSchema, skeleton));
      assert.equal(result.valid, true, `${tool.name}: ${JSON.stringify(skeleton)} ${JSON.stringify(result.errors)}`);
    }
    assert.deepEqual(skeletonFromSchema(tools.find((t) => t.name === 'get-sum')!.inputSchema), { a: 0, b: 0 });
    assert.deepEqual(skeletonFromSchema(tools.find((t) => t.name === 'trigger-long-running-operation')!.inputSchema), { duration: 10, steps: 5 });
  });

  void test('the summary lists required arguments first, with their types', async () => {
    const summary = (name: string): string => summarizeArguments(tools.find((t) => t.name === name)!.inputSchema);
    assert.equal(summary('echo'), 'message: string (required)');
    assert.equal(summary('get-env'), 'no arguments');
    assert.equal(summary('get-annotated-message'), 'messageType: "error" | "success" | "debug" (required), includeImage?: boolean');
  });
});

void describe('schema fields from a real server-filesystem', { timeout: 60_000 }, () => {
  let server: Everything;
  let tools: Tool[];
  let dir: string;
  before(async () => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-host-schema-')));
    server = await startReference('server-filesystem', [dir]);
    tools = (await server.client.listTools()).tools;
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  void test('array arguments make a tool ask for the JSON editor; flat ones do not', async () => {
    const needs = Object.fromEntries(tools.map((t) => [t.name, schemaToFields(t.inputSchema).needsJsonEditor]));
    assert.equal(needs['read_multiple_files'], true);
    assert.equal(needs['edit_file'], true);
    assert.equal(needs['write_file'], false);
    assert.equal(needs['list_directory_with_sizes'], false);
    for (const t of tools) assert.deepEqual(schemaToFields(t.inputSchema).warnings, [], t.name);
  });

  void test('a nested edit list is checked item by item before it is sent, and the fixed one works on the server', async () => {
    const editFile = tools.find((t) => t.name === 'edit_file')!;
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'hello world\n');
    const bad = { path: file, edits: [{ oldText: 'hello' }] };
    assert.deepEqual((await validateArgumentsAsync(editFile.inputSchema, bad)).errors, [{ path: '/edits/0', message: '"newText" is required' }]);
    const skeleton = skeletonFromSchema(editFile.inputSchema, bad) as Record<string, unknown>;
    assert.deepEqual(skeleton['edits'], [{ oldText: 'hello' }], 'previous arguments are kept as the user left them');
    const good = { path: file, edits: [{ oldText: 'hello', newText: 'bye' }] };
    assert.equal((await validateArgumentsAsync(editFile.inputSchema, good)).valid, true);
    const result = await server.client.callTool({ name: 'edit_file', arguments: good });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    assert.equal(fs.readFileSync(file, 'utf8'), 'bye world\n');
  });
});

void describe('schema fields from the shapes servers generate', () => {
  void test("pydantic's Optional[str] (anyOf with null) is a nullable string keeping the outer title and default", async () => {
    const { fields, needsJsonEditor } = schemaToFields({
      type: 'object',
      properties: { query: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Query', description: 'What to find' } },
    });
    assert.equal(needsJsonEditor, false);
    const q = fields[0]!;
    assert.deepEqual([q.type, q.nullable, q.required, q.hasDefault, q.default, q.title, q.description], ['string', true, false, true, null, 'Query', 'What to find']);
  });

  void test('$ref into $defs and definitions is followed locally and the description next to it wins', async () => {
    const { fields, warnings } = schemaToFields({
      type: 'object',
      properties: {
        color: { $ref: '#/$defs/Color', description: 'Pick one' },
        size: { allOf: [{ $ref: '#/definitions/Size' }], default: 'm' },
      },
      required: ['color'],
      $defs: { Color: { type: 'string', enum: ['red', 'green'], description: 'A color' } },
      definitions: { Size: { enum: ['s', 'm', 'l'] } },
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual([fields[0]!.type, fields[0]!.description, fields[0]!.required], ['enum', 'Pick one', true]);
    assert.deepEqual([fields[1]!.type, fields[1]!.default, fields[1]!.enum?.length], ['enum', 'm', 3]);
  });

  void test('a top-level $ref and allOf of object schemas are merged into fields', async () => {
    const { fields } = schemaToFields({
      $ref: '#/$defs/Args',
      $defs: { Args: { allOf: [{ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } } }] } },
    });
    assert.deepEqual(
      fields.map((f) => [f.name, f.type, f.required]),
      [
        ['a', 'integer', true],
        ['b', 'boolean', false],
      ],
    );
  });

  void test('nested objects and arrays are json fields and ask for the JSON editor', async () => {
    const { fields, needsJsonEditor } = schemaToFields({
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string' } }, options: { type: 'object', properties: { x: { type: 'number' } } }, name: { type: 'string' } },
    });
    assert.equal(needsJsonEditor, true);
    assert.deepEqual(
      fields.map((f) => f.type),
      ['json', 'json', 'string'],
    );
  });

  void test('a real union (string or number) is a json field; a union of consts with titles is a labelled enum', async () => {
    const { fields } = schemaToFields({
      type: 'object',
      properties: {
        id: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        level: { oneOf: [{ const: 1, title: 'Low' }, { const: 2, title: 'High', description: 'urgent' }] },
      },
    });
    assert.equal(fields[0]!.type, 'json');
    assert.deepEqual(fields[1]!.enum, [
      { value: 1, label: 'Low' },
      { value: 2, label: 'High', description: 'urgent' },
    ]);
  });

  void test('an enum of mixed types keeps every value with a readable label, null making the field nullable', async () => {
    const f = schemaToFields({ type: 'object', properties: { v: { enum: ['a', 1, true, null, { k: 1 }] } } }).fields[0]!;
    assert.equal(f.type, 'enum');
    assert.equal(f.nullable, true);
    assert.deepEqual(
      f.enum?.map((o) => o.label),
      ['a', '1', 'true', 'null', '{"k":1}'],
    );
    assert.deepEqual(f.enum?.[4]?.value, { k: 1 });
  });

  void test('type lists with null, const, and draft-04 boolean exclusive bounds are understood', async () => {
    const { fields } = schemaToFields({
      type: 'object',
      properties: {
        n: { type: ['integer', 'null'], minimum: 0, maximum: 10, exclusiveMaximum: true },
        kind: { const: 'fixed' },
        s: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$', format: 'email' },
      },
    });
    const n = fields[0]!;
    assert.deepEqual([n.type, n.nullable, n.minimum, n.maximum, n.exclusiveMaximum], ['integer', true, 0, undefined, 10]);
    assert.deepEqual(fields[1]!.enum, [{ value: 'fixed', label: 'fixed' }]);
    const s = fields[2]!;
    assert.deepEqual([s.minLength, s.maxLength, s.pattern, s.format], [2, 5, '^[a-z]+$', 'email']);
  });

  void test('a schema that is not an object schema falls back to the JSON editor with a warning instead of throwing', async () => {
    for (const bad of [42, 'object', [], { type: 'array', items: {} }, { type: 'object', properties: [] }, null]) {
      const r = schemaToFields(bad);
      assert.equal(r.needsJsonEditor, true, JSON.stringify(bad));
      assert.equal(r.fields.length, 0);
      assert.ok(r.warnings.length > 0, JSON.stringify(bad));
    }
    assert.deepEqual(schemaToFields(undefined), { fields: [], needsJsonEditor: false, warnings: [] });
  });

  void test('a remote $ref is not fetched, a dangling one is reported, and a circular one does not loop', async () => {
    const remote = schemaToFields({ type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } });
    assert.equal(remote.fields[0]!.type, 'json');
    assert.match(remote.warnings.join('\n'), /remote references are not followed/);
    const dangling = schemaToFields({ type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } });
    assert.match(dangling.warnings.join('\n'), /does not resolve/);
    const circular = schemaToFields({ type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { $ref: '#/$defs/B' }, B: { $ref: '#/$defs/A' } } });
    assert.equal(circular.fields.length, 1);
    const recursive = schemaToFields({ type: 'object', properties: { tree: { $ref: '#/$defs/Node' } }, $defs: { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } } });
    assert.equal(recursive.fields[0]!.type, 'json');
  });

  void test('the summary shows arrays, unions and nullable types compactly and caps long lists', async () => {
    assert.equal(
      summarizeArguments({
        type: 'object',
        properties: { message: { type: 'string' }, count: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, q: { type: ['string', 'null'] } },
        required: ['message'],
      }),
      'message: string (required), count?: integer, tags?: string[], q?: string | null',
    );
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i}`, { type: 'string' }]));
    assert.match(summarizeArguments({ type: 'object', properties: many }), /, … 8 more$/);
    assert.equal(summarizeArguments('garbage'), 'arguments: any JSON');
  });
});
