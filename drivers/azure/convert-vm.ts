// Virtual machines (with their NIC and public IP) ↔ s2a VMs.
import type { VirtualMachine } from '@azure/arm-compute';
import type { NetworkInterface, PublicIPAddress } from '@azure/arm-network';
import { resourceId, type Vm, type VmStatus } from '../spec/index.ts';
import { urnOf } from './convert-images.ts';
import { BOOKKEEPING, groupedCspId, parseArmId, parseSubnetCspId, userTags } from './convert-tags.ts';

/** Login user s2a puts on every VM: Azure's documented default admin name. */
export const AZURE_USERNAME = 'azureuser';
/** Ubuntu and Debian marketplace images have 30 GiB OS disks; a smaller disk is refused. */
export const AZURE_MIN_ROOT_DISK_GIB = 30;

/** Code of the `PowerState/…` entry of an instance view, e.g. "running", "deallocated". */
export function powerStateOf(vm: VirtualMachine): string | undefined {
  const code = vm.instanceView?.statuses?.find((status) => status.code?.startsWith('PowerState/'))?.code;
  return code?.slice('PowerState/'.length).toLowerCase();
}

function provisioningStatusOf(vm: VirtualMachine) {
  return vm.instanceView?.statuses?.find((status) => status.code?.startsWith('ProvisioningState/'));
}

/**
 * Provisioning state and power state → s2a status. Suspend is a deallocation, so "deallocated"
 * (and a guest-stopped "stopped") reads Suspended; "starting" is a boot after creation or a resume.
 */
export function statusOf(provisioningState: string | undefined, powerState: string | undefined): VmStatus {
  const provisioning = (provisioningState ?? '').toLowerCase();
  if (provisioning === 'deleting') return 'Terminating';
  if (provisioning === 'failed') return 'Failed';
  switch (powerState) {
    case 'running':
      return 'Running';
    case 'starting':
      return provisioning === 'creating' ? 'Creating' : 'Resuming';
    case 'deallocating':
    case 'stopping':
      return 'Suspending';
    case 'deallocated':
    case 'stopped':
      return 'Suspended';
    default:
      return provisioning === 'succeeded' ? 'Running' : 'Creating';
  }
}

export interface VmNetwork {
  nic?: NetworkInterface;
  publicIp?: PublicIPAddress;
}

/** The VM as s2a sees it; undefined when it lacks an id or location (not a VM ARM would return). */
export function toVm(
  vm: VirtualMachine,
  network: VmNetwork,
  options: { deleting?: boolean } = {},
): Vm | undefined {
  const parsed = parseArmId(vm.id);
  const region = vm.location;
  if (!parsed || !region) return undefined;
  const tags = vm.tags ?? {};
  const subnetCspId = tags[BOOKKEEPING.subnet] ?? '';
  const subnet = parseSubnetCspId(subnetCspId);
  const reference = vm.storageProfile?.imageReference;
  const imageCspId =
    tags[BOOKKEEPING.image] ??
    (reference?.publisher && reference.offer && reference.sku
      ? urnOf(
          { publisher: reference.publisher, offer: reference.offer, sku: reference.sku },
          reference.exactVersion ?? reference.version ?? 'latest',
        )
      : 'unknown');
  const provisioning = provisioningStatusOf(vm);
  const status = options.deleting ? 'Terminating' : statusOf(vm.provisioningState, powerStateOf(vm));
  const since = provisioning?.time ?? vm.timeCreated;
  const failure = vm.instanceView?.statuses?.find((entry) => entry.level === 'Error');
  const ipConfiguration =
    network.nic?.ipConfigurations?.find((entry) => entry.primary) ?? network.nic?.ipConfigurations?.[0];
  const securityGroups = tags[BOOKKEEPING.securityGroups];
  const keyPair = tags[BOOKKEEPING.keyPair];
  return {
    id: resourceId('azure', region, groupedCspId(parsed.resourceGroup, parsed.name)),
    cspId: groupedCspId(parsed.resourceGroup, parsed.name),
    provider: 'azure',
    region,
    name: parsed.name,
    tags: userTags(tags),
    createdAt: new Date(vm.timeCreated ?? tags[BOOKKEEPING.createdAt] ?? 0).toISOString(),
    zone: vm.zones?.[0] ?? region,
    specId: resourceId('azure', region, vm.hardwareProfile?.vmSize ?? 'unknown'),
    imageId: resourceId('azure', region, imageCspId),
    vNetId: subnet ? resourceId('azure', region, groupedCspId(subnet.resourceGroup, subnet.vNet)) : '',
    subnetId: subnetCspId ? resourceId('azure', region, subnetCspId) : '',
    securityGroupIds: securityGroups
      ? securityGroups.split(',').map((cspId) => resourceId('azure', region, cspId))
      : [],
    keyPairId: keyPair ? resourceId('azure', region, keyPair) : '',
    status,
    statusSince: new Date(since ?? 0).toISOString(),
    statusReason:
      status === 'Failed' ? (failure?.message ?? failure?.displayStatus ?? 'provisioning failed') : null,
    publicIp: network.publicIp?.ipAddress ?? null,
    privateIp: ipConfiguration?.privateIPAddress ?? null,
    sshPort: 22,
    username: vm.osProfile?.adminUsername ?? AZURE_USERNAME,
    rootDiskGiB: vm.storageProfile?.osDisk?.diskSizeGB ?? AZURE_MIN_ROOT_DISK_GIB,
    spot: vm.priority === 'Spot',
  };
}

/** The id of the VM's primary NIC, as ARM wrote it. */
export function nicIdOf(vm: VirtualMachine): string | undefined {
  const interfaces = vm.networkProfile?.networkInterfaces ?? [];
  return (interfaces.find((entry) => entry.primary) ?? interfaces[0])?.id;
}

/** The id of the public IP on the NIC's primary IP configuration. */
export function publicIpIdOf(nic: NetworkInterface | undefined): string | undefined {
  const configuration = nic?.ipConfigurations?.find((entry) => entry.primary) ?? nic?.ipConfigurations?.[0];
  return configuration?.publicIPAddress?.id;
}
