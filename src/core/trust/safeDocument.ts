/**
 * Documents of server text (tool results, prompts, resources) carry no link whose target is not http(s).
 *
 * VS Code finds links in a document in two ways: the language's link provider (for markdown: inline links and
 * images, reference definitions, `<scheme:...>` autolinks and HTML `href`/`src`), and the editor's own link
 * detector, which finds bare `http(s)://` and `file://` in any language. Ctrl+click on a `command:` link runs
 * the command with the arguments in the link, so a server could run any command. Markdown keeps its rendering:
 * each construct whose target is not http(s) is escaped so it shows as the literal text the server sent, and
 * is no link. The text inserted at the cursor is never passed through here (it stays exact).
 */

/** The only link targets a document of server text may keep. */
const SAFE_TARGET = /^https?:\/\//i;

// Markdown's own link constructs are only looked for in markdown; other languages with link providers of their
// own (HTML, XML, CSS, ...) are shown as plain text when they mention a scheme that could run or open anything.
const RISKY_SCHEME = /\b(?:command|file|vscode(?:-[a-z]+)?|javascript|vbscript|data|mailto|ftp|ssh|git|x-[a-z-]+)\s*:/i;
const KEEPS_LANGUAGE = new Set(['plaintext', 'markdown', 'json', 'jsonc', 'log']);

/**
 * What to show for `text` in a document of `language`: markdown with every non-http(s) link construct escaped,
 * bare `file://` broken in every language, and a language whose link provider we do not know replaced by
 * `plaintext` when the text mentions a risky scheme.
 */
export function safeDocument(text: string, language: string): { text: string; language: string } {
  const shown = language === 'markdown' ? neutralizeMarkdownLinks(text) : text;
  const lang = KEEPS_LANGUAGE.has(language) || !RISKY_SCHEME.test(shown) ? language : 'plaintext';
  return { text: breakBareFileUris(shown), language: lang };
}

/**
 * The editor's link detector makes every bare `file://` a link in any language. `file:\/\/` is the same text to
 * markdown (`\/` is an escaped `/`) and to JSON strings, and no link.
 */
export function breakBareFileUris(text: string): string {
  return text.replace(/\b(file):\/\//gi, '$1:\\/\\/');
}

/**
 * Escapes each markdown link construct whose target is not http(s) so it renders as its literal text:
 * `[x](t)` and `![x](t)` become `[x]\(t)`, a definition `[r]: t` becomes `\[r]: t`, an autolink `<t>` and an HTML
 * tag with a non-http(s) URL attribute start with `&lt;`. Work is linear in the text (each scan is bounded).
 */
export function neutralizeMarkdownLinks(md: string): string {
  return htmlTags(autolinks(definitions(inlineLinks(md))));
}

function inlineLinks(md: string): string {
  let out = '';
  let last = 0;
  for (let i = md.indexOf(']('); i >= 0; i = md.indexOf('](', i + 2)) {
    if (SAFE_TARGET.test(destinationHead(md, i + 2))) continue;
    out += `${md.slice(last, i)}]\\(`;
    last = i + 2;
  }
  return out + md.slice(last);
}

/** The first characters of the link destination that starts at `start` (after optional blanks and `<`). */
function destinationHead(md: string, start: number): string {
  let j = start;
  while (j < md.length && j - start < 64 && /[ \t\r\n]/.test(md[j] ?? '')) j++;
  if (md[j] === '<') j++;
  return md.slice(j, j + 8);
}

// `[label]: target` at the start of a line, also inside block quotes and list items, target possibly on the next line.
const DEFINITION = /^([ \t>*+\-\d.)]{0,40})\[((?:\\.|[^\\\]\n]){1,999})\]:[ \t]*(?:\r?\n[ \t>]*)?<?([^\s>]{0,8})/gm;

function definitions(md: string): string {
  return md.replace(DEFINITION, (all: string, lead: string, _label: string, target: string) =>
    SAFE_TARGET.test(target) ? all : `${lead}\\${all.slice(lead.length)}`,
  );
}

// `<scheme:...>` (URI autolinks) and `<user@host>` (e-mail autolinks, a `mailto:` target).
const AUTOLINK = /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]{0,2000}|[^\s<>@]{1,200}@[^\s<>]{1,200})>/g;

function autolinks(md: string): string {
  return md.replace(AUTOLINK, (all: string, target: string) => (SAFE_TARGET.test(target) ? all : `&lt;${all.slice(1)}`));
}

// An HTML start tag (bounded) and the attributes that hold URLs in it.
const TAG = /<[a-zA-Z][\w:-]{0,40}(?=[\s/>])[^<>]{0,4000}>/g;
const URL_ATTRIBUTE =
  /(?:^|[\s"'/])(?:href|src|srcset|action|formaction|poster|background|cite|data|xlink:href|lowsrc|dynsrc|longdesc|usemap|manifest|icon|ping)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*))/gi;

function htmlTags(md: string): string {
  return md.replace(TAG, (tag: string) => (tagHasUnsafeUrl(tag) ? `&lt;${tag.slice(1)}` : tag));
}

function tagHasUnsafeUrl(tag: string): boolean {
  for (const m of tag.matchAll(URL_ATTRIBUTE)) {
    const value = m[1] ?? m[2] ?? m[3] ?? '';
    // srcset lists several URLs; every one must be http(s).
    if (value.split(',').some((part) => !SAFE_TARGET.test(part.trim()))) return true;
  }
  return false;
}
