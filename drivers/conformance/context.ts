import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  type CloudDriver,
  type CreateKeyPairRequest,
  type CreateSecurityGroupRequest,
  type CreateSubnetRequest,
  type CreateVmRequest,
  type CreateVNetRequest,
  type DriverCapabilities,
  type KeyPairCreated,
  KeyPairCreatedSchema,
  type ProviderId,
  type Region,
  RegionSchema,
  type SecurityGroup,
  SecurityGroupSchema,
  type Subnet,
  SubnetSchema,
  type Tags,
  type Vm,
  VmSchema,
  type VmStatus,
  type VNet,
  VNetSchema,
} from '../spec/index.ts';
import { generateKeyPairFor } from '../spec/ssh-keys.ts';
import { waitForVmStatus } from '../spec/wait.ts';
import {
  type DriverErrorClass,
  expectDriverError,
  expectRules,
  expectTags,
  expectValid,
} from './assertions.ts';
import type { ConformanceHarness } from './harness.ts';
import { withRetry } from './retry.ts';
import { openSshFingerprint, openSshKeyBody } from './ssh-key.ts';
import { ResourceTracker } from './tracker.ts';

export interface ConformanceTiming {
  statusTimeoutMs: number;
  pollIntervalMs: number;
}

/** Time for the API calls of one test, on top of its waits for VM status changes. */
const CALL_BUDGET_MS = 60_000;

/** A vNet with one subnet, one security group allowing SSH, and one key pair: what a VM needs. */
export interface Network {
  tags: Tags;
  vNet: VNet;
  subnet: Subnet;
  securityGroup: SecurityGroup;
  keyPair: KeyPairCreated;
}

/** The network plus a Running VM, shared by the tests that only read or filter. */
export interface Fixture extends Network {
  vm: Vm;
}

/** The tag key the suite adds besides the s2a keys, to check that extra tags survive. */
export const GROUP_TAG = 'conformance-group';

/** Second extra tag, distinguishing resources within one group for the tag filter tests. */
export const ROLE_TAG = 'conformance-role';

export const SSH_RULE = {
  direction: 'inbound',
  protocol: 'tcp',
  fromPort: 22,
  toPort: 22,
  cidr: '0.0.0.0/0',
  description: 'ssh',
} as const;

export const HTTP_RULE = {
  direction: 'inbound',
  protocol: 'tcp',
  fromPort: 80,
  toPort: 80,
  cidr: '0.0.0.0/0',
  description: 'http',
} as const;

/**
 * State shared by the suite's tests: the harness, this run's names and tags, what was created
 * (for cleanup), and create helpers that check every answer against its request.
 */
export class ConformanceContext {
  /** Random per run, so runs sharing an account (or a sim store) never see each other's resources. */
  readonly runId = randomBytes(4).toString('hex');
  /** Carried by every resource of the run; cleanup lists by it to find what tracking missed. */
  readonly runTags: Tags = { 's2a:owner': `cf-${this.runId}-owner` };
  readonly tracker = new ResourceTracker();
  private current: ConformanceHarness | undefined;
  private regionsPromise: Promise<Region[]> | undefined;
  private fixturePromise: Promise<Fixture> | undefined;

  constructor(readonly timing: ConformanceTiming) {}

  attach(harness: ConformanceHarness): void {
    this.current = harness;
  }

  get attached(): boolean {
    return this.current !== undefined;
  }

  get harness(): ConformanceHarness {
    if (!this.current) throw new Error('the harness is missing: setup() failed, see the beforeAll error');
    return this.current;
  }

  get driver(): CloudDriver {
    return this.harness.driver;
  }

  get capabilities(): DriverCapabilities {
    return this.driver.capabilities;
  }

  get provider(): ProviderId {
    return this.driver.provider;
  }

  /** Options for waitForVmStatus and eventually: one status change. */
  get waitOptions(): { timeoutMs: number; pollIntervalMs: number } {
    return { timeoutMs: this.timing.statusTimeoutMs, pollIntervalMs: this.timing.pollIntervalMs };
  }

