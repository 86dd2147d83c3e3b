/**
 * The checkers: each `expect` key of a scenario becomes one pass/fail with what was expected and
 * what was found, judged on the end state (not on the tool calls the agent chose), except the
 * conversation checks (asked_confirmation, asked_clarification, reply_contains), which judge the
 * events because "asked before acting" is about order.
 */
import type { AgentEvent } from '../agent/types.ts';
import { gpuFacts, normalizeGpuModel } from '../catalog/gpu/index.ts';
import { distanceKm } from '../catalog/places/geo.ts';
import type { ResolvedPlace } from '../catalog/types.ts';
import type { AppExpectation, EachNode, Expectations, PlaceExpectation } from './scenario.ts';
import {
  type CheckContext,
  type EndMci,
  type EndNode,
  type EndState,
  type Exchange,
  existingMcis,
  isGone,
  liveNodes,
  type SpecFacts,
} from './state.ts';

export interface CheckResult {
  /** The expect key, e.g. "each_node" or "places". */
  key: string;
  pass: boolean;
  expected: string;
  found: string;
}

const PRICE_EPSILON = 1e-9;

function result(key: string, pass: boolean, expected: unknown, found: string): CheckResult {
  return { key, pass, expected: typeof expected === 'string' ? expected : JSON.stringify(expected), found };
}

function describeNode(node: EndNode): string {
  return `${node.mciName}/${node.name} (${node.specId})`;
}

function listSome(items: readonly string[], limit = 4): string {
  if (items.length <= limit) return items.join('; ');
  return `${items.slice(0, limit).join('; ')}; and ${items.length - limit} more`;
}

// ---------------------------------------------------------------------------------------------
// Spec constraints
// ---------------------------------------------------------------------------------------------

/** "A100" is met by A100 and its memory variants (A100-80GB); spellings are normalized by the catalog. */
export function gpuModelMatches(actual: string, wanted: string): boolean {
  const actualKey = normalizeGpuModel(actual)?.key ?? actual;
  const wantedKey = normalizeGpuModel(wanted)?.key ?? wanted;
  const a = actualKey.toLowerCase();
  const w = wantedKey.toLowerCase();
  return a === w || a.startsWith(`${w}-`);
}

/**
 * GPUs of a spec as a person means "a GPU": NVIDIA or AMD. Inferentia, Trainium, Gaudi and FPGAs sit
 * in the same catalog field but do not run what people put on "a GPU VM" (unless named by gpu_model).
 */
export function gpuCountOf(spec: SpecFacts, each: EachNode): number {
  if (!spec.gpu) return 0;
  if (each.gpu_model !== undefined)
    return gpuModelMatches(spec.gpu.model, each.gpu_model) ? spec.gpu.count : 0;
  const vendor = gpuFacts(spec.gpu.model)?.vendor;
  return vendor === 'NVIDIA' || vendor === 'AMD' ? spec.gpu.count : 0;
}

