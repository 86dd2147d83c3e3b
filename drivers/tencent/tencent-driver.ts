// The Tencent Cloud driver: the CloudDriver contract on CVM (tencentcloud-sdk-nodejs-cvm) and VPC
// (the common package's generic client: no VPC package is published to the registry used here;
// the CVM client defaults to cvm.tencentcloudapi.com).
// Both SDK packages are loaded on first use.
import type {
  Image as CvmImage,
  Instance,
  InstanceTypeQuotaItem,
} from 'tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js';
import type { Repository } from '../../store/types.ts';
import {
  deleteIfOwn,
  earlierCreate,
  findSpec,
  idempotencyMismatch,
  ignoreNotFound,
  LoadCache,
  parseOwnId,
  type ResourceHint,
  regionsToSearch,
  requireImageRunsOn,
  requireKnownRegion,
  requireSubnetInsideVNet,
  requireSubnetZone,
  sameKeyPairRequest,
  sameSecurityGroupRequest,
  sameSubnetRequest,
  sameVNetRequest,
  specForCreate,
  vmStatusFilter,
} from '../spec/driver-kit/index.ts';
import {
  type CloudDriver,
  type CreateKeyPairRequest,
  CreateKeyPairRequestSchema,
  type CreateSecurityGroupRequest,
  CreateSecurityGroupRequestSchema,
  type CreateSubnetRequest,
  CreateSubnetRequestSchema,
  type CreateVmRequest,
  CreateVmRequestSchema,
  type CreateVNetRequest,
  CreateVNetRequestSchema,
  type DriverCapabilities,
  type DriverOperation,
  type ErrorContext,
  type Image,
  type ImageQuery,
  ImageQuerySchema,
  InvalidRequestError,
  type KeyPair,
  type KeyPairCreated,
  NotFoundError,
  type ParsedResourceId,
  ProviderError,
  parseRequest,
  parseResourceId,
  type Region,
  type ResourceFilter,
  ResourceFilterSchema,
  resourceId,
  type SecurityGroup,
  type SecurityRule,
  SecurityRuleSchema,
  type Spec,
  type SpecQuery,
  SpecQuerySchema,
  type Subnet,
  type Vm,
  type VmFilter,
  VmFilterSchema,
  type VmStatus,
  type VNet,
} from '../spec/index.ts';
import { VmTombstones } from '../spec/resource-ledger.ts';
import { generateRsaKeyPair } from '../spec/ssh-keys.ts';
import { loginUserFor, toImage, toRegion, toSpecs } from './convert-catalog.ts';
import {
  ALLOW_ALL_EGRESS,
  createTags,
  keyName,
  networkName,
  placeholderDescription,
  ruleToPolicy,
  type SecurityGroupPolicy,
  type SecurityGroupPolicySet,
  type TencentSecurityGroup,
  type TencentSubnet,
  type TencentVpc,
  tagFilters,
  toKeyPair,
  toSecurityGroup,
  toSubnet,
  toVNet,
  VNET_TAG,
} from './convert-network.ts';
import { toVm, toVmStatus } from './convert-vm.ts';
import {
  DEFAULT_BANDWIDTH_MBPS,
  DEFAULT_ROOT_DISK_GIB,
  TENCENT_CAPABILITIES,
} from './tencent-capabilities.ts';
import {
  httpProfileOf,
  type ResolvedCredentials,
  resolveTencentCredentials,
  type TencentConnection,
  type TencentConnectionInput,
  TencentConnectionSchema,
} from './tencent-config.ts';
import { mapTencentError, tencentErrorCode } from './tencent-errors.ts';

type CvmModule = typeof import('tencentcloud-sdk-nodejs-cvm');
type CommonModule = typeof import('tencentcloud-sdk-nodejs-common');
type CvmClient = InstanceType<CvmModule['cvm']['v20170312']['Client']>;
type CommonClient = InstanceType<CommonModule['CommonClient']>;
type ResourceKind = 'vNet' | 'subnet' | 'securityGroup' | 'keyPair' | 'vm' | 'spec' | 'image';
type Filter = { Name: string; Values: string[] };

const API_VERSION = '2017-03-12';
const VPC_ENDPOINT = 'vpc.tencentcloudapi.com';
/** Page size of Describe* calls: Tencent's maximum. */
const PAGE_SIZE = 100;
/** System disks Tencent sells for Linux: 20 GiB to 1 TiB. */
const ROOT_DISK_RANGE = { min: 20, max: 1024 };
/** DescribeZones calls in flight while listing regions. */
const ZONE_LOOKUPS_AT_ONCE = 5;
/** RunInstances' UserData limit, in base64 bytes. */
const MAX_USER_DATA_BYTES = 16 * 1024;

interface Clients {
  cvm: CvmClient;
  vpc: CommonClient;
}

export interface TencentDriverOptions extends Omit<TencentConnectionInput, 'driver'> {
  /** Environment for TENCENTCLOUD_* (tests pass their own). */
  environment?: Record<string, string | undefined>;
  /** Home folder where ~/.tencentcloud/credentials is looked for (tests pass a temp dir). */
  home?: string;
  /** The runtime's store: tombstones of terminated VMs survive restarts there. */
  store?: Repository;
  clock?: () => number;
}

/** A policy as ModifySecurityGroupPolicies takes it back: only the rule, not the server's index, times or templates. */
function resubmittable(policy: SecurityGroupPolicy): SecurityGroupPolicy {
  return {
    ...(policy.Protocol ? { Protocol: policy.Protocol } : {}),
    // Describe shows "ALL" ports for every protocol; the API takes Port for TCP and UDP only.
    ...(policy.Port && /^(TCP|UDP)$/i.test(policy.Protocol ?? '') ? { Port: policy.Port } : {}),
    ...(policy.CidrBlock ? { CidrBlock: policy.CidrBlock } : {}),
    ...(policy.Ipv6CidrBlock ? { Ipv6CidrBlock: policy.Ipv6CidrBlock } : {}),
    ...(policy.Action ? { Action: policy.Action } : {}),
    ...(policy.PolicyDescription ? { PolicyDescription: policy.PolicyDescription } : {}),
  };
}

