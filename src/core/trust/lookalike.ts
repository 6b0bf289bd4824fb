/**
 * Look-alike names: a server called `gіthub` (Cyrillic і) or `filesοstem` (Greek ο) reads as a server the user
 * knows. A name whose letters come from more than one script is flagged, following the spirit of Unicode's
 * "highly restrictive" identifier profile (UTS #39): one script, or Latin with the scripts Chinese, Japanese and
 * Korean are written in together.
 */

/** Scripts with a name for the message; a letter in none of them counts as "another script". */
const SCRIPTS = [
  'Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee', 'Coptic', 'Georgian', 'Hebrew', 'Arabic', 'Syriac', 'Thaana',
  'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao',
  'Tibetan', 'Myanmar', 'Ethiopic', 'Khmer', 'Mongolian', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo',
  'Canadian_Aboriginal', 'Runic', 'Ogham', 'Lisu', 'Vai', 'Tifinagh', 'Nko', 'Osage', 'Deseret',
].map((name) => ({ name: name.replace('_', ' '), re: new RegExp(`^\\p{Script_Extensions=${name}}$`, 'u') }));

/** Letters used by no script in particular (mathematical alphanumerics such as 𝐡): look-alikes of Latin by design. Script
 * extensions count first, so the Japanese long-vowel mark ー is Katakana/Hiragana, not "common". */
const COMMON = /^\p{Script=Common}$/u;
const LETTER = /^\p{L}$/u;

/** Script sets people really write names in (UTS #39 "highly restrictive"). */
const ALLOWED: readonly ReadonlySet<string>[] = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/** Names are short; a longer one is checked on its start (the part shown in the tree anyway). */
const MAX_CHARS = 256;

function scriptOf(ch: string): string {
  for (const s of SCRIPTS) if (s.re.test(ch)) return s.name;
  return COMMON.test(ch) ? 'symbol' : 'another script';
}

/**
 * A warning for people when `name` mixes letters of different scripts (Latin with Cyrillic or Greek look-alikes,
 * or with mathematical symbol letters), naming the scripts and the foreign characters as code points; undefined
 * for a name in one script (or Latin with Chinese, Japanese or Korean as written). Digits and punctuation count
 * for no script.
 */
export function mixedScriptWarning(name: string): string | undefined {
  const byScript = new Map<string, string[]>();
  let n = 0;
  for (const ch of name) {
    if (++n > MAX_CHARS) break;
    if (!LETTER.test(ch)) continue;
    const script = scriptOf(ch);
    const list = byScript.get(script) ?? [];
    if (!list.includes(ch)) list.push(ch);
    byScript.set(script, list);
  }
  if (byScript.size < 2) return undefined;
  const scripts = [...byScript.keys()];
  if (ALLOWED.some((set) => scripts.every((s) => set.has(s)))) return undefined;
  // The script with most letters is taken as the intended one; the others are listed as suspects.
  const main = byScript.has('Latin') ? 'Latin' : [...byScript.entries()].sort((a, b) => b[1].length - a[1].length)[0]?.[0];
  const others = scripts.filter((s) => s !== main);
  const suspects = others
    .flatMap((s) => byScript.get(s) ?? [])
    .slice(0, 5)
    .map((ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
  const label = (s: string): string => (s === 'symbol' ? 'symbol (mathematical)' : s);
  return `the name mixes ${label(main ?? '')} and ${others.map(label).join(' and ')} letters (look-alike characters?): ${suspects.join(', ')}`;
}
