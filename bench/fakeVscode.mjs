// The one fake `vscode` module of the benchmarks (activation, tree items), valid only for them: a real extension
// host cannot be timed per module from outside, and its own costs (IPC, rendering, extension host start) are not
// ours to shave.
// Concrete classes and namespaces for what activate() and the tree adapters reach, kept concrete so the measured
// code does the same work it does in VS Code (creates tree items, channels, diagnostics collections, watchers...),
// backed by a real (temporary) workspace folder. A namespace member the fake lacks is answered by a no-op that
// returns a disposable and is recorded in `gaps`: if that set is not empty after a run, extend the fake (the
// numbers would otherwise miss work).
//
//   import { makeFakeVscode, makeContext, installFakeVscode } from './fakeVscode.mjs';
//   const fake = makeFakeVscode(workspaceDir, gaps);   // { vscode, channels, commandsMap, Uri, EventEmitter, enums, watch }
//   installFakeVscode(fake.vscode);                    // require('vscode') returns it in this process
//   const context = makeContext(fake, workspaceDir);
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The fake `vscode` namespace. `gaps` collects `namespace.member` names the fake lacks.
 * @param {string} workspaceDir an existing directory: the one workspace folder
 * @param {Set<string>} gaps
 */
export function makeFakeVscode(workspaceDir, gaps) {
  class Disposable {
    constructor(fn) {
      this._fn = fn;
    }
    static from(...ds) {
      return new Disposable(() => ds.forEach((d) => d?.dispose?.()));
    }
    dispose() {
      const f = this._fn;
      this._fn = undefined;
      f?.();
    }
  }
  const noopDisposable = () => new Disposable(() => {});
  class EventEmitter {
    constructor() {
      this._listeners = new Set();
      this.event = (listener, thisArg, disposables) => {
        const l = thisArg ? listener.bind(thisArg) : listener;
        this._listeners.add(l);
        const d = new Disposable(() => this._listeners.delete(l));
        if (Array.isArray(disposables)) disposables.push(d);
        return d;
      };
    }
    fire(e) {
      for (const l of [...this._listeners]) l(e);
    }
    dispose() {
      this._listeners.clear();
    }
  }
  const event = () => new EventEmitter().event;
  class Uri {
    constructor(scheme, authority, p, query, fragment) {
      this.scheme = scheme;
      this.authority = authority ?? '';
      this.path = p ?? '';
      this.query = query ?? '';
      this.fragment = fragment ?? '';
    }
    get fsPath() {
      return this.path;
    }
    static file(p) {
      return new Uri('file', '', path.resolve(p));
    }
    static parse(s) {
      const u = new URL(s);
      return new Uri(u.protocol.slice(0, -1), u.host, decodeURIComponent(u.pathname), u.search.slice(1), u.hash.slice(1));
    }
    static from(c) {
      return new Uri(c.scheme, c.authority, c.path, c.query, c.fragment);
    }
    static joinPath(base, ...parts) {
      return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...parts), base.query, base.fragment);
    }
    with(c) {
      return new Uri(c.scheme ?? this.scheme, c.authority ?? this.authority, c.path ?? this.path, c.query ?? this.query, c.fragment ?? this.fragment);
    }
    toString() {
      return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
    }
    toJSON() {
      return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
    }
  }
  class Position {
    constructor(line, character) {
      this.line = line;
      this.character = character;
    }
  }
  class Range {
    constructor(a, b, c, d) {
      if (typeof a === 'number') [a, b] = [new Position(a, b), new Position(c, d)];
      this.start = a;
      this.end = b;
    }
  }
  class Selection extends Range {
    constructor(anchor, active) {
      super(anchor, active);
      this.anchor = anchor;
      this.active = active;
    }
  }
  class TreeItem {
    constructor(labelOrUri, collapsibleState) {
      if (typeof labelOrUri === 'string' || (labelOrUri && 'label' in labelOrUri)) this.label = labelOrUri;
      else this.resourceUri = labelOrUri;
      this.collapsibleState = collapsibleState;
    }
  }
  class ThemeIcon {
    constructor(id, color) {
      this.id = id;
      this.color = color;
    }
  }
  ThemeIcon.File = new ThemeIcon('file');
  ThemeIcon.Folder = new ThemeIcon('folder');
  class ThemeColor {
    constructor(id) {
      this.id = id;
    }
  }
  class MarkdownString {
    constructor(value = '', supportThemeIcons = false) {
      this.value = value;
      this.supportThemeIcons = supportThemeIcons;
    }
    appendText(t) {
      this.value += t.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
      return this;
    }
    appendMarkdown(t) {
      this.value += t;
      return this;
    }
    appendCodeblock(code, lang = '') {
      this.value += `\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
      return this;
    }
  }
  class Diagnostic {
    constructor(range, message, severity = 0) {
      this.range = range;
      this.message = message;
      this.severity = severity;
    }
  }
  class CodeActionKind {
    constructor(value) {
      this.value = value;
    }
    append(p) {
      return new CodeActionKind(`${this.value}.${p}`);
    }
  }
  CodeActionKind.QuickFix = new CodeActionKind('quickfix');
  CodeActionKind.Refactor = new CodeActionKind('refactor');
  CodeActionKind.Empty = new CodeActionKind('');
  class CodeAction {
    constructor(title, kind) {
      this.title = title;
      this.kind = kind;
    }
  }
  class WorkspaceEdit {
    constructor() {
      this._edits = [];
    }
    replace(uri, range, text) {
      this._edits.push({ uri, range, text });
    }
    insert(uri, pos, text) {
      this._edits.push({ uri, range: new Range(pos, pos), text });
    }
  }
  class RelativePattern {
    constructor(base, pattern) {
      this.base = base;
      this.pattern = pattern;
    }
  }
  class CancellationTokenSource {
    constructor() {
      const e = new EventEmitter();
      this._e = e;
      this.token = { isCancellationRequested: false, onCancellationRequested: e.event };
    }
    cancel() {
      this.token.isCancellationRequested = true;
      this._e.fire();
    }
    dispose() {}
  }
  class CancellationError extends Error {}
  class FileSystemError extends Error {
    static FileNotFound(m) {
      return Object.assign(new FileSystemError(String(m)), { code: 'FileNotFound' });
    }
  }

  function logChannel(name) {
    const lines = [];
    const log = (level) => (msg, ...rest) => lines.push(`${level} ${msg}${rest.length ? ` ${rest.join(' ')}` : ''}`);
    return {
      name,
      logLevel: 2,
      onDidChangeLogLevel: event(),
      trace: log('trace'),
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      append: (t) => lines.push(t),
      appendLine: (t) => lines.push(t),
      replace: () => {},
      clear: () => (lines.length = 0),
      show: () => {},
      hide: () => {},
      dispose: () => {},
      _lines: lines,
    };
  }
  const channels = [];

  function configuration(section) {
    const values = {};
    return {
      get: (key, def) => (key in values ? values[key] : def),
      has: (key) => key in values,
      inspect: (key) => ({ key: section ? `${section}.${key}` : key, defaultValue: undefined }),
      update: async () => {},
    };
  }

  const fsApi = {
    readFile: async (uri) => new Uint8Array(await fs.promises.readFile(uri.fsPath)),
    writeFile: async (uri, data) => fs.promises.writeFile(uri.fsPath, data),
    stat: async (uri) => {
      try {
        const s = await fs.promises.stat(uri.fsPath);
        return { type: s.isDirectory() ? 2 : 1, size: s.size, ctime: s.ctimeMs, mtime: s.mtimeMs };
      } catch {
        throw FileSystemError.FileNotFound(uri);
      }
    },
    readDirectory: async (uri) => (await fs.promises.readdir(uri.fsPath, { withFileTypes: true })).map((e) => [e.name, e.isDirectory() ? 2 : 1]),
    createDirectory: async (uri) => void (await fs.promises.mkdir(uri.fsPath, { recursive: true })),
    delete: async (uri) => fs.promises.rm(uri.fsPath, { recursive: true, force: true }),
  };
  const folderUri = Uri.file(workspaceDir);
  const workspace = {
    workspaceFolders: [{ uri: folderUri, name: path.basename(workspaceDir), index: 0 }],
    workspaceFile: undefined,
    name: path.basename(workspaceDir),
    isTrusted: true,
    textDocuments: [],
    fs: fsApi,
    getConfiguration: configuration,
    onDidChangeConfiguration: event(),
    onDidChangeWorkspaceFolders: event(),
    onDidGrantWorkspaceTrust: event(),
    onDidOpenTextDocument: event(),
    onDidCloseTextDocument: event(),
    onDidChangeTextDocument: event(),
    onDidSaveTextDocument: event(),
    createFileSystemWatcher: () => ({
      onDidCreate: event(),
      onDidChange: event(),
      onDidDelete: event(),
      ignoreCreateEvents: false,
      ignoreChangeEvents: false,
      ignoreDeleteEvents: false,
      dispose: () => {},
    }),
    registerTextDocumentContentProvider: noopDisposable,
    registerFileSystemProvider: noopDisposable,
    asRelativePath: (p) => path.relative(workspaceDir, typeof p === 'string' ? p : p.fsPath),
    getWorkspaceFolder: (uri) => (uri.fsPath.startsWith(workspaceDir) ? workspace.workspaceFolders[0] : undefined),
    openTextDocument: async () => {
      throw new Error('fake vscode: openTextDocument is not part of activation');
    },
    applyEdit: async () => true,
  };
  const window = {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    createOutputChannel: (name) => {
      const c = logChannel(name);
      channels.push(c);
      return c;
    },
    createTreeView: (id, options) => ({
      id,
      options,
      visible: true,
      selection: [],
      message: undefined,
      title: undefined,
      description: undefined,
      badge: undefined,
      onDidExpandElement: event(),
      onDidCollapseElement: event(),
      onDidChangeSelection: event(),
      onDidChangeVisibility: event(),
      onDidChangeCheckboxState: event(),
      reveal: async () => {},
      dispose: () => {},
    }),
    registerTreeDataProvider: noopDisposable,
    registerFileDecorationProvider: noopDisposable,
    registerUriHandler: noopDisposable,
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
    setStatusBarMessage: noopDisposable,
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    showQuickPick: async () => undefined,
    showInputBox: async () => undefined,
    showTextDocument: async () => undefined,
    showSaveDialog: async () => undefined,
    withProgress: async (_o, task) => task({ report() {} }, new CancellationTokenSource().token),
    onDidChangeActiveTextEditor: event(),
    onDidChangeVisibleTextEditors: event(),
    onDidChangeTextEditorSelection: event(),
    onDidChangeWindowState: event(),
  };
  const commandsMap = new Map();
  const commands = {
    registerCommand: (id, fn) => {
      commandsMap.set(id, fn);
      return new Disposable(() => commandsMap.delete(id));
    },
    registerTextEditorCommand: (id, fn) => commands.registerCommand(id, fn),
    executeCommand: async (id, ...args) => commandsMap.get(id)?.(...args),
    getCommands: async () => [...commandsMap.keys()],
  };
  const languages = {
    createDiagnosticCollection: (name) => {
      const m = new Map();
      return {
        name,
        set: (uri, d) => (uri && d ? m.set(uri.toString(), d) : undefined),
        get: (uri) => m.get(uri.toString()),
        has: (uri) => m.has(uri.toString()),
        delete: (uri) => m.delete(uri.toString()),
        clear: () => m.clear(),
        forEach: (f) => m.forEach((v, k) => f(Uri.parse(k), v)),
        dispose: () => m.clear(),
      };
    },
    registerCodeActionsProvider: noopDisposable,
    registerCodeLensProvider: noopDisposable,
    registerDocumentLinkProvider: noopDisposable,
    registerDocumentSymbolProvider: noopDisposable,
    registerHoverProvider: noopDisposable,
    registerCompletionItemProvider: noopDisposable,
    setTextDocumentLanguage: async (d) => d,
    getDiagnostics: () => [],
    onDidChangeDiagnostics: event(),
  };
  const env = {
    appName: 'Fake VS Code (benchmark)',
    appRoot: workspaceDir,
    language: 'en',
    machineId: 'bench',
    sessionId: 'bench',
    uiKind: 1,
    remoteName: undefined,
    clipboard: { readText: async () => '', writeText: async () => {} },
    openExternal: async () => true,
  };
  const enums = {
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    QuickPickItemKind: { Separator: -1, Default: 0 },
    QuickInputButtons: { Back: { iconPath: new ThemeIcon('arrow-left') } },
    EndOfLine: { LF: 1, CRLF: 2 },
    FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    UIKind: { Desktop: 1, Web: 2 },
  };
  // Namespaces record members the fake lacks (answered by a no-op that returns a disposable).
  const watch = (obj, name) =>
    new Proxy(obj, {
      get(t, p) {
        if (p in t || typeof p === 'symbol' || p === 'then' || p === '__esModule' || p === 'default') return t[p];
        gaps.add(`${name}.${String(p)}`);
        return noopDisposable;
      },
    });
  const api = {
    version: '1.100.0',
    Disposable,
    EventEmitter,
    Uri,
    Position,
    Range,
    Selection,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    Diagnostic,
    CodeAction,
    CodeActionKind,
    WorkspaceEdit,
    RelativePattern,
    CancellationTokenSource,
    CancellationError,
    FileSystemError,
    ...enums,
    window: watch(window, 'window'),
    workspace: watch(workspace, 'workspace'),
    commands: watch(commands, 'commands'),
    languages: watch(languages, 'languages'),
    env: watch(env, 'env'),
    extensions: watch({ getExtension: () => undefined, all: [], onDidChange: event() }, 'extensions'),
  };
  return { vscode: watch(api, 'vscode'), channels, commandsMap, Uri, EventEmitter, enums, watch };
}

/**
 * An ExtensionContext over `workspaceDir` (storage under workspaceDir/.storage); the extension is this repository.
 * @param {ReturnType<typeof makeFakeVscode>} fake
 * @param {string} workspaceDir
 */
export function makeContext(fake, workspaceDir) {
  const { Uri, EventEmitter, watch } = fake;
  const memento = () => {
    const m = new Map();
    return {
      get: (k, d) => (m.has(k) ? m.get(k) : d),
      update: async (k, v) => void (v === undefined ? m.delete(k) : m.set(k, v)),
      keys: () => [...m.keys()],
      setKeysForSync: () => {},
    };
  };
  const secrets = new Map();
  const secretsChanged = new EventEmitter();
  const extensionUri = Uri.file(root);
  const packageJSON = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const storage = path.join(workspaceDir, '.storage');
  const context = {
    subscriptions: [],
    extensionUri,
    extensionPath: root,
    extensionMode: fake.enums.ExtensionMode.Production,
    extension: { id: `${packageJSON.publisher}.${packageJSON.name}`, extensionUri, extensionPath: root, packageJSON, isActive: true, extensionKind: 2, exports: undefined },
    asAbsolutePath: (p) => path.join(root, p),
    workspaceState: memento(),
    globalState: memento(),
    secrets: {
      get: async (k) => secrets.get(k),
      store: async (k, v) => void (secrets.set(k, v), secretsChanged.fire({ key: k })),
      delete: async (k) => void (secrets.delete(k), secretsChanged.fire({ key: k })),
      onDidChange: secretsChanged.event,
    },
    storageUri: Uri.file(path.join(storage, 'workspace')),
    globalStorageUri: Uri.file(path.join(storage, 'global')),
    logUri: Uri.file(path.join(storage, 'logs')),
    storagePath: path.join(storage, 'workspace'),
    globalStoragePath: path.join(storage, 'global'),
    logPath: path.join(storage, 'logs'),
    environmentVariableCollection: { replace() {}, append() {}, prepend() {}, get() {}, forEach() {}, delete() {}, clear() {} },
  };
  return watch(context, 'context');
}

/**
 * Makes `require('vscode')` return `vscode` in this process (for the bundle and for the transpiled adapters).
 * @param {unknown} vscode
 */
export function installFakeVscode(vscode) {
  /** @type {{ _load: (request: string, ...rest: unknown[]) => unknown }} Module._load is internal: not in @types/node */
  const Module = createRequire(import.meta.url)('node:module');
  const origLoad = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : origLoad.call(this, request, ...rest);
  };
}
