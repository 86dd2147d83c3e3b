/**
 * The sentence as the other steps read it: quotes set aside (kept verbatim, never read as words),
 * number words turned into digits, lower case. Every transformation keeps string length, so an offset
 * in `lower` is the same offset in `masked`, whose case the place resolver needs ("US" vs "us").
 */
import type { Language } from './intent.ts';

const compiled = new Map<string, RegExp>();

/**
 * A regular expression built from parts, compiled once per source and flags. Callers use `matchAll`
 * (which copies the expression) or flag-less `exec`/`test`, so a shared instance keeps no state.
 */
export function regex(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let pattern = compiled.get(key);
  if (pattern === undefined) {
    pattern = new RegExp(source, flags);
    compiled.set(key, pattern);
  }
  return pattern;
}

export interface PreparedText {
  /** As given. */
  raw: string;
  /** `raw` with quoted and backticked spans replaced by same-length placeholders, NFKC per character. */
  masked: string;
  /** `masked` in lower case with number words as digits ("two" → "2  ", "세 대" → "3 대"). */
  lower: string;
  /** The quoted spans, verbatim, in order; placeholder `⟦i⟧` stands for `quotes[i]`. */
  quotes: Quote[];
  language: Language;
  /** Assumptions made while reading numbers ("a couple" → 2). */
  notes: string[];
  /** "a few", "several", "몇 대": a count was meant but not given. */
  vagueCount: boolean;
}

export interface Quote {
  text: string;
  start: number;
  end: number;
  /** Backticks: the person marked it as code. */
  backtick: boolean;
}

