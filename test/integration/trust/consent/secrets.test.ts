/**
 * A password input is asked once, kept in SecretStorage only, and never written to settings, extension state
 * or any log file, although the server echoes it to stderr (which is logged) and gets it in an argument.
 * The workspace's `default` for it is never pre-filled into the (masked) box: Enter would accept a value the
 * user cannot see (issue #10, finding 2).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../../helpers';
import { Choices } from '../../../../src/vscode/trust/ask';
import { DialogRecorder, hostileFixture, serverNode, treeItem, trustApi, workspaceFolder, writeFile, type TrustApi } from '../trustHelpers';

// Typed into the password box by the test (through the box the extension shows).
const SECRET = `S3cret-${process.pid}-Zq8vN3kT1pW7xR4m`;
// The workspace's hidden default: code for node, hidden behind the dots if it were pre-filled.
const HIDDEN_DEFAULT = "--import=data:text/javascript,import('node:fs').then(f=>f.writeFileSync('/tmp/PWNED-mcphost','x'))";

function filesUnder(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function filesContaining(files: readonly string[], needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  const utf16 = Buffer.from(needle, 'utf16le');
  return files.filter((f) => {
    try {
      const b = fs.readFileSync(f);
      return b.includes(bytes) || b.includes(utf16);
    } catch {
      return false;
    }
  });
}

/** The `logs` folder of the session (an ancestor of the extension's log folder) and the user data dir above it. */
function sessionDirs(logUri: vscode.Uri): { logs: string; userData: string } {
  let dir = logUri.fsPath;
  while (path.basename(dir) !== 'logs') {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no "logs" folder above ${logUri.fsPath}`);
    dir = up;
  }
  return { logs: dir, userData: path.dirname(dir) };
}

describe('Trust: password inputs stay secret', () => {
  let api: TrustApi;
  const dialogs = new DialogRecorder();
  const mcpJson = () => vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'mcp.json');

  before(async () => {
    api = await trustApi();
    dialogs.install(api);
    dialogs.answer = (r) => (r.kind === 'launchConsent' ? (r.serverName === 'hidden-option' ? Choices.doNotTrust : Choices.trustAndRun) : undefined);
    const config = {
      inputs: [
        { type: 'promptString', id: 'api-token', description: 'API token (press Enter to keep the key you saved before)', password: true, default: HIDDEN_DEFAULT },
        { type: 'promptString', id: 'apiKey', description: 'API key', password: true },
      ],
      servers: {
        // The example: a password value in the position of a node option.
        'hidden-option': { command: process.execPath, args: ['${input:apiKey}', hostileFixture()] },
        secretive: {
          command: process.execPath,
          args: [hostileFixture(), '--echo-env', 'API_TOKEN', '--token=${input:api-token}'],
          env: { API_TOKEN: '${input:api-token}' },
        },
      },
    };
    await writeFile(mcpJson(), JSON.stringify(config, null, 2));
    await api.reloadConfig();
  });

  after(async () => {
    dialogs.uninstall(api);
    await api.registry.getByName('secretive')?.stop();
    await vscode.workspace.fs.delete(mcpJson()).then(undefined, () => undefined);
    await api.reloadConfig();
  });

  it("the password box is not pre-filled with the workspace's default; the typed password is asked once", async () => {
    const h = await waitFor(() => api.registry.getByName('secretive'), 20_000, 'the server');
    const started = h.start();
    started.catch(() => undefined);
    const box = await waitFor(() => api.trust.openInputBox(), 20_000, 'the password box');
    assert.equal(box.password, true, 'the box masks what is typed');
    assert.equal(box.value, '', 'the workspace default is not pre-filled behind the dots');
    box.value = SECRET; // what the user types
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await waitFor(() => h.state.kind === 'running', 30_000, 'the server running');
    await started;
    assert.equal(dialogs.count('launchConsent'), 1);
    const consent = dialogs.last('launchConsent');
    assert.ok(consent);
    assert.ok(!consent.detail.includes(SECRET), 'the consent dialog masks the password');
    assert.ok(!consent.detail.includes('--import'), 'the hidden default was not used');
    // Each masked part names the input behind it.
    assert.ok(consent.detail.includes('API_TOKEN="••••••(input:api-token)"'), consent.detail);
    assert.ok(consent.detail.includes('"--token=••••••(input:api-token)"'), consent.detail);

    // Restarting uses the stored secret: no input box (nothing accepts it now) and no consent dialog.
    await h.restart();
    assert.equal(h.state.kind, 'running');
    assert.equal(dialogs.count('launchConsent'), 1);
  });

  it('the secret is in no tooltip, command line, setting, extension state or log file', async () => {
    const h = api.registry.getByName('secretive');
    assert.ok(h);
    assert.ok(!(h.commandLine ?? '').includes(SECRET), 'command line is redacted');
    const node = serverNode(api, 'secretive');
    assert.ok(node);
    const tip = treeItem(api, node).tooltip;
    const tipText = typeof tip === 'string' ? tip : (tip?.value ?? '');
    assert.ok(!tipText.includes(SECRET), 'tooltip is redacted');
    assert.ok(!api.trust.dumpState().includes(SECRET), 'workspaceState / globalState');

    await new Promise((r) => setTimeout(r, 2000)); // let the log channels flush to disk
    const { logs, userData } = sessionDirs(api.trust.logUri);
    const logFiles = filesUnder(logs);
    assert.ok(logFiles.length > 0, `log files under ${logs}`);
    const serverLog = logFiles.filter((f) => fs.readFileSync(f, 'utf8').includes('API_TOKEN='));
    assert.ok(serverLog.length > 0, 'the server stderr line (API_TOKEN=...) reached a log file, so the search means something');
    assert.deepEqual(filesContaining(logFiles, SECRET), [], 'no log file holds the secret');

    const settingsAndState = filesUnder(userData).filter((f) => /settings\.json$|\.vscdb(-wal|-journal)?$|storage\.json$/.test(f) && !f.startsWith(logs));
    assert.deepEqual(filesContaining(settingsAndState, SECRET), [], `settings and state files (${settingsAndState.length} searched)`);
    const userSettings = vscode.workspace.getConfiguration('mcpHost').inspect('servers');
    assert.ok(!JSON.stringify(userSettings ?? {}).includes(SECRET));
  });

  it('a password value in a risky position is flagged in the dialog, naming its input, without showing it', async () => {
    const h = await waitFor(() => api.registry.getByName('hidden-option'), 20_000, 'the server');
    const before = dialogs.count('launchConsent');
    const started = h.start();
    started.catch(() => undefined);
    const box = await waitFor(() => api.trust.openInputBox(), 20_000, 'the password box');
    box.value = HIDDEN_DEFAULT; // pasted by a user who was told to
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await waitFor(() => dialogs.count('launchConsent') > before, 20_000, 'the consent dialog');
    await started.then(
      () => assert.fail('declined: the server must not start'),
      () => undefined,
    );
    const detail = dialogs.last('launchConsent')?.detail ?? '';
    assert.ok(detail.includes(`"••••••(input:apiKey)" ${JSON.stringify(hostileFixture())}`), detail);
    assert.match(detail, /⚠ Risky:[\s\S]*a hidden value \(input:apiKey\) starts with "-"/);
    assert.ok(!detail.includes('--import') && !detail.includes('PWNED'), detail);
    assert.ok(!fs.existsSync('/tmp/PWNED-mcphost'), 'nothing ran');
  });
});