export class TencentDriver implements CloudDriver {
  readonly provider = 'tencent' as const;
  readonly capabilities: DriverCapabilities = TENCENT_CAPABILITIES;

  private readonly settings: TencentConnection;
  private readonly environment: Record<string, string | undefined>;
  private readonly home: string | undefined;
  private readonly homeRegion: string;
  private readonly listRegionsDefault: string[];
  private readonly clients = new Map<string, Clients>();
  private readonly specCache = new LoadCache<Spec[]>();
  private readonly regionsCache = new LoadCache<Region[]>();
  /** Last status seen per VM and since when: CVM keeps no time of the last state change. */
  private readonly statusSeen = new Map<string, { status: VmStatus; since: string }>();
  /** VMs this driver terminated: CVM forgets a terminated instance within seconds, the contract does not. */
  private readonly tombstones: VmTombstones;
  private readonly clock: () => number;
  private sdkLoading: Promise<{ cvm: CvmModule; common: CommonModule }> | undefined;
  private credentials: ResolvedCredentials | undefined;
  private closed = false;

  constructor(options: TencentDriverOptions = {}) {
    const { environment = process.env, home, store, clock, ...connection } = options;
    this.settings = TencentConnectionSchema.parse({ ...connection, driver: 'tencent' });
    this.environment = environment;
    this.home = home;
    this.homeRegion = this.settings.region ?? environment.TENCENTCLOUD_REGION ?? 'ap-seoul';
    this.listRegionsDefault = this.settings.regions ?? [this.homeRegion];
    this.tombstones = new VmTombstones('tencent', store);
    this.clock = clock ?? Date.now;
  }

  // -------------------------------------------------------------------------------------------
  // Plumbing: lazy SDK, credentials, one CVM and one VPC client per region, error mapping.
  // -------------------------------------------------------------------------------------------

  private sdk(): Promise<{ cvm: CvmModule; common: CommonModule }> {
    this.sdkLoading ??= Promise.all([
      import('tencentcloud-sdk-nodejs-cvm'),
      import('tencentcloud-sdk-nodejs-common'),
    ]).then(([cvm, common]) => ({ cvm, common }));
    return this.sdkLoading;
  }

  /** Resolved on first use, so a connection without credentials fails with AuthError per call, not at startup. */
  private resolvedCredentials(): ResolvedCredentials {
    this.credentials ??= resolveTencentCredentials(this.settings, this.environment, this.home);
    return this.credentials;
  }

  private async clientsFor(region: string): Promise<Clients> {
    if (this.closed) throw new Error('the Tencent Cloud driver is closed');
    const { secretId, secretKey, token } = this.resolvedCredentials();
    const { cvm, common } = await this.sdk();
    let clients = this.clients.get(region);
    if (!clients) {
      const credential = { secretId, secretKey, ...(token ? { token } : {}) };
      const profile = (url: string | undefined) => ({
        // English messages: they end up in errors a person (or a model) reads.
        language: 'en-US' as const,
        httpProfile: { reqTimeout: this.settings.requestTimeoutSeconds, ...httpProfileOf(url) },
      });
      clients = {
        cvm: new cvm.cvm.v20170312.Client({
          credential,
          region,
          profile: profile(this.settings.endpoints?.cvm),
        }),
        vpc: new common.CommonClient(VPC_ENDPOINT, API_VERSION, {
          credential,
          region,
          profile: profile(this.settings.endpoints?.vpc),
        }),
      };
      this.clients.set(region, clients);
    }
    return clients;
  }

  /** Runs API calls for one driver operation; anything thrown leaves as a typed DriverError. */
  private async run<T>(
    operation: DriverOperation,
    region: string,
    call: (clients: Clients) => Promise<T>,
    resource?: ResourceHint,
  ): Promise<T> {
    const context: ErrorContext = { provider: 'tencent', region, operation };
    try {
      return await call(await this.clientsFor(region));
    } catch (error) {
      throw mapTencentError(error, context, resource, this.credentials?.source);
    }
  }

  /** One VPC API call through the generic client; answers are typed as the API reference documents them. */
  private vpc<T>(clients: Clients, action: string, params: Record<string, unknown>): Promise<T> {
    return clients.vpc.request(action, params) as Promise<T>;
  }

  /** Follows Offset/Limit through every page. The VPC API takes them as strings, CVM as numbers. */
  private async paged<T>(
    page: (offset: number, limit: number) => Promise<{ items: T[] | undefined; total: number | undefined }>,
  ): Promise<T[]> {
    const all: T[] = [];
    for (;;) {
      const { items = [], total } = await page(all.length, PAGE_SIZE);
      all.push(...items);
      // TotalCount says when to stop; without it, a short page is the last one.
      const done = total === undefined ? items.length < PAGE_SIZE : all.length >= total;
      if (items.length === 0 || done) return all;
    }
  }

