/**
 * `mcp-host` against a remote server behind OAuth (test/fixtures/auth/: a real authorization server and a protected
 * MCP endpoint on 127.0.0.1): without a terminal it exits 3 without contacting the authorization server; in
 * conformance mode (the browser step followed programmatically) it signs in and lists the tools.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAuthServer, type AuthServerFixture } from '../../fixtures/auth/authServer';
import { protectedMcp, type ProtectedMcp } from '../../fixtures/auth/protectedMcp';
import { startResourceServer, type ResourceServerFixture } from '../../fixtures/auth/resourceServer';
import { cliSandbox, type CliSandbox } from './helpers';

void describe('mcp-host: a remote server behind sign-in', () => {
  let as: AuthServerFixture;
  let rs: ResourceServerFixture;
  let mcp: ProtectedMcp;
  let sb: CliSandbox;

  before(async () => {
    as = await startAuthServer();
    mcp = protectedMcp();
    rs = await startResourceServer({ authorizationServers: [as.issuer], tokenInfo: (t) => as.tokenInfo(t), serve: mcp.serve, challengeScopes: ['mcp'] });
    sb = cliSandbox();
  });
  after(async () => {
    await sb.close();
    await Promise.all([as.close(), rs.close()]);
  });

  void it('without a terminal: exit 3 "authorisation needed", one refused request, nothing sent to the authorization server', async () => {
    const before = rs.seen.length;
    const r = await sb.run(['--url', rs.url, 'tools']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /authorisation needed: run on a terminal to sign in/);
    assert.equal(r.stdout, '');
    assert.equal(as.requests.length, 0, 'no discovery, registration or token request');
    assert.deepEqual(rs.seen.slice(before), [''], 'one request without a token: no retry loop');
  });

  void it('conformance mode: signs in (browser step followed), then the tools list with the bearer token', async () => {
    const before = rs.seen.length;
    const r = await sb.run(['conformance', rs.url], { env: { MCP_CONFORMANCE_SCENARIO: 'initialize' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'tools: whoami\n');
    assert.ok(as.requests.some((q) => q.path.endsWith('/token') && q.params['grant_type'] === 'authorization_code'), 'the code was exchanged');
    const sent = rs.seen.slice(before);
    assert.equal(sent[0], '', 'the first request had no token (401)');
    assert.ok(sent.length >= 2, String(sent.length));
    for (const a of sent.slice(1)) assert.match(a, /^Bearer \S+$/);
    assert.ok(mcp.methods.includes('tools/list'));
  });
});
