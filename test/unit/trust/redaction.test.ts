/**
 * Password-sourced values are masked as whole units on every surface, whatever their length and quoting, and a
 * secret that contains another never leaks its remainder (issue #10, finding 8). One mechanism (`redact`) serves
 * the server log, the tree's command line, the stderr tail, error messages and the orphan record; the consent
 * dialog masks through the same engine before quoting.
 */
import * as assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import type { ServerDefinition } from '../../../src/core/config/types';
import { commandLineOf } from '../../../src/core/server/tuning';
import { ServerRequestError } from '../../../src/core/protocol/errors';
import { formatCommandLine, MASK, summarizeLaunch } from '../../../src/core/trust/launch';
import { redact } from '../../../src/core/base/logger';
import { createHarness } from '../server/helpers';

const QUOTED = 'pa"ss\\word-9';
const SHORT = 'q7';

void describe('redact: the one mechanism', () => {
  void it('masks a password containing a quote or a backslash in its quoted (JSON-escaped) form too', () => {
    const line = commandLineOf({ command: 'node', args: ['server.js', `--token=${QUOTED}`, QUOTED] });
    assert.ok(line.includes('\\"'), `the line quotes the value: ${line}`);
    const out = redact(line, [QUOTED]);
    assert.ok(!out.includes('ss\\\\word'), out);
    assert.ok(!out.includes('pa\\"'), out);
    assert.equal(out, `node server.js "--token=${MASK}" "${MASK}"`);
    // JSON-RPC traffic carries strings JSON-escaped as well, and Python escapes non-ASCII as \uXXXX.
    assert.equal(redact(JSON.stringify({ token: QUOTED }), [QUOTED]), `{"token":"${MASK}"}`);
    assert.equal(redact('{"t":"p\\u00e4ss-word"}', ['päss-word']), `{"t":"${MASK}"}`);
  });

  void it('masks short passwords (1-3 characters) as whole units wherever they stand alone', () => {
    for (const s of ['x', 'ab', 'q7!']) {
      assert.equal(redact(`--token=${s}`, [s]), `--token=${MASK}`, s);
      assert.equal(redact(`node "${s}" server.js`, [s]), `node "${MASK}" server.js`, s);
      assert.equal(redact(s, [s]), MASK, s);
      assert.equal(redact(`token ${s} rejected`, [s]), `token ${MASK} rejected`, s);
    }
    // Inside a longer word it is not the password standing there (and masking every `x` of a log would both
    // garble it and reveal the password by its absence).
    assert.equal(redact('exit code 1', ['x']), 'exit code 1');
    assert.equal(redact('the file ab.txt', ['ab']), `the file ${MASK}.txt`);
  });

  void it('a secret containing another is masked whole, in any order', () => {
    const outer = 'outer-SECRET-inner-tail';
    const inner = 'SECRET-inner';
    for (const order of [
      [inner, outer],
      [outer, inner],
    ]) {
      const out = redact(`a=${outer} b=${inner} c=x${outer}y`, order);
      assert.equal(out, `a=${MASK} b=${MASK} c=x${MASK}y`, order.join(','));
    }
    // Overlapping secrets: the union is masked.
    assert.equal(redact('abcdefgh', ['abcdef', 'defgh']), MASK);
  });
});

void test('the consent summary masks short, quoted and nested passwords whole', () => {
  const outer = 'outer-SECRET-inner-tail';
  const s = summarizeLaunch({
    command: 'node',
    args: ['server.js', SHORT, `--k=${SHORT}`, `--q=${QUOTED}`, `x${outer}`],
    cwd: '/ws',
    env: { A: outer, B: 'SECRET-inner' },
    secrets: ['SECRET-inner', SHORT, QUOTED, outer],
  });
  const shown = formatCommandLine(s.command, s.args) + JSON.stringify(s.env);
  for (const leak of [SHORT, 'pa\\"ss', 'outer-', '-tail']) assert.ok(!shown.includes(leak), `${leak} in ${shown}`);
});

void test('every surface of a real server masks short, quoted and nested passwords', async () => {
  const answers: Record<string, string> = { short: SHORT, quoted: QUOTED, outer: 'outer-SECRET-inner-tail', inner: 'SECRET-inner' };
  const orphanRecords: string[] = [];
  const h = createHarness({
    inputs: { prompt: (input) => Promise.resolve(answers[input.id]) },
    tuning: { processRecorder: { spawned: (_pid, commandLine) => orphanRecords.push(commandLine), exited: () => undefined } },
  });
  const leaks = (text: string): string[] => [SHORT, 'pa"ss', 'ss\\word', 'pa\\"ss', 'outer-', '-tail', 'SECRET'].filter((x) => text.includes(x));
  try {
    const base = h.scripted('leaky');
    const def: ServerDefinition = {
      ...base,
      inputs: Object.keys(answers).map((id) => ({ type: 'promptString' as const, id, password: true })),
      entry: {
        ...base.entry,
        args: [
          '-e',
          'console.error("args:", JSON.stringify(process.argv.slice(1))); console.error("short", process.argv[1]); process.exit(4)',
          '${input:short}',
          '--q=${input:quoted}',
          '${input:outer}',
          '${input:inner}',
        ],
      },
    };
    const [s] = await h.add(def);
    const err = await s!.start().then(
      () => assert.fail('the server exits'),
      (e: unknown) => e as ServerRequestError,
    );
    assert.ok(err instanceof ServerRequestError);
    const log = h.serverLog('leaky').text();
    assert.ok(log.includes('args:'), `stderr was logged: ${log}`);
    assert.deepEqual(leaks(s!.commandLine ?? ''), [], `tooltip command line: ${s!.commandLine}`);
    assert.deepEqual(leaks(log), [], `server log: ${log}`);
    assert.deepEqual(leaks(JSON.stringify(s!.state)), [], `state (error + stderr tail): ${JSON.stringify(s!.state)}`);
    assert.deepEqual(leaks(`${err.message}\n${err.stderrTail ?? ''}`), [], 'thrown error');
    assert.ok(orphanRecords.length > 0, 'the process was recorded');
    assert.deepEqual(leaks(orphanRecords.join('\n')), [], `orphan record: ${orphanRecords.join('\n')}`);
  } finally {
    await h.close();
  }
});
