/**
 * Entities in a prepared sentence: money, GPU, memory, vCPU, spec names, node counts, providers, apps,
 * preferences, names, nodes. Each extractor blanks what it takes from a working copy, in an order
 * that lets the specific win over the general (a GPU's "80GB" is not RAM, "$2" is not a node count).
 */
import { normalizeGpuModel } from '../../catalog/gpu/index.ts';
import type {
  AppRequest,
  Architecture,
  Budget,
  GpuRequirement,
  NodeRequirements,
  OsRequest,
  Preference,
  ProviderFilter,
  ProviderId,
} from './intent.ts';
import { HOURS_PER_MONTH, KRW_PER_USD } from './intent.ts';
import {
  blank,
  MAGNITUDE,
  magnitudeOf,
  NODE_NOUNS_EN,
  type PreparedText,
  regex,
  stripParticle,
  wordsOf,
} from './text.ts';
import { acceptableValue, apps, findApps, findProviders } from './vocabulary.ts';

/** A number that counts nodes. */
export interface CountMention {
  value: number;
  start: number;
  end: number;
  /** Written with a node noun or counter ("3 VMs", "3대"), not a bare number. */
  withNoun: boolean;
  /** "1 each", "하나씩": nodes per place. */
  perPlace: boolean;
  /** "2 more", "2대 추가": a difference, for scaling. */
  more: boolean;
  /** "3대로", "to 5": a target size. */
  to: boolean;
}

