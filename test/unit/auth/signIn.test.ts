/**
 * The whole sign-in against a real authorization server and resource on 127.0.0.1 (issue #13): each client
 * identity (configured, Client ID Metadata Document, Dynamic Client Registration), PKCE S256 and RFC 8707 resource
 * on the wire, the consent prompt before any request to the authorization server, and the redirect checks.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { clientMetadataDocument } from '../../../src/core/auth/client';
import { isAuthError } from '../../../src/core/auth/errors';
import { documentServer } from '../../fixtures/auth/http';
import { request, setup } from './helpers';

void describe('sign-in', () => {
  void it('discovers by the 401 challenge, registers (DCR), signs in with PKCE S256 and resource, then requests succeed', async () => {
    const s = await setup({}, { challengeScopes: ['read'] });
    try {
      const m = s.manager();
      const first = await request(m, s.rs.url);
      assert.deepEqual(first, { status: 401, outcomes: ['signInNeeded'] });
      assert.equal(m.state.kind, 'signInNeeded');
      await m.signIn();
      assert.equal(m.state.kind, 'signedIn');
      assert.equal(s.as.registered.length, 1, 'one dynamic registration');
      // SEP-837: a registration names its application type; a loopback-redirect client is "native".
      assert.equal(s.as.registered[0]?.metadata?.['application_type'], 'native');
      const auth = s.opened[0]?.searchParams;
      assert.equal(auth?.get('code_challenge_method'), 'S256');
      assert.equal(auth?.get('resource'), s.rs.url);
      assert.equal(auth?.get('scope'), 'read');
      const token = s.as.requests.find((r) => r.path === '/token');
      assert.equal(token?.params['resource'], s.rs.url, 'resource on the token request too');
      assert.ok((token?.params['code_verifier'] ?? '').length >= 43);
      assert.deepEqual(await request(m, s.rs.url), { status: 200, outcomes: [] });
      // Consent came first and showed the authorization server's origin and the scopes.
      assert.deepEqual(s.consent.asked.map((c) => [c.authorizationServerOrigin, c.scopes]), [[s.as.origin, ['read']]]);
      // A second sign-in reuses the stored registration and asks no consent for the same scopes.
      await m.signIn();
      assert.equal(s.as.registered.length, 1);
      assert.equal(s.consent.asked.length, 1);
    } finally {
      await s.close();
    }
  });

  void it('uses a configured client id and secret (client_secret_basic) and registers nothing', async () => {
    const s = await setup({ clients: [{ id: 'configured-app', secret: 'sekr3t-value' }] });
    try {
      const m = s.manager({ configuredClient: { clientId: 'configured-app', clientSecret: 'sekr3t-value' } });
      await request(m, s.rs.url);
      await m.signIn();
      assert.equal(s.opened[0]?.searchParams.get('client_id'), 'configured-app');
      assert.equal(s.as.registered.length, 0);
      assert.equal((await request(m, s.rs.url)).status, 200);
      assert.equal(s.secrets.mask('secret=sekr3t-value'), 'secret=••••••', 'the client secret is registered for redaction');
    } finally {
      await s.close();
    }
  });

  void it('uses a Client ID Metadata Document when the server supports it, and the server accepts the document', async () => {
    const docs = await documentServer((origin) => ({ '/oauth/client.json': clientMetadataDocument(`${origin}/oauth/client.json`) }));
    const s = await setup({ cimd: true });
    try {
      const docUrl = `${docs.origin}/oauth/client.json`;
      const m = s.manager({ clientMetadataDocumentUrl: docUrl });
      await request(m, s.rs.url);
      await m.signIn();
      assert.equal(s.opened[0]?.searchParams.get('client_id'), docUrl);
      assert.equal(s.as.registered.length, 0, 'no registration');
      assert.deepEqual(docs.hits, ['/oauth/client.json'], 'the authorization server fetched the document');
      assert.equal((await request(m, s.rs.url)).status, 200);
    } finally {
      await s.close();
      await docs.close();
    }
  });

  void it('the token endpoint verifies PKCE S256: a wrong verifier is refused, the right one accepted', async () => {
    const s = await setup({ clients: [{ id: 'app' }] });
    try {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const redirectUri = 'http://127.0.0.1:9/callback';
      const code = async () => {
        const u = new URL(`${s.as.issuer}/authorize`);
        for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'app', redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', resource: s.rs.url })) u.searchParams.set(k, v);
        const res = await fetch(u, { redirect: 'manual' });
        return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
      };
      const exchange = async (v: string) => {
        const body = new URLSearchParams({ grant_type: 'authorization_code', code: await code(), redirect_uri: redirectUri, code_verifier: v, client_id: 'app', resource: s.rs.url });
        return (await fetch(`${s.as.issuer}/token`, { method: 'POST', body })).status;
      };
      assert.equal(await exchange(randomBytes(32).toString('base64url')), 400);
      assert.deepEqual(s.as.refusals, ['invalid_grant']);
      assert.equal(await exchange(verifier), 200);
    } finally {
      await s.close();
    }
  });

  void it('the consent shows the server URL without a key in its query', async () => {
    const s = await setup();
    try {
      const key = 'sk-' + 'live-9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
      s.consent.answer = false;
      const url = `${s.rs.url}?api_key=${key}`;
      const m = s.manager({ serverUrl: url });
      await request(m, url);
      await assert.rejects(m.signIn(), (e) => isAuthError(e, 'consentRefused'));
      const asked = JSON.stringify(s.consent.asked);
      assert.ok(s.consent.asked.length === 1 && !asked.includes(key), asked);
      assert.ok(asked.includes('api_key='), 'the rest of the URL is shown');
    } finally {
      await s.close();
    }
  });

  void it('refusing consent sends nothing to the authorization server', async () => {
    const s = await setup();
    try {
      s.consent.answer = false;
      const m = s.manager();
      await request(m, s.rs.url);
      await assert.rejects(m.signIn(), (e) => isAuthError(e, 'consentRefused'));
      assert.equal(s.as.requests.length, 0);
      assert.equal(s.opened.length, 0);
      assert.equal(m.state.kind, 'signInNeeded');
      assert.equal(m.state.kind === 'signInNeeded' && m.state.lastError?.code, 'consentRefused');
    } finally {
      await s.close();
    }
  });

  void it('a redirect with a wrong RFC 9207 iss is rejected and no token is requested', async () => {
    const s = await setup({ iss: 'wrong' });
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await assert.rejects(m.signIn(), (e) => isAuthError(e, 'issuerResponseMismatch'));
      assert.equal(s.as.requests.filter((r) => r.path === '/token').length, 0);
      assert.equal(m.state.kind, 'signInNeeded');
    } finally {
      await s.close();
    }
  });

  void it('a redirect with another state is refused even when the receiver does not filter (URI handler style)', async () => {
    const s = await setup();
    try {
      // A receiver like the editor's URI handler: it hands over whatever redirect arrives.
      const browser = {
        prepare: () =>
          Promise.resolve({
            redirectUri: 'http://127.0.0.1:9/callback',
            waitForRedirect: async (url: URL) => {
              const res = await fetch(url, { redirect: 'manual' });
              const back = new URL(res.headers.get('location') ?? '');
              back.searchParams.set('state', 'forged');
              return back;
            },
            dispose: () => undefined,
          }),
      };
      const m = s.manager({ browser });
      await request(m, s.rs.url);
      await assert.rejects(m.signIn(), (e) => isAuthError(e, 'stateMismatch'));
      assert.equal(s.as.requests.filter((r) => r.path === '/token').length, 0);
    } finally {
      await s.close();
    }
  });

  void it('an authorization server that does not advertise S256 is refused before the browser opens', async () => {
    const s = await setup({ pkceMethods: ['plain'] });
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await assert.rejects(m.signIn(), (e) => isAuthError(e, 'pkceUnsupported'));
      assert.equal(s.opened.length, 0);
      assert.equal(s.as.registered.length, 0);
    } finally {
      await s.close();
    }
  });

  void it('sign-out forgets tokens and the registered client (the next sign-in registers again)', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      assert.ok(s.store.map.size >= 3, 'tokens, client and server records stored');
      await m.signOut();
      assert.equal(s.store.map.size, 0);
      assert.equal(m.state.kind, 'signedOut');
      assert.deepEqual(await m.headers(), {});
      assert.ok(s.as.requests.some((r) => r.path === '/revoke'), 'the refresh token was revoked');
      await request(m, s.rs.url);
      await m.signIn();
      assert.equal(s.as.registered.length, 2);
    } finally {
      await s.close();
    }
  });
});
