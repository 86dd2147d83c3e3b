// Tencent VPC shapes (VPC, subnet, security group and its policies) and CVM key pairs → spec schemas.
// The VPC API is called through the common client (no typed package here), so its shapes are
// declared below as the VPC API reference (Version 2017-03-12) documents them.
import { createHash } from 'node:crypto';
import type { KeyPair as CvmKeyPair } from 'tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js';
import {
  creationTags,
  IDEMPOTENCY_TAG,
  type KeyValueTag,
  placeholderDescription,
  recordToTags,
  tagFilters,
  tagsToRecord,
  visibleTags as visibleOf,
} from '../spec/driver-kit/index.ts';
import {
  type KeyPair,
  resourceId,
  type SecurityGroup,
  type SecurityRule,
  type Subnet,
  type Tags,
  type VNet,
} from '../spec/index.ts';
import { fingerprintOf } from '../spec/ssh-keys.ts';

export { IDEMPOTENCY_TAG, placeholderDescription, recordToTags, tagFilters, tagsToRecord };

export type TencentTag = KeyValueTag;
export interface TencentVpc {
  VpcId?: string;
  VpcName?: string;
  CidrBlock?: string;
  IsDefault?: boolean;
  CreatedTime?: string;
  TagSet?: TencentTag[];
}
export interface TencentSubnet {
  VpcId?: string;
  SubnetId?: string;
  SubnetName?: string;
  CidrBlock?: string;
  IsDefault?: boolean;
  Zone?: string;
  CreatedTime?: string;
  AvailableIpAddressCount?: number;
  TagSet?: TencentTag[];
}
export interface TencentSecurityGroup {
  SecurityGroupId?: string;
  SecurityGroupName?: string;
  SecurityGroupDesc?: string;
  ProjectId?: string;
  IsDefault?: boolean;
  CreatedTime?: string;
  UpdateTime?: string;
  TagSet?: TencentTag[];
}
export interface SecurityGroupPolicy {
  PolicyIndex?: number;
  Protocol?: string;
  Port?: string;
  CidrBlock?: string;
  Ipv6CidrBlock?: string;
  SecurityGroupId?: string;
  Action?: string;
  PolicyDescription?: string;
  ModifyTime?: string;
}
export interface SecurityGroupPolicySet {
  Version?: string;
  Egress?: SecurityGroupPolicy[];
  Ingress?: SecurityGroupPolicy[];
}

/** The s2a name when Tencent's own name field cannot hold it (key names: 25 characters, no "-"). */
export const NAME_TAG = 's2a:name';
/** Security groups are regional in Tencent, not part of a VPC: the vNet s2a made the group for. */
export const VNET_TAG = 's2a:vnet';
const BOOKKEEPING_TAGS = new Set([NAME_TAG, IDEMPOTENCY_TAG, VNET_TAG]);
/** The VPC a group not made by s2a is shown in: it belongs to none. */
export const NO_VNET = 'none';

/** Tencent allows 60 characters in VPC, subnet and security group names. */
export const NETWORK_NAME_MAX = 60;
/** ImportKeyPair: digits, letters and underscores, at most 25 characters. */
export const KEY_NAME_MAX = 25;

