/**
 * Text → vector. The index stores one vector per row and compares it with the query's vector
 * (cosine distance), so "g5 xlarge seoul", "서울 g5 xlarge" and "aws+ap-northeast-2+g5.xlarge" all
 * land near the same row.
 *
 * The default, `LocalEmbedding`, is offline and deterministic: curated aliases turn the Korean (and a
 * few English) words that matter for specs and regions into one English spelling, the text is split
 * into words, and every word, compound ("g5.xlarge", "ap-northeast-2") and character 3- and 4-gram
 * is hashed (FNV-1a, signed) into a fixed number of dimensions, then L2-normalised. It knows nothing
 * of meaning beyond the alias table: "cheap" finds nothing by itself (price is a filter and a sort,
 * not a word in the rows).
 *
 * `OpenAIEmbedding` calls an embeddings endpoint (`S2A_CATALOG_EMBEDDING=openai`, see catalog/config.ts).
 */
import { z } from 'zod';
import type { CatalogConfig, OpenAIEmbeddingConfig } from '../config.ts';

export interface EmbeddingFunction {
  /** Stable name: part of the index fingerprint, so a different embedding rebuilds the index. */
  readonly name: string;
  readonly dimensions: number;
  /** One vector per text, same order, each of length `dimensions`. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

// ---------------------------------------------------------------------------------------------
// Aliases: Korean ↔ English words for specs, regions, providers and images. Deliberately small:
// each entry is a word a Korean sentence about infrastructure uses where the rows say English.
// ---------------------------------------------------------------------------------------------

/** Alias → the English words it stands for. Keys are lower case (NFKC). */
export const EMBEDDING_ALIASES: Readonly<Record<string, string>> = {
  // accelerators and hardware
  그래픽카드: 'gpu',
  그래픽: 'gpu',
  지피유: 'gpu',
  gpus: 'gpu',
  씨피유: 'cpu',
  프로세서: 'cpu',
  엔비디아: 'nvidia',
  인텔: 'intel',
  메모리: 'memory',
  램: 'memory',
  ram: 'memory',
  aarch64: 'arm64',
  amd64: 'x86_64',
  // price words (no row says them; they keep Korean and English queries alike)
  싼: 'cheap',
  싸게: 'cheap',
  저렴한: 'cheap',
  저렴: 'cheap',
  // providers
  아마존: 'amazon',
  애저: 'azure',
  마이크로소프트: 'microsoft',
  구글: 'google',
  알리바바: 'alibaba',
  텐센트: 'tencent',
  네이버: 'naver',
  케이티: 'kt',
  // places that host regions
  한국: 'korea',
  대한민국: 'korea',
  서울: 'seoul',
  부산: 'busan',
  판교: 'pangyo',
  평촌: 'pyeongchon',
  광주: 'gwangju',
  대전: 'daejeon',
  일본: 'japan',
  도쿄: 'tokyo',
  동경: 'tokyo',
  오사카: 'osaka',
  중국: 'china',
  베이징: 'beijing',
  북경: 'beijing',
  상하이: 'shanghai',
  홍콩: 'hong kong',
  대만: 'taiwan',
  싱가포르: 'singapore',
  싱가폴: 'singapore',
  인도: 'india',
  인도네시아: 'indonesia',
  뭄바이: 'mumbai',
  시드니: 'sydney',
  호주: 'australia',
  미국: 'united states us',
  버지니아: 'virginia',
  오하이오: 'ohio',
  오레곤: 'oregon',
  오리건: 'oregon',
  캘리포니아: 'california',
  캐나다: 'canada',
  유럽: 'europe',
  독일: 'germany',
  프랑크푸르트: 'frankfurt',
  영국: 'united kingdom',
  런던: 'london',
  프랑스: 'france',
  파리: 'paris',
  아일랜드: 'ireland',
  더블린: 'dublin',
  브라질: 'brazil',
  상파울루: 'sao paulo',
  // images
  우분투: 'ubuntu',
  데비안: 'debian',
  윈도우: 'windows',
  윈도우즈: 'windows',
  센트os: 'centos',
  록키: 'rocky',
  레드햇: 'rhel',
};

/** Korean particles and fillers that carry no meaning for search ("싼 거", "서울에서"). */
const STOP_WORDS = new Set([
  '거',
  '것',
  '좀',
  '에',
  '에서',
  '의',
  '을',
  '를',
  '은',
  '는',
  '이',
  '가',
  '로',
  '으로',
  '와',
  '과',
  '랑',
  '근처',
  '주변',
  'the',
  'a',
  'an',
  'in',
  'near',
  'for',
  'with',
  'of',
]);

const HANGUL = /[\uac00-\ud7a3]/;
/** Longest first, so "그래픽카드" wins over "그래픽". */
const ALIAS_KEYS = Object.keys(EMBEDDING_ALIASES).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
const ALIAS_PATTERN = new RegExp(
  ALIAS_KEYS.map((key) =>
    // Korean words take particles ("서울에서"): words of two or more syllables match inside words;
    // one-syllable ones ("싼", "램") and Latin ones match whole words only.
    HANGUL.test(key) && key.length > 1
      ? escapeRegExp(key)
      : `(?<![\\p{L}\\p{N}_])${escapeRegExp(key)}(?![\\p{L}\\p{N}_])`,
  ).join('|'),
  'gu',
);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The words a text is compared by: NFKC, lower case, aliases replaced, split on anything that is not
 * a letter, digit or `_`, stop words dropped. Compounds (`g5.xlarge`, `ap-northeast-2`) are kept as
 * well as their parts. Exported for tests and for building row texts.
 */
export function embeddingTokens(text: string): { words: string[]; compounds: string[] } {
  const normalised = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(ALIAS_PATTERN, (match) => ` ${EMBEDDING_ALIASES[match] ?? match} `);
  const words = new Set<string>();
  const compounds = new Set<string>();
  for (const chunk of normalised.split(/\s+/)) {
    const compound = chunk.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    const parts = compound.split(/[^\p{L}\p{N}_]+/u).filter((part) => part.length > 0);
    if (parts.length > 1) compounds.add(compound);
    for (const part of parts) if (!STOP_WORDS.has(part)) words.add(part);
  }
  return { words: [...words].sort(), compounds: [...compounds].sort() };
}

// ---------------------------------------------------------------------------------------------
// Local hashed n-gram embedding
// ---------------------------------------------------------------------------------------------

export const LOCAL_EMBEDDING_VERSION = 1;
export const DEFAULT_LOCAL_DIMENSIONS = 256;

/** Weights: a whole word or compound matters more than one of its n-grams. */
const WORD_WEIGHT = 2;
/** Words mixing letters and digits name things ("g5", "a100", "2xlarge", "c4m8"): they weigh more. */
const IDENTIFIER_WEIGHT = 3;
const COMPOUND_WEIGHT = 2;
const GRAM_WEIGHT = 0.75;
/** Words of at least this many characters also contribute their 3- and 4-grams ("g5" → "#g5", "g5#", "#g5#"). */
const MIN_GRAM_WORD = 2;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const BOUNDARY = 0x23; // '#', marks the start and end of a word in its n-grams
const KIND_WORD = 0x77; // 'w'
const KIND_GRAM = 0x67; // 'g'
const KIND_COMPOUND = 0x63; // 'c'

/** FNV-1a over a feature kind and `text[from, to)`, where -1 and text.length stand for the boundary. */
function featureHash(kind: number, text: string, from: number, to: number): number {
  let hash = Math.imul(FNV_OFFSET ^ kind, FNV_PRIME);
  for (let index = from; index < to; index++) {
    const code = index < 0 || index >= text.length ? BOUNDARY : text.charCodeAt(index);
    hash = Math.imul(hash ^ code, FNV_PRIME);
  }
  return hash >>> 0;
}

function isIdentifier(word: string): boolean {
  return /\d/.test(word) && /\p{L}/u.test(word);
}

/** murmur3's fmix32: spreads the FNV hash so that bucket and sign bits are independent. */
function mix(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export class LocalEmbedding implements EmbeddingFunction {
  readonly name: string;
  readonly dimensions: number;

  constructor(dimensions: number = DEFAULT_LOCAL_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < 16) {
      throw new Error(`local embedding dimensions must be a whole number >= 16, got ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.name = `local-ngram-v${LOCAL_EMBEDDING_VERSION}-${dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  /** Synchronous form, for bulk builds and the brute-force reference. */
  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    // Each distinct feature counts once, however often the text repeats it.
    const seen = new Set<number>();
    const add = (feature: number, weight: number): void => {
      if (seen.has(feature)) return;
      seen.add(feature);
      const hash = mix(feature);
      const bucket = hash % this.dimensions;
      vector[bucket] = (vector[bucket] ?? 0) + (hash & 0x80000000 ? -weight : weight);
    };
    const { words, compounds } = embeddingTokens(text);
    for (const word of words) {
      add(featureHash(KIND_WORD, word, 0, word.length), isIdentifier(word) ? IDENTIFIER_WEIGHT : WORD_WEIGHT);
      if (word.length < MIN_GRAM_WORD) continue;
      // n-grams of "#word#": positions -1 and word.length are the boundary marks.
      for (let size = 3; size <= 4; size++) {
        for (let start = -1; start + size <= word.length + 1; start++) {
          add(featureHash(KIND_GRAM, word, start, start + size), GRAM_WEIGHT);
        }
      }
    }
    for (const compound of compounds)
      add(featureHash(KIND_COMPOUND, compound, 0, compound.length), COMPOUND_WEIGHT);
    let norm = 0;
    for (const value of vector) norm += value * value;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] ?? 0) * scale;
    }
    return vector;
  }
}

// ---------------------------------------------------------------------------------------------
// OpenAI embeddings (or any server speaking POST /embeddings)
// ---------------------------------------------------------------------------------------------

const OpenAIResponseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative() })),
  model: z.string().optional(),
  usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number() }).partial().optional(),
});

