import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitCommandLine } from '../../../../src/vscode/commands/splitCommandLine';

void test('words are separated by any run of whitespace', () => {
  assert.deepEqual(splitCommandLine('  npx   -y\t@modelcontextprotocol/server-memory '), { words: ['npx', '-y', '@modelcontextprotocol/server-memory'] });
});

void test('quoted arguments keep their spaces and quotes join adjacent text', () => {
  assert.deepEqual(splitCommandLine(`node "my server.js" --name='a b' x"y z"`), { words: ['node', 'my server.js', '--name=a b', 'xy z'] });
});

void test('empty quotes make an empty argument', () => {
  assert.deepEqual(splitCommandLine(`cmd "" ''`), { words: ['cmd', '', ''] });
});

void test('backslashes escape spaces and quotes but Windows paths survive', () => {
  assert.deepEqual(splitCommandLine(String.raw`C:\tools\srv.exe my\ file "say \"hi\""`), { words: [String.raw`C:\tools\srv.exe`, 'my file', 'say "hi"'] });
});

void test('single quotes are literal, including backslashes', () => {
  assert.deepEqual(splitCommandLine(String.raw`echo 'a\"b'`), { words: ['echo', String.raw`a\"b`] });
});

void test('an unterminated quote is an error that says which quote', () => {
  assert.deepEqual(splitCommandLine('node "server.js'), { error: 'unterminated double quote' });
  assert.deepEqual(splitCommandLine("node 'server.js"), { error: 'unterminated single quote' });
});

void test('a blank line has no words', () => {
  assert.deepEqual(splitCommandLine('   '), { words: [] });
});
