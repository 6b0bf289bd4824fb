/**
 * The environment a server runs with.
 *
 * Policy (like VS Code's own MCP support, unlike the SDK's allow-list of six variables): the editor's whole
 * environment, so PATH, proxies, NODE_EXTRA_CA_CERTS, tokens exported in the user's shell etc. reach the server,
 * minus what belongs to the editor itself (the same patterns VS Code's `sanitizeProcessEnvironment` removes):
 *  - `ELECTRON_*` (ELECTRON_RUN_AS_NODE would turn an Electron-based server into plain node),
 *  - `VSCODE_*` (IPC hooks, PID, NLS config, code cache, entry points, handles), except the user-meaningful
 *    `VSCODE_PORTABLE`, `VSCODE_SHELL_LOGIN`, `VSCODE_ENV_REPLACE|APPEND|PREPEND`,
 *  - `SNAP`, `SNAP_*` and `GDK_PIXBUF_*` (leaked by a snap-packaged editor, they break other programs),
 *  - a few internal flags of older VS Code versions (`AMD_ENTRYPOINT`, `PIPE_LOGGING`, `VERBOSE_LOGGING`,
 *    `APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL`, `CRASH_REPORTER_ID`).
 * Then the variables of `envFile`, then the definition's `env` (null unsets). On Windows names compare without
 * case (`Path` and `PATH` are one variable).
 *
 * Measured here (2 cores, median of 15): `node -e 0` starts in 28 ms, 70-88 ms with NODE_EXTRA_CA_CERTS set (Node
 * loads the CA file at start); a minimal SDK server to tools listed ~260 ms with it against ~220-260 ms without
 * (BENCHMARKS.md, "host" vs "host (SDK env allow-list)": within the noise of a shared machine). We keep it: the
 * user set it for a reason (corporate proxies, TLS inspection), and VS Code passes it too.
 */

const STRIPPED = [
  /^ELECTRON_.+$/,
  /^VSCODE_(?!(PORTABLE|SHELL_LOGIN|ENV_REPLACE|ENV_APPEND|ENV_PREPEND)$).+$/,
  /^SNAP(|_.*)$/,
  /^GDK_PIXBUF_.+$/,
  /^(AMD_ENTRYPOINT|PIPE_LOGGING|VERBOSE_LOGGING|APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL|CRASH_REPORTER_ID)$/,
];

/** True for a variable that belongs to the editor and is not passed to servers. */
export function isEditorInternalVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return STRIPPED.some((re) => re.test(upper));
}

/**
 * baseEnv minus editor-internal variables, then envFile variables, then `env` (null unsets).
 * @param platform for tests; defaults to process.platform (win32: names are case-insensitive).
 */
export function buildServerEnvironment(
  baseEnv: NodeJS.ProcessEnv,
  envFileVars: Readonly<Record<string, string>> | undefined,
  env: Readonly<Record<string, string | null>> | undefined,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const out: Record<string, string> = {};
  const caseless = platform === 'win32';
  // On Windows, map upper-case name -> the spelling in `out`, so a later `PATH` replaces an earlier `Path`.
  const names = new Map<string, string>();
  const set = (name: string, value: string | null): void => {
    if (caseless) {
      const prev = names.get(name.toUpperCase());
      if (prev !== undefined) delete out[prev];
      if (value === null) names.delete(name.toUpperCase());
      else names.set(name.toUpperCase(), name);
    }
    if (value === null) delete out[name];
    else out[name] = value;
  };
  for (const [name, value] of Object.entries(baseEnv)) {
    if (value === undefined || isEditorInternalVariable(name)) continue;
    set(name, value);
  }
  if (envFileVars) for (const [name, value] of Object.entries(envFileVars)) set(name, value);
  if (env) for (const [name, value] of Object.entries(env)) set(name, value);
  return out;
}

/**
 * Parses a dotenv file: `KEY=VALUE` lines, `# comments`, an optional `export ` prefix, whitespace around `=`,
 * single quotes (literal), double quotes (`\n`, `\r`, `\t`, `\\`, `\"` escapes; may span lines), backticks
 * (literal), and ` #` comments after an unquoted value. No `${VAR}` expansion (as dotenv and VS Code).
 * Lines that are not assignments are ignored. A later assignment of the same key wins.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const assign = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;
  let pos = 0;
  while (pos < src.length) {
    let eol = src.indexOf('\n', pos);
    if (eol === -1) eol = src.length;
    const line = src.slice(pos, eol);
    const m = assign.exec(line);
    if (!m) {
      pos = eol + 1;
      continue;
    }
    const key = m[1] as string;
    const valueStart = pos + m[0].length;
    const q = src[valueStart];
    if (q === '"' || q === "'" || q === '`') {
      // Find the closing quote (double quotes may span lines and escape the quote).
      let i = valueStart + 1;
      let value = '';
      let closed = false;
      while (i < src.length) {
        const c = src[i] as string;
        if (q === '"' && c === '\\' && i + 1 < src.length) {
          const n = src[i + 1] as string;
          value += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === '\\' || n === '"' ? n : `\\${n}`;
          i += 2;
          continue;
        }
        if (c === q) {
          closed = true;
          break;
        }
        if (c === '\n' && q !== '"') break;
        value += c;
        i++;
      }
      if (closed) {
        out[key] = value;
        const next = src.indexOf('\n', i);
        pos = next === -1 ? src.length : next + 1;
        continue;
      }
      // Unclosed quote: take the rest of the line literally (quote included), like dotenv.
    }
    let value = src.slice(valueStart, eol);
    const hash = value.search(/(^|[ \t])#/);
    if (hash !== -1) value = value.slice(0, hash);
    out[key] = value.trim();
    pos = eol + 1;
  }
  return out;
}
