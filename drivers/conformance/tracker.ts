import { type CloudDriver, NotFoundError, type Tags } from '../spec/index.ts';
import { waitForVmStatus } from '../spec/wait.ts';
import { eventually, withRetry } from './retry.ts';

/** Kinds in the order they are removed: dependents first. */
export const RESOURCE_KINDS = ['vm', 'keyPair', 'securityGroup', 'subnet', 'vNet'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Ids of everything the suite created, so `afterAll` can remove it even after failed tests. */
export class ResourceTracker {
  private readonly ids = new Map<ResourceKind, Set<string>>(RESOURCE_KINDS.map((kind) => [kind, new Set()]));

  add(kind: ResourceKind, id: string): void {
    this.ids.get(kind)?.add(id);
  }

  /** Forgets a resource a test removed itself. */
  forget(kind: ResourceKind, id: string): void {
    this.ids.get(kind)?.delete(id);
  }

  list(kind: ResourceKind): string[] {
    return [...(this.ids.get(kind) ?? [])];
  }
}

export interface CleanupOptions {
  region: string;
  /** Tags every resource of this run carries; finds what a failed create left without telling. */
  runTags: Tags;
  /** Time one VM termination, or one deleted resource leaving the lists, may take. */
  timeoutMs: number;
  pollIntervalMs: number;
}

/** Resources of this run still listed: VMs not yet Terminated, and everything else. */
async function listLeftovers(
  driver: CloudDriver,
  options: CleanupOptions,
): Promise<Record<ResourceKind, string[]>> {
  const filter = { region: options.region, tags: options.runTags };
  const ids = async (list: () => Promise<{ id: string }[]>) =>
    (await withRetry(list)).map((resource) => resource.id);
  return {
    vm: await ids(() => driver.listVms(filter)),
    keyPair: await ids(() => driver.listKeyPairs(filter)),
    securityGroup: await ids(() => driver.listSecurityGroups(filter)),
    subnet: await ids(() => driver.listSubnets(filter)),
    vNet: await ids(() => driver.listVNets(filter)),
  };
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof NotFoundError)) throw error;
}

/**
 * Removes tracked resources and any other resource carrying the run's tags: terminates VMs and
 * waits for them, then deletes key pairs, security groups, subnets and vNets, retrying retryable
 * errors (a group still attached to a terminating VM). Returns one message per problem, and one
 * per resource still listed afterwards; an empty list means nothing leaked.
 */
export async function removeEverything(
  driver: CloudDriver,
  tracker: ResourceTracker,
  options: CleanupOptions,
): Promise<string[]> {
  const problems: string[] = [];
  const record = (what: string) => (error: unknown) => {
    problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
  const targets = new Map<ResourceKind, Set<string>>(
    RESOURCE_KINDS.map((kind) => [kind, new Set(tracker.list(kind))]),
  );
  try {
    const found = await listLeftovers(driver, options);
    for (const kind of RESOURCE_KINDS) for (const id of found[kind]) targets.get(kind)?.add(id);
  } catch (error) {
    record('listing resources by the run tags')(error);
  }

  const retry = { attempts: 10, maxDelayMs: Math.max(options.pollIntervalMs, 5_000) };
  const vmIds = [...(targets.get('vm') ?? [])];
  await Promise.all(
    vmIds.map(async (id) => {
      try {
        await withRetry(() => driver.terminateVm(id), retry).catch(ignoreNotFound);
        await waitForVmStatus(driver, id, ['Terminated'], options).catch(ignoreNotFound);
      } catch (error) {
        record(`terminating VM ${id}`)(error);
      }
    }),
  );
  const deleters: Record<Exclude<ResourceKind, 'vm'>, (id: string) => Promise<void>> = {
    keyPair: (id) => driver.deleteKeyPair(id),
    securityGroup: (id) => driver.deleteSecurityGroup(id),
    subnet: (id) => driver.deleteSubnet(id),
    vNet: (id) => driver.deleteVNet(id),
  };
  for (const kind of ['keyPair', 'securityGroup', 'subnet', 'vNet'] as const) {
    await Promise.all(
      [...(targets.get(kind) ?? [])].map((id) =>
        withRetry(() => deleters[kind](id), retry)
          .catch(ignoreNotFound)
          .catch(record(`deleting ${kind} ${id}`)),
      ),
    );
  }

  try {
    await eventually(async () => {
      const left = await listLeftovers(driver, options);
      const names = RESOURCE_KINDS.flatMap((kind) => left[kind].map((id) => `${kind} ${id}`));
      if (names.length > 0) throw new Error(`still listed after cleanup: ${names.join(', ')}`);
    }, options);
  } catch (error) {
    record('leak check')(error);
  }
  return problems;
}
