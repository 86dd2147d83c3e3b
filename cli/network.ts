import { userInfo } from 'node:os';
import type { CloudDriver, KeyPair, SecurityGroup, Subnet, VNet } from '../drivers/spec/index.ts';

/** Who created a resource, so orphans can be traced to a person. */
export const OWNER = (userInfo().username || 'local').replace(/[^A-Za-z0-9_.-]/g, '-');

export interface Network {
  vNet: VNet;
  subnet: Subnet;
  group: SecurityGroup;
  keyPair: KeyPair;
  /** Deletes the network when no VM uses it any more. Returns whether it did. */
  release(): Promise<boolean>;
}

/**
 * Finds or makes the network the CLI puts VMs in: one vNet/subnet/SSH group/key pair per region
 * and MCI, tagged so that it can be found again and removed with its last VM.
 */
export async function ensureNetwork(
  driver: CloudDriver,
  region: string,
  mci: string,
  options: { create?: boolean; saveKey?: (name: string, privateKey: string) => Promise<void> } = {},
): Promise<Network> {
  const tags = { 's2a:mci': mci, 's2a:op': `network-${mci}`, 's2a:owner': OWNER };
  const filter = { region, tags: { 's2a:mci': mci, 's2a:owner': OWNER } };
  const name = `s2a-${mci}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63);
  let [vNet] = await driver.listVNets(filter);
  if (!vNet) {
    if (options.create === false) throw new Error(`no network of "${mci}" in ${region}`);
    vNet = await driver.createVNet({ region, name, cidrBlock: '10.0.0.0/16', tags });
  }
  let [subnet] = await driver.listSubnets({ ...filter, vNetId: vNet.id });
  if (!subnet) {
    const zone =
      driver.capabilities.subnetScope === 'zone'
        ? (await driver.listRegions()).find((item) => item.code === region)?.zones[0]?.code
        : undefined;
    subnet = await driver.createSubnet({
      vNetId: vNet.id,
      name,
      cidrBlock: '10.0.1.0/24',
      tags,
      ...(zone ? { zone } : {}),
    });
  }
  let [group] = await driver.listSecurityGroups({ ...filter, vNetId: vNet.id });
  if (!group) {
    group = await driver.createSecurityGroup({
      vNetId: vNet.id,
      name,
      description: 'SSH in, everything out',
      rules: [
        {
          direction: 'inbound',
          protocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          cidr: '0.0.0.0/0',
          description: 'SSH',
        },
        { direction: 'outbound', protocol: 'all', fromPort: null, toPort: null, cidr: '0.0.0.0/0' },
      ],
      tags,
    });
  }
  let [keyPair] = await driver.listKeyPairs(filter);
  if (!keyPair) {
    const created = await driver.createKeyPair({ region, name, tags });
    // The only copy of a generated private key: keep it for `ssh -i`, never print it.
    if (created.privateKey && options.saveKey)
      await options.saveKey(`${driver.provider}-${region}-${name}`, created.privateKey);
    const { privateKey: _privateKey, ...publicPart } = created;
    keyPair = publicPart;
  }
  const network = { vNet, subnet, group, keyPair };
  return {
    ...network,
    async release() {
      const users = (await driver.listVms({ region, includeTerminated: true })).filter(
        (vm) => vm.subnetId === network.subnet.id && vm.status !== 'Terminated',
      );
      if (users.length > 0) return false;
      await driver.deleteKeyPair(network.keyPair.id);
      await driver.deleteSecurityGroup(network.group.id);
      await driver.deleteSubnet(network.subnet.id);
      await driver.deleteVNet(network.vNet.id);
      return true;
    },
  };
}
