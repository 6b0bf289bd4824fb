/**
 * MIME types and file names -> VS Code language ids and file extensions. MIME types and URIs come from servers:
 * only looked up in tables, never used as paths or commands.
 */

const BY_MIME: Record<string, string> = {
  'application/json': 'json',
  'application/ld+json': 'json',
  'application/schema+json': 'json',
  'application/geo+json': 'json',
  'application/manifest+json': 'json',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/jsonlines': 'jsonl',
  'application/json-seq': 'jsonl',
  'text/json': 'json',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'image/svg+xml': 'xml',
  'application/rss+xml': 'xml',
  'application/atom+xml': 'xml',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/x-yaml': 'yaml',
  'application/toml': 'toml',
  'text/x-toml': 'toml',
  'application/javascript': 'javascript',
  'application/x-javascript': 'javascript',
  'application/ecmascript': 'javascript',
  'text/javascript': 'javascript',
  'text/ecmascript': 'javascript',
  'application/typescript': 'typescript',
  'application/x-typescript': 'typescript',
  'text/typescript': 'typescript',
  'text/x-typescript': 'typescript',
  'text/jsx': 'javascriptreact',
  'text/tsx': 'typescriptreact',
  'text/x-python': 'python',
  'text/x-script.python': 'python',
  'application/x-python': 'python',
  'application/x-python-code': 'python',
  'text/python': 'python',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'tsv',
  'text/css': 'css',
  'text/x-scss': 'scss',
  'text/x-less': 'less',
  'text/x-sh': 'shellscript',
  'application/x-sh': 'shellscript',
  'text/x-shellscript': 'shellscript',
  'application/x-shellscript': 'shellscript',
  'text/x-c': 'c',
  'text/x-csrc': 'c',
  'text/x-chdr': 'c',
  'text/x-c++': 'cpp',
  'text/x-c++src': 'cpp',
  'text/x-c++hdr': 'cpp',
  'text/x-java': 'java',
  'text/x-java-source': 'java',
  'text/x-go': 'go',
  'text/x-rust': 'rust',
  'text/rust': 'rust',
  'text/x-ruby': 'ruby',
  'application/x-ruby': 'ruby',
  'text/x-php': 'php',
  'application/x-httpd-php': 'php',
  'text/x-csharp': 'csharp',
  'text/x-kotlin': 'kotlin',
  'text/x-swift': 'swift',
  'text/x-lua': 'lua',
  'text/x-perl': 'perl',
  'text/x-r': 'r',
  'application/sql': 'sql',
  'text/x-sql': 'sql',
  'application/graphql': 'graphql',
  'text/x-diff': 'diff',
  'text/x-patch': 'diff',
  'text/x-log': 'log',
  'text/x-ini': 'ini',
  'text/x-properties': 'properties',
  'text/x-dockerfile': 'dockerfile',
  'text/x-makefile': 'makefile',
  'text/x-tex': 'latex',
  'application/x-tex': 'latex',
  'text/x-rst': 'restructuredtext',
  'text/plain': 'plaintext',
  'text/uri-list': 'plaintext',
};

const BY_EXTENSION: Record<string, string> = {
  json: 'json',
  jsonc: 'jsonc',
  json5: 'json5',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  geojson: 'json',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'mdx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  xml: 'xml',
  svg: 'xml',
  xsd: 'xml',
  xsl: 'xml',
  plist: 'xml',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  py: 'python',
  pyi: 'python',
  csv: 'csv',
  tsv: 'tsv',
  css: 'css',
  scss: 'scss',
  less: 'less',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  ps1: 'powershell',
  bat: 'bat',
  cmd: 'bat',
  c: 'c',
  h: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  cs: 'csharp',
  java: 'java',
  kt: 'kotlin',
  kts: 'kotlin',
  go: 'go',
  rs: 'rust',
  rb: 'ruby',
  php: 'php',
  swift: 'swift',
  lua: 'lua',
  pl: 'perl',
  r: 'r',
  sql: 'sql',
  graphql: 'graphql',
  gql: 'graphql',
  diff: 'diff',
  patch: 'diff',
  log: 'log',
  ini: 'ini',
  cfg: 'ini',
  conf: 'ini',
  properties: 'properties',
  dockerfile: 'dockerfile',
  makefile: 'makefile',
  tex: 'latex',
  rst: 'restructuredtext',
  vue: 'vue',
  svelte: 'svelte',
  dart: 'dart',
  scala: 'scala',
  clj: 'clojure',
  ex: 'elixir',
  exs: 'elixir',
  erl: 'erlang',
  hs: 'haskell',
  ml: 'ocaml',
  fs: 'fsharp',
  vb: 'vb',
  txt: 'plaintext',
  text: 'plaintext',
};

