import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeLabel, sanitizeText } from '../../../src/core/base/sanitize';

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
    assert.equal(sanitizeLabel('read_file ~/x [y](z) $HOME'), 'read_file ~/x [y](z) $HOME');
    const long = 'word '.repeat(100).trim();
    assert.equal(sanitizeLabel(long, 20), `${long.slice(0, 19)}…`);
    assert.equal(sanitizeLabel(long, 20), `${sanitizeText(long).slice(0, 19)}…`);
  });
});
