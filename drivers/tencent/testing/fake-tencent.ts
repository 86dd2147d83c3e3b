// A local Tencent Cloud that speaks API 3.0 (POST / with a JSON body, the action in X-TC-Action,
// TC3-HMAC-SHA256 signatures, answers `{"Response": {...}}` and `{"Response": {"Error": ...}}`)
// for CVM and VPC on two ports, with its own in-memory state, so the real SDK and driver are
// tested at the wire.
import { createHash, createHmac } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { cidrBounds, fakeRequestId, fakeResourceId, numberToIp } from '../../spec/testing/fake-ids.ts';
import {
  FAKE_SECRET_ID,
  FAKE_SECRET_KEY,
  FIXTURE_IMAGES,
  FIXTURE_REGIONS,
  FIXTURE_ZONES,
  instanceTypeQuotas,
} from './fixtures.ts';

export type Service = 'cvm' | 'vpc';

/** A Tencent Cloud API error: code and message, answered with HTTP 200 like the real API. */
export class TencentFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordedRequest {
  service: Service;
  action: string;
  region: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** The credential scope of the Authorization header. */
  scope: { secretId: string; date: string; service: string };
}

type Json = Record<string, unknown>;
interface Tag {
  Key: string;
  Value: string;
}
interface Policy {
  Protocol: string;
  Port: string;
  CidrBlock: string;
  Action: string;
  PolicyDescription: string;
  ModifyTime: string;
}
interface FakeVpc {
  id: string;
  name: string;
  cidr: string;
  createdTime: string;
  tags: Tag[];
}
interface FakeSubnet {
  id: string;
  vpcId: string;
  name: string;
  cidr: string;
  zone: string;
  createdTime: string;
  tags: Tag[];
  nextHost: number;
}
interface FakeGroup {
  id: string;
  name: string;
  description: string;
  createdTime: string;
  tags: Tag[];
  version: number;
  ingress: Policy[];
  egress: Policy[];
}
interface FakeKey {
  id: string;
  name: string;
  publicKey: string;
  createdTime: string;
  tags: Tag[];
}
type InstanceState =
  | 'PENDING'
  | 'RUNNING'
  | 'STOPPING'
  | 'STOPPED'
  | 'STARTING'
  | 'REBOOTING'
  | 'TERMINATING';
interface FakeInstance {
  id: string;
  name: string;
  zone: string;
  type: string;
  imageId: string;
  osName: string;
  chargeType: string;
  diskType: string;
  diskSize: number;
  vpcId: string;
  subnetId: string;
  groupIds: string[];
  keyIds: string[];
  privateIp: string;
  publicIp: string | undefined;
  wantsPublicIp: boolean;
  bandwidth: number;
  state: InstanceState;
  /** Describes left before a transitional state settles. */
  settlesIn: number;
  stopChargingMode: string;
  createdTime: string;
  tags: Tag[];
  latestOperation: string;
}
interface RegionState {
  vpcs: Map<string, FakeVpc>;
  subnets: Map<string, FakeSubnet>;
  groups: Map<string, FakeGroup>;
  keys: Map<string, FakeKey>;
  instances: Map<string, FakeInstance>;
  clientTokens: Map<string, string[]>;
}

const CVM_ACTIONS = new Set([
  'DescribeRegions',
  'DescribeZones',
  'DescribeZoneInstanceConfigInfos',
  'DescribeImages',
  'ImportKeyPair',
  'DescribeKeyPairs',
  'DeleteKeyPairs',
  'RunInstances',
  'DescribeInstances',
  'StopInstances',
  'StartInstances',
  'RebootInstances',
  'TerminateInstances',
]);
const VPC_ACTIONS = new Set([
  'CreateVpc',
  'DescribeVpcs',
  'DeleteVpc',
  'CreateSubnet',
  'DescribeSubnets',
  'DeleteSubnet',
  'CreateSecurityGroup',
  'DescribeSecurityGroups',
  'DeleteSecurityGroup',
  'CreateSecurityGroupPolicies',
  'DescribeSecurityGroupPolicies',
  'ModifySecurityGroupPolicies',
]);
/** Where each transitional state goes once it settles. */
const SETTLED: Partial<Record<InstanceState, InstanceState | 'GONE'>> = {
  PENDING: 'RUNNING',
  STOPPING: 'STOPPED',
  STARTING: 'RUNNING',
  REBOOTING: 'RUNNING',
  TERMINATING: 'GONE',
};
/** Signatures older than this are refused (Tencent allows five minutes of clock skew). */
const MAX_SKEW_SECONDS = 300;
const ID_PATTERN = /^[a-z0-9]{8}$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}
function validCidr(cidr: unknown): cidr is string {
  return typeof cidr === 'string' && /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(cidr);
}
/** "2020-03-10 11:28:31" in Beijing time, as the VPC API writes times. */
function beijingTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
function isoTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Tencent tag rules: keys 1-127, values 0-255, letters, digits, spaces and + - = . _ : / @ ( ) [ ]. */
function checkTags(tags: unknown): Tag[] {
  const result: Tag[] = [];
  for (const entry of list(tags)) {
    const { Key, Value } = entry as { Key?: unknown; Value?: unknown };
    if (typeof Key !== 'string' || Key.length === 0 || Key.length > 127) {
      throw new TencentFault(
        'InvalidParameterValue.TagKeyLengthExceeded',
        `tag key ${String(Key)} must be 1-127 characters`,
      );
    }
    if (/^(qcloud|tencent|project)/i.test(Key) || !/^[\p{L}\p{N} +\-=._:/@()[\]]+$/u.test(Key)) {
      throw new TencentFault(
        'InvalidParameterValue.TagKeyCharacterIllegal',
        `tag key ${Key} has illegal characters`,
      );
    }
    const value = typeof Value === 'string' ? Value : '';
    if (value.length > 255 || !/^[\p{L}\p{N} +\-=._:/@()[\]]*$/u.test(value)) {
      throw new TencentFault(
        'InvalidParameterValue.TagValueCharacterIllegal',
        `tag value of ${Key} is not allowed`,
      );
    }
    result.push({ Key, Value: value });
  }
  if (result.length > 50)
    throw new TencentFault('LimitExceeded.TagQuota', 'a resource holds at most 50 tags');
  return result;
}

