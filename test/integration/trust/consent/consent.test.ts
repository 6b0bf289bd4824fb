/**
 * Consent per workspace server, in a trusted workspace (workspace trust disabled: every folder is trusted, but
 * servers the workspace defines still need the user's approval of their exact launch). The modal is answered
 * through the trust test seam; everything else is real: config files, the registry, spawned processes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../../helpers';
import { Choices } from '../../../../src/vscode/trust/ask';
import { DialogRecorder, hostileFixture, processesWith, treeItem, trustApi, workspaceFolder, writeFile, type TrustApi } from '../trustHelpers';

const MARKER = 'mcp-host-consent-marker';
const LONG = `--long=${'L'.repeat(3000)}`;

describe('Trust: consent to run a workspace server', () => {
  let api: TrustApi;
  const dialogs = new DialogRecorder();
  const mcpJson = () => vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'mcp.json');
  const writeServer = async (extraArgs: string[] = []) => {
    const config = {
      servers: {
        consent: {
          type: 'stdio',
          command: process.execPath,
          args: [hostileFixture(), '--marker', MARKER, LONG, ...extraArgs],
          env: { NODE_OPTIONS: '--max-old-space-size=512', MODE: 'consent-test' },
          cwd: '${workspaceFolder}',
        },
      },
    };
    await writeFile(mcpJson(), `// written by the consent suite\n${JSON.stringify(config, null, 2)}\n`);
    await api.reloadConfig();
  };
  const handle = () => api.registry.getByName('consent');

  before(async () => {
    api = await trustApi();
    dialogs.install(api);
    await api.trust.resetAll();
  });

  after(async () => {
    dialogs.uninstall(api);
    await handle()?.stop();
    await vscode.workspace.fs.delete(mcpJson()).then(undefined, () => undefined);
    await api.reloadConfig();
  });

  it('the workspace is trusted, yet its server does not run until the user approves it', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    await writeServer();
    const h = await waitFor(handle, 20_000, 'the consent server');
    assert.equal(api.trust.gate.blockedReason(h.definition), undefined, 'not blocked: it asks on start');
    assert.equal(treeItem(api, { kind: 'server', serverId: h.id }).description, 'needs trust', 'the tree says so before any start');
    dialogs.answer = () => undefined; // the user closes the dialog
    await assert.rejects(h.start());
    assert.equal(dialogs.count('launchConsent'), 1);
    assert.deepEqual(h.state, { kind: 'stopped', reason: 'needsConsent' });
    assert.deepEqual(processesWith(MARKER), [], 'nothing ran');
  });

  it('the consent dialog shows the full command line, cwd, env and the risks', () => {
    const asked = dialogs.last('launchConsent');
    assert.ok(asked);
    assert.match(asked.message, /Run the MCP server "consent" defined by this workspace\?/);
    assert.deepEqual(asked.choices, [Choices.trustAndRun, Choices.doNotTrust]);
    const d = asked.detail;
    assert.ok(d.includes(`"${process.execPath}" "${hostileFixture()}" "--marker" "${MARKER}" "${LONG}"`), 'the full, untruncated command line, every part quoted');
    assert.ok(d.includes(`Working directory: "${workspaceFolder().uri.fsPath}"`), d.slice(0, 500));
    assert.ok(d.includes('MODE="consent-test"'));
    assert.ok(d.includes('NODE_OPTIONS="--max-old-space-size=512"'));
    assert.match(d, /⚠ Risky:\n {2}• env NODE_OPTIONS can make Node\.js load any module/);
  });

  it('"Trust and Run" runs it, and later starts of the same launch do not ask', async () => {
    const h = handle();
    assert.ok(h);
    dialogs.answer = () => Choices.trustAndRun;
    await h.start();
    assert.equal(h.state.kind, 'running');
    assert.match(String(treeItem(api, { kind: 'server', serverId: h.id }).description), /^running/);
    assert.equal(dialogs.count('launchConsent'), 2);
    assert.ok(processesWith(MARKER).some((p) => p.pid === h.pid), 'the approved server process runs');
    await h.restart();
    assert.equal(h.state.kind, 'running');
    assert.equal(dialogs.count('launchConsent'), 2, 'not asked again for the same launch');
    assert.equal(api.trust.gate.consentState(h.definition), 'approved');
  });

  it('a changed config asks again and shows what changed', async () => {
    dialogs.answer = () => Choices.trustAndRun;
    await writeServer(['--extra']);
    // The registry restarts a running server whose definition changed: that start asks.
    await waitFor(() => dialogs.count('launchConsent') === 3, 20_000, 'the consent dialog for the changed launch');
    const asked = dialogs.last('launchConsent');
    assert.ok(asked);
    assert.match(asked.message, /changed since you approved it/);
    assert.match(asked.detail, /Changed since you approved it:\n {2}• arguments added: "--extra"/);
    await waitFor(() => handle()?.state.kind === 'running', 20_000, 'the server running again');
  });

  it('"Do Not Trust" is remembered: no process, no second question, until Reset Server Trust', async () => {
    dialogs.answer = () => Choices.doNotTrust;
    await writeServer(['--extra', '--another']);
    await waitFor(() => dialogs.count('launchConsent') === 4, 20_000, 'the consent dialog');
    const h = await waitFor(() => (handle()?.state.kind === 'stopped' ? handle() : undefined), 20_000, 'the server stopped');
    assert.deepEqual(h.state, { kind: 'stopped', reason: 'denied' });
    await waitFor(() => processesWith(MARKER).length === 0, 15_000, 'no server process');

    await assert.rejects(h.start());
    await api.reloadConfig();
    await assert.rejects(h.start());
    assert.equal(dialogs.count('launchConsent'), 4, 'not asked again');
    assert.equal(api.trust.gate.blockedReason(h.definition), 'denied');
    assert.deepEqual(processesWith(MARKER), []);

    await vscode.commands.executeCommand('mcpHost.resetServerTrust', 'all');
    assert.equal(api.trust.gate.blockedReason(h.definition), undefined);
    dialogs.answer = () => undefined;
    await assert.rejects(h.start());
    assert.equal(dialogs.count('launchConsent'), 5, 'asked again after the reset');
  });

  it('editing the env file asks again, naming the new variables and their risks', async () => {
    const envUri = vscode.Uri.joinPath(workspaceFolder().uri, '.env');
    await writeFile(envUri, 'MODE=one\n');
    const config = { servers: { consent: { command: process.execPath, args: [hostileFixture(), '--marker', MARKER], envFile: '${workspaceFolder}/.env' } } };
    await writeFile(mcpJson(), JSON.stringify(config));
    await api.reloadConfig();
    const h = await waitFor(() => (handle()?.definition.entry.envFile ? handle() : undefined), 20_000, 'the env-file server');
    await waitFor(() => (h.state.kind === 'stopped' || h.state.kind === 'error' ? true : undefined), 20_000, 'the server idle');
    dialogs.answer = () => Choices.trustAndRun;
    const before = dialogs.count('launchConsent');
    await h.start();
    assert.equal(dialogs.count('launchConsent'), before + 1);
    assert.match(dialogs.last('launchConsent')?.detail ?? '', /Env file: ".*\.env" — sets MODE \(values not shown\)/);
    await h.stop();

    await writeFile(envUri, 'MODE=two\nNODE_OPTIONS=--max-old-space-size=300\n');
    await h.start();
    assert.equal(dialogs.count('launchConsent'), before + 2, 'asked again after the env file changed');
    const d = dialogs.last('launchConsent')?.detail ?? '';
    assert.match(d, /env file sets new variables: NODE_OPTIONS/);
    assert.match(d, /env file changed the values of: MODE/);
    // A risky variable's value is shown (it is what runs); other values of the file are not.
    assert.match(d, /• env file sets NODE_OPTIONS, which can make Node\.js load any module.*: "--max-old-space-size=300"/);
    assert.ok(!d.includes('"two"'), 'other env file values are not shown');
    await h.stop();
    await vscode.workspace.fs.delete(envUri);
  });

  it('a line added to the env file while the dialog is open does not reach the process (issue #10 finding 4)', async () => {
    const envUri = vscode.Uri.joinPath(workspaceFolder().uri, '.env');
    await writeFile(envUri, 'SHOWN=yes\n');
    const config = { servers: { consent: { command: process.execPath, args: [hostileFixture(), '--marker', MARKER, '--snapshot'], envFile: '${workspaceFolder}/.env' } } };
    await writeFile(mcpJson(), JSON.stringify(config));
    await api.reloadConfig();
    const h = await waitFor(() => (handle()?.definition.entry.args.includes('--snapshot') ? handle() : undefined), 20_000, 'the snapshot server');
    await waitFor(() => (h.state.kind === 'stopped' || h.state.kind === 'error' ? true : undefined), 20_000, 'the server idle');
    dialogs.answer = () => {
      // While the modal is open, the workspace appends a line the user never sees.
      fs.appendFileSync(envUri.fsPath, 'ADDED_UNSEEN=yes\n');
      return Choices.trustAndRun;
    };
    await h.start();
    try {
      assert.match(dialogs.last('launchConsent')?.detail ?? '', /Env file: ".*\.env" — sets SHOWN \(values not shown\)/);
      const environ = fs.readFileSync(`/proc/${h.pid ?? 0}/environ`, 'latin1').split('\0');
      assert.ok(environ.includes('SHOWN=yes'), 'the approved variable is there');
      assert.ok(!environ.some((e) => e.startsWith('ADDED_UNSEEN=')), 'the unseen line did not reach the process');
    } finally {
      await h.stop();
      await vscode.workspace.fs.delete(envUri);
    }
  });

  it('inline code for an interpreter is flagged in the dialog', async () => {
    const config = {
      servers: { consent: { command: 'bash', args: ['-lc', `node ${path.basename(hostileFixture())}`], env: { LD_PRELOAD: '/tmp/x.so' } } },
    };
    await writeFile(mcpJson(), JSON.stringify(config));
    await api.reloadConfig();
    const h = await waitFor(() => (handle()?.definition.entry.command === 'bash' ? handle() : undefined), 20_000, 'the bash server');
    dialogs.answer = () => undefined;
    await assert.rejects(h.start());
    const asked = dialogs.last('launchConsent');
    assert.ok(asked);
    assert.match(asked.detail, /• bash -lc runs inline shell code: "node hostile-descriptions\.mjs"/);
    assert.match(asked.detail, /• env LD_PRELOAD loads a shared library/);
    assert.match(asked.detail, /a heuristic/);
  });

  it("the dialog shows the program the server's own PATH picks from the workspace, NODE_OPTIONS unmasked, and a look-alike name", async () => {
    const bin = vscode.Uri.joinPath(workspaceFolder().uri, 'bin');
    const fake = path.join(bin.fsPath, 'node');
    fs.mkdirSync(bin.fsPath, { recursive: true });
    fs.writeFileSync(fake, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const name = 'git\u0456hub'; // Cyrillic і
    const token = 'ghp_0000FAKE0000TOKEN0000FOR0000TESTS00';
    const config = {
      servers: {
        [name]: {
          command: 'node',
          args: ['server.js', MARKER],
          env: { PATH: `${bin.fsPath}:${process.env.PATH ?? ''}`, NODE_OPTIONS: `--require ./hook.js --title=${token}` },
        },
      },
    };
    try {
      await writeFile(mcpJson(), JSON.stringify(config));
      await api.reloadConfig();
      const h = await waitFor(() => api.registry.getByName(name), 20_000, 'the look-alike server');
      const row = treeItem(api, { kind: 'server', serverId: h.id });
      assert.match(String(row.description), /^⚠ look-alike name · /);
      const tip = row.tooltip;
      assert.match(typeof tip === 'string' ? tip : (tip?.value ?? ''), /mixes Latin and Cyrillic letters/);
      dialogs.answer = () => undefined;
      await assert.rejects(h.start());
      const d = dialogs.last('launchConsent')?.detail ?? '';
      assert.ok(d.includes(`Program: ${JSON.stringify(fake)} (what "node" finds on the PATH this server runs with; with your PATH it would be `), d);
      assert.ok(d.includes(`• "node" runs ${JSON.stringify(fake)}, a program inside the workspace (found through the PATH this server sets)`), d);
      assert.ok(d.includes(`NODE_OPTIONS="--require ./hook.js --title=${token}"`), 'NODE_OPTIONS is never masked');
      assert.match(d, /• the name mixes Latin and Cyrillic letters \(look-alike characters\?\): U\+0456/);
      assert.match(d, /heuristic/);
      assert.deepEqual(processesWith(MARKER), [], 'nothing ran');
    } finally {
      fs.rmSync(bin.fsPath, { recursive: true, force: true });
    }
  });
});
