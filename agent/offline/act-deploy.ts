/**
 * Deploy planning: requirements (the person's, tightened by the apps' recipes) → one spec search per
 * place → chosen node groups → a generated or given name → reviewMCI → a PlanView and the exact calls
 * an approval runs. Nothing here mutates: createMCI and installApp are only written down as actions.
 */
import { randomBytes } from 'node:crypto';
import { PROVIDERS } from '../../drivers/spec/ids.ts';
import { findRecipe } from '../../mci/apps/registry.ts';
import type { SpecHitOutput } from '../../mcp-server/shapes.ts';
import type { ReviewOutput } from '../../mcp-server/shapes-mci.ts';
import type { ToolCallOutcome } from '../tool-client.ts';
import type { AgentEvent, PendingAction, PlanView } from '../types.ts';
import type {
  DeployIntent,
  Language,
  NodeRequirements,
  Placement,
  PlaceRequest,
  Preference,
  ProviderFilter,
  ProviderId,
} from './intent.ts';
import { type ChosenGroup, deployPlanView, listWords, money } from './plan-view.ts';
import { say, type Turn } from './planner-turn.ts';

const ALL_PROVIDERS: readonly ProviderId[] = PROVIDERS;

/** Accelerators that are not NVIDIA GPUs: apps that need CUDA cannot use them. */
const NOT_NVIDIA = /inferentia|trainium|gaudi|radeon|instinct|\bmi\d{2,3}|tpu|amd/i;

/** What every node must have, the person's requirements and the apps' together. */
export interface NodeNeeds {
  requirements: NodeRequirements;
  /** An app needs CUDA: AMD and other accelerators are passed over. */
  nvidia: boolean;
  /** An app needs this much memory on its largest GPU, GiB. */
  gpuMemoryPerDevice?: number;
  notes: string[];
  /** The person's words and an app's needs cannot both hold ("no GPU" and vllm). */
  conflict?: string;
}

/** Tightens the requirements by each app's recipe (vllm: an NVIDIA GPU; ollama: memory). */
export function needsOf(intent: Pick<DeployIntent, 'requirements' | 'apps'>, language: Language): NodeNeeds {
  const requirements: NodeRequirements = structuredClone(intent.requirements);
  const notes: string[] = [];
  const needs: NodeNeeds = { requirements, nvidia: false, notes };
  for (const app of intent.apps) {
    const recipe = findRecipe(app.name);
    if (recipe === undefined) continue;
    const wants = recipe.requirements;
    const said: string[] = [];
    if (wants.minVcpu !== undefined && (requirements.minVcpu ?? 0) < wants.minVcpu) {
      requirements.minVcpu = wants.minVcpu;
      said.push(`≥ ${wants.minVcpu} vCPU`);
    }
    if (wants.minMemoryGiB !== undefined && (requirements.minMemoryGiB ?? 0) < wants.minMemoryGiB) {
      requirements.minMemoryGiB = wants.minMemoryGiB;
      said.push(say(language, `≥ ${wants.minMemoryGiB} GiB memory`, `메모리 ≥ ${wants.minMemoryGiB} GiB`));
    }
    if (wants.gpu) {
      if (requirements.noGpu) {
        needs.conflict = say(
          language,
          `${app.name} needs an NVIDIA GPU, but you asked for no GPU`,
          `${app.name}에는 NVIDIA GPU가 필요한데 GPU 없이 요청하셨습니다`,
        );
      }
      needs.nvidia = true;
      requirements.gpu ??= { count: 1 };
      said.push(say(language, 'an NVIDIA GPU', 'NVIDIA GPU'));
      if (typeof wants.gpu === 'object') {
        needs.gpuMemoryPerDevice = Math.max(needs.gpuMemoryPerDevice ?? 0, wants.gpu.minMemoryGiB);
        said.push(
          say(
            language,
            `≥ ${wants.gpu.minMemoryGiB} GiB GPU memory`,
            `GPU 메모리 ≥ ${wants.gpu.minMemoryGiB} GiB`,
          ),
        );
      }
    }
    if (wants.arch !== undefined) {
      if (requirements.arch !== undefined && !wants.arch.includes(requirements.arch)) {
        needs.conflict = say(
          language,
          `${app.name} runs on ${wants.arch.join('/')} only, not ${requirements.arch}`,
          `${app.name}은(는) ${wants.arch.join('/')}에서만 동작합니다 (${requirements.arch} 불가)`,
        );
      } else if (wants.arch.length === 1) requirements.arch = wants.arch[0];
    }
    if (said.length > 0)
      notes.push(
        say(language, `${app.name} needs ${said.join(', ')}`, `${app.name} 요구 사항: ${said.join(', ')}`),
      );
  }
  return needs;
}

