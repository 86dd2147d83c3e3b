import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Repository, Store } from '../../store/types.ts';
import {
  type CloudDriver,
  CreateKeyPairRequestSchema,
  CreateSecurityGroupRequestSchema,
  CreateSubnetRequestSchema,
  CreateVmRequestSchema,
  CreateVNetRequestSchema,
  type DriverCapabilities,
  type DriverOperation,
  type Image,
  ImageQuerySchema,
  type KeyPair,
  type KeyPairCreated,
  resourceId as makeResourceId,
  NotFoundError,
  type ProviderId,
  parseRequest,
  parseResourceId,
  type Region,
  ResourceFilterSchema,
  type SecurityGroup,
  type SecurityRule,
  SecurityRuleSchema,
  type Spec,
  SpecQuerySchema,
  type Subnet,
  type Tags,
  type Vm,
  type VmFilter,
  VmFilterSchema,
  type VmStatus,
  type VNet,
} from '../spec/index.ts';
import { fingerprintOf, generateEd25519KeyPair } from '../spec/ssh-keys.ts';
import { type StoredVm, toVm } from './convert-vm.ts';
import { type SimConfig, type SimConfigInput, SimConfigSchema } from './sim-config.ts';
import { SimErrors } from './sim-errors.ts';
import {
  type FaultCall,
  type FaultRule,
  type FaultRuleInput,
  FaultRuleSchema,
  faultMatches,
} from './sim-faults.ts';
import { newCspId, type ResourceKind } from './sim-ids.ts';
import {
  applyAction,
  billedForCompute,
  holdsCapacity,
  type StatusEntry,
  statusAt,
  timeIn,
  type VmAction,
} from './sim-lifecycle.ts';
import {
  cidrContains,
  cidrSize,
  cidrsOverlap,
  formatAddress,
  parseCidr,
  SIM_PUBLIC_RANGE,
} from './sim-network.ts';
import { PROVIDER_PROFILES, type ProviderProfile } from './sim-profiles.ts';
import { type BucketState, takeToken } from './sim-rate-limiter.ts';
import { ProviderWorld, type SimWorld } from './sim-world.ts';

export interface SimDriverOptions {
  provider: ProviderId;
  store: Store;
  world: SimWorld;
  config?: SimConfigInput;
  /** Epoch milliseconds; tests pass a controllable clock. */
  clock?: () => number;
}

type Stored<T> = T & { idempotencyKey?: string; idempotencyFingerprint?: string };
type StoredSubnet = Stored<Subnet> & { nextHost: number };

/** Lists of network resources take a vNet filter too (subnets and security groups). */
const ListFilterSchema = ResourceFilterSchema.extend({ vNetId: z.string().min(1).optional() });

/** Kinds of record the sim keeps in the store, in its account's namespace. */
const KIND = {
  vnet: 'vnet',
  subnet: 'subnet',
  'security-group': 'security-group',
  'key-pair': 'key-pair',
  vm: 'vm',
  bucket: 'rate-bucket',
  fault: 'fault',
  counter: 'counter',
} as const;

interface StoredFault {
  rule: FaultRule;
  fired: number;
}

export interface BillingLine {
  vmId: string;
  name: string;
  region: string;
  specId: string;
  tags: Tags;
  status: VmStatus;
  computeHours: number;
  computeCost: number;
  diskCost: number;
  total: number;
  currency: string;
}

export interface BillingReport {
  /** Epoch ms the meter was read at. */
  at: number;
  lines: BillingLine[];
  totals: Record<string, number>;
}

const MS_PER_HOUR = 3_600_000;
const HOURS_PER_MONTH = 730;