export interface OpenAIEmbeddingOptions extends OpenAIEmbeddingConfig {
  /** Texts per request (the API takes up to 2048). */
  batchSize?: number;
  /** Retries on 429 and 5xx, honouring retry-after. */
  maxRetries?: number;
  /** Per request. */
  timeoutMs?: number;
  /** Upper bound on one wait between retries. */
  maxRetryDelayMs?: number;
}

export class OpenAIEmbedding implements EmbeddingFunction {
  readonly name: string;
  readonly dimensions: number;
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #model: string;
  readonly #batchSize: number;
  readonly #maxRetries: number;
  readonly #timeoutMs: number;
  readonly #maxRetryDelayMs: number;

  constructor(options: OpenAIEmbeddingOptions) {
    if (!options.apiKey) throw new Error('OpenAI embeddings need an API key (OPENAI_API_KEY)');
    this.#apiKey = options.apiKey;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#model = options.model;
    this.dimensions = options.dimensions;
    this.#batchSize = options.batchSize ?? 512;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
    this.name = `openai-${options.model}-${options.dimensions}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      vectors.push(...(await this.#embedBatch(texts.slice(start, start + this.#batchSize))));
    }
    return vectors;
  }

  async #embedBatch(input: string[]): Promise<Float32Array[]> {
    // The API rejects empty strings; a single space embeds as "nothing in particular".
    const body = JSON.stringify({
      model: this.#model,
      input: input.map((text) => (text.length > 0 ? text : ' ')),
      dimensions: this.dimensions,
      encoding_format: 'float',
    });
    const url = `${this.#baseUrl}/embeddings`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#apiKey}` },
          body,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        if (attempt < this.#maxRetries) {
          await sleep(this.#backoff(attempt));
          continue;
        }
        throw new Error(`OpenAI embeddings: could not reach ${url}: ${(error as Error).message}`);
      }
      if (response.ok) return this.#parse(await response.json(), input.length);
      const detail = await errorDetail(response);
      if (response.status === 401 || response.status === 403) {
        throw new Error(
          `OpenAI embeddings refused the API key (${response.status}${detail}): check OPENAI_API_KEY, or unset S2A_CATALOG_EMBEDDING to use the local embedding`,
        );
      }
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < this.#maxRetries) {
        await sleep(retryAfterMs(response.headers.get('retry-after')) ?? this.#backoff(attempt));
        continue;
      }
      throw new Error(
        `OpenAI embeddings failed with HTTP ${response.status}${detail}${retryable ? ` after ${attempt + 1} attempts` : ''}`,
      );
    }
  }

