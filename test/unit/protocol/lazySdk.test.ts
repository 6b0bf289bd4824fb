/**
 * The MCP SDK (and zod behind it) loads on the first server start, not with the host: activation stays fast
 * (bench/activation.mjs). A start that cannot load it (a broken installation: dist/vendor.js missing) ends in an
 * error state that says so, instead of a server that stays "starting" forever.
 * Runs in its own process (node --test runs every file separately), so the module cache starts empty.
 */
import * as assert from 'node:assert/strict';
import Module from 'node:module';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerRequestError } from '../../../src/core/protocol/errors';
import { createHarness, repoRoot, type Harness } from '../server/helpers';

const heavy = (): string[] =>
  Object.keys(require.cache).filter(
    (f) =>
      f === path.join(repoRoot(), 'out/src/core/protocol/sdk.js') ||
      /[\\/]node_modules[\\/](@modelcontextprotocol[\\/]sdk|zod|ajv|ajv-formats|ws|eventsource-parser|oauth4webapi)[\\/]/.test(f),
  );

type Resolve = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };

void describe('lazy SDK', () => {
  let h: Harness;
  before(() => {
    h = createHarness();
  });
  after(() => h.close());

  void it('creating the registry and adding a server loads neither the SDK, zod, ajv, ws, eventsource-parser nor oauth4webapi', async () => {
    await h.add(h.scripted('idle'));
    assert.deepEqual(heavy(), []);
  });

  void it('a start that cannot load the SDK ends in an error naming the cause and starts no process', async () => {
    const original = mod._resolveFilename;
    mod._resolveFilename = function (request, parent, ...rest) {
      if (request === './sdk' && parent?.filename?.endsWith(`${path.sep}loadSdk.js`)) {
        throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
      }
      return original.call(this, request, parent, ...rest);
    };
    try {
      const [s] = await h.add(h.scripted('broken-install'));
      await assert.rejects(s!.start(), (e: unknown) => e instanceof ServerRequestError && /MCP client library could not be loaded/.test(e.message));
      assert.equal(s!.state.kind, 'error');
      assert.match(s!.state.kind === 'error' ? s!.state.message : '', /Cannot find module '\.\/sdk'.*reinstalling MCP Host may help/);
      assert.equal(s!.pid, undefined);
      assert.deepEqual(h.alive(), []);
    } finally {
      mod._resolveFilename = original;
    }
  });

  void it('the first start loads the SDK and the server runs', async () => {
    const [s] = await h.add(h.scripted('first'));
    await s!.start();
    assert.equal(s!.state.kind, 'running');
    assert.ok(heavy().some((f) => f.endsWith(`${path.sep}sdk.js`)), 'the SDK wrapper was loaded');
    await s!.stop();
  });
});