/** Seeded generator for fault rates, so a seeded run fails the same calls every time. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What an idempotent create was asked, so a reused key with other parameters can be refused. */
function requestFingerprint(input: object): string {
  const canonical = JSON.stringify(input, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([first], [second]) => first.localeCompare(second)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function tagsMatch(tags: Tags, wanted: Tags | undefined): boolean {
  if (!wanted) return true;
  return Object.entries(wanted).every(([key, value]) => tags[key] === value);
}

function usernameFor(image: Image, fallback: string): string {
  const byOs: Record<string, string> = {
    ubuntu: 'ubuntu',
    debian: 'debian',
    rocky: 'rocky',
    centos: 'centos',
    almalinux: 'almalinux',
    'amazon-linux': 'ec2-user',
    windows: 'Administrator',
  };
  return byOs[image.os] ?? fallback;
}

/**
 * An emulated cloud provider: one instance per connection (provider + sim account).
 * Real catalog data, VM state machines driven by timestamps, per-region API rate limits, quotas,
 * finite capacity per zone and spec, fault injection, a billing meter, and all state in the store.
 */
export class SimDriver implements CloudDriver {
  readonly provider: ProviderId;
  readonly capabilities: DriverCapabilities;
  readonly config: SimConfig;
  readonly namespace: string;
  private readonly profile: ProviderProfile;
  private readonly world: ProviderWorld;
  private readonly store: Store;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly errors: SimErrors;
  /** Fire counts of configured (not stored) fault rules, per process. */
  private readonly configFaultFired = new Map<number, number>();
  private closed = false;

  constructor(options: SimDriverOptions) {
    this.provider = options.provider;
    this.profile = PROVIDER_PROFILES[options.provider];
    this.config = SimConfigSchema.parse(options.config ?? {});
    this.namespace = `sim/${this.config.account}`;
    this.world = new ProviderWorld(options.provider, options.world);
    this.store = options.store;
    this.clock = options.clock ?? Date.now;
    this.random = this.config.seed === undefined ? Math.random : mulberry32(this.config.seed);
    this.errors = new SimErrors(this.profile);
    this.capabilities = { provider: this.provider, driver: 'sim', ...this.profile.capabilities };
  }

  // ------------------------------------------------------------------------------------------
  // The call envelope: API latency, rate limits, fault injection.
  // ------------------------------------------------------------------------------------------

  private scaled(milliseconds: number): number {
    return Math.max(0, Math.round(milliseconds * this.config.timeScale));
  }

  private async call<T>(
    operation: DriverOperation,
    region: string | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    if (this.closed) throw new Error(`sim driver for ${this.provider} is closed`);
    if (this.config.apiLatency) await sleep(this.scaled(this.profile.latency.apiMilliseconds));
    const mutating = /^(create|delete|set|suspend|resume|reboot|terminate)/.test(operation);
    await this.takeRateToken(operation, region, mutating);
    const fault = await this.nextFault({ provider: this.provider, operation, region, zone: undefined });
    if (fault) return this.raiseFault(fault, operation, region, work);
    return work();
  }

  private async takeRateToken(
    operation: string,
    region: string | undefined,
    mutating: boolean,
  ): Promise<void> {
    if (this.config.rateLimits === false) return;
    const bucket =
      this.config.rateLimits[this.provider]?.[mutating ? 'mutate' : 'read'] ??
      this.profile.rateLimits[mutating ? 'mutate' : 'read'];
    const key = `${this.provider}/${region ?? 'global'}/${mutating ? 'mutate' : 'read'}`;
    const result = await this.store.transaction(async (tx) => {
      const current = await tx.get<BucketState>(this.namespace, KIND.bucket, key);
      const outcome = takeToken(current?.data, bucket, this.clock());
      await tx.put(this.namespace, KIND.bucket, key, outcome.state);
      return outcome;
    });
    if (!result.granted) throw this.errors.throttled(operation, region, result.retryAfterMs);
  }

  /**
   * Finds the first fault rule that fires for this call and counts the firing. Configured rules
   * count per process; stored rules (injectFault) count in the store, atomically, because several
   * processes may race for a rule's last allowed firing.
   */
  private async nextFault(
    call: FaultCall,
    repository?: Repository,
    accept: (rule: FaultRule) => boolean = () => true,
  ): Promise<FaultRule | undefined> {
    for (const [index, rule] of this.config.faults.entries()) {
      if (!accept(rule) || !faultMatches(rule, call)) continue;
      const fired = this.configFaultFired.get(index) ?? 0;
      if (rule.times !== undefined && fired >= rule.times) continue;
      if (this.random() >= rule.rate) continue;
      this.configFaultFired.set(index, fired + 1);
      return rule;
    }
    const pick = async (tx: Repository): Promise<FaultRule | undefined> => {
      const stored = await tx.list<StoredFault>({ namespace: this.namespace, kind: KIND.fault });
      for (const record of stored) {
        const { rule, fired } = record.data;
        if (!accept(rule) || !faultMatches(rule, call)) continue;
        if (rule.times !== undefined && fired >= rule.times) continue;
        if (this.random() >= rule.rate) continue;
        if (rule.times !== undefined && fired + 1 >= rule.times)
          await tx.delete(this.namespace, KIND.fault, record.id);
        else await tx.put(this.namespace, KIND.fault, record.id, { rule, fired: fired + 1 });
        return rule;
      }
      return undefined;
    };
    if (repository) return pick(repository);
    // Most calls meet no stored rule: look first without taking the write lock.
    const stored = await this.store.list<StoredFault>({ namespace: this.namespace, kind: KIND.fault });
    if (!stored.some((record) => accept(record.data.rule) && faultMatches(record.data.rule, call)))
      return undefined;
    return this.store.transaction(pick);
  }

  private async raiseFault(
    rule: FaultRule,
    operation: string,
    region: string | undefined,
    work: () => Promise<unknown>,
    zone?: string,
    specName?: string,
  ): Promise<never> {
    switch (rule.kind) {
      case 'capacity':
        throw this.errors.capacity(
          operation,
          region ?? '(any)',
          zone ?? rule.zone,
          specName ?? 'the requested',
          rule.message ?? 'injected outage',
        );
      case 'quota': {
        const limit = region ? this.quotaLimits(region).vcpu : this.config.quotas.vcpuPerRegion;
        throw this.errors.quota(operation, region ?? '(any)', 'vCPU', limit, limit, 1);
      }
      case 'throttle':
        throw this.errors.throttled(operation, region, rule.retryAfterMs);
      case 'auth':
        throw this.errors.auth(operation, region, rule.message);
      case 'error':
        throw this.errors.internal(operation, region, rule.message);
      case 'timeout':
        await sleep(rule.delayMs);
        if (rule.applied) await work();
        throw this.errors.timeout(operation, region, rule.applied);
      case 'boot-failure':
        throw new Error('boot-failure faults fire at boot, not on a call');
    }
  }

  // ------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------

  private requireRegion(operation: string, code: string): Region {
    const region = this.world.regionsByCode.get(code);
    if (!region) {
      throw this.errors.invalid(
        operation,
        code,
        `unknown ${this.provider} region "${code}"; call listRegions for the ${this.world.regions.length} valid codes`,
        ['region'],
      );
    }
    return region;
  }

  private newId(kind: ResourceKind, region: string): { id: string; cspId: string } {
    const cspId = newCspId(this.profile.idStyle, kind);
    return { id: makeResourceId(this.provider, region, cspId), cspId };
  }

  private async getRecord<T>(kind: ResourceKind, label: string, id: string, operation: string): Promise<T> {
    const parsed = parseResourceId(id);
    if (!parsed || parsed.provider !== this.provider) {
      throw new NotFoundError(
        label,
        id,
        { provider: this.provider, operation },
        `expected an id like "${this.provider}+<region>+<id>"`,
      );
    }
    const record = await this.store.get<T>(this.namespace, KIND[kind], id);
    if (!record)
      throw new NotFoundError(label, id, { provider: this.provider, region: parsed.region, operation });
    return record.data;
  }

  /**
   * The resource an earlier call with the same idempotency key made, if any. The same key with
   * different parameters is refused, as EC2 refuses it (IdempotentParameterMismatch).
   */
  private async findByIdempotencyKey<T extends { idempotencyFingerprint?: string }>(
    repository: Repository,
    kind: ResourceKind,
    input: { idempotencyKey?: string | undefined },
    operation: DriverOperation,
  ): Promise<T | undefined> {
    if (input.idempotencyKey === undefined) return undefined;
    const [found] = await repository.list<T>({
      namespace: this.namespace,
      kind: KIND[kind],
      where: { provider: this.provider, idempotencyKey: input.idempotencyKey },
      limit: 1,
    });
    if (found && found.data.idempotencyFingerprint !== requestFingerprint(input)) {
      throw this.errors.invalid(
        operation,
        undefined,
        `IdempotentParameterMismatch: idempotency key "${input.idempotencyKey}" was used with other parameters; use a new key`,
        ['idempotencyKey'],
      );
    }
    return found?.data;
  }

  private idempotencyFields(input: { idempotencyKey?: string | undefined }): {
    idempotencyKey?: string;
    idempotencyFingerprint?: string;
  } {
    if (input.idempotencyKey === undefined) return {};
    return { idempotencyKey: input.idempotencyKey, idempotencyFingerprint: requestFingerprint(input) };
  }

  private async listKind<T extends { region: string; tags: Tags; provider: ProviderId }>(
    kind: ResourceKind,
    filter: { region?: string; tags?: Tags },
    repository: Repository = this.store,
  ): Promise<T[]> {
    const records = await repository.list<T>({
      namespace: this.namespace,
      kind: KIND[kind],
      where: filter.region ? { provider: this.provider, region: filter.region } : { provider: this.provider },
    });
    return records.map((record) => record.data).filter((item) => tagsMatch(item.tags, filter.tags));
  }

  private strip<T extends { idempotencyKey?: string }>(
    stored: T,
  ): Omit<T, 'idempotencyKey' | 'idempotencyFingerprint' | 'nextHost'> {
    const {
      idempotencyKey: _key,
      idempotencyFingerprint: _fingerprint,
      nextHost: _next,
      ...rest
    } = stored as T & { nextHost?: number; idempotencyFingerprint?: string };
    return rest;
  }

  /** get* of the network resources: the stored record without the sim's bookkeeping. */
  private async getResource<T>(
    operation: DriverOperation,
    kind: Exclude<ResourceKind, 'vm'>,
    label: string,
    id: string,
  ): Promise<T> {
    return this.call(operation, parseResourceId(id)?.region, async () =>
      this.strip(await this.getRecord<Stored<T>>(kind, label, id, operation)),
    ) as Promise<T>;
  }

  /** list* of the network resources, filtered by region, tags and (subnets, groups) vNet. */
  private async listResources<T extends { region: string; tags: Tags; provider: ProviderId }>(
    operation: DriverOperation,
    kind: Exclude<ResourceKind, 'vm'>,
    filter: unknown,
  ): Promise<T[]> {
    const parsed = parseRequest(ListFilterSchema, filter, { provider: this.provider, operation });
    return this.call(operation, parsed.region, async () =>
      (await this.listKind<Stored<T> & { vNetId?: string }>(kind, parsed))
        .filter((item) => parsed.vNetId === undefined || item.vNetId === parsed.vNetId)
        .map((item) => this.strip(item) as T),
    );
  }

  private nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  // ------------------------------------------------------------------------------------------
  // World facts
  // ------------------------------------------------------------------------------------------

  async listRegions(): Promise<Region[]> {
    return this.call('listRegions', undefined, async () => structuredClone(this.world.regions));
  }

  async listSpecs(query: unknown = {}): Promise<Spec[]> {
    const parsed = parseRequest(SpecQuerySchema, query, { provider: this.provider, operation: 'listSpecs' });
    return this.call('listSpecs', parsed.region, async () => {
      if (parsed.region) this.requireRegion('listSpecs', parsed.region);
      const specs = parsed.region
        ? (this.world.specsByRegion.get(parsed.region) ?? [])
        : [...this.world.specsById.values()];
      const names = parsed.names ? new Set(parsed.names) : undefined;
      return specs.filter((spec) => !names || names.has(spec.name)).map((spec) => structuredClone(spec));
    });
  }

  async getSpec(id: string): Promise<Spec> {
    const region = parseResourceId(id)?.region;
    return this.call('getSpec', region, async () => {
      const spec = this.world.specsById.get(id);
      if (!spec)
        throw new NotFoundError(
          'spec',
          id,
          { provider: this.provider, operation: 'getSpec' },
          'search specs with listSpecs',
        );
      return structuredClone(spec);
    });
  }

  async listImages(query: unknown = {}): Promise<Image[]> {
    const parsed = parseRequest(ImageQuerySchema, query, {
      provider: this.provider,
      operation: 'listImages',
    });
    return this.call('listImages', parsed.region, async () => {
      if (parsed.region) this.requireRegion('listImages', parsed.region);
      const images = parsed.region
        ? (this.world.imagesByRegion.get(parsed.region) ?? [])
        : [...this.world.imagesById.values()];
      return images
        .filter(
          (image) =>
            (parsed.os === undefined || image.os === parsed.os) &&
            (parsed.arch === undefined || image.arch === parsed.arch),
        )
        .map((image) => structuredClone(image));
    });
  }

  async getImage(id: string): Promise<Image> {
    const region = parseResourceId(id)?.region;
    return this.call('getImage', region, async () => {
      const image = this.world.imagesById.get(id);
      if (!image)
        throw new NotFoundError(
          'image',
          id,
          { provider: this.provider, operation: 'getImage' },
          'list images with listImages',
        );
      return structuredClone(image);
    });
  }

  // ------------------------------------------------------------------------------------------
  // vNet
  // ------------------------------------------------------------------------------------------

  async createVNet(request: unknown): Promise<VNet> {
    const input = parseRequest(CreateVNetRequestSchema, request, {
      provider: this.provider,
      operation: 'createVNet',
    });
    return this.call('createVNet', input.region, async () => {
      this.requireRegion('createVNet', input.region);
      const cidr = parseCidr(input.cidrBlock);
      if (!cidr || cidr.prefix < 16 || cidr.prefix > 28) {
        throw this.errors.invalid(
          'createVNet',
          input.region,
          `vNet CIDR ${input.cidrBlock} must be a network address with a prefix from /16 to /28`,
          ['cidrBlock'],
        );
      }
      return this.store.transaction(async (tx) => {
        const existing = await this.findByIdempotencyKey<Stored<VNet>>(tx, 'vnet', input, 'createVNet');
        if (existing) return this.strip(existing);
        if (this.profile.uniqueNames) {
          const sameName = await tx.count({
            namespace: this.namespace,
            kind: KIND.vnet,
            where: { provider: this.provider, region: input.region, name: input.name },
          });
          if (sameName > 0) throw this.errors.duplicate('createVNet', input.region, 'vNet', input.name);
        }
        const { id, cspId } = this.newId('vnet', input.region);
        const vNet: Stored<VNet> = {
          id,
          cspId,
          provider: this.provider,
          region: input.region,
          name: input.name,
          tags: { ...input.tags, Name: input.tags.Name ?? input.name },
          createdAt: this.nowIso(),
          cidrBlock: input.cidrBlock,
          ...this.idempotencyFields(input),
        };
        await tx.insert(this.namespace, KIND.vnet, id, vNet);
        return this.strip(vNet);
      });
    });
  }

  getVNet(id: string): Promise<VNet> {
    return this.getResource('getVNet', 'vnet', 'vNet', id);
  }

  listVNets(filter: unknown = {}): Promise<VNet[]> {
    return this.listResources('listVNets', 'vnet', filter);
  }

  async deleteVNet(id: string): Promise<void> {
    const region = parseResourceId(id)?.region;
    await this.call('deleteVNet', region, async () => {
      await this.store.transaction(async (tx) => {
        const record = await tx.get<VNet>(this.namespace, KIND.vnet, id);
        if (!record) return;
        const subnets = await tx.list<Subnet>({
          namespace: this.namespace,
          kind: KIND.subnet,
          where: { vNetId: id },
        });
        const groups = await tx.list<SecurityGroup>({
          namespace: this.namespace,
          kind: KIND['security-group'],
          where: { vNetId: id },
        });
        const dependents = [...subnets, ...groups].map((item) => item.id);
        if (dependents.length > 0)
          throw this.errors.dependency('deleteVNet', record.data.region, `vNet ${id}`, dependents);
        await tx.delete(this.namespace, KIND.vnet, id);
      });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Subnet
  // ------------------------------------------------------------------------------------------

  async createSubnet(request: unknown): Promise<Subnet> {
    const input = parseRequest(CreateSubnetRequestSchema, request, {
      provider: this.provider,
      operation: 'createSubnet',
    });
    const region = parseResourceId(input.vNetId)?.region;
    return this.call('createSubnet', region, async () => {
      const vNet = await this.getRecord<VNet>('vnet', 'vNet', input.vNetId, 'createSubnet');
      const outer = parseCidr(vNet.cidrBlock);
      const cidr = parseCidr(input.cidrBlock);
      if (!outer || !cidr || !cidrContains(outer, cidr) || cidr.prefix > 28) {
        throw this.errors.invalid(
          'createSubnet',
          vNet.region,
          `subnet CIDR ${input.cidrBlock} must be a network inside the vNet's ${vNet.cidrBlock}, at most /28`,
          ['cidrBlock'],
        );
      }
      const zones = this.world.zoneCodes(vNet.region);
      let zone: string | null = null;
      if (input.zone !== undefined) {
        if (!zones.includes(input.zone)) {
          throw this.errors.invalid(
            'createSubnet',
            vNet.region,
            `zone "${input.zone}" is not in ${vNet.region}; zones there: ${zones.join(', ') || 'none'}`,
            ['zone'],
          );
        }
        zone = input.zone;
      } else if (this.capabilities.subnetScope === 'zone') {
        zone = zones[0] ?? null;
      }
      return this.store.transaction(async (tx) => {
        const existing = await this.findByIdempotencyKey<StoredSubnet>(tx, 'subnet', input, 'createSubnet');
        if (existing) return this.strip(existing);
        const siblings = await tx.list<Subnet>({
          namespace: this.namespace,
          kind: KIND.subnet,
          where: { vNetId: vNet.id },
        });
        const overlapping = siblings.find((sibling) => {
          const other = parseCidr(sibling.data.cidrBlock);
          return other !== undefined && cidrsOverlap(other, cidr);
        });
        if (overlapping) {
          throw this.errors.invalid(
            'createSubnet',
            vNet.region,
            `subnet CIDR ${input.cidrBlock} overlaps ${overlapping.id} (${overlapping.data.cidrBlock})`,
            ['cidrBlock'],
          );
        }
        if (this.profile.uniqueNames && siblings.some((sibling) => sibling.data.name === input.name)) {
          throw this.errors.duplicate('createSubnet', vNet.region, 'subnet', input.name);
        }
        const { id, cspId } = this.newId('subnet', vNet.region);
        const subnet: StoredSubnet = {
          id,
          cspId,
          provider: this.provider,
          region: vNet.region,
          name: input.name,
          tags: { ...input.tags },
          createdAt: this.nowIso(),
          vNetId: vNet.id,
          cidrBlock: input.cidrBlock,
          zone,
          // Clouds reserve the first addresses of a subnet (AWS: four) for routers and DNS.
          nextHost: 4,
          ...this.idempotencyFields(input),
        };
        await tx.insert(this.namespace, KIND.subnet, id, subnet);
        return this.strip(subnet);
      });
    });
  }

  getSubnet(id: string): Promise<Subnet> {
    return this.getResource('getSubnet', 'subnet', 'subnet', id);
  }

  listSubnets(filter: unknown = {}): Promise<Subnet[]> {
    return this.listResources('listSubnets', 'subnet', filter);
  }

  async deleteSubnet(id: string): Promise<void> {
    await this.call('deleteSubnet', parseResourceId(id)?.region, async () => {
      await this.store.transaction(async (tx) => {
        const record = await tx.get<Subnet>(this.namespace, KIND.subnet, id);
        if (!record) return;
        const vms = await tx.list<StoredVm>({
          namespace: this.namespace,
          kind: KIND.vm,
          where: { subnetId: id },
        });
        const now = this.clock();
        const dependents = vms
          .filter((vm) => statusAt(vm.data.history, now).status !== 'Terminated')
          .map((vm) => vm.id);
        if (dependents.length > 0)
          throw this.errors.dependency('deleteSubnet', record.data.region, `subnet ${id}`, dependents);
        await tx.delete(this.namespace, KIND.subnet, id);
      });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Security group
  // ------------------------------------------------------------------------------------------

  async createSecurityGroup(request: unknown): Promise<SecurityGroup> {
    const input = parseRequest(CreateSecurityGroupRequestSchema, request, {
      provider: this.provider,
      operation: 'createSecurityGroup',
    });
    return this.call('createSecurityGroup', parseResourceId(input.vNetId)?.region, async () => {
      const vNet = await this.getRecord<VNet>('vnet', 'vNet', input.vNetId, 'createSecurityGroup');
      return this.store.transaction(async (tx) => {
        const existing = await this.findByIdempotencyKey<Stored<SecurityGroup>>(
          tx,
          'security-group',
          input,
          'createSecurityGroup',
        );
        if (existing) return this.strip(existing);
        const sameName = await tx.count({
          namespace: this.namespace,
          kind: KIND['security-group'],
          where: { vNetId: vNet.id, name: input.name },
        });
        if (sameName > 0)
          throw this.errors.duplicate('createSecurityGroup', vNet.region, 'security group', input.name);
        const { id, cspId } = this.newId('security-group', vNet.region);
        const group: Stored<SecurityGroup> = {
          id,
          cspId,
          provider: this.provider,
          region: vNet.region,
          name: input.name,
          tags: { ...input.tags },
          createdAt: this.nowIso(),
          vNetId: vNet.id,
          description: input.description,
          rules: input.rules,
          ...this.idempotencyFields(input),
        };
        await tx.insert(this.namespace, KIND['security-group'], id, group);
        return this.strip(group);
      });
    });
  }

  getSecurityGroup(id: string): Promise<SecurityGroup> {
    return this.getResource('getSecurityGroup', 'security-group', 'security group', id);
  }

  listSecurityGroups(filter: unknown = {}): Promise<SecurityGroup[]> {
    return this.listResources('listSecurityGroups', 'security-group', filter);
  }

  async setSecurityGroupRules(id: string, rules: SecurityRule[]): Promise<SecurityGroup> {
    const parsedRules = parseRequest(SecurityRuleSchema.array().max(200), rules, {
      provider: this.provider,
      operation: 'setSecurityGroupRules',
    });
    return this.call('setSecurityGroupRules', parseResourceId(id)?.region, async () => {
      await this.getRecord('security-group', 'security group', id, 'setSecurityGroupRules');
      return this.store.transaction(async (tx) => {
        const record = await tx.get<Stored<SecurityGroup>>(this.namespace, KIND['security-group'], id);
        if (!record)
          throw new NotFoundError('security group', id, {
            provider: this.provider,
            operation: 'setSecurityGroupRules',
          });
        const updated = { ...record.data, rules: parsedRules };
        await tx.update(this.namespace, KIND['security-group'], id, updated, record.revision);
        return this.strip(updated);
      });
    });
  }

  async deleteSecurityGroup(id: string): Promise<void> {
    await this.call('deleteSecurityGroup', parseResourceId(id)?.region, async () => {
      await this.store.transaction(async (tx) => {
        const record = await tx.get<SecurityGroup>(this.namespace, KIND['security-group'], id);
        if (!record) return;
        const now = this.clock();
        const vms = await tx.list<StoredVm>({
          namespace: this.namespace,
          kind: KIND.vm,
          where: { provider: this.provider, region: record.data.region },
        });
        const dependents = vms
          .filter(
            (vm) =>
              vm.data.securityGroupIds.includes(id) && statusAt(vm.data.history, now).status !== 'Terminated',
          )
          .map((vm) => vm.id);
        if (dependents.length > 0)
          throw this.errors.dependency(
            'deleteSecurityGroup',
            record.data.region,
            `security group ${id}`,
            dependents,
          );
        await tx.delete(this.namespace, KIND['security-group'], id);
      });
    });
  }

  // ------------------------------------------------------------------------------------------
  // Key pair
  // ------------------------------------------------------------------------------------------

  async createKeyPair(request: unknown): Promise<KeyPairCreated> {
    const input = parseRequest(CreateKeyPairRequestSchema, request, {
      provider: this.provider,
      operation: 'createKeyPair',
    });
    return this.call('createKeyPair', input.region, async () => {
      this.requireRegion('createKeyPair', input.region);
      return this.store.transaction(async (tx) => {
        const existing = await this.findByIdempotencyKey<Stored<KeyPair>>(
          tx,
          'key-pair',
          input,
          'createKeyPair',
        );
        // A retried generate cannot hand out the private key again: the first answer was the only copy.
        if (existing) return this.strip(existing);
        const sameName = await tx.count({
          namespace: this.namespace,
          kind: KIND['key-pair'],
          where: { provider: this.provider, region: input.region, name: input.name },
        });
        if (sameName > 0) throw this.errors.duplicate('createKeyPair', input.region, 'key pair', input.name);
        const generated = input.publicKey === undefined ? generateEd25519KeyPair(input.name) : undefined;
        const publicKey = input.publicKey ?? (generated as { publicKey: string }).publicKey;
        const { id, cspId } = this.newId('key-pair', input.region);
        const keyPair: Stored<KeyPair> = {
          id,
          cspId,
          provider: this.provider,
          region: input.region,
          name: input.name,
          tags: { ...input.tags },
          createdAt: this.nowIso(),
          publicKey,
          fingerprint: fingerprintOf(publicKey),
          ...this.idempotencyFields(input),
        };
        await tx.insert(this.namespace, KIND['key-pair'], id, keyPair);
        return { ...this.strip(keyPair), ...(generated ? { privateKey: generated.privateKey } : {}) };
      });
    });
  }

  getKeyPair(id: string): Promise<KeyPair> {
    return this.getResource('getKeyPair', 'key-pair', 'key pair', id);
  }

  listKeyPairs(filter: unknown = {}): Promise<KeyPair[]> {
    return this.listResources('listKeyPairs', 'key-pair', filter);
  }

  async deleteKeyPair(id: string): Promise<void> {
    // Clouds let a key pair be deleted while VMs use it: the key is already on their disks.
    await this.call('deleteKeyPair', parseResourceId(id)?.region, async () => {
      await this.store.delete(this.namespace, KIND['key-pair'], id);
    });
  }

  // ------------------------------------------------------------------------------------------
  // VM
  // ------------------------------------------------------------------------------------------

  private quotaLimits(region: string): { vcpu: number; gpu: number } {
    let vcpu = this.config.quotas.vcpuPerRegion;
    let gpu = this.config.quotas.gpuPerRegion;
    for (const override of this.config.quotas.overrides) {
      if (override.provider !== undefined && override.provider !== this.provider) continue;
      if (override.region !== undefined && override.region !== region) continue;
      if (override.vcpu !== undefined) vcpu = override.vcpu;
      if (override.gpu !== undefined) gpu = override.gpu;
    }
    return { vcpu, gpu };
  }

  /** VMs of one spec a zone can hold at once; the most specific override wins. */
  private capacityUnits(region: string, zone: string, spec: Spec): number {
    let best: { score: number; units: number } = {
      score: -1,
      units: spec.gpu ? this.config.capacity.gpuPerZoneSpec : this.config.capacity.cpuPerZoneSpec,
    };
    for (const override of this.config.capacity.overrides) {
      if (override.provider !== undefined && override.provider !== this.provider) continue;
      if (override.region !== undefined && override.region !== region) continue;
      if (override.zone !== undefined && override.zone !== zone) continue;
      if (override.spec !== undefined && override.spec !== spec.name) continue;
      const score =
        (override.provider ? 1 : 0) +
        (override.region ? 2 : 0) +
        (override.zone ? 4 : 0) +
        (override.spec ? 8 : 0);
      if (score >= best.score) best = { score, units: override.units };
    }
    return best.units;
  }

  /** Throws QuotaError or CapacityError if `spec` cannot start in `zone` now. */
  private checkRoom(
    operation: string,
    region: string,
    zone: string,
    spec: Spec,
    vms: readonly StoredVm[],
    now: number,
  ): void {
    const holding = vms.filter((vm) => holdsCapacity(statusAt(vm.history, now).status));
    const limits = this.quotaLimits(region);
    const usedVcpu = holding.reduce((sum, vm) => sum + vm.vcpu, 0);
    if (usedVcpu + spec.vcpu > limits.vcpu)
      throw this.errors.quota(operation, region, 'vCPU', limits.vcpu, usedVcpu, spec.vcpu);
    const gpus = spec.gpu?.count ?? 0;
    if (gpus > 0) {
      const usedGpu = holding.reduce((sum, vm) => sum + vm.gpuCount, 0);
      if (usedGpu + gpus > limits.gpu)
        throw this.errors.quota(operation, region, 'GPU', limits.gpu, usedGpu, gpus);
    }
    const inZone = holding.filter((vm) => vm.zone === zone && vm.specName === spec.name).length;
    if (inZone + 1 > this.capacityUnits(region, zone, spec))
      throw this.errors.capacity(operation, region, zone, spec.name);
  }

  private validateVmRequest(input: ReturnType<typeof CreateVmRequestSchema.parse>): {
    spec: Spec;
    image: Image;
  } {
    this.requireRegion('createVm', input.region);
    const specRef = parseResourceId(input.specId);
    const spec = this.world.specsById.get(input.specId);
    if (!spec) {
      const elsewhere = specRef?.region !== input.region && specRef !== undefined;
      throw this.errors.invalid(
        'createVm',
        input.region,
        elsewhere
          ? `spec ${input.specId} is in region ${specRef.region}, not ${input.region}; pick a spec id of ${input.region}`
          : `spec ${input.specId} is not offered by ${this.provider} in ${input.region}; search specs with listSpecs`,
        ['specId'],
      );
    }
    if (spec.region !== input.region) {
      throw this.errors.invalid(
        'createVm',
        input.region,
        `spec ${input.specId} is in region ${spec.region}, not ${input.region}; pick a spec id of ${input.region}`,
        ['specId'],
      );
    }
    const image = this.world.imagesById.get(input.imageId);
    if (!image || image.region !== input.region) {
      throw new NotFoundError(
        'image',
        input.imageId,
        { provider: this.provider, region: input.region, operation: 'createVm' },
        `images are regional; list images of ${input.region} with listImages`,
      );
    }
    if (image.arch !== spec.arch) {
      throw this.errors.invalid(
        'createVm',
        input.region,
        `image ${image.name} is ${image.arch} but spec ${spec.name} is ${spec.arch}; choose an ${spec.arch} image`,
        ['imageId'],
      );
    }
    if (input.spot && !this.capabilities.spot.supported) {
      throw this.errors.invalid(
        'createVm',
        input.region,
        `spot VMs are not available on ${this.provider}: ${this.capabilities.spot.reason ?? ''}`,
        ['spot'],
      );
    }
    const minimum = this.capabilities.rootDisk.minGiB;
    const maximum = this.capabilities.rootDisk.maxGiB;
    if (input.rootDiskGiB !== undefined && (input.rootDiskGiB < minimum || input.rootDiskGiB > maximum)) {
      throw this.errors.invalid(
        'createVm',
        input.region,
        `root disk must be ${minimum}-${maximum} GiB on ${this.provider}`,
        ['rootDiskGiB'],
      );
    }
    return { spec, image };
  }

  async createVm(request: unknown): Promise<Vm> {
    const input = parseRequest(CreateVmRequestSchema, request, {
      provider: this.provider,
      operation: 'createVm',
    });
    return this.call('createVm', input.region, async () => {
      const { spec, image } = this.validateVmRequest(input);
      const subnet = await this.getRecord<StoredSubnet>('subnet', 'subnet', input.subnetId, 'createVm');
      if (subnet.region !== input.region) {
        throw this.errors.invalid(
          'createVm',
          input.region,
          `subnet ${subnet.id} is in ${subnet.region}, not ${input.region}`,
          ['subnetId'],
        );
      }
      for (const groupId of input.securityGroupIds) {
        const group = await this.getRecord<SecurityGroup>(
          'security-group',
          'security group',
          groupId,
          'createVm',
        );
        if (group.vNetId !== subnet.vNetId) {
          throw this.errors.invalid(
            'createVm',
            input.region,
            `security group ${groupId} belongs to ${group.vNetId}, not the subnet's vNet ${subnet.vNetId}`,
            ['securityGroupIds'],
          );
        }
      }
      const keyPair = await this.getRecord<KeyPair>('key-pair', 'key pair', input.keyPairId, 'createVm');
      if (keyPair.region !== input.region) {
        throw this.errors.invalid(
          'createVm',
          input.region,
          `key pair ${keyPair.id} is in ${keyPair.region}, not ${input.region}`,
          ['keyPairId'],
        );
      }
      const zones = this.world.zoneCodes(input.region);
      const offered = (zone: string) => spec.zones === undefined || spec.zones.includes(zone);
      if (
        input.zone !== undefined &&
        !zones.includes(input.zone) &&
        !(zones.length === 0 && input.zone === input.region)
      ) {
        throw this.errors.invalid(
          'createVm',
          input.region,
          `zone "${input.zone}" is not in ${input.region}; zones there: ${zones.join(', ')}`,
          ['zone'],
        );
      }
      if (subnet.zone !== null && input.zone !== undefined && input.zone !== subnet.zone) {
        throw this.errors.invalid(
          'createVm',
          input.region,
          `subnet ${subnet.id} is in zone ${subnet.zone}, not ${input.zone}`,
          ['zone'],
        );
      }
      const fixedZone = subnet.zone ?? input.zone;
      if (fixedZone !== undefined && !offered(fixedZone)) {
        throw this.errors.invalid(
          'createVm',
          input.region,
          `spec ${spec.name} is not offered in zone ${fixedZone}; it is offered in ${spec.zones?.join(', ')}`,
          ['zone'],
        );
      }
      // Without a fixed zone the sim places the VM like a cloud scheduler: the first zone with room.
      const candidates =
        fixedZone !== undefined ? [fixedZone] : zones.length > 0 ? zones.filter(offered) : [input.region];

      // `ignoreZoneFaults` lets an "applied" timeout replay the change without firing again.
      const work = async (ignoreZoneFaults: boolean): Promise<Vm> => {
        const now = this.clock();
        let failure: FaultRule | undefined;
        let failureZone: string | undefined;
        const created = await this.store.transaction(async (tx): Promise<StoredVm | undefined> => {
          const existing = await this.findByIdempotencyKey<StoredVm>(tx, 'vm', input, 'createVm');
          if (existing) return existing;
          const inRegion = (
            await tx.list<StoredVm>({
              namespace: this.namespace,
              kind: KIND.vm,
              where: { provider: this.provider, region: input.region },
            })
          ).map((record) => record.data);
          if (
            this.profile.uniqueNames &&
            inRegion.some((vm) => vm.name === input.name && statusAt(vm.history, now).status !== 'Terminated')
          ) {
            throw this.errors.duplicate('createVm', input.region, 'VM', input.name);
          }
          let zone: string | undefined;
          let lastError: unknown;
          for (const candidate of candidates) {
            try {
              this.checkRoom('createVm', input.region, candidate, spec, inRegion, now);
            } catch (error) {
              lastError = error;
              continue;
            }
            const zoneCall = {
              provider: this.provider,
              operation: 'createVm' as const,
              region: input.region,
              zone: candidate,
            };
            const fault = ignoreZoneFaults
              ? undefined
              : await this.nextFault(zoneCall, tx, (rule) => rule.zone !== undefined);
            // A zone outage sends the scheduler on to the next zone, as a cloud placing a VM would.
            if (fault?.kind === 'capacity') {
              lastError = this.errors.capacity(
                'createVm',
                input.region,
                candidate,
                spec.name,
                fault.message ?? 'zone outage',
              );
              continue;
            }
            if (fault) {
              failure = fault;
              failureZone = candidate;
              return undefined;
            }
            zone = candidate;
            break;
          }
          if (zone === undefined) throw lastError;
          const bootCall = {
            provider: this.provider,
            operation: 'boot' as const,
            region: input.region,
            zone,
          };
          const bootFault = await this.nextFault(bootCall, tx);
          const freshSubnet = await tx.get<StoredSubnet>(this.namespace, KIND.subnet, subnet.id);
          if (!freshSubnet)
            throw new NotFoundError('subnet', subnet.id, { provider: this.provider, operation: 'createVm' });
          const subnetCidr = parseCidr(freshSubnet.data.cidrBlock);
          const host = freshSubnet.data.nextHost;
          if (!subnetCidr || host >= cidrSize(subnetCidr) - 1) {
            throw this.errors.invalid(
              'createVm',
              input.region,
              `subnet ${subnet.id} has no free addresses left; use a larger subnet`,
              ['subnetId'],
            );
          }
          await tx.update(
            this.namespace,
            KIND.subnet,
            subnet.id,
            { ...freshSubnet.data, nextHost: host + 1 },
            freshSubnet.revision,
          );
          const counter = await tx.get<{ next: number }>(this.namespace, KIND.counter, 'public-ip');
          const publicIndex = counter?.data.next ?? 1;
          await tx.put(this.namespace, KIND.counter, 'public-ip', { next: publicIndex + 1 });
          const bootAt = now + Math.max(1, this.scaled(this.profile.latency.bootSeconds * 1000));
          const history: StatusEntry[] = [
            { status: 'Creating', at: now },
            bootFault
              ? {
                  status: 'Failed',
                  at: bootAt,
                  reason: bootFault.message ?? 'the VM failed its status checks at boot',
                }
              : { status: 'Running', at: bootAt },
          ];
          const { id, cspId } = this.newId('vm', input.region);
          const vm: StoredVm = {
            id,
            cspId,
            provider: this.provider,
            region: input.region,
            zone,
            name: input.name,
            specId: spec.id,
            specName: spec.name,
            imageId: image.id,
            vNetId: subnet.vNetId,
            subnetId: subnet.id,
            securityGroupIds: input.securityGroupIds,
            keyPairId: keyPair.id,
            tags: { ...input.tags },
            createdAt: new Date(now).toISOString(),
            privateIp: formatAddress(subnetCidr.base + host),
            publicIp: formatAddress(SIM_PUBLIC_RANGE.base + (publicIndex % cidrSize(SIM_PUBLIC_RANGE))),
            sshPort: 22,
            username: usernameFor(image, this.capabilities.defaultUsername),
            rootDiskGiB:
              input.rootDiskGiB ??
              Math.max(this.profile.defaultRootDiskGiB, this.capabilities.rootDisk.minGiB),
            spot: input.spot,
            vcpu: spec.vcpu,
            gpuCount: spec.gpu?.count ?? 0,
            pricePerHour: (input.spot ? spec.spotPricePerHour : null) ?? spec.pricePerHour ?? 0,
            currency: spec.currency,
            diskPricePerGiBMonth: this.profile.diskPricePerGiBMonth,
            history,
            ...this.idempotencyFields(input),
          };
          await tx.insert(this.namespace, KIND.vm, id, vm);
          return vm;
        });
        if (failure)
          return this.raiseFault(failure, 'createVm', input.region, () => work(true), failureZone, spec.name);
        return toVm(created as StoredVm, this.clock());
      };
      return work(false);
    });
  }

  async getVm(id: string): Promise<Vm> {
    return this.call('getVm', parseResourceId(id)?.region, async () =>
      toVm(await this.getRecord<StoredVm>('vm', 'VM', id, 'getVm'), this.clock()),
    );
  }

  async listVms(filter: VmFilter = {}): Promise<Vm[]> {
    const parsed = parseRequest(VmFilterSchema, filter, { provider: this.provider, operation: 'listVms' });
    return this.call('listVms', parsed.region, async () => {
      const now = this.clock();
      return (await this.listKind<StoredVm>('vm', parsed))
        .map((vm) => toVm(vm, now))
        .filter((vm) => {
          const showTerminated = parsed.includeTerminated || parsed.statuses?.includes('Terminated') === true;
          return (
            (showTerminated || vm.status !== 'Terminated') &&
            (!parsed.statuses || parsed.statuses.includes(vm.status))
          );
        });
    });
  }

  private async act(
    operation: 'suspendVm' | 'resumeVm' | 'rebootVm' | 'terminateVm',
    action: VmAction,
    id: string,
  ): Promise<Vm> {
    return this.call(operation, parseResourceId(id)?.region, async () => {
      await this.getRecord<StoredVm>('vm', 'VM', id, operation);
      if (action === 'suspend' && !this.capabilities.suspend.supported) {
        throw this.errors.invalid(
          operation,
          undefined,
          `${this.provider} cannot suspend VMs: ${this.capabilities.suspend.reason ?? ''}`,
        );
      }
      const latency = this.profile.latency;
      const updated = await this.store.transaction(async (tx) => {
        const record = await tx.get<StoredVm>(this.namespace, KIND.vm, id);
        if (!record) throw new NotFoundError('VM', id, { provider: this.provider, operation });
        const vm = record.data;
        const now = this.clock();
        const result = applyAction(vm.history, action, now, {
          suspendMs: this.scaled(latency.suspendSeconds * 1000),
          resumeMs: this.scaled(latency.resumeSeconds * 1000),
          rebootMs: this.scaled(latency.rebootSeconds * 1000),
          terminateMs: this.scaled(latency.terminateSeconds * 1000),
        });
        if (result.kind === 'no-op') return vm;
        if (result.kind === 'refused') {
          const wanted = {
            suspend: 'Running',
            resume: 'Suspended',
            reboot: 'Running',
            terminate: 'not Terminated',
          }[action];
          if (
            result.status === 'Terminated' ||
            result.status === 'Terminating' ||
            result.status === 'Failed'
          ) {
            throw this.errors.invalid(
              operation,
              vm.region,
              `VM ${id} is ${result.status}; it cannot be ${action}d. Create a new VM instead.`,
            );
          }
          throw this.errors.incorrectState(operation, vm.region, id, result.status, wanted);
        }
        if (action === 'resume') {
          // A stopped VM gave its host back: starting it again needs room, as on real clouds.
          const spec = this.world.specsById.get(vm.specId);
          if (spec) {
            const others = (
              await tx.list<StoredVm>({
                namespace: this.namespace,
                kind: KIND.vm,
                where: { provider: this.provider, region: vm.region },
              })
            )
              .map((item) => item.data)
              .filter((item) => item.id !== vm.id);
            this.checkRoom(operation, vm.region, vm.zone, spec, others, now);
          }
        }
        const next: StoredVm = { ...vm, history: result.history };
        await tx.update(this.namespace, KIND.vm, id, next, record.revision);
        return next;
      });
      return toVm(updated, this.clock());
    });
  }

  suspendVm(id: string): Promise<Vm> {
    return this.act('suspendVm', 'suspend', id);
  }

  resumeVm(id: string): Promise<Vm> {
    return this.act('resumeVm', 'resume', id);
  }

  rebootVm(id: string): Promise<Vm> {
    return this.act('rebootVm', 'reboot', id);
  }

  terminateVm(id: string): Promise<Vm> {
    return this.act('terminateVm', 'terminate', id);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  // ------------------------------------------------------------------------------------------
  // Administration of the emulator: faults, billing, reset. Not part of the driver contract.
  // ------------------------------------------------------------------------------------------

  /** Adds a fault rule shared by every process on this sim account. Returns its id. */
  async injectFault(rule: FaultRuleInput): Promise<string> {
    const parsed = FaultRuleSchema.parse({ provider: this.provider, ...rule });
    const id =
      parsed.id ?? `fault-${this.clock().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
    await this.store.put<StoredFault>(this.namespace, KIND.fault, id, { rule: { ...parsed, id }, fired: 0 });
    return id;
  }

  async removeFault(id: string): Promise<boolean> {
    return this.store.delete(this.namespace, KIND.fault, id);
  }

  async listFaults(): Promise<FaultRule[]> {
    const records = await this.store.list<StoredFault>({ namespace: this.namespace, kind: KIND.fault });
    return records
      .map((record) => record.data.rule)
      .filter((rule) => rule.provider === undefined || rule.provider === this.provider);
  }

  /** Removes the stored fault rules of this provider (configured rules stay). */
  async clearFaults(): Promise<number> {
    const rules = await this.listFaults();
    let removed = 0;
    for (const rule of rules) if (rule.id && (await this.removeFault(rule.id))) removed++;
    return removed;
  }

  /**
   * The billing meter: money accrued per VM from its spec price and the time it spent running
   * (compute), plus its root disk for as long as it existed (storage), up to `at`.
   */
  async billing(filter: { tags?: Tags; at?: number } = {}): Promise<BillingReport> {
    const at = filter.at ?? this.clock();
    const records = await this.store.list<StoredVm>({
      namespace: this.namespace,
      kind: KIND.vm,
      where: { provider: this.provider },
    });
    const lines: BillingLine[] = [];
    const totals: Record<string, number> = {};
    for (const { data: vm } of records) {
      if (!tagsMatch(vm.tags, filter.tags)) continue;
      const start = vm.history[0]?.at ?? at;
      const computeHours = timeIn(vm.history, billedForCompute, start, at) / MS_PER_HOUR;
      const existingHours =
        timeIn(vm.history, (status) => status !== 'Terminated' && status !== 'Failed', start, at) /
        MS_PER_HOUR;
      const computeCost = computeHours * vm.pricePerHour;
      const diskCost = (vm.rootDiskGiB * vm.diskPricePerGiBMonth * existingHours) / HOURS_PER_MONTH;
      const total = computeCost + diskCost;
      totals[vm.currency] = (totals[vm.currency] ?? 0) + total;
      lines.push({
        vmId: vm.id,
        name: vm.name,
        region: vm.region,
        specId: vm.specId,
        tags: vm.tags,
        status: statusAt(vm.history, at).status,
        computeHours,
        computeCost,
        diskCost,
        total,
        currency: vm.currency,
      });
    }
    return { at, lines, totals };
  }
}