/** Tag and field filters of Describe* calls; an unknown filter name is InvalidFilter. */
function matchesFilters(filters: unknown, tags: Tag[], fields: Record<string, string | undefined>): boolean {
  for (const raw of list(filters)) {
    const { Name, Values } = raw as { Name?: unknown; Values?: unknown };
    const name = text(Name);
    const values = list(Values).map(String);
    if (values.length > 5)
      throw new TencentFault('InvalidParameterValue.LimitExceeded', 'at most 5 values a filter');
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      if (!tags.some((tag) => tag.Key === key && values.includes(tag.Value))) return false;
    } else if (name === 'tag-key') {
      if (!tags.some((tag) => values.includes(tag.Key))) return false;
    } else if (name in fields) {
      if (!values.includes(fields[name] ?? '')) return false;
    } else {
      throw new TencentFault('InvalidFilter', `the filter ${name} is not supported`);
    }
  }
  return true;
}

/** Offset/Limit of a Describe* call: numbers for CVM, strings for VPC (as each API documents). */
function page<T>(items: T[], body: Json, service: Service, maxPageSize: number): T[] {
  const expected = service === 'vpc' ? 'string' : 'number';
  for (const key of ['Offset', 'Limit']) {
    if (body[key] !== undefined && typeof body[key] !== expected) {
      throw new TencentFault('InvalidParameter', `${key} must be a ${expected} in this API`);
    }
  }
  const offset = Number(body.Offset ?? 0);
  const limit = Number(body.Limit ?? 20);
  if (limit > 100) throw new TencentFault('InvalidParameterValue.LimitExceeded', 'Limit is at most 100');
  return items.slice(offset, offset + Math.min(limit, maxPageSize));
}

export class FakeTencent {
  readonly requests: RecordedRequest[] = [];
  private readonly regions = new Map<string, RegionState>();
  private readonly failures: { action: string; code: string; message: string }[] = [];
  private readonly secrets = new Map<string, string>([[FAKE_SECRET_ID, FAKE_SECRET_KEY]]);
  private readonly servers = new Map<Service, Server>();
  private counter = 0;
  private ipCounter = 0;
  /** Largest page the fake answers, whatever Limit asks: small in tests so paging is exercised. */
  maxPageSize = 100;

  private constructor() {}

  static async start(): Promise<FakeTencent> {
    const fake = new FakeTencent();
    for (const service of ['cvm', 'vpc'] as const) {
      const server = createServer((request, response) => {
        fake.handle(service, request, response).catch((error: unknown) => {
          fake.reply(response, { Error: { Code: 'InternalError', Message: String(error) } });
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      fake.servers.set(service, server);
    }
    return fake;
  }

  /** Base URLs for the driver's `endpoints` setting. */
  get endpoints(): Record<Service, string> {
    const url = (service: Service) =>
      `http://127.0.0.1:${(this.servers.get(service)?.address() as AddressInfo | undefined)?.port ?? 0}`;
    return { cvm: url('cvm'), vpc: url('vpc') };
  }

  /** The next call of `action` answers with this error (one-shot). */
  failNext(action: string, code: string, message = `${code} (provoked by the test)`): void {
    this.failures.push({ action, code, message });
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  requestsOf(action: string): RecordedRequest[] {
    return this.requests.filter((request) => request.action === action);
  }

  /** Live instances of a region, for tests that look behind the API. */
  instanceStates(region: string): Record<string, string> {
    return Object.fromEntries(
      [...this.state(region).instances.values()].map((item) => [item.id, item.state]),
    );
  }

  async close(): Promise<void> {
    for (const server of this.servers.values()) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.servers.clear();
  }

  private requestId(): string {
    return fakeRequestId(++this.counter);
  }

  private newId(prefix: string): string {
    // Lower-case hex: what the id checks (ID_PATTERN) take.
    return fakeResourceId(prefix, ++this.counter, 8);
  }

  private state(region: string): RegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = {
        vpcs: new Map(),
        subnets: new Map(),
        groups: new Map(),
        keys: new Map(),
        instances: new Map(),
        clientTokens: new Map(),
      };
      this.regions.set(region, state);
    }
    return state;
  }

  private reply(response: ServerResponse, payload: Json): void {
    response.statusCode = 200;
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ Response: { ...payload, RequestId: this.requestId() } }));
  }

  private async handle(service: Service, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    try {
      const action = this.checkEnvelope(service, request, raw);
      const body = (raw ? JSON.parse(raw) : {}) as Json;
      const region = text(request.headers['x-tc-region']);
      this.requests.push({
        service,
        action,
        region,
        body,
        headers: request.headers,
        scope: this.scopeOf(request),
      });
      const failure = this.failures.findIndex((entry) => entry.action === action);
      if (failure >= 0) {
        const [entry] = this.failures.splice(failure, 1);
        throw new TencentFault(entry?.code ?? 'InternalError', entry?.message ?? '');
      }
      if (action !== 'DescribeRegions' && !FIXTURE_REGIONS.some((known) => known.Region === region)) {
        throw new TencentFault('UnsupportedRegion', `The region ${region} is not supported by this API`);
      }
      this.reply(
        response,
        service === 'cvm' ? this.cvm(action, region, body) : this.vpc(action, region, body),
      );
    } catch (error) {
      if (!(error instanceof TencentFault)) throw error;
      this.reply(response, { Error: { Code: error.code, Message: error.message } });
    }
  }