/** Why a spec does not meet each_node, or undefined when it does. */
export function specProblem(spec: SpecFacts, each: EachNode): string | undefined {
  const problems: string[] = [];
  if (each.min_vcpu !== undefined && spec.vcpu < each.min_vcpu) problems.push(`${spec.vcpu} vCPU`);
  if (each.max_vcpu !== undefined && spec.vcpu > each.max_vcpu) problems.push(`${spec.vcpu} vCPU`);
  if (each.min_memory_gib !== undefined && spec.memoryGiB < each.min_memory_gib)
    problems.push(`${spec.memoryGiB} GiB`);
  const gpuCount = gpuCountOf(spec, each);
  if (each.gpu_min !== undefined && gpuCount < each.gpu_min)
    problems.push(spec.gpu ? `${gpuCount} GPU (${spec.gpu.count}x ${spec.gpu.model})` : 'no GPU');
  if (each.gpu_model !== undefined && !(spec.gpu && gpuModelMatches(spec.gpu.model, each.gpu_model)))
    problems.push(spec.gpu ? `GPU ${spec.gpu.model}` : 'no GPU');
  if (each.arch !== undefined && spec.arch !== each.arch) problems.push(spec.arch);
  return problems.length > 0 ? problems.join(', ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// State checks
// ---------------------------------------------------------------------------------------------

/** The status word of an MCI over its live nodes ("Running", "Partial-Running"), all nodes when none lives. */
export function statusWord(mci: EndMci): string {
  const live = mci.nodes.filter((node) => !isGone(node.status));
  const nodes = live.length > 0 ? live : mci.nodes;
  if (nodes.length === 0) return 'Empty';
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.status, (counts.get(node.status) ?? 0) + 1);
  const [top, topCount] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['Empty', 0];
  return topCount === nodes.length ? top : `Partial-${top}`;
}

function checkStatus(expected: string, state: EndState): CheckResult {
  const mcis = existingMcis(state);
  if (mcis.length === 0) return result('status', false, expected, 'no MCI exists');
  const words = mcis.map((mci) => `${mci.name}: ${statusWord(mci)}`);
  return result(
    'status',
    mcis.every((mci) => statusWord(mci) === expected),
    expected,
    words.join(', '),
  );
}

function checkEachNode(each: EachNode, nodes: EndNode[]): CheckResult {
  if (nodes.length === 0) return result('each_node', false, each, 'no nodes');
  const failures: string[] = [];
  for (const node of nodes) {
    if (!node.spec) failures.push(`${describeNode(node)}: spec unknown to the sim`);
    else {
      const problem = specProblem(node.spec, each);
      if (problem) failures.push(`${describeNode(node)}: ${problem}`);
    }
  }
  return result(
    'each_node',
    failures.length === 0,
    each,
    failures.length === 0 ? `all ${nodes.length} nodes meet it` : listSome(failures),
  );
}

function providersOf(nodes: EndNode[]): string[] {
  return [...new Set(nodes.map((node) => node.provider))].sort();
}

function checkProvidersOnly(allowed: readonly string[], nodes: EndNode[]): CheckResult {
  if (nodes.length === 0) return result('providers_only', false, allowed, 'no nodes');
  const outside = nodes.filter((node) => !allowed.includes(node.provider));
  return result(
    'providers_only',
    outside.length === 0,
    allowed,
    outside.length === 0 ? providersOf(nodes).join(', ') : listSome(outside.map(describeNode)),
  );
}

function checkProvidersNot(forbidden: readonly string[], nodes: EndNode[]): CheckResult {
  const inside = nodes.filter((node) => forbidden.includes(node.provider));
  return result(
    'providers_not',
    inside.length === 0,
    `none on ${forbidden.join(', ')}`,
    inside.length === 0
      ? `providers: ${providersOf(nodes).join(', ') || 'none'}`
      : listSome(inside.map(describeNode)),
  );
}

/** Whether a node's region lies in a resolved place: membership for countries and areas, distance otherwise. */
export function nodeInPlace(node: EndNode, place: ResolvedPlace, km: number): boolean {
  const region = node.region;
  if (!region) return false;
  if ((place.kind === 'continent' || place.kind === 'area') && place.regionIds)
    return place.regionIds.includes(node.regionId);
  if (place.kind === 'country' && place.countryCode) return region.countryCode === place.countryCode;
  return distanceKm(place, region) <= km;
}

function checkPlaces(
  places: readonly PlaceExpectation[],
  nodes: EndNode[],
  context: CheckContext,
): CheckResult {
  const failures: string[] = [];
  const found: string[] = [];
  for (const entry of places) {
    const wanted = typeof entry === 'string' ? { near: entry, km: 800, nodes: 1 } : entry;
    const place = context.resolvePlace(wanted.near);
    if (!place) {
      failures.push(`"${wanted.near}" is not a place the catalog knows`);
      continue;
    }
    const near = nodes.filter((node) => nodeInPlace(node, place, wanted.km));
    found.push(`${wanted.near}: ${near.length}`);
    if (near.length < wanted.nodes) {
      const nearest = nodes
        .filter((node) => node.region)
        .map(
          (node) =>
            `${node.regionId} ${Math.round(distanceKm(place, node.region as NonNullable<EndNode['region']>))} km`,
        )
        .slice(0, 3);
      failures.push(
        `${wanted.near}: ${near.length} node(s) within ${wanted.km} km, want ${wanted.nodes}${nearest.length > 0 ? ` (${nearest.join(', ')})` : ''}`,
      );
    }
  }
  return result(
    'places',
    failures.length === 0,
    places,
    failures.length === 0 ? found.join(', ') : listSome(failures),
  );
}

function checkCountries(countries: readonly string[], nodes: EndNode[]): CheckResult {
  if (nodes.length === 0) return result('countries', false, countries, 'no nodes');
  const outside = nodes.filter((node) => !countries.includes(node.region?.countryCode ?? '?'));
  return result(
    'countries',
    outside.length === 0,
    countries,
    outside.length === 0
      ? [...new Set(nodes.map((node) => node.region?.countryCode))].join(', ')
      : listSome(outside.map((node) => `${describeNode(node)} in ${node.region?.countryCode ?? 'unknown'}`)),
  );
}

function checkRegions(regions: readonly string[], nodes: EndNode[]): CheckResult {
  if (nodes.length === 0) return result('regions', false, regions, 'no nodes');
  const outside = nodes.filter((node) => !regions.includes(node.regionId));
  return result(
    'regions',
    outside.length === 0,
    regions,
    outside.length === 0
      ? [...new Set(nodes.map((node) => node.regionId))].join(', ')
      : listSome(outside.map((node) => `${describeNode(node)} in ${node.regionId}`)),
  );
}

function checkCheapestWithin(
  factor: number,
  each: EachNode | undefined,
  nodes: EndNode[],
  context: CheckContext,
): CheckResult {
  if (nodes.length === 0) return result('cheapest_within', false, `<= ${factor} x cheapest`, 'no nodes');
  const failures: string[] = [];
  for (const node of nodes) {
    const price = node.spec?.pricePerHour;
    if (price === null || price === undefined) {
      failures.push(`${describeNode(node)}: no price`);
      continue;
    }
    const candidates = context
      .specsInRegion(node.regionId)
      .filter((spec) => spec.pricePerHour !== null && (!each || specProblem(spec, each) === undefined));
    const cheapest = candidates.reduce<SpecFacts | undefined>(
      (best, spec) =>
        best === undefined || (spec.pricePerHour ?? 0) < (best.pricePerHour ?? 0) ? spec : best,
      undefined,
    );
    if (!cheapest || cheapest.pricePerHour === null) continue;
    if (price > factor * cheapest.pricePerHour + PRICE_EPSILON)
      failures.push(
        `${describeNode(node)}: $${price.toFixed(4)}/h, cheapest ${cheapest.id} $${cheapest.pricePerHour.toFixed(4)}/h`,
      );
  }
  return result(
    'cheapest_within',
    failures.length === 0,
    `<= ${factor} x the cheapest fitting spec of each node's region`,
    failures.length === 0 ? `all ${nodes.length} nodes within` : listSome(failures),
  );
}

/** $/h of the nodes that bill compute now (Suspended nodes do not). */
export function costPerHour(nodes: EndNode[]): number {
  return nodes
    .filter((node) => node.status !== 'Suspended')
    .reduce((sum, node) => sum + (node.spec?.pricePerHour ?? 0), 0);
}

function checkMaxCost(limit: number, nodes: EndNode[]): CheckResult {
  const total = costPerHour(nodes);
  return result(
    'max_cost_per_hour',
    total <= limit + PRICE_EPSILON,
    `<= $${limit}/h`,
    `$${total.toFixed(4)}/h`,
  );
}

function checkApps(apps: readonly AppExpectation[], state: EndState): CheckResult {
  const failures: string[] = [];
  const found: string[] = [];
  const mcis = existingMcis(state);
  for (const wanted of apps) {
    const name = wanted.name.toLowerCase();
    const installs = state.apps.filter(
      (app) => app.app.toLowerCase() === name && mcis.some((mci) => mci.name === app.mciName),
    );
    const healthy = installs.flatMap((install) => install.nodes.filter((node) => node.healthy));
    found.push(`${wanted.name}: ${healthy.length} healthy`);
    if (installs.length === 0) {
      failures.push(`${wanted.name}: not installed on any MCI`);
      continue;
    }
    if (wanted.healthy === 'all') {
      for (const install of installs) {
        const mci = mcis.find((candidate) => candidate.name === install.mciName);
        const live = mci?.nodes.filter((node) => !isGone(node.status)) ?? [];
        const sick = live.filter(
          (node) => !install.nodes.some((entry) => entry.nodeId === node.name && entry.healthy),
        );
        if (live.length === 0 || sick.length > 0)
          failures.push(
            `${wanted.name} on ${install.mciName}: ${live.length - sick.length}/${live.length} nodes healthy`,
          );
      }
    } else if (healthy.length < wanted.healthy) {
      failures.push(`${wanted.name}: ${healthy.length} healthy node(s), want >= ${wanted.healthy}`);
    }
  }
  return result(
    'apps',
    failures.length === 0,
    apps,
    failures.length === 0 ? found.join(', ') : listSome(failures),
  );
}

function resourceDifference(before: readonly string[], after: readonly string[]): string {
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  const added = after.filter((item) => !beforeSet.has(item));
  const removed = before.filter((item) => !afterSet.has(item));
  if (added.length === 0 && removed.length === 0) return 'nothing changed';
  const parts: string[] = [];
  if (added.length > 0) parts.push(`new or changed: ${listSome(added, 3)}`);
  if (removed.length > 0) parts.push(`gone or changed: ${listSome(removed, 3)}`);
  return parts.join(' | ');
}

// ---------------------------------------------------------------------------------------------
// Conversation checks
// ---------------------------------------------------------------------------------------------

interface Ordered {
  exchange: Exchange;
  event: AgentEvent;
}

function orderedEvents(exchanges: readonly Exchange[]): Ordered[] {
  return exchanges.flatMap((exchange) => exchange.events.map((event) => ({ exchange, event })));
}

/** A mutating tool that ran: its result came back without an error (a refusal is not a mutation). */
function isMutation(event: AgentEvent, mutatingTools: ReadonlySet<string>): boolean {
  return event.type === 'tool-result' && !event.isError && mutatingTools.has(event.toolName);
}

/**
 * True when the agent showed an approval request and every mutating tool that ran did so in answer
 * to an approval the runner gave, never in answer to a plain sentence.
 */
export function askedConfirmation(
  exchanges: readonly Exchange[],
  mutatingTools: ReadonlySet<string>,
): boolean {
  const events = orderedEvents(exchanges);
  if (!events.some(({ event }) => event.type === 'approval-request')) return false;
  return events.every(
    ({ exchange, event }) => !isMutation(event, mutatingTools) || exchange.message === 'approve',
  );
}

/** True when a question came before anything was mutated. */
export function askedClarification(
  exchanges: readonly Exchange[],
  mutatingTools: ReadonlySet<string>,
): boolean {
  for (const { event } of orderedEvents(exchanges)) {
    if (event.type === 'question') return true;
    if (isMutation(event, mutatingTools)) return false;
  }
  return false;
}

/** What the agent said in answer to the last message: text, questions, summaries and errors. */
export function lastReply(exchanges: readonly Exchange[]): string {
  const last = exchanges.at(-1);
  if (!last) return '';
  return last.events
    .flatMap((event) => {
      if (event.type === 'text') return [event.text];
      if (event.type === 'question') return [event.text, ...(event.options ?? [])];
      if (event.type === 'summary') return [event.text, ...event.endpoints.map((endpoint) => endpoint.url)];
      if (event.type === 'error') return [event.message, event.next ?? ''];
      return [];
    })
    .join('\n');
}

function checkReplyContains(needles: readonly string[], exchanges: readonly Exchange[]): CheckResult {
  const reply = lastReply(exchanges);
  const lower = reply.toLowerCase();
  const pass = needles.some((needle) => lower.includes(needle.toLowerCase()));
  const shown = reply.replace(/\s+/g, ' ').trim();
  return result(
    'reply_contains',
    pass,
    `one of ${JSON.stringify(needles)}`,
    shown === '' ? '(no reply)' : shown.length > 200 ? `${shown.slice(0, 200)}…` : shown,
  );
}

// ---------------------------------------------------------------------------------------------

/** Every check a scenario's expect asks for, in a fixed order. */
export function runChecks(expect: Expectations, state: EndState, context: CheckContext): CheckResult[] {
  const results: CheckResult[] = [];
  const nodes = liveNodes(state);
  if (expect.mcis !== undefined) {
    const mcis = existingMcis(state);
    results.push(
      result(
        'mcis',
        mcis.length === expect.mcis,
        String(expect.mcis),
        `${mcis.length}${mcis.length > 0 ? ` (${mcis.map((mci) => mci.name).join(', ')})` : ''}`,
      ),
    );
  }
  if (expect.nodes !== undefined)
    results.push(result('nodes', nodes.length === expect.nodes, String(expect.nodes), String(nodes.length)));
  if (expect.status !== undefined) results.push(checkStatus(expect.status, state));
  if (expect.each_node !== undefined) results.push(checkEachNode(expect.each_node, nodes));
  if (expect.providers_only !== undefined) results.push(checkProvidersOnly(expect.providers_only, nodes));
  if (expect.providers_not !== undefined) results.push(checkProvidersNot(expect.providers_not, nodes));
  if (expect.places !== undefined) results.push(checkPlaces(expect.places, nodes, context));
  if (expect.countries !== undefined) results.push(checkCountries(expect.countries, nodes));
  if (expect.regions !== undefined) results.push(checkRegions(expect.regions, nodes));
  if (expect.cheapest_within !== undefined)
    results.push(checkCheapestWithin(expect.cheapest_within, expect.each_node, nodes, context));
  if (expect.max_cost_per_hour !== undefined) results.push(checkMaxCost(expect.max_cost_per_hour, nodes));
  if (expect.apps !== undefined) results.push(checkApps(expect.apps, state));
  if (expect.asked_confirmation !== undefined) {
    const found = askedConfirmation(context.exchanges, context.mutatingTools);
    results.push(
      result(
        'asked_confirmation',
        found === expect.asked_confirmation,
        String(expect.asked_confirmation),
        String(found),
      ),
    );
  }
  if (expect.asked_clarification !== undefined) {
    const found = askedClarification(context.exchanges, context.mutatingTools);
    results.push(
      result(
        'asked_clarification',
        found === expect.asked_clarification,
        String(expect.asked_clarification),
        String(found),
      ),
    );
  }
  if (expect.no_mutation !== undefined) {
    const difference = resourceDifference(context.baselineResources, state.resources);
    const unchanged = difference === 'nothing changed';
    results.push(
      result('no_mutation', unchanged === expect.no_mutation, String(expect.no_mutation), difference),
    );
  }
  if (expect.reply_contains !== undefined)
    results.push(checkReplyContains(expect.reply_contains, context.exchanges));
  if (expect.no_orphans !== undefined) {
    const none = state.orphans.length === 0;
    results.push(
      result(
        'no_orphans',
        none === expect.no_orphans,
        String(expect.no_orphans),
        none ? 'no orphans' : listSome(state.orphans),
      ),
    );
  }
  return results;
}
