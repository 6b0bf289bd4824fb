/**
 * Discovery against real servers on loopback addresses (issue #13): Protected Resource Metadata by the challenge's
 * resource_metadata or by well-known path (path-aware first, then root), its `resource` checked; Authorization
 * Server Metadata in the MCP spec's order, its issuer checked; the URL policy (https, http only on loopback).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBearerChallenge } from '../../../src/core/auth/challenge';
import { authorizationServerMetadataUrls, discoverAuthorizationServer, discoverProtectedResource, protectedResourceMetadataUrls, resourceMatches, serverGuard } from '../../../src/core/auth/discovery';
import { isAuthError } from '../../../src/core/auth/errors';
import { startAuthServer } from '../../fixtures/auth/authServer';
import { documentServer, listen } from '../../fixtures/auth/http';
import { startResourceServer } from '../../fixtures/auth/resourceServer';
import { request, setup } from './helpers';

const none = () => undefined;

void describe('protected resource metadata', () => {
  void it('is read from the resource_metadata URL of the challenge when there is one', async () => {
    const rs = await startResourceServer({ authorizationServers: ['https://as.example'], tokenInfo: none, prmAt: 'advertisedOnly' });
    try {
      const res = await fetch(rs.url, { method: 'POST' });
      const header = res.headers.get('www-authenticate') ?? '';
      assert.match(header, /resource_metadata="/);
      const prm = await discoverProtectedResource(new URL(rs.url), parseBearerChallenge(header), { fetch });
      assert.equal(prm.metadataUrl, `${rs.origin}/meta/prm.json`);
      assert.deepEqual(prm.authorizationServers, ['https://as.example']);
      assert.deepEqual(rs.prmHits, ['/meta/prm.json'], 'no well-known guess when the URL was given');
    } finally {
      await rs.close();
    }
  });

  void it('a ws:// server: the well-known URLs are on the HTTP origin of the same host and port, and its document matches', async () => {
    const rs = await startResourceServer({ authorizationServers: ['https://as.example'], tokenInfo: none, prmAt: 'root' });
    try {
      const wsUrl = new URL(rs.url.replace(/^http:/, 'ws:'));
      assert.deepEqual(protectedResourceMetadataUrls(wsUrl), [`${rs.origin}/.well-known/oauth-protected-resource/mcp`, `${rs.origin}/.well-known/oauth-protected-resource`]);
      const prm = await discoverProtectedResource(wsUrl, undefined, { fetch });
      assert.equal(prm.metadataUrl, `${rs.origin}/.well-known/oauth-protected-resource`);
      assert.equal(resourceMatches(`${rs.url.replace(/^http:/, 'ws:')}`, wsUrl), true);
      assert.equal(resourceMatches('http://other.example/mcp', wsUrl), false);
    } finally {
      await rs.close();
    }
  });

  void it('without a header, tries the path-aware well-known URL first, then the root', async () => {
    const rs = await startResourceServer({ authorizationServers: ['https://as.example'], tokenInfo: none, prmAt: 'root' });
    try {
      assert.deepEqual(protectedResourceMetadataUrls(new URL(rs.url)), [`${rs.origin}/.well-known/oauth-protected-resource/mcp`, `${rs.origin}/.well-known/oauth-protected-resource`]);
      const prm = await discoverProtectedResource(new URL(rs.url), undefined, { fetch });
      assert.equal(prm.metadataUrl, `${rs.origin}/.well-known/oauth-protected-resource`);
      assert.deepEqual(rs.prmHits, ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
    } finally {
      await rs.close();
    }
  });

  void it('a document describing another resource is refused, and no sign-in reaches an authorization server', async () => {
    const s = await setup({}, { claimedResource: 'http://127.0.0.1:1/mcp' });
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await assert.rejects(m.signIn(), (e) => isAuthError(e, 'resourceMismatch'));
      assert.equal(s.as.requests.length, 0);
      assert.equal(s.consent.asked.length, 0);
    } finally {
      await s.close();
    }
  });

  void it('an advertised metadata URL that is http on a non-loopback host is refused before any request', async () => {
    // 127.0.0.2 is a loopback address but not one of the allowed loopback hosts: the server there must see nothing.
    const other = await documentServer(() => ({ '/prm': { resource: 'x', authorization_servers: ['https://as.example'] } }));
    const elsewhere = await listen((_req, res) => res.writeHead(200).end('{}'), '127.0.0.2');
    let hits = 0;
    elsewhere.server.on('request', () => hits++);
    try {
      const url = new URL('http://127.0.0.1:1/mcp');
      await assert.rejects(discoverProtectedResource(url, { resourceMetadata: `${elsewhere.origin}/prm` }, { fetch }), (e) => isAuthError(e, 'insecureUrl'));
      await assert.rejects(discoverProtectedResource(url, { resourceMetadata: 'http://mcp.example/prm' }, { fetch }), (e) => isAuthError(e, 'insecureUrl'));
      await assert.rejects(discoverProtectedResource(url, { resourceMetadata: 'javascript:alert(1)' }, { fetch }), (e) => isAuthError(e, 'insecureUrl'));
      assert.equal(hits, 0);
    } finally {
      await other.close();
      await elsewhere.close();
    }
  });

  void it('a remote (non-loopback) server cannot send the sign-in to a metadata URL on this machine', async () => {
    // A server on the internet naming http://127.0.0.1:<port>/... would make MCP Host send a GET into the user's
    // machine (a local admin page, a dev server) when the user signs in.
    const local = await documentServer(() => ({ '/prm': { resource: 'https://mcp.example.com/mcp', authorization_servers: ['https://as.example'] } }));
    try {
      const remoteServer = new URL('https://mcp.example.com/mcp');
      await assert.rejects(discoverProtectedResource(remoteServer, { resourceMetadata: `${local.origin}/prm` }, { fetch }), (e) => isAuthError(e, 'insecureUrl'));
      assert.deepEqual(local.hits, [], 'nothing reached the local server');
      // A server on this machine may keep its metadata here.
      const prm = await discoverProtectedResource(new URL('http://127.0.0.1:1/mcp'), { resourceMetadata: `${local.origin}/prm` }, { fetch }).catch((e: unknown) => e);
      assert.ok(isAuthError(prm, 'resourceMismatch'), 'read (then refused for describing another resource)');
      // The guard of a remote server's sign-in refuses loopback for every later request too (issuer metadata here).
      const hits = local.hits.length;
      await assert.rejects(discoverAuthorizationServer(local.origin, { fetch, guard: serverGuard(remoteServer) }), (e) => isAuthError(e, 'insecureUrl'));
      assert.equal(local.hits.length, hits);
    } finally {
      await local.close();
    }
  });
});

void describe('authorization server metadata', () => {
  void it('lists the well-known URLs in the MCP spec order, with and without an issuer path', () => {
    assert.deepEqual(authorizationServerMetadataUrls(new URL('https://auth.example/tenant1')), [
      'https://auth.example/.well-known/oauth-authorization-server/tenant1',
      'https://auth.example/.well-known/openid-configuration/tenant1',
      'https://auth.example/tenant1/.well-known/openid-configuration',
    ]);
    assert.deepEqual(authorizationServerMetadataUrls(new URL('https://auth.example')), [
      'https://auth.example/.well-known/oauth-authorization-server',
      'https://auth.example/.well-known/openid-configuration',
    ]);
  });

  for (const form of ['oauth', 'oidcInsert', 'oidcAppend'] as const) {
    void it(`finds the metadata of an issuer with a path when only the ${form} form answers, after trying the earlier ones`, async () => {
      const as = await startAuthServer({ issuerPath: '/tenant1', metadataAt: [form] });
      try {
        const meta = await discoverAuthorizationServer(as.issuer, { fetch });
        assert.equal(meta.issuer, as.issuer);
        const order = ['/.well-known/oauth-authorization-server/tenant1', '/.well-known/openid-configuration/tenant1', '/tenant1/.well-known/openid-configuration'];
        const upTo = { oauth: 1, oidcInsert: 2, oidcAppend: 3 }[form];
        assert.deepEqual(as.requests.map((r) => r.path), order.slice(0, upTo));
      } finally {
        await as.close();
      }
    });
  }

  void it('falls back from RFC 8414 to OpenID discovery for an issuer without a path', async () => {
    const as = await startAuthServer({ metadataAt: ['oidcInsert'] });
    try {
      assert.equal((await discoverAuthorizationServer(as.issuer, { fetch })).issuer, as.issuer);
      assert.deepEqual(as.requests.map((r) => r.path), ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']);
    } finally {
      await as.close();
    }
  });

  void it('a metadata document naming another issuer (another origin) is refused', async () => {
    const as = await startAuthServer({ claimedIssuer: 'http://localhost:1' });
    try {
      await assert.rejects(discoverAuthorizationServer(as.issuer, { fetch }), (e) => isAuthError(e, 'issuerMismatch'));
    } finally {
      await as.close();
    }
  });

  void it('an authorization server on another origin than the resource is followed (RFC 9728 allows it)', async () => {
    // setup() puts them on two ports of 127.0.0.1: two origins.
    const s = await setup();
    try {
      assert.notEqual(new URL(s.as.issuer).origin, s.rs.origin);
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      assert.equal((await request(m, s.rs.url)).status, 200);
    } finally {
      await s.close();
    }
  });

  void it('an issuer that is http on a non-loopback host is refused without a request', async () => {
    await assert.rejects(discoverAuthorizationServer('http://auth.example', { fetch: () => assert.fail('no request may be made') }), (e) => isAuthError(e, 'insecureUrl'));
    const rs = await startResourceServer({ authorizationServers: ['http://auth.example'], tokenInfo: none });
    try {
      const prm = await discoverProtectedResource(new URL(rs.url), undefined, { fetch });
      await assert.rejects(discoverAuthorizationServer(prm.authorizationServers[0] ?? '', { fetch }), (e) => isAuthError(e, 'insecureUrl'));
    } finally {
      await rs.close();
    }
  });

  void it('an endpoint that is http off loopback, javascript: or carries credentials is refused before the browser or a token request', async () => {
    const bad: Record<string, string>[] = [
      { token_endpoint: 'http://tokens.example/token' },
      { authorization_endpoint: 'javascript:fetch(1)//' },
      { authorization_endpoint: 'https://user:pw@auth.example/authorize' },
      { token_endpoint: 'file:///etc/passwd' },
    ];
    for (const override of bad) {
      const doc = await documentServer((origin) => ({
        '/.well-known/oauth-authorization-server': {
          issuer: origin,
          authorization_endpoint: `${origin}/authorize`,
          token_endpoint: `${origin}/token`,
          code_challenge_methods_supported: ['S256'],
          ...override,
        },
      }));
      try {
        await assert.rejects(discoverAuthorizationServer(doc.origin, { fetch }), (e) => isAuthError(e, 'insecureUrl'), JSON.stringify(override));
      } finally {
        await doc.close();
      }
    }
  });

  void it('metadata larger than the cap is refused', async () => {
    const big = await documentServer(() => ({ '/.well-known/oauth-authorization-server': { issuer: 'x', pad: 'y'.repeat(4096) } }));
    try {
      await assert.rejects(discoverAuthorizationServer(big.origin, { fetch, guard: { timeoutMs: 5000, maxBodyBytes: 1024 } }), (e) => isAuthError(e, 'invalidMetadata'));
    } finally {
      await big.close();
    }
  });
});
