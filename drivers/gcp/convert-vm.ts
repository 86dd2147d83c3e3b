import type { protos } from '@google-cloud/compute';
import { resourceId, type Vm, type VmStatus } from '../spec/index.ts';
import { regionOfZone } from './convert-catalog.ts';
import { labelsToTags } from './convert-labels.ts';
import { lastSegment, readDescription } from './convert-metadata.ts';
import { N1_GPUS, type N1Gpu, n1GpuSpecName, parseN1GpuSpecName } from './convert-n1-gpu.ts';
import { isoDate } from './convert-network.ts';

type Instance = protos.google.cloud.compute.v1.IInstance;

/** Login user s2a puts into the ssh-keys metadata (GCP creates the account on first boot). */
export const GCP_USERNAME = 'ubuntu';

/** VM cspId: zone and name, as instances are addressed by both ("asia-northeast3-a/web-1"). */
export function vmCspId(zone: string, name: string): string {
  return `${zone}/${name}`;
}

export function parseVmCspId(cspId: string): { zone: string; name: string } | undefined {
  const [zone, name, ...rest] = cspId.split('/');
  if (!zone || !name || rest.length > 0) return undefined;
  return { zone, name };
}

/** The `ssh-keys` metadata value: one "user:key" line per key. */
export function sshKeysMetadata(username: string, publicKeys: string[]): string {
  return publicKeys.map((key) => `${username}:${key.trim()}`).join('\n');
}

/**
 * GCP status → s2a status. A stopped instance is TERMINATED in GCP; s2a calls that Suspended
 * (disk kept, resumable with instances.start) and reports Terminated only for deleted VMs, which
 * the driver remembers (`deleting`). Starting after a suspend or stop passes PROVISIONING and
 * STAGING again: that is Resuming, told apart from a first boot by lastSuspendedTimestamp/lastStopTimestamp.
 */
export function toVmStatus(instance: Instance, deleting: boolean): VmStatus {
  const status = instance.status ?? 'PROVISIONING';
  if (deleting) return 'Terminating';
  const wasStopped = Boolean(instance.lastSuspendedTimestamp || instance.lastStopTimestamp);
  switch (status) {
    case 'PROVISIONING':
    case 'STAGING':
    case 'PENDING':
      return wasStopped ? 'Resuming' : 'Creating';
    case 'RUNNING':
      return 'Running';
    case 'SUSPENDING':
    case 'STOPPING':
    case 'PENDING_STOP':
      return 'Suspending';
    case 'SUSPENDED':
    case 'TERMINATED':
      return 'Suspended';
    case 'REPAIRING':
      return 'Rebooting';
    default:
      return 'Failed';
  }
}

function statusSince(instance: Instance, status: VmStatus): string {
  switch (status) {
    case 'Running':
      return isoDate(instance.lastStartTimestamp ?? instance.creationTimestamp);
    case 'Suspended':
      return isoDate(
        instance.lastSuspendedTimestamp ?? instance.lastStopTimestamp ?? instance.creationTimestamp,
      );
    default:
      return new Date().toISOString();
  }
}

export function toVm(
  instance: Instance,
  options: { deleting?: boolean; rootDiskGiB?: number } = {},
): Vm | undefined {
  const zone = lastSegment(instance.zone);
  const name = instance.name ?? '';
  if (!zone || !name) return undefined;
  const region = regionOfZone(zone);
  const data = readDescription(instance.description) ?? {};
  const network = instance.networkInterfaces?.[0];
  const status = toVmStatus(instance, options.deleting ?? false);
  const bootDisk = instance.disks?.find((disk) => disk.boot) ?? instance.disks?.[0];
  return {
    id: resourceId('gcp', region, vmCspId(zone, name)),
    cspId: vmCspId(zone, name),
    provider: 'gcp',
    region,
    name,
    tags: labelsToTags(instance.labels as Record<string, string> | null | undefined),
    createdAt: isoDate(instance.creationTimestamp),
    zone,
    specId: resourceId('gcp', region, specNameOf(instance)),
    imageId: data.imageId ?? '',
    vNetId: data.vNetId ?? resourceId('gcp', region, lastSegment(network?.network)),
    subnetId: data.subnetId ?? resourceId('gcp', region, lastSegment(network?.subnetwork)),
    securityGroupIds: data.securityGroupIds ?? [],
    keyPairId: data.keyPairId ?? '',
    status,
    statusSince: statusSince(instance, status),
    statusReason: instance.statusMessage ?? null,
    publicIp: network?.accessConfigs?.[0]?.natIP ?? null,
    privateIp: network?.networkIP ?? null,
    sshPort: 22,
    username: GCP_USERNAME,
    rootDiskGiB: Number(bootDisk?.diskSizeGb ?? options.rootDiskGiB ?? 10),
    spot: instance.scheduling?.provisioningModel === 'SPOT',
  };
}

/** The spec name of an instance: its machine type, or the N1 + GPU name when GPUs are attached. */
function specNameOf(instance: Instance): string {
  const machineType = lastSegment(instance.machineType);
  const attached = instance.guestAccelerators?.[0];
  const gpu = (Object.keys(N1_GPUS) as N1Gpu[]).find(
    (key) => N1_GPUS[key].acceleratorType === lastSegment(attached?.acceleratorType),
  );
  const count = attached?.acceleratorCount ?? 0;
  return gpu && count > 0 && parseN1GpuSpecName(n1GpuSpecName(machineType, gpu, count))
    ? n1GpuSpecName(machineType, gpu, count)
    : machineType;
}
