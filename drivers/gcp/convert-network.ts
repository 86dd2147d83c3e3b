import type { protos } from '@google-cloud/compute';
import { resourceId, type SecurityGroup, type SecurityRule, type Subnet, type VNet } from '../spec/index.ts';
import { lastSegment, readDescription, type S2aDescription } from './convert-metadata.ts';

type Network = protos.google.cloud.compute.v1.INetwork;
type Subnetwork = protos.google.cloud.compute.v1.ISubnetwork;
type Firewall = protos.google.cloud.compute.v1.IFirewall;

/** A network s2a created (its description holds region, CIDR and tags); undefined for others. */
export function toVNet(network: Network): VNet | undefined {
  const data = readDescription(network.description);
  if (!data?.region || !data.cidrBlock || !network.name) return undefined;
  return {
    id: resourceId('gcp', data.region, network.name),
    cspId: network.name,
    provider: 'gcp',
    region: data.region,
    name: network.name,
    tags: data.tags ?? {},
    createdAt: isoDate(network.creationTimestamp),
    cidrBlock: data.cidrBlock,
  };
}

/** Subnetworks are regional: `zone` is always null. Tags come from the description. */
export function toSubnet(subnetwork: Subnetwork): Subnet | undefined {
  const data = readDescription(subnetwork.description);
  const region = lastSegment(subnetwork.region);
  if (!data || !subnetwork.name || !region || !subnetwork.ipCidrRange) return undefined;
  return {
    id: resourceId('gcp', region, subnetwork.name),
    cspId: subnetwork.name,
    provider: 'gcp',
    region,
    name: subnetwork.name,
    tags: data.tags ?? {},
    createdAt: isoDate(subnetwork.creationTimestamp),
    vNetId: data.vNetId ?? resourceId('gcp', region, lastSegment(subnetwork.network)),
    cidrBlock: subnetwork.ipCidrRange,
    zone: null,
  };
}

/**
 * A security group is a set of firewalls sharing a network tag (the group's name): one disabled
 * "anchor" firewall named after the group holds its description and tags (a group may have no
 * rules), and each rule is one more firewall targeting the tag. VMs in the group carry the tag.
 */
export function ruleFirewallName(group: string, index: number): string {
  return `${group.slice(0, 55)}-r${index}`;
}

export function ruleToFirewall(
  rule: SecurityRule,
  base: { network: string; group: string; index: number; description: S2aDescription },
): Firewall {
  const allowed = [
    {
      IPProtocol: rule.protocol,
      ...((rule.protocol === 'tcp' || rule.protocol === 'udp') && rule.fromPort !== null
        ? {
            ports: [
              rule.fromPort === rule.toPort || rule.toPort === null
                ? `${rule.fromPort}`
                : `${rule.fromPort}-${rule.toPort}`,
            ],
          }
        : {}),
    },
  ];
  const inbound = rule.direction === 'inbound';
  return {
    name: ruleFirewallName(base.group, base.index),
    network: base.network,
    direction: inbound ? 'INGRESS' : 'EGRESS',
    priority: 1000,
    allowed,
    targetTags: [base.group],
    ...(inbound ? { sourceRanges: [rule.cidr] } : { destinationRanges: [rule.cidr] }),
    description: JSON.stringify({
      s2a: {
        ...base.description,
        rule: base.index,
        ...(rule.description ? { ruleDescription: rule.description } : {}),
      },
    }),
  };
}

export function firewallToRule(firewall: Firewall): SecurityRule | undefined {
  const allowed = firewall.allowed?.[0];
  const protocol = allowed?.IPProtocol;
  if (protocol !== 'tcp' && protocol !== 'udp' && protocol !== 'icmp' && protocol !== 'all') return undefined;
  const inbound = firewall.direction !== 'EGRESS';
  const cidr = (inbound ? firewall.sourceRanges : firewall.destinationRanges)?.[0];
  if (!cidr) return undefined;
  const portText = allowed?.ports?.[0];
  let fromPort: number | null = null;
  let toPort: number | null = null;
  if (protocol === 'tcp' || protocol === 'udp') {
    const [from = '0', to = from] = (portText ?? '0-65535').split('-');
    fromPort = Number(from);
    toPort = Number(to);
  }
  const data = readDescription(firewall.description);
  return {
    direction: inbound ? 'inbound' : 'outbound',
    protocol,
    fromPort,
    toPort,
    cidr,
    ...(data?.ruleDescription ? { description: data.ruleDescription } : {}),
  };
}

/** The group from its anchor firewall and rule firewalls (rules sorted by their position). */
export function toSecurityGroup(anchor: Firewall, rules: Firewall[]): SecurityGroup | undefined {
  const data = readDescription(anchor.description);
  if (!data?.region || !data.group || !anchor.name) return undefined;
  const ordered = [...rules].sort(
    (a, b) => (readDescription(a.description)?.rule ?? 0) - (readDescription(b.description)?.rule ?? 0),
  );
  return {
    id: resourceId('gcp', data.region, anchor.name),
    cspId: anchor.name,
    provider: 'gcp',
    region: data.region,
    name: anchor.name,
    tags: data.tags ?? {},
    createdAt: isoDate(anchor.creationTimestamp),
    vNetId: resourceId('gcp', data.region, lastSegment(anchor.network)),
    description: data.text ?? '',
    rules: ordered.map(firewallToRule).filter((rule): rule is SecurityRule => rule !== undefined),
  };
}

/** True for the anchor firewall of a group (its description names the group and no rule). */
export function isAnchorFirewall(firewall: Firewall): boolean {
  const data = readDescription(firewall.description);
  return data?.group !== undefined && data.rule === undefined;
}

export function isoDate(timestamp: string | null | undefined): string {
  const parsed = timestamp ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(parsed) ? new Date(0).toISOString() : new Date(parsed).toISOString();
}
