/**
 * One scenario's world: a fresh S2A_HOME with a fast, seeded sim, the scenario's setup applied
 * (MCIs created through the engine, faults injected), and the readers that turn the sim and the
 * engine into an EndState for the checkers.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { PROVIDERS, type Spec, usdPerHour } from '../drivers/spec/index.ts';
import type { MciService } from '../mci/service.ts';
import { Runtime } from '../runtime/runtime.ts';
import type { Scenario } from './scenario.ts';
import type { EndApp, EndMci, EndState, RegionFacts, SpecFacts } from './state.ts';

/** Boots in ~40 ms instead of 40 s; no rate limits or API latency: the agent is scored, not the clouds. */
export const EVAL_SIM = { timeScale: 0.001, rateLimits: false as const, apiLatency: false, seed: 7 };
export const EVAL_SECRET = 'the eval runner passphrase, not a secret';
const SETTLE_TIMEOUT_MS = 20_000;
/** The engine polls VMs every 2 s by default, unscaled: at the eval's time scale that is most of a run. */
const ENGINE_POLL_MS = 50;

/** Facts of the sim's world, indexed once per process. */
export class WorldFacts {
  readonly specs = new Map<string, SpecFacts>();
  readonly specsByRegion = new Map<string, SpecFacts[]>();
  readonly regions = new Map<string, RegionFacts>();

  constructor(world: { regions: readonly RegionFacts[]; specs: readonly Spec[] }) {
    for (const region of world.regions)
      this.regions.set(region.id, {
        id: region.id,
        latitude: region.latitude,
        longitude: region.longitude,
        ...(region.countryCode ? { countryCode: region.countryCode } : {}),
      });
    for (const spec of world.specs) {
      const facts: SpecFacts = {
        id: spec.id,
        vcpu: spec.vcpu,
        memoryGiB: spec.memoryGiB,
        arch: spec.arch,
        gpu: spec.gpu ? { model: spec.gpu.model, count: spec.gpu.count } : null,
        pricePerHour: usdPerHour(spec),
      };
      this.specs.set(spec.id, facts);
      const regionId = `${spec.provider}+${spec.region}`;
      const list = this.specsByRegion.get(regionId) ?? [];
      list.push(facts);
      this.specsByRegion.set(regionId, list);
    }
  }
}

export interface ScenarioWorldOptions {
  /** The home whose catalog/ index every scenario shares (built once). */
  catalogHome: string;
  /** The catalog opened over it, shared in this process (saves ~3 s per scenario). */
  catalog?: Catalog;
  /** Keep the scenario's home (to look at it afterwards). */
  keepHome?: boolean;
}

export interface ScenarioWorld {
  home: string;
  runtime: Runtime;
  environment: Record<string, string | undefined>;
  close(): Promise<void>;
}

/** Variables the agent must not take from the person's shell: they would point it at another world. */
const SCRUBBED = /^S2A_(HOME|MCP_URL|MCP_TOKEN|SIM_|READ_ONLY|MAX_|CONNECTIONS|PLANNER)/;

export async function openScenarioWorld(
  scenario: Scenario,
  options: ScenarioWorldOptions,
): Promise<ScenarioWorld> {
  const home = await mkdtemp(join(tmpdir(), `s2a-eval-${scenario.id.slice(0, 40)}-`));
  // The index takes seconds to minutes to build: every scenario reads the one built under catalogHome.
  await symlink(join(options.catalogHome, 'catalog'), join(home, 'catalog'), 'dir');
  const environment: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !SCRUBBED.test(key)),
  );
  environment.S2A_SECRET = EVAL_SECRET;
  if (scenario.setup.budget_per_hour !== undefined)
    environment.S2A_MAX_COST_PER_HOUR = String(scenario.setup.budget_per_hour);
  // One catalog serves every scenario of the process; the engine polls fast at the eval's time scale.
  const runtime = await Runtime.open({
    home,
    environment,
    sim: { ...EVAL_SIM, account: 'eval' },
    ...(options.catalog ? { sharedCatalog: options.catalog } : {}),
    engine: { pollIntervalMs: ENGINE_POLL_MS },
  });
  return {
    home,
    runtime,
    environment,
    async close() {
      await runtime.close().catch(() => undefined);
      if (!options.keepHome) await rm(home, { recursive: true, force: true });
    },
  };
}

/** Creates the setup's MCIs through the engine, waiting until they run. */
export async function createSetupMcis(scenario: Scenario, runtime: Runtime): Promise<void> {
  const service = await runtime.mci();
  for (const mci of scenario.setup.mcis ?? []) {
    const { operationId } = await service.engine.createMci({
      name: mci.name,
      nodeGroups: mci.node_groups.map((group, index) => ({
        name: mci.node_groups.length === 1 ? 'node' : `group${index + 1}`,
        specId: group.spec,
        size: group.size,
        ...(group.image ? { imageId: group.image } : {}),
      })),
    });
    const operation = await service.engine.wait(operationId, { timeoutMs: SETTLE_TIMEOUT_MS });
    if (operation.status !== 'succeeded')
      throw new Error(`setup: creating MCI ${mci.name} ended ${operation.status}`);
  }
}

