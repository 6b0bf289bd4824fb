/**
 * Composition root: builds the core and the adapters, pushes every disposable into context.subscriptions, and
 * shows a visible error if activation fails. No awaiting servers or reading big files here: activation stays fast.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadConfig } from './core/config';
import { maskingLogger, SecretSet } from './core/auth/secretSet';
import { createHost } from './core/host/createHost';
import type { ServerRegistry } from './core/host/types';
import { removeOlderThan } from './core/base/privateFiles';
import { registerCommands } from './vscode/commands/register';
import { commandTable } from './vscode/commands/table';
import { ConfigController } from './vscode/config/configController';
import { positionAt } from './vscode/config/diagnostics';
import { mementoFrom, QuickInputPrompter, secretStoreFrom } from './vscode/config/storage';
import { contentCommands } from './vscode/commands/content';
import { agentCommands } from './vscode/agent';
import { lazyLoggerFor, loggerFor, OutputLogChannels } from './vscode/logs/channels';
import { samplingAllowedModels, watchHostSettings } from './vscode/settings';
import { QuickInputElicitation } from './vscode/asks/elicitation';
import { LanguageModelSampler } from './vscode/asks/sampling';
import { ServersTreeProvider } from './vscode/tree/serversTree';
import type { TreeNode } from './vscode/tree/nodes';
import { createTrustServices } from './vscode/trust';
import { onDidShowMessage, showMessage, type ShownMessage } from './vscode/messages';
import { editorNetwork } from './vscode/network';
import { createAuthServices, type AuthTestApi } from './vscode/auth/services';
import { registerChatOffer, type ChatTestApi } from './vscode/chat';

/** What activate returns: used by the integration tests. */
export interface McpHostApi {
  readonly registry: ServerRegistry;
  /** Re-read every configuration source and apply it now; resolves when applied. */
  reloadConfig(): Promise<void>;
  readonly tree: vscode.TreeDataProvider<TreeNode>;
  /** Trust test seam (throws outside ExtensionMode.Test). */
  readonly trust: ReturnType<typeof createTrustServices>['testing'];
  /** Every notification, progress and status bar text exactly as handed to VS Code (tests check it is inert). */
  readonly onDidShowMessage: vscode.Event<ShownMessage>;
  /** Where argument documents and result images/audio are written (private: 0700, files 0600). */
  readonly privateDir: string;
  /** Sign-in test seam: the browser step (throws outside ExtensionMode.Test). */
  readonly auth: AuthTestApi;
  /** Chat offer test seam: the provider registered with VS Code (throws outside ExtensionMode.Test). */
  readonly chat: ChatTestApi;
}

/** Images and audio saved from tool results are removed after this long. */
const RESULT_FILES_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