const FILE_NAMES: Record<string, string> = {
  dockerfile: 'dockerfile',
  makefile: 'makefile',
  gnumakefile: 'makefile',
  '.gitignore': 'ignore',
  '.dockerignore': 'ignore',
  '.env': 'dotenv',
};

/** `text/plain; charset=utf-8` -> `text/plain`. */
export function essenceOf(mimeType: string | undefined): string {
  return (mimeType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** The last path segment of a URI (query and fragment removed, percent-decoded when possible). */
export function fileNameFromUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  let path = uri.split(/[?#]/, 1)[0] ?? '';
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length);
  const segment = path.split(/[/\\]/).filter((s) => s.length > 0).pop();
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The language of a file name: by whole name (`Dockerfile`), then by extension. */
export function languageFromFileName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  const byName = FILE_NAMES[lower];
  if (byName) return byName;
  const dot = lower.lastIndexOf('.');
  if (dot < 0 || dot === lower.length - 1) return undefined;
  return BY_EXTENSION[lower.slice(dot + 1)];
}

/**
 * The VS Code language id for content of `mimeType` (parameters ignored; `+json`/`+xml`/`+yaml` suffixes
 * understood), falling back to the `uri`'s file extension, then `plaintext`. A generic MIME type
 * (`text/plain`, `application/octet-stream`) lets a more specific file extension win.
 */
export function languageFromMimeType(mimeType: string | undefined, uri?: string): string {
  const mime = essenceOf(mimeType);
  const generic = mime === '' || mime === 'text/plain' || mime === 'application/octet-stream' || mime === 'application/x-unknown';
  if (!generic) {
    const exact = BY_MIME[mime];
    if (exact) return exact;
    if (mime.endsWith('+json')) return 'json';
    if (mime.endsWith('+xml')) return 'xml';
    if (mime.endsWith('+yaml')) return 'yaml';
    if (mime.endsWith('+jsonl')) return 'jsonl';
  }
  const byName = languageFromFileName(fileNameFromUri(uri));
  if (byName) return byName;
  return 'plaintext';
}

const EXTENSION_BY_MIME: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'image/bmp': 'bmp',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
  'image/tiff': 'tiff',
  'image/avif': 'avif',
  'image/heic': 'heic',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/webm': 'weba',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/gzip': 'gz',
  'application/x-gzip': 'gz',
  'application/x-tar': 'tar',
  'application/octet-stream': 'bin',
  'application/wasm': 'wasm',
  'application/json': 'json',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/html': 'html',
  'text/csv': 'csv',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/yaml': 'yaml',
};

/** A file extension (no dot) for a MIME type; `bin` when unknown. */
export function extensionForMimeType(mimeType: string | undefined): string {
  const mime = essenceOf(mimeType);
  const known = EXTENSION_BY_MIME[mime];
  if (known) return known;
  const lang = BY_MIME[mime];
  if (lang) {
    const ext = Object.entries(BY_EXTENSION).find(([, l]) => l === lang)?.[0];
    if (ext) return ext;
  }
  if (mime.endsWith('+json')) return 'json';
  if (mime.endsWith('+xml')) return 'xml';
  const sub = /^[a-z]+\/([a-z0-9]{1,8})$/.exec(mime)?.[1];
  return sub && /^(image|audio|video)\//.test(mime) ? sub : 'bin';
}

/**
 * Makes untrusted text safe as a file name: no path separators, no `..`, no control or reserved characters,
 * no Windows device names, bounded length. Returns `fallback` when nothing usable is left.
 */
export function safeFileName(name: string | undefined, fallback = 'result'): string {
  let s = (name ?? '')
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(s)) s = `_${s}`;
  if (s.length > 100) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
    s = s.slice(0, 100 - ext.length) + ext;
  }
  return s.length > 0 ? s : fallback;
}

/** `1536` -> `1.5 KB`, `5242880` -> `5 MB` (binary multiples, as editors show file sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded} ${units[unit]}`;
}
