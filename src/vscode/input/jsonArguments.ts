/**
 * Arguments edited as a JSON document: `<private dir>/arguments/<server>/<tool>.arguments.json` (the extension's
 * storage: directories 0700, files 0600, never through a link; typed tokens stay the user's), pre-filled,
 * with `"$schema"` pointing at the tool's input schema written next to it (so the JSON language service
 * completes and checks while typing). "Run" (notification button) or saving the file validates against the
 * schema; errors become diagnostics plus a message and the document stays open, so nothing typed is lost.
 * Closing the document or "Cancel" cancels.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { showMessage } from '../messages';
import { parseTree, findNodeAtLocation, type ParseError, printParseErrorCode, type Node as JsonNode } from 'jsonc-parser';
import { ensurePrivateDir, writePrivateFile } from '../../core/base/privateFiles';
import { safeSegment } from '../documents/resultDocuments';

/** One problem with the entered value; `path` points into the arguments object. */
export interface ArgumentProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface JsonArgumentsOptions {
  readonly serverName: string;
  /** The private directory (extension storage) the document is written under. */
  readonly privateDir: string;
  readonly itemName: string;
  /** Shown in the notification: "Edit the arguments of <what>, then Run". */
  readonly what: string;
  readonly initial: Record<string, unknown>;
  /** The input schema (written beside the document for live checks), if any. */
  readonly schema?: unknown;
  /** Checks the arguments on Run/save (asynchronous: the schema checker runs off the host's thread). */
  readonly validate: (value: unknown) => Promise<readonly ArgumentProblem[]>;
  /** Label of the go-ahead button. */
  readonly runLabel?: string;
}

const SCHEMA_KEY = '$schema';

/** Creates (0700, no links) and returns the directory of a server's argument documents. */
export function argumentsDir(privateDir: string, serverName: string): Promise<string> {
  return ensurePrivateDir(privateDir, 'arguments', safeSegment(serverName));
}

/** Resolves the arguments once they are valid and the user said Run (or saved); undefined when cancelled. */
export async function editArgumentsAsJson(
  opts: JsonArgumentsOptions,
  diagnostics: vscode.DiagnosticCollection,
  lenses?: ArgumentLenses,
): Promise<Record<string, unknown> | undefined> {
  const dir = await argumentsDir(opts.privateDir, opts.serverName);
  const base = safeSegment(opts.itemName);
  const file = path.join(dir, `${base}.arguments.json`);
  const doc0: Record<string, unknown> = {};
  if (opts.schema !== undefined) {
    const schemaFile = path.join(dir, `${base}.schema.json`);
    await writePrivateFile(schemaFile, JSON.stringify(opts.schema, null, 2));
    doc0[SCHEMA_KEY] = `./${base}.schema.json`;
  }
  Object.assign(doc0, opts.initial);
  const uri = vscode.Uri.file(file);
  // If the same document is still open (an earlier attempt), keep what the user typed there.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (!open) await writePrivateFile(file, `${JSON.stringify(doc0, null, 2)}\n`);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });

  const runLabel = opts.runLabel ?? 'Run';
  let asked = false;
  return new Promise<Record<string, unknown> | undefined>((resolve) => {
    const subs: vscode.Disposable[] = [];
    let done = false;
    const finish = (value: Record<string, unknown> | undefined) => {
      if (done) return;
      done = true;
      lens?.dispose();
      diagnostics.delete(uri);
      for (const s of subs) s.dispose();
      resolve(value);
    };
    const attempt = async (): Promise<boolean> => {
      const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = current?.getText() ?? '';
      const checked = await checkArguments(text, opts.validate);
      if (done) return true;
      if ('value' in checked) {
        finish(checked.value);
        return true;
      }
      diagnostics.set(uri, checked.problems.map((p) => toDiagnostic(current ?? doc, text, p)));
      const first = checked.problems[0];
      void showMessage(
        'error',
        `The arguments of ${opts.what} are not valid${first ? `: ${first.message}` : ''}. Fix them (see Problems) and save or Run again.`,
      );
      return false;
    };
    const retry = () =>
      void attempt().then((ok) => {
        if (!ok) ask();
      });
    const lens = lenses?.add(uri, { label: `${runLabel} ${opts.what}`, run: () => void attempt(), cancel: () => finish(undefined) });
    const ask = () => {
      if (done || (asked && lens)) return;
      asked = true;
      if (lens) {
        // The Run/Cancel lenses sit on the document: a message without buttons (it hides by itself and never
        // lingers with actions that no longer do anything).
        void showMessage('info', `Edit the arguments of ${opts.what}, then click "${runLabel}" above them or save the file.`);
        return;
      }
      void showMessage('info', `Edit the arguments of ${opts.what}, then ${runLabel} (or save the file).`, runLabel, 'Cancel')
        .then((choice) => {
          if (done) return;
          if (choice === runLabel) retry();
          else if (choice === 'Cancel') finish(undefined);
          // Dismissed: the document stays; saving it still runs.
        });
    };
    subs.push(
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.uri.toString() === uri.toString()) retry();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() === uri.toString()) finish(undefined);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString()) diagnostics.delete(uri);
      }),
    );
    ask();
  });
}