  /** Splits an s2a id; ids of another provider or shape cannot exist here, so they are NotFound. */
  private parse(id: string, kind: ResourceKind, operation: DriverOperation): ParsedResourceId {
    return parseOwnId('tencent', id, kind, operation);
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  private async requireRegion(region: string, operation: DriverOperation): Promise<void> {
    requireKnownRegion(
      await this.listRegions(),
      region,
      { provider: 'tencent', operation, region },
      `Tencent Cloud has no region "${region}" available to this account`,
    );
  }

  private mismatch(operation: DriverOperation, region: string, what: string): InvalidRequestError {
    return idempotencyMismatch({ provider: 'tencent', operation, region }, what);
  }

  // -------------------------------------------------------------------------------------------
  // Regions, specs, images.
  // -------------------------------------------------------------------------------------------

  listRegions(): Promise<Region[]> {
    // A failed load (throttled, no credentials) is not cached.
    return this.regionsCache.get('', () =>
      this.run('listRegions', this.homeRegion, async ({ cvm }) => {
        const answer = await cvm.DescribeRegions();
        const available = (answer.RegionSet ?? []).filter(
          (region) => region.Region && region.RegionState === 'AVAILABLE',
        );
        // A few regions at a time: DescribeZones allows 20 calls a second, and there are ~25 regions.
        const regions: Region[] = [];
        for (let start = 0; start < available.length; start += ZONE_LOOKUPS_AT_ONCE) {
          const batch = available.slice(start, start + ZONE_LOOKUPS_AT_ONCE);
          regions.push(
            ...(await Promise.all(
              batch.map(async (region) => {
                const code = region.Region as string;
                try {
                  const zones = await (await this.clientsFor(code)).cvm.DescribeZones();
                  return toRegion(code, region.RegionName, zones.ZoneSet ?? []);
                } catch (error) {
                  // A region CVM lists but will not describe for this account still exists: no zones known.
                  if (tencentErrorCode(error) !== 'UnsupportedRegion') throw error;
                  return toRegion(code, region.RegionName, []);
                }
              }),
            )),
          );
        }
        return regions.sort((left, right) => left.code.localeCompare(right.code));
      }),
    );
  }

  async listSpecs(query: SpecQuery = {}): Promise<Spec[]> {
    const { region, names } = parseRequest(SpecQuerySchema, query, {
      provider: 'tencent',
      operation: 'listSpecs',
    });
    const specs: Spec[] = [];
    for (const code of region ? [region] : this.listRegionsDefault) {
      specs.push(...(await this.specsOf(code, names, 'listSpecs')));
    }
    return specs;
  }

  /** Instance types and prices change rarely: one fetch per region and driver lifetime. */
  private specsOf(region: string, names: string[] | undefined, operation: DriverOperation): Promise<Spec[]> {
    const all = this.specCache.get(region, () => this.fetchSpecs(region, operation));
    return all.then((specs) => (names ? specs.filter((spec) => names.includes(spec.name)) : specs));
  }

  private async fetchSpecs(region: string, operation: DriverOperation): Promise<Spec[]> {
    const quotas = (chargeType: string) =>
      this.run(operation, region, async ({ cvm }) => {
        const answer = await cvm.DescribeZoneInstanceConfigInfos({
          Filters: [{ Name: 'instance-charge-type', Values: [chargeType] }],
        });
        return answer.InstanceTypeQuotaSet ?? [];
      });
    const onDemand = await quotas('POSTPAID_BY_HOUR');
    let spot: InstanceTypeQuotaItem[] = [];
    try {
      spot = await quotas('SPOTPAID');
    } catch (error) {
      // Regions without spot instances refuse the filter value: spot prices stay null there.
      if (!(error instanceof InvalidRequestError)) throw error;
    }
    return toSpecs(region, onDemand, spot, this.settings.currency, this.now());
  }

  async getSpec(id: string): Promise<Spec> {
    return findSpec('tencent', id, (region, name) => this.specsOf(region, [name], 'getSpec'));
  }

  async listImages(query: ImageQuery = {}): Promise<Image[]> {
    const {
      region = this.homeRegion,
      os,
      arch,
    } = parseRequest(ImageQuerySchema, query, { provider: 'tencent', operation: 'listImages' });
    const raw = await this.run('listImages', region, ({ cvm }) =>
      this.paged(async (offset, limit) => {
        const answer = await cvm.DescribeImages({
          Filters: [{ Name: 'image-type', Values: ['PUBLIC_IMAGE'] }],
          Offset: offset,
          Limit: limit,
        });
        return { items: answer.ImageSet, total: answer.TotalCount };
      }),
    );
    return raw
      .map((image) => toImage(region, image))
      .filter((image): image is Image => image !== undefined)
      .filter((image) => (!os || image.os === os.toLowerCase()) && (!arch || image.arch === arch));
  }

  private async rawImage(
    id: string,
    operation: DriverOperation,
  ): Promise<{ region: string; image: CvmImage }> {
    const { region, local } = this.parse(id, 'image', operation);
    const image = await this.run(
      operation,
      region,
      async ({ cvm }) => (await cvm.DescribeImages({ ImageIds: [local] })).ImageSet?.[0],
      { kind: 'image', id },
    );
    if (!image) throw new NotFoundError('image', id, { provider: 'tencent', region, operation });
    return { region, image };
  }

  async getImage(id: string): Promise<Image> {
    const { region, image } = await this.rawImage(id, 'getImage');
    const converted = toImage(region, image);
    if (!converted) {
      throw new NotFoundError(
        'image',
        id,
        { provider: 'tencent', region, operation: 'getImage' },
        'not a ready x86_64 or arm64 image',
      );
    }
    return converted;
  }

  // -------------------------------------------------------------------------------------------
  // vNets (VPCs) and subnets.
  // -------------------------------------------------------------------------------------------

  async createVNet(input: CreateVNetRequest): Promise<VNet> {
    const request = parseRequest(CreateVNetRequestSchema, input, {
      provider: 'tencent',
      operation: 'createVNet',
    });
    await this.requireRegion(request.region, 'createVNet');
    const earlier = await earlierCreate(
      request.idempotencyKey,
      (tags) => this.listVNets({ region: request.region, tags }),
      (earlier) => sameVNetRequest(earlier, request),
      () => this.mismatch('createVNet', request.region, 'name or cidrBlock'),
    );
    if (earlier) return earlier;
    const nativeName = networkName(request.name);
    const vpc = await this.run('createVNet', request.region, async (clients) => {
      const answer = await this.vpc<{ Vpc?: TencentVpc }>(clients, 'CreateVpc', {
        VpcName: nativeName,
        CidrBlock: request.cidrBlock,
        Tags: createTags(request.name, nativeName, request.tags, request.idempotencyKey),
      });
      return answer.Vpc;
    });
    if (!vpc?.VpcId)
      throw mapTencentError(new Error('CreateVpc answered without a VPC'), { operation: 'createVNet' });
    return toVNet(request.region, vpc);
  }

  private describeVpcs(
    operation: DriverOperation,
    region: string,
    input: { VpcIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<VNet[]> {
    return this.run(
      operation,
      region,
      async (clients) => {
        const vpcs = await this.paged(async (offset, limit) => {
          const answer = await this.vpc<{ VpcSet?: TencentVpc[]; TotalCount?: number }>(
            clients,
            'DescribeVpcs',
            {
              ...input,
              Offset: String(offset),
              Limit: String(limit),
            },
          );
          return { items: answer.VpcSet, total: answer.TotalCount };
        });
        return vpcs.map((vpc) => toVNet(region, vpc));
      },
      resource,
    );
  }

  async getVNet(id: string): Promise<VNet> {
    const { region, local } = this.parse(id, 'vNet', 'getVNet');
    const [vNet] = await this.describeVpcs('getVNet', region, { VpcIds: [local] }, { kind: 'vNet', id });
    if (!vNet) throw new NotFoundError('vNet', id, { provider: 'tencent', region, operation: 'getVNet' });
    return vNet;
  }

  async listVNets(filter: ResourceFilter = {}): Promise<VNet[]> {
    const { region, tags } = parseRequest(ResourceFilterSchema, filter, {
      provider: 'tencent',
      operation: 'listVNets',
    });
    const vNets: VNet[] = [];
    for (const code of region ? [region] : this.listRegionsDefault) {
      vNets.push(...(await this.describeVpcs('listVNets', code, { Filters: tagFilters(tags) })));
    }
    return vNets;
  }

  async deleteVNet(id: string): Promise<void> {
    const parsed = parseResourceId(id);
    if (parsed?.provider !== 'tencent') return;
    const context = { provider: 'tencent' as const, region: parsed.region, operation: 'deleteVNet' };
    // Refuse while subnets remain, with the contract's retryable error, before asking Tencent.
    const subnets = await this.listSubnets({ region: parsed.region, vNetId: id }).catch((error: unknown) => {
      if (error instanceof NotFoundError) return [];
      throw error;
    });
    if (subnets.length > 0) {
      throw new ProviderError(
        `ResourceInUse: vNet ${id} still has ${subnets.length} subnet(s); delete them first`,
        { retryable: true, context: { ...context, providerCode: 'ResourceInUse' } },
      );
    }
    await ignoreNotFound(
      this.run(
        'deleteVNet',
        parsed.region,
        (clients) => this.vpc(clients, 'DeleteVpc', { VpcId: parsed.local }),
        { kind: 'vNet', id },
      ),
    );
  }

  /** The region's first available zone, for subnets created without one. */
  private async firstZone(region: string): Promise<string> {
    const zone = (await this.listRegions()).find((known) => known.code === region)?.zones[0]?.code;
    if (!zone) {
      throw new InvalidRequestError(
        `region ${region} lists no available zone`,
        { provider: 'tencent', region },
        ['zone: the region has no available zone'],
      );
    }
    return zone;
  }

  async createSubnet(input: CreateSubnetRequest): Promise<Subnet> {
    const request = parseRequest(CreateSubnetRequestSchema, input, {
      provider: 'tencent',
      operation: 'createSubnet',
    });
    const vNet = await this.getVNet(request.vNetId);
    const context = { provider: 'tencent' as const, operation: 'createSubnet', region: vNet.region };
    requireSubnetInsideVNet(request.cidrBlock, vNet.cidrBlock, context);
    const earlier = await earlierCreate(
      request.idempotencyKey,
      (tags) => this.listSubnets({ region: vNet.region, tags }),
      (earlier) => sameSubnetRequest(earlier, request, vNet.id),
      () => this.mismatch('createSubnet', vNet.region, 'vNetId or cidrBlock'),
    );
    if (earlier) return earlier;
    // Tencent subnets are zonal and CreateSubnet requires a zone.
    const zone = request.zone ?? (await this.firstZone(vNet.region));
    const nativeName = networkName(request.name);
    const subnet = await this.run('createSubnet', vNet.region, async (clients) => {
      const answer = await this.vpc<{ Subnet?: TencentSubnet }>(clients, 'CreateSubnet', {
        VpcId: vNet.cspId,
        SubnetName: nativeName,
        CidrBlock: request.cidrBlock,
        Zone: zone,
        Tags: createTags(request.name, nativeName, request.tags, request.idempotencyKey),
      });
      return answer.Subnet;
    });
    if (!subnet?.SubnetId)
      throw mapTencentError(new Error('CreateSubnet answered without a subnet'), context);
    return toSubnet(vNet.region, subnet);
  }

  private describeSubnets(
    operation: DriverOperation,
    region: string,
    input: { SubnetIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<Subnet[]> {
    return this.run(
      operation,
      region,
      async (clients) => {
        const subnets = await this.paged(async (offset, limit) => {
          const answer = await this.vpc<{ SubnetSet?: TencentSubnet[]; TotalCount?: number }>(
            clients,
            'DescribeSubnets',
            { ...input, Offset: String(offset), Limit: String(limit) },
          );
          return { items: answer.SubnetSet, total: answer.TotalCount };
        });
        return subnets.map((subnet) => toSubnet(region, subnet));
      },
      resource,
    );
  }

  async getSubnet(id: string): Promise<Subnet> {
    const { region, local } = this.parse(id, 'subnet', 'getSubnet');
    const [subnet] = await this.describeSubnets(
      'getSubnet',
      region,
      { SubnetIds: [local] },
      { kind: 'subnet', id },
    );
    if (!subnet)
      throw new NotFoundError('subnet', id, { provider: 'tencent', region, operation: 'getSubnet' });
    return subnet;
  }

  async listSubnets(filter: ResourceFilter & { vNetId?: string } = {}): Promise<Subnet[]> {
    const { vNetId, ...rest } = filter;
    const { region, tags } = parseRequest(ResourceFilterSchema, rest, {
      provider: 'tencent',
      operation: 'listSubnets',
    });
    const vpc = vNetId ? parseResourceId(vNetId) : undefined;
    if (vNetId && vpc?.provider !== 'tencent') return [];
    const filters = [...tagFilters(tags), ...(vpc ? [{ Name: 'vpc-id', Values: [vpc.local] }] : [])];
    const subnets: Subnet[] = [];
    for (const code of regionsToSearch(region, vpc?.region, this.listRegionsDefault)) {
      subnets.push(...(await this.describeSubnets('listSubnets', code, { Filters: filters })));
    }
    return subnets;
  }

  async deleteSubnet(id: string): Promise<void> {
    await deleteIfOwn('tencent', id, (parsed) =>
      this.run(
        'deleteSubnet',
        parsed.region,
        (clients) => this.vpc(clients, 'DeleteSubnet', { SubnetId: parsed.local }),
        { kind: 'subnet', id },
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Security groups: regional in Tencent, so the vNet lives in the s2a:vnet tag.
  // -------------------------------------------------------------------------------------------

  async createSecurityGroup(input: CreateSecurityGroupRequest): Promise<SecurityGroup> {
    const request = parseRequest(CreateSecurityGroupRequestSchema, input, {
      provider: 'tencent',
      operation: 'createSecurityGroup',
    });
    const vNet = await this.getVNet(request.vNetId);
    const context = { provider: 'tencent' as const, operation: 'createSecurityGroup', region: vNet.region };
    if (request.description.length > 100) {
      throw new InvalidRequestError('Tencent security group descriptions hold 100 characters', context, [
        `description: ${request.description.length} characters, at most 100`,
      ]);
    }
    const earlier = await earlierCreate(
      request.idempotencyKey,
      (tags) => this.listSecurityGroups({ region: vNet.region, tags }),
      (earlier) => sameSecurityGroupRequest(earlier, request, vNet.id),
      () => this.mismatch('createSecurityGroup', vNet.region, 'vNetId or name'),
    );
    if (earlier) return earlier;
    const nativeName = networkName(request.name);
    const groupId = await this.run('createSecurityGroup', vNet.region, async (clients) => {
      const answer = await this.vpc<{ SecurityGroup?: TencentSecurityGroup }>(
        clients,
        'CreateSecurityGroup',
        {
          GroupName: nativeName,
          // Tencent requires a description.
          GroupDescription: request.description || placeholderDescription(request.name),
          ProjectId: '0',
          Tags: createTags(request.name, nativeName, request.tags, request.idempotencyKey, {
            [VNET_TAG]: vNet.cspId,
          }),
        },
      );
      return answer.SecurityGroup?.SecurityGroupId ?? '';
    });
    const id = resourceId('tencent', vNet.region, groupId);
    const ingress = request.rules.filter((rule) => rule.direction === 'inbound').map(ruleToPolicy);
    const egress = request.rules.filter((rule) => rule.direction === 'outbound').map(ruleToPolicy);
    try {
      await this.run('createSecurityGroup', vNet.region, async (clients) => {
        // One direction per CreateSecurityGroupPolicies call, as the API requires.
        if (ingress.length > 0) {
          await this.vpc(clients, 'CreateSecurityGroupPolicies', {
            SecurityGroupId: groupId,
            SecurityGroupPolicySet: { Ingress: ingress },
          });
        }
        // An empty group denies everything: without outbound rules, allow all (apt, pulls).
        await this.vpc(clients, 'CreateSecurityGroupPolicies', {
          SecurityGroupId: groupId,
          SecurityGroupPolicySet: { Egress: egress.length > 0 ? egress : [ALLOW_ALL_EGRESS] },
        });
      });
    } catch (error) {
      // A group without the rules asked for is worse than none: remove it and report.
      await this.deleteSecurityGroup(id).catch(() => undefined);
      throw error;
    }
    return this.getSecurityGroup(id);
  }

  private async policiesOf(clients: Clients, groupId: string): Promise<SecurityGroupPolicySet | undefined> {
    const answer = await this.vpc<{ SecurityGroupPolicySet?: SecurityGroupPolicySet }>(
      clients,
      'DescribeSecurityGroupPolicies',
      { SecurityGroupId: groupId },
    );
    return answer.SecurityGroupPolicySet;
  }

  private async describeSecurityGroups(
    operation: DriverOperation,
    region: string,
    input: { SecurityGroupIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<{ group: SecurityGroup; policies: SecurityGroupPolicySet | undefined }[]> {
    return this.run(
      operation,
      region,
      async (clients) => {
        const groups = await this.paged(async (offset, limit) => {
          const answer = await this.vpc<{ SecurityGroupSet?: TencentSecurityGroup[]; TotalCount?: number }>(
            clients,
            'DescribeSecurityGroups',
            { ...input, Offset: String(offset), Limit: String(limit) },
          );
          return { items: answer.SecurityGroupSet, total: answer.TotalCount };
        });
        const described = [];
        for (const group of groups) {
          const policies = await this.policiesOf(clients, group.SecurityGroupId ?? '');
          described.push({ group: toSecurityGroup(region, group, policies), policies });
        }
        return described;
      },
      resource,
    );
  }

  async getSecurityGroup(id: string): Promise<SecurityGroup> {
    return (await this.securityGroupWithPolicies(id, 'getSecurityGroup')).group;
  }

  private async securityGroupWithPolicies(id: string, operation: DriverOperation) {
    const { region, local } = this.parse(id, 'securityGroup', operation);
    const [found] = await this.describeSecurityGroups(
      operation,
      region,
      { SecurityGroupIds: [local] },
      { kind: 'securityGroup', id },
    );
    if (!found) throw new NotFoundError('securityGroup', id, { provider: 'tencent', region, operation });
    return found;
  }

  async listSecurityGroups(filter: ResourceFilter & { vNetId?: string } = {}): Promise<SecurityGroup[]> {
    const { vNetId, ...rest } = filter;
    const { region, tags } = parseRequest(ResourceFilterSchema, rest, {
      provider: 'tencent',
      operation: 'listSecurityGroups',
    });
    const vpc = vNetId ? parseResourceId(vNetId) : undefined;
    if (vNetId && vpc?.provider !== 'tencent') return [];
    const filters = tagFilters({ ...tags, ...(vpc ? { [VNET_TAG]: vpc.local } : {}) });
    const groups: SecurityGroup[] = [];
    for (const code of regionsToSearch(region, vpc?.region, this.listRegionsDefault)) {
      const found = await this.describeSecurityGroups('listSecurityGroups', code, { Filters: filters });
      groups.push(...found.map((entry) => entry.group));
    }
    return groups;
  }

  async setSecurityGroupRules(id: string, rules: SecurityRule[]): Promise<SecurityGroup> {
    const desired = parseRequest(SecurityRuleSchema.array().max(200), rules, {
      provider: 'tencent',
      operation: 'setSecurityGroupRules',
    });
    const { group, policies } = await this.securityGroupWithPolicies(id, 'setSecurityGroupRules');
    const ingress = desired.filter((rule) => rule.direction === 'inbound').map(ruleToPolicy);
    const outbound = desired.filter((rule) => rule.direction === 'outbound').map(ruleToPolicy);
    // Outbound rules stay as they are unless some are asked for (most apps need the egress).
    const egress = outbound.length > 0 ? outbound : (policies?.Egress ?? []).map(resubmittable);
    const empty = ingress.length === 0 && egress.length === 0;
    await this.run(
      'setSecurityGroupRules',
      group.region,
      (clients) =>
        // One atomic replacement: a port that stays open is never closed in between. Version is the
        // one read, so a concurrent change fails instead of being overwritten; "0" clears all.
        this.vpc(clients, 'ModifySecurityGroupPolicies', {
          SecurityGroupId: group.cspId,
          SecurityGroupPolicySet: {
            Version: empty ? '0' : (policies?.Version ?? '0'),
            Ingress: ingress,
            Egress: egress,
          },
        }),
      { kind: 'securityGroup', id },
    );
    return this.getSecurityGroup(id);
  }

  async deleteSecurityGroup(id: string): Promise<void> {
    await deleteIfOwn('tencent', id, (parsed) =>
      this.run(
        'deleteSecurityGroup',
        parsed.region,
        (clients) => this.vpc(clients, 'DeleteSecurityGroup', { SecurityGroupId: parsed.local }),
        { kind: 'securityGroup', id },
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Key pairs.
  // -------------------------------------------------------------------------------------------

  async createKeyPair(input: CreateKeyPairRequest): Promise<KeyPairCreated> {
    const request = parseRequest(CreateKeyPairRequestSchema, input, {
      provider: 'tencent',
      operation: 'createKeyPair',
    });
    await this.requireRegion(request.region, 'createKeyPair');
    const earlier = await earlierCreate(
      request.idempotencyKey,
      (tags) => this.listKeyPairs({ region: request.region, tags }),
      (keyPair) => sameKeyPairRequest(keyPair, request),
      () => this.mismatch('createKeyPair', request.region, 'name or publicKey'),
    );
    if (earlier) return earlier;
    // Generated here (RSA, the documented format) and imported, so the private key exists only in this answer.
    const generated = request.publicKey ? undefined : generateRsaKeyPair(request.name);
    const publicKey = request.publicKey ?? generated?.publicKey ?? '';
    const nativeName = keyName(request.name);
    const keyId = await this.run('createKeyPair', request.region, async ({ cvm }) => {
      const answer = await cvm.ImportKeyPair({
        KeyName: nativeName,
        ProjectId: 0,
        PublicKey: publicKey,
        TagSpecification: [
          {
            ResourceType: 'keypair',
            Tags: createTags(request.name, nativeName, request.tags, request.idempotencyKey),
          },
        ],
      });
      return answer.KeyId ?? '';
    });
    const keyPair = await this.getKeyPair(resourceId('tencent', request.region, keyId));
    return generated ? { ...keyPair, privateKey: generated.privateKey } : keyPair;
  }

  private describeKeyPairs(
    operation: DriverOperation,
    region: string,
    input: { KeyIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<KeyPair[]> {
    return this.run(
      operation,
      region,
      async ({ cvm }) => {
        const keys = await this.paged(async (offset, limit) => {
          const answer = await cvm.DescribeKeyPairs({ ...input, Offset: offset, Limit: limit });
          return { items: answer.KeyPairSet, total: answer.TotalCount };
        });
        return keys.map((key) => toKeyPair(region, key));
      },
      resource,
    );
  }

  async getKeyPair(id: string): Promise<KeyPair> {
    const { region, local } = this.parse(id, 'keyPair', 'getKeyPair');
    const [keyPair] = await this.describeKeyPairs(
      'getKeyPair',
      region,
      { KeyIds: [local] },
      { kind: 'keyPair', id },
    );
    if (!keyPair)
      throw new NotFoundError('keyPair', id, { provider: 'tencent', region, operation: 'getKeyPair' });
    return keyPair;
  }

  async listKeyPairs(filter: ResourceFilter = {}): Promise<KeyPair[]> {
    const { region, tags } = parseRequest(ResourceFilterSchema, filter, {
      provider: 'tencent',
      operation: 'listKeyPairs',
    });
    const keyPairs: KeyPair[] = [];
    for (const code of region ? [region] : this.listRegionsDefault) {
      const filters = tagFilters(tags);
      keyPairs.push(
        ...(await this.describeKeyPairs(
          'listKeyPairs',
          code,
          filters.length > 0 ? { Filters: filters } : {},
        )),
      );
    }
    return keyPairs;
  }

  async deleteKeyPair(id: string): Promise<void> {
    await deleteIfOwn('tencent', id, (parsed) =>
      this.run('deleteKeyPair', parsed.region, ({ cvm }) => cvm.DeleteKeyPairs({ KeyIds: [parsed.local] }), {
        kind: 'keyPair',
        id,
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // VMs.
  // -------------------------------------------------------------------------------------------

  async createVm(input: CreateVmRequest): Promise<Vm> {
    const request = parseRequest(CreateVmRequestSchema, input, {
      provider: 'tencent',
      operation: 'createVm',
    });
    const context = { provider: 'tencent' as const, operation: 'createVm', region: request.region };
    await this.requireRegion(request.region, 'createVm');
    const spec = await specForCreate('tencent', request, (id) => this.getSpec(id), context);
    const rootDiskGiB = request.rootDiskGiB ?? DEFAULT_ROOT_DISK_GIB;
    if (rootDiskGiB < ROOT_DISK_RANGE.min || rootDiskGiB > ROOT_DISK_RANGE.max) {
      throw new InvalidRequestError(
        `Tencent system disks hold ${ROOT_DISK_RANGE.min}-${ROOT_DISK_RANGE.max} GiB`,
        context,
        [`rootDiskGiB: ${rootDiskGiB} is outside ${ROOT_DISK_RANGE.min}-${ROOT_DISK_RANGE.max}`],
      );
    }
    const { image } = await this.rawImage(request.imageId, 'createVm');
    const converted = toImage(request.region, image);
    requireImageRunsOn(request.imageId, converted, image.Architecture, spec, context);
    const subnet = await this.getSubnet(request.subnetId);
    requireSubnetZone(subnet, request.zone, context);
    const zone = subnet.zone ?? request.zone ?? (await this.firstZone(request.region));
    // A type sold out in the zone is left to RunInstances: its ResourcesSoldOut is a CapacityError.
    for (const groupId of request.securityGroupIds) await this.getSecurityGroup(groupId);
    const keyPair = await this.getKeyPair(request.keyPairId);
    const earlier = await earlierCreate(
      request.idempotencyKey,
      (tags) => this.listVms({ region: request.region, tags }),
      (vm) =>
        vm.name === request.name &&
        vm.specId === request.specId &&
        vm.imageId === request.imageId &&
        vm.subnetId === request.subnetId,
      () => this.mismatch('createVm', request.region, 'name, spec, image or subnet'),
    );
    if (earlier) return earlier;
    // CVM documents both 60 bytes and 128 characters for instance names: 60 holds either way.
    const nativeName = networkName(request.name);
    // RunInstances takes at most 16 KB of base64 user data.
    const userData = request.userData ? Buffer.from(request.userData).toString('base64') : undefined;
    if (userData && userData.length > MAX_USER_DATA_BYTES) {
      throw new InvalidRequestError('Tencent takes at most 16 KB of user data (base64)', context, [
        `userData: ${userData.length} bytes in base64, at most ${MAX_USER_DATA_BYTES}`,
      ]);
    }
    const instanceId = await this.run('createVm', request.region, async ({ cvm }) => {
      const answer = await cvm.RunInstances({
        InstanceChargeType: request.spot ? 'SPOTPAID' : 'POSTPAID_BY_HOUR',
        ...(request.spot
          ? {
              InstanceMarketOptions: {
                MarketType: 'spot',
                // A cap, not the price paid: bidding the on-demand price keeps the instance unless spot exceeds it.
                SpotOptions: { MaxPrice: String(spec.pricePerHour ?? 1000), SpotInstanceType: 'one-time' },
              },
            }
          : {}),
        Placement: { Zone: zone, ProjectId: 0 },
        InstanceType: spec.name,
        ImageId: image.ImageId,
        SystemDisk: { DiskType: 'CLOUD_BSSD', DiskSize: rootDiskGiB },
        VirtualPrivateCloud: {
          VpcId: parseResourceId(subnet.vNetId)?.local ?? '',
          SubnetId: subnet.cspId,
        },
        InternetAccessible: {
          InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
          InternetMaxBandwidthOut: DEFAULT_BANDWIDTH_MBPS,
          PublicIpAssigned: true,
        },
        InstanceCount: 1,
        InstanceName: nativeName,
        LoginSettings: { KeyIds: [keyPair.cspId] },
        SecurityGroupIds: request.securityGroupIds.map(
          (groupId) => parseResourceId(groupId)?.local ?? groupId,
        ),
        ...(userData ? { UserData: userData } : {}),
        // Tencent's own idempotency: the same token returns the first launch.
        ...(request.idempotencyKey ? { ClientToken: request.idempotencyKey } : {}),
        TagSpecification: [
          {
            ResourceType: 'instance',
            Tags: createTags(request.name, nativeName, request.tags, request.idempotencyKey),
          },
        ],
      });
      return answer.InstanceIdSet?.[0];
    });
    if (!instanceId)
      throw mapTencentError(new Error('RunInstances answered without an instance id'), context);
    const instance = await this.describeOne('createVm', request.region, instanceId);
    if (instance) return this.toVms(request.region, [instance])[0] as Vm;
    // RunInstances is asynchronous: the instance may not be listed yet. Answer what was asked for.
    const id = resourceId('tencent', request.region, instanceId);
    const now = this.now();
    this.statusSeen.set(id, { status: 'Creating', since: now });
    return {
      id,
      cspId: instanceId,
      provider: 'tencent',
      region: request.region,
      name: request.name,
      tags: request.tags,
      createdAt: now,
      zone,
      specId: request.specId,
      imageId: request.imageId,
      vNetId: subnet.vNetId,
      subnetId: subnet.id,
      securityGroupIds: request.securityGroupIds,
      keyPairId: keyPair.id,
      status: 'Creating',
      statusSince: now,
      statusReason: null,
      publicIp: null,
      privateIp: null,
      sshPort: 22,
      username: loginUserFor(converted.os),
      rootDiskGiB,
      spot: request.spot,
    };
  }

  /** Converts instances, remembering when each was first seen in its current status. */
  private toVms(region: string, instances: readonly Instance[]): Vm[] {
    const now = this.now();
    return instances.map((instance) => {
      const id = resourceId('tencent', region, instance.InstanceId ?? '?');
      const status = toVmStatus(instance.InstanceState);
      const seen = this.statusSeen.get(id);
      let since = seen?.since ?? now;
      if (!seen || seen.status !== status) {
        // The first sight of a new instance: it has been Creating or Running since its creation.
        const created = instance.CreatedTime ? new Date(instance.CreatedTime).toISOString() : now;
        since = !seen && (status === 'Creating' || status === 'Running') ? created : now;
        this.statusSeen.set(id, { status, since });
      }
      const os = /ubuntu/i.test(instance.OsName ?? '') ? 'ubuntu' : 'other';
      return toVm(region, instance, { username: loginUserFor(os), statusSince: since });
    });
  }

  private describeRaw(
    operation: DriverOperation,
    region: string,
    input: { InstanceIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<Instance[]> {
    return this.run(
      operation,
      region,
      ({ cvm }) =>
        this.paged(async (offset, limit) => {
          const answer = await cvm.DescribeInstances({ ...input, Offset: offset, Limit: limit });
          return { items: answer.InstanceSet, total: answer.TotalCount };
        }),
      resource,
    );
  }

  /**
   * One instance, or undefined when CVM does not know it: an empty InstanceSet or an
   * InvalidInstanceId.NotFound/Malformed, which callers answer from tombstones or as NotFound.
   */
  private async describeOne(operation: DriverOperation, region: string, instanceId: string) {
    try {
      const id = resourceId('tencent', region, instanceId);
      const [instance] = await this.describeRaw(
        operation,
        region,
        { InstanceIds: [instanceId] },
        { kind: 'vm', id },
      );
      return instance;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** The tombstone of a VM CVM no longer lists, marked gone from now on; undefined when there is none. */
  private async fromTombstone(id: string): Promise<Vm | undefined> {
    return (await this.tombstones.terminated(id, this.clock()))?.vm;
  }

  async getVm(id: string): Promise<Vm> {
    const { region, local } = this.parse(id, 'vm', 'getVm');
    const instance = await this.describeOne('getVm', region, local);
    if (instance) return this.toVms(region, [instance])[0] as Vm;
    const terminated = await this.fromTombstone(id);
    if (terminated) return terminated;
    throw new NotFoundError('vm', id, { provider: 'tencent', region, operation: 'getVm' });
  }

  async listVms(filter: VmFilter = {}): Promise<Vm[]> {
    const { region, tags, statuses, includeTerminated } = parseRequest(VmFilterSchema, filter, {
      provider: 'tencent',
      operation: 'listVms',
    });
    const wanted = vmStatusFilter(statuses, includeTerminated);
    const vms: Vm[] = [];
    const regions = region ? [region] : this.listRegionsDefault;
    for (const code of regions) {
      const filters = tagFilters(tags);
      const found = this.toVms(
        code,
        await this.describeRaw('listVms', code, filters.length > 0 ? { Filters: filters } : {}),
      );
      vms.push(...found.filter(wanted));
      // Terminated VMs CVM forgot: from tombstones, matching the same filter.
      const listed = new Set(found.map((vm) => vm.id));
      for (const tombstone of await this.tombstones.live(this.clock())) {
        const { vm } = tombstone;
        if (vm.region !== code || listed.has(vm.id)) continue;
        if (!Object.entries(tags ?? {}).every(([key, value]) => vm.tags[key] === value)) continue;
        const terminated = await this.fromTombstone(vm.id);
        if (terminated && wanted(terminated)) vms.push(terminated);
      }
    }
    return vms;
  }

  /** StopCharging is allowed for pay-as-you-go instances whose disks are all cloud disks. */
  private stoppedMode(instance: Instance): 'STOP_CHARGING' | 'KEEP_CHARGING' {
    const cloudDisks = [instance.SystemDisk, ...(instance.DataDisks ?? [])].every((disk) =>
      (disk?.DiskType ?? '').startsWith('CLOUD_'),
    );
    return instance.InstanceChargeType === 'POSTPAID_BY_HOUR' && cloudDisks
      ? 'STOP_CHARGING'
      : 'KEEP_CHARGING';
  }

  /**
   * StopInstances, not charging while stopped where allowed. The rules behind "allowed" are
   * Tencent's and change (instance families, disk kinds): when it refuses STOP_CHARGING, stop anyway.
   */
  private async stopInstance(cvm: CvmClient, InstanceIds: string[], mode: 'STOP_CHARGING' | 'KEEP_CHARGING') {
    try {
      return await cvm.StopInstances({ InstanceIds, StopType: 'SOFT_FIRST', StoppedMode: mode });
    } catch (error) {
      if (
        mode !== 'STOP_CHARGING' ||
        tencentErrorCode(error) !== 'UnsupportedOperation.StoppedModeStopCharging'
      )
        throw error;
      return cvm.StopInstances({ InstanceIds, StopType: 'SOFT_FIRST', StoppedMode: 'KEEP_CHARGING' });
    }
  }

  /** One instance state change: CVM accepts it and the instance moves on by itself. */
  private async changeState(
    operation: 'suspendVm' | 'resumeVm' | 'rebootVm' | 'terminateVm',
    id: string,
  ): Promise<Vm> {
    const { region, local } = this.parse(id, 'vm', operation);
    const before = await this.describeOne(operation, region, local);
    if (!before) {
      // Terminating what is already gone succeeds (the contract's idempotent delete).
      const terminated = operation === 'terminateVm' ? await this.fromTombstone(id) : undefined;
      if (terminated) return terminated;
      throw new NotFoundError('vm', id, { provider: 'tencent', region, operation });
    }
    const vmBefore = this.toVms(region, [before])[0] as Vm;
    // Asking for the state the VM is in, or moving to, succeeds without a call: CVM would refuse
    // it (UnsupportedOperation.InstanceStateRunning…), and retries of the engine ask twice.
    const already: Partial<Record<typeof operation, VmStatus[]>> = {
      suspendVm: ['Suspending', 'Suspended'],
      resumeVm: ['Resuming', 'Running'],
      terminateVm: ['Terminating', 'Terminated'],
    };
    if (already[operation]?.includes(vmBefore.status)) return vmBefore;
    const InstanceIds = [local];
    await this.run(
      operation,
      region,
      async ({ cvm }) => {
        switch (operation) {
          case 'suspendVm':
            return this.stopInstance(cvm, InstanceIds, this.stoppedMode(before));
          case 'resumeVm':
            return cvm.StartInstances({ InstanceIds });
          case 'rebootVm':
            return cvm.RebootInstances({ InstanceIds, StopType: 'SOFT_FIRST' });
          case 'terminateVm':
            return cvm.TerminateInstances({ InstanceIds });
        }
      },
      { kind: 'vm', id },
    );
    if (operation === 'terminateVm') {
      await this.tombstones.put({ vm: { ...vmBefore, status: 'Terminating' }, requestedAt: this.now() });
    }
    const after = await this.describeOne(operation, region, local);
    if (after) return this.toVms(region, [after])[0] as Vm;
    const terminated = operation === 'terminateVm' ? await this.fromTombstone(id) : undefined;
    if (terminated) return terminated;
    throw new NotFoundError('vm', id, { provider: 'tencent', region, operation });
  }

  suspendVm(id: string): Promise<Vm> {
    return this.changeState('suspendVm', id);
  }

  resumeVm(id: string): Promise<Vm> {
    return this.changeState('resumeVm', id);
  }

  rebootVm(id: string): Promise<Vm> {
    return this.changeState('rebootVm', id);
  }

  terminateVm(id: string): Promise<Vm> {
    return this.changeState('terminateVm', id);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clients.clear();
  }
}
