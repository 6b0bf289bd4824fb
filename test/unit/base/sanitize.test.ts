import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeHiddenInUri, sanitizeHost, sanitizeLabel, sanitizeMessage, sanitizeText } from '../../../src/core/base/sanitize';

void describe('sanitizeLabel', () => {
  void it('strips ANSI escapes, bidi overrides and zero-width characters from labels', () => {
    assert.equal(sanitizeLabel('\u001b[31mred\u001b[0m tool'), 'red tool');
    assert.equal(sanitizeLabel('safe\u202etxt.exe'), 'safetxt.exe');
    assert.equal(sanitizeLabel('zero\u200bwidth'), 'zerowidth');
  });

  void it('folds whitespace to single spaces and trims, also for plain ASCII', () => {
    assert.equal(sanitizeLabel('  two\t\twords \n'), 'two words');
    assert.equal(sanitizeLabel('a  b'), 'a b');
    assert.equal(sanitizeLabel(' '), '');
  });

  void it('plain printable ASCII is kept as is and capped like any other text', () => {
    assert.equal(sanitizeLabel('read_file ~/x [y] (z) $HOME'), 'read_file ~/x [y] (z) $HOME');
    const long = 'word '.repeat(100).trim();
    assert.equal(sanitizeLabel(long, 20), `${long.slice(0, 19)}…`);
    assert.equal(sanitizeLabel(long, 20), `${sanitizeText(long).slice(0, 19)}…`);
  });
});

// VS Code's own pattern for links in notifications, progress and quick input messages (parseLinkedText in
// src/vs/base/common/linkedText.ts), and for `$(icon)` in labels (renderLabelWithIcons).
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const VSCODE_ICON = /\$\([a-z0-9-]+?(?:~[a-z0-9-]*?)?\)/gi;
const HOSTILE = [
  'Session expired. [Sign in again](command:workbench.action.openSettings?%5B%22x%22%5D)',
  '[open](file:///etc/passwd) [web](https://evil.example "t") $(zap) $(sync~spin)',
  // hidden characters must not hide the syntax from the neutraliser, nor be put back together by it
  '[a]\u200b(command:x) $\u202e(zap) [b]\u001b[0m(command:y) [c](\ncommand:z)',
  'bare command:workbench.action.quit and vscode://ms-vscode.x/y',
].join(' ');

void describe('sanitizeMessage (notifications, progress, quick input prompts and validation)', () => {
  void it('leaves nothing VS Code would render as a link or an icon', () => {
    assert.ok((HOSTILE.match(VSCODE_LINK) ?? []).length >= 2 && (HOSTILE.match(VSCODE_ICON) ?? []).length >= 2, 'the fixture is hostile');
    const out = sanitizeMessage(HOSTILE);
    assert.deepEqual(out.match(VSCODE_LINK), null, out);
    assert.deepEqual(out.match(VSCODE_ICON), null, out);
    assert.doesNotMatch(out, /\b(command|vscode):\S/i, 'bare command and editor URIs are split');
    assert.doesNotMatch(out, /[\u0000-\u001f\u200b\u202e]/);
  });

  void it('keeps the words readable and whole messages on one line, capped', () => {
    assert.equal(sanitizeMessage('Session expired. [Sign in](command:a.b)'), 'Session expired. [Sign in] (command: a.b)');
    assert.equal(sanitizeMessage('cost $(zap)\nnext line'), 'cost $ (zap) next line');
    assert.equal(sanitizeMessage('Could not read "x": MCP error -32602: bad uri.'), 'Could not read "x": MCP error -32602: bad uri.');
    assert.equal(sanitizeMessage('x'.repeat(50), 10), `${'x'.repeat(9)}…`);
  });
});

void describe('sanitizeLabel (quick pick rows, tree rows, status bar)', () => {
  void it('draws no icon and keeps no link syntax, on the fast path too', () => {
    for (const label of ['$(zap) safe', '[x](command:y)', 'tab\t$(zap)', '$\u200b(zap)']) {
      const out = sanitizeLabel(label);
      assert.equal(out.match(VSCODE_ICON), null, out);
      assert.equal(out.match(VSCODE_LINK), null, out);
    }
    assert.equal(sanitizeLabel('$(zap) safe'), '$ (zap) safe');
  });
});

void describe('encodeHiddenInUri (Copy URI)', () => {
  void it('percent-encodes line breaks, tabs, escapes and invisible characters, and says so', () => {
    assert.deepEqual(encodeHiddenInUri('file:///a\nrm -rf ~\r\t\u001b[2J\u202e\u200b'), {
      uri: 'file:///a%0Arm -rf ~%0D%09%1B[2J%E2%80%AE%E2%80%8B',
      changed: true,
    });
    assert.deepEqual(encodeHiddenInUri('demo://resource/static/document/architecture.md?x=1#y'), {
      uri: 'demo://resource/static/document/architecture.md?x=1#y',
      changed: false,
    });
  });
});

void describe('sanitizeText', () => {
  void it('a lone carriage return becomes a line break (a terminal would overprint with it); CRLF and tabs stay', () => {
    assert.equal(sanitizeText('rm -rf ~\rls -la'), 'rm -rf ~\nls -la');
    assert.equal(sanitizeText('a\r\nb\tc\r'), 'a\r\nb\tc\n');
    assert.equal(sanitizeText('x\u001b[2K\ry'), 'x\ny');
  });
});

void describe('sanitizeHost', () => {
  void it('a long host name keeps its end (the registrable domain), cut at its start', () => {
    const host = `accounts.google.com.${'a'.repeat(150)}.evil.example`;
    const shown = sanitizeHost(host, 60);
    assert.equal(shown.length, 60);
    assert.ok(shown.startsWith('…') && shown.endsWith('.evil.example'), shown);
    assert.equal(sanitizeHost('example.com'), 'example.com');
  });
});