export interface Entities {
  /** The text left after extraction, for intent cues and names. */
  rest: string;
  requirements: NodeRequirements;
  /** A GPU word or model appeared. */
  gpuMentioned: boolean;
  /** The vCPUs were a plain number ("an 8-core machine"): a size class, not only a minimum. */
  vcpuAsSize: boolean;
  counts: CountMention[];
  budget?: Budget;
  /** An amount of money without "per hour" or "per month". */
  budgetWithoutPeriod?: { amount: number; currency: 'USD' | 'KRW' };
  /** "a month", "monthly", "한 달": which figure a cost question wants. */
  period?: 'hour' | 'month';
  providers: ProviderFilter;
  providerMentions: number;
  apps: AppRequest[];
  appMentions: { name: string; start: number; end: number; generic: boolean }[];
  preference?: Preference;
  spot: boolean;
  near: boolean;
  each: boolean;
  /** "call it demo": the name as written (checked by the caller). */
  name?: { value: string; start: number; end: number };
  node?: string;
  nodeGroup?: string;
  operationId?: string;
  limit?: number;
  os?: OsRequest;
  notes: string[];
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
/** A number not glued to a word, code or decimal: "3" in "3 VMs", not in "ap-northeast-2" or "llama3". */
const FREE_NUMBER_START = String.raw`(?<![\w.+/:$₩\-])`;

interface Working {
  text: string;
}

function take(work: Working, start: number, end: number): void {
  work.text = blank(work.text, start, end);
}

// ---------------------------------------------------------------------------------------------
// Names and identifiers
// ---------------------------------------------------------------------------------------------

function quoteText(prepared: PreparedText, value: string): string | undefined {
  const match = /^⟦(\d+)\s*⟧$/.exec(value);
  if (match === null) return undefined;
  return prepared.quotes[Number(match[1])]?.text;
}

const NAME_PATTERNS: readonly RegExp[] = [
  /\b(?:call(?:ed)?|name(?:d)?|titled)\s+(?:it\s+|the\s+mci\s+|them\s+|this\s+)?(?:as\s+)?(⟦\d+\s*⟧|[^\s,;!?]+)/g,
  /\bwith\s+(?:the\s+)?name\s+(⟦\d+\s*⟧|[^\s,;!?]+)/g,
  /이름(?:은|을|는|이)?\s*(⟦\d+\s*⟧|[a-z0-9][^\s,;!?]*?)(?:으로|로|이라고|라고|이요|요)?(?=\s|$|[,.!?])/g,
  /(⟦\d+\s*⟧|[a-z][a-z0-9-]*)\s*(?:이라는|라는|이란|란|으로|로)\s*이름/g,
  /(⟦\d+\s*⟧|[a-z][a-z0-9-]*)\s*(?:이라고|라고)\s*(?:이름|부르|지어|해)/g,
];

function extractName(prepared: PreparedText, work: Working): Entities['name'] {
  for (const pattern of NAME_PATTERNS) {
    for (const match of work.text.matchAll(pattern)) {
      const written = match[1] as string;
      const offset = match.index + match[0].indexOf(written);
      // The name as written in the masked text keeps its case, so "Demo" is seen as not lower-case.
      const original = prepared.masked.slice(offset, offset + written.length);
      const value = quoteText(prepared, written) ?? original.replace(/[.]+$/, '');
      if (['it', 'the', 'this', 'that', 'them', 'me', 'what'].includes(value.toLowerCase())) continue;
      take(work, match.index, match.index + match[0].length);
      return { value: stripParticle(value), start: match.index, end: match.index + match[0].length };
    }
  }
  return undefined;
}

function extractOperationId(work: Working): string | undefined {
  const match = /\bop-[a-z0-9]+(?:-[a-z0-9]+)*\b/.exec(work.text);
  if (match === null) return undefined;
  take(work, match.index, match.index + match[0].length);
  return match[0];
}

function extractNode(prepared: PreparedText, work: Working): string | undefined {
  // "node 2", "2nd node": English only, and only for digits as written ("VM 하나" is one VM, not VM #1).
  const english: readonly RegExp[] =
    prepared.language === 'en'
      ? [
          /\b(?:node|vm|instance|server)\s*(?:#|no\.?|number)?\s*(\d{1,3})(?![\w.]|\s*(?:대|개|장|x\b|×))/,
          /\b(\d{1,3})(?:st|nd|rd|th)\s+(?:node|vm|instance|server)\b/,
        ]
      : [];
  const patterns: readonly RegExp[] = [
    ...english,
    /(?<![\w.-])(\d{1,3})\s*번(?:째)?\s*(?:노드|vm|서버|머신|인스턴스)?/,
    /(?:노드|vm|서버)\s*(\d{1,3})\s*번/,
    /\b(?:node|vm|instance)\s+([a-z][a-z0-9-]*-\d+)\b/,
    /\b([a-z][a-z0-9-]*-\d+)\s*(?:노드|node)/,
    /(?<![\w-])([a-z][a-z0-9]*-\d+)(?=\s+(?:on|of|in|from)\s+[a-z])/,
    /의\s*([a-z][a-z0-9]*-\d+)(?![\w-])/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(work.text);
    if (match === null) continue;
    const value = match[1] as string;
    const at = match.index + match[0].indexOf(value);
    if (/^\d/.test(value) && !/\d/.test(prepared.masked.charAt(at))) continue;
    take(work, match.index, match.index + match[0].length);
    return value;
  }
  return undefined;
}

function extractNodeGroup(work: Working): string | undefined {
  const patterns: readonly RegExp[] = [
    /\b(?:node\s*group|group)\s+([a-z][a-z0-9-]*)/,
    /\b(?:the\s+)?([a-z][a-z0-9-]*)\s+(?:node\s*group|group)\b/,
    /([a-z][a-z0-9-]*)\s*(?:노드\s*)?그룹/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(work.text);
    if (match === null) continue;
    const group = match[1] as string;
    if (
      [
        'the',
        'a',
        'each',
        'every',
        'that',
        'this',
        'one',
        'node',
        'of',
        'in',
        'on',
        'to',
        'for',
        'from',
        'at',
        'by',
      ].includes(group)
    )
      continue;
    take(work, match.index, match.index + match[0].length);
    return group;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

const HOUR_WORDS =
  /(?:\/\s*(?:h|hr|hour)\b|\b(?:per|an|a|every|each)\s+(?:h|hr|hour)\b|\bhourly\b|\bph\b|시간당|시간\s*당|시간에|1\s*시간|\/\s*시간)/;
const MONTH_WORDS =
  /(?:\/\s*(?:mo|mon|month)\b|\b(?:per|a|an|every|each)\s+(?:mo|month)\b|\bmonthly\b|\bpm\b|한\s*달|1\s*달|매달|매월|월간|월\s*(?=\d)|월\s*(?:비용|요금|예산|사용료|얼마)|달에|월에|\/\s*월|\/\s*달|한달)/;

function periodNear(text: string, start: number, end: number): 'hour' | 'month' | undefined {
  const after = text.slice(end, end + 18);
  // One character of the amount is kept so "월 50만원" sees its digit.
  const before = text.slice(Math.max(0, start - 14), start + 1);
  const hourAfter = HOUR_WORDS.exec(after)?.index ?? Number.POSITIVE_INFINITY;
  const monthAfter = MONTH_WORDS.exec(after)?.index ?? Number.POSITIVE_INFINITY;
  if (hourAfter !== monthAfter) return hourAfter < monthAfter ? 'hour' : 'month';
  if (HOUR_WORDS.test(before)) return 'hour';
  if (MONTH_WORDS.test(before)) return 'month';
  return undefined;
}

const KOREAN_MULTIPLIERS: Readonly<Record<string, number>> = {
  억: 100_000_000,
  만: 10_000,
  천: 1000,
  백: 100,
};

function extractMoney(work: Working, notes: string[]): Pick<Entities, 'budget' | 'budgetWithoutPeriod'> {
  const patterns: readonly { pattern: RegExp; currency: 'USD' | 'KRW' }[] = [
    { pattern: /(?:us\s*\$|\$|usd\s*)\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?/, currency: 'USD' },
    {
      pattern: regex(
        `${FREE_NUMBER_START}(\\d[\\d,]*(?:\\.\\d+)?)\\s*(k)?\\s*(?:\\$|usd\\b|dollars?\\b|bucks\\b|달러|불(?![가-힣]))`,
      ),
      currency: 'USD',
    },
    { pattern: /(?:₩|krw\s*)\s*(\d[\d,]*)/, currency: 'KRW' },
    {
      pattern: regex(
        `${FREE_NUMBER_START}(\\d[\\d,]*(?:\\.\\d+)?)\\s*(억|만|천|백)?\\s*(?:원|won\\b|krw\\b)`,
      ),
      currency: 'KRW',
    },
  ];
  for (const { pattern, currency } of patterns) {
    const match = pattern.exec(work.text);
    if (match === null) continue;
    let amount = Number((match[1] as string).replace(/,/g, ''));
    const multiplier = match[2];
    if (multiplier === 'k') amount *= 1000;
    else if (multiplier !== undefined) amount *= KOREAN_MULTIPLIERS[multiplier] ?? 1;
    const start = match.index;
    const end = start + match[0].length;
    const per = periodNear(work.text, start, end);
    take(work, start, end);
    if (!(amount > 0)) return {};
    if (per === undefined) return { budgetWithoutPeriod: { amount, currency } };
    const usd = currency === 'KRW' ? amount / KRW_PER_USD : amount;
    if (currency === 'KRW')
      notes.push(`₩${amount.toLocaleString('en-US')} read as $${round(usd)} at ${KRW_PER_USD} KRW per USD`);
    const usdPerHour = per === 'hour' ? usd : usd / HOURS_PER_MONTH;
    return {
      budget: {
        amount,
        currency,
        per,
        usdPerHour: round(usdPerHour),
        usdPerMonth: round(usdPerHour * HOURS_PER_MONTH),
      },
    };
  }
  return {};
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** Build a budget once the period is known (the answer to "per hour or per month?"). */
export function budgetOf(amount: number, currency: 'USD' | 'KRW', per: 'hour' | 'month'): Budget {
  const usd = currency === 'KRW' ? amount / KRW_PER_USD : amount;
  const usdPerHour = per === 'hour' ? usd : usd / HOURS_PER_MONTH;
  return {
    amount,
    currency,
    per,
    usdPerHour: round(usdPerHour),
    usdPerMonth: round(usdPerHour * HOURS_PER_MONTH),
  };
}

// ---------------------------------------------------------------------------------------------
// Hardware: GPU, memory, vCPU, architecture, spec names
// ---------------------------------------------------------------------------------------------

const GPU_WORD =
  /(?<![a-z0-9-])(?:gpus?|graphics\s*cards?|그래픽\s*카드|그래픽카드|지피유|cuda)(?![a-z0-9]|-[a-z0-9])/g;
const MIN_WORDS = /(?:at\s+least|min(?:imum)?|>=?|over|more\s+than|최소|적어도)\s*$/;
const MAX_WORDS =
  /(?:at\s+most|max(?:imum)?|<=?|up\s+to|under|below|less\s+than|no\s+more\s+than|최대|많아야)\s*$/;
const MIN_AFTER = /^\s*(?:이상|or\s+more|\+|plus|minimum|at\s+least)/;
const MAX_AFTER = /^\s*(?:이하|미만|까지|or\s+less|max(?:imum)?|at\s+most)/;
const EXACT_WORDS = /(?:exactly|just|정확히|딱)\s*$/;

/** `plain`: a number without "at least"/"at most" ("an 8-core machine"), read as a minimum. */
type Bound = 'min' | 'max' | 'exact' | 'plain';

function boundAround(text: string, start: number, end: number, contextStart = start): Bound {
  const before = text.slice(Math.max(0, contextStart - 16), contextStart);
  const after = text.slice(end, end + 12);
  if (EXACT_WORDS.test(before)) return 'exact';
  if (MAX_WORDS.test(before) || MAX_AFTER.test(after)) return 'max';
  if (MIN_WORDS.test(before) || MIN_AFTER.test(after)) return 'min';
  return 'plain';
}

interface GpuMention {
  model?: string;
  start: number;
  end: number;
}

/** GPU models per word ("a100s", "A100을", "8xh100", "a100 80gb"), and generic GPU words. */
function findGpuMentions(work: Working): GpuMention[] {
  const mentions: GpuMention[] = [];
  const words = wordsOf(work.text);
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as (typeof words)[number];
    let token = stripParticle(word.text.replace(/(짜리|급|카드)$/, ''));
    let start = word.start;
    const multiplied = /^(\d{1,2})[x×](.+)$/.exec(token);
    if (multiplied !== null) {
      token = multiplied[2] as string;
      start = word.start + (multiplied[1] as string).length + 1;
    }
    if (!/\d|에이|에이치|브이|인퍼런시아|트레이니엄|가우디|inferentia|trainium|gaudi/.test(token)) continue;
    // "L40S" is a model of its own; only a plural "A100s" loses its "s".
    const exact = normalizeGpuModel(token);
    const singular = exact?.key.toLowerCase() !== token && /\d+s$/.test(token) ? token.slice(0, -1) : token;
    const model = singular === token ? exact : normalizeGpuModel(singular);
    if (model === undefined) continue;
    let end = word.end;
    // "a100 80gb", "A100 80G", "a100 80": the memory variant belongs to the model.
    const next = words[index + 1];
    if (next !== undefined && /^\d{2,3}\s*(?:gb|gib|g|기가)?$/.test(next.text)) {
      const withMemory = normalizeGpuModel(`${singular} ${next.text}`);
      if (withMemory !== undefined && /^\d{2,3}\s*(?:gb|gib|g|기가)$|^(?:40|80|16|32)$/.test(next.text)) {
        mentions.push({ model: withMemory.key, start, end: next.end });
        index += 1;
        continue;
      }
    }
    if (/^(?:\d{1,2})[x×]/.test(word.text)) end = word.end;
    mentions.push({ model: model.key, start, end });
  }
  for (const match of work.text.matchAll(GPU_WORD)) {
    if (mentions.some((mention) => match.index >= mention.start && match.index < mention.end)) continue;
    mentions.push({ start: match.index, end: match.index + match[0].length });
  }
  return mentions.sort((a, b) => a.start - b.start);
}

const NODE_NOUN_AFTER = regex(
  String.raw`^\s*(?:s\b)?\s*(?:[a-z0-9가-힣][\w.-]*\s+){0,2}?(?:${NODE_NOUNS_EN}|서버|노드|인스턴스|머신|대(?![가-힣]))`,
);

function extractHardware(
  work: Working,
  notes: string[],
): { requirements: NodeRequirements; gpuMentioned: boolean; vcpuAsSize: boolean } {
  const requirements: NodeRequirements = {};
  const text = () => work.text;

  // "no GPU", "CPU only", "GPU 없이".
  if (
    /\b(?:no|without|w\/o)\s+(?:a\s+)?gpus?\b|\bcpu[\s-]*only\b|\bnon[\s-]*gpu\b|gpu\s*(?:는|은)?\s*(?:없이|필요\s*없|안\s*필요|빼고)|cpu\s*만/.test(
      text(),
    )
  ) {
    requirements.noGpu = true;
    work.text = work.text.replace(
      /\b(?:no|without|w\/o)\s+(?:a\s+)?gpus?\b|\bcpu[\s-]*only\b|\bnon[\s-]*gpu\b|gpu\s*(?:는|은)?\s*(?:없이|필요\s*없|안\s*필요|빼고)|cpu\s*만/g,
      (match) => ' '.repeat(match.length),
    );
  }

  // GPU memory first ("24GB VRAM", "GPU 메모리 48기가"), so it is not taken for RAM.
  const memoryUnit = '(tb|tib|gb|gib|gigs?|g|기가바이트|기가|지비|테라)(?![a-z])';
  const gpuMemory = [
    regex(
      `(?:vram|gpu\\s*(?:memory|mem|ram|메모리)|그래픽\\s*메모리)\\s*(?:of|is|:|가|는|은)?\\s*${NUMBER}\\s*${memoryUnit}`,
    ),
    regex(
      `${FREE_NUMBER_START}${NUMBER}\\s*${memoryUnit}\\s*(?:of\\s+)?(?:vram|gpu\\s*(?:memory|mem|ram|메모리)|그래픽\\s*메모리|gpu(?![a-z0-9-]))`,
    ),
  ];
  let gpuMemoryGiB: number | undefined;
  for (const pattern of gpuMemory) {
    const match = pattern.exec(text());
    if (match === null) continue;
    gpuMemoryGiB = toGiB(Number(match[1]), match[2] as string);
    take(work, match.index, match.index + match[0].length);
    break;
  }

  // GPU models and words, and how many per node.
  const mentions = findGpuMentions(work);
  let gpu: GpuRequirement | undefined;
  for (const mention of mentions) {
    gpu ??= { count: 1 };
    if (mention.model !== undefined && gpu.model === undefined) gpu.model = mention.model;
    else if (
      mention.model !== undefined &&
      mention.model !== gpu.model &&
      !(gpu.models ?? []).includes(mention.model)
    )
      gpu.models = [...(gpu.models ?? [gpu.model as string]), mention.model];
    const before = text().slice(Math.max(0, mention.start - 14), mention.start);
    const after = text().slice(mention.end, mention.end + 24);
    // "4 A100s", "2x H100", "2 nvidia GPUs": a GPU count, unless a node noun follows ("3 GPU VMs").
    const glued = /(?<![\w.])(\d{1,2})[x×]$/.exec(
      text().slice(Math.max(0, mention.start - 4), mention.start),
    );
    const countBefore =
      glued !== null
        ? null
        : /(?<![\w.+/:$-])(\d{1,2})\s*(?:[x×]\s*)?(?:nvidia\s+|엔비디아\s*)?$/.exec(before);
    // "GPU 2개", "A100 두 장", "A100 x 2", "a100 2장짜리".
    const countAfter =
      /^\s*(?:가|이|는|은|를|을)?\s*(?:[x×]\s*(\d{1,2})(?![\w.])|(\d{1,2})\s*(?:장|개|ea\b|pcs\b|way\b))/.exec(
        after,
      );
    if (countAfter !== null) {
      gpu.count = Number(countAfter[1] ?? countAfter[2]);
      take(work, mention.end, mention.end + countAfter[0].length);
    } else if (countBefore !== null && !NODE_NOUN_AFTER.test(after)) {
      gpu.count = Number(countBefore[1]);
      const start = mention.start - before.length + countBefore.index;
      take(work, start, mention.start);
    } else if (glued !== null) {
      // "8xH100" is GPUs per node, even before "box".
      gpu.count = Number(glued[1]);
      take(work, mention.start - (glued[1] as string).length - 1, mention.start);
    }
    take(work, mention.start, mention.end);
  }
  if (gpuMemoryGiB !== undefined) {
    gpu ??= { count: 1 };
    gpu.minMemoryGiB = gpuMemoryGiB;
  }
  if (gpu !== undefined && !requirements.noGpu) requirements.gpu = gpu;

  // Ranges first: "4 to 16 vCPUs", "at least 4 and at most 16 cores", "vCPU 4개 이상 16개 이하", "16-64GB".
  for (const [field, unit, prefix] of RANGE_UNITS) {
    for (const pattern of rangePatterns(unit, prefix)) {
      const match = pattern.exec(text());
      if (match === null) continue;
      const low = Number(match[1]);
      const high = Number(match[2]);
      if (!(low > 0 && high >= low)) continue;
      const scale = field === 'MemoryGiB' && /tb|테라/.test(match[0]) ? 1024 : 1;
      requirements[`min${field}`] = low * scale;
      requirements[`max${field}`] = high * scale;
      take(work, match.index, match.index + match[0].length);
      break;
    }
  }

  // RAM: "16GB", "램 32기가", "at least 64 GB of memory", "메모리 16GB 이상".
  const ram = regex(
    `(?:(?:ram|memory|mem|메모리|램)\\s*(?:of|is|:|가|는|은|이)?\\s*)?${FREE_NUMBER_START}${NUMBER}${MAGNITUDE}\\s*${memoryUnit}(?:\\s*(?:of\\s+)?(?:ram|memory|mem|메모리|램))?`,
    'g',
  );
  for (const match of text().matchAll(ram)) {
    // "1천 기가" is 1,000 GB; the magnitude is group 2, the unit group 3.
    const amount = toGiB(magnitudeOf(match[1] as string, match[2]), match[3] as string);
    const numberAt = match.index + match[0].indexOf(match[1] as string);
    const bound = boundAround(text(), numberAt, match.index + match[0].length, match.index);
    applyBound(requirements, 'MemoryGiB', amount, bound);
    take(work, match.index, match.index + match[0].length);
  }

  // vCPU: "8 vCPU", "8 cores", "8코어", "cpu 8개", "vCPU 4 이상".
  let vcpuAsSize = false;
  const vcpuPatterns: readonly RegExp[] = [
    regex(
      `${FREE_NUMBER_START}(\\d{1,3})${MAGNITUDE}\\s*-?\\s*(?:v\\s?cpus?|vcores?|cores?|cpus?|코어|개의?\\s*(?:v?cpu|코어))(?![a-z])`,
      'g',
    ),
    regex(
      `(?:v\\s?cpus?|cpus?|cores?|코어)\\s*(?:가|는|은|이|:|of)?\\s*(\\d{1,3})${MAGNITUDE}\\s*(?:개|코어|cores?)?(?![\\w.])`,
      'g',
    ),
  ];
  for (const pattern of vcpuPatterns) {
    for (const match of text().matchAll(pattern)) {
      // "vCPU 10만 개" is 100,000 vCPUs: refused as impossible, never read as 10.
      const value = magnitudeOf(match[1] as string, match[2]);
      const bound = boundAround(text(), match.index, match.index + match[0].length);
      applyBound(requirements, 'Vcpu', value, bound);
      vcpuAsSize = bound === 'plain';
      take(work, match.index, match.index + match[0].length);
    }
  }

  // Architecture.
  const arch: Architecture | undefined =
    /\b(?:arm64|arm|aarch64|graviton\d?)\b|암\s*(?:기반|cpu|아키텍처)|arm\s*기반/.test(text())
      ? 'arm64'
      : /\b(?:x86(?:_64|-64)?|x64|amd64|intel)\b/.test(text())
        ? 'x86_64'
        : undefined;
  if (arch !== undefined) requirements.arch = arch;

  // Spec names: "t3.medium", "g5.2xlarge", "e2-standard-4", "n1-highmem-8", "Standard_D4s_v5".
  const spec =
    /\b([a-z]{1,4}\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|\d*xlarge|metal))\b|\b([a-z]\d[a-z]?-(?:standard|highmem|highcpu|medium|small|micro|custom|ultragpu|highgpu|megagpu)(?:-\d+[a-z]?)?)\b|\b(standard_[a-z0-9_]+)\b/.exec(
      text(),
    );
  if (spec !== null) {
    requirements.specName = (spec[1] ?? spec[2] ?? spec[3]) as string;
    take(work, spec.index, spec.index + spec[0].length);
  }
  if (
    requirements.minVcpu !== undefined &&
    requirements.maxVcpu !== undefined &&
    requirements.minVcpu > requirements.maxVcpu
  )
    notes.push('the vCPU range is empty');
  return { requirements, gpuMentioned: gpu !== undefined, vcpuAsSize };
}

/** Units of a range per field, and the words that may come before the numbers ("vCPU 4개 이상 …"). */
const RANGE_UNITS: readonly ['Vcpu' | 'MemoryGiB', string, string][] = [
  ['Vcpu', '(?:v\\s?cpus?|vcores?|cores?|cpus?|코어|개)', '(?:v\\s?cpus?|cpus?|cores?|코어)'],
  ['MemoryGiB', '(?:tb|tib|gb|gib|gigs?|g|기가바이트|기가|테라)', '(?:ram|memory|mem|메모리|램)'],
];

function rangePatterns(prefixedUnit: string, prefix: string): RegExp[] {
  const number = '(\\d{1,4})';
  // "개" counts anything ("VM 2~3개"): it is a vCPU unit only right after a vCPU word.
  const unit = prefixedUnit.replace('|개', '');
  return [
    regex(
      `\\bat\\s+least\\s+${number}\\s*${unit}?\\s+(?:and|but)\\s+(?:at\\s+most|no\\s+more\\s+than|up\\s+to)\\s+${number}\\s*${unit}(?![a-z])`,
    ),
    regex(
      `(?:\\bbetween\\s+|\\bfrom\\s+)?(?<![\\w.-])${number}\\s*${unit}?\\s*(?:and|to|-|~|에서)\\s*${number}\\s*${unit}(?![a-z])`,
    ),
    regex(
      `${prefix}\\s*(?:가|는|은|이)?\\s*${number}\\s*${prefixedUnit}?\\s*(?:이상|~|-|에서)\\s*,?\\s*${number}\\s*${prefixedUnit}?\\s*(?:이하|까지|미만)?`,
    ),
    regex(`(?<![\\w.-])${number}\\s*${unit}\\s*이상\\s*,?\\s*${number}\\s*${unit}\\s*(?:이하|까지|미만)`),
  ];
}

function toGiB(value: number, unit: string): number {
  return /^(?:tb|tib|테라)$/.test(unit) ? value * 1024 : value;
}

function applyBound(
  requirements: NodeRequirements,
  field: 'MemoryGiB' | 'Vcpu',
  value: number,
  bound: Bound,
): void {
  if (bound !== 'max') requirements[`min${field}`] = value;
  if (bound === 'max' || bound === 'exact') requirements[`max${field}`] = value;
}

// ---------------------------------------------------------------------------------------------
// Counts
// ---------------------------------------------------------------------------------------------

function extractCounts(work: Working): CountMention[] {
  const counts: CountMention[] = [];
  const add = (value: number, start: number, end: number, withNoun: boolean, phraseEnd = end) => {
    if (!(value > 0 && value <= 1000)) return;
    const before = work.text.slice(Math.max(0, start - 14), start);
    const after = work.text.slice(end, end + 16);
    const afterPhrase = work.text.slice(phraseEnd, phraseEnd + 16);
    counts.push({
      value,
      start,
      end,
      withNoun,
      perPlace:
        /^\s*(?:each|씩|in\s+each|per\s+(?:city|region|place|location|site|country|zone))/.test(
          afterPhrase,
        ) || /씩/.test(work.text.slice(start, end + 2)),
      more:
        /^\s*(?:more|additional|extra|추가|더)/.test(after) ||
        /(?:\badd|\bby|\bplus|\+|더)\s*$/.test(before) ||
        (/추가|늘려|늘리|더/.test(after.slice(0, 8)) &&
          !/^\s*(?:로|으로)/.test(work.text.slice(end, end + 3))),
      to:
        /(?:\bto|\binto|total\s+of)\s*$/.test(before) ||
        /^\s*(?:으로|로|total|in\s+total|개로|대로)/.test(after) ||
        /^(?:대|개|노드)?\s*(?:으로|로)/.test(work.text.slice(end, end + 4)),
    });
    take(work, start, end);
  };
  // "3 VMs", "2 GPU boxes", "3 more nodes", "x3 servers", "a 3-node cluster".
  const english = regex(
    `${FREE_NUMBER_START}(\\d{1,4})\\s*-?\\s*(?:more\\s+|additional\\s+|extra\\s+|new\\s+)?(?:(?:[a-z][\\w.-]*|⟦\\d+\\s*⟧)\\s+){0,3}?(?:${NODE_NOUNS_EN})\\b`,
    'g',
  );
  for (const match of work.text.matchAll(english)) {
    const value = match[1] as string;
    add(Number(value), match.index, match.index + value.length, true, match.index + match[0].length);
  }
  // "3대", "세 대" (already digits), "노드 3개", "VM 2개", "3개 노드".
  for (const match of work.text.matchAll(/(?<![\w.+/:$-])(\d{1,4})\s*(대|개|노드)(?![가-힣]*(?:코어|장))/g)) {
    const value = match[1] as string;
    add(Number(value), match.index, match.index + match[0].length, true);
  }
  // "VM 하나" (already "vm 1"), "서버 2", "노드 3": the noun first, Korean word order.
  for (const match of work.text.matchAll(
    /(?:vms?|서버|노드|인스턴스|머신|박스)\s*(\d{1,4})(?![\w.]|\s*(?:번|코어|기가|gb|장))/g,
  )) {
    const value = match[1] as string;
    const start = match.index + match[0].length - value.length;
    add(Number(value), start, start + value.length, true);
  }
  // "nodes x3", "×3".
  for (const match of work.text.matchAll(/(?:^|\s)[x×]\s*(\d{1,3})(?![\w.])/g)) {
    const value = match[1] as string;
    const start = match.index + match[0].indexOf(value);
    add(Number(value), start, start + value.length, true);
  }
  // Bare numbers: "3 in Seoul and 2 in Tokyo", "make it 5", "scale web to 5"; with a node noun elsewhere
  // in the sentence ("GPU 서버 도쿄에 하나") they count nodes as surely as "3 VMs".
  const nounElsewhere = regex(`\\b(?:${NODE_NOUNS_EN})\\b|서버|노드|인스턴스|머신`).test(work.text);
  for (const match of work.text.matchAll(
    /(?<![\w.+/:$₩-])(\d{1,4})(?![\w.:/%-]|\s*(?:%|시|분|초|km|mi|킬로|ms))/g,
  )) {
    const value = match[1] as string;
    add(Number(value), match.index, match.index + value.length, nounElsewhere);
  }
  return counts.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// Providers, apps, preferences
// ---------------------------------------------------------------------------------------------

const NEGATION_BEFORE =
  /(?:\b(?:anything|anywhere|everything|any\s+provider|any\s+cloud)\s+but|\bapart\s+from|\bnot|\bno|\bexcept(?:\s+for)?|\bexcluding|\bexclude|\bwithout|\bavoid|\bskip|\bnever|\bbut\s+not|\bother\s+than|\banything\s+but|\binstead\s+of|\brather\s+than|n't(?:\s+use)?|\bnot\s+on|\bno\s+more)\s+(?:on\s+|use\s+|using\s+|from\s+)?$/;
const NEGATION_AFTER =
  /^\s*(?:은|는|이|가|를|을)?\s*(?:말고|말구|빼고|빼|제외|아닌|아니|이외|외에|외|대신|없이|안\s*돼|안\s*됨|절대|싫어|는\s*안|은\s*안|쓰지\s*마|사용\s*하지|쓰지\s*말고)/;
const LIST_JOIN = /^\s*(?:,|\/|and|or|nor|&|과|와|랑|이랑|이나|나|하고|및|또는|혹은)?\s*$/;

function extractProviders(lower: string): { filter: ProviderFilter; mentions: number } {
  const mentions = findProviders(lower);
  const only = new Set<ProviderId>();
  const exclude = new Set<ProviderId>();
  // Group mentions joined by list words ("not Azure or GCP", "AWS랑 애저 말고"): one polarity per group.
  let index = 0;
  while (index < mentions.length) {
    let last = index;
    while (last + 1 < mentions.length) {
      const between = lower.slice(
        (mentions[last] as (typeof mentions)[number]).end,
        (mentions[last + 1] as (typeof mentions)[number]).start,
      );
      if (!LIST_JOIN.test(between.replace(/^(?:은|는|이|가|를|을|이나|나|과|와|랑)/, ''))) break;
      last += 1;
    }
    const first = mentions[index] as (typeof mentions)[number];
    const final = mentions[last] as (typeof mentions)[number];
    const before = lower.slice(Math.max(0, first.start - 24), first.start);
    const after = lower.slice(final.end, final.end + 16);
    const negative = NEGATION_BEFORE.test(before) || NEGATION_AFTER.test(after);
    for (let member = index; member <= last; member++) {
      const provider = (mentions[member] as (typeof mentions)[number]).provider;
      if (negative) exclude.add(provider);
      else only.add(provider);
    }
    index = last + 1;
  }
  for (const provider of exclude) only.delete(provider);
  return { filter: { only: [...only], exclude: [...exclude] }, mentions: mentions.length };
}

const PREFERENCES: readonly { preference: Preference; pattern: RegExp }[] = [
  {
    preference: 'latency',
    pattern:
      /\blow(?:est)?[\s-]*latency\b|\blatency\b|\bping\b|지연\s*(?:시간)?(?:이|가)?\s*(?:적|낮|짧)|레이턴시|응답\s*속도|지연/,
  },
  {
    preference: 'distance',
    pattern: /\b(?:closest|nearest|close\s+by)\b|가장\s*가까운|제일\s*가까운|가까운\s*곳/,
  },
  {
    preference: 'performance',
    pattern:
      /\b(?:fastest|faster|fast|most\s+powerful|powerful|best\s+performance|high[\s-]*performance|high[\s-]*end|beefy|beefiest|strongest|top[\s-]*tier|performant)\b|고성능|성능\s*(?:좋|최고|위주|우선)|빠른|빠르게|최고\s*성능|강력한|제일\s*좋은|가장\s*좋은/,
  },
  {
    preference: 'cost',
    pattern:
      /\b(?:cheap(?:est|er|ly)?|lowest\s+(?:price|cost)|least\s+expensive|inexpensive|affordable|low[\s-]*cost|budget)\b|싼|싸게|저렴|최저가|가성비|저가|싸고|싸며/,
  },
];

function extractPreference(lower: string): Preference | undefined {
  let best: { preference: Preference; at: number } | undefined;
  for (const { preference, pattern } of PREFERENCES) {
    const match = pattern.exec(lower);
    if (match !== null && (best === undefined || match.index < best.at))
      best = { preference, at: match.index };
  }
  return best?.preference;
}

/** Model names people give to LLM servers: "llama3", "qwen2.5:7b", "Qwen/Qwen2.5-7B-Instruct". */
const MODEL_FAMILY =
  /^(?:llama|codellama|tinyllama|qwen|gemma|mistral|mixtral|phi|deepseek|granite|falcon|starcoder|smollm|olmo|gpt-oss|command-r|nomic|yi|solar|exaone|openchat|vicuna|orca|nous|hermes|dolphin|wizard|zephyr)[\w.:/-]*$/i;

function extractApps(
  prepared: PreparedText,
  work: Working,
): { apps: AppRequest[]; mentions: Entities['appMentions'] } {
  const mentions = findApps(work.text);
  const requests: AppRequest[] = mentions.map((mention) => ({ name: mention.name, parameters: {} }));
  for (const mention of mentions) take(work, mention.start, mention.end);
  // A model name anywhere in the sentence goes to the app that pulls models (ollama first, then vllm).
  const words = wordsOf(work.text);
  for (const word of words) {
    const original = prepared.masked.slice(word.start, word.end);
    const candidate = stripParticle(original.replace(/(?:모델|model)$/i, ''));
    const explicit = /(?:model|모델)\s*(?::|=|은|는|로)?\s*$/i.test(
      prepared.lower.slice(Math.max(0, word.start - 10), word.start),
    );
    if (!MODEL_FAMILY.test(candidate) && !explicit) continue;
    let target = requests.find((request) => modelParameterOf(request.name) !== undefined);
    if (target === undefined && MODEL_FAMILY.test(candidate)) {
      // "serve llama3" without an app: ollama runs Ollama-library names; an "org/name" id is vLLM's.
      const app = candidate.includes('/') ? 'vllm' : 'ollama';
      if (apps().some((known) => known.name === app)) {
        target = { name: app, parameters: {} };
        requests.push(target);
      }
    }
    if (target === undefined) continue;
    const parameter = modelParameterOf(target.name);
    if (parameter === undefined) continue;
    const value = target.name === 'ollama' ? candidate.toLowerCase() : candidate;
    if (acceptableValue(parameter.pattern, value)) {
      target.parameters[parameter.name] = value;
      take(work, word.start, word.end);
    }
  }
  return { apps: requests, mentions };
}

function modelParameterOf(app: string): { name: string; pattern: RegExp } | undefined {
  return apps().find((known) => known.name === app)?.modelParameter;
}

const OS_NAMES: readonly [RegExp, string][] = [
  [/ubuntu|우분투/, 'ubuntu'],
  [/debian|데비안/, 'debian'],
  [/rocky(?:\s*linux)?|록키/, 'rocky'],
  [/centos|센트\s*os/, 'centos'],
  [/almalinux|alma\s*linux/, 'almalinux'],
  [/amazon\s*linux|al2023/, 'amazon-linux'],
  [/rhel|red\s*hat/, 'rhel'],
  [/windows(?:\s*server)?|윈도우/, 'windows'],
];

/** "Ubuntu 22.04", "우분투 24.04", "debian 12": the image's OS, taken out so its numbers count nothing. */
function extractOs(work: Working): OsRequest | undefined {
  for (const [pattern, name] of OS_NAMES) {
    const match = regex(
      `(?<![a-z])(?:${pattern.source})(?![a-z])(?:\\s*(\\d{1,2}(?:\\.\\d{1,2})?)(?![\\d.]))?`,
    ).exec(work.text);
    if (match === null) continue;
    take(work, match.index, match.index + match[0].length);
    return match[1] === undefined ? { name } : { name, version: match[1] };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// All of it
// ---------------------------------------------------------------------------------------------

export function extractEntities(prepared: PreparedText): Entities {
  const work: Working = { text: prepared.lower };
  const notes = [...prepared.notes];
  const name = extractName(prepared, work);
  const operationId = extractOperationId(work);
  const money = extractMoney(work, notes);
  const period: 'hour' | 'month' | undefined = MONTH_WORDS.test(prepared.lower)
    ? 'month'
    : HOUR_WORDS.test(prepared.lower)
      ? 'hour'
      : undefined;
  // "within 300 km" belongs to the place resolver; its number is no node count.
  work.text = work.text.replace(/\d+(?:\.\d+)?\s*(?:km|mi|miles?|킬로(?:미터)?)(?![a-z0-9])/g, (match) =>
    ' '.repeat(match.length),
  );
  const limitMatch =
    /\btop\s*(\d{1,3})\b|상위\s*(\d{1,3})|(\d{1,3})\s*(?:options|choices|results|candidates|개만\s*보여|개\s*추천)/.exec(
      work.text,
    );
  let limit: number | undefined;
  if (limitMatch !== null) {
    limit = Number(limitMatch[1] ?? limitMatch[2] ?? limitMatch[3]);
    take(work, limitMatch.index, limitMatch.index + limitMatch[0].length);
  }
  const os = extractOs(work);
  const { apps: appRequests, mentions: appMentions } = extractApps(prepared, work);
  const node = extractNode(prepared, work);
  const nodeGroup = extractNodeGroup(work);
  const { requirements, gpuMentioned, vcpuAsSize } = extractHardware(work, notes);
  const { filter, mentions: providerMentions } = extractProviders(work.text);
  for (const mention of findProviders(work.text)) take(work, mention.start, mention.end);
  const counts = extractCounts(work);
  const preference = extractPreference(prepared.lower);
  const entities: Entities = {
    rest: work.text,
    requirements,
    gpuMentioned,
    vcpuAsSize,
    counts,
    providers: filter,
    providerMentions,
    apps: appRequests,
    appMentions,
    spot: /\b(?:spot|preemptible|interruptible)\b|스팟|선점형/.test(prepared.lower),
    near: /\b(?:near|nearby|around|close\s+to|next\s+to)\b|근처|인근|주변|부근|근방|가까운/.test(
      prepared.lower,
    ),
    each: /\beach\b|\bper\s+(?:city|region|place|location|site|country|zone)\b|씩|각각|각\s*(?:지역|도시|리전|나라|국가|곳)|(?:지역|도시|리전|나라|국가|곳)\s*마다/.test(
      prepared.lower,
    ),
    notes,
  };
  if (money.budget !== undefined) entities.budget = money.budget;
  if (money.budgetWithoutPeriod !== undefined) entities.budgetWithoutPeriod = money.budgetWithoutPeriod;
  if (period !== undefined) entities.period = period;
  if (preference !== undefined) entities.preference = preference;
  if (name !== undefined) entities.name = name;
  if (node !== undefined) entities.node = node;
  if (nodeGroup !== undefined) entities.nodeGroup = nodeGroup;
  if (operationId !== undefined) entities.operationId = operationId;
  if (limit !== undefined) entities.limit = limit;
  if (os !== undefined) entities.os = os;
  return entities;
}