/** Injects the setup's faults: after the MCIs, since they are there to break the agent's work. */
export async function injectSetupFaults(scenario: Scenario, runtime: Runtime): Promise<void> {
  for (const fault of scenario.setup.faults ?? []) {
    const driver = await runtime.simDriver(fault.provider);
    const region = fault.region?.includes('+') ? fault.region.split('+')[1] : fault.region;
    await driver.injectFault({
      kind: fault.kind,
      ...(region ? { region } : {}),
      ...(fault.operation ? { operation: fault.operation } : {}),
    });
  }
}

/** Removes every injected fault, so that reading the end state does not trip over them. */
export async function clearFaults(runtime: Runtime): Promise<void> {
  for (const provider of PROVIDERS) await (await runtime.simDriver(provider)).clearFaults();
}

/** Every resource the sim holds, with what a mutation would change, plus the engine's MCIs and apps (faults cleared). */
export async function snapshotResources(runtime: Runtime): Promise<string[]> {
  const lines: string[] = [];
  for (const provider of PROVIDERS) {
    const driver = await runtime.simDriver(provider);
    for (const vm of await driver.listVms({}))
      lines.push(`vm ${vm.id} ${vm.specId} ${vm.status}@${vm.statusSince}`);
    for (const group of await driver.listSecurityGroups({}))
      lines.push(`security-group ${group.id} ${JSON.stringify(group.rules)}`);
    for (const key of await driver.listKeyPairs({})) lines.push(`key-pair ${key.id}`);
    for (const subnet of await driver.listSubnets({})) lines.push(`subnet ${subnet.id}`);
    for (const vNet of await driver.listVNets({})) lines.push(`vnet ${vNet.id}`);
  }
  const service = await runtime.mci();
  for (const mci of await service.engine.listMcis()) {
    lines.push(`mci ${mci.name}`);
    for (const app of await service.listApps(mci.name))
      lines.push(`app ${mci.name}/${app.app} ${app.installedAt}`);
  }
  return lines.sort();
}

/** Operation ids anywhere in tool outputs, to wait for what the agent started. */
export function operationIdsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) operationIdsIn(item, found);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      if (key === 'operationId' && typeof item === 'string') found.add(item);
      else operationIdsIn(item, found);
    }
  return found;
}

const TRANSITIONAL = new Set(['Pending', 'Creating', 'Suspending', 'Resuming', 'Rebooting', 'Terminating']);

/** Waits for the operations the agent started and for the MCIs to leave transitional states. */
export async function settle(service: MciService, operationIds: Iterable<string>): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (const id of operationIds) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await service.engine.wait(id, { timeoutMs: left }).catch(() => undefined);
  }
  for (;;) {
    const mcis = await service.engine.listMcis();
    let busy = false;
    for (const mci of mcis) {
      if (mci.state === 'creating' || mci.state === 'deleting') busy = true;
      const view = await service.engine.refreshStatus(mci.name, { force: true }).catch(() => undefined);
      if (view?.nodes.some((node) => TRANSITIONAL.has(node.status))) busy = true;
    }
    if (!busy || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The end state the checkers judge. */
export async function readEndState(runtime: Runtime, facts: WorldFacts): Promise<EndState> {
  const service = await runtime.mci();
  const mcis: EndMci[] = [];
  const apps: EndApp[] = [];
  for (const record of await service.engine.listMcis()) {
    const view = await service.engine.getMci(record.name).catch(() => undefined);
    if (!view) continue;
    const nodes = view.nodes.map((node) => ({
      mciName: view.name,
      name: node.name,
      provider: node.provider,
      regionId: node.regionId,
      status: node.status,
      specId: node.specId,
      spec: facts.specs.get(node.specId),
      region: facts.regions.get(node.regionId),
    }));
    mcis.push({ name: view.name, state: view.state, nodes });
    for (const install of await service.listApps(view.name)) {
      const failed = new Set(install.failures.map((failure) => failure.nodeId));
      apps.push({
        mciName: view.name,
        app: install.app,
        nodes: install.nodes.map((entry) => ({
          nodeId: entry.nodeId,
          healthy:
            entry.status === 'installed' &&
            !failed.has(entry.nodeId) &&
            nodes.some((node) => node.name === entry.nodeId && node.status === 'Running'),
        })),
      });
    }
  }
  const sweep = await service.engine.sweepOrphans({ dryRun: true });
  return {
    mcis,
    apps,
    orphans: sweep.orphans.map((orphan) => `${orphan.provider} ${orphan.kind} ${orphan.id}`),
    resources: await snapshotResources(runtime),
  };
}

/** USD the sim's billing meter accrued over all providers. */
export async function billedDollars(runtime: Runtime): Promise<number> {
  let total = 0;
  for (const provider of PROVIDERS) {
    const report = await (await runtime.simDriver(provider)).billing();
    total += report.totals.USD ?? 0;
  }
  return total;
}
