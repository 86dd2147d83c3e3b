// The MCI engine: durable create / control / scale / delete of multi-cloud infrastructure.
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CapacityError,
  type CloudDriver,
  isDriverError,
  isRetryable,
  PROVIDERS,
  type ProviderId,
  parseRegionId,
  QuotaError,
  type Region,
  type SecurityRule,
  type Tags,
  type Vm,
  type VmStatus,
  VmWaitError,
  waitForVmStatus,
} from '../drivers/spec/index.ts';
import { generateKeyPairFor } from '../drivers/spec/ssh-keys.ts';
import type { Repository, Store } from '../store/types.ts';
import { MciError } from './errors.ts';
import { errorRecord, Journal, newOperationId } from './journal.ts';
import type { KeyVault } from './keys.ts';
import { LeaseManager } from './lease.ts';
import {
  type ConcurrencyLimit,
  ConcurrencyLimiter,
  DEFAULT_RETRY,
  RegionVmSnapshot,
  type RetryPolicy,
  type RetryStatistics,
  withRetry,
} from './limits.ts';
import {
  aggregateStatus,
  type CreateMciRequest,
  FINAL_OPERATION_STATUSES,
  MCI_OWNED_KINDS,
  type Mci,
  type MciNode,
  type NodeGroupRequest,
  NodeGroupRequestSchema,
  type Operation,
  type OperationEvent,
  type OperationKind,
  type OperationStatus,
  type RegionResources,
  type Step,
} from './model.ts';
import { type PeerRuleChange, syncPeerRules } from './peer-rules.ts';
import { HOST_KEY_KIND, HOST_KEY_NAMESPACE } from './remote/host-keys.ts';
import type { SpecResolver } from './resolver.ts';
import {
  type DriverSource,
  defaultImage,
  MCI_NAMESPACE,
  type MciReview,
  offeredZones,
  reviewMci,
  zonalSubnets,
} from './review.ts';

export const CONTROL_ACTIONS = ['suspend', 'resume', 'reboot', 'terminate'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];
const CONTROL_TRANSITION: Record<ControlAction, VmStatus> = {
  suspend: 'Suspending',
  resume: 'Resuming',
  reboot: 'Rebooting',
  terminate: 'Terminating',
};
const CONTROL_TARGET: Record<ControlAction, VmStatus> = {
  suspend: 'Suspended',
  resume: 'Running',
  reboot: 'Running',
  terminate: 'Terminated',
};

export interface ScaleChange {
  /** Add nodes to an existing group. */
  addNodes?: { group: string; count: number };
  /** Add a new group. */
  addGroup?: NodeGroupRequest;
  /** Remove these nodes (by name, "<group>-<index>"). */
  removeNodes?: string[];
}

export interface MciEngineOptions {
  store: Store;
  drivers: DriverSource;
  keyVault: KeyVault;
  /** Failover to other regions/providers; requirements-based groups. */
  resolver?: SpecResolver;
  /** Value of the s2a:owner tag. */
  owner?: string;
  /** Identity of this process for leases. */
  holderId?: string;
  leaseTtlMs?: number;
  concurrency?: Partial<Record<ProviderId, Partial<ConcurrencyLimit>>>;
  retry?: Partial<RetryPolicy>;
  /** Between two getVm polls while waiting for a status. */
  pollIntervalMs?: number;
  vmReadyTimeoutMs?: number;
  /** Placements (first + failovers) tried per node before giving up on it. */
  maxPlacementsPerNode?: number;
  /**
   * What recoverOperations does with a create or scale whose process died: finish it (default) or
   * roll it back. Deletes and control actions are always finished.
   */
  onRecovery?: 'resume' | 'rollback';
  clock?: () => number;
}

export interface OperationView extends Operation {
  steps: Step[];
  events: OperationEvent[];
  nodes: Pick<MciNode, 'name' | 'status' | 'regionId' | 'zone' | 'vmId' | 'generation'>[];
}

export interface MciView extends Mci {
  nodes: MciNode[];
}

export interface SweepResult {
  dryRun: boolean;
  orphans: { provider: ProviderId; kind: string; id: string; tags: Tags }[];
  deleted: string[];
  /** Providers that could not be listed (no credentials, down), with why. */
  skipped: { provider: ProviderId; reason: string }[];
}

interface RunContext {
  operation: Operation;
  signal: AbortSignal;
  request?: CreateMciRequest;
  regions: Map<string, Promise<RegionResources>>;
  subnets: Map<string, Promise<string>>;
  /** `${specId}@${zone}` and `${specId}@*` placements that answered CapacityError. */
  exhausted: Set<string>;
  /** One listVms per region and poll interval for all nodes waiting to boot there. */
  snapshots: Map<string, RegionVmSnapshot>;
}

const RESOURCE_ORDER = ['vm', 'security-group', 'key-pair', 'subnet', 'vnet'] as const;

function vmName(mciName: string, node: MciNode): string {
  if (node.generation === 0) return `${mciName}-${node.name}`;
  return `${mciName.slice(0, 36)}-${node.name}-g${node.generation}`;
}

function nodeId(mciName: string, nodeName: string): string {
  return `${mciName}/${nodeName}`;
}

/** Deletes the host keys recorded for these addresses (any port). */
async function forgetHostKeys(tx: Repository, addresses: readonly string[]): Promise<void> {
  for (const address of new Set(addresses))
    for (const record of await tx.list({
      namespace: HOST_KEY_NAMESPACE,
      kind: HOST_KEY_KIND,
      idPrefix: `${address}:`,
    }))
      await tx.delete(HOST_KEY_NAMESPACE, HOST_KEY_KIND, record.id);
}

function isCapacityLike(error: unknown): boolean {
  return error instanceof CapacityError || error instanceof QuotaError;
}

/**
 * Wraps each driver so that reads (get*, list*) are retried on throttling and other retryable
 * errors; creates are retried inside journaled steps, deletes by the delete loops.
 */
function retryingReads(source: DriverSource, policy: RetryPolicy, statistics: RetryStatistics): DriverSource {
  const wrapped = new Map<ProviderId, Promise<CloudDriver>>();
  return (provider) => {
    let driver = wrapped.get(provider);
    if (!driver) {
      driver = source(provider).then(
        (inner) =>
          new Proxy(inner, {
            get(target, property, receiver) {
              const value = Reflect.get(target, property, receiver);
              if (typeof value !== 'function') return value;
              const name = String(property);
              if (!/^(get|list)/.test(name)) return value.bind(target);
              return (...parameters: unknown[]) =>
                withRetry(() => value.apply(target, parameters) as Promise<unknown>, policy, { statistics });
            },
          }),
      );
      wrapped.set(provider, driver);
    }
    return driver;
  };
}

export class MciEngine {
  readonly holderId: string;
  readonly journal: Journal;
  readonly leases: LeaseManager;
  /** Retries of provider calls (throttling and other retryable errors) since the engine started. */
  readonly statistics: RetryStatistics = { retries: 0, throttled: 0 };
  private readonly store: Store;
  private readonly drivers: DriverSource;
  private readonly keyVault: KeyVault;
  private readonly resolver: SpecResolver | undefined;
  private readonly owner: string;
  private readonly limiter: ConcurrencyLimiter;
  private readonly retry: RetryPolicy;
  private readonly pollIntervalMs: number;
  private readonly vmReadyTimeoutMs: number;
  private readonly maxPlacements: number;
  private readonly onRecovery: 'resume' | 'rollback';
  private readonly clock: () => number;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly regionCache = new Map<ProviderId, Promise<Region[]>>();