let stopServers: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): McpHostApi {
  const t0 = performance.now();
  const logs = new OutputLogChannels();
  context.subscriptions.push(logs);
  try {
    const phases: string[] = [];
    const api = build(context, logs, (name) => phases.push(`${name} ${(performance.now() - t0).toFixed(1)}`));
    logs.host.info(
      `MCP Host ${String(context.extension.packageJSON.version)} activated in ${(performance.now() - t0).toFixed(1)} ms (cumulative ms: ${phases.join(', ')})`,
    );
    return api;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logs.host.error(`Activation failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
    void showMessage('error', `MCP Host could not start: ${message}. Please report this with the log.`, 'Show Log').then((c) => {
      if (c) logs.host.show(true);
    });
    throw err;
  }
}

function build(context: vscode.ExtensionContext, logs: OutputLogChannels, mark: (phase: string) => void): McpHostApi {
  const subs = context.subscriptions;
  const settings = watchHostSettings();
  subs.push(settings.disposable);

  // The trust services need the registry (Reset Server Trust restarts servers) and the registry needs the gate.
  let registryRef: ServerRegistry | undefined;
  const prompter = new QuickInputPrompter();
  const trust = createTrustServices(context, { registry: () => registryRef, logs, inputs: prompter });
  const { gate, approver } = trust;
  subs.push(...trust.disposables);
  mark('trust');

  // Tokens and client secrets the sign-in holds are masked in every log line (host and servers).
  const oauthSecrets = new SecretSet();
  const auth = createAuthServices(context, { ask: trust.ask, secrets: oauthSecrets });

  // Server processes are recorded so that a host killed without stopping them has them reaped on the next start.
  const processDir = path.join(context.globalStorageUri.fsPath, 'processes');
  const workspaceFolders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath, uri: f.uri.toString() }));
  const secrets = secretStoreFrom(context.secrets);
  const memento = mementoFrom(context.workspaceState);
  const host = createHost({
    clientInfo: { name: 'mcp-host', version: String(context.extension.packageJSON.version) },
    baseEnv: process.env,
    userHome: os.homedir(),
    settings: settings.get,
    workspaceFolders,
    inputs: prompter,
    secrets,
    memento,
    gate,
    serverLogger: (name) => maskingLogger(lazyLoggerFor(() => logs.channel(name)), oauthSecrets),
    hostLogger: maskingLogger(loggerFor(logs.host), oauthSecrets),
    authServices: { ...auth.services, logger: maskingLogger(loggerFor(logs.host), oauthSecrets) },
    processRecordDir: processDir,
    get network() {
      return editorNetwork(); // read per launch: proxy settings may change
    },
    // What servers ask: forms and links through quick input, sampling through vscode.lm.
    asks: { elicitation: new QuickInputElicitation(), sampler: new LanguageModelSampler(), samplingAllowList: samplingAllowedModels },
  });
  const registry = (registryRef = host.registry);
  stopServers = () => host.dispose();
  subs.push({ dispose: () => void stopServers?.() });
  // Reaping orphans of earlier hosts never delays activation: it runs a moment after activate returned.
  const reap = setTimeout(() => void host.reapOrphans(), 1000);
  subs.push({ dispose: () => clearTimeout(reap) });

  mark('registry');

  const config = new ConfigController({ registry, load: loadConfig, log: logs.host });
  subs.push(config);
  const reloadConfig = () => config.reload();

  const tree = new ServersTreeProvider({
    registry,
    approver,
    consent: { of: (def) => gate.consentState(def), onDidChange: (l) => gate.onDidChange(l) },
    log: logs.host,
    locate: (file, offset, length) => {
      const text = config.textOf(file);
      return text === undefined ? undefined : new vscode.Range(positionAt(text, offset), positionAt(text, offset + length));
    },
  });
  const view = vscode.window.createTreeView('mcpHost.servers', { treeDataProvider: tree, showCollapseAll: true });
  subs.push(tree, view, view.onDidExpandElement((e) => tree.onDidExpand(e.element)));

  mark('tree');

  // Files the user opens (typed arguments, result media) live in the extension's own storage, never the
  // shared system temp dir.
  const privateDir = path.join(context.globalStorageUri.fsPath, 'files');
  const content = contentCommands({ context, registry, approver, logs, privateDir });
  subs.push(...content.disposables);
  subs.push(...registerCommands(commandTable({ registry, logs, reloadConfig, auth: host.auth, more: [...content.commands, ...agentCommands({ context, registry, approver, logs, privateDir }), ...trust.commands] }), logs));
  mark('commands');
  // VS Code's own chat gets the approved servers only when mcpHost.chat.offerServers is on (and the engine can).
  const chat = registerChatOffer({ context, registry, gate, log: logs.host, resolve: { userHome: os.homedir(), baseEnv: process.env, workspaceFolders, secrets, memento } });
  subs.push(chat.disposable);
  mark('chat');
  // Unlike a temp dir, the storage is never cleared by the system: result files older than a week go.
  const prune = setTimeout(() => void removeOlderThan(path.join(privateDir, 'results'), RESULT_FILES_MAX_AGE_MS).catch(() => 0), 2000);
  subs.push({ dispose: () => clearTimeout(prune) });

  // The first load runs in the background: activation never waits for files or servers.
  config.reload().catch((err: unknown) => {
    logs.host.error(`Loading the configuration failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void showMessage('error', `MCP Host could not load the server configuration: ${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((c) => {
      if (c) logs.host.show(true);
    });
  });
  return { registry, reloadConfig, tree, trust: trust.testing, onDidShowMessage, privateDir, auth: auth.testing, chat: chat.testing };
}

/** Stops every server and waits for their processes to exit. */
export async function deactivate(): Promise<void> {
  await stopServers?.();
}
