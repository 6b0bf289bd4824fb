/**
 * Keeps the registry in step with the configuration: reads every source, loads it (core/config), applies the
 * result as a diff, and reloads (debounced) when a file, a setting or the workspace folders change.
 */
import * as vscode from 'vscode';
import { configFileOf } from '../../core/config/files';
import type { ConfigProblem, LoadedConfig } from '../../core/config/types';
import type { ServerRegistry } from '../../core/host/types';
import { setConfigDiagnostics } from './diagnostics';
import { MCP_FILES, readSources, type SourceTexts } from './sources';

export interface ConfigControllerDeps {
  readonly registry: ServerRegistry;
  /** Parses and validates the texts (core/config's loadConfig, adapted by the composition root). */
  readonly load: (texts: SourceTexts) => LoadedConfig;
  readonly log: vscode.LogOutputChannel;
  readonly debounceMs?: number;
}

/** How long a config file that just turned empty gets to be filled before it is read again (see reloadOnce). */
const HALF_WRITTEN_WAIT_MS = 150;

export class ConfigController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('mcpHost');
  private fileWatchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;
  private texts = new Map<string, string>();

  constructor(private readonly deps: ConfigControllerDeps) {
    this.disposables.push(
      this.diagnostics,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mcpHost.servers')) this.scheduleReload();
      }),
      // Restricted settings (mcpHost.servers in workspace settings) become visible once the workspace is trusted.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleReload()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watchFiles();
        this.scheduleReload();
        deps.registry.notifyRootsChanged();
      }),
    );
    this.watchFiles();
  }

  /** The text of a config file as last loaded (problem offsets refer to it). */
  textOf(file: string): string | undefined {
    return this.texts.get(file);
  }

  /** Reload soon; bursts of changes (a save touching several files, typing in settings) coalesce. */
  scheduleReload(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload().catch((err: unknown) =>
        this.deps.log.error(`Reloading the configuration failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
      );
    }, this.deps.debounceMs ?? 200);
  }

  /** Reload now. Concurrent calls share one run; a call during a run causes exactly one more run after it. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        await this.reloadOnce();
      } while (this.again && !this.disposed);
    };
    this.running = run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async reloadOnce(): Promise<void> {
    if (this.disposed) return;
    const t0 = Date.now();
    let { texts, unreadable } = await readSources();
    // A file that had servers and reads empty is most likely being written (truncated, not yet filled): applying
    // it would stop its servers and add them back stopped a moment later. Read once more after a short wait.
    if (texts.files.some((f) => f.text.trim() === '' && (this.texts.get(f.path)?.trim() ?? '') !== '')) {
      await new Promise((resolve) => setTimeout(resolve, HALF_WRITTEN_WAIT_MS));
      if (this.disposed) return;
      ({ texts, unreadable } = await readSources());
    }
    const loaded = this.deps.load(texts);
    const readProblems: ConfigProblem[] = unreadable.map((u) => ({
      severity: 'error',
      source: { kind: configFileOf(u.path)?.kind ?? 'folderMcpJson', file: u.path },
      path: [],
      message: `Could not read ${u.path}: ${u.message}`,
    }));
    const config: LoadedConfig = { servers: loaded.servers, problems: [...readProblems, ...loaded.problems] };
    if (this.disposed) return;
    this.texts = new Map(texts.files.map((f) => [f.path, f.text]));
    setConfigDiagnostics(this.diagnostics, config.problems, this.texts);
    await this.deps.registry.apply(config);
    this.deps.log.info(
      `Configuration loaded: ${config.servers.length} server(s), ${config.problems.length} problem(s), ${texts.files.length} file(s) in ${Date.now() - t0} ms`,
    );
  }

  private watchFiles(): void {
    for (const w of this.fileWatchers) w.dispose();
    this.fileWatchers = [];
    const glob = `{${MCP_FILES.map((f) => f.segments.join('/')).join(',')}}`;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
      const onChange = () => this.scheduleReload();
      this.fileWatchers.push(w, w.onDidCreate(onChange), w.onDidChange(onChange), w.onDidDelete(onChange));
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of [...this.fileWatchers, ...this.disposables]) d.dispose();
    this.fileWatchers = [];
  }
}
