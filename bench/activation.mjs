#!/usr/bin/env node
// Activation cost of the extension bundle, measured outside VS Code.
//
//   node bench/activation.mjs [--runs N] [--profile] [--json] [--bundle path]
//
// Each run is a fresh `node` child process (cold module cache) that
//   1. times `require('dist/extension.js')` (parse + compile + module evaluation of the bundle), then
//   2. times `activate(context)` until it returns (awaited if it returns a promise): the tree, commands and
//      features are registered by then; the first configuration load runs in the background and is not counted.
// `vscode` is a small fake defined in this file (FAKE VSCODE below): concrete classes and namespaces for what
// activate() touches, backed by an empty temporary workspace folder. The fake exists ONLY for this benchmark: a
// real VS Code extension host cannot be timed per module from outside, and its own costs (IPC, rendering,
// extension host start) are not ours to shave. The bundle logs its real activation time in the "MCP Host"
// output channel ("activated in N ms").
// Any vscode member the fake lacks is answered by a no-op and listed in `fakeGaps`: if that list is not empty,
// extend the fake (the numbers would otherwise miss work).
//
// --profile adds one more child run under `--cpu-prof` and attributes the load phase's samples (via the bundle's
// source map) to packages and to our source directories: `loadProfile`.
//
// API (used by bench/run.mjs):
//   import { measureActivation } from './activation.mjs';
//   const r = await measureActivation({ runs: 10, profile: false });
//   r = { runs, medianLoadMs, medianActivateMs, medianTotalMs, p90TotalMs, minTotalMs,
//         medianLoadCpuMs, medianActivateCpuMs (CPU time of the child: robust on a busy machine), bundleBytes,
//         bundleFiles: { 'dist/extension.js': bytes, ... } (every dist/*.js: the VSIX ships them),
//         filesLoaded: names of the bundle directory's files read by require + activate (not dist/vendor.js),
//         samples: [{ loadMs, activateMs, loadCpuMs, activateCpuMs }],
//         fakeGaps: string[], loadavg: number[], cpus: number, node: string, note: string,
//         loadProfile?: { totalMs, byGroup: [{ group, ms }] } }
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');
const defaultBundle = path.join(root, 'dist', 'extension.js');

export const note =
  'Measured in a fresh Node process per run with a fake `vscode` module (bench/activation.mjs); the fake is valid only for this benchmark: ' +
  'a real extension host cannot be timed per module from outside and adds its own IPC. load = require(bundle); activate = activate(context) until it returns.';

// ------------------------------------------------------------------------------------------------ parent side

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

function runChild(bundle, extraNodeArgs = [], extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...extraNodeArgs, here, '--child', bundle, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line);
        if (r.error) reject(new Error(`activation child failed: ${r.error}`));
        else resolve(r);
      } catch {
        reject(new Error(`activation child exited with ${code}: ${(err || out).slice(-2000)}`));
      }
    });
  });
}

function bundleFiles(bundle) {
  const dir = path.dirname(bundle);
  const files = {};
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.js')) files[path.relative(root, path.join(dir, f))] = fs.statSync(path.join(dir, f)).size;
  return files;
}

/**
 * Runs `runs` cold activations (plus one discarded warm-up run that fills the OS file cache) and returns medians.
 * @param {{ runs?: number, profile?: boolean, bundle?: string }} [options]
 */
