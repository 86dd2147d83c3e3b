// The resources a VM needs before createVm, made the same way by the drivers' wire and smoke tests.
// Why here: each test made the vNet, subnet, security group and key pair with its own copy of the
// same four calls; one helper keeps the names and address blocks predictable for assertions.
import type { CloudDriver } from '../driver.ts';
import type { KeyPairCreated, SecurityGroup, SecurityRule, Subnet, Tags, VNet } from '../schemas.ts';

/** What `createVmNetwork` made. */
export interface VmNetwork {
  vNet: VNet;
  subnet: Subnet;
  group: SecurityGroup;
  keyPair: KeyPairCreated;
}

export interface VmNetworkRequest {
  region: string;
  /** Prefix of every name: `<name>-net`, `<name>-subnet`, `<name>-sg`, `<name>-key`. */
  name: string;
  /** The vNet's block; the subnet is its first /24 (10.7.0.0/16 → 10.7.1.0/24). */
  cidrBlock: `${number}.${number}.0.0/16`;
  tags: Tags;
  /** The security group's rules; none when absent. */
  rules?: SecurityRule[];
}

/**
 * Makes a vNet, a subnet in it, a security group and a key pair in `request.region`. With `undo`,
 * registers each one's delete right after making it (a cleanup then removes what was made).
 */
export async function createVmNetwork(
  driver: CloudDriver,
  request: VmNetworkRequest,
  undo?: (step: () => Promise<unknown>) => void,
): Promise<VmNetwork> {
  const { region, name, tags } = request;
  const vNet = await driver.createVNet({ region, name: `${name}-net`, cidrBlock: request.cidrBlock, tags });
  undo?.(() => driver.deleteVNet(vNet.id));
  const subnet = await driver.createSubnet({
    vNetId: vNet.id,
    name: `${name}-subnet`,
    cidrBlock: request.cidrBlock.replace('.0.0/16', '.1.0/24'),
    tags,
  });
  undo?.(() => driver.deleteSubnet(subnet.id));
  const group = await driver.createSecurityGroup({
    vNetId: vNet.id,
    name: `${name}-sg`,
    rules: request.rules ?? [],
    tags,
  });
  undo?.(() => driver.deleteSecurityGroup(group.id));
  const keyPair = await driver.createKeyPair({ region, name: `${name}-key`, tags });
  undo?.(() => driver.deleteKeyPair(keyPair.id));
  return { vNet, subnet, group, keyPair };
}
