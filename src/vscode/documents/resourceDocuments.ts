/**
 * MCP resources as read-only documents under `mcp-host-resource://<server>/<original uri>/<name>`. The last read contents
 * of each document are cached so Save As / Insert use exactly what the user sees, and a document that VS Code
 * asks for again (reopened tab, window reload) is read again, bounded like every request.
 *
 * Live: while a document is open its resource is subscribed (when the server supports it); on
 * `notifications/resources/updated` it is read again and the document updates in place. Closing it unsubscribes.
 * Insert Resource at Cursor stays a one-time copy (it never holds a subscription).
 */
import * as vscode from 'vscode';
import type { ReadResourceResult } from '../../core/protocol/sdk';
import type { FeatureDeps } from '../contracts';
import { boundedOptions } from '../commands/content/requests';
import { safeDocument } from '../../core/trust/safeDocument';
import { sanitizeText } from '../../core/base/sanitize';
import { parseResourceDocumentUri, RESOURCE_SCHEME, resourceDocumentUri } from './resourceUri';
import { resourceDocument } from './render';

interface CachedRead {
  readonly serverId: string;
  readonly resourceUri: string;
  readonly result: ReadResourceResult;
}

export class ResourceDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly cache = new Map<string, CachedRead>();
  private readonly _onDidChange = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this._onDidChange.event;
  private readonly subs: vscode.Disposable[] = [];
  /** Open documents' subscriptions (document URI -> the server's subscription and update listener). */
  private readonly live = new Map<string, { dispose(): void }>();

  constructor(private readonly deps: FeatureDeps) {
    this.subs.push(
      vscode.workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, this),
      this._onDidChange,
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== RESOURCE_SCHEME) return;
        const key = doc.uri.toString();
        this.cache.delete(key);
        this.live.get(key)?.dispose();
        this.live.delete(key);
      }),
    );
  }

  /** Subscribes the document's resource while it is open; an update re-reads it and refreshes the document. */
  private keepLive(uri: vscode.Uri, serverId: string, resourceUri: string): void {
    const key = uri.toString();
    if (this.live.has(key)) return;
    const server = this.deps.registry.get(serverId);
    if (!server) return;
    const subscription = server.subscribeResource(resourceUri);
    const listener = server.onDidUpdateResource((updated) => {
      if (updated !== resourceUri || !this.live.has(key)) return;
      const req = boundedOptions(server, undefined);
      server.readResource(resourceUri, req.options).then(
        (result) => {
          if (!this.live.has(key)) return;
          this.cache.set(key, { serverId, resourceUri, result });
          this._onDidChange.fire(uri);
        },
        (err: unknown) => this.deps.logs.channel(server.name).warn(`Re-reading the updated resource failed: ${err instanceof Error ? err.message : String(err)}`),
      ).finally(() => req.dispose());
    });
    this.live.set(key, {
      dispose: () => {
        listener.dispose();
        subscription.dispose();
      },
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const cached = this.cache.get(uri.toString());
    if (cached) return resourceDocument(cached.result, cached.resourceUri).text;
    const parsed = parseResourceDocumentUri(uri);
    if (!parsed) return shownError(`Not an MCP resource address: ${uri.toString()}`);
    const server = this.deps.registry.get(parsed.serverId);
    if (!server) return shownError(`The MCP server "${parsed.serverId}" is no longer configured.`);
    const req = boundedOptions(server, token);
    try {
      const result = await server.readResource(parsed.resourceUri, req.options);
      this.cache.set(uri.toString(), { ...parsed, result });
      this.keepLive(uri, parsed.serverId, parsed.resourceUri);
      return resourceDocument(result, parsed.resourceUri).text;
    } catch (err) {
      return shownError(`Could not read ${parsed.resourceUri} from "${server.name}": ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      req.dispose();
    }
  }

  /** Shows contents that were just read as a read-only document with the language of their MIME type. */
  async open(
    serverId: string,
    resourceUri: string,
    result: ReadResourceResult,
    options: vscode.TextDocumentShowOptions = { preview: false },
  ): Promise<vscode.TextEditor> {
    const uri = resourceDocumentUri(serverId, resourceUri);
    const key = uri.toString();
    const had = this.cache.has(key);
    this.cache.set(key, { serverId, resourceUri, result });
    // A document that is already open shows its old text until the provider says it changed.
    if (had || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this._onDidChange.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    this.keepLive(uri, serverId, resourceUri);
    const { language } = resourceDocument(result, resourceUri);
    if (language && doc.languageId !== language) {
      try {
        doc = await vscode.languages.setTextDocumentLanguage(doc, language);
      } catch {
        // an unknown language id (no extension for it installed): plain text is fine
      }
    }
    return vscode.window.showTextDocument(doc, options);
  }

  /** What an open `mcp-host-resource:` document was made from. */
  cached(uri: vscode.Uri): CachedRead | undefined {
    return this.cache.get(uri.toString());
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    for (const l of this.live.values()) l.dispose();
    this.live.clear();
    this.cache.clear();
  }
}

/** A message in place of the contents holds server text (its error, a URI) in a document that may be markdown. */
function shownError(message: string): string {
  return safeDocument(sanitizeText(message), 'markdown').text;
}
