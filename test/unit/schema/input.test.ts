import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { coerceFieldInput, FieldInputError, fieldHint, fieldInputText, fieldRootSchema, prepareArgumentsCheck, schemaToFields, validateFieldInput, type FormField } from '../../../src/core/schema';

function fieldOf(property: unknown, required = false, extra: Record<string, unknown> = {}): FormField {
  const { fields } = schemaToFields({ type: 'object', properties: { x: property }, required: required ? ['x'] : [], ...extra });
  return fields[0]!;
}

void describe('quick input for one field', () => {
  void test('numbers accept decimal and exponent forms, reject words, and respect the bounds', () => {
    const f = fieldOf({ type: 'number', minimum: 1, exclusiveMaximum: 10 });
    assert.equal(validateFieldInput(f, ' 2.5 '), undefined);
    assert.equal(coerceFieldInput(f, ' 2.5 '), 2.5);
    assert.equal(coerceFieldInput(f, '1e0'), 1);
    assert.equal(validateFieldInput(f, 'two'), 'Enter a number.');
    assert.equal(validateFieldInput(f, '0x10'), 'Enter a number.', 'hex is not a JSON number');
    assert.equal(validateFieldInput(f, '0.5'), 'Must be at least 1.');
    assert.equal(validateFieldInput(f, '10'), 'Must be less than 10.');
  });

  void test('integers reject fractions and unsafe magnitudes; multipleOf is checked', () => {
    const f = fieldOf({ type: 'integer', multipleOf: 5 });
    assert.equal(coerceFieldInput(f, '-15'), -15);
    assert.equal(validateFieldInput(f, '1.5'), 'Enter a whole number.');
    assert.equal(validateFieldInput(f, '7'), 'Must be a multiple of 5.');
    assert.equal(validateFieldInput(f, '12345678901234567890'), 'The number is too large to send exactly.');
  });

  void test('booleans take true/false and the usual yes/no words', () => {
    const f = fieldOf({ type: 'boolean' });
    assert.deepEqual(['true', 'False', 'yes', 'off', '1'].map((t) => coerceFieldInput(f, t)), [true, false, true, false, true]);
    assert.equal(validateFieldInput(f, 'maybe'), 'Enter true or false.');
  });

  void test('enum fields map a label or the value text back to the typed value, for mixed types', () => {
    const f = fieldOf({ enum: ['a', 1, true, null] });
    assert.equal(coerceFieldInput(f, 'a'), 'a');
    assert.equal(coerceFieldInput(f, '1'), 1);
    assert.equal(coerceFieldInput(f, 'true'), true);
    assert.equal(coerceFieldInput(f, 'null'), null);
    assert.match(validateFieldInput(f, 'b') ?? '', /^Choose one of: a, 1, true, null\.$/);
    const titled = fieldOf({ oneOf: [{ const: 'lo', title: 'Low' }, { const: 'hi', title: 'High' }] });
    assert.equal(coerceFieldInput(titled, 'High'), 'hi');
    assert.equal(coerceFieldInput(titled, 'low'), 'lo', 'labels match without case');
    assert.equal(fieldInputText(titled, 'hi'), 'High');
  });

  void test('strings are kept exactly, with length, pattern and format checked', async () => {
    const f = fieldOf({ type: 'string', minLength: 2, maxLength: 4, pattern: '^[a-z]+$' });
    assert.equal(coerceFieldInput(f, ' ab'), ' ab', 'no trimming of strings');
    assert.equal(validateFieldInput(f, 'a'), 'Must be at least 2 characters.');
    assert.equal(validateFieldInput(f, 'abcde'), 'Must be at most 4 characters (now 5).');
    assert.equal(validateFieldInput(f, 'AB'), 'Must match the pattern ^[a-z]+$');
    assert.equal(validateFieldInput(fieldOf({ type: 'string', maxLength: 2 }), '😀😀'), undefined, 'lengths count code points');
    const email = fieldOf({ type: 'string', format: 'email' });
    // What the form does when it opens: compile in the worker, so that keystroke checks need not wait for it.
    await prepareArgumentsCheck(fieldRootSchema(email));
    assert.equal(validateFieldInput(email, 'a@example.com'), undefined);
    assert.equal(validateFieldInput(email, 'not an email'), 'Must match format "email".');
  });

  void test('an empty optional field is omitted; an empty required one is refused unless it has a default', () => {
    assert.equal(coerceFieldInput(fieldOf({ type: 'integer' }), ''), undefined);
    assert.equal(validateFieldInput(fieldOf({ type: 'integer' }), '   '), undefined);
    assert.equal(validateFieldInput(fieldOf({ type: 'string' }, true), ''), 'x is required.');
    assert.equal(coerceFieldInput(fieldOf({ type: 'integer', default: 3 }, true), ''), 3);
  });

  void test('nullable fields take the word null; nullable strings keep it as text', () => {
    assert.equal(coerceFieldInput(fieldOf({ type: ['integer', 'null'] }), 'null'), null);
    assert.equal(coerceFieldInput(fieldOf({ anyOf: [{ type: 'string' }, { type: 'null' }] }), 'null'), 'null');
  });

  void test('json fields parse JSON and are checked against their own schema, $refs included', async () => {
    const f = fieldOf({ type: 'array', items: { $ref: '#/$defs/Tag' } }, false, { $defs: { Tag: { type: 'string', maxLength: 3 } } });
    assert.equal(f.type, 'json');
    await prepareArgumentsCheck(fieldRootSchema(f));
    assert.deepEqual(coerceFieldInput(f, '["a","b"]'), ['a', 'b']);
    assert.match(validateFieldInput(f, '[a]') ?? '', /^Enter JSON: /);
    assert.equal(validateFieldInput(f, '["abcd"]'), '/0: must NOT have more than 3 characters');
    assert.equal(validateFieldInput(f, '{}'), 'Must be array.');
  });

  void test('coercing refused text throws a FieldInputError naming the field', () => {
    assert.throws(
      () => coerceFieldInput(fieldOf({ type: 'number' }), 'abc'),
      (err: unknown) => err instanceof FieldInputError && err.field === 'x' && err.message === 'Enter a number.',
    );
  });

  void test('pre-filled text round-trips through coercion for every field type', () => {
    const cases: [unknown, unknown][] = [
      [{ type: 'string' }, 'hello'],
      [{ type: 'number' }, 2.5],
      [{ type: 'integer' }, -3],
      [{ type: 'boolean' }, false],
      [{ enum: ['a', 2] }, 2],
      [{ type: 'object' }, { k: [1, 'x'] }],
    ];
    for (const [schema, value] of cases) {
      const f = fieldOf(schema);
      assert.deepEqual(coerceFieldInput(f, fieldInputText(f, value)), value, JSON.stringify(schema));
    }
  });

  void test('the hint says what to type, from the constraints', () => {
    assert.equal(fieldHint(fieldOf({ type: 'integer', minimum: 1, maximum: 10, default: 3 })), 'whole number, 1 to 10, default 3, optional: leave empty to omit');
    assert.equal(fieldHint(fieldOf({ type: 'string', format: 'uri', maxLength: 200 }, true)), 'text (uri), at most 200 characters, required');
    assert.equal(fieldHint(fieldOf({ enum: ['a', 'b'] }, true)), 'one of: a, b, required');
    assert.equal(fieldHint(fieldOf({ type: ['boolean', 'null'] })), 'true or false, or null, optional: leave empty to omit');
    assert.equal(fieldHint(fieldOf({ type: 'array', items: {} })), 'JSON (array), optional: leave empty to omit');
  });
});
