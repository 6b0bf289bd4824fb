import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mixedScriptWarning } from '../../../src/core/trust/lookalike';

void test('a name mixing Latin with Cyrillic or Greek look-alike letters is flagged, naming the scripts', () => {
  // "gіthub" with U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
  assert.match(mixedScriptWarning('g\u0456thub') ?? '', /mixes Latin and Cyrillic letters/);
  // "pаypal" with U+0430 CYRILLIC SMALL LETTER A
  assert.match(mixedScriptWarning('p\u0430ypal-mcp') ?? '', /Cyrillic/);
  // "filesystem" with U+03BF GREEK SMALL LETTER OMICRON
  assert.match(mixedScriptWarning('files\u03bfstem') ?? '', /mixes Latin and Greek letters/);
  // Mathematical bold letters look like Latin but are not.
  assert.match(mixedScriptWarning('git\u{1D421}ub') ?? '', /look-alike/);
  // The warning shows which characters are foreign, as code points.
  assert.match(mixedScriptWarning('g\u0456thub') ?? '', /U\+0456/);
});

void test('names in one script, or Latin with CJK as people write them, are not flagged', () => {
  for (const name of ['github', 'my-server_2', 'Файлы', 'αβγ-server'.replace('-server', ''), '日本語', 'ツール-tools', '한국어 tools', 'café', 'naïve', 'über-mcp', 'db/query', '']) {
    assert.equal(mixedScriptWarning(name), undefined, name);
  }
});

void test('a long name is checked on its first 256 characters, within a bound', () => {
  const t0 = performance.now();
  assert.match(mixedScriptWarning(`\u0430${'a'.repeat(500_000)}`) ?? '', /Cyrillic/);
  assert.equal(mixedScriptWarning(`${'a'.repeat(500_000)}\u0430`), undefined, 'past the bound nothing is read');
  assert.ok(performance.now() - t0 < 200, `${(performance.now() - t0).toFixed(0)} ms`);
});