/** searchSpecs input for one place (or anywhere), best first by the preference. */
export function searchInput(options: {
  requirements: NodeRequirements;
  providers: ProviderFilter;
  place?: PlaceRequest;
  preference: Preference;
  spot?: boolean;
  limit: number;
  maxPricePerHour?: number;
  radiusKm?: number;
}): Record<string, unknown> {
  const { requirements, providers, place } = options;
  const input: Record<string, unknown> = { limit: options.limit };
  if (requirements.minVcpu !== undefined) input.minVcpu = requirements.minVcpu;
  if (requirements.maxVcpu !== undefined) input.maxVcpu = requirements.maxVcpu;
  if (requirements.minMemoryGiB !== undefined) input.minMemoryGiB = requirements.minMemoryGiB;
  if (requirements.maxMemoryGiB !== undefined) input.maxMemoryGiB = requirements.maxMemoryGiB;
  if (requirements.arch !== undefined) input.arch = requirements.arch;
  if (requirements.specName !== undefined) input.text = requirements.specName;
  if (requirements.noGpu) input.noGpu = true;
  else if (requirements.gpu !== undefined) {
    const gpu: Record<string, unknown> = { minCount: requirements.gpu.count };
    if (requirements.gpu.model !== undefined) gpu.model = requirements.gpu.model;
    if (requirements.gpu.minMemoryGiB !== undefined) gpu.minMemoryGiB = requirements.gpu.minMemoryGiB;
    input.gpu = gpu;
  }
  if (providers.only.length > 0) input.providers = providers.only;
  if (providers.exclude.length > 0) input.excludeProviders = providers.exclude;
  if (options.spot) input.spot = true;
  if (options.maxPricePerHour !== undefined) input.maxPricePerHour = options.maxPricePerHour;
  let sort: Preference = options.preference;
  if (place !== undefined) {
    // Region codes and areas name their regions exactly; cities and countries go by distance.
    if (place.regionIds !== undefined && place.regionIds.length > 0) input.regions = place.regionIds;
    else if (
      place.place.kind === 'region' ||
      place.place.kind === 'continent' ||
      place.place.kind === 'area'
    ) {
      if (place.place.regionIds !== undefined && place.place.regionIds.length > 0)
        input.regions = place.place.regionIds;
      else input.near = { place: place.place.name };
    } else input.near = { place: place.place.name, radiusKm: options.radiusKm ?? place.place.radiusKm };
    if (sort === 'latency') input.latencyFrom = place.place.name;
    if (sort === 'distance' && input.near === undefined) sort = 'cost';
  } else if (sort === 'distance' || sort === 'latency') sort = 'cost';
  input.sort = sort;
  return input;
}

/** Specs an app cannot run on (AMD for CUDA apps, too little GPU memory) and unpriced ones are passed over. */
function usable(spec: SpecHitOutput, needs: NodeNeeds): boolean {
  if (spec.pricePerHour === null) return false;
  if (needs.nvidia && (spec.gpu === null || NOT_NVIDIA.test(spec.gpu.model))) return false;
  if (needs.gpuMemoryPerDevice !== undefined && spec.gpu !== null && spec.gpu.memoryGiB !== null) {
    if (spec.gpu.memoryGiB / Math.max(1, spec.gpu.count) < needs.gpuMemoryPerDevice) return false;
  }
  return true;
}

function better(a: SpecHitOutput, b: SpecHitOutput, preference: Preference): boolean {
  switch (preference) {
    case 'performance':
      return a.performance > b.performance;
    case 'distance':
      return (a.distanceKm ?? Number.POSITIVE_INFINITY) < (b.distanceKm ?? Number.POSITIVE_INFINITY);
    case 'latency':
      return (a.latencyMs ?? Number.POSITIVE_INFINITY) < (b.latencyMs ?? Number.POSITIVE_INFINITY);
    default:
      return (a.pricePerHour ?? Number.POSITIVE_INFINITY) < (b.pricePerHour ?? Number.POSITIVE_INFINITY);
  }
}

