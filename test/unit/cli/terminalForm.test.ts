/**
 * An elicitation form on a real terminal (a pseudo-terminal from util-linux `script`): server-everything's
 * trigger-elicitation-request asks 13 fields; the CLI asks them one by one with the editor form's checks, keeps
 * defaults on Enter, re-asks a wrong answer, and sends the answers; Ctrl+D cancels. Without a terminal it declines.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { cliSandbox, everything, onTerminal, waitUntil, type CliSandbox, type TerminalRun } from './helpers';

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

/** Answers each prompt of `t` by the first rule whose pattern matches the prompt's title, in turn. */
async function answerPrompts(t: TerminalRun, rules: Array<[RegExp, string[]]>, until: RegExp): Promise<string[]> {
  const asked: string[] = [];
  let seen = 0;
  const queues = rules.map(([re, answers]): [RegExp, string[]] => [re, [...answers]]);
  for (;;) {
    let prompt: string | undefined;
    await waitUntil('the next prompt or the end', () => {
      const rest = t.screen().slice(seen);
      if (until.test(rest)) return true;
      const m = /(?:^|\n)([^\n]*?): $/.exec(rest);
      if (m) prompt = m[1];
      return m !== null;
    }, 30_000);
    if (prompt === undefined) return asked;
    seen = t.screen().length;
    asked.push(prompt);
    const rule = queues.find(([re]) => re.test(prompt!));
    const answer = rule?.[1].shift() ?? '';
    t.child.stdin?.write(`${answer}\r`);
    prompt = undefined;
  }
}

void describe('mcp-host answers an elicitation form on a terminal', { skip: hasScript ? false : 'needs util-linux script (a pseudo-terminal)' }, () => {
  let sb: CliSandbox;
  before(() => {
    sb = cliSandbox();
    sb.write('.vscode/mcp.json', JSON.stringify({ servers: { every: { command: process.execPath, args: [everything(), 'stdio'] } } }));
  });
  after(() => sb.close());

  void it('asks field by field, re-asks a wrong answer, keeps defaults, and the server gets the answers', async () => {
    const t = onTerminal(sb, ['call', 'every', 'trigger-elicitation-request', '--trust-workspace']);
    const asked = await answerPrompts(
      t,
      [
        [/^String \(required\)|^String: $|^String$/, ['', 'Ada Lovelace']],
        [/^Boolean/, ['y']],
        [/^String with email format/, ['not-an-email', 'ada@example.com']],
        [/^Integer/, ['500', '7']],
        [/^Untitled Single Select Enum/, ['2']],
        [/^Untitled Multiple Select Enum/, ['1,3']],
        [/^send this/, ['y']],
      ],
      /Raw result/,
    );
    const code = await t.done;
    const screen = t.screen();
    assert.equal(code, 0, screen);
    assert.match(screen, /server "every" asks for input:\s+Please provide inputs for the following fields:/);
    assert.ok(asked.length >= 14, `every field was asked, then the send question: ${asked.join(' | ')}`);
    assert.match(screen, /Email: ada@example\.com/, 'the email was re-asked after a wrong one and sent');
    assert.match(screen, /Favorite Integer: 7/, '500 is above the maximum 100: re-asked');
    assert.match(screen, /Name: Ada Lovelace/, 'the required name was re-asked after an empty answer');
    assert.match(screen, /Agreed to terms: true/);
    assert.match(screen, /"untitledSingleSelectEnum": "Rachel"/, 'a number picks the listed option');
    assert.match(screen, /"untitledMultipleSelectEnum": \[\s*"Guitar",\s*"Violin"\s*\]/, '"1,3" picks two options');
    assert.match(screen, /"firstLine": "It was a dark and stormy night\."/, 'Enter keeps the default');
  });

  void it('Ctrl+D at a field cancels the form; the server is told "cancel"', async () => {
    const t = onTerminal(sb, ['call', 'every', 'trigger-elicitation-request', '--trust-workspace']);
    await waitUntil('the first field', () => /String[^\n]*: $/.test(t.screen()), 30_000);
    t.child.stdin?.write('\u0004');
    assert.equal(await t.done, 0, t.screen());
    assert.match(t.screen(), /User cancelled the elicitation dialog/);
  });

  void it('without a terminal the form is declined and stderr says why', async () => {
    const r = await sb.run(['call', 'every', 'trigger-elicitation-request', '--trust-workspace']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /User declined to provide the requested information/);
    assert.match(r.stderr, /asked for input \(elicitation\): declined, there is no terminal to ask on/);
  });
});
