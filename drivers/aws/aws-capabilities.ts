import type { DriverCapabilities } from '../spec/index.ts';

/** What the AWS driver supports, as data (checked by the conformance suite). */
export const AWS_CAPABILITIES: DriverCapabilities = {
  provider: 'aws',
  driver: 'aws',
  zones: { supported: true },
  vNetScope: 'region',
  subnetScope: 'zone',
  suspend: {
    supported: true,
    mode: 'stop',
    billedWhileSuspended: 'disk',
    reason:
      'StopInstances/StartInstances: hibernation needs an encrypted root volume and HibernationOptions at launch, which s2a does not configure, so memory is not kept',
  },
  reboot: { supported: true },
  keyPairImport: { supported: true, reason: 'ImportKeyPair' },
  keyPairGenerate: {
    supported: true,
    reason: 'an ed25519 pair is generated locally and imported, so AWS never holds the private key',
  },
  securityGroupEgress: {
    supported: true,
    reason: 'EC2 adds an allow-all egress rule to new groups; it stays unless outbound rules are given',
  },
  spot: { supported: true, reason: 'one-time spot requests through InstanceMarketOptions' },
  gpu: { supported: true },
  idempotencyKeys: {
    supported: true,
    reason:
      'RunInstances uses ClientToken; other creates look up the s2a:idempotency-key tag first (not atomic across processes)',
  },
  tagging: {
    supported: true,
    reason:
      'EC2 allows 50 tags; the driver keeps up to 4 for itself (Name, s2a:created-at, s2a:idempotency-key, s2a:vm)',
    maxTags: 46,
    maxKeyLength: 128,
    maxValueLength: 256,
  },
  rootDisk: { minGiB: 8, maxGiB: 16384 },
  defaultUsername: 'ubuntu',
};

/** Root volume size when the request does not give one: room for an app beside the 8 GiB Ubuntu image. */
export const DEFAULT_ROOT_DISK_GIB = 30;
