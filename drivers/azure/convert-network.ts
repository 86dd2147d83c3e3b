// Virtual networks, subnets and network security groups ↔ s2a vNets, subnets and security groups.
import type {
  SecurityRule as AzureSecurityRule,
  Subnet as AzureSubnet,
  NetworkSecurityGroup,
  VirtualNetwork,
} from '@azure/arm-network';
import { resourceId, type SecurityGroup, type SecurityRule, type Subnet, type VNet } from '../spec/index.ts';
import type { SubnetRecord } from './azure-state.ts';
import { BOOKKEEPING, createdAtOf, groupedCspId, parseArmId, userTags } from './convert-tags.ts';

export function toVNet(network: VirtualNetwork): VNet | undefined {
  const parsed = parseArmId(network.id);
  const cidr = network.addressSpace?.addressPrefixes?.[0];
  if (!parsed || !network.location || !cidr) return undefined;
  const cspId = groupedCspId(parsed.resourceGroup, parsed.name);
  return {
    id: resourceId('azure', network.location, cspId),
    cspId,
    provider: 'azure',
    region: network.location,
    name: parsed.name,
    tags: userTags(network.tags),
    createdAt: createdAtOf(network.tags),
    cidrBlock: cidr,
  };
}

/** A subnet of `vNet`; its tags come from the driver's record, else from the vNet. */
export function toSubnet(
  subnet: AzureSubnet,
  vNet: VNet,
  record: SubnetRecord | undefined,
): Subnet | undefined {
  const cidr = subnet.addressPrefix ?? subnet.addressPrefixes?.[0];
  if (!subnet.name || !cidr) return undefined;
  const cspId = `${vNet.cspId}/${subnet.name}`;
  return {
    id: resourceId('azure', vNet.region, cspId),
    cspId,
    provider: 'azure',
    region: vNet.region,
    name: subnet.name,
    tags: record?.tags ?? vNet.tags,
    createdAt: record?.createdAt ?? vNet.createdAt,
    vNetId: vNet.id,
    cidrBlock: cidr,
    // Azure subnets span every zone of the region.
    zone: null,
  };
}

const PROTOCOL_TO_AZURE = { tcp: 'Tcp', udp: 'Udp', icmp: 'Icmp', all: '*' } as const;
const ANY_ADDRESS = ['*', 'internet', 'any', '0.0.0.0/0'];

function portRange(rule: SecurityRule): string {
  if (rule.fromPort === null || rule.toPort === null) return '*';
  return rule.fromPort === rule.toPort ? String(rule.fromPort) : `${rule.fromPort}-${rule.toPort}`;
}

/** NSG rules get priorities 100, 110, … per direction: Azure needs unique priorities, s2a rules have no order. */
export function toAzureRules(rules: readonly SecurityRule[]): AzureSecurityRule[] {
  const counters = { inbound: 0, outbound: 0 };
  return rules.map((rule) => {
    const index = counters[rule.direction]++;
    const inbound = rule.direction === 'inbound';
    return {
      name: `s2a-${inbound ? 'in' : 'out'}-${index + 1}`,
      protocol: PROTOCOL_TO_AZURE[rule.protocol],
      sourcePortRange: '*',
      destinationPortRange: portRange(rule),
      sourceAddressPrefix: inbound ? rule.cidr : '*',
      destinationAddressPrefix: inbound ? '*' : rule.cidr,
      access: 'Allow',
      priority: 100 + index * 10,
      direction: inbound ? 'Inbound' : 'Outbound',
      ...(rule.description ? { description: rule.description } : {}),
    };
  });
}

function toCidr(prefix: string | undefined): string | undefined {
  if (!prefix) return undefined;
  if (ANY_ADDRESS.includes(prefix.toLowerCase())) return '0.0.0.0/0';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(prefix)) return `${prefix}/32`;
  return /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(prefix) ? prefix : undefined;
}

/** Azure's allow rules as s2a rules; deny rules and service-tag prefixes have no s2a form and are skipped. */
export function fromAzureRule(rule: AzureSecurityRule): SecurityRule | undefined {
  if (rule.access !== 'Allow') return undefined;
  const inbound = rule.direction === 'Inbound';
  const cidr = toCidr(inbound ? rule.sourceAddressPrefix : rule.destinationAddressPrefix);
  if (!cidr) return undefined;
  const protocol = (
    { tcp: 'tcp', udp: 'udp', icmp: 'icmp', '*': 'all' } as Record<string, SecurityRule['protocol']>
  )[(rule.protocol ?? '*').toLowerCase()];
  if (!protocol) return undefined;
  const range = rule.destinationPortRange ?? '*';
  const match = /^(\d+)(?:-(\d+))?$/.exec(range);
  const fromPort = match ? Number(match[1]) : null;
  const toPort = match ? Number(match[2] ?? match[1]) : null;
  return {
    direction: inbound ? 'inbound' : 'outbound',
    protocol,
    fromPort: protocol === 'icmp' || protocol === 'all' ? null : fromPort,
    toPort: protocol === 'icmp' || protocol === 'all' ? null : toPort,
    cidr,
    ...(rule.description ? { description: rule.description } : {}),
  };
}

export function toSecurityGroup(group: NetworkSecurityGroup): SecurityGroup | undefined {
  const parsed = parseArmId(group.id);
  const vNetCspId = group.tags?.[BOOKKEEPING.vNet];
  if (!parsed || !group.location || !vNetCspId) return undefined;
  const cspId = groupedCspId(parsed.resourceGroup, parsed.name);
  return {
    id: resourceId('azure', group.location, cspId),
    cspId,
    provider: 'azure',
    region: group.location,
    name: parsed.name,
    tags: userTags(group.tags),
    createdAt: createdAtOf(group.tags),
    vNetId: resourceId('azure', group.location, vNetCspId),
    // NSGs have no description: the driver keeps it in a tag.
    description: group.tags?.[BOOKKEEPING.description] ?? '',
    rules: (group.securityRules ?? [])
      .map(fromAzureRule)
      .filter((rule): rule is SecurityRule => rule !== undefined),
  };
}