  /** A test timeout: `statusWaits` VM status changes plus API calls. */
  timeout(statusWaits: number): number {
    return statusWaits * this.timing.statusTimeoutMs + CALL_BUDGET_MS;
  }

  /** A resource name unique to this run. */
  name(part: string): string {
    return `cf-${this.runId}-${part}`;
  }

  /** The three s2a tags plus GROUP_TAG, all naming `group`, so each group of tests lists only its own. */
  tags(group: string, extra: Tags = {}): Tags {
    return {
      's2a:mci': `cf-${this.runId}-${group}`,
      's2a:op': `cf-${this.runId}-op-${group}`,
      ...this.runTags,
      [GROUP_TAG]: group,
      ...extra,
    };
  }

  regions(): Promise<Region[]> {
    this.regionsPromise ??= withRetry(() => this.driver.listRegions());
    return this.regionsPromise;
  }

  async homeRegion(): Promise<Region> {
    const region = (await this.regions()).find((candidate) => candidate.code === this.harness.region);
    if (!region) throw new Error(`listRegions() has no region "${this.harness.region}" (the harness region)`);
    return expectValid(RegionSchema, region, `region ${this.harness.region}`);
  }

  /** The zone to place VMs in: the harness zone, else the region's first zone, else none. */
  async vmZone(): Promise<string | undefined> {
    return this.harness.zone ?? (await this.homeRegion()).zones[0]?.code;
  }

  /** The zone to pass to createSubnet: only for providers whose subnets are zonal. */
  async subnetZone(): Promise<string | undefined> {
    if (this.capabilities.subnetScope !== 'zone') return undefined;
    const zone = await this.vmZone();
    if (zone === undefined) throw new Error('subnets are zonal but the harness region lists no zone');
    return zone;
  }

  /** Another region of the provider, for region filters; undefined when there is only one. */
  async otherRegion(): Promise<string | undefined> {
    return (await this.regions()).find((region) => region.code !== this.harness.region)?.code;
  }

  /** expectDriverError with this driver's provider; a VM created by mistake is tracked for cleanup. */
  expectError<Class extends DriverErrorClass>(
    what: string,
    call: () => Promise<unknown>,
    classes: readonly Class[],
  ): Promise<InstanceType<Class>> {
    return expectDriverError(what, call, classes, {
      provider: this.provider,
      onUnexpectedSuccess: (value) => this.trackUnexpected(value),
    });
  }

  /** Tracks whatever a call that should have failed created, so it does not leak. */
  private trackUnexpected(value: unknown): void {
    // Most specific shape first: a subnet also has everything a vNet has.
    const shapes = [
      ['vm', VmSchema],
      ['securityGroup', SecurityGroupSchema],
      ['subnet', SubnetSchema],
      ['keyPair', KeyPairCreatedSchema],
      ['vNet', VNetSchema],
    ] as const;
    for (const [kind, schema] of shapes) {
      const parsed = schema.safeParse(value);
      if (parsed.success) {
        this.tracker.add(kind, parsed.data.id);
        return;
      }
    }
  }

  /** Id shape and provenance shared by every created resource. */
  expectIdentity(
    resource: { id: string; cspId: string; provider: string; region: string; createdAt: string },
    what: string,
  ): void {
    expect(resource.provider, `${what}: provider`).toBe(this.provider);
    expect(resource.cspId, `${what}: cspId has no "+"`).not.toContain('+');
    expect(resource.id, `${what}: id is provider+region+cspId`).toBe(
      `${this.provider}+${resource.region}+${resource.cspId}`,
    );
    expect(Number.isNaN(Date.parse(resource.createdAt)), `${what}: createdAt is ISO 8601`).toBe(false);
  }

  async createVNet(request: CreateVNetRequest): Promise<VNet> {
    const vNet = await withRetry(() => this.driver.createVNet(request), { retryOn: 'throttled' });
    this.tracker.add('vNet', vNet.id);
    const what = `createVNet ${request.name}`;
    expectValid(VNetSchema, vNet, what);
    this.expectIdentity(vNet, what);
    // Global networks (GCP) too report the region they were created for: ids need a region.
    expect(vNet.region, `${what}: region`).toBe(request.region);
    expect(vNet.name, `${what}: name`).toBe(request.name);
    expect(vNet.cidrBlock, `${what}: cidrBlock`).toBe(request.cidrBlock);
    expectTags(vNet.tags, request.tags, what);
    return vNet;
  }