  constructor(options: MciEngineOptions) {
    this.store = options.store;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.drivers = retryingReads(options.drivers, this.retry, this.statistics);
    this.keyVault = options.keyVault;
    this.resolver = options.resolver;
    this.owner = options.owner ?? 's2a';
    this.clock = options.clock ?? Date.now;
    this.holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.journal = new Journal(this.store, this.clock);
    this.leases = new LeaseManager(this.store, this.holderId, options.leaseTtlMs ?? 30_000, this.clock);
    this.limiter = new ConcurrencyLimiter(options.concurrency);
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.vmReadyTimeoutMs = options.vmReadyTimeoutMs ?? 15 * 60_000;
    this.maxPlacements = options.maxPlacementsPerNode ?? 8;
    this.onRecovery = options.onRecovery ?? 'resume';
  }

  // ------------------------------------------------------------------------------------------
  // Public API
  // ------------------------------------------------------------------------------------------

  /** Validates, prices and plans; creates nothing. */
  reviewMci(request: unknown): Promise<MciReview> {
    return reviewMci(request, { drivers: this.drivers, store: this.store, resolver: this.resolver });
  }

  /**
   * Starts creating an MCI and returns its operation id at once. Refuses a bad request before
   * anything is created. The same request again (same name) returns the first operation's id.
   */
  async createMci(request: unknown, options: { start?: boolean } = {}): Promise<{ operationId: string }> {
    const review = await reviewMci(request, { drivers: this.drivers, resolver: this.resolver });
    const name = (request as { name?: unknown })?.name;
    if (typeof name === 'string') {
      const existing = await this.store.get<Mci>(MCI_NAMESPACE, 'mci', name);
      if (existing) {
        if (review.request && JSON.stringify(existing.data.request) === JSON.stringify(review.request))
          return { operationId: existing.data.operationId };
        throw new MciError(
          'MCI_EXISTS',
          `an MCI named "${name}" already exists (operation ${existing.data.operationId}); choose another name or delete it first`,
        );
      }
    }
    if (!review.ok || !review.request) {
      throw new MciError('MCI_INVALID_REQUEST', `the request was refused: ${review.issues.join('; ')}`, {
        issues: review.issues,
      });
    }
    const input = review.request;
    const operationId = newOperationId();
    const now = this.journal.now();
    const nodes: MciNode[] = [];
    for (const group of review.groups) {
      const spec = group.spec;
      const image = group.image;
      const region = group.region;
      if (!spec || !image || !region) continue;
      const driver = await this.drivers(spec.provider);
      const zone = zonalSubnets(driver)
        ? (group.zones[0] ?? null)
        : (input.nodeGroups.find((g) => g.name === group.name)?.zone ?? null);
      for (let index = 1; index <= group.size; index++) {
        nodes.push({
          mciName: input.name,
          name: `${group.name}-${index}`,
          group: group.name,
          provider: spec.provider,
          regionId: region.id,
          zone,
          specId: spec.id,
          imageId: image.id,
          vmId: null,
          status: 'Pending',
          publicIp: null,
          privateIp: null,
          username: null,
          generation: 0,
        });
      }
    }
    const operation = this.newOperation(operationId, 'create', input.name, input, input.onFailure, now);
    operation.progress = {
      stepsDone: 0,
      stepsTotal: review.stepsTotal,
      nodesReady: 0,
      nodesTotal: nodes.length,
    };
    try {
      await this.store.transaction(async (tx) => {
        await tx.insert<Mci>(MCI_NAMESPACE, 'mci', input.name, {
          name: input.name,
          ...(input.description ? { description: input.description } : {}),
          ...(input.labels ? { labels: input.labels } : {}),
          request: input,
          owner: this.owner,
          createdAt: now,
          operationId,
          state: 'creating',
          regions: {},
          status: aggregateStatus(nodes),
        });
        await tx.insert(MCI_NAMESPACE, 'operation', operationId, operation);
        for (const node of nodes) await tx.insert(MCI_NAMESPACE, 'node', nodeId(input.name, node.name), node);
      });
    } catch (error) {
      if (isRetryable(error)) {
        // Another process created the same name in between: answer as for an existing name.
        return this.createMci(request, options);
      }
      throw error;
    }
    await this.journal.event(
      operationId,
      'info',
      `create ${input.name}: ${nodes.length} node(s), $${review.pricePerHour.toFixed(4)}/h`,
    );
    if (options.start !== false) await this.launch(operationId);
    return { operationId };
  }

  /** Waits until the operation reaches a final status (in this or another process). */
  async wait(
    operationId: string,
    options: { timeoutMs?: number; pollIntervalMs?: number } = {},
  ): Promise<Operation> {
    const deadline = this.clock() + (options.timeoutMs ?? 30 * 60_000);
    for (;;) {
      const local = this.running.get(operationId);
      if (local) await local.done;
      const operation = await this.journal.getOperation(operationId);
      if (!operation) throw new MciError('OPERATION_NOT_FOUND', `operation ${operationId} does not exist`);
      if (FINAL_OPERATION_STATUSES.includes(operation.status)) return operation;
      if (this.clock() > deadline)
        throw new MciError('OPERATION_BUSY', `operation ${operationId} is still ${operation.status}`, {
          retryable: true,
        });
      await sleep(options.pollIntervalMs ?? 50);
    }
  }

  async getOperation(operationId: string): Promise<OperationView> {
    const operation = await this.journal.getOperation(operationId);
    if (!operation) {
      throw new MciError(
        'OPERATION_NOT_FOUND',
        `operation ${operationId} does not exist; list operations of the MCI`,
      );
    }
    const [steps, events, nodes] = await Promise.all([
      this.journal.listSteps(operationId),
      this.journal.listEvents(operationId),
      this.listNodes(operation.mciName),
    ]);
    const stepsDone = steps.filter((step) => step.status === 'succeeded').length;
    return {
      ...operation,
      progress: {
        ...operation.progress,
        stepsDone,
        stepsTotal: Math.max(operation.progress.stepsTotal, steps.length),
        nodesReady: nodes.filter((node) => node.status === 'Running').length,
      },
      steps,
      events,
      nodes: nodes.map(({ name, status, regionId, zone, vmId, generation }) => ({
        name,
        status,
        regionId,
        zone,
        vmId,
        generation,
      })),
    };
  }

  /** Stops the operation and cleans up what it made. */
  async cancelOperation(operationId: string): Promise<Operation> {
    const operation = await this.journal.updateOperation(operationId, (current) =>
      FINAL_OPERATION_STATUSES.includes(current.status) ? current : { ...current, cancelRequested: true },
    );
    if (FINAL_OPERATION_STATUSES.includes(operation.status)) return operation;
    const local = this.running.get(operationId);
    if (local) {
      local.controller.abort(new MciError('OPERATION_CANCELLED', `operation ${operationId} was cancelled`));
    } else {
      // Not running here: run it (it sees the request and rolls back) if nobody else holds it.
      await this.launch(operationId);
    }
    return this.wait(operationId);
  }

  async getMci(name: string): Promise<MciView> {
    const record = await this.store.get<Mci>(MCI_NAMESPACE, 'mci', name);
    if (!record) throw new MciError('MCI_NOT_FOUND', `no MCI named "${name}"; list MCIs to see the names`);
    const nodes = await this.listNodes(name);
    return { ...record.data, status: aggregateStatus(nodes), nodes };
  }

  async listMcis(): Promise<Mci[]> {
    return (await this.store.list<Mci>({ namespace: MCI_NAMESPACE, kind: 'mci' })).map(
      (record) => record.data,
    );
  }

  /**
   * Resumes (or rolls back, per policy) operations that are not finished and whose lease is free
   * or expired: the work of a process that died. Returns the ids it took.
   */
  async recoverOperations(): Promise<string[]> {
    const open = [
      ...(await this.journal.listOperations({ status: 'running' })),
      ...(await this.journal.listOperations({ status: 'pending' })),
    ];
    const taken: string[] = [];
    for (const operation of open) {
      if (this.running.has(operation.id)) continue;
      if (await this.launch(operation.id)) taken.push(operation.id);
    }
    return taken;
  }

