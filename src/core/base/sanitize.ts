/**
 * Text from servers is untrusted. These helpers make it inert for labels, tooltips and plain-text documents.
 */

// ANSI CSI/OSC escape sequences and other C0/C1 control characters (tab and newline are kept by `forText`).
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Bidi overrides/isolates, zero-width characters, BOM, word joiner, soft hyphen, tag characters.
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u061c\u180e]|\udb40[\udc00-\udc7f]/g;

// A carriage return not starting a CRLF: a terminal moves the cursor back and the rest of the line overprints
// what came before (a command hidden behind an innocent one); an editor already reads it as a line break.
const LONE_CR = /\r(?!\n)/g;

/**
 * For multi-line plain text (tooltips, documents, terminal output): strips escapes and invisible characters, keeps
 * \n, \r\n and \t; a lone \r becomes \n.
 */
export function sanitizeText(text: string): string {
  return text.replace(ANSI, '').replace(INVISIBLE, '').replace(CONTROL, '').replace(LONE_CR, '\n');
}

const PLAIN_LABEL = /^[!-~]+(?: [!-~]+)*$/;

// VS Code draws `$(name)` as an icon (quick picks, quick input, status bar, progress) and turns `[label](target)`
// into a live link (notifications, progress, quick input prompts and validation messages: its `parseLinkedText`
// needs `](` adjacent). A space inside each pair keeps the text readable and makes it inert.
const MARKUP = /\$\(|\]\(/g;
const unjoin = (pair: string) => `${pair[0] ?? ''} ${pair[1] ?? ''}`;
// A bare command or editor URI (`command:id?args`, `vscode://...`): never a link in one-line surfaces today, but
// split anyway so no future renderer (or a user copying it) meets a runnable target.
const BARE_COMMAND = /\b(command|vscode(?:-[a-z]+)?):(?=[^\s])/gi;

/**
 * For one-line labels and descriptions (tree rows, quick pick label/description/detail, status bar): like
 * `sanitizeText`, whitespace folded to single spaces, `$(icon)` and `[x](y)` syntax made inert, length capped.
 */
export function sanitizeLabel(text: string, maxLength = 200): string {
  // Fast path (a big server has thousands of rows): printable ASCII words separated by single spaces have nothing
  // to strip, fold or trim.
  let one = PLAIN_LABEL.test(text) ? text : sanitizeText(text).replace(/\s+/g, ' ').trim();
  if (one.includes('$(') || one.includes('](')) one = one.replace(MARKUP, unjoin);
  return cap(one, maxLength);
}

/**
 * The one function for text VS Code renders with links: notification messages, progress titles and messages,
 * quick input prompts, placeholders and validation messages. Like `sanitizeLabel`, and bare `command:` /
 * `vscode:` URIs are split too. Pass the whole message (our words and the server's): nothing in it may be a link.
 */
export function sanitizeMessage(text: string, maxLength = 1000): string {
  const one = sanitizeText(text).replace(/\s+/g, ' ').trim().replace(MARKUP, unjoin).replace(BARE_COMMAND, '$1: ');
  return cap(one, maxLength);
}

/**
 * A host name as shown (a page a server asks the user to open): like `sanitizeLabel`, but a long one is cut at its
 * start, never its end: the end is the registrable domain (`accounts.google.com.<150 letters>.evil.example` must
 * not read as `accounts.google.com.aaa…`).
 */
export function sanitizeHost(host: string, maxLength = 120): string {
  const one = sanitizeLabel(host, Number.MAX_SAFE_INTEGER);
  return one.length > maxLength ? `…${one.slice(one.length - Math.max(0, maxLength - 1))}` : one;
}

function cap(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, Math.max(0, maxLength - 1))}…` : text;
}

/** Only http(s) links may ever be opened. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Makes hidden characters visible instead of removing them: escapes, control characters, bidi overrides and
 * zero-width characters become `\u001B`-style text. For places where the user must see exactly what a server
 * (or a config file) says, e.g. arguments in the consent dialog or a tool-definition diff.
 */
export function makeInvisibleVisible(text: string): string {
  return text.replace(VISIBLE_ESCAPE, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp > 0xffff ? `\\u{${cp.toString(16).toUpperCase()}}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
// Every character `sanitizeText` would remove, one at a time (ANSI sequences are made visible by their ESC).
const VISIBLE_ESCAPE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u061c\u180e\u{E0000}-\u{E007F}]/gu;

/** True when the text holds characters that `sanitizeText` removes (used to flag hostile names). */
export function hasHiddenCharacters(text: string): boolean {
  VISIBLE_ESCAPE.lastIndex = 0;
  const found = VISIBLE_ESCAPE.test(text);
  VISIBLE_ESCAPE.lastIndex = 0;
  return found;
}

/**
 * Escapes text so it renders literally inside a MarkdownString (no links, images, HTML, emphasis, headings).
 * Sanitizes first. Use with a MarkdownString that has `isTrusted` and `supportHtml` off.
 */
export function markdownEscape(text: string): string {
  return sanitizeText(text)
    .replace(/[\\`*_{}[\]()#+\-.!|<>~:&"'$=]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`))
    .replace(/\n/g, '  \n');
}

// Control characters (tab and line breaks included) and the invisible characters `sanitizeText` removes.
const URI_HIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u061c\u180e\u{E0000}-\u{E007F}]/gu;

/**
 * A URI from a server for the clipboard: control and invisible characters percent-encoded (`\n` -> `%0A`), as
 * RFC 3986 requires of them, so a paste into a terminal cannot run a second line and nothing hides in it.
 * `changed` says whether anything was encoded (the caller tells the user).
 */
export function encodeHiddenInUri(uri: string): { uri: string; changed: boolean } {
  let changed = false;
  const out = uri.replace(URI_HIDDEN, (ch) => {
    changed = true;
    return encodeURIComponent(ch);
  });
  return { uri: out, changed };
}
