/**
 * The pure rules behind answering servers: the restricted form schema, openable URLs, sampling params, model choice
 * with an allow-list, roots overrides, and the `roots` / `logLevel` definition fields.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../src/core/config';
import { resolveRoots } from '../../../src/core/config/roots';
import type { ServerDefinition } from '../../../src/core/config/types';
import { checkOpenableUrl, checkRequestedSchema, formResult, MAX_FORM_FIELDS } from '../../../src/core/session/asks/elicitation';
import { chooseModel, forgetSamplingConsent, MAX_SAMPLING_TOKENS, parseSamplingRequest, rememberSamplingConsent, rememberedSamplingConsent } from '../../../src/core/session/asks/sampling';
import { MapMemento } from '../../support/storage';
import { AnswerError } from '../../../src/core/session/asks/types';
import { testModels } from './askHelpers';

const rejects = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof AnswerError && e.code === -32602 && pattern.test(e.message));

void test('the restricted form schema: primitives, enums and multi-selects pass; nesting, bad formats and floods do not', () => {
  checkRequestedSchema({
    type: 'object',
    properties: {
      a: { type: 'string', format: 'email' },
      b: { type: 'integer', minimum: 1 },
      c: { type: 'boolean' },
      d: { type: 'string', oneOf: [{ const: 'x', title: 'X' }] },
      e: { type: 'array', items: { type: 'string', enum: ['p', 'q'] } },
    },
    required: ['a'],
  });
  rejects(() => checkRequestedSchema({ type: 'object', properties: { n: { type: 'object' } } }), /no nested objects/);
  rejects(() => checkRequestedSchema({ type: 'object', properties: { s: { type: 'string', format: 'hostname' } } }), /format must be one of/);
  rejects(() => checkRequestedSchema({ type: 'object', properties: { l: { type: 'array', items: { type: 'string' } } } }), /only allowed as a multi-select/);
  rejects(() => checkRequestedSchema({ type: 'object', properties: { d: { type: 'string', enum: [] } } }), /non-empty array/);
  const many = Object.fromEntries(Array.from({ length: MAX_FORM_FIELDS + 1 }, (_, i) => [`f${i}`, { type: 'string' }]));
  rejects(() => checkRequestedSchema({ type: 'object', properties: many }), /at most 50 are allowed/);
  rejects(() => checkRequestedSchema({ type: 'object', properties: { big: { type: 'string', description: 'x'.repeat(70_000) } } }), /larger than 64 KiB/);
});

void test('an accepted form gets schema defaults for fields left out; an answer that breaks the schema is not sent', () => {
  const q = { mode: 'form' as const, message: 'm', schema: { type: 'object', properties: { n: { type: 'integer', default: 3 }, s: { type: 'string' } }, required: ['s'] } };
  assert.deepEqual(formResult(q, { action: 'accept', content: { s: 'hi' } }), { action: 'accept', content: { s: 'hi', n: 3 } });
  assert.deepEqual(formResult(q, { action: 'decline' }), { action: 'decline' });
  assert.throws(() => formResult(q, { action: 'accept', content: {} }), AnswerError);
});

void test('openable URLs: https anywhere, http only to this machine, never other schemes or credentials', () => {
  assert.deepEqual(checkOpenableUrl('https://auth.example.com/x'), { ok: true, domain: 'auth.example.com' });
  assert.equal(checkOpenableUrl('http://localhost:3000/cb').ok, true);
  assert.equal(checkOpenableUrl('http://[::1]:8/').ok, true);
  for (const bad of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'command:workbench.action.quit', 'https://a:b@example.com/', 'not a url']) {
    assert.equal(checkOpenableUrl(bad).ok, false, bad);
  }
});

void test('sampling params: messages and maxTokens required, maxTokens capped, tools checked', () => {
  const ok = parseSamplingRequest({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image', data: '', mimeType: 'image/png' }] }], maxTokens: 10 ** 9 });
  assert.equal(ok.maxTokens, MAX_SAMPLING_TOKENS);
  assert.equal(ok.messages[0]?.content.length, 2);
  rejects(() => parseSamplingRequest({ messages: [], maxTokens: 5 }), /non-empty/);
  rejects(() => parseSamplingRequest({ messages: [{ role: 'system', content: { type: 'text', text: 'a' } }], maxTokens: 5 }), /role/);
  rejects(() => parseSamplingRequest({ messages: [{ role: 'user', content: { type: 'text', text: 'a' } }], maxTokens: 0 }), /positive integer/);
  rejects(() => parseSamplingRequest({ messages: [{ role: 'user', content: { type: 'video' } }], maxTokens: 5 }), /content block/);
  rejects(() => parseSamplingRequest({ messages: [{ role: 'user', content: { type: 'text', text: 'a' } }], maxTokens: 5, tools: [{ name: 't' }] }), /inputSchema/);
});

void test('model choice: hints in order, limited to the allow-list; nothing allowed -> no model', () => {
  assert.equal(chooseModel(testModels, { hints: [{ name: 'smart' }] }, undefined)?.id, 'test-smart');
  assert.equal(chooseModel(testModels, { hints: [{ name: 'nothing-like-it' }, { name: 'fast' }] }, undefined)?.id, 'test-fast');
  assert.equal(chooseModel(testModels, undefined, undefined)?.id, 'test-fast');
  assert.equal(chooseModel(testModels, { hints: [{ name: 'fast' }] }, ['test/smart'])?.id, 'test-smart');
  assert.equal(chooseModel(testModels, undefined, ['no-such-model']), undefined);
  assert.equal(chooseModel([], undefined, undefined), undefined);
});

const def = (roots: string[] | undefined): ServerDefinition => ({
  id: 'userSettings::r',
  name: 'r',
  source: { kind: 'workspaceSettings', folder: '/work/project' },
  inputs: [],
  entry: { type: 'stdio', command: 'node', args: [], env: {}, disabled: false, ...(roots ? { roots } : {}) },
});

void test('roots: the workspace folders by default; an override resolves variables, ~ and relative paths; only file:// URIs', () => {
  const folders = [{ name: 'project', path: '/work/project', uri: 'file:///work/project' }];
  assert.deepEqual(resolveRoots(def(undefined), { userHome: '/home/u', workspaceFolders: folders }).roots, [{ uri: 'file:///work/project', name: 'project' }]);
  const r = resolveRoots(def(['${workspaceFolder}/src', '~/notes', 'docs', 'file:///srv/data', 'https://example.com/x', '${workspaceFolder:other}']), {
    userHome: '/home/u',
    workspaceFolders: folders,
  });
  assert.deepEqual(
    r.roots.map((x) => x.uri),
    ['file:///work/project/src', 'file:///home/u/notes', 'file:///work/project/docs', 'file:///srv/data'],
  );
  assert.equal(r.problems.length, 2);
  assert.deepEqual(resolveRoots(def([]), { userHome: '/home/u', workspaceFolders: folders }).roots, []);
});

void test('config: "roots" and "logLevel" are read and checked', () => {
  const good = loadConfig({ files: [], userSettings: { a: { command: 'node', roots: ['/x'], logLevel: 'debug' } } });
  assert.deepEqual(good.servers[0]?.entry.roots, ['/x']);
  assert.equal(good.servers[0]?.entry.logLevel, 'debug');
  assert.deepEqual(good.problems, []);
  const bad = loadConfig({ files: [], userSettings: { b: { command: 'node', roots: '/x', logLevel: 'loud' } } });
  const messages = bad.problems.map((p) => p.message).join('\n');
  assert.match(messages, /"roots" of server "b" must be an array/);
  assert.match(messages, /"logLevel" of server "b" must be one of debug, info/);
});

void test('sampling consent: forgotten for the given servers, or every remembered one (other keys kept)', async () => {
  const m = new MapMemento();
  await rememberSamplingConsent(m, 'a', 'always');
  await rememberSamplingConsent(m, 'b', 'never');
  await rememberSamplingConsent(m, 'gone', 'always'); // a server no longer configured
  await m.update('mcpHost.other', 1);
  assert.equal(await forgetSamplingConsent(m, ['a', 'unknown']), 1);
  assert.equal(rememberedSamplingConsent(m, 'a'), undefined);
  assert.equal(rememberedSamplingConsent(m, 'b'), 'never');
  assert.equal(await forgetSamplingConsent(m), 2);
  assert.equal(rememberedSamplingConsent(m, 'b'), undefined);
  assert.equal(rememberedSamplingConsent(m, 'gone'), undefined);
  assert.deepEqual(m.keys(), ['mcpHost.other']);
});
