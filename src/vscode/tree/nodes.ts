/**
 * Tree nodes of the Servers view. These plain objects are also the argument that inline/context menu
 * commands receive, so every command accepts either one of these or no argument (then it shows a picker).
 */
export type ListCategory = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

export type TreeNode =
  | { readonly kind: 'server'; readonly serverId: string }
  | { readonly kind: 'category'; readonly serverId: string; readonly category: ListCategory }
  | { readonly kind: 'tool'; readonly serverId: string; readonly name: string }
  | { readonly kind: 'resource'; readonly serverId: string; readonly uri: string }
  | { readonly kind: 'resourceTemplate'; readonly serverId: string; readonly uriTemplate: string }
  | { readonly kind: 'prompt'; readonly serverId: string; readonly name: string }
  | {
      readonly kind: 'problem';
      readonly message: string;
      readonly file?: string;
      /** Where in `file` (offset/length in its text), when known. */
      readonly offset?: number;
      readonly length?: number;
      readonly severity?: 'error' | 'warning' | 'info';
      /** For problems in settings (no file): which settings, to open the right settings.json. */
      readonly inWorkspaceSettings?: boolean;
    }
  /** A line of explanation under a server ("starting…", "needs workspace trust", the error and stderr tail). */
  | { readonly kind: 'info'; readonly serverId: string; readonly key: string; readonly message: string };

export function isTreeNode(x: unknown): x is TreeNode {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}
