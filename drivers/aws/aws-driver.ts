// The AWS driver: the CloudDriver contract on EC2 (@aws-sdk/client-ec2, loaded on first use).
import type { EC2Client, Image as Ec2Image, Filter, Instance, IpPermission, Tag } from '@aws-sdk/client-ec2';
import {
  creationTags,
  deleteIfOwn,
  earlierCreate,
  findSpec,
  idempotencyMismatch,
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
  tagFilters,
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
  type Tags,
  type Vm,
  type VmFilter,
  VmFilterSchema,
  type VNet,
} from '../spec/index.ts';
import { generateEd25519KeyPair } from '../spec/ssh-keys.ts';
import { AWS_CAPABILITIES, DEFAULT_ROOT_DISK_GIB } from './aws-capabilities.ts';
import { type AwsConnectionInput, AwsConnectionSchema } from './aws-config.ts';
import { mapAwsError } from './aws-errors.ts';
import type { PriceFetcher } from './aws-pricing.ts';
import {
  loginUserFor,
  newestImages,
  OFFICIAL_IMAGE_NAME_PATTERNS,
  OFFICIAL_IMAGE_OWNERS,
  toImage,
  toRegion,
  toSpec,
  zonesByInstanceType,
} from './convert-catalog.ts';
import {
  CREATED_AT_TAG,
  formatVmFacts,
  NAME_TAG,
  parseVmFacts,
  placeholderDescription,
  recordToTags,
  ruleIdentity,
  ruleToPermission,
  toKeyPair,
  toSecurityGroup,
  toSubnet,
  toVNet,
  VM_FACTS_TAG,
} from './convert-resources.ts';
import { toVm } from './convert-vm.ts';

type Ec2Module = typeof import('@aws-sdk/client-ec2');
type ResourceKind = 'vNet' | 'subnet' | 'securityGroup' | 'keyPair' | 'vm' | 'spec' | 'image';

/** Per-call timeouts: a hung connection fails instead of stalling an MCI operation forever. */
const CONNECTION_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

export interface AwsDriverOptions extends Omit<AwsConnectionInput, 'driver'> {
  /** Environment for AWS_REGION (tests pass their own); credentials are read by the SDK's chain. */
  environment?: Record<string, string | undefined>;
  /** Replaces the Price List fetcher (tests). */
  priceFetcher?: PriceFetcher;
  clock?: () => number;
}

export class AwsDriver implements CloudDriver {
  readonly provider = 'aws' as const;
  readonly capabilities: DriverCapabilities = AWS_CAPABILITIES;

  private readonly settings: ReturnType<typeof AwsConnectionSchema.parse>;
  private readonly homeRegion: string;
  private readonly listRegionsDefault: string[];
  private readonly clients = new Map<string, EC2Client>();
  private readonly specCache = new LoadCache<Spec[]>();
  private readonly regionsCache = new LoadCache<Region[]>();
  private sdkLoading: Promise<Ec2Module> | undefined;
  private priceFetcher: PriceFetcher | undefined;
  private readonly clock: () => number;
  private closed = false;

  constructor(options: AwsDriverOptions = {}) {
    const { environment = process.env, priceFetcher, clock, ...connection } = options;
    this.settings = AwsConnectionSchema.parse({ ...connection, driver: 'aws' });
    this.homeRegion =
      this.settings.region ?? environment.AWS_REGION ?? environment.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.listRegionsDefault = this.settings.regions ?? [this.homeRegion];
    this.priceFetcher = priceFetcher;
    this.clock = clock ?? Date.now;
  }

  // -------------------------------------------------------------------------------------------
  // Plumbing: lazy SDK, one client per region, error mapping.
  // -------------------------------------------------------------------------------------------

  private sdk(): Promise<Ec2Module> {
    this.sdkLoading ??= import('@aws-sdk/client-ec2');
    return this.sdkLoading;
  }

