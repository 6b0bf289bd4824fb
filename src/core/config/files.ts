/**
 * The one list of configuration files MCP Host reads in a workspace folder, in reading order: where each lives,
 * its format, and how to recognise one by its path. Loaders, watchers and diagnostics all derive from it.
 */

export type ConfigFileKind = 'folderMcpJson' | 'rootMcpJson';

export interface ConfigFileSpec {
  readonly kind: ConfigFileKind;
  /** Path segments below the workspace folder. */
  readonly segments: readonly string[];
  /** 'vscode': VS Code's mcp.json (with inputs); 'claude': Claude Code's .mcp.json (no inputs). */
  readonly format: 'vscode' | 'claude';
}

export const CONFIG_FILES: readonly ConfigFileSpec[] = [
  { kind: 'folderMcpJson', segments: ['.vscode', 'mcp.json'], format: 'vscode' },
  { kind: 'rootMcpJson', segments: ['.mcp.json'], format: 'claude' },
];

/** A glob matching every configuration file in any folder (for file watchers and document selectors). */
export const CONFIG_FILES_GLOB = `**/{${CONFIG_FILES.map((f) => f.segments.join('/')).join(',')}}`;

/** The configuration file a path (file system path or URI path, '/' or '\\') names, if any. */
export function configFileOf(p: string): ConfigFileSpec | undefined {
  const normal = p.replace(/\\/g, '/');
  return CONFIG_FILES.find((f) => normal.endsWith(`/${f.segments.join('/')}`));
}
