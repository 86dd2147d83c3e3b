/**
 * Text normalisation and tokenising for place names: one key per spelling, so "São Paulo",
 * "Sao-Paulo" and "sao paulo" meet, while Hangul, kana and kanji stay as written.
 */

const LATIN_MARKS = /[\u0300-\u036f]/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const HANGUL = /\p{Script=Hangul}/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー・々]/u;

/** Lower case, compatibility forms folded (full-width letters), Latin accents removed. */
export function foldText(text: string): string {
  // NFKD splits Hangul syllables and kana with voicing marks too; NFC puts them back once the Latin
  // marks are gone (the same result as NFKC, lower case, NFD, strip, NFC, in fewer passes).
  const stripped = text.normalize('NFKD').replace(LATIN_MARKS, '').toLowerCase();
  return PRINTABLE_ASCII.test(stripped) ? stripped : stripped.normalize('NFC');
}

/**
 * The lookup key of a name: folded, dots, commas and apostrophes removed (so dotted acronyms join:
 * "U.S." → "us", "Washington, D.C." → "washington dc"), hyphens and slashes as spaces.
 */
export function nameKey(name: string): string {
  // Most names are plain ASCII: skip the Unicode normalisations (much of the city index build).
  return (PRINTABLE_ASCII.test(name) ? name.toLowerCase() : foldText(name))
    .replace(/[-–—_/]+/g, ' ')
    .replace(/['’.,()·・]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The key without spaces, for names Korean and Japanese write both ways ("미국 동부", "미국동부"). */
export function spacelessKey(key: string): string | undefined {
  return key.includes(' ') && (HANGUL.test(key) || CJK.test(key)) ? key.replaceAll(' ', '') : undefined;
}

export type Script = 'latin' | 'hangul' | 'cjk' | 'number';

export function scriptOf(word: string): Script {
  if (HANGUL.test(word)) return 'hangul';
  if (CJK.test(word)) return 'cjk';
  if (/^[\d.,]+$/.test(word)) return 'number';
  return 'latin';
}

/** Pieces of text as the resolver sees them. */
export type Piece =
  | { type: 'word'; raw: string; key: string; script: Script }
  | { type: 'separator'; comma: boolean };

const WORD_OR_SEPARATOR = /[\p{L}\p{N}][\p{L}\p{N}\p{M}._+'’・-]*|[,;/&、，；|]/gu;
const SCRIPT_RUNS =
  /\p{Script=Hangul}+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー・々]+|[^\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー・々]+/gu;

/**
 * Splits text into words and list separators. Words are split where the script changes ("3대",
 * "서울GPU"), at hyphens, dots and plus signs (unless `keep` wants the whole word, for region codes
 * like "ap-northeast-2"), and lose a trailing possessive ("Seoul's").
 */
export function splitText(text: string, keep: (lowerWord: string) => boolean): Piece[] {
  const pieces: Piece[] = [];
  for (const match of text.normalize('NFKC').matchAll(WORD_OR_SEPARATOR)) {
    const token = match[0];
    if (token.length === 1 && ',;/&、，；|'.includes(token)) {
      pieces.push({ type: 'separator', comma: token !== '/' && token !== '&' && token !== '|' });
      continue;
    }
    const trimmed = token.replace(/['’]s$/i, '').replace(/[._+'’・-]+$/, '');
    if (trimmed === '') continue;
    const lower = trimmed.toLowerCase();
    if (keep(lower)) {
      pieces.push({ type: 'word', raw: trimmed, key: lower, script: 'latin' });
      continue;
    }
    for (const run of trimmed.match(SCRIPT_RUNS) ?? []) {
      const script = scriptOf(run);
      if (script === 'latin' && /^(\p{L}\.)+\p{L}?$/u.test(run)) {
        pieces.push({ type: 'word', raw: run, key: nameKey(run.replaceAll('.', '')), script });
        continue;
      }
      const parts = script === 'latin' ? run.split(/[._+'’-]+/) : [run];
      for (const part of parts) {
        if (part === '') continue;
        const key = script === 'number' ? part : nameKey(part).replaceAll(' ', '');
        if (key !== '') pieces.push({ type: 'word', raw: part, key, script: scriptOf(part) });
      }
    }
  }
  return pieces;
}
