/**
 * The MCP server definition provider MCP Host registers with VS Code (when `mcpHost.chat.offerServers` is on): the
 * editor lists the offered definitions (no secrets) at will, and asks `resolveMcpServerDefinition` right before
 * it starts one; only then are the secrets read and handed over, after checking that the server is still offered
 * exactly as listed.
 */
import * as vscode from 'vscode';
import { decideChatOffer, decideChatOffers, type ChatCandidate, type ChatOffer, type ChatOfferDeps } from '../../core/chat/offer';
import { canonicalJson } from '../../core/trust/launch';
import { sanitizeLabel } from '../../core/base/sanitize';
import { toEditorDefinition, type EditorMcpApi, type EditorMcpDefinition, type EditorMcpProvider } from './api';

export interface ChatProviderDeps {
  readonly api: EditorMcpApi;
  /** The registry's servers now. */
  readonly candidates: () => readonly ChatCandidate[];
  readonly offer: ChatOfferDeps;
  readonly log: Pick<vscode.LogOutputChannel, 'info'>;
}

export class ChatServerProvider implements EditorMcpProvider, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions: vscode.Event<void> = this._onDidChange.event;
  /** What the editor was last given, by label (the editor names the server to resolve by its label). */
  private offered = new Map<string, ChatOffer>();
  private lastSummary = '';
  private disposed = false;

  constructor(private readonly deps: ChatProviderDeps) {}

  async provideMcpServerDefinitions(): Promise<EditorMcpDefinition[]> {
    if (this.disposed) {
      this.onRetiredAsk?.();
      this.onRetiredAsk = undefined;
      return [];
    }
    const { offers, skipped } = await decideChatOffers(this.deps.candidates(), this.deps.offer);
    this.offered = new Map(offers.map((o) => [o.offered.label, o]));
    this.logSummary(offers, skipped);
    return offers.map((o) => toEditorDefinition(this.deps.api, o.offered));
  }

  async resolveMcpServerDefinition(server: EditorMcpDefinition): Promise<EditorMcpDefinition | undefined> {
    const listed = this.disposed ? undefined : this.offered.get(server.label);
    const candidate = listed && this.deps.candidates().find((c) => c.definition.id === listed.serverId);
    if (!listed || !candidate) return this.withdraw(server.label, 'it is no longer offered');
    const now = await decideChatOffer(candidate, this.deps.offer);
    if (!now.ok) return this.withdraw(server.label, `it is no longer offered (${now.reason})`);
    // Changed since the editor listed it (a new input value, an edited env file): the editor lists it again first.
    if (canonicalJson(now.offer.offered) !== canonicalJson(listed.offered)) return this.withdraw(server.label, 'it changed since it was listed');
    this.deps.log.info(`Chat: VS Code starts "${server.label}".`);
    return toEditorDefinition(this.deps.api, now.offer.resolved);
  }

  /** The offer may have changed: the editor asks for the definitions again. */
  refresh(): void {
    if (!this.disposed) this._onDidChange.fire();
  }

  private withdraw(label: string, why: string): undefined {
    this.deps.log.info(`Chat: not starting "${label}" for VS Code: ${why}.`);
    this.refresh();
    return undefined;
  }

  private logSummary(offers: readonly ChatOffer[], skipped: ReadonlyMap<string, string>): void {
    const names = offers.map((o) => o.offered.label).join(', ') || 'none';
    const not = [...skipped].map(([id, reason]) => `${sanitizeLabel(this.deps.candidates().find((c) => c.definition.id === id)?.definition.name ?? id, 80)} (${reason})`);
    const summary = `Chat: offering to VS Code: ${names}${not.length ? `; not offered: ${not.join(', ')}` : ''}.`;
    // Logged when it changes: the editor asks often.
    if (summary !== this.lastSummary) this.deps.log.info(summary);
    this.lastSummary = summary;
  }

  /**
   * The setting was turned off: from now on the list is empty; the editor is told and asked again. Resolves once
   * it has asked (or after `timeoutMs`): only then may the registration go, else the editor's answer to the last
   * question (its list, sent after the removal) would bring the servers back.
   */
  retire(timeoutMs = 2000): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.disposed = true;
    this.offered.clear();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.onRetiredAsk = () => {
        clearTimeout(timer);
        // The editor sends its list right after this answer; the removal follows it.
        setTimeout(resolve, 0);
      };
      this._onDidChange.fire();
    });
  }

  private onRetiredAsk: (() => void) | undefined;

  dispose(): void {
    this.disposed = true;
    this.offered.clear();
    this._onDidChange.dispose();
  }
}
