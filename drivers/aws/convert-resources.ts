// EC2 network shapes (VPC, subnet, security group, key pair) → spec schemas.
import type {
  SecurityGroup as Ec2SecurityGroup,
  Subnet as Ec2Subnet,
  IpPermission,
  KeyPairInfo,
  Vpc,
} from '@aws-sdk/client-ec2';
import {
  IDEMPOTENCY_TAG,
  placeholderDescription,
  recordToTags,
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

export { IDEMPOTENCY_TAG, placeholderDescription, recordToTags, tagsToRecord };

/** EC2 shows the "Name" tag as the resource's name in its console. */
export const NAME_TAG = 'Name';
/** VPCs, subnets and groups have no creation time in EC2, so the driver records it. */
export const CREATED_AT_TAG = 's2a:created-at';
/**
 * VM facts EC2 does not return with the instance, in one tag ("user=ubuntu,disk=30,key=key-…,
 * subnet=subnet-…,vpc=vpc-…"): the login user, the root disk asked for, the key pair id (instances
 * carry only the key's name) and the network (terminated instances lose their subnet and VPC).
 */
export const VM_FACTS_TAG = 's2a:vm';
/** Driver bookkeeping tags, not shown in the resources' `tags`. */
const BOOKKEEPING_TAGS = new Set([NAME_TAG, CREATED_AT_TAG, VM_FACTS_TAG]);

export interface VmFacts {
  user?: string;
  disk?: string;
  key?: string;
  subnet?: string;
  vpc?: string;
}

export function formatVmFacts(facts: VmFacts): string {
  return Object.entries(facts)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

export function parseVmFacts(text: string | undefined): VmFacts {
  const facts: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const [key, value] = pair.split('=');
    if (key && value) facts[key] = value;
  }
  return facts as VmFacts;
}

/** Resources that predate s2a have no creation tag; the epoch says "unknown" without failing the schema. */
const UNKNOWN_TIME = new Date(0).toISOString();

/** The tags a resource shows: everything but the driver's bookkeeping (and empty values EC2 allows). */
export function visibleTags(tags: Record<string, string>): Tags {
  return visibleOf(tags, BOOKKEEPING_TAGS);
}

export function toVNet(region: string, vpc: Vpc): VNet {
  const tags = tagsToRecord(vpc.Tags);
  const cspId = vpc.VpcId ?? '';
  return {
    id: resourceId('aws', region, cspId),
    cspId,
    provider: 'aws',
    region,
    name: tags[NAME_TAG] ?? cspId,
    tags: visibleTags(tags),
    createdAt: tags[CREATED_AT_TAG] ?? UNKNOWN_TIME,
    cidrBlock: vpc.CidrBlock ?? '',
  };
}

export function toSubnet(region: string, subnet: Ec2Subnet): Subnet {
  const tags = tagsToRecord(subnet.Tags);
  const cspId = subnet.SubnetId ?? '';
  return {
    id: resourceId('aws', region, cspId),
    cspId,
    provider: 'aws',
    region,
    name: tags[NAME_TAG] ?? cspId,
    tags: visibleTags(tags),
    createdAt: tags[CREATED_AT_TAG] ?? UNKNOWN_TIME,
    vNetId: resourceId('aws', region, subnet.VpcId ?? '?'),
    cidrBlock: subnet.CidrBlock ?? '',
    zone: subnet.AvailabilityZone ?? null,
  };
}

/** One spec rule per (permission, IPv4 range); IPv6 ranges and group references are not spec rules. */
export function permissionsToRules(
  permissions: readonly IpPermission[] | undefined,
  direction: SecurityRule['direction'],
): SecurityRule[] {
  const rules: SecurityRule[] = [];
  for (const permission of permissions ?? []) {
    const protocol = toProtocol(permission.IpProtocol);
    if (!protocol) continue;
    const ports = protocol === 'tcp' || protocol === 'udp';
    for (const range of permission.IpRanges ?? []) {
      if (!range.CidrIp) continue;
      rules.push({
        direction,
        protocol,
        fromPort: ports ? (permission.FromPort ?? null) : null,
        toPort: ports ? (permission.ToPort ?? null) : null,
        cidr: range.CidrIp,
        ...(range.Description ? { description: range.Description } : {}),
      });
    }
  }
  return rules;
}

function toProtocol(ipProtocol: string | undefined): SecurityRule['protocol'] | undefined {
  // EC2 answers names or IANA numbers; -1 means every protocol.
  const protocols: Record<string, SecurityRule['protocol']> = {
    '-1': 'all',
    tcp: 'tcp',
    '6': 'tcp',
    udp: 'udp',
    '17': 'udp',
    icmp: 'icmp',
    '1': 'icmp',
  };
  return ipProtocol === undefined ? undefined : protocols[ipProtocol];
}

/** A spec rule as the IpPermission Authorize/Revoke take. ICMP without ports means every type and code. */
export function ruleToPermission(rule: SecurityRule): IpPermission {
  const range = { CidrIp: rule.cidr, ...(rule.description ? { Description: rule.description } : {}) };
  if (rule.protocol === 'all') return { IpProtocol: '-1', IpRanges: [range] };
  if (rule.protocol === 'icmp') return { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [range] };
  return {
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort ?? 0,
    ToPort: rule.toPort ?? 65535,
    IpRanges: [range],
  };
}

/** Identity of a rule for diffs: what EC2 compares (description is not part of it). */
export function ruleIdentity(rule: SecurityRule): string {
  const ports = rule.protocol === 'tcp' || rule.protocol === 'udp';
  const from = ports ? (rule.fromPort ?? 0) : '*';
  const to = ports ? (rule.toPort ?? 65535) : '*';
  return `${rule.direction} ${rule.protocol} ${from}-${to} ${rule.cidr}`;
}

export function toSecurityGroup(region: string, group: Ec2SecurityGroup): SecurityGroup {
  const tags = tagsToRecord(group.Tags);
  const cspId = group.GroupId ?? '';
  return {
    id: resourceId('aws', region, cspId),
    cspId,
    provider: 'aws',
    region,
    name: tags[NAME_TAG] ?? group.GroupName ?? cspId,
    tags: visibleTags(tags),
    createdAt: tags[CREATED_AT_TAG] ?? UNKNOWN_TIME,
    vNetId: resourceId('aws', region, group.VpcId ?? '?'),
    description:
      group.Description === placeholderDescription(group.GroupName ?? '') ? '' : (group.Description ?? ''),
    rules: [
      ...permissionsToRules(group.IpPermissions, 'inbound'),
      ...permissionsToRules(group.IpPermissionsEgress, 'outbound'),
    ],
  };
}

export function toKeyPair(region: string, key: KeyPairInfo): KeyPair {
  const tags = tagsToRecord(key.Tags);
  const cspId = key.KeyPairId ?? '';
  const publicKey = (key.PublicKey ?? '').trim();
  return {
    id: resourceId('aws', region, cspId),
    cspId,
    provider: 'aws',
    region,
    name: key.KeyName ?? cspId,
    tags: visibleTags(tags),
    createdAt: key.CreateTime
      ? new Date(key.CreateTime).toISOString()
      : (tags[CREATED_AT_TAG] ?? UNKNOWN_TIME),
    publicKey,
    // SHA256 as `ssh-keygen -l` prints it (EC2's own is MD5 for RSA keys).
    fingerprint: publicKey ? fingerprintOf(publicKey) : (key.KeyFingerprint ?? ''),
  };
}
