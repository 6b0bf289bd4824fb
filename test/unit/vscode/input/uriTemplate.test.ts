import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandTemplate, isTemplate, matchesTemplate, templateVariables } from '../../../../src/vscode/input/uriTemplate';

void test('a simple variable is percent-encoded, reserved characters included (RFC 6570 level 1)', () => {
  assert.equal(expandTemplate('demo://resource/dynamic/text/{id}', { id: '42' }), 'demo://resource/dynamic/text/42');
  assert.equal(expandTemplate('x://{v}', { v: 'a b/c?d' }), 'x://a%20b%2Fc%3Fd');
  assert.equal(expandTemplate('x://{v}', { v: "it's(*)!" }), 'x://it%27s%28%2A%29%21');
});

void test('reserved expansion {+var} keeps slashes and existing escapes, fragment {#var} adds a hash (level 2)', () => {
  assert.equal(expandTemplate('file://{+path}', { path: '/home/me/a b.txt' }), 'file:///home/me/a%20b.txt');
  assert.equal(expandTemplate('x://{+p}', { p: 'already%20encoded/%zz' }), 'x://already%20encoded/%25zz');
  assert.equal(expandTemplate('x://doc{#section}', { section: 'part/2' }), 'x://doc#part/2');
});

void test('query, path, label and parameter operators with several variables (level 3)', () => {
  assert.equal(expandTemplate('x://search{?q,lang}', { q: 'mcp host', lang: 'en' }), 'x://search?q=mcp%20host&lang=en');
  assert.equal(expandTemplate('x://search{?q,lang}', { q: 'a' }), 'x://search?q=a', 'an undefined variable is left out');
  assert.equal(expandTemplate('x://search{?q,lang}', {}), 'x://search', 'no variables: no "?"');
  assert.equal(expandTemplate('x://s?fixed=1{&page}', { page: '' }), 'x://s?fixed=1&page=', 'empty value in a query keeps "="');
  assert.equal(expandTemplate('x://root{/a,b}', { a: 'one', b: 'two/three' }), 'x://root/one/two%2Fthree');
  assert.equal(expandTemplate('x://file{.ext}', { ext: 'md' }), 'x://file.md');
  assert.equal(expandTemplate('x://m{;x,y}', { x: '1', y: '' }), 'x://m;x=1;y');
  assert.equal(expandTemplate('x://{a,b}', { a: '1', b: '2' }), 'x://1,2');
});

void test('the prefix modifier cuts by characters and an explode modifier is accepted', () => {
  assert.equal(expandTemplate('x://{name:3}', { name: 'héllo' }), 'x://h%C3%A9l');
  assert.equal(expandTemplate('x://{list*}', { list: 'a' }), 'x://a');
});

void test('variables are listed once, in order, with query variables marked optional', () => {
  assert.deepEqual(templateVariables('x://{owner}/{repo}{?ref,path}{&owner}'), [
    { name: 'owner', operator: '', inQuery: false },
    { name: 'repo', operator: '', inQuery: false },
    { name: 'ref', operator: '?', inQuery: true },
    { name: 'path', operator: '?', inQuery: true },
  ]);
  assert.deepEqual(
    templateVariables('x://{+path:10}').map((v) => v.name),
    ['path'],
  );
});

void test('text without expressions, empty braces and an unclosed brace stay literal', () => {
  assert.equal(isTemplate('demo://static/a.md'), false);
  assert.equal(expandTemplate('x://a{}b', {}), 'x://a{}b');
  assert.equal(expandTemplate('x://a{b', { b: '1' }), 'x://a{b');
  assert.equal(isTemplate('x://{id}'), true);
});

void test('a URI matches the templates it could be an expansion of, and only those', () => {
  assert.equal(matchesTemplate('notes://{name}', 'notes://today'), true);
  assert.equal(matchesTemplate('notes://{name}', 'notes://a/b'), false, 'a simple variable does not span "/"');
  assert.equal(matchesTemplate('notes://{name}', 'other://today'), false);
  assert.equal(matchesTemplate('file://{+path}', 'file:///home/me/a.txt'), true, 'a reserved variable spans "/"');
  assert.equal(matchesTemplate('x://search{?q,lang}', 'x://search?q=a&lang=en'), true);
  assert.equal(matchesTemplate('x://search{?q,lang}', 'x://search'), true, 'query variables are optional');
  assert.equal(matchesTemplate('x://root{/a,b}', 'x://root/one/two'), true);
  assert.equal(matchesTemplate('x://a.b/{id}', 'x://aXb/1'), false, 'literal parts are literal, "." included');
  assert.equal(matchesTemplate('x://fixed', 'x://fixed'), false, 'a template without variables is a plain resource');
  assert.equal(matchesTemplate('x://{a}', `x://${'a'.repeat(5000)}`), false, 'too long to check');
});
