/** What the content commands share (created once by contentCommands). */
import type * as vscode from 'vscode';
import type { FeatureDeps } from '../../contracts';
import type { ResourceDocuments } from '../../documents/resourceDocuments';
import type { ResultDocuments } from '../../documents/resultDocuments';
import type { ArgumentMemory } from '../../input/argumentMemory';
import type { ArgumentLenses } from '../../input/jsonArguments';

export interface ContentServices extends FeatureDeps {
  readonly results: ResultDocuments;
  readonly resources: ResourceDocuments;
  readonly memory: ArgumentMemory;
  /** Problems in argument documents (`<tool>.arguments.json`). */
  readonly diagnostics: vscode.DiagnosticCollection;
  /** Run / Cancel lenses on argument documents. */
  readonly argumentLenses: ArgumentLenses;
}