  async createSubnet(request: CreateSubnetRequest, vNet: VNet): Promise<Subnet> {
    const subnet = await withRetry(() => this.driver.createSubnet(request), { retryOn: 'throttled' });
    this.tracker.add('subnet', subnet.id);
    const what = `createSubnet ${request.name}`;
    expectValid(SubnetSchema, subnet, what);
    this.expectIdentity(subnet, what);
    expect(subnet.region, `${what}: region`).toBe(vNet.region);
    expect(subnet.vNetId, `${what}: vNetId`).toBe(vNet.id);
    expect(subnet.name, `${what}: name`).toBe(request.name);
    expect(subnet.cidrBlock, `${what}: cidrBlock`).toBe(request.cidrBlock);
    expect(subnet.zone, `${what}: zone (null for regional subnets)`).toBe(request.zone ?? null);
    expectTags(subnet.tags, request.tags, what);
    return subnet;
  }

  async createSecurityGroup(request: CreateSecurityGroupRequest, vNet: VNet): Promise<SecurityGroup> {
    const group = await withRetry(() => this.driver.createSecurityGroup(request), { retryOn: 'throttled' });
    this.tracker.add('securityGroup', group.id);
    const what = `createSecurityGroup ${request.name}`;
    expectValid(SecurityGroupSchema, group, what);
    this.expectIdentity(group, what);
    expect(group.region, `${what}: region`).toBe(vNet.region);
    expect(group.vNetId, `${what}: vNetId`).toBe(vNet.id);
    expect(group.name, `${what}: name`).toBe(request.name);
    expect(group.description, `${what}: description`).toBe(request.description ?? '');
    expectRules(group.rules, request.rules, what);
    expectTags(group.tags, request.tags, what);
    return group;
  }

