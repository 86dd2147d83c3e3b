/**
 * The catalog's and the recipe registry's vocabulary, read directly (pure modules, no I/O but the
 * shipped data): regions for the place resolver, GPU names, app names. Everything is built once.
 */

import { loadRegions } from '../../catalog/load/index.ts';
import type { Region } from '../../catalog/types.ts';
import { PROVIDERS } from '../../drivers/spec/ids.ts';
import { listRecipes } from '../../mci/apps/registry.ts';
import { anchored, SAFE_VALUE } from '../../mci/apps/schema.ts';
import type { ProviderId } from './intent.ts';

let regions: readonly Region[] | undefined;

/** The catalog's regions, loaded on first use. */
export function catalogRegions(): readonly Region[] {
  regions ??= loadRegions();
  return regions;
}

/** Provider spellings. Latin ones match whole words; Hangul ones match inside words ("아마존에"). */
const PROVIDER_WORDS: Readonly<Record<ProviderId, readonly string[]>> = {
  aws: ['aws', 'amazon', 'ec2', '아마존', '에이더블유에스'],
  azure: ['azure', 'microsoft', 'msft', '애저', '에저', '아주어', '마이크로소프트', '애져'],
  gcp: ['gcp', 'google', 'gce', 'google cloud', '구글', '지씨피'],
  alibaba: ['alibaba', 'aliyun', 'alicloud', '알리바바', '알리클라우드'],
  tencent: ['tencent', '텐센트'],
  ibm: ['ibm', '아이비엠'],
  openstack: ['openstack', 'open stack', '오픈스택'],
  ncp: ['ncp', 'naver', 'naver cloud', '네이버'],
  nhn: ['nhn', 'toast', '엔에이치엔'],
  kt: ['kt', 'kt cloud', 'ktcloud', '케이티'],
};

export interface ProviderMention {
  provider: ProviderId;
  start: number;
  end: number;
}

let providerPattern: RegExp | undefined;
const providerBySpelling = new Map<string, ProviderId>();

/** Every provider named in `lower`, in order. */
export function findProviders(lower: string): ProviderMention[] {
  if (providerPattern === undefined) {
    const alternatives: string[] = [];
    for (const provider of PROVIDERS) {
      for (const spelling of PROVIDER_WORDS[provider]) {
        providerBySpelling.set(spelling, provider);
        alternatives.push(spelling.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*'));
      }
    }
    alternatives.sort((a, b) => b.length - a.length);
    // Latin spellings need a word edge; a Korean particle may follow any spelling ("aws에", "애저는").
    providerPattern = new RegExp(`(?<![a-z0-9-])(${alternatives.join('|')})(?![a-z0-9]|-[a-z0-9])`, 'g');
  }
  const mentions: ProviderMention[] = [];
  for (const match of lower.matchAll(providerPattern)) {
    const spelling = (match[1] as string).replace(/\s+/g, ' ');
    const provider = providerBySpelling.get(spelling);
    // "aws+ap-northeast-2" and "aws ap-northeast-2" still name AWS.
    if (provider !== undefined)
      mentions.push({ provider, start: match.index, end: match.index + match[0].length });
  }
  return mentions;
}

/** An app the registry knows, with the words that name it. */
export interface AppVocabulary {
  name: string;
  /** Lower-case spellings: the recipe's name and title, their variants, and curated aliases. */
  spellings: string[];
  /** The parameter that names a model, when the recipe has one ("model" for ollama and vllm). */
  modelParameter?: { name: string; pattern: RegExp };
}

/**
 * Curated aliases per recipe name; used only when the registry has that recipe. "LLM" names ollama only
 * while no other recipe claims it (see `appsIn`: it is dropped when vllm is named too).
 */
const APP_ALIASES: Readonly<Record<string, readonly string[]>> = {
  ollama: ['ollama', '올라마', '오라마', 'llm', 'llms', 'local llm', '로컬 llm', '엘엘엠'],
  vllm: ['vllm', 'v-llm', '브이엘엘엠'],
  'open-webui': [
    'open webui',
    'openwebui',
    'open-webui',
    'open web ui',
    'webui',
    'web ui',
    'chat ui',
    '웹ui',
    '웹 ui',
    '오픈웹ui',
    '오픈 웹ui',
  ],
  nginx: ['nginx', 'engine-x', '엔진엑스', '엔진x', 'web server', 'webserver', '웹서버', '웹 서버'],
  docker: ['docker', 'docker engine', '도커'],
  jupyter: [
    'jupyter',
    'jupyterlab',
    'jupyter lab',
    'jupyter notebook',
    'notebook server',
    '주피터',
    '주피터랩',
  ],
  ray: ['ray', 'ray cluster', '레이 클러스터'],
  k3s: ['k3s', 'k8s', 'kubernetes', 'kube', '쿠버네티스', '쿠베', '쿠버', '케이쓰리에스'],
  'node-exporter': [
    'node-exporter',
    'node exporter',
    'nodeexporter',
    'prometheus exporter',
    'prometheus',
    '노드 익스포터',
    '노드익스포터',
    '프로메테우스',
  ],
};

let appVocabulary: AppVocabulary[] | undefined;

/** The registry's apps and their spellings; a new recipe is understood by its name and title at once. */
export function apps(): AppVocabulary[] {
  if (appVocabulary !== undefined) return appVocabulary;
  appVocabulary = listRecipes().map((recipe) => {
    const spellings = new Set<string>([
      recipe.name,
      recipe.name.replace(/-/g, ' '),
      recipe.name.replace(/-/g, ''),
    ]);
    const title = recipe.title.toLowerCase();
    const bare = title.replace(/\([^)]*\)/g, '').trim();
    spellings.add(bare);
    for (const inside of title.matchAll(/\(([^)]+)\)/g)) spellings.add((inside[1] as string).trim());
    for (const alias of APP_ALIASES[recipe.name] ?? []) spellings.add(alias);
    const model = recipe.parameters.find((parameter) => parameter.isModel);
    const vocabulary: AppVocabulary = {
      name: recipe.name,
      spellings: [...spellings].filter((s) => s !== ''),
    };
    if (model !== undefined)
      vocabulary.modelParameter = { name: model.name, pattern: anchored(model.pattern) };
    return vocabulary;
  });
  return appVocabulary;
}