export async function measureActivation({ runs = 10, profile = false, bundle = defaultBundle } = {}) {
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} does not exist: run node scripts/build.mjs first`);
  await runChild(bundle); // warm-up: disk cache, not module cache (every run is a new process)
  const samples = [];
  const gaps = new Set();
  let filesLoaded = [];
  for (let i = 0; i < runs; i++) {
    const r = await runChild(bundle);
    samples.push({ loadMs: r.loadMs, activateMs: r.activateMs, loadCpuMs: r.loadCpuMs, activateCpuMs: r.activateCpuMs });
    for (const g of r.fakeGaps) gaps.add(g);
    filesLoaded = r.filesLoaded;
  }
  const totals = samples.map((s) => s.loadMs + s.activateMs);
  const files = bundleFiles(bundle);
  const result = {
    runs,
    medianLoadMs: median(samples.map((s) => s.loadMs)),
    medianActivateMs: median(samples.map((s) => s.activateMs)),
    medianTotalMs: median(totals),
    p90TotalMs: quantile(totals, 0.9),
    minTotalMs: Math.min(...totals),
    // CPU time (user + system) of the child during each phase: far less sensitive to other processes than wall time.
    medianLoadCpuMs: median(samples.map((s) => s.loadCpuMs)),
    medianActivateCpuMs: median(samples.map((s) => s.activateCpuMs)),
    bundleBytes: fs.statSync(bundle).size,
    bundleFiles: files,
    filesLoaded,
    samples,
    fakeGaps: [...gaps].sort(),
    loadavg: os.loadavg(),
    cpus: os.cpus().length,
    node: process.version,
    note,
  };
  if (profile) result.loadProfile = await profileLoad(bundle);
  return result;
}

// Group a source path from the bundle's source map: node_modules/<pkg>[/<subdir>] or src/<dir>.
function groupOf(source) {
  if (!source) return '(no source)';
  const s = source.replace(/\\/g, '/');
  const nm = s.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = s.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? s);
  }
  const src = s.indexOf('src/');
  if (src >= 0) {
    const parts = s.slice(src).split('/');
    return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, parts.length - 1).join('/') || s;
  }
  return s;
}

async function profileLoad(bundle) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-host-actprof-'));
  try {
    const child = await runChild(bundle, ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', dir], ['--load-only']);
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return undefined;
    const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const mapFile = `${bundle}.map`;
    const { SourceMap } = createRequire(import.meta.url)('node:module');
    const map = fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8'))) : undefined;
    const bundleUrl = new URL(`file://${bundle}`).href;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Innermost frame inside the bundle for each profile node (memoized), mapped to its original source.
    const groupFor = new Map();
    const nodeGroup = (id) => {
      if (groupFor.has(id)) return groupFor.get(id);
      const n = byId.get(id);
      let g;
      const cf = n.callFrame;
      if (cf.url === bundleUrl || cf.url === bundle) {
        if (cf.lineNumber === 0 && cf.columnNumber === 0 && !cf.functionName) g = 'bundle top level';
        else {
          const e = map?.findEntry(cf.lineNumber, cf.columnNumber);
          // Unmapped code is esbuild's runtime (__commonJS/__esm wrappers): V8's lazy compilation of a module's
          // body shows up there.
          g = e?.originalSource ? groupOf(e.originalSource) : 'esbuild module wrappers (incl. lazy compilation)';
        }
      } else {
        const p = parent.get(id);
        g = p === undefined ? null : nodeGroup(p);
      }
      groupFor.set(id, g);
      return g;
    };
    // The load phase: samples between the child's markers (both clocks are CLOCK_MONOTONIC in µs).
    const [from, to] = child.loadWindowUs;
    const times = [];
    let t = prof.startTime;
    for (const d of prof.timeDeltas) times.push((t += d));
    const totals = new Map();
    let totalUs = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      const at = times[i];
      if (at < from || at > to) continue;
      const id = prof.samples[i];
      // Code in the bundle by its source; the rest by what the engine was doing.
      let g = nodeGroup(id);
      if (g === null) {
        const fn = byId.get(id).callFrame.functionName;
        g =
          fn === '(garbage collector)'
            ? 'V8 garbage collection'
            : fn === 'wrapSafe' || fn === 'compileFunction'
              ? 'V8 compiling the bundle (parse)'
              : fn === '(program)'
                ? 'V8/native (other)'
                : 'node require machinery (resolve, read)';
      }
      const dt = Math.min(to, times[i + 1] ?? at) - at;
      totals.set(g, (totals.get(g) ?? 0) + dt);
      totalUs += dt;
    }
    const byGroup = [...totals].map(([group, us]) => ({ group, ms: +(us / 1000).toFixed(1) })).sort((a, b) => b.ms - a.ms);
    return {
      totalMs: +(totalUs / 1000).toFixed(1),
      byGroup,
      note: 'one run under --cpu-prof (50 µs samples) restricted to require(bundle); bundle code by original source (source map), the rest by engine activity; the profiler itself slows the run',
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------ FAKE VSCODE
// Child side. Only what activate() and its constructors reach; kept concrete so the measured code does the same
// work it does in VS Code (creates tree items, channels, diagnostics collections, watchers...).

function makeFakeVscode(workspaceDir, gaps) {
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
      this.value += t.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
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

function makeContext(fake, workspaceDir, gaps) {
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

async function child(bundle, loadOnly) {
  const gaps = new Set();
  const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-host-actbench-'));
  try {
    const fake = makeFakeVscode(workspaceDir, gaps);
    const require = createRequire(import.meta.url);
    const Module = require('node:module');
    const origLoad = Module._load;
    Module._load = function (request, ...rest) {
      return request === 'vscode' ? fake.vscode : origLoad.call(this, request, ...rest);
    };
    const cpuMs = (u) => (u.user + u.system) / 1000;
    const us = () => Number(process.hrtime.bigint() / 1000n);
    const c0 = process.cpuUsage();
    const h0 = us();
    const t0 = performance.now();
    const ext = require(bundle);
    const t1 = performance.now();
    const h1 = us();
    const c1 = process.cpuUsage();
    if (loadOnly) return { loadMs: t1 - t0, activateMs: 0, loadCpuMs: cpuMs(process.cpuUsage(c0)), loadWindowUs: [h0, h1], fakeGaps: [...gaps] };
    const context = makeContext(fake, workspaceDir, gaps);
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    await ext.activate(context);
    const t3 = performance.now();
    const activateCpuMs = cpuMs(process.cpuUsage(c2));
    const loadCpuMs = cpuMs({ user: c1.user - c0.user, system: c1.system - c0.system });
    for (const d of context.subscriptions.splice(0).reverse()) {
      try {
        await d.dispose();
      } catch {
        /* disposal errors are not activation's */
      }
    }
    // Which files next to the bundle were read by activation (dist/vendor.js must not be).
    const dir = path.dirname(bundle);
    const filesLoaded = Object.keys(require.cache)
      .filter((f) => path.dirname(f) === dir)
      .map((f) => path.basename(f));
    await ext.deactivate?.();
    return { loadMs: t1 - t0, activateMs: t3 - t2, loadCpuMs, activateCpuMs, filesLoaded, fakeGaps: [...gaps] };
  } finally {
    fs.rmSync(workspaceDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------ entry points

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  try {
    const r = await child(argv[1], argv.includes('--load-only'));
    process.stdout.write(`\n${JSON.stringify(r)}\n`);
  } catch (e) {
    process.stdout.write(`\n${JSON.stringify({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) })}\n`);
  }
  process.exit(0);
} else if (path.resolve(process.argv[1] ?? '') === here) {
  const opt = (name, d) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : d;
  };
  const r = await measureActivation({
    runs: Number(opt('--runs', 10)),
    profile: argv.includes('--profile'),
    bundle: path.resolve(opt('--bundle', defaultBundle)),
  });
  if (argv.includes('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '?');
    console.log(`Activation (${r.runs} cold runs, node ${r.node}, ${r.cpus} cpus, load avg ${r.loadavg.map((x) => x.toFixed(2)).join(' ')})`);
    console.log(`  require(bundle)   median ${f(r.medianLoadMs)} ms`);
    console.log(`  activate(context) median ${f(r.medianActivateMs)} ms`);
    console.log(`  total             median ${f(r.medianTotalMs)} ms, p90 ${f(r.p90TotalMs)} ms, min ${f(r.minTotalMs)} ms   (target < 50 ms)`);
    console.log(`  CPU time          load median ${f(r.medianLoadCpuMs)} ms, activate median ${f(r.medianActivateCpuMs)} ms`);
    console.log(`  bundle: ${Object.entries(r.bundleFiles).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KiB`).join(', ')}; read on activation: ${r.filesLoaded.join(', ')}`);
    console.log(`  samples (load/activate ms): ${r.samples.map((s) => `${f(s.loadMs)}/${f(s.activateMs)}`).join(' ')}`);
    if (r.fakeGaps.length) console.log(`  WARNING: the fake vscode lacks ${r.fakeGaps.join(', ')} (answered by no-ops): extend it`);
    if (r.loadProfile) {
      console.log(`  load profile (${r.loadProfile.note}; ${r.loadProfile.totalMs} ms):`);
      for (const g of r.loadProfile.byGroup.slice(0, 15)) console.log(`    ${g.ms.toFixed(1).padStart(7)} ms  ${g.group}`);
    }
    console.log(`  ${r.note}`);
  }
}