function shorten(name: string, max: number, separator: string): string {
  if (name.length <= max) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - digest.length - 1)}${separator}${digest}`;
}

/** The name Tencent stores for a network resource; the s2a name goes to NAME_TAG when they differ. */
export function networkName(name: string): string {
  return shorten(name, NETWORK_NAME_MAX, '-');
}

/** A key pair name Tencent accepts; unique per s2a name thanks to the digest when shortened. */
export function keyName(name: string): string {
  return shorten(name.replace(/[^A-Za-z0-9_]/g, '_'), KEY_NAME_MAX, '_');
}

/** Tags for a create: the request's, plus the s2a name when the native name differs from it. */
export function createTags(
  name: string,
  nativeName: string,
  tags: Tags,
  idempotencyKey: string | undefined,
  extra: Record<string, string> = {},
): TencentTag[] {
  return recordToTags(
    creationTags(tags, nativeName === name ? {} : { [NAME_TAG]: name }, idempotencyKey, extra),
  );
}

/** The tags a resource shows: everything but the driver's bookkeeping (and empty values Tencent allows). */
export function visibleTags(tags: Record<string, string>): Tags {
  return visibleOf(tags, BOOKKEEPING_TAGS);
}

const UNKNOWN_TIME = new Date(0).toISOString();

/**
 * VPC times come as "2020-03-10 11:28:31" in Beijing time (UTC+8) without a zone; CVM times are
 * ISO 8601 in UTC. Both become ISO 8601 in UTC.
 */
export function tencentTime(text: string | undefined): string {
  if (!text) return UNKNOWN_TIME;
  const local = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  const parsed = Date.parse(local ? `${local[1]}T${local[2]}+08:00` : text);
  return Number.isNaN(parsed) ? UNKNOWN_TIME : new Date(parsed).toISOString();
}

export function toVNet(region: string, vpc: TencentVpc): VNet {
  const tags = tagsToRecord(vpc.TagSet);
  const cspId = vpc.VpcId ?? '';
  return {
    id: resourceId('tencent', region, cspId),
    cspId,
    provider: 'tencent',
    region,
    name: tags[NAME_TAG] ?? vpc.VpcName ?? cspId,
    tags: visibleTags(tags),
    createdAt: tencentTime(vpc.CreatedTime),
    cidrBlock: vpc.CidrBlock ?? '',
  };
}

export function toSubnet(region: string, subnet: TencentSubnet): Subnet {
  const tags = tagsToRecord(subnet.TagSet);
  const cspId = subnet.SubnetId ?? '';
  return {
    id: resourceId('tencent', region, cspId),
    cspId,
    provider: 'tencent',
    region,
    name: tags[NAME_TAG] ?? subnet.SubnetName ?? cspId,
    tags: visibleTags(tags),
    createdAt: tencentTime(subnet.CreatedTime),
    vNetId: resourceId('tencent', region, subnet.VpcId ?? NO_VNET),
    cidrBlock: subnet.CidrBlock ?? '',
    zone: subnet.Zone ?? null,
  };
}

function protocolOf(protocol: string | undefined): SecurityRule['protocol'] | undefined {
  const protocols: Record<string, SecurityRule['protocol']> = {
    TCP: 'tcp',
    UDP: 'udp',
    ICMP: 'icmp',
    ALL: 'all',
  };
  return protocols[(protocol ?? '').toUpperCase()];
}

/** Port field → [from, to] ranges: "22", "80-90", "22,443", "ALL". */
function portRanges(port: string | undefined): [number, number][] {
  const text = (port ?? 'ALL').trim();
  if (text === '' || text.toUpperCase() === 'ALL') return [[0, 65535]];
  return text.split(',').map((part) => {
    const [from = '0', to = from] = part.trim().split('-');
    return [Number(from), Number(to)];
  });
}

/** Spec rules from policies: ACCEPT rules with an IPv4 CIDR (DROP rules, IPv6 and templates are not spec rules). */
export function policiesToRules(
  policies: readonly SecurityGroupPolicy[] | undefined,
  direction: SecurityRule['direction'],
): SecurityRule[] {
  const rules: SecurityRule[] = [];
  for (const policy of policies ?? []) {
    const protocol = protocolOf(policy.Protocol);
    if (!protocol || (policy.Action ?? 'ACCEPT').toUpperCase() !== 'ACCEPT' || !policy.CidrBlock) continue;
    const description = policy.PolicyDescription ? { description: policy.PolicyDescription } : {};
    if (protocol !== 'tcp' && protocol !== 'udp') {
      rules.push({
        direction,
        protocol,
        fromPort: null,
        toPort: null,
        cidr: policy.CidrBlock,
        ...description,
      });
      continue;
    }
    for (const [fromPort, toPort] of portRanges(policy.Port)) {
      rules.push({ direction, protocol, fromPort, toPort, cidr: policy.CidrBlock, ...description });
    }
  }
  return rules;
}

/** A spec rule as a policy: an ACCEPT for the CIDR. Port is for TCP and UDP only (the API refuses it otherwise). */
export function ruleToPolicy(rule: SecurityRule): SecurityGroupPolicy {
  const description = rule.description ? { PolicyDescription: rule.description } : {};
  const base = {
    Protocol: rule.protocol.toUpperCase(),
    CidrBlock: rule.cidr,
    Action: 'ACCEPT',
    ...description,
  };
  if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') return base;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65535;
  const port = from === 0 && to === 65535 ? 'ALL' : from === to ? String(from) : `${from}-${to}`;
  return { ...base, Port: port };
}

/** The allow-all egress rule a new group gets when no outbound rules are asked for. */
export const ALLOW_ALL_EGRESS: SecurityGroupPolicy = {
  Protocol: 'ALL',
  CidrBlock: '0.0.0.0/0',
  Action: 'ACCEPT',
  PolicyDescription: 's2a: allow all outbound',
};

export function toSecurityGroup(
  region: string,
  group: TencentSecurityGroup,
  policies: SecurityGroupPolicySet | undefined,
): SecurityGroup {
  const tags = tagsToRecord(group.TagSet);
  const cspId = group.SecurityGroupId ?? '';
  const name = tags[NAME_TAG] ?? group.SecurityGroupName ?? cspId;
  const description = group.SecurityGroupDesc ?? '';
  return {
    id: resourceId('tencent', region, cspId),
    cspId,
    provider: 'tencent',
    region,
    name,
    tags: visibleTags(tags),
    createdAt: tencentTime(group.CreatedTime),
    vNetId: resourceId('tencent', region, tags[VNET_TAG] || NO_VNET),
    description: description === placeholderDescription(name) ? '' : description,
    rules: [
      ...policiesToRules(policies?.Ingress, 'inbound'),
      ...policiesToRules(policies?.Egress, 'outbound'),
    ],
  };
}

export function toKeyPair(region: string, key: CvmKeyPair): KeyPair {
  const tags = tagsToRecord(key.Tags);
  const cspId = key.KeyId ?? '';
  const publicKey = (key.PublicKey ?? '').trim();
  return {
    id: resourceId('tencent', region, cspId),
    cspId,
    provider: 'tencent',
    region,
    name: tags[NAME_TAG] ?? key.KeyName ?? cspId,
    tags: visibleTags(tags),
    createdAt: tencentTime(key.CreatedTime),
    publicKey,
    fingerprint: publicKey ? fingerprintOf(publicKey) : '',
  };
}