/** Node group names from place names: "seoul", "frankfurt"; lower-case, ≤ 16 characters, unique. */
export function groupName(base: string, taken: Set<string>): string {
  let name = base
    .normalize('NFKD')
    // "São" → "Sao": accents come apart under NFKD and are dropped.
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 16)
    .replace(/-+$/, '');
  if (name === '') name = 'nodes';
  let candidate = name;
  for (let index = 2; taken.has(candidate); index++) {
    const suffix = `-${index}`;
    candidate = `${name.slice(0, 16 - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

export interface ChooseInput {
  needs: NodeNeeds;
  placement: Placement;
  providers: ProviderFilter;
  preference: Preference;
  nodeCount: number;
  /** The group name when no place is named ("ollama", "gpu"). */
  defaultGroup: string;
}

export type ChooseResult =
  | { kind: 'chosen'; groups: ChosenGroup[]; notes: string[] }
  | { kind: 'none'; place?: PlaceRequest; input: Record<string, unknown> }
  /** A search failed: its error, not "no spec", is the answer. */
  | { kind: 'error'; outcome: ToolCallOutcome };

const SEARCH_LIMIT = 10;

/** One spec per place (or one anywhere), best by the preference among those the apps can use. */
export async function* chooseGroups(
  turn: Turn,
  choose: ChooseInput,
): AsyncGenerator<AgentEvent, ChooseResult> {
  const { needs, placement, providers, preference } = choose;
  const language = turn.language;
  const notes: string[] = [];
  let failed: ToolCallOutcome | undefined;
  const inputFor = (place: PlaceRequest | undefined) =>
    searchInput({
      requirements: needs.requirements,
      providers,
      preference,
      // Apps that pass over some specs need a few spares; otherwise the first priced one is taken.
      limit: needs.nvidia || needs.gpuMemoryPerDevice !== undefined ? SEARCH_LIMIT : 3,
      ...(place !== undefined ? { place } : {}),
    });
  // One search per place, all at once: planning time is the slowest search, not their sum.
  const searchAll = async function* (list: readonly (PlaceRequest | undefined)[]) {
    const inputs = list.map(inputFor);
    const outcomes = yield* turn.callAll(inputs.map((input) => ({ toolName: 'searchSpecs', input })));
    failed = outcomes.find((outcome) => outcome.isError);
    return outcomes.map((outcome, index) => {
      const results = outcome.isError
        ? []
        : ((outcome.structured?.results as SpecHitOutput[] | undefined) ?? []);
      return {
        spec: results.find((result) => usable(result, needs)),
        input: inputs[index] as Record<string, unknown>,
      };
    });
  };
  const taken = new Set<string>();
  const { places } = placement;
  if (places.length === 0) {
    const [found] = yield* searchAll([undefined]);
    const { spec, input } = found ?? { spec: undefined, input: {} };
    if (failed !== undefined) return { kind: 'error', outcome: failed };
    if (spec === undefined) return { kind: 'none', input };
    notes.push(
      say(
        language,
        `no place given: the ${preferenceWords(preference, language)} region anywhere`,
        `지역 지정 없음: 전체 리전 중 ${preferenceWords(preference, language)} 곳`,
      ),
    );
    return {
      kind: 'chosen',
      groups: [{ group: groupName(choose.defaultGroup, taken), spec, count: choose.nodeCount }],
      notes,
    };
  }
  if (placement.distribution === 'anyOf') {
    let chosen: { spec: SpecHitOutput; place: PlaceRequest } | undefined;
    let last: Record<string, unknown> = {};
    const found = yield* searchAll(places);
    if (failed !== undefined) return { kind: 'error', outcome: failed };
    for (const [index, { spec, input }] of found.entries()) {
      last = input;
      const place = places[index] as PlaceRequest;
      if (spec !== undefined && (chosen === undefined || better(spec, chosen.spec, preference)))
        chosen = { spec, place };
    }
    if (chosen === undefined) return { kind: 'none', input: last };
    notes.push(
      say(
        language,
        `one of ${listWords(
          places.map((place) => place.place.name),
          language,
        )}: ${chosen.place.place.name} is the ${preferenceWords(preference, language)}`,
        `${places.map((place) => place.place.name).join(', ')} 중 ${chosen.place.place.name}이(가) ${preferenceWords(preference, language)} 곳`,
      ),
    );
    return {
      kind: 'chosen',
      groups: [
        {
          group: groupName(chosen.place.place.name, taken),
          spec: chosen.spec,
          count: choose.nodeCount,
          place: chosen.place.place.name,
        },
      ],
      notes,
    };
  }
  const groups: ChosenGroup[] = [];
  const wanted = places
    .map((place) => ({ place, count: place.count ?? (places.length === 1 ? choose.nodeCount : 1) }))
    .filter((entry) => entry.count > 0);
  const found = yield* searchAll(wanted.map((entry) => entry.place));
  if (failed !== undefined) return { kind: 'error', outcome: failed };
  for (const [index, { place, count }] of wanted.entries()) {
    const { spec, input } = found[index] ?? { spec: undefined, input: {} };
    if (spec === undefined) return { kind: 'none', place, input };
    groups.push({ group: groupName(place.place.name, taken), spec, count, place: place.place.name });
  }
  return { kind: 'chosen', groups, notes };
}

function preferenceWords(preference: Preference, language: Language): string {
  switch (preference) {
    case 'performance':
      return say(language, 'fastest', '가장 빠른');
    case 'distance':
      return say(language, 'closest', '가장 가까운');
    case 'latency':
      return say(language, 'lowest-latency', '지연이 가장 낮은');
    default:
      return say(language, 'cheapest', '가장 싼');
  }
}

/** When nothing matches: which single constraint, relaxed, would find a spec (one search each). */
export async function* relaxations(
  turn: Turn,
  input: Record<string, unknown>,
  place: PlaceRequest | undefined,
): AsyncGenerator<AgentEvent, string[]> {
  const language = turn.language;
  const variants: { words: string; input: Record<string, unknown> }[] = [];
  const without = (...keys: string[]) => {
    const copy = { ...input, limit: 1 };
    for (const key of keys) delete (copy as Record<string, unknown>)[key];
    return copy;
  };
  const gpu = input.gpu as { model?: string; minCount?: number; minMemoryGiB?: number } | undefined;
  if (gpu?.model !== undefined) {
    const { model: _model, ...rest } = gpu;
    variants.push({
      words: say(language, `another GPU model than ${gpu.model}`, `${gpu.model} 대신 다른 GPU 모델`),
      input: { ...without(), gpu: rest },
    });
  }
  if (gpu?.minCount !== undefined && gpu.minCount > 1)
    variants.push({
      words: say(language, 'fewer GPUs per node', '노드당 GPU 수 줄이기'),
      input: { ...without(), gpu: { ...gpu, minCount: 1 } },
    });
  if (input.near !== undefined && place !== undefined)
    variants.push({
      words: say(
        language,
        `a wider area than ${place.place.name} (within 1,500 km)`,
        `${place.place.name}보다 넓은 지역 (1,500 km 이내)`,
      ),
      input: { ...without('sort'), near: { place: place.place.name, radiusKm: 1500 }, sort: 'cost' },
    });
  if (input.near !== undefined || input.regions !== undefined)
    variants.push({
      words: say(language, 'any region', '지역 제한 없이'),
      input: { ...without('near', 'regions', 'latencyFrom'), sort: 'cost' },
    });
  if (input.providers !== undefined || input.excludeProviders !== undefined)
    variants.push({
      words: say(language, 'any provider', '클라우드 제한 없이'),
      input: without('providers', 'excludeProviders'),
    });
  if (input.minVcpu !== undefined || input.minMemoryGiB !== undefined)
    variants.push({
      words: say(language, 'fewer vCPUs or less memory', 'vCPU나 메모리 낮추기'),
      input: without('minVcpu', 'minMemoryGiB'),
    });
  if (input.maxVcpu !== undefined || input.maxMemoryGiB !== undefined)
    variants.push({
      words: say(language, 'larger machines', '더 큰 사양 허용'),
      input: without('maxVcpu', 'maxMemoryGiB'),
    });
  if (input.arch !== undefined)
    variants.push({
      words: say(language, 'another CPU architecture', '다른 CPU 아키텍처'),
      input: without('arch'),
    });
  if (input.maxPricePerHour !== undefined)
    variants.push({
      words: say(language, 'a higher price', '더 높은 가격'),
      input: without('maxPricePerHour'),
    });
  const found: string[] = [];
  for (const variant of variants) {
    const outcome = yield* turn.call('searchSpecs', variant.input);
    const first = (outcome.structured?.results as SpecHitOutput[] | undefined)?.[0];
    if (first !== undefined)
      found.push(
        say(
          language,
          `${variant.words}: e.g. ${first.name} in ${first.regionName} at ${money(first.pricePerHour)}/h`,
          `${variant.words}: 예) ${first.regionName}의 ${first.name}, ${money(first.pricePerHour)}/h`,
        ),
      );
  }
  return found;
}

/** A readable lower-case name: "ollama-gpu-3", with a short suffix when that one is taken. */
export function mciNameFor(intent: DeployIntent, taken: ReadonlySet<string>): string {
  if (intent.name !== undefined) return intent.name;
  const parts: string[] = [];
  const app = intent.apps[0];
  if (app !== undefined) parts.push(app.name);
  if (intent.requirements.gpu !== undefined) parts.push('gpu');
  if (parts.length === 0) parts.push('vm');
  parts.push(String(intent.nodeCount));
  const base = parts.join('-').slice(0, 33);
  if (!taken.has(base)) return base;
  for (;;) {
    const candidate = `${base}-${randomBytes(2).toString('hex')}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export type DeployOutcome =
  | {
      kind: 'plan';
      mciName: string;
      plan: PlanView;
      actions: PendingAction[];
    }
  /** Nothing is asked: the reply explains why (over budget, no spec, review problems). */
  | { kind: 'refused'; text: string; code: string };

