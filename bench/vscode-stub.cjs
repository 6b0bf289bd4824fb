// A stand-in `vscode` module for benchmarks that load the bundle or the tree adapters outside VS Code.
// Concrete classes where the measured code constructs them (TreeItem, ThemeIcon, MarkdownString, EventEmitter,
// Uri, ...); everything else is a permissive proxy: any property is a function returning another proxy,
// promises resolve to undefined, configuration reads return their default. Measures our code's cost only;
// the real extension host adds its own (rendering, IPC).
'use strict';
const Module = require('node:module');

function anything(name = 'vscode') {
  const fn = function () {
    return anything(`${name}()`);
  };
  return new Proxy(fn, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'dispose') return () => {};
      if (prop === 'length') return 0;
      return anything(`${name}.${String(prop)}`);
    },
    apply(_t, _this, args) {
      // `get(key, default)` on configuration objects returns the default.
      if (name.endsWith('.get') && args.length >= 2) return args[1];
      if (name.endsWith('.get')) return undefined;
      if (/\.(show\w*|execute\w*|openTextDocument|findFiles|readFile|stat|withProgress)$/.test(name)) return Promise.resolve(undefined);
      return anything(`${name}()`);
    },
    construct() {
      return anything(`new ${name}`);
    },
  });
}

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  static from(...ds) {
    return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose()));
  }
  dispose() {
    if (this._fn) this._fn();
    this._fn = undefined;
  }
}
class EventEmitter {
  constructor() {
    this._l = new Set();
    this.event = (l) => {
      this._l.add(l);
      return new Disposable(() => this._l.delete(l));
    };
  }
  fire(e) {
    for (const l of [...this._l]) l(e);
  }
  dispose() {
    this._l.clear();
  }
}
class TreeItem {
  constructor(label, collapsibleState) {
    this.label = label;
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
    this.value += '\n```' + lang + '\n' + code + '\n```\n';
    return this;
  }
}
class Uri {
  constructor(scheme, path, query = '', fragment = '') {
    Object.assign(this, { scheme, path, query, fragment, authority: '', fsPath: path });
  }
  static file(p) {
    return new Uri('file', p);
  }
  static parse(s) {
    const m = /^([a-z][\w+.-]*):(.*)$/i.exec(s);
    return m ? new Uri(m[1], m[2]) : new Uri('file', s);
  }
  static joinPath(base, ...parts) {
    return new Uri(base.scheme, [base.path, ...parts].join('/'));
  }
  with(change) {
    return Object.assign(new Uri(this.scheme, this.path, this.query, this.fragment), change);
  }
  toString() {
    return `${this.scheme}:${this.path}`;
  }
}

const concrete = {
  Disposable,
  EventEmitter,
  TreeItem,
  ThemeIcon,
  ThemeColor,
  MarkdownString,
  Uri,
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  version: '1.100.0',
};

// Bundlers copy a module's own property names (esbuild's __toESM): the names are taken from the code that
// will use the stub (`stubNames`), each resolving to a concrete class or a permissive proxy.
const extraNames = new Set();
const stub = new Proxy(concrete, {
  get(target, prop) {
    if (prop in target) return target[prop];
    if (prop === '__esModule' || prop === 'then' || prop === 'default') return undefined;
    return anything(`vscode.${String(prop)}`);
  },
  ownKeys(target) {
    return [...new Set([...Reflect.ownKeys(target), ...extraNames])];
  },
  getOwnPropertyDescriptor(target, prop) {
    const own = Reflect.getOwnPropertyDescriptor(target, prop);
    if (own) return own;
    if (extraNames.has(prop)) return { configurable: true, enumerable: true, writable: false, value: stub[prop] };
    return undefined;
  },
});

/** Property names the stub must list as its own (e.g. every `.Name` in a bundle that reads `vscode.Name`). */
function stubNames(names) {
  for (const n of names) if (n !== '__esModule' && n !== 'then' && n !== 'default') extraNames.add(n);
}

/** Makes `require('vscode')` return the stub in this process. */
function install() {
  const original = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return stub;
    return original.call(this, request, parent, isMain);
  };
}

module.exports = { install, stub, anything, stubNames };
