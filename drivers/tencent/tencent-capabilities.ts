import type { DriverCapabilities } from '../spec/index.ts';

/** What the Tencent Cloud driver supports, as data (checked by the conformance suite). */
export const TENCENT_CAPABILITIES: DriverCapabilities = {
  provider: 'tencent',
  driver: 'tencent',
  zones: { supported: true },
  vNetScope: 'region',
  subnetScope: 'zone',
  suspend: {
    supported: true,
    mode: 'stop',
    billedWhileSuspended: 'disk',
    reason:
      'StopInstances with StoppedMode STOP_CHARGING for pay-as-you-go instances on cloud disks (CPU, memory and the public IP are released; StartInstances may then meet a sold-out zone); other instances, and those Tencent refuses it for, stop with KEEP_CHARGING',
  },
  reboot: { supported: true },
  keyPairImport: {
    supported: true,
    reason:
      'ImportKeyPair; Tencent documents OpenSSH RSA public keys, so a region may refuse other key types',
  },
  // The engine generates RSA keys for Tencent because of this.
  sshKeyTypes: ['rsa'],
  keyPairGenerate: {
    supported: true,
    reason:
      'an RSA 2048 pair (the documented import format) is generated locally and imported, so Tencent never holds the private key',
  },
  securityGroupEgress: {
    supported: true,
    reason:
      'a new group gets an allow-all egress rule unless outbound rules are given (an empty group denies all)',
  },
  spot: { supported: true, reason: 'InstanceChargeType SPOTPAID, one-time, bid at the on-demand price' },
  gpu: { supported: true },
  idempotencyKeys: {
    supported: true,
    reason:
      'RunInstances uses ClientToken; other creates look up the s2a:idempotency-key tag first (not atomic across processes)',
  },
  tagging: {
    supported: true,
    reason:
      'Tencent allows 50 tags per resource; the driver keeps up to 3 for itself (s2a:name, s2a:idempotency-key, s2a:vnet)',
    maxTags: 47,
    maxKeyLength: 127,
    maxValueLength: 255,
  },
  rootDisk: { minGiB: 20, maxGiB: 1024 },
  defaultUsername: 'ubuntu',
};

/** System disk size when the request does not give one (Tencent's own default is 50). */
export const DEFAULT_ROOT_DISK_GIB = 50;
/** Public bandwidth cap for VMs (Mbps, billed by traffic): enough for package installs and apps. */
export const DEFAULT_BANDWIDTH_MBPS = 10;