  private async client(region: string): Promise<{ sdk: Ec2Module; client: EC2Client }> {
    if (this.closed) throw new Error('the AWS driver is closed');
    const sdk = await this.sdk();
    let client = this.clients.get(region);
    if (!client) {
      const { endpoint, credentials, profile, maxAttempts } = this.settings;
      client = new sdk.EC2Client({
        region,
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials } : {}),
        ...(profile ? { profile } : {}),
        ...(maxAttempts ? { maxAttempts } : {}),
        requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
      });
      this.clients.set(region, client);
    }
    return { sdk, client };
  }

  /** Runs EC2 calls for one driver operation; anything thrown leaves as a typed DriverError. */
  private async run<T>(
    operation: DriverOperation,
    region: string,
    call: (sdk: Ec2Module, client: EC2Client) => Promise<T>,
    resource?: ResourceHint,
  ): Promise<T> {
    const context: ErrorContext = { provider: 'aws', region, operation };
    try {
      const { sdk, client } = await this.client(region);
      return await call(sdk, client);
    } catch (error) {
      throw mapAwsError(error, context, resource);
    }
  }

  /** Splits an s2a id; ids of another provider or shape cannot exist here, so they are NotFound. */
  private parse(id: string, kind: ResourceKind, operation: DriverOperation): ParsedResourceId {
    return parseOwnId('aws', id, kind, operation);
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** Tags for a create: the request's, the Name, and the driver's bookkeeping. */
  private tagList(
    name: string,
    tags: Tags,
    idempotencyKey: string | undefined,
    extra: Record<string, string> = {},
  ): Tag[] {
    return recordToTags(
      creationTags(tags, { [NAME_TAG]: name, [CREATED_AT_TAG]: this.now() }, idempotencyKey, extra),
    );
  }

  private async requireRegion(region: string, operation: DriverOperation): Promise<void> {
    requireKnownRegion(
      await this.listRegions(),
      region,
      { provider: 'aws', operation, region },
      `AWS has no region "${region}" enabled for this account`,
    );
  }

  private mismatch(operation: DriverOperation, region: string, what: string): InvalidRequestError {
    return idempotencyMismatch(
      { provider: 'aws', operation, region, providerCode: 'IdempotentParameterMismatch' },
      what,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Regions, specs, images.
  // -------------------------------------------------------------------------------------------

  listRegions(): Promise<Region[]> {
    // A failed load (throttled, no credentials) is not cached.
    return this.regionsCache.get('', () =>
      this.run('listRegions', this.homeRegion, async (sdk, client) => {
        const answer = await client.send(new sdk.DescribeRegionsCommand({}));
        const codes = (answer.Regions ?? [])
          .map((region) => region.RegionName)
          .filter((code): code is string => !!code);
        return Promise.all(
          codes.sort().map(async (code) => {
            const { sdk: zoneSdk, client: regional } = await this.client(code);
            const zones = await regional.send(new zoneSdk.DescribeAvailabilityZonesCommand({}));
            return toRegion(code, zones.AvailabilityZones ?? []);
          }),
        );
      }),
    );
  }

  async listSpecs(query: SpecQuery = {}): Promise<Spec[]> {
    const { region, names } = parseRequest(SpecQuerySchema, query, {
      provider: 'aws',
      operation: 'listSpecs',
    });
    const regions = region ? [region] : this.listRegionsDefault;
    const specs: Spec[] = [];
    for (const code of regions) specs.push(...(await this.specsOf(code, names, 'listSpecs')));
    return specs;
  }

  /** Instance types change a few times a month: one fetch per region and driver lifetime. */
  private specsOf(region: string, names: string[] | undefined, operation: DriverOperation): Promise<Spec[]> {
    const all = this.specCache.get(region, () => this.fetchSpecs(region, operation));
    return all.then((specs) => (names ? specs.filter((spec) => names.includes(spec.name)) : specs));
  }

  private async fetchSpecs(region: string, operation: DriverOperation): Promise<Spec[]> {
    const { infos, offerings } = await this.run(operation, region, async (sdk, client) => {
      const infos = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.DescribeInstanceTypesCommand({
            MaxResults: 100,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        infos.push(...(page.InstanceTypes ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      // DescribeInstanceTypes describes types EC2 knows; only the offerings say where one is sold.
      const offerings = [];
      do {
        const page = await client.send(
          new sdk.DescribeInstanceTypeOfferingsCommand({
            LocationType: 'availability-zone',
            MaxResults: 1000,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        offerings.push(...(page.InstanceTypeOfferings ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return { infos, offerings };
    });
    const zones = zonesByInstanceType(offerings);
    const prices = await this.pricesOf(region, operation);
    const fetchedAt = this.now();
    return infos
      .filter((info) => zones.has(info.InstanceType ?? ''))
      .map((info) => {
        const name = info.InstanceType ?? '';
        return toSpec(region, info, fetchedAt, prices?.get(name), zones.get(name));
      })
      .filter((spec): spec is Spec => spec !== undefined);
  }

  /** On-demand Linux prices of a region, or undefined (prices stay null) when not configured. */
  private async pricesOf(region: string, operation: DriverOperation) {
    if (this.settings.prices !== 'price-list' && !this.priceFetcher) return undefined;
    if (!this.priceFetcher) {
      const { priceListFetcher } = await import('./aws-pricing.ts');
      // Kept: it caches each region's prices and holds one Pricing client.
      this.priceFetcher ??= priceListFetcher(this.settings);
    }
    try {
      return await this.priceFetcher(region);
    } catch (error) {
      throw mapAwsError(error, { provider: 'aws', region, operation });
    }
  }

  async getSpec(id: string): Promise<Spec> {
    return findSpec('aws', id, (region, name) => this.specsOf(region, [name], 'getSpec'));
  }

  async listImages(query: ImageQuery = {}): Promise<Image[]> {
    const {
      region = this.homeRegion,
      os,
      arch,
    } = parseRequest(ImageQuerySchema, query, {
      provider: 'aws',
      operation: 'listImages',
    });
    const raw = await this.run('listImages', region, async (sdk, client) => {
      const answer = await client.send(
        new sdk.DescribeImagesCommand({
          Owners: Object.values(OFFICIAL_IMAGE_OWNERS),
          Filters: [
            { Name: 'name', Values: OFFICIAL_IMAGE_NAME_PATTERNS },
            { Name: 'state', Values: ['available'] },
            ...(arch ? [{ Name: 'architecture', Values: [arch] }] : []),
          ],
        }),
      );
      return answer.Images ?? [];
    });
    return newestImages(region, raw).filter((image) => !os || image.os === os.toLowerCase());
  }

  private async rawImage(
    id: string,
    operation: DriverOperation,
  ): Promise<{ region: string; image: Ec2Image }> {
    const { region, local } = this.parse(id, 'image', operation);
    const image = await this.run(
      operation,
      region,
      async (sdk, client) => {
        const answer = await client.send(new sdk.DescribeImagesCommand({ ImageIds: [local] }));
        return answer.Images?.[0];
      },
      { kind: 'image', id },
    );
    if (!image) throw new NotFoundError('image', id, { provider: 'aws', region, operation });
    return { region, image };
  }

  async getImage(id: string): Promise<Image> {
    const { region, image } = await this.rawImage(id, 'getImage');
    const converted = toImage(region, image);
    if (!converted)
      throw new NotFoundError(
        'image',
        id,
        { provider: 'aws', region, operation: 'getImage' },
        'not an x86_64 or arm64 image',
      );
    return converted;
  }

  // -------------------------------------------------------------------------------------------
  // vNets (VPCs) and subnets.
  // -------------------------------------------------------------------------------------------

  async createVNet(input: CreateVNetRequest): Promise<VNet> {
    const request = parseRequest(CreateVNetRequestSchema, input, {
      provider: 'aws',
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
    const vpc = await this.run('createVNet', request.region, async (sdk, client) => {
      const answer = await client.send(
        new sdk.CreateVpcCommand({
          CidrBlock: request.cidrBlock,
          TagSpecifications: [
            { ResourceType: 'vpc', Tags: this.tagList(request.name, request.tags, request.idempotencyKey) },
          ],
        }),
      );
      const created = answer.Vpc;
      const VpcId = created?.VpcId;
      if (!VpcId) return created;
      // A new VPC has no way out: attach an internet gateway and route 0.0.0.0/0 to it, so VMs
      // with public IPs are reachable (as in the default VPC).
      const gateway = await client.send(
        new sdk.CreateInternetGatewayCommand({
          TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: recordToTags({ ...request.tags }) }],
        }),
      );
      const InternetGatewayId = gateway.InternetGateway?.InternetGatewayId;
      if (!InternetGatewayId) return created;
      await client.send(new sdk.AttachInternetGatewayCommand({ InternetGatewayId, VpcId }));
      const tables = await client.send(
        new sdk.DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [VpcId] },
            { Name: 'association.main', Values: ['true'] },
          ],
        }),
      );
      const RouteTableId = tables.RouteTables?.[0]?.RouteTableId;
      if (RouteTableId) {
        await client.send(
          new sdk.CreateRouteCommand({
            RouteTableId,
            DestinationCidrBlock: '0.0.0.0/0',
            GatewayId: InternetGatewayId,
          }),
        );
      }
      return created;
    });
    if (!vpc) throw mapAwsError(new Error('CreateVpc answered without a VPC'), { operation: 'createVNet' });
    return toVNet(request.region, vpc);
  }

  async getVNet(id: string): Promise<VNet> {
    const { region, local } = this.parse(id, 'vNet', 'getVNet');
    const [vpc] = await this.describeVpcs('getVNet', region, { VpcIds: [local] }, { kind: 'vNet', id });
    if (!vpc) throw new NotFoundError('vNet', id, { provider: 'aws', region, operation: 'getVNet' });
    return vpc;
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
      async (sdk, client) => {
        const vNets: VNet[] = [];
        let NextToken: string | undefined;
        do {
          const page = await client.send(
            new sdk.DescribeVpcsCommand({ ...input, ...(NextToken ? { NextToken } : {}) }),
          );
          vNets.push(...(page.Vpcs ?? []).map((vpc) => toVNet(region, vpc)));
          NextToken = page.NextToken;
        } while (NextToken);
        return vNets;
      },
      resource,
    );
  }

  async listVNets(filter: ResourceFilter = {}): Promise<VNet[]> {
    const { region, tags } = parseRequest(ResourceFilterSchema, filter, {
      provider: 'aws',
      operation: 'listVNets',
    });
    const vNets: VNet[] = [];
    for (const code of region ? [region] : this.listRegionsDefault) {
      vNets.push(...(await this.describeVpcs('listVNets', code, { Filters: tagFilters(tags) })));
    }
    return vNets;
  }

  async deleteVNet(id: string): Promise<void> {
    await deleteIfOwn('aws', id, (parsed) =>
      this.run(
        'deleteVNet',
        parsed.region,
        async (sdk, client) => {
          const VpcId = parsed.local;
          // Refuse while subnets remain, before the gateway is taken away from a VPC that stays.
          const subnets = await client.send(
            new sdk.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }),
          );
          if ((subnets.Subnets ?? []).length > 0) {
            throw Object.assign(new Error(`The vpc '${VpcId}' has dependencies and cannot be deleted.`), {
              name: 'DependencyViolation',
            });
          }
          const gateways = await client.send(
            new sdk.DescribeInternetGatewaysCommand({
              Filters: [{ Name: 'attachment.vpc-id', Values: [VpcId] }],
            }),
          );
          for (const gateway of gateways.InternetGateways ?? []) {
            const InternetGatewayId = gateway.InternetGatewayId;
            if (!InternetGatewayId) continue;
            await client.send(new sdk.DetachInternetGatewayCommand({ InternetGatewayId, VpcId }));
            await client.send(new sdk.DeleteInternetGatewayCommand({ InternetGatewayId }));
          }
          await client.send(new sdk.DeleteVpcCommand({ VpcId }));
        },
        { kind: 'vNet', id },
      ),
    );
  }

  async createSubnet(input: CreateSubnetRequest): Promise<Subnet> {
    const request = parseRequest(CreateSubnetRequestSchema, input, {
      provider: 'aws',
      operation: 'createSubnet',
    });
    const vNet = await this.getVNet(request.vNetId);
    const context = { provider: 'aws' as const, operation: 'createSubnet', region: vNet.region };
    requireSubnetInsideVNet(request.cidrBlock, vNet.cidrBlock, context);
    const earlier = await earlierCreate(
      request.idempotencyKey,
      (tags) => this.listSubnets({ region: vNet.region, tags }),
      (earlier) => sameSubnetRequest(earlier, request, vNet.id),
      () => this.mismatch('createSubnet', vNet.region, 'vNetId or cidrBlock'),
    );
    if (earlier) return earlier;
    const subnet = await this.run('createSubnet', vNet.region, async (sdk, client) => {
      const answer = await client.send(
        new sdk.CreateSubnetCommand({
          VpcId: vNet.cspId,
          CidrBlock: request.cidrBlock,
          ...(request.zone ? { AvailabilityZone: request.zone } : {}),
          TagSpecifications: [
            {
              ResourceType: 'subnet',
              Tags: this.tagList(request.name, request.tags, request.idempotencyKey),
            },
          ],
        }),
      );
      return answer.Subnet;
    });
    if (!subnet) throw mapAwsError(new Error('CreateSubnet answered without a subnet'), context);
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
      async (sdk, client) => {
        const subnets: Subnet[] = [];
        let NextToken: string | undefined;
        do {
          const page = await client.send(
            new sdk.DescribeSubnetsCommand({ ...input, ...(NextToken ? { NextToken } : {}) }),
          );
          subnets.push(...(page.Subnets ?? []).map((subnet) => toSubnet(region, subnet)));
          NextToken = page.NextToken;
        } while (NextToken);
        return subnets;
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
    if (!subnet) throw new NotFoundError('subnet', id, { provider: 'aws', region, operation: 'getSubnet' });
    return subnet;
  }

  async listSubnets(filter: ResourceFilter & { vNetId?: string } = {}): Promise<Subnet[]> {
    const { vNetId, ...rest } = filter;
    const { region, tags } = parseRequest(ResourceFilterSchema, rest, {
      provider: 'aws',
      operation: 'listSubnets',
    });
    const vpc = vNetId ? parseResourceId(vNetId) : undefined;
    if (vNetId && vpc?.provider !== 'aws') return [];
    const filters = [...tagFilters(tags), ...(vpc ? [{ Name: 'vpc-id', Values: [vpc.local] }] : [])];
    const subnets: Subnet[] = [];
    for (const code of regionsToSearch(region, vpc?.region, this.listRegionsDefault)) {
      subnets.push(...(await this.describeSubnets('listSubnets', code, { Filters: filters })));
    }
    return subnets;
  }

  async deleteSubnet(id: string): Promise<void> {
    await deleteIfOwn('aws', id, (parsed) =>
      this.run(
        'deleteSubnet',
        parsed.region,
        (sdk, client) => client.send(new sdk.DeleteSubnetCommand({ SubnetId: parsed.local })),
        { kind: 'subnet', id },
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Security groups.
  // -------------------------------------------------------------------------------------------

  async createSecurityGroup(input: CreateSecurityGroupRequest): Promise<SecurityGroup> {
    const request = parseRequest(CreateSecurityGroupRequestSchema, input, {
      provider: 'aws',
      operation: 'createSecurityGroup',
    });
    const vNet = await this.getVNet(request.vNetId);
    const earlier = await earlierCreate(
      request.idempotencyKey,
      (tags) => this.listSecurityGroups({ region: vNet.region, tags }),
      (earlier) => sameSecurityGroupRequest(earlier, request, vNet.id),
      () => this.mismatch('createSecurityGroup', vNet.region, 'vNetId or name'),
    );
    if (earlier) return earlier;
    const groupId = await this.run('createSecurityGroup', vNet.region, async (sdk, client) => {
      const answer = await client.send(
        new sdk.CreateSecurityGroupCommand({
          GroupName: request.name,
          // EC2 requires a description.
          Description: request.description || placeholderDescription(request.name),
          VpcId: vNet.cspId,
          TagSpecifications: [
            {
              ResourceType: 'security-group',
              Tags: this.tagList(request.name, request.tags, request.idempotencyKey),
            },
          ],
        }),
      );
      return answer.GroupId ?? '';
    });
    const id = resourceId('aws', vNet.region, groupId);
    return this.applyRules(id, await this.getSecurityGroup(id), request.rules, 'createSecurityGroup');
  }

  private async describeSecurityGroups(
    operation: DriverOperation,
    region: string,
    input: { GroupIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<SecurityGroup[]> {
    return this.run(
      operation,
      region,
      async (sdk, client) => {
        const groups: SecurityGroup[] = [];
        let NextToken: string | undefined;
        do {
          const page = await client.send(
            new sdk.DescribeSecurityGroupsCommand({ ...input, ...(NextToken ? { NextToken } : {}) }),
          );
          groups.push(...(page.SecurityGroups ?? []).map((group) => toSecurityGroup(region, group)));
          NextToken = page.NextToken;
        } while (NextToken);
        return groups;
      },
      resource,
    );
  }

  async getSecurityGroup(id: string): Promise<SecurityGroup> {
    const { region, local } = this.parse(id, 'securityGroup', 'getSecurityGroup');
    const [group] = await this.describeSecurityGroups(
      'getSecurityGroup',
      region,
      { GroupIds: [local] },
      {
        kind: 'securityGroup',
        id,
      },
    );
    if (!group)
      throw new NotFoundError('securityGroup', id, {
        provider: 'aws',
        region,
        operation: 'getSecurityGroup',
      });
    return group;
  }

  async listSecurityGroups(filter: ResourceFilter & { vNetId?: string } = {}): Promise<SecurityGroup[]> {
    const { vNetId, ...rest } = filter;
    const { region, tags } = parseRequest(ResourceFilterSchema, rest, {
      provider: 'aws',
      operation: 'listSecurityGroups',
    });
    const vpc = vNetId ? parseResourceId(vNetId) : undefined;
    if (vNetId && vpc?.provider !== 'aws') return [];
    // Only groups s2a made: every VPC's undeletable "default" group carries no s2a tags.
    const filters = [...tagFilters(tags), ...(vpc ? [{ Name: 'vpc-id', Values: [vpc.local] }] : [])];
    const groups: SecurityGroup[] = [];
    for (const code of regionsToSearch(region, vpc?.region, this.listRegionsDefault)) {
      const found = await this.describeSecurityGroups('listSecurityGroups', code, { Filters: filters });
      groups.push(...found.filter((group) => group.name !== 'default' || group.tags['s2a:owner']));
    }
    return groups;
  }

  async setSecurityGroupRules(id: string, rules: SecurityRule[]): Promise<SecurityGroup> {
    const desired = parseRequest(SecurityRuleSchema.array().max(200), rules, {
      provider: 'aws',
      operation: 'setSecurityGroupRules',
    });
    const group = await this.getSecurityGroup(id);
    return this.applyRules(id, group, desired, 'setSecurityGroupRules');
  }

  /**
   * Makes the group's inbound rules exactly `desired`; outbound rules too when `desired` has any
   * (none keeps EC2's default allow-all egress, which most apps need for package installs).
   */
  private async applyRules(
    id: string,
    group: SecurityGroup,
    desired: readonly SecurityRule[],
    operation: DriverOperation,
  ): Promise<SecurityGroup> {
    const plan: { direction: SecurityRule['direction']; add: SecurityRule[]; remove: SecurityRule[] }[] = [];
    for (const direction of ['inbound', 'outbound'] as const) {
      const wanted = desired.filter((rule) => rule.direction === direction);
      if (direction === 'outbound' && wanted.length === 0) continue;
      const current = group.rules.filter((rule) => rule.direction === direction);
      const wantedKeys = new Set(wanted.map(ruleIdentity));
      const currentKeys = new Set(current.map(ruleIdentity));
      const unique = new Map(wanted.map((rule) => [ruleIdentity(rule), rule]));
      plan.push({
        direction,
        add: [...unique.values()].filter((rule) => !currentKeys.has(ruleIdentity(rule))),
        remove: current.filter((rule) => !wantedKeys.has(ruleIdentity(rule))),
      });
    }
    const permissions = (list: SecurityRule[]): IpPermission[] => list.map(ruleToPermission);
    await this.run(
      operation,
      group.region,
      async (sdk, client) => {
        for (const { direction, add, remove } of plan) {
          const GroupId = group.cspId;
          // Add before removing, so a port that stays open is never closed in between.
          const IpPermissions = permissions(add);
          if (add.length > 0 && direction === 'inbound')
            await client.send(new sdk.AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions }));
          if (add.length > 0 && direction === 'outbound')
            await client.send(new sdk.AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions }));
          const revoke = permissions(remove);
          if (remove.length > 0 && direction === 'inbound')
            await client.send(new sdk.RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: revoke }));
          if (remove.length > 0 && direction === 'outbound')
            await client.send(new sdk.RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: revoke }));
        }
      },
      { kind: 'securityGroup', id },
    );
    return this.getSecurityGroup(id);
  }

  async deleteSecurityGroup(id: string): Promise<void> {
    await deleteIfOwn('aws', id, (parsed) =>
      this.run(
        'deleteSecurityGroup',
        parsed.region,
        (sdk, client) => client.send(new sdk.DeleteSecurityGroupCommand({ GroupId: parsed.local })),
        { kind: 'securityGroup', id },
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Key pairs.
  // -------------------------------------------------------------------------------------------

  async createKeyPair(input: CreateKeyPairRequest): Promise<KeyPairCreated> {
    const request = parseRequest(CreateKeyPairRequestSchema, input, {
      provider: 'aws',
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
    // Generated here and imported, so the private key exists only in this answer.
    const generated = request.publicKey ? undefined : generateEd25519KeyPair(request.name);
    const publicKey = request.publicKey ?? generated?.publicKey ?? '';
    const keyPairId = await this.run('createKeyPair', request.region, async (sdk, client) => {
      const tags = this.tagList(request.name, request.tags, request.idempotencyKey);
      const answer = await client.send(
        new sdk.ImportKeyPairCommand({
          KeyName: request.name,
          PublicKeyMaterial: new TextEncoder().encode(publicKey),
          // A key pair's name is its KeyName; the Name tag would only repeat it.
          TagSpecifications: [{ ResourceType: 'key-pair', Tags: tags.filter((tag) => tag.Key !== NAME_TAG) }],
        }),
      );
      return answer.KeyPairId ?? '';
    });
    const keyPair = await this.getKeyPair(resourceId('aws', request.region, keyPairId));
    return generated ? { ...keyPair, privateKey: generated.privateKey } : keyPair;
  }

  private describeKeyPairs(
    operation: DriverOperation,
    region: string,
    input: { KeyPairIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<KeyPair[]> {
    return this.run(
      operation,
      region,
      async (sdk, client) => {
        const answer = await client.send(
          new sdk.DescribeKeyPairsCommand({ ...input, IncludePublicKey: true }),
        );
        return (answer.KeyPairs ?? []).map((key) => toKeyPair(region, key));
      },
      resource,
    );
  }

  async getKeyPair(id: string): Promise<KeyPair> {
    const { region, local } = this.parse(id, 'keyPair', 'getKeyPair');
    const [keyPair] = await this.describeKeyPairs(
      'getKeyPair',
      region,
      { KeyPairIds: [local] },
      { kind: 'keyPair', id },
    );
    if (!keyPair)
      throw new NotFoundError('keyPair', id, { provider: 'aws', region, operation: 'getKeyPair' });
    return keyPair;
  }

  async listKeyPairs(filter: ResourceFilter = {}): Promise<KeyPair[]> {
    const { region, tags } = parseRequest(ResourceFilterSchema, filter, {
      provider: 'aws',
      operation: 'listKeyPairs',
    });
    const keyPairs: KeyPair[] = [];
    for (const code of region ? [region] : this.listRegionsDefault) {
      keyPairs.push(...(await this.describeKeyPairs('listKeyPairs', code, { Filters: tagFilters(tags) })));
    }
    return keyPairs;
  }

  async deleteKeyPair(id: string): Promise<void> {
    await deleteIfOwn('aws', id, (parsed) =>
      this.run(
        'deleteKeyPair',
        parsed.region,
        (sdk, client) => client.send(new sdk.DeleteKeyPairCommand({ KeyPairId: parsed.local })),
        { kind: 'keyPair', id },
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // VMs.
  // -------------------------------------------------------------------------------------------

  async createVm(input: CreateVmRequest): Promise<Vm> {
    const request = parseRequest(CreateVmRequestSchema, input, { provider: 'aws', operation: 'createVm' });
    const context = { provider: 'aws' as const, operation: 'createVm', region: request.region };
    await this.requireRegion(request.region, 'createVm');
    const spec = await specForCreate('aws', request, (id) => this.getSpec(id), context);
    const { image } = await this.rawImage(request.imageId, 'createVm');
    const converted = toImage(request.region, image);
    requireImageRunsOn(request.imageId, converted, image.Architecture, spec, context);
    const subnet = await this.getSubnet(request.subnetId);
    requireSubnetZone(subnet, request.zone, context);
    const zone = request.zone ?? subnet.zone;
    if (zone && spec.zones && !spec.zones.includes(zone)) {
      throw new InvalidRequestError(
        `instance type ${spec.name} is not offered in ${zone}; it is in ${spec.zones.join(', ')}`,
        context,
        [`zone: ${spec.name} is offered in ${spec.zones.join(', ')}`],
      );
    }
    for (const groupId of request.securityGroupIds) await this.getSecurityGroup(groupId);
    const keyPair = await this.getKeyPair(request.keyPairId);
    const username = loginUserFor(converted.os);
    const rootDiskGiB = request.rootDiskGiB ?? DEFAULT_ROOT_DISK_GIB;
    const instanceTags = this.tagList(request.name, request.tags, request.idempotencyKey, {
      [VM_FACTS_TAG]: formatVmFacts({
        user: username,
        disk: String(rootDiskGiB),
        key: keyPair.cspId,
        subnet: subnet.cspId,
        vpc: parseResourceId(subnet.vNetId)?.local,
      }),
    });
    const instance = await this.run('createVm', request.region, async (sdk, client) => {
      const answer = await client.send(
        new sdk.RunInstancesCommand({
          ImageId: image.ImageId,
          InstanceType: spec.name as never,
          MinCount: 1,
          MaxCount: 1,
          KeyName: keyPair.name,
          NetworkInterfaces: [
            {
              DeviceIndex: 0,
              SubnetId: subnet.cspId,
              Groups: request.securityGroupIds.map((groupId) => parseResourceId(groupId)?.local ?? groupId),
              AssociatePublicIpAddress: true,
              DeleteOnTermination: true,
            },
          ],
          BlockDeviceMappings: [
            {
              DeviceName: image.RootDeviceName ?? '/dev/sda1',
              Ebs: { VolumeSize: rootDiskGiB, VolumeType: 'gp3', DeleteOnTermination: true },
            },
          ],
          ...(request.userData ? { UserData: Buffer.from(request.userData).toString('base64') } : {}),
          ...(request.spot
            ? {
                InstanceMarketOptions: {
                  MarketType: 'spot',
                  SpotOptions: { SpotInstanceType: 'one-time', InstanceInterruptionBehavior: 'terminate' },
                },
              }
            : {}),
          // EC2's own idempotency: the same token returns the first launch.
          ...(request.idempotencyKey ? { ClientToken: request.idempotencyKey } : {}),
          TagSpecifications: [
            { ResourceType: 'instance', Tags: instanceTags },
            { ResourceType: 'volume', Tags: recordToTags({ ...request.tags, [NAME_TAG]: request.name }) },
          ],
        }),
      );
      return answer.Instances?.[0];
    });
    if (!instance) throw mapAwsError(new Error('RunInstances answered without an instance'), context);
    return this.toVms(request.region, [instance]).then((vms) => vms[0] as Vm);
  }

  /** Converts instances, looking up key pair ids for instances s2a did not create. */
  private async toVms(region: string, instances: readonly Instance[]): Promise<Vm[]> {
    const keyPairIds = new Map<string, string>();
    const unknownNames = new Set<string>();
    for (const instance of instances) {
      const facts = parseVmFacts(instance.Tags?.find((tag) => tag.Key === VM_FACTS_TAG)?.Value);
      if (instance.KeyName && !facts.key) unknownNames.add(instance.KeyName);
    }
    if (unknownNames.size > 0) {
      const keys = await this.describeKeyPairs('listKeyPairs', region, {
        Filters: [{ Name: 'key-name', Values: [...unknownNames] }],
      });
      for (const key of keys) keyPairIds.set(key.name, key.cspId);
    }
    const defaults = { username: AWS_CAPABILITIES.defaultUsername, rootDiskGiB: DEFAULT_ROOT_DISK_GIB };
    return instances.map((instance) => toVm(region, instance, keyPairIds, defaults));
  }

  private async describeInstances(
    operation: DriverOperation,
    region: string,
    input: { InstanceIds?: string[]; Filters?: Filter[] },
    resource?: ResourceHint,
  ): Promise<Vm[]> {
    const instances = await this.run(
      operation,
      region,
      async (sdk, client) => {
        const all: Instance[] = [];
        let NextToken: string | undefined;
        do {
          const page = await client.send(
            new sdk.DescribeInstancesCommand({ ...input, ...(NextToken ? { NextToken } : {}) }),
          );
          for (const reservation of page.Reservations ?? []) all.push(...(reservation.Instances ?? []));
          NextToken = page.NextToken;
        } while (NextToken);
        return all;
      },
      resource,
    );
    return this.toVms(region, instances);
  }

  async getVm(id: string): Promise<Vm> {
    const { region, local } = this.parse(id, 'vm', 'getVm');
    const [vm] = await this.describeInstances('getVm', region, { InstanceIds: [local] }, { kind: 'vm', id });
    if (!vm) throw new NotFoundError('vm', id, { provider: 'aws', region, operation: 'getVm' });
    return vm;
  }

  async listVms(filter: VmFilter = {}): Promise<Vm[]> {
    const { region, tags, statuses, includeTerminated } = parseRequest(VmFilterSchema, filter, {
      provider: 'aws',
      operation: 'listVms',
    });
    const wanted = vmStatusFilter(statuses, includeTerminated);
    const vms: Vm[] = [];
    for (const code of region ? [region] : this.listRegionsDefault) {
      const found = await this.describeInstances('listVms', code, { Filters: tagFilters(tags) });
      vms.push(...found.filter(wanted));
    }
    return vms;
  }

  /** One instance state change: EC2 accepts it and the instance moves on by itself. */
  private async changeState(
    operation: 'suspendVm' | 'resumeVm' | 'rebootVm' | 'terminateVm',
    id: string,
  ): Promise<Vm> {
    const { region, local } = this.parse(id, 'vm', operation);
    const before = await this.describeInstances(
      operation,
      region,
      { InstanceIds: [local] },
      { kind: 'vm', id },
    );
    if (!before[0]) throw new NotFoundError('vm', id, { provider: 'aws', region, operation });
    // Terminating what is already gone succeeds (the contract's idempotent delete).
    if (operation === 'terminateVm' && before[0].status === 'Terminated') return before[0];
    await this.run(
      operation,
      region,
      (sdk, client) => {
        const InstanceIds = [local];
        switch (operation) {
          case 'suspendVm':
            return client.send(new sdk.StopInstancesCommand({ InstanceIds }));
          case 'resumeVm':
            return client.send(new sdk.StartInstancesCommand({ InstanceIds }));
          case 'rebootVm':
            return client.send(new sdk.RebootInstancesCommand({ InstanceIds }));
          case 'terminateVm':
            return client.send(new sdk.TerminateInstancesCommand({ InstanceIds }));
        }
      },
      { kind: 'vm', id },
    );
    const [after] = await this.describeInstances(
      operation,
      region,
      { InstanceIds: [local] },
      { kind: 'vm', id },
    );
    if (!after) throw new NotFoundError('vm', id, { provider: 'aws', region, operation });
    // EC2 says "pending" both for a launch and a start; after StartInstances it is a resume.
    if (operation === 'resumeVm' && after.status === 'Creating') return { ...after, status: 'Resuming' };
    return after;
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
    this.priceFetcher?.close?.();
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