/** The createMCI request for the chosen groups, as reviewMCI and createMCI take it. */
function createRequest(
  intent: DeployIntent,
  mciName: string,
  groups: readonly ChosenGroup[],
): Record<string, unknown> {
  const request: Record<string, unknown> = {
    name: mciName,
    nodeGroups: groups.map((group) => ({ name: group.group, specId: group.spec.specId, size: group.count })),
  };
  // Failover keeps to the providers the person allowed.
  const { only, exclude } = intent.providers;
  if (only.length > 0) request.failover = { allowedProviders: only };
  else if (exclude.length > 0)
    request.failover = { allowedProviders: ALL_PROVIDERS.filter((provider) => !exclude.includes(provider)) };
  if (intent.budget !== undefined) request.maxCostPerHour = Math.round(intent.budget.usdPerHour * 1e4) / 1e4;
  return request;
}

/** From a deploy intent to a reviewed plan and its actions, or the reason there is none. */
export async function* planDeploy(
  turn: Turn,
  intent: DeployIntent,
  taken: ReadonlySet<string>,
): AsyncGenerator<AgentEvent, DeployOutcome> {
  const language = turn.language;
  const needs = needsOf(intent, language);
  if (needs.conflict !== undefined) return { kind: 'refused', code: 'CONFLICT', text: `${needs.conflict}.` };
  if (intent.name !== undefined && taken.has(intent.name))
    return {
      kind: 'refused',
      code: 'NAME_TAKEN',
      text: say(
        language,
        `An MCI named "${intent.name}" already exists. Give the new one another name, or change "${intent.name}" instead (scale, install).`,
        `"${intent.name}"라는 MCI가 이미 있습니다. 새 MCI에 다른 이름을 주시거나, 기존 "${intent.name}"을(를) 변경(스케일, 설치)해 주세요.`,
      ),
    };
  const defaultGroup = intent.apps[0]?.name ?? (intent.requirements.gpu !== undefined ? 'gpu' : 'node');
  const chosen = yield* chooseGroups(turn, {
    needs,
    placement: intent.placement,
    providers: intent.providers,
    preference: intent.preference,
    nodeCount: intent.nodeCount,
    defaultGroup,
  });
  if (chosen.kind === 'error')
    return {
      kind: 'refused',
      code: chosen.outcome.error?.code ?? 'SEARCH_FAILED',
      text: `${chosen.outcome.error?.message ?? chosen.outcome.text}\n${chosen.outcome.error?.next ?? ''}`.trim(),
    };
  if (chosen.kind === 'none') {
    const hints = yield* relaxations(turn, chosen.input, chosen.place);
    const where = chosen.place
      ? say(language, ` for ${chosen.place.place.name}`, ` (${chosen.place.place.name})`)
      : '';
    const text = [
      say(
        language,
        `No spec meets every requirement${where}, so nothing was planned.`,
        `모든 조건을 만족하는 스펙이 없어${where} 계획을 만들지 않았습니다.`,
      ),
      hints.length > 0
        ? say(language, 'Relaxing one of these would work:', '다음 중 하나를 완화하면 가능합니다:')
        : say(
            language,
            'Relax a constraint (GPU model, place, providers, size) and ask again.',
            '조건(GPU 모델, 지역, 클라우드, 사양)을 완화해서 다시 요청해 주세요.',
          ),
      ...hints.map((hint) => `- ${hint}`),
    ].join('\n');
    return { kind: 'refused', code: 'NO_SPEC', text };
  }
  const { groups } = chosen;
  const total = groups.reduce((sum, group) => sum + (group.spec.pricePerHour ?? 0) * group.count, 0);
  if (intent.budget !== undefined && total > intent.budget.usdPerHour + 1e-9) {
    return {
      kind: 'refused',
      code: 'BUDGET_EXCEEDED',
      text: yield* overBudget(turn, intent, needs, groups, total),
    };
  }
  const mciName = mciNameFor(intent, taken);
  const request = createRequest(intent, mciName, groups);
  const reviewed = yield* turn.call('reviewMCI', request);
  if (reviewed.isError)
    return {
      kind: 'refused',
      code: reviewed.error?.code ?? 'REVIEW_FAILED',
      text: `${reviewed.error?.message ?? reviewed.text}\n${reviewed.error?.next ?? ''}`.trim(),
    };
  const review = reviewed.structured as unknown as ReviewOutput;
  if (!review.ok)
    return {
      kind: 'refused',
      code: 'REVIEW_ISSUES',
      text: [
        say(language, 'The plan cannot be created as it is:', '이 계획은 그대로 만들 수 없습니다:'),
        ...review.issues.map((issue) => `- ${issue}`),
      ].join('\n'),
    };
  // The server's own cost caps: reviewMCI warns that createMCI will refuse; an approval could not help.
  const capped = review.risks.filter((risk) => risk.startsWith('budget:') && /will refuse/.test(risk));
  if (capped.length > 0)
    return {
      kind: 'refused',
      code: 'BUDGET_EXCEEDED',
      text: [
        say(
          language,
          `The plan costs ${money(review.pricePerHour)}/h, more than this s2a server allows, so I did not ask to create it:`,
          `계획 비용이 ${money(review.pricePerHour)}/h로 이 s2a 서버의 한도를 넘어 생성을 요청하지 않았습니다:`,
        ),
        ...capped.map((risk) => `- ${risk}`),
        say(
          language,
          'Ask for fewer or cheaper nodes ("cheapest"), or raise the cap.',
          '노드 수를 줄이거나 더 싼 스펙("제일 싼 걸로")을 요청하거나 한도를 올려 주세요.',
        ),
      ].join('\n'),
    };
  const notes = [...intent.notes, ...needs.notes, ...chosen.notes];
  for (const group of groups) {
    if (group.place !== undefined && group.spec.distanceKm !== null)
      notes.push(
        say(
          language,
          `${group.place}: ${group.spec.regionName}, ${group.spec.distanceKm} km away`,
          `${group.place}: ${group.spec.regionName}, ${group.spec.distanceKm} km 거리`,
        ),
      );
  }
  if (intent.name === undefined)
    notes.push(say(language, `name chosen: ${mciName}`, `이름: ${mciName} (자동 생성)`));
  if (intent.budget !== undefined)
    notes.push(
      say(
        language,
        `within your budget of ${money(intent.budget.usdPerHour)}/h`,
        `예산 ${money(intent.budget.usdPerHour)}/h 이내`,
      ),
    );
  const risks = [...review.risks];
  if (intent.spot)
    risks.push(
      say(
        language,
        'spot VMs are not offered by createMCI: the nodes are created on demand at the prices shown',
        'createMCI는 스팟 VM을 지원하지 않아 표시된 온디맨드 가격으로 생성됩니다',
      ),
    );
  const plan = deployPlanView({
    language,
    mciName,
    groups,
    apps: intent.apps,
    gpu: intent.requirements.gpu !== undefined || needs.nvidia,
    pricePerHour: review.pricePerHour,
    risks,
    notes,
  });
  const actions: PendingAction[] = [{ toolName: 'createMCI', input: { ...request, wait: true } }];
  for (const app of intent.apps) {
    const input: Record<string, unknown> = { name: mciName, app: app.name, wait: true };
    if (Object.keys(app.parameters).length > 0) input.parameters = app.parameters;
    actions.push({ toolName: 'installApp', input });
  }
  return { kind: 'plan', mciName, plan, actions };
}