  /** Suspend, resume, reboot or terminate every node of the MCI, or one. */
  async controlMci(
    name: string,
    action: ControlAction,
    options: { node?: string } = {},
  ): Promise<{ operationId: string }> {
    const mci = await this.getMci(name);
    await this.refuseWhileBusy(name, action);
    if (options.node && !mci.nodes.some((node) => node.name === options.node))
      throw new MciError(
        'MCI_NOT_FOUND',
        `MCI "${name}" has no node "${options.node}"; nodes: ${mci.nodes.map((node) => node.name).join(', ')}`,
      );
    return this.startOperation('control', name, { action, node: options.node ?? null });
  }

  /** Deletes every resource of the MCI (nodes first, then security groups, keys, subnets, vNets). */
  async deleteMci(name: string): Promise<{ operationId: string }> {
    await this.getMci(name);
    await this.refuseWhileBusy(name, 'delete');
    await this.store.transaction(async (tx) => {
      const record = await tx.get<Mci>(MCI_NAMESPACE, 'mci', name);
      if (record) await tx.update(MCI_NAMESPACE, 'mci', name, { ...record.data, state: 'deleting' });
    });
    return this.startOperation('delete', name, {});
  }

  /** Adds nodes to a group, adds a group, or removes nodes. */
  async scaleMci(name: string, change: ScaleChange): Promise<{ operationId: string }> {
    const mci = await this.getMci(name);
    await this.refuseWhileBusy(name, 'scale');
    const request = mci.request as CreateMciRequest;
    const newNodes: MciNode[] = [];
    if (change.addNodes) {
      const { group, count } = change.addNodes;
      const template = mci.nodes.find((node) => node.group === group);
      if (!template) throw new MciError('MCI_INVALID_REQUEST', `MCI "${name}" has no group "${group}"`);
      if (!Number.isInteger(count) || count < 1 || count > 1000)
        throw new MciError('MCI_INVALID_REQUEST', 'addNodes.count must be a whole number from 1 to 1000');
      const highest = Math.max(
        0,
        ...mci.nodes
          .filter((node) => node.group === group)
          .map((node) => Number(node.name.slice(group.length + 1))),
      );
      for (let index = 1; index <= count; index++)
        newNodes.push({
          ...template,
          name: `${group}-${highest + index}`,
          vmId: null,
          status: 'Pending',
          publicIp: null,
          privateIp: null,
          username: null,
          generation: 0,
        });
    }
    if (change.addGroup) {
      const parsed = NodeGroupRequestSchema.safeParse(change.addGroup);
      if (!parsed.success)
        throw new MciError(
          'MCI_INVALID_REQUEST',
          `addGroup: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
        );
      if (mci.nodes.some((node) => node.group === parsed.data.name))
        throw new MciError(
          'MCI_INVALID_REQUEST',
          `group "${parsed.data.name}" exists; use addNodes to grow it`,
        );
      const review = await reviewMci(
        { ...request, nodeGroups: [parsed.data] },
        { drivers: this.drivers, resolver: this.resolver },
      );
      const group = review.groups[0];
      if (!review.ok || !group?.spec || !group.image || !group.region)
        throw new MciError('MCI_INVALID_REQUEST', `addGroup refused: ${review.issues.join('; ')}`, {
          issues: review.issues,
        });
      const driver = await this.drivers(group.spec.provider);
      for (let index = 1; index <= parsed.data.size; index++) {
        newNodes.push({
          mciName: name,
          name: `${parsed.data.name}-${index}`,
          group: parsed.data.name,
          provider: group.spec.provider,
          regionId: group.region.id,
          zone: zonalSubnets(driver) ? (group.zones[0] ?? null) : (parsed.data.zone ?? null),
          specId: group.spec.id,
          imageId: group.image.id,
          vmId: null,
          status: 'Pending',
          publicIp: null,
          privateIp: null,
          username: null,
          generation: 0,
        });
      }
    }
    for (const nodeName of change.removeNodes ?? [])
      if (!mci.nodes.some((node) => node.name === nodeName))
        throw new MciError('MCI_INVALID_REQUEST', `MCI "${name}" has no node "${nodeName}"`);
    await this.store.transaction(async (tx) => {
      for (const node of newNodes) await tx.insert(MCI_NAMESPACE, 'node', nodeId(name, node.name), node);
    });
    return this.startOperation('scale', name, {
      addedNodes: newNodes.map((node) => node.name),
      removeNodes: change.removeNodes ?? [],
    });
  }

  /** One mutating operation at a time per MCI. */
  private async refuseWhileBusy(name: string, what: string): Promise<void> {
    const open = (await this.journal.listOperations({ mciName: name })).find(
      (operation) => !FINAL_OPERATION_STATUSES.includes(operation.status),
    );
    if (open)
      throw new MciError(
        'OPERATION_BUSY',
        `cannot ${what} "${name}" while operation ${open.id} (${open.kind}) is ${open.status}; wait for it or cancel it`,
        { retryable: true },
      );
  }

  /**
   * Polls refreshStatus for every active MCI every `intervalMs` (each node at its own sparing
   * pace) until stopped.
   */
  startStatusRefresher(options: { intervalMs?: number; baseIntervalMs?: number } = {}): { stop(): void } {
    let stopped = false;
    let busy = false;
    const timer = setInterval(() => {
      if (stopped || busy) return;
      busy = true;
      void (async () => {
        try {
          for (const mci of await this.listMcis())
            if (mci.state === 'active')
              await this.refreshStatus(mci.name, { baseIntervalMs: options.baseIntervalMs ?? 10_000 });
        } catch {
          // The next round tries again.
        } finally {
          busy = false;
        }
      })();
    }, options.intervalMs ?? 5000);
    timer.unref();
    return {
      stop() {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  /**
   * Reads node statuses from the providers, sparingly: final states are skipped, and a node whose
   * status did not change is checked less often (interval doubles up to 32×).
   */
  async refreshStatus(
    name: string,
    options: { force?: boolean; baseIntervalMs?: number } = {},
  ): Promise<MciView> {
    const nodes = await this.listNodes(name);
    const base = options.baseIntervalMs ?? 10_000;
    const now = this.clock();
    await Promise.all(
      nodes.map(async (node) => {
        if (!node.vmId || node.status === 'Terminated') return;
        const interval = base * 2 ** Math.min(5, node.stableChecks ?? 0);
        if (!options.force && node.lastCheckedAt !== undefined && now - node.lastCheckedAt < interval) return;
        const driver = await this.drivers(node.provider);
        let status: string;
        try {
          status = (await driver.getVm(node.vmId)).status;
        } catch (error) {
          if (isDriverError(error) && error.code === 'NOT_FOUND') status = 'Terminated';
          else return;
        }
        await this.patchNode(name, node.name, (current) => ({
          ...current,
          status,
          lastCheckedAt: now,
          stableChecks: status === current.status ? (current.stableChecks ?? 0) + 1 : 0,
        }));
      }),
    );
    const view = await this.getMci(name);
    await this.store.transaction(async (tx) => {
      const record = await tx.get<Mci>(MCI_NAMESPACE, 'mci', name);
      if (record) await tx.update(MCI_NAMESPACE, 'mci', name, { ...record.data, status: view.status });
    });
    return view;
  }

  /**
   * Mirrors the private rules of each region's security group (source: the vNet CIDR) for the public
   * IPs (/32) of the MCI's nodes in its other regions, and drops mirrors of nodes gone or without an
   * address. Scale and control operations call it before they finish; installs after opening ports.
   */
  async syncPeerRules(name: string): Promise<PeerRuleChange[]> {
    return syncPeerRules(await this.getMci(name), this.drivers);
  }

  /**
   * Resources tagged s2a:* in the providers that the store does not know (no MCI or unfinished
   * operation claims them). Deletes them when dryRun is false.
   */
  async sweepOrphans(
    options: { dryRun?: boolean; providers?: readonly ProviderId[]; owner?: string } = {},
  ): Promise<SweepResult> {
    const dryRun = options.dryRun ?? true;
    const providers = options.providers ?? PROVIDERS;
    // Providers first, the store second: a resource made after the listing is not in it, and one
    // made before is by then claimed by an MCI record or tagged with a still-open operation.
    const listed: SweepResult['orphans'] = [];
    const skipped: SweepResult['skipped'] = [];
    for (const provider of providers) {
      try {
        const driver = await this.drivers(provider);
        const lists: [string, { id: string; tags: Tags }[]][] = [
          ['vm', await driver.listVms({})],
          ['security-group', await driver.listSecurityGroups({})],
          ['key-pair', await driver.listKeyPairs({})],
          ['subnet', await driver.listSubnets({})],
          ['vnet', await driver.listVNets({})],
        ];
        for (const [kind, items] of lists)
          for (const item of items)
            if (Object.keys(item.tags).some((key) => key.startsWith('s2a:')))
              listed.push({ provider, kind, id: item.id, tags: item.tags });
      } catch (error) {
        // A provider without credentials (AuthError) or down: report it, sweep the others.
        skipped.push({ provider, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    const known = await this.knownResourceIds();
    const openOperations = new Set(
      [
        ...(await this.journal.listOperations({ status: 'running' })),
        ...(await this.journal.listOperations({ status: 'pending' })),
      ].map((operation) => operation.id),
    );
    const orphans = listed.filter(
      (item) =>
        (options.owner === undefined || item.tags['s2a:owner'] === options.owner) &&
        !known.has(item.id) &&
        !(item.tags['s2a:op'] && openOperations.has(item.tags['s2a:op'])),
    );
    const deleted: string[] = [];
    if (!dryRun) {
      for (const kind of RESOURCE_ORDER) {
        await Promise.all(
          orphans
            .filter((orphan) => orphan.kind === kind)
            .map(async (orphan) => {
              const driver = await this.drivers(orphan.provider);
              await this.deleteResource(driver, kind, orphan.id);
              deleted.push(orphan.id);
            }),
        );
      }
    }
    return { dryRun, orphans, deleted, skipped };
  }

  /** Waits for the operations this process runs; leases are released as they finish. */
  async close(): Promise<void> {
    for (const entry of this.running.values())
      entry.controller.abort(new MciError('LEASE_LOST', 'engine closed'));
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
  }

  // ------------------------------------------------------------------------------------------
  // Running operations
  // ------------------------------------------------------------------------------------------

  private newOperation(
    id: string,
    kind: OperationKind,
    mciName: string,
    input: unknown,
    onFailure: Operation['onFailure'],
    now: string,
  ): Operation {
    return {
      id,
      kind,
      mciName,
      status: 'pending',
      input,
      onFailure,
      createdAt: now,
      updatedAt: now,
      cancelRequested: false,
      runs: 0,
      holders: [],
      errors: [],
      progress: { stepsDone: 0, stepsTotal: 0, nodesReady: 0, nodesTotal: 0 },
    };
  }

  private async startOperation(
    kind: OperationKind,
    mciName: string,
    input: unknown,
  ): Promise<{ operationId: string }> {
    const operationId = newOperationId();
    const mci = await this.store.get<Mci>(MCI_NAMESPACE, 'mci', mciName);
    const onFailure =
      kind === 'scale'
        ? ((mci?.data.request as CreateMciRequest | undefined)?.onFailure ?? 'failover')
        : 'continue';
    await this.store.insert(
      MCI_NAMESPACE,
      'operation',
      operationId,
      this.newOperation(operationId, kind, mciName, input, onFailure, this.journal.now()),
    );
    await this.launch(operationId);
    return { operationId };
  }

  /** Takes the lease and runs the operation in the background. False when someone else holds it. */
  private async launch(operationId: string): Promise<boolean> {
    if (this.running.has(operationId)) return true;
    if (!(await this.leases.acquire(operationId))) return false;
    const controller = new AbortController();
    // Every step and sleep of a big operation listens to this one signal.
    setMaxListeners(0, controller.signal);
    const heartbeat = this.leases.heartbeat(
      operationId,
      () => controller.abort(new MciError('LEASE_LOST', `lease of ${operationId} was taken over`)),
      async () => {
        const operation = await this.journal.getOperation(operationId);
        if (operation?.cancelRequested && !controller.signal.aborted)
          controller.abort(new MciError('OPERATION_CANCELLED', `operation ${operationId} was cancelled`));
      },
    );
    const done = this.runOperation(operationId, controller.signal)
      .catch(() => undefined)
      .finally(async () => {
        heartbeat.stop();
        this.running.delete(operationId);
        await this.leases.release(operationId).catch(() => undefined);
      });
    this.running.set(operationId, { controller, done });
    return true;
  }

  private async runOperation(operationId: string, signal: AbortSignal): Promise<void> {
    let operation = await this.journal.updateOperation(operationId, (current) => ({
      ...current,
      status: 'running',
      runs: current.runs + 1,
      holders: [...current.holders, this.holderId],
    }));
    await this.journal.event(
      operationId,
      'info',
      operation.runs > 1
        ? `resumed by ${this.holderId} (run ${operation.runs})`
        : `started by ${this.holderId}`,
    );
    const context: RunContext = {
      operation,
      signal,
      regions: new Map(),
      subnets: new Map(),
      exhausted: new Set(),
      snapshots: new Map(),
    };
    if (operation.kind === 'create') context.request = operation.input as CreateMciRequest;
    else if (operation.kind === 'scale')
      context.request = (await this.store.get<Mci>(MCI_NAMESPACE, 'mci', operation.mciName))?.data
        .request as CreateMciRequest;
    try {
      if (operation.cancelRequested)
        throw new MciError('OPERATION_CANCELLED', `operation ${operationId} was cancelled`);
      if (operation.rollingBack) throw new MciError('NO_CAPACITY', 'resuming the rollback of an earlier run');
      if (
        operation.runs > 1 &&
        this.onRecovery === 'rollback' &&
        (operation.kind === 'create' || operation.kind === 'scale')
      )
        throw new MciError(
          'PROCESS_DIED',
          `the process running ${operationId} died; rolling back (onRecovery "rollback")`,
        );
      switch (operation.kind) {
        case 'create':
        case 'scale':
          await this.runProvision(context);
          break;
        case 'delete':
          await this.runDelete(context);
          break;
        case 'control':
          await this.runControl(context);
          break;
      }
      await this.updatePeerRules(operation);
      await this.finish(operationId, 'succeeded');
    } catch (caught) {
      const error = signal.aborted ? signal.reason : caught;
      if (error instanceof MciError && error.code === 'LEASE_LOST') return; // another process has it now
      operation = (await this.journal.getOperation(operationId)) ?? operation;
      await this.journal.updateOperation(operationId, (current) => ({
        ...current,
        errors: [...current.errors, errorRecord(error, this.journal.now())],
      }));
      const cancelled = error instanceof MciError && error.code === 'OPERATION_CANCELLED';
      const message = error instanceof Error ? error.message : String(error);
      await this.journal.event(
        operationId,
        'error',
        cancelled ? 'cancelled; cleaning up' : `failed: ${message}`,
      );
      const rollBack =
        cancelled ||
        operation.rollingBack === true ||
        (error instanceof MciError && error.code === 'PROCESS_DIED') ||
        ((operation.kind === 'create' || operation.kind === 'scale') && operation.onFailure !== 'continue');
      if (rollBack) {
        operation = await this.journal.updateOperation(operationId, (current) => ({
          ...current,
          rollingBack: true,
        }));
        await this.rollback(operation);
        await this.updatePeerRules(operation);
        await this.finish(operationId, cancelled ? 'cancelled' : 'rolled-back');
      } else {
        if (operation.kind === 'create') await this.setMciState(operation.mciName, 'active');
        await this.updatePeerRules(operation);
        await this.finish(operationId, 'failed');
      }
    }
  }

  /**
   * After a scale or control (nodes came, went, or changed address): peer rules follow. A failure
   * here is an event, not a failed operation; the next install or scale syncs again.
   */
  private async updatePeerRules(operation: Operation): Promise<void> {
    if (operation.kind !== 'scale' && operation.kind !== 'control') return;
    try {
      for (const change of await this.syncPeerRules(operation.mciName))
        await this.journal.event(
          operation.id,
          'info',
          `${change.regionId}: private ports for nodes in other regions: ${change.added} rule(s) added, ${change.removed} removed`,
        );
    } catch (error) {
      if (error instanceof MciError && error.code === 'MCI_NOT_FOUND') return;
      await this.journal.event(
        operation.id,
        'warning',
        `could not update the private-port rules for nodes in other regions: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async finish(operationId: string, status: OperationStatus): Promise<void> {
    const operation = await this.journal.updateOperation(operationId, (current) => ({
      ...current,
      status,
      finishedAt: this.journal.now(),
    }));
    await this.journal.event(operationId, status === 'succeeded' ? 'info' : 'warning', `operation ${status}`);
    if (status === 'succeeded' && (operation.kind === 'create' || operation.kind === 'scale'))
      await this.setMciState(operation.mciName, 'active');
  }

  private async setMciState(name: string, state: Mci['state']): Promise<void> {
    const nodes = await this.listNodes(name);
    await this.store.transaction(async (tx) => {
      const record = await tx.get<Mci>(MCI_NAMESPACE, 'mci', name);
      if (record)
        await tx.update(MCI_NAMESPACE, 'mci', name, {
          ...record.data,
          state,
          status: aggregateStatus(nodes),
        });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Provisioning (create, scale)
  // ------------------------------------------------------------------------------------------

  private async runProvision(context: RunContext): Promise<void> {
    const { operation } = context;
    const name = operation.mciName;
    const removeNodes =
      operation.kind === 'scale' ? ((operation.input as { removeNodes: string[] }).removeNodes ?? []) : [];
    const nodes = (await this.listNodes(name)).filter(
      (node) => node.status !== 'Running' && !removeNodes.includes(node.name),
    );
    const results = await Promise.allSettled(nodes.map((node) => this.provisionNode(context, node)));
    if (context.signal.aborted) throw context.signal.reason;
    const failures = results.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    for (const nodeName of removeNodes) await this.removeNode(context, nodeName);
    if (failures.length > 0) {
      const first = failures[0]?.reason;
      throw new MciError(
        'NO_CAPACITY',
        `${failures.length} of ${nodes.length} node(s) could not be created; first: ${first instanceof Error ? first.message : String(first)}`,
        { cause: first },
      );
    }
  }

  /** A driver call journaled as a step: skipped when it succeeded before, retried when retryable. */
  private async runStep(
    context: RunContext,
    stepId: string,
    kind: Step['kind'],
    regionId: string,
    call: (idempotencyKey: string, step: Step) => Promise<string | undefined>,
    data?: () => Promise<Record<string, string>>,
  ): Promise<string | undefined> {
    const operationId = context.operation.id;
    const previous = await this.journal.getStep(operationId, stepId);
    if (previous?.status === 'succeeded') return previous.resourceId;
    context.signal.throwIfAborted();
    const fixed = previous?.data ? undefined : await data?.();
    const step = await this.journal.beginStep(operationId, stepId, kind, regionId, fixed);
    try {
      const resourceId = await withRetry(() => call(step.idempotencyKey, step), this.retry, {
        signal: context.signal,
        statistics: this.statistics,
      });
      await this.journal.finishStep(operationId, stepId, resourceId);
      return resourceId;
    } catch (error) {
      if (!context.signal.aborted) await this.journal.failStep(operationId, stepId, error);
      throw error;
    }
  }

  private tags(context: RunContext): Tags {
    return { 's2a:mci': context.operation.mciName, 's2a:op': context.operation.id, 's2a:owner': this.owner };
  }

  private async regionsOf(provider: ProviderId): Promise<Region[]> {
    let regions = this.regionCache.get(provider);
    if (!regions) {
      regions = this.drivers(provider).then((driver) => driver.listRegions());
      this.regionCache.set(provider, regions);
      regions.catch(() => this.regionCache.delete(provider));
    }
    return regions;
  }

  /** vNet → security group and key pair in one region, shared by the MCI's nodes there. */
  private ensureRegion(context: RunContext, regionId: string): Promise<RegionResources> {
    let pending = context.regions.get(regionId);
    if (!pending) {
      pending = this.createRegion(context, regionId);
      context.regions.set(regionId, pending);
      pending.catch(() => context.regions.delete(regionId));
    }
    return pending;
  }

  private async createRegion(context: RunContext, regionId: string): Promise<RegionResources> {
    const parsed = parseRegionId(regionId);
    if (!parsed) throw new MciError('MCI_INVALID_REQUEST', `bad region id ${regionId}`);
    const { provider, region } = parsed;
    const name = context.operation.mciName;
    const existing = (await this.store.get<Mci>(MCI_NAMESPACE, 'mci', name))?.data.regions[regionId];
    if (existing?.vNetId && existing.securityGroupId && existing.keyPairId) return existing;
    const driver = await this.drivers(provider);
    const tags = this.tags(context);
    return this.limiter.inRegion(provider, regionId, async () => {
      const vNetId =
        existing?.vNetId ??
        ((await this.runStep(
          context,
          `vnet.${regionId}`,
          'vnet',
          regionId,
          async (idempotencyKey) =>
            (
              await driver.createVNet({
                region,
                name: `${name}-net`,
                cidrBlock: '10.0.0.0/16',
                tags,
                idempotencyKey,
              })
            ).id,
        )) as string);
      await this.patchRegion(name, regionId, { vNetId });
      const ports = context.request?.ports ?? [];
      const rules: SecurityRule[] = [22, ...ports.filter((port) => port !== 22)].map((port) => ({
        direction: 'inbound',
        protocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidr: '0.0.0.0/0',
      }));
      rules.push({ direction: 'outbound', protocol: 'all', fromPort: null, toPort: null, cidr: '0.0.0.0/0' });
      const keyName = `${name}.${regionId}`;
      const [securityGroupId, keyPairId] = await Promise.all([
        existing?.securityGroupId ??
          this.runStep(
            context,
            `sg.${regionId}`,
            'security-group',
            regionId,
            async (idempotencyKey) =>
              (
                await driver.createSecurityGroup({
                  vNetId,
                  name: `${name}-sg`,
                  description: `s2a MCI ${name}`,
                  rules,
                  tags,
                  idempotencyKey,
                })
              ).id,
          ),
        existing?.keyPairId ??
          this.runStep(
            context,
            `key.${regionId}`,
            'key-pair',
            regionId,
            async (idempotencyKey, step) => {
              // The public key is fixed in the journal before the call, the private key in the vault:
              // a re-run imports the same key and gets the same key pair back.
              const publicKey = step.data?.publicKey as string;
              return (
                await driver.createKeyPair({ region, name: `${name}-key`, publicKey, tags, idempotencyKey })
              ).id;
            },
            async () => {
              const generated = generateKeyPairFor(driver.capabilities.sshKeyTypes, `s2a-${name}`);
              await this.keyVault.put(keyName, generated.privateKey);
              return { publicKey: generated.publicKey, keyName };
            },
          ),
      ]);
      return this.patchRegion(name, regionId, {
        securityGroupId: securityGroupId as string,
        keyPairId: keyPairId as string,
        keyName,
      });
    });
  }

  /** The subnet for a zone (zonal subnets) or the region ("*"). */
  private ensureSubnet(context: RunContext, regionId: string, zone: string): Promise<string> {
    const key = `${regionId}/${zone}`;
    let pending = context.subnets.get(key);
    if (!pending) {
      pending = this.createSubnet(context, regionId, zone);
      context.subnets.set(key, pending);
      pending.catch(() => context.subnets.delete(key));
    }
    return pending;
  }

  private async createSubnet(context: RunContext, regionId: string, zone: string): Promise<string> {
    const name = context.operation.mciName;
    const resources = await this.ensureRegion(context, regionId);
    const known = resources.subnetIds[zone];
    if (known) return known;
    const { provider } = parseRegionId(regionId) as { provider: ProviderId };
    const driver = await this.drivers(provider);
    const region = (await this.regionsOf(provider)).find((candidate) => candidate.id === regionId);
    const index =
      zone === '*'
        ? 0
        : Math.max(0, region?.zones.findIndex((candidate) => candidate.code === zone) ?? 0) + 1;
    const vNetId = resources.vNetId as string;
    const subnetId = (await this.limiter.inRegion(provider, regionId, () =>
      this.runStep(
        context,
        `subnet.${regionId}.${zone}`,
        'subnet',
        regionId,
        async (idempotencyKey) =>
          (
            await driver.createSubnet({
              vNetId,
              name: `${name}-sn${index}`,
              cidrBlock: `10.0.${index * 16}.0/20`,
              ...(zone === '*' ? {} : { zone }),
              tags: this.tags(context),
              idempotencyKey,
            })
          ).id,
      ),
    )) as string;
    await this.patchRegion(name, regionId, { subnetIds: { [zone]: subnetId } });
    return subnetId;
  }

  private async patchRegion(
    name: string,
    regionId: string,
    change: Partial<RegionResources>,
  ): Promise<RegionResources> {
    return this.store.transaction(async (tx) => {
      const record = await tx.get<Mci>(MCI_NAMESPACE, 'mci', name);
      if (!record) throw new MciError('MCI_NOT_FOUND', `MCI ${name} vanished while it was being built`);
      const current = record.data.regions[regionId] ?? { regionId, subnetIds: {} };
      const next: RegionResources = {
        ...current,
        ...change,
        subnetIds: { ...current.subnetIds, ...change.subnetIds },
      };
      await tx.update(MCI_NAMESPACE, 'mci', name, {
        ...record.data,
        regions: { ...record.data.regions, [regionId]: next },
      });
      return next;
    });
  }

  private async provisionNode(context: RunContext, start: MciNode): Promise<void> {
    let node = start;
    const name = context.operation.mciName;
    for (;;) {
      context.signal.throwIfAborted();
      const driver = await this.drivers(node.provider);
      if (!node.vmId) {
        const stepId = `vm.${node.name}.g${node.generation}`;
        let vmId: string;
        try {
          const resources = await this.ensureRegion(context, node.regionId);
          const subnetId = await this.ensureSubnet(
            context,
            node.regionId,
            zonalSubnets(driver) && node.zone ? node.zone : '*',
          );
          const group = context.request?.nodeGroups.find((candidate) => candidate.name === node.group);
          const current = node;
          const region = (parseRegionId(node.regionId) as { region: string }).region;
          vmId = (await this.limiter.vmCreate(node.provider, node.regionId, () =>
            this.runStep(
              context,
              stepId,
              'vm',
              current.regionId,
              async (idempotencyKey) =>
                (
                  await driver.createVm({
                    region,
                    ...(current.zone ? { zone: current.zone } : {}),
                    name: vmName(name, current),
                    specId: current.specId,
                    imageId: current.imageId,
                    subnetId,
                    securityGroupIds: [resources.securityGroupId as string],
                    keyPairId: resources.keyPairId as string,
                    ...(group?.rootDiskGiB ? { rootDiskGiB: group.rootDiskGiB } : {}),
                    tags: this.tags(context),
                    idempotencyKey,
                  })
                ).id,
            ),
          )) as string;
        } catch (error) {
          if (!isCapacityLike(error) || context.signal.aborted) throw error;
          node = await this.nextPlacement(context, node, error);
          continue;
        }
        node = await this.patchNode(name, node.name, (current) => ({ ...current, vmId, status: 'Creating' }));
      }
      let vm: Vm;
      try {
        vm = await waitForVmStatus(
          this.snapshotOf(context, driver, node.regionId),
          node.vmId as string,
          ['Running'],
          {
            timeoutMs: this.vmReadyTimeoutMs,
            pollIntervalMs: this.pollIntervalMs,
            signal: context.signal,
          },
        );
      } catch (error) {
        if (error instanceof VmWaitError && error.reason === 'final') {
          await this.journal.event(
            context.operation.id,
            'warning',
            `${node.name}: ${error.message}; replacing it`,
          );
          await withRetry(() => driver.terminateVm(node.vmId as string), this.retry, {
            signal: context.signal,
          }).catch(() => undefined);
          node = await this.nextPlacement(context, node, error, true);
          continue;
        }
        if (isDriverError(error) && error.code === 'NOT_FOUND') {
          node = await this.patchNode(name, node.name, (current) => ({
            ...current,
            vmId: null,
            status: 'Pending',
          }));
          continue;
        }
        throw error;
      }
      await this.patchNode(name, node.name, (current) => ({
        ...current,
        status: vm.status,
        publicIp: vm.publicIp,
        privateIp: vm.privateIp,
        username: vm.username,
        zone: current.zone ?? vm.zone,
      }));
      return;
    }
  }

  /**
   * Where a node goes after its placement failed: the next zone of the region, then the nearest
   * same-or-bigger spec in another region through the resolver. Only under `failover`, except a
   * VM that failed at boot, which is retried in place once under every policy.
   */
  private async nextPlacement(
    context: RunContext,
    node: MciNode,
    cause: unknown,
    bootFailure = false,
  ): Promise<MciNode> {
    const policy = context.request?.onFailure ?? 'failover';
    const reason = cause instanceof Error ? cause.message : String(cause);
    if (node.generation + 1 >= this.maxPlacements)
      throw new MciError(
        'NO_CAPACITY',
        `${node.name}: gave up after ${this.maxPlacements} placements; last: ${reason}`,
        { cause },
      );
    if (policy !== 'failover') {
      if (bootFailure && node.generation === 0)
        return this.movePlacement(context, node, {}, `${node.name}: boot failed; retrying once in place`);
      throw new MciError(
        'NO_CAPACITY',
        `${node.name}: ${reason} (onFailure is "${policy}", so no failover)`,
        { cause },
      );
    }
    context.exhausted.add(`${node.specId}@${node.zone ?? '*'}`);
    // A quota is regional: other zones of the region would hit it too.
    const quota = cause instanceof QuotaError;
    const driver = await this.drivers(node.provider);
    const spec = await driver.getSpec(node.specId);
    const region = (await this.regionsOf(node.provider)).find((candidate) => candidate.id === node.regionId);
    const zoneChoice = node.zone !== null || zonalSubnets(driver);
    if (region && zoneChoice && !quota) {
      const nextZone = offeredZones(region, spec).find(
        (zone) => !context.exhausted.has(`${node.specId}@${zone}`),
      );
      if (nextZone)
        return this.movePlacement(
          context,
          node,
          { zone: nextZone },
          `${node.name}: ${reason}; trying zone ${nextZone} of ${node.regionId}`,
        );
    }
    // Every zone of the region failed for this spec.
    context.exhausted.add(`${node.regionId}`);
    if (!this.resolver)
      throw new MciError(
        'NO_CAPACITY',
        `${node.name}: ${reason}; no other zone left and no resolver to find another region`,
        { cause },
      );
    const failover = context.request?.failover;
    const candidates = await this.resolver.alternatives({
      spec,
      excludeRegionIds: [...context.exhausted].filter((entry) => !entry.includes('@')),
      ...(failover?.allowedProviders ? { allowedProviders: failover.allowedProviders } : {}),
      ...(failover?.allowedRegionIds ? { allowedRegionIds: failover.allowedRegionIds } : {}),
      ...(context.request?.maxCostPerHour !== undefined
        ? { maxPricePerHour: context.request.maxCostPerHour }
        : {}),
    });
    for (const candidate of candidates) {
      const candidateDriver = await this.drivers(candidate.provider);
      const image = await defaultImage(candidateDriver, candidate);
      if (!image) continue;
      const candidateRegion = (await this.regionsOf(candidate.provider)).find(
        (entry) => entry.code === candidate.region,
      );
      if (!candidateRegion) continue;
      const zones = offeredZones(candidateRegion, candidate).filter(
        (zone) => !context.exhausted.has(`${candidate.id}@${zone}`),
      );
      if (zonalSubnets(candidateDriver) && candidateRegion.zones.length > 0 && zones.length === 0) continue;
      return this.movePlacement(
        context,
        node,
        {
          provider: candidate.provider,
          regionId: candidateRegion.id,
          specId: candidate.id,
          imageId: image.id,
          zone: zonalSubnets(candidateDriver) ? (zones[0] ?? null) : null,
        },
        `${node.name}: no capacity for ${spec.name} anywhere in ${node.regionId} (${reason}); failing over to ${candidate.id}`,
      );
    }
    throw new MciError(
      'NO_CAPACITY',
      `${node.name}: no capacity for ${spec.name} in ${node.regionId} and no same-or-bigger spec elsewhere within the request's constraints`,
      { cause },
    );
  }

  private async movePlacement(
    context: RunContext,
    node: MciNode,
    change: Partial<MciNode>,
    message: string,
  ): Promise<MciNode> {
    await this.journal.event(context.operation.id, 'warning', message);
    return this.patchNode(context.operation.mciName, node.name, (current) => ({
      ...current,
      ...change,
      vmId: null,
      status: 'Pending',
      generation: current.generation + 1,
    }));
  }

  private snapshotOf(context: RunContext, driver: CloudDriver, regionId: string): RegionVmSnapshot {
    let snapshot = context.snapshots.get(regionId);
    if (!snapshot) {
      const region = (parseRegionId(regionId) as { region: string }).region;
      snapshot = new RegionVmSnapshot(
        driver,
        region,
        { 's2a:op': context.operation.id },
        this.pollIntervalMs,
        this.clock,
      );
      context.snapshots.set(regionId, snapshot);
    }
    return snapshot;
  }

  private async removeNode(context: RunContext, nodeName: string): Promise<void> {
    const node = (
      await this.store.get<MciNode>(MCI_NAMESPACE, 'node', nodeId(context.operation.mciName, nodeName))
    )?.data;
    if (!node) return;
    const addresses = node.publicIp ? [node.publicIp] : [];
    if (node.vmId) {
      const driver = await this.drivers(node.provider);
      const vm = await driver.getVm(node.vmId).catch(() => undefined);
      if (vm?.publicIp) addresses.push(vm.publicIp);
      await this.runStep(context, `remove.${node.name}`, 'delete', node.regionId, async () => {
        await driver.terminateVm(node.vmId as string);
        return node.vmId as string;
      });
    }
    await this.store.transaction(async (tx) => {
      await forgetHostKeys(tx, addresses);
      await tx.delete(MCI_NAMESPACE, 'node', nodeId(context.operation.mciName, nodeName));
    });
  }

  // ------------------------------------------------------------------------------------------
  // Control, delete, rollback
  // ------------------------------------------------------------------------------------------

  private async runControl(context: RunContext): Promise<void> {
    const { action, node: only } = context.operation.input as { action: ControlAction; node: string | null };
    const target = CONTROL_TARGET[action];
    const nodes = (await this.listNodes(context.operation.mciName)).filter(
      (node) => node.vmId && (only === null || node.name === only),
    );
    const results = await Promise.allSettled(
      nodes.map(async (node) => {
        const driver = await this.drivers(node.provider);
        const vmId = node.vmId as string;
        await this.runStep(context, `control.${node.name}`, 'control', node.regionId, async () => {
          const current = await driver.getVm(vmId);
          // A re-run after a crash finds the action under way, or (except a reboot) done.
          const done = action !== 'reboot' && current.status === target;
          if (!done && current.status !== CONTROL_TRANSITION[action]) await driver[`${action}Vm`](vmId);
          return vmId;
        });
        const vm = await waitForVmStatus(driver, vmId, [target], {
          timeoutMs: this.vmReadyTimeoutMs,
          pollIntervalMs: this.pollIntervalMs,
          signal: context.signal,
        });
        await this.patchNode(context.operation.mciName, node.name, (current) => ({
          ...current,
          status: vm.status,
        }));
      }),
    );
    await this.setMciState(context.operation.mciName, 'active');
    const failures = results.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    if (failures.length > 0) {
      const first = failures[0]?.reason;
      throw new MciError(
        'PROVIDER_FAILED',
        `${action} failed on ${failures.length} node(s): ${first instanceof Error ? first.message : String(first)}`,
        {
          cause: first,
        },
      );
    }
  }

  private async runDelete(context: RunContext): Promise<void> {
    const name = context.operation.mciName;
    const mci = (await this.store.get<Mci>(MCI_NAMESPACE, 'mci', name))?.data;
    const nodes = await this.listNodes(name);
    const regionIds = new Set([...Object.keys(mci?.regions ?? {}), ...nodes.map((node) => node.regionId)]);
    // Regions of every operation of this MCI, in case one failed before recording its resources.
    for (const operation of await this.journal.listOperations({ mciName: name }))
      for (const step of await this.journal.listSteps(operation.id)) regionIds.add(step.regionId);
    const addresses = await this.deleteTagged(context, [...regionIds], {
      's2a:mci': name,
      's2a:owner': this.owner,
    });
    await this.forgetMci(name, mci, addresses);
  }

  /** Deletes everything the operation made (found by its s2a:op tag) and, for a create, the MCI. */
  private async rollback(operation: Operation): Promise<void> {
    const steps = await this.journal.listSteps(operation.id);
    const nodes = await this.listNodes(operation.mciName);
    const regionIds = new Set(steps.map((step) => step.regionId));
    if (operation.kind === 'scale') for (const node of nodes) regionIds.add(node.regionId);
    const context: RunContext = {
      operation,
      signal: new AbortController().signal,
      regions: new Map(),
      subnets: new Map(),
      exhausted: new Set(),
      snapshots: new Map(),
    };
    await this.journal.event(
      operation.id,
      'warning',
      `rolling back: deleting what ${operation.id} made in ${regionIds.size} region(s)`,
    );
    const addresses = await this.deleteTagged(context, [...regionIds], { 's2a:op': operation.id });
    if (operation.kind === 'create') {
      await this.forgetMci(
        operation.mciName,
        (await this.store.get<Mci>(MCI_NAMESPACE, 'mci', operation.mciName))?.data,
        addresses,
      );
    } else if (operation.kind === 'scale') {
      await this.store.transaction((tx) => forgetHostKeys(tx, addresses));
      const added = (operation.input as { addedNodes: string[] }).addedNodes;
      for (const nodeName of added)
        await this.store.delete(MCI_NAMESPACE, 'node', nodeId(operation.mciName, nodeName));
      // Forget the shared resources this scale made (and the rollback deleted).
      const made = new Set(steps.flatMap((step) => (step.resourceId ? [step.resourceId] : [])));
      await this.store.transaction(async (tx) => {
        const record = await tx.get<Mci>(MCI_NAMESPACE, 'mci', operation.mciName);
        if (!record) return;
        const regions: Record<string, RegionResources> = {};
        for (const [regionId, region] of Object.entries(record.data.regions)) {
          if (region.vNetId && made.has(region.vNetId)) continue;
          const subnetIds = Object.fromEntries(
            Object.entries(region.subnetIds).filter(([, id]) => !made.has(id)),
          );
          regions[regionId] = { ...region, subnetIds };
        }
        await tx.update(MCI_NAMESPACE, 'mci', operation.mciName, { ...record.data, regions });
      });
    }
  }

  /**
   * Removes the MCI from the store with everything that hangs on it: nodes, app installs, sealed app
   * secrets and host keys seen at its addresses (one transaction, so a later MCI of the same name
   * starts clean), and its private keys.
   */
  private async forgetMci(
    name: string,
    mci: Mci | undefined,
    addresses: readonly string[] = [],
  ): Promise<void> {
    const keyNames = new Set<string>();
    for (const region of Object.values(mci?.regions ?? {})) if (region.keyName) keyNames.add(region.keyName);
    // Keys of key pairs whose region was never recorded (a crash between the step and the record).
    for (const operation of await this.journal.listOperations({ mciName: name }))
      for (const step of await this.journal.listSteps(operation.id))
        if (step.kind === 'key-pair' && step.data?.keyName) keyNames.add(step.data.keyName);
    // Key names are `<mci>.<region>` and MCI names have no ".", so the prefix is this MCI's alone.
    for (const keyName of (await this.keyVault.list?.(`${name}.`)) ?? []) keyNames.add(keyName);
    for (const keyName of keyNames) await this.keyVault.delete?.(keyName);
    await this.store.transaction(async (tx) => {
      const nodes = await tx.list<MciNode>({ namespace: MCI_NAMESPACE, kind: 'node', idPrefix: `${name}/` });
      // Host keys seen at the nodes' addresses: a later VM given the same public IP has another key.
      await forgetHostKeys(tx, [
        ...addresses,
        ...nodes.flatMap((node) => (node.data.publicIp ? [node.data.publicIp] : [])),
      ]);
      for (const kind of MCI_OWNED_KINDS)
        for (const record of await tx.list({ namespace: MCI_NAMESPACE, kind, idPrefix: `${name}/` }))
          await tx.delete(MCI_NAMESPACE, kind, record.id);
      await tx.delete(MCI_NAMESPACE, 'mci', name);
    });
  }

  /**
   * Deletes resources carrying these tags in the regions, in dependency order: VMs (and waits
   * until they are gone), then security groups and key pairs, subnets, vNets. Dependency errors
   * are retryable and retried with backoff. Returns the public IPs the VMs had.
   */
  private async deleteTagged(context: RunContext, regionIds: string[], tags: Tags): Promise<string[]> {
    const addresses: string[] = [];
    await Promise.all(
      regionIds.map(async (regionId) => {
        const parsed = parseRegionId(regionId);
        if (!parsed) return;
        const driver = await this.drivers(parsed.provider);
        await this.limiter.inRegion(parsed.provider, regionId, async () => {
          const filter = { region: parsed.region, tags };
          const retry = <T>(work: () => Promise<T>) =>
            withRetry(
              work,
              { ...this.retry, maxAttempts: Math.max(this.retry.maxAttempts, 12) },
              { statistics: this.statistics },
            );
          const vms = await retry(() => driver.listVms(filter));
          for (const vm of vms) if (vm.publicIp) addresses.push(vm.publicIp);
          const snapshot = new RegionVmSnapshot(driver, parsed.region, tags, this.pollIntervalMs, this.clock);
          await Promise.all(
            vms.map(async (vm) => {
              await retry(() => driver.terminateVm(vm.id));
              await waitForVmStatus(snapshot, vm.id, ['Terminated'], {
                timeoutMs: this.vmReadyTimeoutMs,
                pollIntervalMs: this.pollIntervalMs,
              }).catch((error) => {
                if (!(isDriverError(error) && error.code === 'NOT_FOUND')) throw error;
              });
            }),
          );
          const groups = await retry(() => driver.listSecurityGroups(filter));
          const keys = await retry(() => driver.listKeyPairs(filter));
          await Promise.all([
            ...groups.map((group) => retry(() => driver.deleteSecurityGroup(group.id))),
            ...keys.map((key) => retry(() => driver.deleteKeyPair(key.id))),
          ]);
          const subnets = await retry(() => driver.listSubnets(filter));
          await Promise.all(subnets.map((subnet) => retry(() => driver.deleteSubnet(subnet.id))));
          const vNets = await retry(() => driver.listVNets(filter));
          await Promise.all(vNets.map((vNet) => retry(() => driver.deleteVNet(vNet.id))));
          await this.journal.event(
            context.operation.id,
            'info',
            `${regionId}: deleted ${vms.length} VM(s), ${groups.length} security group(s), ${keys.length} key pair(s), ${subnets.length} subnet(s), ${vNets.length} vNet(s)`,
          );
        });
      }),
    );
    return addresses;
  }

  private async deleteResource(
    driver: CloudDriver,
    kind: (typeof RESOURCE_ORDER)[number],
    id: string,
  ): Promise<void> {
    const retry = <T>(work: () => Promise<T>) =>
      withRetry(
        work,
        { ...this.retry, maxAttempts: Math.max(this.retry.maxAttempts, 12) },
        { statistics: this.statistics },
      );
    switch (kind) {
      case 'vm':
        await retry(() => driver.terminateVm(id));
        await waitForVmStatus(driver, id, ['Terminated'], {
          timeoutMs: this.vmReadyTimeoutMs,
          pollIntervalMs: this.pollIntervalMs,
        }).catch(() => undefined);
        return;
      case 'security-group':
        return retry(() => driver.deleteSecurityGroup(id));
      case 'key-pair':
        return retry(() => driver.deleteKeyPair(id));
      case 'subnet':
        return retry(() => driver.deleteSubnet(id));
      case 'vnet':
        return retry(() => driver.deleteVNet(id));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Store helpers
  // ------------------------------------------------------------------------------------------

  private async listNodes(name: string): Promise<MciNode[]> {
    const records = await this.store.list<MciNode>({
      namespace: MCI_NAMESPACE,
      kind: 'node',
      idPrefix: `${name}/`,
    });
    return records.map((record) => record.data);
  }

  private async patchNode(
    name: string,
    nodeName: string,
    change: (node: MciNode) => MciNode,
  ): Promise<MciNode> {
    return this.store.transaction(async (tx) => {
      const id = nodeId(name, nodeName);
      const record = await tx.get<MciNode>(MCI_NAMESPACE, 'node', id);
      if (!record) throw new MciError('MCI_NOT_FOUND', `node ${id} vanished`);
      const next = change(record.data);
      await tx.update(MCI_NAMESPACE, 'node', id, next, record.revision);
      return next;
    });
  }

  /** Resource ids claimed by MCIs in the store (their nodes and shared resources). */
  private async knownResourceIds(): Promise<Set<string>> {
    const known = new Set<string>();
    for (const record of await this.store.list<Mci>({ namespace: MCI_NAMESPACE, kind: 'mci' })) {
      for (const region of Object.values(record.data.regions)) {
        for (const id of [
          region.vNetId,
          region.securityGroupId,
          region.keyPairId,
          ...Object.values(region.subnetIds),
        ])
          if (id) known.add(id);
      }
    }
    for (const record of await this.store.list<MciNode>({ namespace: MCI_NAMESPACE, kind: 'node' }))
      if (record.data.vmId) known.add(record.data.vmId);
    return known;
  }
}