const QUOTE_PATTERNS: readonly { pattern: RegExp; backtick: boolean }[] = [
  { pattern: /```([\s\S]+?)```/g, backtick: true },
  { pattern: /`([^`]+)`/g, backtick: true },
  { pattern: /"([^"]+)"/g, backtick: false },
  { pattern: /“([^”]+)”/g, backtick: false },
  { pattern: /「([^」]+)」/g, backtick: false },
  { pattern: /‘([^’]+)’/g, backtick: false },
  // Single quotes only around a span (not the apostrophe of "what's", "don't").
  { pattern: /(?<=^|[\s(:=,])'([^']+)'(?=$|[\s.,!?):;]|[가-힣])/g, backtick: false },
];

/** Replace a span with a placeholder of the same length: ⟦0⟧ padded, or blanks when too short. */
function placeholder(index: number, length: number): string {
  const label = String(index);
  if (length < label.length + 2) return ' '.repeat(length);
  return `⟦${label}${' '.repeat(length - label.length - 2)}⟧`;
}

function maskQuotes(raw: string): { masked: string; quotes: Quote[] } {
  let masked = raw;
  const found: Quote[] = [];
  for (const { pattern, backtick } of QUOTE_PATTERNS) {
    for (const match of masked.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      found.push({ text: (match[1] ?? '').trim(), start, end, backtick });
      masked = masked.slice(0, start) + ' '.repeat(end - start) + masked.slice(end);
    }
  }
  found.sort((a, b) => a.start - b.start);
  for (const [index, quote] of found.entries()) {
    masked =
      masked.slice(0, quote.start) + placeholder(index, quote.end - quote.start) + masked.slice(quote.end);
  }
  return { masked, quotes: found };
}

/** NFKC, lower case, one character at a time, so that offsets survive (full-width "ＡＷＳ" → "aws"). */
function foldPerCharacter(text: string): { folded: string; lower: string } {
  let folded = '';
  let lower = '';
  for (const character of text) {
    // Characters outside the BMP take two code units; keep them as they are to keep offsets.
    // Hangul compatibility jamo (ㅇㅇ, ㄱㄱ) stay as typed: NFKC would turn them into conjoining jamo.
    const normal = /[\u3130-\u318f]/.test(character) ? character : character.normalize('NFKC');
    const kept = normal.length === character.length ? normal : character;
    folded += kept;
    const lowered = kept.toLowerCase();
    lower += lowered.length === kept.length ? lowered : kept;
  }
  return { folded, lower };
}

/** Replace every match by `replacement`, padded with spaces to the match's length (never longer). */
function replaceKeepingLength(
  text: string,
  pattern: RegExp,
  replacement: (match: RegExpExecArray) => string | undefined,
): string {
  let result = text;
  for (const match of text.matchAll(pattern)) {
    const value = replacement(match as RegExpExecArray);
    if (value === undefined) continue;
    const length = match[0].length;
    const padded = value.length > length ? value.slice(0, length) : value + ' '.repeat(length - value.length);
    result = result.slice(0, match.index) + padded + result.slice(match.index + length);
  }
  return result;
}

const ENGLISH_NUMBERS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  dozen: 12,
};

/** Korean native numbers (and their forms before a counter: 한, 두, 세, 네, 스무). */
const KOREAN_NUMBERS: Readonly<Record<string, number>> = {
  하나: 1,
  한: 1,
  둘: 2,
  두: 2,
  셋: 3,
  세: 3,
  석: 3,
  넷: 4,
  네: 4,
  다섯: 5,
  여섯: 6,
  일곱: 7,
  여덟: 8,
  아홉: 9,
  열: 10,
  열한: 11,
  열두: 12,
  스무: 20,
  스물: 20,
};

/** Words that, before "one", make it a pronoun ("that one", "the cheapest one"), not a number. */
const ONE_AS_PRONOUN =
  /(?:\b(?:that|this|the|which|first|second|third|last|cheapest|other|another|new|same|any|each|every|gpu|big|small|fastest|closest|right|old)\s+$)|\b(?:the|that|this|which)\s+(?:[\w-]+\s+){1,2}$/;

/** Nouns that count nodes, for "a VM" → "1 VM". */
export const NODE_NOUNS_EN =
  'vms?|virtual machines?|instances?|nodes?|servers?|boxes|box|machines?|hosts?|replicas?|workers?|vps';

/** Korean counters after which a number counts something. */
const KOREAN_COUNTERS = '대|개|장|노드|가지|번|코어|기가|명|배';

function convertNumbers(lower: string, notes: string[]): { text: string; vague: boolean } {
  let text = lower;
  let vague = false;
  // "a couple (of)", "a pair of": 2, noted. "a few", "several", "몇 대": vague, asked.
  text = replaceKeepingLength(text, /\b(?:a\s+)?couple(?:\s+of)?\b/g, () => {
    notes.push('"a couple" read as 2');
    return '2';
  });
  text = replaceKeepingLength(text, /\ba\s+pair\s+of\b/g, () => '2');
  text = replaceKeepingLength(text, /\ba\s+dozen\b/g, () => '12');
  // "just the one", "only the one": a count of 1, though "the one" alone is a pronoun.
  text = replaceKeepingLength(text, /\b(?:just|only)\s+the\s+one\b/g, () => '1');
  if (
    regex(`\\b(?:a\\s+few|several|some|multiple|many)\\s+(?:\\S+\\s+){0,2}(?:${NODE_NOUNS_EN})\\b`).test(text)
  )
    vague = true;
  if (/몇\s*(?:대|개|노드)|여러\s*(?:대|개)|여러\s*(?:vm|노드|서버|인스턴스)/.test(text)) vague = true;
  text = replaceKeepingLength(
    text,
    /\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|twenty|thirty|forty|fifty|hundred)\b/g,
    (match) => {
      const word = match[1] as string;
      const after = text.slice(match.index + 3);
      if (
        word === 'one' &&
        ONE_AS_PRONOUN.test(text.slice(0, match.index)) &&
        !/^\s*(?:each|more|vm|node|server|box|instance|machine)/.test(after)
      )
        return undefined;
      if (
        word === 'one' &&
        /^\s*(?:of\s+(?:them|those|these)|more\s+time)\b/.test(text.slice(match.index + 3))
      )
        return undefined;
      return String(ENGLISH_NUMBERS[word]);
    },
  );
  // "a VM", "an A100 box", "a single GPU server": 1.
  text = replaceKeepingLength(
    text,
    regex(`\\b(?:a|an|a single|single)(?=\\s+(?:[\\w.-]+\\s+){0,3}?(?:${NODE_NOUNS_EN})\\b)`, 'g'),
    () => '1',
  );
  // Korean native numbers before a counter: "세 대", "두 개", "A100 두 장", "다섯 노드".
  text = replaceKeepingLength(
    text,
    regex(
      `(?<![가-힣])(열한|열두|스무|스물|하나|다섯|여섯|일곱|여덟|아홉|한|두|둘|세|셋|석|네|넷|열)(\\s*)(?=${KOREAN_COUNTERS})`,
      'g',
    ),
    (match) => `${KOREAN_NUMBERS[match[1] as string]}${match[2] ?? ''}`,
  );
  // "하나만", "둘만": "only" one or two, never the Sino-Korean 만 (10,000) that "10만" multiplies by.
  text = replaceKeepingLength(
    text,
    /(?<![가-힣])(하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉)만(?=$|[\s,.!?]|[가-힣])/g,
    (match) => String(KOREAN_NUMBERS[match[1] as string]),
  );
  // Standalone native numbers with their endings: "VM 하나", "하나씩", "둘만", "다섯으로".
  text = replaceKeepingLength(
    text,
    /(?<![가-힣])(하나|둘|셋|넷|다섯|여섯|일곱|여덟|아홉)(?=$|[\s,.!?]|씩|만|로|으로|도|를|을|이|가|는|은|에)/g,
    (match) => String(KOREAN_NUMBERS[match[1] as string]),
  );
  // Sino-Korean magnitudes on digits ("10만" = 100,000) stay as written; `magnitudeOf` reads them.
  return { text, vague };
}

/** A magnitude after digits: "10만" (10,000×), "2천" (1,000×), "1억", "100k". Group 1 is the unit. */
export const MAGNITUDE = String.raw`(?:\s*(만|천|억|k)(?![a-z]|\s*원))?`;

const MAGNITUDES: Readonly<Record<string, number>> = { 만: 10_000, 천: 1000, 억: 100_000_000, k: 1000 };

/** The value of digits with the magnitude `MAGNITUDE` captured after them ("10", "만" → 100,000). */
export function magnitudeOf(digits: string, unit: string | undefined): number {
  return Number(digits) * (unit === undefined ? 1 : (MAGNITUDES[unit] ?? 1));
}

/**
 * Korean when at least as many words hold Hangul as are English words ("서울에 deploy 해줘" is Korean;
 * "plz spin up 2 GPU boxes in 서울" is English). Words with digits or symbols (k8s, t3.medium) and
 * short all-caps acronyms (VM, GPU, AWS) count for neither.
 */
export function languageOf(text: string): Language {
  let hangul = 0;
  let english = 0;
  for (const word of text.split(/[\s,.;!?()]+/)) {
    if (/[\uac00-\ud7a3\u3131-\u318e]/.test(word)) hangul += 1;
    else if (/^[A-Za-z']+$/.test(word) && !/^[A-Z]{2,5}s?$/.test(word)) english += 1;
  }
  return hangul > 0 && hangul >= english ? 'ko' : 'en';
}

/** Verbs worth recognising through a typo of the same length: a swap or a wrong letter ("depoly", "sclae"). */
const VERBS = [
  'deploy',
  'delete',
  'create',
  'launch',
  'install',
  'scale',
  'suspend',
  'resume',
  'reboot',
  'restart',
  'terminate',
  'remove',
  'destroy',
  'provision',
  'status',
  'list',
];

function sameLengthTypo(word: string): string | undefined {
  if (word.length < 4) return undefined;
  for (const verb of VERBS) {
    if (verb.length !== word.length || verb === word) continue;
    const differences: number[] = [];
    for (let index = 0; index < word.length && differences.length <= 2; index++) {
      if (word[index] !== verb[index]) differences.push(index);
    }
    const [first, second] = differences;
    const swapped =
      differences.length === 2 &&
      second === (first as number) + 1 &&
      word[first as number] === verb[second] &&
      word[second] === verb[first as number];
    // One wrong letter only in longer verbs: "lisp" must not become "list".
    if (swapped || (differences.length === 1 && word.length >= 6)) return verb;
  }
  return undefined;
}

/** Same-length typos of action verbs, corrected where they stand (offsets survive). */
function correctVerbs(lower: string, notes: string[]): string {
  return lower.replace(/(?<![\w-])[a-z]{4,9}(?![\w-])/g, (word) => {
    const verb = sameLengthTypo(word);
    if (verb === undefined) return word;
    notes.push(`"${word}" read as "${verb}"`);
    return verb;
  });
}

export function prepareText(raw: string): PreparedText {
  const { masked: quoteMasked, quotes } = maskQuotes(raw);
  const { folded, lower: lowered } = foldPerCharacter(quoteMasked);
  const notes: string[] = [];
  const { text: converted, vague } = convertNumbers(lowered, notes);
  const lower = correctVerbs(converted, notes);
  return {
    raw,
    masked: folded,
    lower,
    quotes,
    language: languageOf(raw),
    notes,
    vagueCount: vague,
  };
}

/** Blank out [start, end) of `text`, keeping its length: consumed spans stop matching later patterns. */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

/** Words with offsets, split on spaces and list punctuation; "-", ".", "+", ":", "/", "_" stay inside. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(/[^\s,;!?()[\]{}"“”「」`⟦⟧]+/g)) {
    let value = match[0];
    let end = match.index + value.length;
    // A trailing full stop or colon ends the sentence, not the word ("on demo.").
    while (/[.:]$/.test(value)) {
      value = value.slice(0, -1);
      end -= 1;
    }
    if (value !== '') words.push({ text: value, start: match.index, end });
  }
  return words;
}

/** Korean particles and endings that follow a name: "demo를", "gpu-lab에서", "web은". Longest first. */
export const KOREAN_PARTICLES = [
  '에서는',
  '에서',
  '으로는',
  '으로',
  '에게',
  '한테',
  '이랑',
  '까지',
  '부터',
  '이라는',
  '라는',
  '이란',
  '란',
  '이라고',
  '라고',
  '에는',
  '에도',
  '의',
  '를',
  '을',
  '은',
  '는',
  '이',
  '가',
  '에',
  '로',
  '도',
  '와',
  '과',
  '랑',
  '만',
] as const;

/** "demo를" → "demo": strip one Korean particle after a Latin or digit stem. */
export function stripParticle(word: string): string {
  for (const particle of KOREAN_PARTICLES) {
    if (word.length > particle.length && word.endsWith(particle)) {
      const stem = word.slice(0, -particle.length);
      if (/[a-z0-9]$/i.test(stem)) return stem;
    }
  }
  return word;
}
