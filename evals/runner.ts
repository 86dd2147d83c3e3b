/**
 * Runs scenarios: for each, a fresh sim world, the setup, the turns through the Agent (answering
 * approval requests as the scenario says), then the checks on the end state. The module API the
 * CLI (evals/run.ts) and the CI test (evals/evals.test.ts) share.
 */
import { setMaxListeners } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Agent } from '../agent/agent.ts';
import { openAgent } from '../agent/open-agent.ts';
import type { AgentEvent, Planner, UserMessage } from '../agent/types.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { loadRegions, loadWorld } from '../catalog/load/index.ts';
import { resolvePlaces } from '../catalog/places/index.ts';
import type { ResolvedPlace } from '../catalog/types.ts';
import { mcpConfigFromEnvironment } from '../mcp-server/config.ts';
import { createToolServices } from '../mcp-server/server.ts';
import { Runtime } from '../runtime/runtime.ts';
import { type CheckResult, runChecks } from './checks.ts';
import { type LoadedScenario, ScenarioError } from './scenario.ts';
import type { Exchange } from './state.ts';
import {
  billedDollars,
  clearFaults,
  createSetupMcis,
  EVAL_SECRET,
  EVAL_SIM,
  injectSetupFaults,
  openScenarioWorld,
  operationIdsIn,
  readEndState,
  settle,
  snapshotResources,
  WorldFacts,
} from './world.ts';

export type PlannerOption = 'offline' | 'llm' | Planner;

export interface RunOptions {
  planner: PlannerOption;
  /** Runs per scenario; pass^k needs all k to pass. */
  k?: number;
  /** Scenarios run at once in this process. */
  concurrency?: number;
  /** Where the shared catalog index is built once; default a folder under the OS temp dir. */
  catalogHome?: string;
  /** Per scenario run, all turns included. */
  timeoutMs?: number;
  keepHomes?: boolean;
  /** Told when a scenario run finishes (for live progress). */
  onResult?: (result: ScenarioRunResult) => void;
}

/** One run of one scenario. */
export interface ScenarioRunResult {
  id: string;
  lang: string;
  tags: string[];
  file: string;
  attempt: number;
  pass: boolean;
  checks: CheckResult[];
  /** Set when the run could not finish (setup failed, the agent threw, timeout). */
  error?: string;
  /** Wall time of the agent's answers, all turns. */
  milliseconds: number;
  toolCalls: number;
  /** USD the sim's billing meter accrued (wall-clock hours: tiny at the eval's time scale). */
  dollars: number;
  /** The agent's events, message by message, for the report. */
  exchanges: {
    turn: number;
    message: Exchange['message'];
    /** The user's words, for text messages. */
    say?: string;
    milliseconds: number;
    events: string[];
  }[];
}

export const DEFAULT_TIMEOUT_MS = 90_000;
/** Most of a run waits on timers (operation polls), so four at once use two cores well. */
export const DEFAULT_CONCURRENCY = 4;
export const EVALS_DIRECTORY = dirname(fileURLToPath(import.meta.url));
export const THRESHOLD_FILE = join(EVALS_DIRECTORY, 'threshold.json');

export interface Threshold {
  /** Minimum pass rate of the offline planner over evals/scenarios (0..1); it may only go up. */
  offlinePassRate: number;
}

export async function readThreshold(): Promise<Threshold> {
  return JSON.parse(await readFile(THRESHOLD_FILE, 'utf8')) as Threshold;
}
const MAX_APPROVALS_PER_TURN = 6;
/** Mutating tools of the design (DESIGN.md), used when the server does not say. */
const DESIGN_MUTATING_TOOLS = [
  'createMCI',
  'scaleMCI',
  'controlMCI',
  'deleteMCI',
  'runCommand',
  'installApp',
  'cancelOperation',
];

export function defaultCatalogHome(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // Containers may run as a uid without a passwd entry.
    user = String(process.getuid?.() ?? 'user');
  }
  return join(tmpdir(), `s2a-evals-${user}`, 'catalog-home');
}

/** Builds (first time: seconds to a minute) and opens the catalog index every scenario shares. */
export async function openSharedCatalog(
  catalogHome: string,
): Promise<{ catalog: Catalog; close(): Promise<void> }> {
  await mkdir(catalogHome, { recursive: true });
  const runtime = await Runtime.open({
    home: catalogHome,
    environment: { S2A_SECRET: EVAL_SECRET },
    sim: { ...EVAL_SIM, account: 'catalog' },
  });
  const catalog = await runtime.catalog();
  return { catalog, close: () => runtime.close() };
}

/** Place names of expect.places, resolved once by the catalog's resolver. */
export class PlaceBook {
  private readonly regions = loadRegions();
  private readonly cache = new Map<string, ResolvedPlace | undefined>();

  resolve(name: string): ResolvedPlace | undefined {
    if (!this.cache.has(name)) this.cache.set(name, resolvePlaces(name, this.regions)[0]);
    return this.cache.get(name);
  }

