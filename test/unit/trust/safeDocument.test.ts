import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { breakBareFileUris, neutralizeMarkdownLinks, safeDocument } from '../../../src/core/trust/safeDocument';

// Every link target a markdown renderer would find: inline, image, autolink, definition, HTML.
const targetsIn = (md: string): string[] => {
  const out: string[] = [];
  for (const m of md.matchAll(/(?<!\\)\]\(\s*<?([^\s)>]*)/g)) out.push(m[1] ?? '');
  for (const m of md.matchAll(/^[ \t>*+\-\d.)]*(?<!\\)\[[^\]\n]+\]:[ \t]*\n?[ \t>]*<?(\S*)/gm)) out.push(m[1] ?? '');
  for (const m of md.matchAll(/<([a-zA-Z][\w+.-]*:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>/g)) out.push(m[1] ?? '');
  for (const m of md.matchAll(/<[a-zA-Z][^<>]*\b(?:href|src)\s*=\s*["']?([^"'\s>]*)/gi)) out.push(m[1] ?? '');
  return out;
};

void describe('neutralizeMarkdownLinks', () => {
  const hostile = [
    '[Sign in again](command:workbench.action.openSettings?%5B%22x%22%5D)',
    '![img](file:///etc/passwd)',
    '[x]( <vscode://ms-vscode.x/y> "title")',
    '[relative](docs/readme.md) [frag](#top) [mail](mailto:a@b.c)',
    '[nested [brackets]](command:a)',
    '[ref]: command:workbench.action.quit',
    '> [quoted]: <javascript:alert(1)>',
    '[next-line]:',
    '  command:x',
    '<command:workbench.action.quit> <vscode-insiders://x> <user@example.com>',
    '<a href="command:x">a</a> <img src=\'data:image/png;base64,AA\'> <img srcset="https://ok 1x, command:x 2x">',
    '[entity](&#99;ommand:x)',
  ].join('\n');

  void it('leaves no target that is not http(s) in inline links, images, definitions, autolinks or HTML', () => {
    const before = targetsIn(hostile);
    assert.ok(before.filter((t) => !/^https?:/i.test(t)).length >= 12, `the fixture has hostile targets: ${before.join(' | ')}`);
    const out = neutralizeMarkdownLinks(hostile);
    assert.deepEqual(targetsIn(out).filter((t) => !/^https?:\/\//i.test(t)), []);
  });

  void it('escapes so that markdown still shows the literal text the server sent', () => {
    assert.equal(neutralizeMarkdownLinks('a [x](command:y) b'), 'a [x]\\(command:y) b');
    assert.equal(neutralizeMarkdownLinks('![i](file:///a)'), '![i]\\(file:///a)');
    assert.equal(neutralizeMarkdownLinks('[r]: command:y'), '\\[r]: command:y');
    assert.equal(neutralizeMarkdownLinks('- [r]: vscode:y'), '- \\[r]: vscode:y');
    assert.equal(neutralizeMarkdownLinks('see <command:y>'), 'see &lt;command:y>');
    assert.equal(neutralizeMarkdownLinks('<a href="command:y">z</a>'), '&lt;a href="command:y">z</a>');
  });

  void it('keeps http(s) links, code-like brackets and ordinary text as they are', () => {
    const fine = '# Title\n[docs](https://example.com/a_(b)) ![logo](http://x/y.png) <https://example.com>\n[r]: https://e.com\n<b>bold</b> <img src="https://e.com/i.png">\nNote: arr[i] (x) and f(a)[b]';
    assert.equal(neutralizeMarkdownLinks(fine), fine);
  });

  void it('is linear: a megabyte of adversarial openers takes well under a second', () => {
    for (const unit of ['](', '<a ', '[x]:', '<x:', '<a href=', '[' ]) {
      const big = unit.repeat(Math.ceil(1_000_000 / unit.length));
      const t0 = performance.now();
      neutralizeMarkdownLinks(big);
      const ms = performance.now() - t0;
      assert.ok(ms < 1000, `${JSON.stringify(unit)} x ${big.length / unit.length}: ${ms.toFixed(0)} ms`);
    }
  });
});

void describe('safeDocument', () => {
  void it('breaks bare file:// in every language (the editor links it anywhere) without changing what markdown or JSON mean', () => {
    assert.equal(breakBareFileUris('see file:///etc/passwd and FILE://x'), 'see file:\\/\\//etc/passwd and FILE:\\/\\/x');
    assert.equal(JSON.parse(safeDocument('{"a":"file:///etc"}', 'json').text).a, 'file:///etc');
    assert.equal(safeDocument('plain file:///x', 'plaintext').language, 'plaintext');
  });

  void it('shows a language with its own unknown link provider as plain text when it mentions a risky scheme', () => {
    assert.deepEqual(safeDocument('<a href="command:x">y</a>', 'html'), { text: '<a href="command:x">y</a>', language: 'plaintext' });
    assert.equal(safeDocument('<a href="https://e.com">y</a>', 'html').language, 'html');
    assert.equal(safeDocument('x = 1', 'python').language, 'python');
    assert.equal(safeDocument('[x](command:y)', 'markdown').language, 'markdown');
  });
});
