// A local EC2 that speaks the Query API (form-encoded POST, XML answers, EC2 error XML) with its
// own in-memory state, so the real SDK and driver are tested at the wire.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cidrBounds, fakeRequestId, fakeResourceId, numberToIp } from '../../spec/testing/fake-ids.ts';
import {
  FAKE_ACCOUNT_ID,
  FIXTURE_IMAGES,
  FIXTURE_INSTANCE_TYPES,
  FIXTURE_REGIONS,
  imageItem,
  instanceTypeItem,
  instanceTypeOfferings,
  regionItems,
  zoneItems,
} from './ec2-fixtures.ts';
import { errorXml, responseXml, type XmlValue } from './xml.ts';

/** An EC2 error: code, message and the HTTP status EC2 sends with it. */
export class Ec2Fault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** HTTP statuses EC2 uses for the errors the tests provoke (server-side ones are 5xx). */
const STATUS_BY_CODE: Record<string, number> = {
  InsufficientInstanceCapacity: 500,
  InternalError: 500,
  RequestLimitExceeded: 503,
  AuthFailure: 401,
  UnauthorizedOperation: 403,
};

export interface RecordedRequest {
  action: string;
  region: string;
  params: Map<string, string>;
  authorization: string;
}

interface Tagged {
  tags: Map<string, string>;
}
interface FakeVpc extends Tagged {
  id: string;
  cidr: string;
}
interface FakeSubnet extends Tagged {
  id: string;
  vpcId: string;
  cidr: string;
  zone: string;
  nextHost: number;
}
interface FakeRule {
  protocol: string;
  fromPort?: number;
  toPort?: number;
  cidr: string;
  description?: string;
}
interface FakeGroup extends Tagged {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  ingress: FakeRule[];
  egress: FakeRule[];
}
interface FakeKey extends Tagged {
  id: string;
  name: string;
  publicKey: string;
  createdAt: string;
}
interface FakeInstance extends Tagged {
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  keyName: string;
  subnetId: string;
  vpcId: string;
  zone: string;
  groupIds: string[];
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';
  reason: string;
  launchTime: string;
  privateIp: string;
  publicIp: string | undefined;
  spot: boolean;
  rootDeviceName: string;
  volumeSize: number;
  clientToken: string | undefined;
  fingerprint: string;
}

interface FakeGateway extends Tagged {
  id: string;
  vpcId: string | undefined;
}
interface FakeRouteTable extends Tagged {
  id: string;
  vpcId: string;
  routes: { destination: string; gatewayId: string }[];
}

interface RegionState {
  gateways: Map<string, FakeGateway>;
  routeTables: Map<string, FakeRouteTable>;
  vpcs: Map<string, FakeVpc>;
  subnets: Map<string, FakeSubnet>;
  groups: Map<string, FakeGroup>;
  keys: Map<string, FakeKey>;
  instances: Map<string, FakeInstance>;
}

const STATE_CODES: Record<FakeInstance['state'], number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** Where each transitional state goes on the next DescribeInstances (no clocks: tests are not timed). */
const NEXT_STATE: Partial<Record<FakeInstance['state'], FakeInstance['state']>> = {
  pending: 'running',
  stopping: 'stopped',
  'shutting-down': 'terminated',
};

/** `*` and `?` wildcards of EC2 filters. */
function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Reads `Prefix.N` values of a Query API list. */
export function listParam(params: Map<string, string>, prefix: string): string[] {
  const values: string[] = [];
  for (let index = 1; params.has(`${prefix}.${index}`); index++)
    values.push(params.get(`${prefix}.${index}`) ?? '');
  return values;
}

/** Reads `Prefix.N.*` structures of a Query API list, each as its own map without the prefix. */
export function structParam(params: Map<string, string>, prefix: string): Map<string, string>[] {
  const items: Map<string, string>[] = [];
  for (let index = 1; ; index++) {
    const start = `${prefix}.${index}.`;
    const item = new Map<string, string>();
    for (const [key, value] of params) if (key.startsWith(start)) item.set(key.slice(start.length), value);
    if (item.size === 0) return items;
    items.push(item);
  }
}

function tagSet(tags: Map<string, string>): XmlValue[] {
  return [...tags].map(([key, value]) => ({ key, value }));
}

export class FakeEc2 {
  readonly requests: RecordedRequest[] = [];
  private readonly regions = new Map<string, RegionState>();
  private readonly failures: { action: string; code: string; message: string }[] = [];
  private counter = 0;
  private server: Server | undefined;
  /** Page size of DescribeInstanceTypes, small so the driver's pagination is exercised. */
  instanceTypePageSize = 3;

  private constructor() {}

