// CVM instances → spec VMs.
import type { Instance } from 'tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js';
import { resourceId, type Vm, type VmStatus } from '../spec/index.ts';
import { NAME_TAG, NO_VNET, tagsToRecord, tencentTime, visibleTags } from './convert-network.ts';
import { DEFAULT_ROOT_DISK_GIB } from './tencent-capabilities.ts';

/**
 * CVM instance states → spec statuses. Stop/start is how this driver suspends and resumes.
 * SHUTDOWN is "isolated, waiting to be destroyed": gone for every purpose of s2a.
 */
const STATUS_BY_STATE: Record<string, VmStatus> = {
  PENDING: 'Creating',
  LAUNCH_FAILED: 'Failed',
  RUNNING: 'Running',
  STOPPING: 'Suspending',
  STOPPED: 'Suspended',
  STARTING: 'Resuming',
  REBOOTING: 'Rebooting',
  TERMINATING: 'Terminating',
  SHUTDOWN: 'Terminated',
};

export function toVmStatus(state: string | undefined): VmStatus {
  return (state && STATUS_BY_STATE[state]) || 'Failed';
}

export interface VmDefaults {
  /** Login user when the instance does not say (DefaultLoginUser is newer than most SDKs). */
  username: string;
  /** When the current status began, known only to the driver (CVM keeps no such time). */
  statusSince: string;
}

export function toVm(region: string, instance: Instance, defaults: VmDefaults): Vm {
  const tags = tagsToRecord(instance.Tags);
  const cspId = instance.InstanceId ?? '';
  const status = toVmStatus(instance.InstanceState);
  const network = instance.VirtualPrivateCloud;
  return {
    id: resourceId('tencent', region, cspId),
    cspId,
    provider: 'tencent',
    region,
    name: tags[NAME_TAG] ?? instance.InstanceName ?? cspId,
    tags: visibleTags(tags),
    createdAt: tencentTime(instance.CreatedTime),
    zone: instance.Placement?.Zone ?? region,
    specId: resourceId('tencent', region, instance.InstanceType || '?'),
    imageId: resourceId('tencent', region, instance.ImageId || '?'),
    vNetId: resourceId('tencent', region, network?.VpcId || NO_VNET),
    subnetId: resourceId('tencent', region, network?.SubnetId || NO_VNET),
    securityGroupIds: (instance.SecurityGroupIds ?? []).map((id) => resourceId('tencent', region, id)),
    keyPairId: resourceId('tencent', region, instance.LoginSettings?.KeyIds?.[0] || '?'),
    status,
    statusSince: defaults.statusSince,
    statusReason:
      status === 'Failed'
        ? (instance.LatestOperationErrorMsg ?? `CVM state ${instance.InstanceState ?? 'unknown'}`)
        : null,
    publicIp: instance.PublicIpAddresses?.[0] ?? null,
    privateIp: instance.PrivateIpAddresses?.[0] ?? null,
    sshPort: instance.DefaultLoginPort || 22,
    username: instance.DefaultLoginUser || defaults.username,
    rootDiskGiB: instance.SystemDisk?.DiskSize || DEFAULT_ROOT_DISK_GIB,
    spot: instance.InstanceChargeType === 'SPOTPAID',
  };
}
