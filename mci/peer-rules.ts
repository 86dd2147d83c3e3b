// Private app ports across regions: a vNet CIDR rule only admits nodes of the same region, so in an
// MCI spanning several regions (or providers) each private rule is mirrored for the public IP (/32)
// of every node in the other regions. The security groups themselves hold what is private: the
// inbound rules whose source is the region's vNet CIDR.
import type { CloudDriver, ProviderId, SecurityRule } from '../drivers/spec/index.ts';
import type { MciNode, RegionResources } from './model.ts';

/** Descriptions of mirrored rules start with this; rules without it are never touched. */
export const PEER_RULE_PREFIX = 's2a-peer ';

export interface PeerRuleChange {
  regionId: string;
  securityGroupId: string;
  added: number;
  removed: number;
}

export interface PeerRuleTarget {
  name: string;
  regions: Record<string, RegionResources>;
  nodes: readonly MciNode[];
}

function ruleKey(rule: SecurityRule): string {
  return [rule.direction, rule.protocol, rule.fromPort, rule.toPort, rule.cidr].join('|');
}

export function isPeerRule(rule: SecurityRule): boolean {
  return rule.description?.startsWith(PEER_RULE_PREFIX) ?? false;
}

/**
 * Brings every security group of the MCI in line: private rules mirrored for the current public IPs
 * of the nodes in other regions, mirrors of nodes that left (or lost their IP) removed. Groups whose
 * rules already match are not written. Returns what changed per region.
 */
export async function syncPeerRules(
  mci: PeerRuleTarget,
  drivers: (provider: ProviderId) => Promise<CloudDriver>,
): Promise<PeerRuleChange[]> {
  // One region: no peers, and no mirrors can have been made.
  if (Object.keys(mci.regions).length < 2) return [];
  const addresses = await publicAddresses(mci, drivers);
  const changes: PeerRuleChange[] = [];
  for (const [regionId, region] of Object.entries(mci.regions)) {
    if (!region.securityGroupId) continue;
    const provider = regionId.split('+')[0] as ProviderId;
    const driver = await drivers(provider);
    const group = await driver.getSecurityGroup(region.securityGroupId);
    const kept = group.rules.filter((rule) => !isPeerRule(rule));
    const vNetCidr = (await driver.getVNet(region.vNetId ?? group.vNetId)).cidrBlock;
    const privateRules = kept.filter((rule) => rule.direction === 'inbound' && rule.cidr === vNetCidr);
    const peers = mci.nodes.flatMap((node) => {
      const address = node.regionId === regionId ? undefined : addresses.get(node.name);
      return address ? [{ node: node.name, address }] : [];
    });
    const mirrored = new Map<string, SecurityRule>();
    for (const rule of privateRules)
      for (const peer of peers) {
        const mirror: SecurityRule = {
          ...rule,
          cidr: `${peer.address}/32`,
          description: `${PEER_RULE_PREFIX}${peer.node}: ${rule.description ?? 'private port'}`.slice(0, 255),
        };
        mirrored.set(ruleKey(mirror), mirror);
      }
    const before = new Set(group.rules.filter(isPeerRule).map(ruleKey));
    const after = new Set(mirrored.keys());
    const added = [...after].filter((key) => !before.has(key)).length;
    const removed = [...before].filter((key) => !after.has(key)).length;
    if (added === 0 && removed === 0) continue;
    await driver.setSecurityGroupRules(group.id, [...kept, ...mirrored.values()]);
    changes.push({ regionId, securityGroupId: group.id, added, removed });
  }
  return changes;
}

/**
 * Node name → public IP as the provider reports it now (one listVms per region); nodes that are not
 * Running or have no address are left out, so their mirrors go.
 */
async function publicAddresses(
  mci: PeerRuleTarget,
  drivers: (provider: ProviderId) => Promise<CloudDriver>,
): Promise<Map<string, string>> {
  const addresses = new Map<string, string>();
  const regionIds = [...new Set(mci.nodes.map((node) => node.regionId))];
  await Promise.all(
    regionIds.map(async (regionId) => {
      const [provider, code] = regionId.split('+') as [ProviderId, string];
      const driver = await drivers(provider);
      const vms = await driver.listVms({ region: code, tags: { 's2a:mci': mci.name } });
      const byId = new Map(vms.map((vm) => [vm.id, vm]));
      for (const node of mci.nodes) {
        if (node.regionId !== regionId || !node.vmId) continue;
        const vm = byId.get(node.vmId);
        if (vm?.status === 'Running' && vm.publicIp) addresses.set(node.name, vm.publicIp);
      }
    }),
  );
  return addresses;
}
