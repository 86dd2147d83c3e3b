import { CITY_ALIASES, type CityAlias } from './aliases.ts';
import { AREAS, type AreaDefinition } from './areas.ts';
import { countryNames } from './countries.ts';
import { nameKey, spacelessKey } from './text.ts';
import { CJK_FUNCTION_WORDS } from './words.ts';

export type LexiconTarget =
  | { kind: 'alias'; alias: CityAlias }
  | { kind: 'country'; code: string }
  | { kind: 'area'; area: AreaDefinition };

export interface LexiconEntry {
  target: LexiconTarget;
  /**
   * The name is also a common word ("오만" is Oman and 50,000; "Chad", "Jersey"): it counts only after a
   * cue, in a list with another place, or as the whole text.
   */
  needsContext: boolean;
  /** Only as written in capitals: "US", not the pronoun "us". */
  capitalsOnly: boolean;
}

export interface Lexicon {
  /** Name key → entry, for every curated city, area and country name. */
  entries: ReadonlyMap<string, LexiconEntry>;
  /** Japanese and Chinese names and function words, for longest-match scanning of unspaced text. */
  cjk: ReadonlyMap<string, LexiconEntry | 'connector' | 'cue' | 'filler'>;
  cjkMaxLength: number;
}

/** Country names that are also common words, in English or Korean. */
const NEEDS_CONTEXT = new Set(
  [
    'chad',
    'jordan',
    'jersey',
    'guernsey',
    'guinea',
    'niger',
    'mali',
    'togo',
    'oman',
    'reunion',
    'georgia',
    'phoenix',
    '오만',
    '수단',
    '가나',
    '말리',
    '차드',
    '기니',
    '토고',
    '통가',
    '가봉',
    '피지',
    '이란',
    '조지아',
  ].map(nameKey),
);

const CJK_CHARS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々]/u;

let lexicon: Lexicon | undefined;

/**
 * All curated names, built once: city aliases first, then areas, then countries; a name already
 * taken keeps its first meaning ("Singapore" and "Hong Kong" are cities, not countries).
 */
export function getLexicon(): Lexicon {
  if (lexicon !== undefined) return lexicon;
  const entries = new Map<string, LexiconEntry>();
  const add = (name: string, target: LexiconTarget) => {
    const key = nameKey(name);
    if (key === '') return;
    const entry: LexiconEntry = {
      target,
      needsContext: NEEDS_CONTEXT.has(key),
      capitalsOnly: key === 'us',
    };
    for (const variant of [key, spacelessKey(key)]) {
      if (variant !== undefined && !entries.has(variant)) entries.set(variant, entry);
    }
  };
  for (const alias of CITY_ALIASES)
    for (const name of [alias.name, ...alias.names]) add(name, { kind: 'alias', alias });
  for (const area of AREAS) for (const name of [area.name, ...area.names]) add(name, { kind: 'area', area });
  for (const [name, code] of countryNames().names) add(name, { kind: 'country', code });

  const cjk = new Map<string, LexiconEntry | 'connector' | 'cue' | 'filler'>();
  for (const [key, entry] of entries) if (CJK_CHARS.test(key) && !key.includes(' ')) cjk.set(key, entry);
  for (const [word, role] of CJK_FUNCTION_WORDS) if (!cjk.has(word)) cjk.set(word, role);
  let cjkMaxLength = 1;
  for (const key of cjk.keys()) cjkMaxLength = Math.max(cjkMaxLength, key.length);
  lexicon = { entries, cjk, cjkMaxLength };
  return lexicon;
}
