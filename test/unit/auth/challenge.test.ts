/**
 * `WWW-Authenticate` is server text: the parser reads Bearer challenges (RFC 6750, RFC 9728 resource_metadata)
 * among others, and every dimension of it is bounded.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_HEADER_CHARS, MAX_SCOPES, parseBearerChallenge, parseChallenges, unionScopes } from '../../../src/core/auth/challenge';

void describe('WWW-Authenticate', () => {
  void it('reads resource_metadata, scope and error of a Bearer challenge (quoted, escaped, any case)', () => {
    const c = parseBearerChallenge('bearer Error="insufficient_scope", scope="read  write read", resource_metadata="https://x.example/.well-known/oauth-protected-resource/a\\"b"');
    assert.deepEqual(c, { resourceMetadata: 'https://x.example/.well-known/oauth-protected-resource/a"b', scopes: ['read', 'write'], error: 'insufficient_scope' });
  });

  void it('finds the Bearer challenge among others, including a token68 one', () => {
    const h = 'Basic realm="x", Negotiate abc123==, Bearer realm="mcp", scope=files:read';
    assert.deepEqual(parseChallenges(h).map((c) => c.scheme), ['basic', 'negotiate', 'bearer']);
    assert.equal(parseChallenges(h)[1]?.token68, 'abc123==');
    assert.deepEqual(parseBearerChallenge(h), { scopes: ['files:read'] });
  });

  void it('no Bearer challenge, an empty header or garbage gives nothing', () => {
    assert.equal(parseBearerChallenge('Basic realm="x"'), undefined);
    assert.equal(parseBearerChallenge(''), undefined);
    assert.equal(parseBearerChallenge(null), undefined);
    assert.equal(parseBearerChallenge('"""'), undefined);
  });

  void it('an unterminated quoted value is dropped, what came before stays', () => {
    assert.deepEqual(parseBearerChallenge('Bearer error="invalid_token", scope="read'), { error: 'invalid_token' });
  });

  void it('is bounded: header length, value length, number of scopes, scope syntax', () => {
    const long = `Bearer scope="a", resource_metadata="https://x.example/${'p'.repeat(MAX_HEADER_CHARS)}"`;
    assert.deepEqual(parseBearerChallenge(long), { scopes: ['a'] }, 'a value cut by the header bound is dropped');
    const huge = `Bearer resource_metadata="https://x.example/${'p'.repeat(3000)}", error="e"`;
    assert.deepEqual(parseBearerChallenge(huge), { error: 'e' }, 'an oversized value is skipped, the parse goes on');
    const many = `Bearer scope="${Array.from({ length: 300 }, (_, i) => `s${i}`).join(' ')}"`;
    assert.equal(parseBearerChallenge(many)?.scopes?.length, MAX_SCOPES);
    assert.deepEqual(parseBearerChallenge('Bearer scope="ok b\\\\ad q\\"uote"'), { scopes: ['ok'] }, 'invalid scope tokens are dropped');
    const t0 = performance.now();
    parseChallenges(`Bearer ${'a=b, '.repeat(100_000)}`);
    parseChallenges('"'.repeat(1_000_000));
    assert.ok(performance.now() - t0 < 500, 'large headers are cut before parsing');
  });

  void it('unions scopes in first-seen order', () => {
    assert.deepEqual(unionScopes(['read'], undefined, ['write', 'read']), ['read', 'write']);
  });
});
