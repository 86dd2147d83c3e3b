// EC2 instances → spec VMs.
import type { Instance } from '@aws-sdk/client-ec2';
import { resourceId, type Vm, type VmStatus } from '../spec/index.ts';
import { NAME_TAG, parseVmFacts, tagsToRecord, VM_FACTS_TAG, visibleTags } from './convert-resources.ts';

/** EC2 instance states → spec statuses. Stop/start is how this driver suspends and resumes. */
const STATUS_BY_STATE: Record<string, VmStatus> = {
  pending: 'Creating',
  running: 'Running',
  stopping: 'Suspending',
  stopped: 'Suspended',
  'shutting-down': 'Terminating',
  terminated: 'Terminated',
};

export function toVmStatus(state: string | undefined): VmStatus {
  return (state && STATUS_BY_STATE[state]) || 'Failed';
}

/** Defaults when an instance was not created by s2a (no bookkeeping tags). */
export interface VmDefaults {
  username: string;
  rootDiskGiB: number;
}

/**
 * EC2 writes "User initiated (2026-11-28 22:00:00 GMT)" in StateTransitionReason on stop and
 * terminate; that is when the current status began. Otherwise the launch time is.
 */
function statusSince(instance: Instance): string {
  const match = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\)/.exec(instance.StateTransitionReason ?? '');
  if (match) return new Date(`${match[1]}T${match[2]}Z`).toISOString();
  return instance.LaunchTime ? new Date(instance.LaunchTime).toISOString() : new Date(0).toISOString();
}

/** `keyPairIds` maps key names (what instances carry) to key pair ids (what s2a ids use). */
export function toVm(
  region: string,
  instance: Instance,
  keyPairIds: ReadonlyMap<string, string>,
  defaults: VmDefaults,
): Vm {
  const tags = tagsToRecord(instance.Tags);
  const cspId = instance.InstanceId ?? '';
  const status = toVmStatus(instance.State?.Name);
  const facts = parseVmFacts(tags[VM_FACTS_TAG]);
  const rootDisk = Number(facts.disk);
  const keyName = instance.KeyName ?? '';
  const launched = instance.LaunchTime
    ? new Date(instance.LaunchTime).toISOString()
    : new Date(0).toISOString();
  return {
    id: resourceId('aws', region, cspId),
    cspId,
    provider: 'aws',
    region,
    name: tags[NAME_TAG] ?? cspId,
    tags: visibleTags(tags),
    createdAt: launched,
    zone: instance.Placement?.AvailabilityZone ?? region,
    specId: resourceId('aws', region, instance.InstanceType ?? '?'),
    imageId: resourceId('aws', region, instance.ImageId ?? '?'),
    vNetId: resourceId('aws', region, instance.VpcId ?? facts.vpc ?? '?'),
    subnetId: resourceId('aws', region, instance.SubnetId ?? facts.subnet ?? '?'),
    securityGroupIds: (instance.SecurityGroups ?? [])
      .map((group) => group.GroupId)
      .filter((id): id is string => Boolean(id))
      .map((id) => resourceId('aws', region, id)),
    keyPairId: resourceId('aws', region, facts.key ?? keyPairIds.get(keyName) ?? (keyName || '?')),
    status,
    statusSince: statusSince(instance),
    statusReason: status === 'Failed' ? (instance.StateReason?.Message ?? 'unknown EC2 state') : null,
    publicIp: instance.PublicIpAddress ?? null,
    privateIp: instance.PrivateIpAddress ?? null,
    sshPort: 22,
    username: facts.user ?? defaults.username,
    rootDiskGiB: Number.isInteger(rootDisk) && rootDisk > 0 ? rootDisk : defaults.rootDiskGiB,
    spot: instance.InstanceLifecycle === 'spot',
  };
}