  static async start(): Promise<FakeEc2> {
    const fake = new FakeEc2();
    const server = createServer((request, response) => {
      fake.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(errorXml('InternalError', String(error), fake.requestId()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    return fake;
  }

  get endpoint(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return `http://127.0.0.1:${address?.port ?? 0}`;
  }

  /** The next call of `action` answers with this EC2 error (one-shot). */
  failNext(action: string, code: string, message = `${code} (provoked by the test)`): void {
    this.failures.push({ action, code, message });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Requests of one action, oldest first. */
  requestsOf(action: string): RecordedRequest[] {
    return this.requests.filter((request) => request.action === action);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private requestId(): string {
    return fakeRequestId(++this.counter);
  }

  private newId(prefix: string): string {
    return fakeResourceId(prefix, ++this.counter, 17);
  }

  private state(region: string): RegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = {
        gateways: new Map(),
        routeTables: new Map(),
        vpcs: new Map(),
        subnets: new Map(),
        groups: new Map(),
        keys: new Map(),
        instances: new Map(),
      };
      this.regions.set(region, state);
    }
    return state;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const params = new Map(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const action = params.get('Action') ?? '';
    const authorization = String(request.headers.authorization ?? '');
    // SigV4 credential scope: AKID/date/region/ec2/aws4_request.
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\/ec2\/aws4_request/.exec(authorization)?.[1] ?? '';
    this.requests.push({ action, region, params, authorization });
    const requestId = this.requestId();
    response.setHeader('content-type', 'text/xml;charset=UTF-8');
    try {
      if (request.method !== 'POST' || params.get('Version') !== '2016-11-15') {
        throw new Ec2Fault('InvalidAction', `The action ${action} is not valid for this web service.`);
      }
      if (!authorization.startsWith('AWS4-HMAC-SHA256 ') || !request.headers['x-amz-date'] || !region) {
        throw new Ec2Fault(
          'AuthFailure',
          'AWS was not able to validate the provided access credentials',
          401,
        );
      }
      const failure = this.failures.findIndex((entry) => entry.action === action);
      if (failure >= 0) {
        const [provoked] = this.failures.splice(failure, 1);
        if (provoked)
          throw new Ec2Fault(provoked.code, provoked.message, STATUS_BY_CODE[provoked.code] ?? 400);
      }
      const body = this.dispatch(action, region, params);
      response.statusCode = 200;
      response.end(responseXml(action, requestId, body));
    } catch (error) {
      const fault = error instanceof Ec2Fault ? error : new Ec2Fault('InternalError', String(error), 500);
      response.statusCode = fault.status;
      response.end(errorXml(fault.code, fault.message, requestId));
    }
  }

  private dispatch(
    action: string,
    region: string,
    params: Map<string, string>,
  ): { [name: string]: XmlValue } {
    const state = this.state(region);
    switch (action) {
      case 'DescribeRegions':
        return { regionInfo: regionItems() };
      case 'DescribeAvailabilityZones':
        return { availabilityZoneInfo: zoneItems(region) };
      case 'DescribeInstanceTypes':
        return this.describeInstanceTypes(params);
      case 'DescribeInstanceTypeOfferings':
        return this.describeInstanceTypeOfferings(region, params);
      case 'DescribeImages':
        return this.describeImages(params);
      case 'CreateVpc':
        return this.createVpc(state, region, params);
      case 'DescribeVpcs':
        return this.paged(
          params,
          'vpcSet',
          this.select(
            state.vpcs,
            listParam(params, 'VpcId'),
            'InvalidVpcID',
            /^vpc-[0-9a-f]{8,17}$/,
            params,
            vpcFilter,
          ).map(vpcItem),
        );
      case 'DeleteVpc':
        return this.deleteVpc(state, params);
      case 'CreateSubnet':
        return this.createSubnet(state, region, params);
      case 'DescribeSubnets':
        return this.paged(
          params,
          'subnetSet',
          this.select(
            state.subnets,
            listParam(params, 'SubnetId'),
            'InvalidSubnetID',
            /^subnet-[0-9a-f]{8,17}$/,
            params,
            subnetFilter,
          ).map(subnetItem),
        );
      case 'DeleteSubnet':
        return this.deleteSubnet(state, params);
      case 'CreateSecurityGroup':
        return this.createSecurityGroup(state, params);
      case 'DescribeSecurityGroups':
        return this.paged(
          params,
          'securityGroupInfo',
          this.select(
            state.groups,
            listParam(params, 'GroupId'),
            'InvalidGroup',
            /^sg-[0-9a-f]{8,17}$/,
            params,
            groupFilter,
          ).map(groupItem),
        );
      case 'DeleteSecurityGroup':
        return this.deleteSecurityGroup(state, params);
      case 'AuthorizeSecurityGroupIngress':
      case 'AuthorizeSecurityGroupEgress':
      case 'RevokeSecurityGroupIngress':
      case 'RevokeSecurityGroupEgress':
        return this.changeRules(state, action, params);
      case 'ImportKeyPair':
        return this.importKeyPair(state, params);
      case 'DescribeKeyPairs':
        return {
          keySet: this.select(
            state.keys,
            listParam(params, 'KeyPairId'),
            'InvalidKeyPair',
            /^key-[0-9a-f]{8,17}$/,
            params,
            keyFilter,
          ).map((key) => keyItem(key, params.get('IncludePublicKey') === 'true')),
        };
      case 'DeleteKeyPair':
        return this.deleteKeyPair(state, params);
      case 'RunInstances':
        return this.runInstances(state, region, params);
      case 'DescribeInstances':
        return this.describeInstances(state, params);
      case 'StopInstances':
      case 'StartInstances':
      case 'TerminateInstances':
        return this.changeInstances(state, action, params);
      case 'RebootInstances':
        this.instancesByIds(state, listParam(params, 'InstanceId'));
        return { return: true };
      case 'CreateInternetGateway': {
        const gateway: FakeGateway = {
          id: this.newId('igw'),
          vpcId: undefined,
          tags: this.tagsFor(params, 'internet-gateway'),
        };
        state.gateways.set(gateway.id, gateway);
        return { internetGateway: gatewayItem(gateway) };
      }
      case 'AttachInternetGateway':
      case 'DetachInternetGateway': {
        const gateway = state.gateways.get(this.required(params, 'InternetGatewayId'));
        if (!gateway) throw new Ec2Fault('InvalidInternetGatewayID.NotFound', 'not found');
        const vpcId = this.required(params, 'VpcId');
        this.select(state.vpcs, [vpcId], 'InvalidVpcID', /^vpc-[0-9a-f]{8,17}$/, new Map(), vpcFilter);
        gateway.vpcId = action === 'AttachInternetGateway' ? vpcId : undefined;
        return { return: true };
      }
      case 'DeleteInternetGateway': {
        const gateway = state.gateways.get(this.required(params, 'InternetGatewayId'));
        if (!gateway) throw new Ec2Fault('InvalidInternetGatewayID.NotFound', 'not found');
        if (gateway.vpcId)
          throw new Ec2Fault(
            'DependencyViolation',
            `The internetGateway '${gateway.id}' has dependencies and cannot be deleted.`,
          );
        state.gateways.delete(gateway.id);
        return { return: true };
      }
      case 'DescribeInternetGateways': {
        const gateways = [...state.gateways.values()].filter((gateway) =>
          this.matches(gateway, params, (resource, name) =>
            name === 'attachment.vpc-id'
              ? resource.vpcId
                ? [resource.vpcId]
                : []
              : name === 'internet-gateway-id'
                ? [resource.id]
                : undefined,
          ),
        );
        return { internetGatewaySet: gateways.map(gatewayItem) };
      }
      case 'DescribeRouteTables': {
        const tables = [...state.routeTables.values()].filter((table) =>
          this.matches(table, params, (resource, name) =>
            name === 'vpc-id' ? [resource.vpcId] : name === 'association.main' ? ['true'] : undefined,
          ),
        );
        return { routeTableSet: tables.map(routeTableItem) };
      }
      case 'CreateRoute': {
        const table = state.routeTables.get(this.required(params, 'RouteTableId'));
        if (!table) throw new Ec2Fault('InvalidRouteTableID.NotFound', 'not found');
        table.routes.push({
          destination: this.required(params, 'DestinationCidrBlock'),
          gatewayId: this.required(params, 'GatewayId'),
        });
        return { return: true };
      }
      case 'CreateTags':
        return this.createTags(state, params);
      default:
        throw new Ec2Fault('InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  // --- generic helpers ----------------------------------------------------------------------

  /** Resources by ids (unknown ones fail the whole call, as EC2 does) or all, then filtered. */
  private select<T extends Tagged & { id: string }>(
    all: Map<string, T>,
    ids: string[],
    codePrefix: string,
    shape: RegExp,
    params: Map<string, string>,
    filterValues: (resource: T, name: string) => string[] | undefined,
  ): T[] {
    let chosen: T[];
    if (ids.length > 0) {
      chosen = ids.map((id) => {
        // Key pairs have no Malformed code in EC2: an id of another shape is simply not found.
        if (!shape.test(id) && codePrefix !== 'InvalidKeyPair')
          throw new Ec2Fault(
            `${codePrefix}${codePrefix === 'InvalidGroup' ? 'Id' : ''}.Malformed`,
            `Invalid id: "${id}"`,
          );
        const found = all.get(id);
        if (!found) throw new Ec2Fault(`${codePrefix}.NotFound`, `The ID '${id}' does not exist`);
        return found;
      });
    } else {
      chosen = [...all.values()];
    }
    return chosen.filter((resource) => this.matches(resource, params, filterValues));
  }

  private matches<T extends Tagged>(
    resource: T,
    params: Map<string, string>,
    filterValues: (resource: T, name: string) => string[] | undefined,
  ): boolean {
    for (const filter of structParam(params, 'Filter')) {
      const name = filter.get('Name') ?? '';
      const wanted = [...filter].filter(([key]) => key.startsWith('Value.')).map(([, value]) => value);
      let actual: string[] | undefined;
      if (name.startsWith('tag:')) {
        const value = resource.tags.get(name.slice(4));
        actual = value === undefined ? [] : [value];
      } else if (name === 'tag-key') {
        actual = [...resource.tags.keys()];
      } else {
        actual = filterValues(resource, name);
      }
      if (actual === undefined)
        throw new Ec2Fault('InvalidParameterValue', `The filter '${name}' is invalid`);
      if (!actual.some((value) => wanted.some((pattern) => wildcard(pattern).test(value)))) return false;
    }
    return true;
  }

  /** MaxResults/NextToken paging over an already selected list. */
  private paged(params: Map<string, string>, setName: string, items: XmlValue[], pageSize?: number) {
    const asked = Number(params.get('MaxResults') ?? items.length) || items.length || 1;
    // EC2 may answer fewer than MaxResults with a NextToken; pageSize makes the fake do so.
    const size = Math.min(asked, pageSize ?? asked);
    const start = Number(Buffer.from(params.get('NextToken') ?? '', 'base64').toString() || '0');
    const page = items.slice(start, start + size);
    const next =
      start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
    return { [setName]: page, nextToken: next };
  }

  private tagsFor(params: Map<string, string>, resourceType: string): Map<string, string> {
    const tags = new Map<string, string>();
    for (const spec of structParam(params, 'TagSpecification')) {
      if (spec.get('ResourceType') !== resourceType) continue;
      for (let index = 1; spec.has(`Tag.${index}.Key`); index++) {
        tags.set(spec.get(`Tag.${index}.Key`) ?? '', spec.get(`Tag.${index}.Value`) ?? '');
      }
    }
    if (tags.size > 50)
      throw new Ec2Fault('TagLimitExceeded', 'The maximum number of tags (50) was exceeded');
    return tags;
  }

  private required(params: Map<string, string>, name: string): string {
    const value = params.get(name);
    if (!value) throw new Ec2Fault('MissingParameter', `The request must contain the parameter ${name}`);
    return value;
  }

  // --- catalog ------------------------------------------------------------------------------

  private describeInstanceTypes(params: Map<string, string>) {
    const names = listParam(params, 'InstanceType');
    for (const name of names) {
      if (!FIXTURE_INSTANCE_TYPES.some((type) => type.name === name)) {
        throw new Ec2Fault(
          'InvalidInstanceType',
          `The following supplied instance types do not exist: [${name}]`,
        );
      }
    }
    const chosen = FIXTURE_INSTANCE_TYPES.filter((type) => names.length === 0 || names.includes(type.name));
    return this.paged(params, 'instanceTypeSet', chosen.map(instanceTypeItem), this.instanceTypePageSize);
  }

  /** Offerings per zone or per region (LocationType), filtered by instance-type and location. */
  private describeInstanceTypeOfferings(region: string, params: Map<string, string>) {
    const locationType = params.get('LocationType') ?? 'region';
    if (!['region', 'availability-zone'].includes(locationType))
      throw new Ec2Fault(
        'InvalidParameterValue',
        `The location type '${locationType}' is not supported here`,
      );
    const perZone = instanceTypeOfferings(region);
    const offerings =
      locationType === 'region'
        ? [...new Set(perZone.map((offering) => offering.instanceType))].map((instanceType) => ({
            instanceType,
            location: region,
          }))
        : perZone.map(({ instanceType, zone }) => ({ instanceType, location: zone }));
    const tagged = offerings.map((offering) => ({ ...offering, tags: new Map<string, string>() }));
    const chosen = tagged.filter((offering) =>
      this.matches(offering, params, (resource, name) => {
        const values: Record<string, string> = {
          'instance-type': resource.instanceType,
          location: resource.location,
        };
        return name in values ? [values[name] as string] : undefined;
      }),
    );
    const items = chosen.map(({ instanceType, location }) => ({ instanceType, locationType, location }));
    return this.paged(params, 'instanceTypeOfferingSet', items, this.instanceTypePageSize);
  }

  private describeImages(params: Map<string, string>) {
    const ids = listParam(params, 'ImageId');
    const owners = listParam(params, 'Owner');
    for (const id of ids) {
      if (!/^ami-[0-9a-f]{8,17}$/.test(id))
        throw new Ec2Fault('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
      if (!FIXTURE_IMAGES.some((image) => image.imageId === id))
        throw new Ec2Fault('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
    }
    const images = FIXTURE_IMAGES.filter(
      (image) =>
        (ids.length === 0 || ids.includes(image.imageId)) &&
        (owners.length === 0 || owners.includes(image.ownerId)),
    );
    const tagged = images.map((image) => ({ ...image, id: image.imageId, tags: new Map<string, string>() }));
    const chosen = tagged.filter((image) =>
      this.matches(image, params, (resource, name) => {
        const values: Record<string, string> = {
          name: resource.name,
          state: 'available',
          architecture: resource.architecture,
          'owner-id': resource.ownerId,
          'image-id': resource.imageId,
        };
        return name in values ? [values[name] as string] : undefined;
      }),
    );
    return { imagesSet: chosen.map(imageItem) };
  }

  // --- VPCs and subnets -----------------------------------------------------------------------

  private createVpc(state: RegionState, region: string, params: Map<string, string>) {
    const cidr = this.required(params, 'CidrBlock');
    const prefix = Number(cidr.split('/')[1]);
    if (!(prefix >= 16 && prefix <= 28))
      throw new Ec2Fault('InvalidVpc.Range', `The CIDR '${cidr}' is invalid.`);
    const vpc: FakeVpc = { id: this.newId('vpc'), cidr, tags: this.tagsFor(params, 'vpc') };
    state.vpcs.set(vpc.id, vpc);
    // Every VPC gets a "default" group allowing traffic from itself and all egress, as EC2 does.
    const group: FakeGroup = {
      id: this.newId('sg'),
      name: 'default',
      description: 'default VPC security group',
      vpcId: vpc.id,
      ingress: [],
      egress: [{ protocol: '-1', cidr: '0.0.0.0/0' }],
      tags: new Map(),
    };
    state.groups.set(group.id, group);
    // And a main route table with the local route.
    const table: FakeRouteTable = {
      id: this.newId('rtb'),
      vpcId: vpc.id,
      routes: [{ destination: cidr, gatewayId: 'local' }],
      tags: new Map(),
    };
    state.routeTables.set(table.id, table);
    void region;
    return { vpc: vpcItem(vpc) };
  }

  private deleteVpc(state: RegionState, params: Map<string, string>) {
    const [vpc] = this.select(
      state.vpcs,
      [this.required(params, 'VpcId')],
      'InvalidVpcID',
      /^vpc-[0-9a-f]{8,17}$/,
      new Map(),
      vpcFilter,
    );
    if (!vpc) throw new Ec2Fault('InvalidVpcID.NotFound', 'not found');
    const dependents = [
      ...[...state.subnets.values()].filter((subnet) => subnet.vpcId === vpc.id),
      ...[...state.groups.values()].filter((group) => group.vpcId === vpc.id && group.name !== 'default'),
    ];
    if (dependents.length > 0) {
      throw new Ec2Fault(
        'DependencyViolation',
        `The vpc '${vpc.id}' has dependencies and cannot be deleted.`,
      );
    }
    state.vpcs.delete(vpc.id);
    for (const group of [...state.groups.values()]) if (group.vpcId === vpc.id) state.groups.delete(group.id);
    return { return: true };
  }

  private createSubnet(state: RegionState, region: string, params: Map<string, string>) {
    const vpcId = this.required(params, 'VpcId');
    const [vpc] = this.select(
      state.vpcs,
      [vpcId],
      'InvalidVpcID',
      /^vpc-[0-9a-f]{8,17}$/,
      new Map(),
      vpcFilter,
    );
    if (!vpc) throw new Ec2Fault('InvalidVpcID.NotFound', 'not found');
    const cidr = this.required(params, 'CidrBlock');
    const [start, end] = cidrBounds(cidr);
    const [vpcStart, vpcEnd] = cidrBounds(vpc.cidr);
    if (start < vpcStart || end > vpcEnd)
      throw new Ec2Fault('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`);
    for (const other of state.subnets.values()) {
      const [otherStart, otherEnd] = cidrBounds(other.cidr);
      if (other.vpcId === vpc.id && start <= otherEnd && otherStart <= end)
        throw new Ec2Fault('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);
    }
    const zones = FIXTURE_REGIONS[region] ?? [];
    const zone = params.get('AvailabilityZone') ?? zones[0] ?? `${region}a`;
    if (!zones.includes(zone)) {
      throw new Ec2Fault(
        'InvalidParameterValue',
        `Value (${zone}) for parameter availabilityZone is invalid.`,
      );
    }
    // AWS reserves the first four addresses of a subnet.
    const subnet: FakeSubnet = {
      id: this.newId('subnet'),
      vpcId: vpc.id,
      cidr,
      zone,
      nextHost: 4,
      tags: this.tagsFor(params, 'subnet'),
    };
    state.subnets.set(subnet.id, subnet);
    return { subnet: subnetItem(subnet) };
  }

  private deleteSubnet(state: RegionState, params: Map<string, string>) {
    const [subnet] = this.select(
      state.subnets,
      [this.required(params, 'SubnetId')],
      'InvalidSubnetID',
      /^subnet-[0-9a-f]{8,17}$/,
      new Map(),
      subnetFilter,
    );
    if (!subnet) throw new Ec2Fault('InvalidSubnetID.NotFound', 'not found');
    const live = [...state.instances.values()].some(
      (instance) => instance.subnetId === subnet.id && instance.state !== 'terminated',
    );
    if (live)
      throw new Ec2Fault(
        'DependencyViolation',
        `The subnet '${subnet.id}' has dependencies and cannot be deleted.`,
      );
    state.subnets.delete(subnet.id);
    return { return: true };
  }

  // --- security groups ------------------------------------------------------------------------

  private createSecurityGroup(state: RegionState, params: Map<string, string>) {
    const name = this.required(params, 'GroupName');
    const description = this.required(params, 'GroupDescription');
    const vpcId = this.required(params, 'VpcId');
    this.select(state.vpcs, [vpcId], 'InvalidVpcID', /^vpc-[0-9a-f]{8,17}$/, new Map(), vpcFilter);
    if ([...state.groups.values()].some((group) => group.vpcId === vpcId && group.name === name))
      throw new Ec2Fault(
        'InvalidGroup.Duplicate',
        `The security group '${name}' already exists for VPC '${vpcId}'`,
      );
    const group: FakeGroup = {
      id: this.newId('sg'),
      name,
      description,
      vpcId,
      ingress: [],
      egress: [{ protocol: '-1', cidr: '0.0.0.0/0' }],
      tags: this.tagsFor(params, 'security-group'),
    };
    state.groups.set(group.id, group);
    return { return: true, groupId: group.id, tagSet: tagSet(group.tags) };
  }

  private deleteSecurityGroup(state: RegionState, params: Map<string, string>) {
    const [group] = this.select(
      state.groups,
      [this.required(params, 'GroupId')],
      'InvalidGroup',
      /^sg-[0-9a-f]{8,17}$/,
      new Map(),
      groupFilter,
    );
    if (!group) throw new Ec2Fault('InvalidGroup.NotFound', 'not found');
    const used = [...state.instances.values()].some(
      (instance) => instance.groupIds.includes(group.id) && instance.state !== 'terminated',
    );
    if (used) throw new Ec2Fault('DependencyViolation', `resource ${group.id} has a dependent object`);
    state.groups.delete(group.id);
    return { return: true };
  }

  private changeRules(state: RegionState, action: string, params: Map<string, string>) {
    const [group] = this.select(
      state.groups,
      [this.required(params, 'GroupId')],
      'InvalidGroup',
      /^sg-[0-9a-f]{8,17}$/,
      new Map(),
      groupFilter,
    );
    if (!group) throw new Ec2Fault('InvalidGroup.NotFound', 'not found');
    const rules = action.endsWith('Ingress') ? group.ingress : group.egress;
    const requested: FakeRule[] = [];
    for (const permission of structParam(params, 'IpPermissions')) {
      const protocol = permission.get('IpProtocol') ?? '';
      const ports = protocol === 'tcp' || protocol === 'udp';
      for (let index = 1; permission.has(`IpRanges.${index}.CidrIp`); index++) {
        const fromPort = Number(permission.get('FromPort'));
        const toPort = Number(permission.get('ToPort'));
        if (ports && !(fromPort <= toPort)) throw new Ec2Fault('InvalidParameterValue', 'Invalid port range');
        requested.push({
          protocol,
          ...(ports ? { fromPort, toPort } : {}),
          cidr: permission.get(`IpRanges.${index}.CidrIp`) ?? '',
          ...(permission.get(`IpRanges.${index}.Description`)
            ? { description: permission.get(`IpRanges.${index}.Description`) }
            : {}),
        });
      }
    }
    const same = (left: FakeRule, right: FakeRule) =>
      left.protocol === right.protocol &&
      left.fromPort === right.fromPort &&
      left.toPort === right.toPort &&
      left.cidr === right.cidr;
    for (const rule of requested) {
      const index = rules.findIndex((existing) => same(existing, rule));
      if (action.startsWith('Authorize')) {
        if (index >= 0)
          throw new Ec2Fault('InvalidPermission.Duplicate', 'the specified rule already exists');
        rules.push(rule);
      } else {
        if (index < 0)
          throw new Ec2Fault(
            'InvalidPermission.NotFound',
            'The specified rule does not exist in this security group.',
          );
        rules.splice(index, 1);
      }
    }
    return { return: true };
  }

  // --- key pairs ------------------------------------------------------------------------------

  private importKeyPair(state: RegionState, params: Map<string, string>) {
    const name = this.required(params, 'KeyName');
    const material = Buffer.from(this.required(params, 'PublicKeyMaterial'), 'base64')
      .toString('utf8')
      .trim();
    if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) [A-Za-z0-9+/=]+/.test(material))
      throw new Ec2Fault('InvalidKeyPair.Format', 'Key is not in valid OpenSSH public key format');
    if ([...state.keys.values()].some((key) => key.name === name))
      throw new Ec2Fault('InvalidKeyPair.Duplicate', `The keypair already exists`);
    const key: FakeKey = {
      id: this.newId('key'),
      name,
      publicKey: material,
      createdAt: new Date().toISOString(),
      tags: this.tagsFor(params, 'key-pair'),
    };
    state.keys.set(key.id, key);
    return {
      keyFingerprint: fingerprint(key.publicKey),
      keyName: name,
      keyPairId: key.id,
      tagSet: tagSet(key.tags),
    };
  }

  private deleteKeyPair(state: RegionState, params: Map<string, string>) {
    // EC2 answers success for a key that does not exist.
    const id = params.get('KeyPairId');
    const name = params.get('KeyName');
    for (const key of [...state.keys.values()])
      if (key.id === id || key.name === name) state.keys.delete(key.id);
    return { return: true, keyPairId: id };
  }

  // --- instances ------------------------------------------------------------------------------

  private runInstances(state: RegionState, region: string, params: Map<string, string>) {
    const clientToken = params.get('ClientToken');
    const imageId = this.required(params, 'ImageId');
    const instanceType = this.required(params, 'InstanceType');
    const network = structParam(params, 'NetworkInterface')[0] ?? new Map<string, string>();
    const subnetId = network.get('SubnetId') ?? params.get('SubnetId') ?? '';
    const groupIds = [...network]
      .filter(([key]) => key.startsWith('SecurityGroupId.'))
      .map(([, value]) => value);
    if (clientToken) {
      const earlier = [...state.instances.values()].find((instance) => instance.clientToken === clientToken);
      if (earlier) {
        if (
          earlier.imageId !== imageId ||
          earlier.instanceType !== instanceType ||
          earlier.subnetId !== subnetId
        )
          throw new Ec2Fault(
            'IdempotentParameterMismatch',
            'The client token was used with different parameters',
          );
        return this.reservationXml([earlier]);
      }
    }
    if (!FIXTURE_INSTANCE_TYPES.some((type) => type.name === instanceType))
      throw new Ec2Fault('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
    this.describeImages(new Map([['ImageId.1', imageId]]));
    const image = FIXTURE_IMAGES.find((candidate) => candidate.imageId === imageId);
    const [subnet] = this.select(
      state.subnets,
      [subnetId],
      'InvalidSubnetID',
      /^subnet-[0-9a-f]{8,17}$/,
      new Map(),
      subnetFilter,
    );
    if (!subnet || !image) throw new Ec2Fault('InvalidSubnetID.NotFound', 'not found');
    const groups = this.select(
      state.groups,
      groupIds,
      'InvalidGroup',
      /^sg-[0-9a-f]{8,17}$/,
      new Map(),
      groupFilter,
    );
    if (groups.some((group) => group.vpcId !== subnet.vpcId))
      throw new Ec2Fault('InvalidParameter', 'Security group and subnet belong to different networks.');
    const keyName = params.get('KeyName') ?? '';
    const key = [...state.keys.values()].find((candidate) => candidate.name === keyName);
    if (keyName && !key)
      throw new Ec2Fault('InvalidKeyPair.NotFound', `The key pair '${keyName}' does not exist`);
    const type = FIXTURE_INSTANCE_TYPES.find((candidate) => candidate.name === instanceType);
    if (type && type.arch !== image.architecture)
      throw new Ec2Fault(
        'InvalidParameterValue',
        `The architecture '${type.arch}' of the instance type does not match the AMI's '${image.architecture}'.`,
      );
    const mapping = structParam(params, 'BlockDeviceMapping')[0];
    const [subnetStart] = cidrBounds(subnet.cidr);
    const hostNumber = subnet.nextHost++;
    this.counter++;
    const instance: FakeInstance = {
      id: this.newId('i'),
      reservationId: this.newId('r'),
      imageId,
      instanceType,
      keyName,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      zone: subnet.zone,
      groupIds: groups.map((group) => group.id),
      state: 'pending',
      reason: '',
      launchTime: new Date().toISOString(),
      privateIp: numberToIp(subnetStart + hostNumber),
      // 203.0.113.0/24 is TEST-NET-3: never a real host.
      publicIp:
        network.get('AssociatePublicIpAddress') === 'true'
          ? `203.0.113.${(this.counter % 250) + 1}`
          : undefined,
      spot: params.get('InstanceMarketOptions.MarketType') === 'spot',
      rootDeviceName: image.rootDeviceName,
      volumeSize: Number(mapping?.get('Ebs.VolumeSize') ?? 8),
      clientToken,
      fingerprint: key ? fingerprint(key.publicKey) : '',
      tags: this.tagsFor(params, 'instance'),
    };
    void region;
    state.instances.set(instance.id, instance);
    return this.reservationXml([instance]);
  }

  private reservationXml(instances: FakeInstance[]) {
    const first = instances[0];
    return {
      reservationId: first?.reservationId,
      ownerId: FAKE_ACCOUNT_ID,
      groupSet: [],
      instancesSet: instances.map(instanceItem),
    };
  }

  private instancesByIds(state: RegionState, ids: string[]): FakeInstance[] {
    return this.select(
      state.instances,
      ids,
      'InvalidInstanceID',
      /^i-[0-9a-f]{8,17}$/,
      new Map(),
      instanceFilter,
    );
  }

  private describeInstances(state: RegionState, params: Map<string, string>) {
    const instances = this.select(
      state.instances,
      listParam(params, 'InstanceId'),
      'InvalidInstanceID',
      /^i-[0-9a-f]{8,17}$/,
      params,
      instanceFilter,
    );
    const answer = this.paged(
      params,
      'reservationSet',
      instances.map((instance) => ({
        reservationId: instance.reservationId,
        ownerId: FAKE_ACCOUNT_ID,
        groupSet: [],
        instancesSet: [instanceItem(instance)],
      })),
    );
    // The world moves on after each look: transitional states settle by the next describe.
    for (const instance of instances) this.advance(instance);
    return answer;
  }

  private advance(instance: FakeInstance): void {
    const next = NEXT_STATE[instance.state];
    if (!next) return;
    instance.state = next;
    if (next === 'terminated') {
      instance.publicIp = undefined;
    }
  }

  private changeInstances(state: RegionState, action: string, params: Map<string, string>) {
    const instances = this.instancesByIds(state, listParam(params, 'InstanceId'));
    const items: XmlValue[] = [];
    const stamp = new Date().toISOString().replace('T', ' ').slice(0, 19);
    for (const instance of instances) {
      const previous = instance.state;
      if (action === 'StopInstances') {
        if (previous === 'pending' || previous === 'shutting-down' || previous === 'terminated')
          throw new Ec2Fault(
            'IncorrectInstanceState',
            `The instance '${instance.id}' is not in a state from which it can be stopped.`,
          );
        if (previous === 'running') {
          instance.state = 'stopping';
          instance.reason = `User initiated (${stamp} GMT)`;
        }
      } else if (action === 'StartInstances') {
        if (previous === 'stopping' || previous === 'shutting-down' || previous === 'terminated')
          throw new Ec2Fault(
            'IncorrectInstanceState',
            `The instance '${instance.id}' is not in a state from which it can be started.`,
          );
        if (previous === 'stopped') {
          instance.state = 'pending';
          instance.reason = '';
        }
      } else if (previous !== 'terminated') {
        instance.state = 'shutting-down';
        instance.reason = `User initiated (${stamp} GMT)`;
      }
      items.push({
        instanceId: instance.id,
        currentState: { code: STATE_CODES[instance.state], name: instance.state },
        previousState: { code: STATE_CODES[previous], name: previous },
      });
    }
    return { instancesSet: items };
  }

  private createTags(state: RegionState, params: Map<string, string>) {
    const ids = listParam(params, 'ResourceId');
    const tags = structParam(params, 'Tag');
    for (const id of ids) {
      const resource =
        state.vpcs.get(id) ??
        state.subnets.get(id) ??
        state.groups.get(id) ??
        state.keys.get(id) ??
        state.instances.get(id);
      if (!resource) throw new Ec2Fault('InvalidID', `The ID '${id}' is not valid`);
      for (const tag of tags) resource.tags.set(tag.get('Key') ?? '', tag.get('Value') ?? '');
    }
    return { return: true };
  }
}

function fingerprint(publicKey: string): string {
  const body = publicKey.split(/\s+/)[1] ?? '';
  return `${createHash('sha256').update(Buffer.from(body, 'base64')).digest('base64')}`;
}

function vpcFilter(vpc: FakeVpc, name: string): string[] | undefined {
  const values: Record<string, string> = { 'vpc-id': vpc.id, 'cidr-block': vpc.cidr, state: 'available' };
  return name in values ? [values[name] as string] : undefined;
}
function subnetFilter(subnet: FakeSubnet, name: string): string[] | undefined {
  const values: Record<string, string> = {
    'subnet-id': subnet.id,
    'vpc-id': subnet.vpcId,
    'availability-zone': subnet.zone,
    'cidr-block': subnet.cidr,
  };
  return name in values ? [values[name] as string] : undefined;
}
function groupFilter(group: FakeGroup, name: string): string[] | undefined {
  const values: Record<string, string> = {
    'group-id': group.id,
    'group-name': group.name,
    'vpc-id': group.vpcId,
  };
  return name in values ? [values[name] as string] : undefined;
}
function keyFilter(key: FakeKey, name: string): string[] | undefined {
  const values: Record<string, string> = { 'key-name': key.name, 'key-pair-id': key.id };
  return name in values ? [values[name] as string] : undefined;
}
function instanceFilter(instance: FakeInstance, name: string): string[] | undefined {
  const values: Record<string, string> = {
    'instance-id': instance.id,
    'instance-state-name': instance.state,
    'instance-type': instance.instanceType,
    'subnet-id': instance.subnetId,
    'vpc-id': instance.vpcId,
    'key-name': instance.keyName,
  };
  return name in values ? [values[name] as string] : undefined;
}

function vpcItem(vpc: FakeVpc): XmlValue {
  return {
    vpcId: vpc.id,
    ownerId: FAKE_ACCOUNT_ID,
    state: 'available',
    cidrBlock: vpc.cidr,
    cidrBlockAssociationSet: [
      {
        cidrBlock: vpc.cidr,
        associationId: `vpc-cidr-assoc-${vpc.id.slice(4)}`,
        cidrBlockState: { state: 'associated' },
      },
    ],
    dhcpOptionsId: 'dopt-0123456789abcdef0',
    tagSet: tagSet(vpc.tags),
    instanceTenancy: 'default',
    isDefault: false,
  };
}

function gatewayItem(gateway: FakeGateway): XmlValue {
  return {
    internetGatewayId: gateway.id,
    ownerId: FAKE_ACCOUNT_ID,
    attachmentSet: gateway.vpcId ? [{ vpcId: gateway.vpcId, state: 'available' }] : [],
    tagSet: tagSet(gateway.tags),
  };
}

function routeTableItem(table: FakeRouteTable): XmlValue {
  return {
    routeTableId: table.id,
    vpcId: table.vpcId,
    ownerId: FAKE_ACCOUNT_ID,
    routeSet: table.routes.map((route) => ({
      destinationCidrBlock: route.destination,
      gatewayId: route.gatewayId,
      state: 'active',
      origin: route.gatewayId === 'local' ? 'CreateRouteTable' : 'CreateRoute',
    })),
    associationSet: [
      { routeTableAssociationId: `rtbassoc-${table.id.slice(4)}`, routeTableId: table.id, main: true },
    ],
    tagSet: tagSet(table.tags),
  };
}

function subnetItem(subnet: FakeSubnet): XmlValue {
  const [start, end] = cidrBounds(subnet.cidr);
  return {
    subnetId: subnet.id,
    subnetArn: `arn:aws:ec2:region:${FAKE_ACCOUNT_ID}:subnet/${subnet.id}`,
    state: 'available',
    ownerId: FAKE_ACCOUNT_ID,
    vpcId: subnet.vpcId,
    cidrBlock: subnet.cidr,
    availableIpAddressCount: end - start + 1 - 5,
    availabilityZone: subnet.zone,
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    tagSet: tagSet(subnet.tags),
  };
}

function permissionItems(rules: FakeRule[]): XmlValue[] {
  return rules.map((rule) => ({
    ipProtocol: rule.protocol,
    fromPort: rule.fromPort,
    toPort: rule.toPort,
    groups: [],
    ipRanges: [{ cidrIp: rule.cidr, description: rule.description }],
    ipv6Ranges: [],
    prefixListIds: [],
  }));
}

function groupItem(group: FakeGroup): XmlValue {
  return {
    ownerId: FAKE_ACCOUNT_ID,
    groupId: group.id,
    groupName: group.name,
    groupDescription: group.description,
    vpcId: group.vpcId,
    ipPermissions: permissionItems(group.ingress),
    ipPermissionsEgress: permissionItems(group.egress),
    tagSet: tagSet(group.tags),
  };
}

function keyItem(key: FakeKey, includePublicKey: boolean): XmlValue {
  return {
    keyPairId: key.id,
    keyName: key.name,
    keyFingerprint: fingerprint(key.publicKey),
    keyType: key.publicKey.startsWith('ssh-rsa') ? 'rsa' : 'ed25519',
    tagSet: tagSet(key.tags),
    publicKey: includePublicKey ? key.publicKey : undefined,
    createTime: key.createdAt,
  };
}

function instanceItem(instance: FakeInstance): XmlValue {
  const live = instance.state !== 'terminated';
  return {
    instanceId: instance.id,
    imageId: instance.imageId,
    instanceState: { code: STATE_CODES[instance.state], name: instance.state },
    privateDnsName: `ip-${instance.privateIp.replace(/\./g, '-')}.ec2.internal`,
    dnsName: instance.publicIp ? `ec2-${instance.publicIp.replace(/\./g, '-')}.compute.amazonaws.com` : '',
    reason: instance.reason,
    keyName: instance.keyName || undefined,
    amiLaunchIndex: 0,
    instanceType: instance.instanceType,
    launchTime: instance.launchTime,
    placement: { availabilityZone: instance.zone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: live ? instance.subnetId : undefined,
    vpcId: live ? instance.vpcId : undefined,
    privateIpAddress: live ? instance.privateIp : undefined,
    ipAddress: instance.state === 'running' || instance.state === 'pending' ? instance.publicIp : undefined,
    groupSet: instance.groupIds.map((groupId) => ({ groupId, groupName: groupId })),
    architecture: FIXTURE_IMAGES.find((image) => image.imageId === instance.imageId)?.architecture,
    rootDeviceType: 'ebs',
    rootDeviceName: instance.rootDeviceName,
    blockDeviceMapping: live
      ? [
          {
            deviceName: instance.rootDeviceName,
            ebs: {
              volumeId: `vol-${instance.id.slice(2)}`,
              status: 'attached',
              attachTime: instance.launchTime,
              deleteOnTermination: true,
            },
          },
        ]
      : [],
    instanceLifecycle: instance.spot ? 'spot' : undefined,
    virtualizationType: 'hvm',
    clientToken: instance.clientToken ?? '',
    tagSet: tagSet(instance.tags),
    hypervisor: 'xen',
    stateReason:
      instance.state === 'terminated' || instance.state === 'stopped'
        ? {
            code: 'Client.UserInitiatedShutdown',
            message: 'Client.UserInitiatedShutdown: User initiated shutdown',
          }
        : undefined,
  };
}