  #backoff(attempt: number): number {
    return Math.min(this.#maxRetryDelayMs, 500 * 2 ** attempt);
  }

  #parse(json: unknown, expected: number): Float32Array[] {
    const parsed = OpenAIResponseSchema.safeParse(json);
    if (!parsed.success)
      throw new Error('OpenAI embeddings: the response is not {data: [{embedding, index}]}');
    const vectors: Float32Array[] = new Array(expected);
    for (const item of parsed.data.data) {
      if (item.index >= expected) throw new Error(`OpenAI embeddings: index ${item.index} out of range`);
      if (item.embedding.length !== this.dimensions) {
        throw new Error(
          `OpenAI embeddings: got ${item.embedding.length} dimensions, asked for ${this.dimensions}; does the model support "dimensions"?`,
        );
      }
      vectors[item.index] = Float32Array.from(item.embedding);
    }
    for (let index = 0; index < expected; index++) {
      if (!vectors[index]) throw new Error(`OpenAI embeddings: no embedding for input ${index}`);
    }
    return vectors;
  }
}

async function errorDetail(response: Response): Promise<string> {
  try {
    const json = (await response.json()) as { error?: { message?: unknown } };
    const message = json.error?.message;
    return typeof message === 'string' ? `: ${message.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}

/** retry-after is seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 120_000);
  const date = Date.parse(header);
  if (Number.isFinite(date)) return Math.max(0, Math.min(date - now, 120_000));
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The embedding the configuration asks for. */
export function embeddingFromConfig(config: CatalogConfig): EmbeddingFunction {
  if (config.embedding === 'openai') return new OpenAIEmbedding(config.openai);
  return new LocalEmbedding(config.dimensions ?? DEFAULT_LOCAL_DIMENSIONS);
}
