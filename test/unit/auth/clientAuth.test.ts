/**
 * Client authentication details that real authorization servers disagree on: how client_secret_basic encodes the
 * credentials, and a registration answer that leaves out `client_secret_expires_at` (the MCP conformance suite's
 * mock authorization server does both).
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { clientAuth, resolveClient } from '../../../src/core/auth/client';
import { oauthLib, type AuthorizationServer } from '../../../src/core/auth/lib';
import { MemoryStore } from './helpers';

void describe('auth client: interoperable client authentication', () => {
  void it('client_secret_basic keeps unreserved characters of the id as they are (servers that do not decode)', async () => {
    const lib = await oauthLib();
    const auth = clientAuth(lib, { source: 'configured', client: { client_id: 'pre-registered-client' }, clientSecret: 'pre-registered-secret', authMethod: 'client_secret_basic' });
    const headers = new Headers();
    await auth({ issuer: 'https://as.example' }, { client_id: 'pre-registered-client' }, new URLSearchParams(), headers);
    const basic = /^Basic (.+)$/.exec(headers.get('authorization') ?? '')?.[1] ?? '';
    assert.equal(Buffer.from(basic, 'base64').toString('utf8'), 'pre-registered-client:pre-registered-secret');
  });

  void it('client_secret_basic still percent-encodes what must be (":" and spaces), never as "+"', async () => {
    const lib = await oauthLib();
    const auth = clientAuth(lib, { source: 'configured', client: { client_id: 'a:b c' }, clientSecret: 's+t', authMethod: 'client_secret_basic' });
    const headers = new Headers();
    await auth({ issuer: 'https://as.example' }, { client_id: 'a:b c' }, new URLSearchParams(), headers);
    const basic = /^Basic (.+)$/.exec(headers.get('authorization') ?? '')?.[1] ?? '';
    assert.equal(Buffer.from(basic, 'base64').toString('utf8'), 'a%3Ab%20c:s%2Bt');
  });

  void it('a registration with a client_secret but no client_secret_expires_at is accepted (the secret never expires)', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: 'dcr-client', client_secret: 'dcr-secret', client_name: 'MCP Host' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const as = { issuer: origin, authorization_endpoint: `${origin}/authorize`, token_endpoint: `${origin}/token`, registration_endpoint: `${origin}/register` } as AuthorizationServer;
      const id = await resolveClient(as, 'http://127.0.0.1:1/callback', { serverUrl: 'http://127.0.0.1:2/mcp', store: new MemoryStore(), fetch: (u, i) => fetch(u, i) });
      assert.equal(id.source, 'registration');
      assert.equal(id.client.client_id, 'dcr-client');
      assert.equal(id.clientSecret, 'dcr-secret');
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});
