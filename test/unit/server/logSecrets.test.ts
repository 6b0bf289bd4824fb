/**
 * Credentials written literally into a server's launch (a connection URL's password in an argument, a variable
 * named like a credential, the value of a --password flag) never reach the server log or the command line shown,
 * as password-input values do not: the reference Postgres server takes `postgresql://user:password@host/db`.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, scriptedServer, type Harness } from './helpers';

const SECRETS = ['s3cret-db-pw', 'hunter2-flag', 'env-only-pw', 'next-arg-key'];

void describe('literal credentials in a launch', () => {
  let h: Harness;
  before(() => (h = createHarness()));
  after(() => h.close());

  void it('are masked in every server log line and in the command line', async () => {
    const d = h.def('pg', [scriptedServer(), 'normal', 'postgresql://admin:s3cret-db-pw@db.example/app', '--password=hunter2-flag', '--api-key', 'next-arg-key'], {
      env: { DB_PASSWORD: 'env-only-pw' },
    });
    const [s] = await h.add(d);
    await s!.start();
    await s!.stop();
    const logged = h.serverLog('pg').lines.map((l) => l.message).join('\n');
    assert.match(logged, /db\.example\/app/, 'the command line was logged');
    for (const secret of SECRETS) {
      assert.ok(!logged.includes(secret), `${secret} in the log:\n${logged.slice(0, 1500)}`);
      assert.ok(!(s!.commandLine ?? '').includes(secret), `${secret} in the command line: ${s!.commandLine}`);
    }
  });
});