export interface AppMention {
  name: string;
  start: number;
  end: number;
  /** Named by a generic word ("LLM", "웹서버") rather than its own name. */
  generic: boolean;
}

const GENERIC_SPELLINGS = new Set([
  'llm',
  'llms',
  'local llm',
  '로컬 llm',
  '엘엘엠',
  'web server',
  'webserver',
  '웹서버',
  '웹 서버',
  'prometheus',
  'kube',
  'notebook server',
  'chat ui',
  'web ui',
  'webui',
]);

let appPattern: { pattern: RegExp; bySpelling: Map<string, string> } | undefined;

/** Apps named in `lower`, in order, without repeats. */
export function findApps(lower: string): AppMention[] {
  if (appPattern === undefined) {
    const bySpelling = new Map<string, string>();
    for (const app of apps()) for (const spelling of app.spellings) bySpelling.set(spelling, app.name);
    const alternatives = [...bySpelling.keys()]
      .sort((a, b) => b.length - a.length)
      .map((spelling) => spelling.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*'));
    appPattern = {
      pattern: new RegExp(`(?<![a-z0-9-])(${alternatives.join('|')})(?![a-z0-9-])`, 'g'),
      bySpelling,
    };
  }
  const mentions: AppMention[] = [];
  const seen = new Set<string>();
  for (const match of lower.matchAll(appPattern.pattern)) {
    const spelling = (match[1] as string).replace(/\s+/g, ' ');
    const name = appPattern.bySpelling.get(spelling) ?? appPattern.bySpelling.get(spelling.replace(/ /g, ''));
    if (name === undefined || seen.has(name)) continue;
    seen.add(name);
    mentions.push({
      name,
      start: match.index,
      end: match.index + match[0].length,
      generic: GENERIC_SPELLINGS.has(spelling),
    });
  }
  // "LLM" means ollama only when no other model server is named.
  const specific = mentions.filter((mention) => !mention.generic).map((mention) => mention.name);
  return mentions.filter(
    (mention) => !(mention.generic && mention.name === 'ollama' && specific.includes('vllm')),
  );
}

/** A parameter value is taken only when it matches the recipe's pattern and is shell-safe. */
export function acceptableValue(pattern: RegExp, value: string): boolean {
  return pattern.test(value) && SAFE_VALUE.test(value);
}