  private scopeOf(request: IncomingMessage): RecordedRequest['scope'] {
    const match = /Credential=([^/]+)\/([^/]+)\/([^/]+)\/tc3_request/.exec(
      text(request.headers.authorization),
    );
    return { secretId: match?.[1] ?? '', date: match?.[2] ?? '', service: match?.[3] ?? '' };
  }

  /** Method, path, headers and the TC3-HMAC-SHA256 signature, as Tencent's gateway checks them. */
  private checkEnvelope(service: Service, request: IncomingMessage, raw: string): string {
    if (request.method !== 'POST' || request.url !== '/') {
      throw new TencentFault('InvalidParameter', `expected POST /, got ${request.method} ${request.url}`);
    }
    const headers = request.headers;
    const contentType = text(headers['content-type']);
    if (!contentType.startsWith('application/json')) {
      throw new TencentFault('InvalidParameter', `Content-Type ${contentType} is not application/json`);
    }
    const action = text(headers['x-tc-action']);
    if (!(service === 'cvm' ? CVM_ACTIONS : VPC_ACTIONS).has(action)) {
      throw new TencentFault('InvalidAction', `The action ${action} does not exist in ${service}`);
    }
    if (headers['x-tc-version'] !== '2017-03-12') {
      throw new TencentFault('NoSuchVersion', `version ${String(headers['x-tc-version'])} of ${action}`);
    }
    const authorization = text(headers.authorization);
    const match =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (!match)
      throw new TencentFault('AuthFailure.InvalidAuthorization', 'the Authorization header is malformed');
    const [, secretId = '', date = '', scopeService = '', signedHeaders = '', signature = ''] = match;
    const timestamp = Number(headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > MAX_SKEW_SECONDS) {
      throw new TencentFault('AuthFailure.SignatureExpire', 'the signature has expired');
    }
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) {
      throw new TencentFault(
        'AuthFailure.SignatureFailure',
        'the credential scope date differs from X-TC-Timestamp',
      );
    }
    const hostname = text(headers.host).replace(/:\d+$/, '');
    // The SDK names the service after the endpoint's first label (cvm, vpc; "127" for 127.0.0.1).
    if (scopeService !== hostname.split('.')[0]) {
      throw new TencentFault(
        'AuthFailure.SignatureFailure',
        `credential scope service ${scopeService} is not ${hostname}'s`,
      );
    }
    if (signedHeaders !== 'content-type;host') {
      throw new TencentFault('AuthFailure.SignatureFailure', `SignedHeaders ${signedHeaders}`);
    }
    const secretKey = this.secrets.get(secretId);
    if (!secretKey) throw new TencentFault('AuthFailure.SecretIdNotFound', 'The SecretId is not found');
    const canonical = [
      'POST',
      '/',
      '',
      `content-type:${contentType}`,
      `host:${hostname}`,
      '',
      signedHeaders,
      sha256Hex(raw),
    ].join('\n');
    const toSign = [
      'TC3-HMAC-SHA256',
      String(timestamp),
      `${date}/${scopeService}/tc3_request`,
      sha256Hex(canonical),
    ].join('\n');
    const key = hmac(hmac(hmac(`TC3${secretKey}`, date), scopeService), 'tc3_request');
    if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) {
      throw new TencentFault(
        'AuthFailure.SignatureFailure',
        'The provided credentials could not be validated',
      );
    }
    return action;
  }

  // -------------------------------------------------------------------------------------------
  // CVM
  // -------------------------------------------------------------------------------------------

  private cvm(action: string, region: string, body: Json): Json {
    const state = this.state(region);
    switch (action) {
      case 'DescribeRegions':
        return { TotalCount: FIXTURE_REGIONS.length, RegionSet: FIXTURE_REGIONS };
      case 'DescribeZones': {
        const zones = FIXTURE_ZONES[region] ?? [];
        return { TotalCount: zones.length, ZoneSet: zones };
      }
      case 'DescribeZoneInstanceConfigInfos': {
        let chargeType = 'POSTPAID_BY_HOUR';
        const items = instanceTypeQuotas(region, 'POSTPAID_BY_HOUR');
        for (const raw of list(body.Filters)) {
          const { Name, Values } = raw as { Name?: string; Values?: string[] };
          if (Name === 'instance-charge-type') chargeType = Values?.[0] ?? chargeType;
          else if (Name !== 'zone' && Name !== 'instance-type' && Name !== 'instance-family')
            throw new TencentFault('InvalidFilter', `the filter ${Name} is not supported`);
        }
        const quotas = chargeType === 'POSTPAID_BY_HOUR' ? items : instanceTypeQuotas(region, chargeType);
        return {
          InstanceTypeQuotaSet: quotas.filter((item) =>
            matchesFilters(
              list(body.Filters).filter(
                (filter) => (filter as { Name?: string }).Name !== 'instance-charge-type',
              ),
              [],
              {
                zone: text(item.Zone),
                'instance-type': text(item.InstanceType),
                'instance-family': text(item.InstanceFamily),
              },
            ),
          ),
        };
      }
      case 'DescribeImages': {
        this.exclusive(body, 'ImageIds');
        const ids = list(body.ImageIds).map(String);
        for (const id of ids) this.checkId(id, 'img', 'InvalidImageId.Malformed');
        const images = FIXTURE_IMAGES.filter((image) =>
          ids.length > 0
            ? ids.includes(text(image.ImageId))
            : matchesFilters(body.Filters, [], {
                'image-type': text(image.ImageType),
                'image-id': text(image.ImageId),
                platform: text(image.Platform),
              }),
        );
        return { TotalCount: images.length, ImageSet: page(images, body, 'cvm', this.maxPageSize) };
      }
      case 'ImportKeyPair':
        return this.importKeyPair(state, body);
      case 'DescribeKeyPairs': {
        this.exclusive(body, 'KeyIds');
        const ids = list(body.KeyIds).map(String);
        for (const id of ids) this.checkId(id, 'skey', 'InvalidKeyPairId.Malformed');
        const keys = [...state.keys.values()].filter((key) =>
          ids.length > 0
            ? ids.includes(key.id)
            : matchesFilters(body.Filters, key.tags, { 'key-name': key.name }),
        );
        return {
          TotalCount: keys.length,
          KeyPairSet: page(keys, body, 'cvm', this.maxPageSize).map((key) => this.keyJson(key)),
        };
      }
      case 'DeleteKeyPairs': {
        for (const id of list(body.KeyIds).map(String)) {
          this.checkId(id, 'skey', 'InvalidKeyPairId.Malformed');
          if (!state.keys.delete(id))
            throw new TencentFault('InvalidKeyPairId.NotFound', `key pair ${id} does not exist`);
        }
        return {};
      }
      case 'RunInstances':
        return this.runInstances(region, state, body);
      case 'DescribeInstances': {
        this.exclusive(body, 'InstanceIds');
        const ids = list(body.InstanceIds).map(String);
        for (const id of ids) this.checkId(id, 'ins', 'InvalidInstanceId.Malformed');
        this.settle(state);
        const instances = [...state.instances.values()].filter((instance) =>
          ids.length > 0
            ? ids.includes(instance.id)
            : matchesFilters(body.Filters, instance.tags, {
                zone: instance.zone,
                'instance-name': instance.name,
                'instance-state': instance.state,
                'vpc-id': instance.vpcId,
                'subnet-id': instance.subnetId,
              }),
        );
        return {
          TotalCount: instances.length,
          InstanceSet: page(instances, body, 'cvm', this.maxPageSize).map((instance) =>
            this.instanceJson(instance),
          ),
        };
      }
      case 'StopInstances':
      case 'StartInstances':
      case 'RebootInstances':
      case 'TerminateInstances':
        return this.changeState(action, state, body);
      default:
        throw new TencentFault('InvalidAction', `${action} is not implemented by the fake`);
    }
  }

  /** "Parameters InstanceIds and Filters cannot be given together" (CVM Describe* calls). */
  private exclusive(body: Json, idsKey: string): void {
    if (list(body[idsKey]).length > 0 && list(body.Filters).length > 0) {
      throw new TencentFault('InvalidParameter', `${idsKey} and Filters cannot be specified together`);
    }
  }

  private checkId(id: string, prefix: string, code: string): void {
    const [head, rest = ''] = id.split(/-(.*)/s);
    if (head !== prefix || !ID_PATTERN.test(rest))
      throw new TencentFault(code, `${id} is not a valid ${prefix} id`);
  }

  private keyJson(key: FakeKey): Json {
    return {
      KeyId: key.id,
      KeyName: key.name,
      ProjectId: 0,
      Description: '',
      PublicKey: key.publicKey,
      PrivateKey: '',
      AssociatedInstanceIds: [],
      CreatedTime: key.createdTime,
      Tags: key.tags,
    };
  }

  private importKeyPair(state: RegionState, body: Json): Json {
    const name = text(body.KeyName);
    if (!/^[A-Za-z0-9_]{1,25}$/.test(name)) {
      throw new TencentFault(
        name.length > 25 ? 'InvalidKeyPairNameTooLong' : 'InvalidKeyPairNameIncludeIllegalChar',
        `key name ${name}: digits, letters and underscores, at most 25 characters`,
      );
    }
    if (body.ProjectId !== 0)
      throw new TencentFault('InvalidProjectId.NotFound', `project ${String(body.ProjectId)}`);
    const publicKey = text(body.PublicKey).trim();
    // ImportKeyPair documents "OpenSSH RSA format": other key types are refused here.
    if (!/^ssh-rsa [A-Za-z0-9+/=]+( .*)?$/.test(publicKey)) {
      throw new TencentFault('InvalidPublicKey.Malformed', 'the public key is not in OpenSSH RSA format');
    }
    const body64 = publicKey.split(/\s+/)[1];
    if ([...state.keys.values()].some((key) => key.publicKey.split(/\s+/)[1] === body64)) {
      throw new TencentFault('InvalidPublicKey.Duplicate', 'the public key has been imported already');
    }
    if ([...state.keys.values()].some((key) => key.name === name)) {
      throw new TencentFault('InvalidKeyPairName.Duplicate', `a key pair named ${name} exists`);
    }
    const tags: Tag[] = [];
    for (const spec of list(body.TagSpecification)) {
      const { ResourceType, Tags } = spec as { ResourceType?: string; Tags?: unknown };
      if (ResourceType !== 'keypair')
        throw new TencentFault('InvalidParameterValue', `ResourceType ${ResourceType}`);
      tags.push(...checkTags(Tags));
    }
    const key: FakeKey = { id: this.newId('skey'), name, publicKey, createdTime: isoTime(new Date()), tags };
    state.keys.set(key.id, key);
    return { KeyId: key.id };
  }

  private runInstances(region: string, state: RegionState, body: Json): Json {
    const token = text(body.ClientToken);
    const earlier = token ? state.clientTokens.get(token) : undefined;
    if (earlier) return { InstanceIdSet: earlier };
    const placement = (body.Placement ?? {}) as { Zone?: string };
    const zone = text(placement.Zone);
    if (!(FIXTURE_ZONES[region] ?? []).some((known) => known.Zone === zone)) {
      throw new TencentFault('InvalidZone.MismatchRegion', `zone ${zone} is not in ${region}`);
    }
    const chargeType = text(body.InstanceChargeType) || 'POSTPAID_BY_HOUR';
    const quota = instanceTypeQuotas(region, chargeType).find(
      (item) => item.Zone === zone && item.InstanceType === body.InstanceType,
    );
    if (!quota) {
      throw new TencentFault(
        'InvalidParameterValue.InstanceTypeNotFound',
        `${String(body.InstanceType)} is not sold in ${zone}`,
      );
    }
    if (quota.Status !== 'SELL') {
      throw new TencentFault(
        'ResourcesSoldOut.SpecifiedInstanceType',
        `${String(body.InstanceType)} is sold out in ${zone}`,
      );
    }
    const image = FIXTURE_IMAGES.find((candidate) => candidate.ImageId === body.ImageId);
    if (!image)
      throw new TencentFault('InvalidImageId.NotFound', `image ${String(body.ImageId)} does not exist`);
    const network = (body.VirtualPrivateCloud ?? {}) as { VpcId?: string; SubnetId?: string };
    const subnet = state.subnets.get(text(network.SubnetId));
    if (!subnet || subnet.vpcId !== network.VpcId) {
      throw new TencentFault(
        'InvalidParameterValue.SubnetNotExist',
        `subnet ${String(network.SubnetId)} of ${String(network.VpcId)}`,
      );
    }
    if (subnet.zone !== zone) {
      throw new TencentFault(
        'InvalidParameterValue.VpcIdZoneIdNotMatch',
        `subnet ${subnet.id} is in ${subnet.zone}, not ${zone}`,
      );
    }
    const groupIds = list(body.SecurityGroupIds).map(String);
    for (const id of groupIds) {
      if (!state.groups.has(id))
        throw new TencentFault('InvalidSecurityGroupId.NotFound', `security group ${id}`);
    }
    const login = (body.LoginSettings ?? {}) as { KeyIds?: string[] };
    const keyIds = list(login.KeyIds).map(String);
    for (const id of keyIds) {
      if (!state.keys.has(id)) throw new TencentFault('InvalidKeyPairId.NotFound', `key pair ${id}`);
    }
    const disk = (body.SystemDisk ?? {}) as { DiskType?: string; DiskSize?: number };
    const diskSize = disk.DiskSize ?? 50;
    if (diskSize < 20 || diskSize > 1024)
      throw new TencentFault('InvalidParameterValue.Range', `system disk ${diskSize} GiB`);
    const name = text(body.InstanceName) || 'Unnamed';
    if (name.length > 60)
      throw new TencentFault('InvalidInstanceName.TooLong', 'InstanceName is at most 60 bytes');
    if (text(body.UserData).length > 16 * 1024) {
      throw new TencentFault(
        'InvalidParameterValue.InvalidUserDataFormat',
        'UserData is at most 16 KB in base64',
      );
    }
    const tags: Tag[] = [];
    for (const spec of list(body.TagSpecification)) {
      const { ResourceType, Tags } = spec as { ResourceType?: string; Tags?: unknown };
      if (ResourceType !== 'instance')
        throw new TencentFault('InvalidParameterValue', `ResourceType ${ResourceType}`);
      tags.push(...checkTags(Tags));
    }
    if (chargeType === 'SPOTPAID') {
      const market = (body.InstanceMarketOptions ?? {}) as { SpotOptions?: { MaxPrice?: unknown } };
      if (typeof market.SpotOptions?.MaxPrice !== 'string') {
        throw new TencentFault(
          'MissingParameter',
          'InstanceMarketOptions.SpotOptions.MaxPrice is required for SPOTPAID',
        );
      }
    }
    const internet = (body.InternetAccessible ?? {}) as {
      InternetMaxBandwidthOut?: number;
      PublicIpAssigned?: boolean;
    };
    const bandwidth = internet.InternetMaxBandwidthOut ?? 0;
    const [start] = cidrBounds(subnet.cidr);
    const instance: FakeInstance = {
      id: this.newId('ins'),
      name,
      zone,
      type: text(body.InstanceType),
      imageId: text(image.ImageId),
      osName: text(image.OsName),
      chargeType,
      diskType: disk.DiskType ?? 'CLOUD_BSSD',
      diskSize,
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      groupIds,
      keyIds,
      privateIp: numberToIp(start + subnet.nextHost++),
      publicIp: undefined,
      wantsPublicIp: bandwidth > 0 && internet.PublicIpAssigned !== false,
      bandwidth,
      state: 'PENDING',
      settlesIn: 1,
      stopChargingMode: 'NOT_APPLICABLE',
      createdTime: isoTime(new Date()),
      tags,
      latestOperation: 'RunInstances',
    };
    state.instances.set(instance.id, instance);
    if (token) state.clientTokens.set(token, [instance.id]);
    return { InstanceIdSet: [instance.id] };
  }

  private publicIp(): string {
    this.ipCounter++;
    return `43.155.${Math.floor(this.ipCounter / 250) % 250}.${(this.ipCounter % 250) + 1}`;
  }

  /** Transitional states settle after one more describe; terminated instances disappear. */
  private settle(state: RegionState): void {
    for (const instance of [...state.instances.values()]) {
      const next = SETTLED[instance.state];
      if (!next) continue;
      if (instance.settlesIn > 0) {
        instance.settlesIn--;
        continue;
      }
      if (next === 'GONE') {
        state.instances.delete(instance.id);
        continue;
      }
      instance.state = next;
      if (next === 'RUNNING' && instance.wantsPublicIp) instance.publicIp ??= this.publicIp();
    }
  }

  private changeState(action: string, state: RegionState, body: Json): Json {
    const ids = list(body.InstanceIds).map(String);
    const instances = ids.map((id) => {
      this.checkId(id, 'ins', 'InvalidInstanceId.Malformed');
      const instance = state.instances.get(id);
      if (!instance) throw new TencentFault('InvalidInstanceId.NotFound', `instance ${id} does not exist`);
      return instance;
    });
    const refuse = (instance: FakeInstance) =>
      new TencentFault(
        `UnsupportedOperation.InstanceState${instance.state[0]}${instance.state.slice(1).toLowerCase()}`,
        `instance ${instance.id} is ${instance.state}`,
      );
    for (const instance of instances) {
      switch (action) {
        case 'StopInstances': {
          if (instance.state !== 'RUNNING') throw refuse(instance);
          const mode = text(body.StoppedMode) || 'KEEP_CHARGING';
          if (
            mode === 'STOP_CHARGING' &&
            (instance.chargeType !== 'POSTPAID_BY_HOUR' || !instance.diskType.startsWith('CLOUD_'))
          ) {
            throw new TencentFault(
              'UnsupportedOperation.StoppedModeStopCharging',
              `instance ${instance.id} cannot stop charging`,
            );
          }
          instance.stopChargingMode = mode;
          // Stop charging releases the public IP; a new one comes with the next start.
          if (mode === 'STOP_CHARGING') instance.publicIp = undefined;
          instance.state = 'STOPPING';
          break;
        }
        case 'StartInstances':
          if (instance.state !== 'STOPPED') throw refuse(instance);
          instance.stopChargingMode = 'NOT_APPLICABLE';
          instance.state = 'STARTING';
          break;
        case 'RebootInstances':
          if (instance.state !== 'RUNNING') throw refuse(instance);
          instance.state = 'REBOOTING';
          break;
        case 'TerminateInstances':
          instance.state = 'TERMINATING';
          break;
      }
      instance.settlesIn = 1;
      instance.latestOperation = action;
    }
    return {};
  }

  private instanceJson(instance: FakeInstance): Json {
    const ubuntu = /ubuntu/i.test(instance.osName);
    return {
      Placement: { Zone: instance.zone, ProjectId: 0, HostIds: null, HostId: null },
      InstanceId: instance.id,
      InstanceType: instance.type,
      CPU: 2,
      Memory: 4,
      RestrictState: 'NORMAL',
      InstanceName: instance.name,
      InstanceChargeType: instance.chargeType,
      SystemDisk: {
        DiskType: instance.diskType,
        DiskId: `disk-${instance.id.slice(4)}`,
        DiskSize: instance.diskSize,
      },
      DataDisks: null,
      PrivateIpAddresses: [instance.privateIp],
      PublicIpAddresses: instance.publicIp ? [instance.publicIp] : null,
      InternetAccessible: {
        InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR',
        InternetMaxBandwidthOut: instance.bandwidth,
        PublicIpAssigned: instance.wantsPublicIp,
      },
      VirtualPrivateCloud: { VpcId: instance.vpcId, SubnetId: instance.subnetId, AsVpcGateway: false },
      ImageId: instance.imageId,
      RenewFlag: null,
      CreatedTime: instance.createdTime,
      ExpiredTime: null,
      OsName: instance.osName,
      SecurityGroupIds: instance.groupIds,
      LoginSettings: { Password: null, KeyIds: instance.keyIds, KeepImageLogin: null },
      InstanceState: instance.state,
      Tags: instance.tags,
      StopChargingMode: instance.stopChargingMode,
      Uuid: `${instance.id.slice(4)}-0000-4000-8000-000000000000`,
      LatestOperation: instance.latestOperation,
      LatestOperationState: 'SUCCESS',
      LatestOperationRequestId: this.requestId(),
      IPv6Addresses: null,
      CamRoleName: '',
      IsolatedSource: 'NOTISOLATED',
      DisableApiTermination: false,
      DefaultLoginUser: ubuntu ? 'ubuntu' : 'root',
      DefaultLoginPort: 22,
      LatestOperationErrorMsg: null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // VPC
  // -------------------------------------------------------------------------------------------

  private vpc(action: string, region: string, body: Json): Json {
    const state = this.state(region);
    const now = new Date();
    switch (action) {
      case 'CreateVpc': {
        const name = text(body.VpcName);
        if (name.length === 0 || name.length > 60)
          throw new TencentFault('InvalidParameterValue.TooLong', 'VpcName is 1-60 characters');
        const cidr = body.CidrBlock;
        if (!validCidr(cidr))
          throw new TencentFault('InvalidParameterValue.Malformed', `CidrBlock ${String(cidr)}`);
        const mask = Number(cidr.split('/')[1]);
        const [start, end] = cidrBounds(cidr);
        const inside = (range: string) => {
          const [low, high] = cidrBounds(range);
          return start >= low && end <= high;
        };
        if (mask < 12 || mask > 28 || !['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some(inside)) {
          throw new TencentFault(
            'InvalidParameterValue.Range',
            `CidrBlock ${cidr} must be a /12-/28 private range`,
          );
        }
        const vpc: FakeVpc = {
          id: this.newId('vpc'),
          name,
          cidr,
          createdTime: beijingTime(now),
          tags: checkTags(body.Tags),
        };
        state.vpcs.set(vpc.id, vpc);
        return { Vpc: this.vpcJson(vpc) };
      }
      case 'DescribeVpcs': {
        const ids = this.vpcIds(body.VpcIds, 'vpc', state.vpcs, body.Filters);
        const vpcs = [...state.vpcs.values()].filter((vpc) =>
          ids
            ? ids.includes(vpc.id)
            : matchesFilters(body.Filters, vpc.tags, { 'vpc-id': vpc.id, 'vpc-name': vpc.name }),
        );
        return {
          TotalCount: vpcs.length,
          VpcSet: page(vpcs, body, 'vpc', this.maxPageSize).map((vpc) => this.vpcJson(vpc)),
        };
      }
      case 'DeleteVpc': {
        const id = text(body.VpcId);
        this.vpcIds([id], 'vpc', state.vpcs);
        if ([...state.subnets.values()].some((subnet) => subnet.vpcId === id)) {
          throw new TencentFault('ResourceInUse', `VPC ${id} still has subnets`);
        }
        state.vpcs.delete(id);
        return {};
      }
      case 'CreateSubnet': {
        const vpcId = text(body.VpcId);
        this.vpcIds([vpcId], 'vpc', state.vpcs);
        const vpc = state.vpcs.get(vpcId) as FakeVpc;
        const zone = text(body.Zone);
        if (
          !(FIXTURE_ZONES[region] ?? []).some(
            (known) => known.Zone === zone && known.ZoneState === 'AVAILABLE',
          )
        ) {
          throw new TencentFault('InvalidParameterValue.Zone', `zone ${zone} is not available in ${region}`);
        }
        const name = text(body.SubnetName);
        if (name.length === 0 || name.length > 60)
          throw new TencentFault('InvalidParameterValue.TooLong', 'SubnetName is 1-60 characters');
        const cidr = body.CidrBlock;
        if (!validCidr(cidr))
          throw new TencentFault('InvalidParameterValue.Malformed', `CidrBlock ${String(cidr)}`);
        const [start, end] = cidrBounds(cidr);
        const [low, high] = cidrBounds(vpc.cidr);
        if (start < low || end > high)
          throw new TencentFault('InvalidParameterValue.SubnetRange', `${cidr} is outside ${vpc.cidr}`);
        for (const other of state.subnets.values()) {
          const [otherStart, otherEnd] = cidrBounds(other.cidr);
          if (other.vpcId === vpcId && start <= otherEnd && otherStart <= end) {
            throw new TencentFault('InvalidParameterValue.SubnetConflict', `${cidr} overlaps ${other.cidr}`);
          }
        }
        const subnet: FakeSubnet = {
          id: this.newId('subnet'),
          vpcId,
          name,
          cidr,
          zone,
          createdTime: beijingTime(now),
          tags: checkTags(body.Tags),
          nextHost: 6,
        };
        state.subnets.set(subnet.id, subnet);
        return { Subnet: this.subnetJson(subnet) };
      }
      case 'DescribeSubnets': {
        const ids = this.vpcIds(body.SubnetIds, 'subnet', state.subnets, body.Filters);
        const subnets = [...state.subnets.values()].filter((subnet) =>
          ids
            ? ids.includes(subnet.id)
            : matchesFilters(body.Filters, subnet.tags, {
                'subnet-id': subnet.id,
                'vpc-id': subnet.vpcId,
                zone: subnet.zone,
                'subnet-name': subnet.name,
              }),
        );
        return {
          TotalCount: subnets.length,
          SubnetSet: page(subnets, body, 'vpc', this.maxPageSize).map((subnet) => this.subnetJson(subnet)),
        };
      }
      case 'DeleteSubnet': {
        const id = text(body.SubnetId);
        this.vpcIds([id], 'subnet', state.subnets);
        if ([...state.instances.values()].some((instance) => instance.subnetId === id)) {
          throw new TencentFault('ResourceInUse', `subnet ${id} still has instances`);
        }
        state.subnets.delete(id);
        return {};
      }
      case 'CreateSecurityGroup': {
        const name = text(body.GroupName);
        if (name.length === 0 || name.length > 60)
          throw new TencentFault('InvalidParameterValue.TooLong', 'GroupName is 1-60 characters');
        const description = text(body.GroupDescription);
        if (description.length === 0)
          throw new TencentFault('MissingParameter', 'GroupDescription is required');
        if (description.length > 100)
          throw new TencentFault(
            'InvalidParameterValue.TooLong',
            'GroupDescription is at most 100 characters',
          );
        const group: FakeGroup = {
          id: this.newId('sg'),
          name,
          description,
          createdTime: beijingTime(now),
          tags: checkTags(body.Tags),
          version: 0,
          ingress: [],
          egress: [],
        };
        state.groups.set(group.id, group);
        return { SecurityGroup: this.groupJson(group) };
      }
      case 'DescribeSecurityGroups': {
        const ids = this.vpcIds(body.SecurityGroupIds, 'sg', state.groups, body.Filters);
        const groups = [...state.groups.values()].filter((group) =>
          ids
            ? ids.includes(group.id)
            : matchesFilters(body.Filters, group.tags, {
                'security-group-id': group.id,
                'security-group-name': group.name,
              }),
        );
        return {
          TotalCount: groups.length,
          SecurityGroupSet: page(groups, body, 'vpc', this.maxPageSize).map((group) => this.groupJson(group)),
        };
      }
      case 'DescribeSecurityGroupPolicies': {
        const group = this.group(state, body.SecurityGroupId);
        const json = (policies: Policy[]) =>
          policies.map((policy, index) => ({
            PolicyIndex: index,
            ...policy,
            Ipv6CidrBlock: '',
            SecurityGroupId: '',
            ServiceTemplate: { ServiceId: '', ServiceGroupId: '' },
            AddressTemplate: { AddressId: '', AddressGroupId: '' },
          }));
        return {
          SecurityGroupPolicySet: {
            Version: String(group.version),
            Ingress: json(group.ingress),
            Egress: json(group.egress),
          },
        };
      }
      case 'CreateSecurityGroupPolicies': {
        const group = this.group(state, body.SecurityGroupId);
        const set = (body.SecurityGroupPolicySet ?? {}) as { Ingress?: unknown; Egress?: unknown };
        const ingress = list(set.Ingress).map((policy) => this.policy(policy));
        const egress = list(set.Egress).map((policy) => this.policy(policy));
        if (ingress.length > 0 && egress.length > 0) {
          throw new TencentFault('InvalidParameter', 'Egress and Ingress cannot be created in one request');
        }
        group.ingress.push(...ingress);
        group.egress.push(...egress);
        group.version++;
        return {};
      }
      case 'ModifySecurityGroupPolicies': {
        const group = this.group(state, body.SecurityGroupId);
        const set = (body.SecurityGroupPolicySet ?? {}) as {
          Version?: unknown;
          Ingress?: unknown;
          Egress?: unknown;
        };
        const version = text(set.Version);
        if (version === '0') {
          group.ingress = [];
          group.egress = [];
        } else {
          if (version !== '' && version !== String(group.version)) {
            throw new TencentFault(
              'UnsupportedOperation.VersionMismatch',
              `version ${version} is not ${group.version}`,
            );
          }
          group.ingress = list(set.Ingress).map((policy) => this.policy(policy));
          group.egress = list(set.Egress).map((policy) => this.policy(policy));
        }
        group.version++;
        return {};
      }
      case 'DeleteSecurityGroup': {
        const group = this.group(state, body.SecurityGroupId);
        if ([...state.instances.values()].some((instance) => instance.groupIds.includes(group.id))) {
          throw new TencentFault('ResourceInUse', `security group ${group.id} is bound to instances`);
        }
        state.groups.delete(group.id);
        return {};
      }
      default:
        throw new TencentFault('InvalidAction', `${action} is not implemented by the fake`);
    }
  }

  /** Ids of a VPC Describe/Delete: malformed ones are InvalidParameterValue.Malformed, unknown ones ResourceNotFound. */
  private vpcIds<T>(
    value: unknown,
    prefix: string,
    known: Map<string, T>,
    filters?: unknown,
  ): string[] | undefined {
    const ids = list(value).map(String);
    if (ids.length > 0 && list(filters).length > 0) {
      throw new TencentFault('InvalidParameter', 'ids and Filters cannot be specified at the same time');
    }
    if (ids.length === 0) return undefined;
    for (const id of ids) {
      this.checkId(id, prefix, 'InvalidParameterValue.Malformed');
      if (!known.has(id)) throw new TencentFault('ResourceNotFound', `the resource ${id} does not exist`);
    }
    return ids;
  }

  private group(state: RegionState, id: unknown): FakeGroup {
    const [checked = ''] = this.vpcIds([id], 'sg', state.groups) ?? [];
    return state.groups.get(checked) as FakeGroup;
  }

  /** One policy as the VPC API validates it: protocol, port syntax, IPv4 CIDR, action. */
  private policy(raw: unknown): Policy {
    const policy = raw as Record<string, unknown>;
    const protocol = text(policy.Protocol).toUpperCase();
    if (!['TCP', 'UDP', 'ICMP', 'ALL'].includes(protocol))
      throw new TencentFault('InvalidParameterValue', `Protocol ${protocol}`);
    const port = text(policy.Port) || 'ALL';
    const portsAllowed = protocol === 'TCP' || protocol === 'UDP';
    // "Port is accepted only if Protocol is TCP or UDP."
    if (!portsAllowed && policy.Port !== undefined) {
      throw new TencentFault('InvalidParameterValue', `Port cannot be given with Protocol ${protocol}`);
    }
    if (port !== 'ALL' && !/^\d{1,5}(-\d{1,5})?(,\d{1,5}(-\d{1,5})?)*$/.test(port)) {
      throw new TencentFault('InvalidParameterValue', `Port ${port} for ${protocol}`);
    }
    for (const range of port === 'ALL' ? [] : port.split(',')) {
      const [from = 0, to = from] = range.split('-').map(Number);
      if (from > to || to > 65535) throw new TencentFault('InvalidParameterValue', `Port range ${range}`);
    }
    if (!validCidr(policy.CidrBlock))
      throw new TencentFault('InvalidParameterValue', `CidrBlock ${String(policy.CidrBlock)}`);
    const action = text(policy.Action).toUpperCase();
    if (action !== 'ACCEPT' && action !== 'DROP')
      throw new TencentFault('InvalidParameterValue', `Action ${action}`);
    return {
      Protocol: protocol,
      Port: port,
      CidrBlock: policy.CidrBlock,
      Action: action,
      PolicyDescription: text(policy.PolicyDescription),
      ModifyTime: beijingTime(new Date()),
    };
  }

  private vpcJson(vpc: FakeVpc): Json {
    return {
      VpcId: vpc.id,
      VpcName: vpc.name,
      CidrBlock: vpc.cidr,
      IsDefault: false,
      EnableMulticast: false,
      CreatedTime: vpc.createdTime,
      EnableDhcp: true,
      DhcpOptionsId: '',
      DnsServerSet: ['183.60.83.19', '183.60.82.98'],
      DomainName: '',
      Ipv6CidrBlock: '',
      TagSet: vpc.tags,
      AssistantCidrSet: [],
    };
  }

  private subnetJson(subnet: FakeSubnet): Json {
    const [start, end] = cidrBounds(subnet.cidr);
    return {
      VpcId: subnet.vpcId,
      SubnetId: subnet.id,
      SubnetName: subnet.name,
      CidrBlock: subnet.cidr,
      IsDefault: false,
      EnableBroadcast: false,
      Zone: subnet.zone,
      RouteTableId: `rtb-${subnet.vpcId.slice(4)}`,
      CreatedTime: subnet.createdTime,
      AvailableIpAddressCount: end - start - 2 - (subnet.nextHost - 6),
      Ipv6CidrBlock: '',
      NetworkAclId: '',
      IsRemoteVpcSnat: false,
      TotalIpAddressCount: end - start + 1,
      TagSet: subnet.tags,
    };
  }

  private groupJson(group: FakeGroup): Json {
    return {
      SecurityGroupId: group.id,
      SecurityGroupName: group.name,
      SecurityGroupDesc: group.description,
      ProjectId: '0',
      IsDefault: false,
      CreatedTime: group.createdTime,
      TagSet: group.tags,
      UpdateTime: group.createdTime,
    };
  }
}