/** Over budget: say by how much, and what the cheapest way to get close would be. */
async function* overBudget(
  turn: Turn,
  intent: DeployIntent,
  needs: NodeNeeds,
  groups: readonly ChosenGroup[],
  total: number,
): AsyncGenerator<AgentEvent, string> {
  const language = turn.language;
  const budget = intent.budget?.usdPerHour ?? 0;
  const lines = [
    say(
      language,
      `The cheapest plan I found costs ${money(total)}/h, above your budget of ${money(budget)}/h, so I did not ask to create anything.`,
      `찾은 계획의 비용이 ${money(total)}/h로 예산 ${money(budget)}/h를 넘어서 아무것도 만들지 않았습니다.`,
    ),
  ];
  let cheapest = total;
  if (intent.preference !== 'cost') {
    const again = yield* chooseGroups(turn, {
      needs,
      placement: intent.placement,
      providers: intent.providers,
      preference: 'cost',
      nodeCount: intent.nodeCount,
      defaultGroup: 'node',
    });
    if (again.kind === 'chosen')
      cheapest = again.groups.reduce((sum, group) => sum + (group.spec.pricePerHour ?? 0) * group.count, 0);
    if (cheapest <= budget)
      lines.push(
        say(
          language,
          `- The cheapest specs in the same places cost ${money(cheapest)}/h, within budget: ask for "cheapest".`,
          `- 같은 지역의 가장 싼 스펙은 ${money(cheapest)}/h로 예산 안입니다: "제일 싼 걸로"라고 요청해 주세요.`,
        ),
      );
  }
  if (intent.placement.places.length > 0 && cheapest > budget) {
    const anywhere = yield* chooseGroups(turn, {
      needs,
      placement: { places: [], distribution: 'none', near: false },
      providers: intent.providers,
      preference: 'cost',
      nodeCount: intent.nodeCount,
      defaultGroup: 'node',
    });
    const first = anywhere.kind === 'chosen' ? anywhere.groups[0] : undefined;
    if (first !== undefined && (first.spec.pricePerHour ?? 0) * intent.nodeCount < cheapest) {
      const price = (first.spec.pricePerHour ?? 0) * intent.nodeCount;
      lines.push(
        say(
          language,
          `- Anywhere, the cheapest is ${intent.nodeCount} × ${first.spec.name} in ${first.spec.regionName}: ${money(price)}/h${price <= budget ? ', within budget' : ''}.`,
          `- 지역 제한 없이는 ${first.spec.regionName}의 ${first.spec.name} ${intent.nodeCount}대가 가장 싸며 ${money(price)}/h${price <= budget ? '로 예산 안입니다' : '입니다'}.`,
        ),
      );
      cheapest = Math.min(cheapest, price);
    }
  }
  const perNode = Math.min(...groups.map((group) => group.spec.pricePerHour ?? Number.POSITIVE_INFINITY));
  const fits = Number.isFinite(perNode) && perNode > 0 ? Math.floor((budget + 1e-9) / perNode) : 0;
  if (fits >= 1 && fits < intent.nodeCount)
    lines.push(
      say(
        language,
        `- ${fits} node${fits === 1 ? '' : 's'} of ${money(perNode)}/h fit the budget: say "make it ${fits}".`,
        `- ${money(perNode)}/h 노드는 ${fits}대까지 예산에 맞습니다: "${fits}대로 해줘"라고 해 주세요.`,
      ),
    );
  if (fits < 1 && cheapest > budget)
    lines.push(
      say(
        language,
        '- Even one node is above the budget: raise the budget or relax the requirements (GPU, size).',
        '- 노드 한 대도 예산을 넘습니다: 예산을 올리거나 조건(GPU, 사양)을 낮춰 주세요.',
      ),
    );
  return lines.join('\n');
}