/** Parses (JSONC tolerated) and validates the document text. */
export async function checkArguments(
  text: string,
  validate: (value: unknown) => Promise<readonly ArgumentProblem[]>,
): Promise<{ value: Record<string, unknown> } | { problems: ArgumentProblem[]; syntax?: boolean }> {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    return {
      syntax: true,
      problems: [{ path: [], message: e ? `JSON syntax error: ${printParseErrorCode(e.error)} at offset ${e.offset}` : 'The document is empty.' }],
    };
  }
  const value = nodeValue(tree);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: [{ path: [], message: 'The arguments must be a JSON object.' }] };
  }
  const args = { ...(value as Record<string, unknown>) };
  delete args[SCHEMA_KEY];
  const problems = await validate(args);
  return problems.length > 0 ? { problems: [...problems] } : { value: args };
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = nodeValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value as unknown;
  }
}

function toDiagnostic(doc: vscode.TextDocument, text: string, p: ArgumentProblem): vscode.Diagnostic {
  let range = new vscode.Range(0, 0, 0, 1);
  const tree = parseTree(text, [], { allowTrailingComma: true });
  if (tree) {
    // The deepest node of the path that exists (a missing property points at its parent object).
    for (let n = p.path.length; n >= 0; n--) {
      const node = findNodeAtLocation(tree, [...p.path.slice(0, n)]);
      if (node) {
        const target = n === p.path.length && node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
        const start = doc.positionAt(target.offset);
        const end = doc.positionAt(target.offset + (target.type === 'object' || target.type === 'array' ? 1 : target.length));
        range = new vscode.Range(start, end);
        break;
      }
    }
  }
  const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
  d.source = 'MCP Host';
  return d;
}

interface LensSession {
  readonly label: string;
  run(): void;
  cancel(): void;
}


/**
 * "▶ Run <tool>" and "Cancel" code lenses at the top of an arguments document while its run is waiting, so the
 * go-ahead stays next to what is being edited (a notification can be dismissed or hidden). The commands are
 * internal (`_` prefix: not in the palette, not contributed).
 */
export class ArgumentLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly sessions = new Map<string, LensSession>();
  private readonly _onDidChangeCodeLenses = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this._onDidChangeCodeLenses.event;
  private readonly subs: vscode.Disposable[];

  private readonly runCommand: string;
  private readonly cancelCommand: string;

  /** `commandPrefix` only differs in tests (a second instance next to the extension's). */
  constructor(commandPrefix = '_mcpHost.arguments') {
    this.runCommand = `${commandPrefix}.run`;
    this.cancelCommand = `${commandPrefix}.cancel`;
    this.subs = [
      this._onDidChangeCodeLenses,
      vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.arguments.json' }, this),
      vscode.commands.registerCommand(this.runCommand, (uri: string) => this.sessions.get(uri)?.run()),
      vscode.commands.registerCommand(this.cancelCommand, (uri: string) => this.sessions.get(uri)?.cancel()),
    ];
  }

  add(uri: vscode.Uri, session: LensSession): vscode.Disposable {
    const key = uri.toString();
    this.sessions.set(key, session);
    this._onDidChangeCodeLenses.fire();
    return new vscode.Disposable(() => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
      this._onDidChangeCodeLenses.fire();
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const key = doc.uri.toString();
    const session = this.sessions.get(key);
    if (!session) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: `$(play) ${session.label}`, command: this.runCommand, arguments: [key], tooltip: 'Validate the arguments and run (saving the file does the same)' }),
      new vscode.CodeLens(top, { title: 'Cancel', command: this.cancelCommand, arguments: [key] }),
    ];
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.sessions.clear();
  }
}