  /** Refuses scenarios whose places the catalog cannot read: a typo there would fail every run. */
  validate(scenarios: readonly LoadedScenario[]): void {
    const problems: string[] = [];
    for (const scenario of scenarios)
      for (const [index, entry] of (scenario.expect.places ?? []).entries()) {
        const name = typeof entry === 'string' ? entry : entry.near;
        if (!this.resolve(name))
          problems.push(
            `${scenario.file}: expect.places[${index}]: "${name}" is not a place the catalog resolves`,
          );
      }
    if (problems.length > 0) throw new ScenarioError(problems.join('\n'));
  }
}

/** S2A_EVAL_TRACE=1 prints how long each phase of a scenario took (to find where time goes). */
function traceFor(id: string): (phase: string) => void {
  if (!process.env.S2A_EVAL_TRACE) return () => {};
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    console.error(`  ${id}: ${phase} ${Math.round(now - last)} ms`);
    last = now;
  };
}

/** Refuses setup specs and expected regions the sim does not have: the scenario would test nothing. */
export function validateAgainstWorld(scenarios: readonly LoadedScenario[], facts: WorldFacts): void {
  const problems: string[] = [];
  for (const scenario of scenarios) {
    for (const [mciIndex, mci] of (scenario.setup.mcis ?? []).entries())
      for (const [groupIndex, group] of mci.node_groups.entries())
        if (!facts.specs.has(group.spec))
          problems.push(
            `${scenario.file}: setup.mcis[${mciIndex}].node_groups[${groupIndex}].spec: the sim has no spec "${group.spec}" (npx s2a specs --region <provider+region>)`,
          );
    for (const [index, region] of (scenario.expect.regions ?? []).entries())
      if (!facts.regions.has(region))
        problems.push(`${scenario.file}: expect.regions[${index}]: the sim has no region "${region}"`);
    for (const [index, fault] of (scenario.setup.faults ?? []).entries()) {
      const code = fault.region?.includes('+') ? fault.region.split('+')[1] : fault.region;
      if (code !== undefined && !facts.regions.has(`${fault.provider}+${code}`))
        problems.push(
          `${scenario.file}: setup.faults[${index}].region: ${fault.provider} has no region "${code}"`,
        );
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems.join('\n'));
}

function describeEvent(event: AgentEvent): string {
  switch (event.type) {
    case 'text':
      return `text: ${event.text}`;
    case 'tool-call':
      return `tool-call ${event.toolName} ${JSON.stringify(event.input)}`;
    case 'tool-result':
      return `tool-result ${event.toolName}${event.isError ? ' (error)' : ''}: ${event.summary}`;
    case 'plan':
      return `plan: ${event.plan.title} ($${event.plan.pricePerHour.toFixed(2)}/h)`;
    case 'approval-request':
      return `approval-request: ${event.plan.title} ($${event.plan.pricePerHour.toFixed(2)}/h)`;
    case 'progress':
      return `progress ${event.toolName}: ${event.message}`;
    case 'question':
      return `question: ${event.text}`;
    case 'summary':
      return `summary: ${event.text}`;
    case 'error':
      return `error ${event.code}: ${event.message}`;
  }
}

async function mutatingToolsOf(agent: Agent): Promise<Set<string>> {
  try {
    const tools = await agent.tools.listTools();
    const mutating = tools
      .filter((tool) => tool.annotations?.readOnlyHint === false)
      .map((tool) => tool.name);
    if (mutating.length > 0) return new Set(mutating);
  } catch {
    // Fall through to the design's list.
  }
  return new Set(DESIGN_MUTATING_TOOLS);
}

/** Drives the scenario's turns; answers each approval request with the turn's confirm. */
async function driveTurns(
  agent: Agent,
  scenario: LoadedScenario,
  exchanges: Exchange[],
  signal: AbortSignal,
): Promise<void> {
  const conversationId = `eval-${scenario.id}`;
  for (const [turnIndex, turn] of scenario.turns.entries()) {
    let message: UserMessage = { text: turn.say };
    let kind: Exchange['message'] = 'text';
    const answered = new Set<string>();
    for (;;) {
      const events: AgentEvent[] = [];
      const started = performance.now();
      for await (const event of agent.send(conversationId, message, { signal })) events.push(event);
      exchanges.push({ turn: turnIndex, message: kind, events, milliseconds: performance.now() - started });
      const last = events.findLast((event) => event.type === 'approval-request');
      const request = last?.type === 'approval-request' ? last : undefined;
      if (!request || answered.has(request.approvalId) || answered.size >= MAX_APPROVALS_PER_TURN) break;
      answered.add(request.approvalId);
      const approved = turn.confirm === 'yes';
      message = { approval: { approvalId: request.approvalId, approved } };
      kind = approved ? 'approve' : 'reject';
    }
  }
}

/** One run of one scenario in its own world. Never throws: problems become a failed result. */
export async function runScenario(
  scenario: LoadedScenario,
  attempt: number,
  shared: {
    catalogHome: string;
    catalog?: Catalog;
    facts: WorldFacts;
    places: PlaceBook;
    /** The tools are the same in every world: listed once per process (listing costs ~1 s). */
    mutatingTools?: Promise<Set<string>>;
  },
  options: RunOptions,
): Promise<ScenarioRunResult> {
  const exchanges: Exchange[] = [];
  const trace = traceFor(scenario.id);
  const base = { id: scenario.id, lang: scenario.lang, tags: scenario.tags, file: scenario.file, attempt };
  let checks: CheckResult[] = [];
  let error: string | undefined;
  let dollars = 0;
  const world = await openScenarioWorld(scenario, {
    catalogHome: shared.catalogHome,
    ...(shared.catalog ? { catalog: shared.catalog } : {}),
    ...(options.keepHomes ? { keepHome: true } : {}),
  });
  trace('world opened');
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // Every send and tool call of the run listens to it.
  setMaxListeners(1000, timeout);
  let agent: Agent | undefined;
  const services = createToolServices(world.runtime, mcpConfigFromEnvironment(world.environment));
  try {
    await createSetupMcis(scenario, world.runtime);
    trace('setup MCIs');
    const baselineResources = await snapshotResources(world.runtime);
    await injectSetupFaults(scenario, world.runtime);
    trace('baseline');
    agent = await openAgent({
      runtime: world.runtime,
      environment: world.environment,
      planner: options.planner,
      services,
    });
    shared.mutatingTools ??= mutatingToolsOf(agent);
    const mutatingTools = await shared.mutatingTools;
    trace('agent opened');
    const driving = driveTurns(agent, scenario, exchanges, timeout);
    // A planner that ignores the signal must not hang the suite.
    const expired = new Promise<never>((_, reject) =>
      timeout.addEventListener(
        'abort',
        () => reject(new Error(`timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`)),
        {
          once: true,
        },
      ),
    );
    await Promise.race([driving, expired]);
    trace('turns');
    const service = await world.runtime.mci();
    const operationIds = new Set<string>();
    for (const exchange of exchanges)
      for (const event of exchange.events)
        if (event.type === 'tool-result') operationIdsIn(event.output, operationIds);
    await settle(service, operationIds);
    await clearFaults(world.runtime);
    trace('settled');
    const state = await readEndState(world.runtime, shared.facts);
    trace('end state');
    checks = runChecks(scenario.expect, state, {
      baselineResources,
      exchanges,
      mutatingTools,
      specsInRegion: (regionId) => shared.facts.specsByRegion.get(regionId) ?? [],
      resolvePlace: (name) => shared.places.resolve(name),
    });
    dollars = await billedDollars(world.runtime);
    trace('billing');
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    await agent?.close().catch(() => undefined);
    await services.tasks.close().catch(() => undefined);
    await world.close();
    trace('closed');
  }
  const toolCalls = exchanges.reduce(
    (sum, exchange) => sum + exchange.events.filter((event) => event.type === 'tool-call').length,
    0,
  );
  return {
    ...base,
    pass: error === undefined && checks.every((check) => check.pass),
    checks,
    ...(error !== undefined ? { error } : {}),
    milliseconds: exchanges.reduce((sum, exchange) => sum + exchange.milliseconds, 0),
    toolCalls,
    dollars,
    exchanges: exchanges.map((exchange) => ({
      turn: exchange.turn,
      message: exchange.message,
      ...(exchange.message === 'text' ? { say: scenario.turns[exchange.turn]?.say ?? '' } : {}),
      milliseconds: Math.round(exchange.milliseconds),
      events: exchange.events.map(describeEvent),
    })),
  };
}

/** Runs every scenario k times, `concurrency` at a time; results in scenario order, attempts in order. */
export async function runScenarios(
  scenarios: readonly LoadedScenario[],
  options: RunOptions,
): Promise<ScenarioRunResult[]> {
  const places = new PlaceBook();
  places.validate(scenarios);
  const facts = new WorldFacts(loadWorld());
  validateAgainstWorld(scenarios, facts);
  const catalogHome = options.catalogHome ?? defaultCatalogHome();
  const shared = await openSharedCatalog(catalogHome);
  const k = Math.max(1, options.k ?? 1);
  const jobs = scenarios.flatMap((scenario) =>
    Array.from({ length: k }, (_, attempt) => ({ scenario, attempt: attempt + 1 })),
  );
  const results: ScenarioRunResult[] = new Array(jobs.length);
  const sharedState = { catalogHome, catalog: shared.catalog, facts, places };
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      const job = jobs[index];
      if (!job) return;
      const run = await runScenario(job.scenario, job.attempt, sharedState, options);
      results[index] = run;
      options.onResult?.(run);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY) }, worker),
    );
  } finally {
    await shared.close();
  }
  return results;
}
