/**
 * Proxies and URLs shown: HTTP_PROXY/HTTPS_PROXY/NO_PROXY and an explicit proxy (http.proxy) decide the route,
 * checked against a real forwarding proxy; URLs are shown without credentials or password values.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { bypassesProxy, proxyFor, redactUrl } from '../../../../src/core/transport/http/network';
import { createTransport } from '../../../../src/core/transport/launch';
import type { JsonRpcMessage } from '../../../../src/core/transport/types';
import { recordingLogger } from '../../server/helpers';
import { startHostileHttp, type HostileHttp } from '../../../support/remoteFixtures';
import { repoRoot } from '../../../support/repoRoot';

void test('NO_PROXY entries: *, host names, .suffix, host:port', () => {
  const u = new URL('https://api.example.com:8443/mcp');
  assert.equal(bypassesProxy(u, '*'), true);
  assert.equal(bypassesProxy(u, 'example.com'), true);
  assert.equal(bypassesProxy(u, '.example.com'), true);
  assert.equal(bypassesProxy(u, 'other.com, api.example.com:8443'), true);
  assert.equal(bypassesProxy(u, 'api.example.com:443'), false);
  assert.equal(bypassesProxy(u, 'ample.com'), false);
  assert.equal(bypassesProxy(u, undefined), false);
});

void test('the proxy for a URL: the explicit one, else HTTPS_PROXY (https) or HTTP_PROXY; NO_PROXY wins', () => {
  const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:3128', NO_PROXY: 'localhost' };
  assert.equal(proxyFor(new URL('https://h/mcp'), { env }), 'http://secure:3128');
  assert.equal(proxyFor(new URL('http://h/mcp'), { env }), 'http://plain:3128');
  assert.equal(proxyFor(new URL('http://localhost/mcp'), { env }), undefined);
  assert.equal(proxyFor(new URL('http://h/mcp'), { env, proxy: 'http://editor:8080' }), 'http://editor:8080');
  assert.equal(proxyFor(new URL('http://h/mcp'), { env: { http_proxy: 'http://lower:1' } }), 'http://lower:1');
  assert.equal(proxyFor(new URL('http://h/mcp'), {}), undefined);
});

void test('URLs are shown with the password of user:password@ and password values masked', () => {
  assert.equal(redactUrl('https://me:hunter2@h/mcp?token=abcd1234', ['abcd1234']), 'https://me:••••••@h/mcp?token=••••••');
  assert.equal(redactUrl('https://h/mcp', []), 'https://h/mcp');
});

void test('undici, which the proxy support outside VS Code (the mcp-host CLI) loads at run time, is a declared dependency at the installed version', () => {
  // network.ts requires it by a computed name (not bundled): an installed CLI finds it only when package.json declares it.
  const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(repoRoot(), p), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  assert.equal(readJson('package.json').dependencies?.['undici'], readJson('node_modules/undici/package.json').version);
});

void describe('remote: requests go through the proxy that applies', () => {
  let web: HostileHttp;
  let proxy: http.Server;
  let proxyUrl: string;
  const proxied: string[] = [];
  before(async () => {
    web = await startHostileHttp();
    // A forwarding proxy: CONNECT tunnels and absolute-form requests, each recorded.
    proxy = http.createServer((req, res) => {
      proxied.push(`${req.method} ${req.url}`);
      const up = http.request(req.url!, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode!, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    });
    proxy.on('connect', (req, socket: net.Socket, head) => {
      proxied.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? '').split(':');
      const up = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(socket).pipe(up);
      });
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
    await web.close();
  });

  async function initializeThrough(env: NodeJS.ProcessEnv): Promise<JsonRpcMessage> {
    const t = createTransport({ kind: 'http', url: `${web.origin}/ok/mcp`, headers: {}, secrets: [], maxMessageBytes: 1 << 20, logger: recordingLogger(), network: { env } });
    const answer = new Promise<JsonRpcMessage>((resolve) => (t.onmessage = resolve));
    await t.start();
    await t.send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const m = await answer;
    await t.close();
    return m;
  }

  void it('HTTP_PROXY routes the POST through the proxy; NO_PROXY bypasses it', async () => {
    const m = await initializeThrough({ HTTP_PROXY: proxyUrl });
    assert.equal((m.result as { serverInfo: { name: string } }).serverInfo.name, 'hostile-http');
    assert.ok(proxied.some((p) => p.includes(`127.0.0.1:${web.port}`)), `proxied: ${proxied.join(', ')}`);
    const count = proxied.length;
    await initializeThrough({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
    assert.equal(proxied.length, count, 'NO_PROXY: not through the proxy');
  });
});

void describe('remote: the sign-in seam (RemoteAuth: headers before each request, the hook on a 401)', () => {
  let web: HostileHttp;
  before(async () => (web = await startHostileHttp()));
  after(() => web.close());

  type Hook = (c: { status: number; wwwAuthenticate: string | undefined; sentAuthorization: string | undefined }) => Promise<Record<string, string> | undefined>;
  const initialize = async (authorize?: Hook, headers: () => Promise<Record<string, string>> = () => Promise.resolve({}), refusal?: 'signInNeeded' | 'stepUp', configured: Record<string, string> = {}) => {
    const auth = authorize ? { auth: { headers, authorize, refusal: () => refusal } } : {};
    const t = createTransport({ kind: 'http', url: `${web.origin}/auth/mcp`, headers: configured, secrets: [], maxMessageBytes: 1 << 20, logger: recordingLogger(), fallbackToSse: false, ...auth });
    const answer = new Promise<JsonRpcMessage>((resolve) => (t.onmessage = resolve));
    await t.start();
    try {
      await t.send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
      return await answer;
    } finally {
      await t.close();
    }
  };

  void it('a 401 asks the hook with the challenge and what was sent, and retries once with the headers it gives', async () => {
    const challenges: (string | undefined)[] = [];
    const sent: (string | undefined)[] = [];
    const m = await initialize(
      (c) => {
        challenges.push(c.wwwAuthenticate);
        sent.push(c.sentAuthorization);
        return Promise.resolve({ Authorization: 'Bearer granted' });
      },
      () => Promise.resolve({ authorization: 'Bearer stale' }),
    );
    assert.equal((m.result as { serverInfo: { name: string } }).serverInfo.name, 'hostile-http');
    assert.deepEqual(challenges, ['Bearer resource_metadata="http://127.0.0.1/prm", scope="mcp"']);
    assert.deepEqual(sent, ['Bearer stale']);
  });

  void it('the headers given before the request are sent, one Authorization header even if "headers" has one too', async () => {
    const m = await initialize(() => Promise.resolve(undefined), () => Promise.resolve({ authorization: 'Bearer granted' }), undefined, { Authorization: 'Bearer configured' });
    assert.equal((m.result as { serverInfo: { name: string } }).serverInfo.name, 'hostile-http');
  });

  void it('without sign-in, or when it gives nothing, the 401 is the coded "needs authorisation" error; a refusal says to sign in', async () => {
    for (const hook of [undefined, () => Promise.resolve(undefined)]) {
      await assert.rejects(initialize(hook), (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'unauthorized');
        assert.match((e as Error).message, /this server needs authorisation/);
        return true;
      });
    }
    await assert.rejects(initialize(() => Promise.resolve(undefined), undefined, 'signInNeeded'), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'unauthorized');
      assert.equal((e as { authRefusal?: string }).authRefusal, 'signInNeeded');
      assert.match((e as Error).message, /sign in to it/);
      return true;
    });
  });
});