  async createKeyPair(request: CreateKeyPairRequest): Promise<KeyPairCreated> {
    const keyPair = await withRetry(() => this.driver.createKeyPair(request), { retryOn: 'throttled' });
    this.tracker.add('keyPair', keyPair.id);
    const what = `createKeyPair ${request.name}`;
    expectValid(KeyPairCreatedSchema, keyPair, what);
    this.expectIdentity(keyPair, what);
    expect(keyPair.region, `${what}: region`).toBe(request.region);
    expect(keyPair.name, `${what}: name`).toBe(request.name);
    expect(keyPair.publicKey, `${what}: publicKey is OpenSSH`).toMatch(
      /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) [A-Za-z0-9+/=]+( .*)?$/,
    );
    expect(keyPair.fingerprint, `${what}: fingerprint as ssh-keygen -l prints it`).toBe(
      openSshFingerprint(keyPair.publicKey),
    );
    if (request.publicKey === undefined) {
      expect(keyPair.privateKey, `${what}: generated private key, returned once`).toMatch(/PRIVATE KEY/);
    } else {
      expect(openSshKeyBody(keyPair.publicKey), `${what}: imported public key`).toBe(
        openSshKeyBody(request.publicKey),
      );
      expect(keyPair.privateKey, `${what}: no private key for an imported pair`).toBeUndefined();
    }
    expectTags(keyPair.tags, request.tags, what);
    return keyPair;
  }

  /** A key pair request the driver supports: import when it can, else generation. */
  vmKeyPairRequest(name: string, tags: Tags): CreateKeyPairRequest {
    const request: CreateKeyPairRequest = { region: this.harness.region, name, tags };
    if (this.capabilities.keyPairImport.supported) {
      request.publicKey = generateKeyPairFor(this.capabilities.sshKeyTypes, `${name}@conformance`).publicKey;
    }
    return request;
  }

  async createVm(request: CreateVmRequest, vNetId: string): Promise<Vm> {
    const vm = await withRetry(() => this.driver.createVm(request), { retryOn: 'throttled' });
    this.tracker.add('vm', vm.id);
    const what = `createVm ${request.name}`;
    expectValid(VmSchema, vm, what);
    this.expectVmMatchesRequest(vm, request, vNetId, what);
    expect(['Creating', 'Running'], `${what}: status right after creation`).toContain(vm.status);
    return vm;
  }

  /** What a VM must keep reporting from its creation request, whatever its status. */
  expectVmMatchesRequest(vm: Vm, request: CreateVmRequest, vNetId: string, what: string): void {
    this.expectIdentity(vm, what);
    expect(vm.region, `${what}: region`).toBe(request.region);
    expect(vm.name, `${what}: name`).toBe(request.name);
    expect(vm.specId, `${what}: specId`).toBe(request.specId);
    expect(vm.imageId, `${what}: imageId`).toBe(request.imageId);
    expect(vm.subnetId, `${what}: subnetId`).toBe(request.subnetId);
    expect(vm.vNetId, `${what}: vNetId`).toBe(vNetId);
    expect([...vm.securityGroupIds].sort(), `${what}: securityGroupIds`).toEqual(
      [...request.securityGroupIds].sort(),
    );
    expect(vm.keyPairId, `${what}: keyPairId`).toBe(request.keyPairId);
    if (request.zone !== undefined) expect(vm.zone, `${what}: zone`).toBe(request.zone);
    if (request.rootDiskGiB !== undefined)
      expect(vm.rootDiskGiB, `${what}: rootDiskGiB`).toBe(request.rootDiskGiB);
    expect(vm.spot, `${what}: spot`).toBe(request.spot ?? false);
    expectTags(vm.tags, request.tags, what);
  }

  async waitForVm(vmId: string, statuses: readonly VmStatus[]): Promise<Vm> {
    const vm = await waitForVmStatus(this.driver, vmId, statuses, this.waitOptions);
    return expectValid(VmSchema, vm, `getVm ${vmId} (${vm.status})`);
  }

  /** Creates a vNet `cidrPrefix`.0.0/16 with subnet .1.0/24, an SSH-only security group and a key pair. */
  async createNetwork(group: string, cidrPrefix: string, tags: Tags = this.tags(group)): Promise<Network> {
    const vNet = await this.createVNet({
      region: this.harness.region,
      name: this.name(`${group}-vnet`),
      cidrBlock: `${cidrPrefix}.0.0/16`,
      tags,
    });
    const zone = await this.subnetZone();
    const subnet = await this.createSubnet(
      {
        vNetId: vNet.id,
        name: this.name(`${group}-subnet`),
        cidrBlock: `${cidrPrefix}.1.0/24`,
        ...(zone === undefined ? {} : { zone }),
        tags,
      },
      vNet,
    );
    const securityGroup = await this.createSecurityGroup(
      {
        vNetId: vNet.id,
        name: this.name(`${group}-sg`),
        description: 'conformance: SSH only',
        rules: [SSH_RULE],
        tags,
      },
      vNet,
    );
    const keyPair = await this.createKeyPair(this.vmKeyPairRequest(this.name(`${group}-key`), tags));
    return { tags, vNet, subnet, securityGroup, keyPair };
  }

  /** A valid createVm request in `network`, with the harness spec and image. */
  vmRequest(network: Network, name: string, tags: Tags = network.tags): CreateVmRequest {
    const zone = network.subnet.zone ?? this.harness.zone;
    return {
      region: this.harness.region,
      ...(zone === undefined || zone === null ? {} : { zone }),
      name,
      specId: this.harness.specId,
      imageId: this.harness.imageId,
      subnetId: network.subnet.id,
      securityGroupIds: [network.securityGroup.id],
      keyPairId: network.keyPair.id,
      tags,
    };
  }

  /** Network and Running VM shared by read-only tests; built once, on first use. */
  fixture(): Promise<Fixture> {
    this.fixturePromise ??= (async () => {
      const network = await this.createNetwork(
        'fixture',
        '10.20',
        this.tags('fixture', { [ROLE_TAG]: 'main' }),
      );
      const created = await this.createVm(this.vmRequest(network, this.name('fixture-vm')), network.vNet.id);
      const vm = await this.waitForVm(created.id, ['Running']);
      return { ...network, vm };
    })();
    return this.fixturePromise;
  }
}
