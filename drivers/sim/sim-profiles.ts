import type { DriverCapabilities, ProviderId } from '../spec/index.ts';

/**
 * How each emulated provider behaves: latencies, API rate limits, id shapes and capabilities.
 *
 * Latencies are seconds at time scale 1, chosen from field experience and providers' docs:
 * AWS boots a Linux VM in ~40 s, GCP ~30 s, Azure ~90 s (ARM provisioning plus guest agent);
 * Alibaba and Tencent ~45-50 s; IBM VPC ~75 s; OpenStack ~60 s (depends on the deployment);
 * the Korean clouds (NCP, NHN, KT) are slower, 90-120 s, as measured by Cloud-Barista users.
 * Stop (suspend) is usually faster than boot, start (resume) a little faster than a cold boot.
 *
 * Rate limits are token buckets per provider and region, separate for reads and mutations, in
 * the spirit of EC2's documented request-token buckets (non-mutating 100 burst / 20 per s,
 * mutating 50 burst / 5 per s for RunInstances-like calls). Others are set conservatively.
 */
export interface LatencyProfile {
  bootSeconds: number;
  suspendSeconds: number;
  resumeSeconds: number;
  rebootSeconds: number;
  terminateSeconds: number;
  /** Time an API call takes to answer (network + control plane), milliseconds at scale 1. */
  apiMilliseconds: number;
}

export interface BucketProfile {
  burst: number;
  perSecond: number;
}

export type IdStyle = 'aws' | 'alibaba' | 'tencent' | 'numeric' | 'uuid' | 'ibm';

export interface ProviderProfile {
  provider: ProviderId;
  latency: LatencyProfile;
  rateLimits: { read: BucketProfile; mutate: BucketProfile };
  idStyle: IdStyle;
  /** Names are the identity (GCP, Azure): two live resources of one kind may not share a name. */
  uniqueNames: boolean;
  /** Block storage list price, USD per GiB-month, billed while the disk exists. */
  diskPricePerGiBMonth: number;
  defaultRootDiskGiB: number;
  capabilities: Omit<DriverCapabilities, 'provider' | 'driver'>;
  /** Provider error codes the sim answers with, so messages look like the real cloud's. */
  errorCodes: {
    capacity: string;
    quota: string;
    throttle: string;
    auth: string;
    dependency: string;
    internal: string;
    incorrectState: string;
    duplicate: string;
    notFound: string;
    timeout: string;
  };
}

/** OpenStack and the OpenStack-based clouds (NHN, KT) answer with Nova/Neutron's errors. */
const OPENSTACK_ERROR_CODES: ProviderProfile['errorCodes'] = {
  capacity: 'NoValidHost',
  quota: 'OverQuota',
  throttle: 'RateLimit',
  auth: 'Unauthorized',
  dependency: 'Conflict',
  internal: 'InternalServerError',
  incorrectState: 'InstanceInvalidState',
  duplicate: 'Conflict',
  notFound: 'itemNotFound',
  timeout: 'GatewayTimeout',
};

const commonCapabilities = {
  zones: { supported: true },
  vNetScope: 'region',
  subnetScope: 'region',
  reboot: { supported: true },
  keyPairImport: { supported: true },
  keyPairGenerate: { supported: true },
  securityGroupEgress: { supported: true },
  spot: { supported: true },
  gpu: { supported: true },
  idempotencyKeys: { supported: true },
  tagging: { supported: true, maxTags: 50, maxKeyLength: 128, maxValueLength: 256 },
  rootDisk: { minGiB: 8, maxGiB: 16384 },
  defaultUsername: 'ubuntu',
} as const satisfies Partial<DriverCapabilities>;

function profile(
  provider: ProviderId,
  latency: LatencyProfile,
  rest: Partial<Omit<ProviderProfile, 'provider' | 'latency' | 'capabilities'>> & {
    capabilities?: Partial<ProviderProfile['capabilities']>;
  },
): ProviderProfile {
  return {
    provider,
    latency,
    rateLimits: rest.rateLimits ?? {
      read: { burst: 100, perSecond: 20 },
      mutate: { burst: 50, perSecond: 5 },
    },
    idStyle: rest.idStyle ?? 'uuid',
    uniqueNames: rest.uniqueNames ?? false,
    diskPricePerGiBMonth: rest.diskPricePerGiBMonth ?? 0.08,
    defaultRootDiskGiB: rest.defaultRootDiskGiB ?? 30,
    capabilities: {
      ...commonCapabilities,
      suspend: { supported: true, mode: 'stop', billedWhileSuspended: 'disk' },
      ...rest.capabilities,
    },
    errorCodes: {
      capacity: 'InsufficientCapacity',
      quota: 'QuotaExceeded',
      throttle: 'RequestLimitExceeded',
      auth: 'AuthFailure',
      dependency: 'DependencyViolation',
      internal: 'InternalError',
      incorrectState: 'IncorrectState',
      duplicate: 'Duplicate',
      notFound: 'NotFound',
      timeout: 'RequestTimeout',
      ...rest.errorCodes,
    },
  };
}

export const PROVIDER_PROFILES: Record<ProviderId, ProviderProfile> = {
  aws: profile(
    'aws',
    {
      bootSeconds: 40,
      suspendSeconds: 30,
      resumeSeconds: 30,
      rebootSeconds: 25,
      terminateSeconds: 45,
      apiMilliseconds: 150,
    },
    {
      idStyle: 'aws',
      diskPricePerGiBMonth: 0.08,
      defaultRootDiskGiB: 30,
      capabilities: {
        subnetScope: 'zone',
        suspend: {
          supported: true,
          mode: 'stop',
          billedWhileSuspended: 'disk',
          reason: 'StopInstances; hibernation needs an encrypted root volume and is not configured',
        },
      },
      errorCodes: {
        capacity: 'InsufficientInstanceCapacity',
        quota: 'VcpuLimitExceeded',
        throttle: 'RequestLimitExceeded',
        auth: 'AuthFailure',
        dependency: 'DependencyViolation',
        internal: 'InternalError',
        incorrectState: 'IncorrectInstanceState',
        duplicate: 'InvalidKeyPair.Duplicate',
        notFound: 'InvalidID.NotFound',
        timeout: 'RequestTimeout',
      },
    },
  ),
  azure: profile(
    'azure',
    {
      bootSeconds: 90,
      suspendSeconds: 60,
      resumeSeconds: 70,
      rebootSeconds: 45,
      terminateSeconds: 60,
      apiMilliseconds: 800,
    },
    {
      idStyle: 'uuid',
      uniqueNames: true,
      diskPricePerGiBMonth: 0.075,
      defaultRootDiskGiB: 30,
      rateLimits: { read: { burst: 250, perSecond: 20 }, mutate: { burst: 60, perSecond: 2 } },
      capabilities: {
        zones: { supported: true, reason: 'zones exist in most but not all regions' },
        suspend: {
          supported: true,
          mode: 'deallocate',
          billedWhileSuspended: 'disk',
          reason: 'deallocate releases compute billing; plain power-off keeps billing',
        },
      },
      errorCodes: {
        capacity: 'ZonalAllocationFailed',
        quota: 'OperationNotAllowed',
        throttle: 'TooManyRequests',
        auth: 'AuthorizationFailed',
        dependency: 'InUseSubnetCannotBeDeleted',
        internal: 'InternalServerError',
        incorrectState: 'OperationNotAllowed',
        duplicate: 'Conflict',
        notFound: 'ResourceNotFound',
        timeout: 'GatewayTimeout',
      },
    },
  ),
  gcp: profile(
    'gcp',
    {
      bootSeconds: 30,
      suspendSeconds: 20,
      resumeSeconds: 25,
      rebootSeconds: 20,
      terminateSeconds: 35,
      apiMilliseconds: 250,
    },
    {
      idStyle: 'numeric',
      uniqueNames: true,
      diskPricePerGiBMonth: 0.1,
      defaultRootDiskGiB: 20,
      rateLimits: { read: { burst: 200, perSecond: 20 }, mutate: { burst: 50, perSecond: 5 } },
      capabilities: {
        suspend: {
          supported: true,
          mode: 'suspend',
          billedWhileSuspended: 'disk',
          reason: 'instances.suspend keeps memory on disk; billed for disk and memory storage',
        },
        rootDisk: { minGiB: 10, maxGiB: 65536 },
      },
      errorCodes: {
        capacity: 'ZONE_RESOURCE_POOL_EXHAUSTED',
        quota: 'QUOTA_EXCEEDED',
        throttle: 'rateLimitExceeded',
        auth: 'PERMISSION_DENIED',
        dependency: 'resourceInUseByAnotherResource',
        internal: 'internalError',
        incorrectState: 'resourceNotReady',
        duplicate: 'alreadyExists',
        notFound: 'notFound',
        timeout: 'DEADLINE_EXCEEDED',
      },
    },
  ),
  alibaba: profile(
    'alibaba',
    {
      bootSeconds: 45,
      suspendSeconds: 30,
      resumeSeconds: 35,
      rebootSeconds: 30,
      terminateSeconds: 40,
      apiMilliseconds: 300,
    },
    {
      idStyle: 'alibaba',
      diskPricePerGiBMonth: 0.05,
      defaultRootDiskGiB: 40,
      rateLimits: { read: { burst: 100, perSecond: 10 }, mutate: { burst: 30, perSecond: 3 } },
      capabilities: {
        subnetScope: 'zone',
        suspend: {
          supported: true,
          mode: 'stop',
          billedWhileSuspended: 'disk',
          reason: 'StopInstance with StoppedMode=StopCharging',
        },
        rootDisk: { minGiB: 20, maxGiB: 2048 },
      },
      errorCodes: {
        capacity: 'OperationDenied.NoStock',
        quota: 'QuotaExceed.ElasticQuota',
        throttle: 'Throttling',
        auth: 'InvalidAccessKeyId.NotFound',
        dependency: 'DependencyViolation',
        internal: 'InternalError',
        incorrectState: 'IncorrectInstanceStatus',
        duplicate: 'KeyPair.AlreadyExist',
        notFound: 'InvalidInstanceId.NotFound',
        timeout: 'ServiceUnavailable',
      },
    },
  ),
  tencent: profile(
    'tencent',
    {
      bootSeconds: 50,
      suspendSeconds: 30,
      resumeSeconds: 35,
      rebootSeconds: 30,
      terminateSeconds: 40,
      apiMilliseconds: 300,
    },
    {
      idStyle: 'tencent',
      diskPricePerGiBMonth: 0.05,
      defaultRootDiskGiB: 50,
      rateLimits: { read: { burst: 40, perSecond: 20 }, mutate: { burst: 20, perSecond: 10 } },
      capabilities: {
        subnetScope: 'zone',
        suspend: {
          supported: true,
          mode: 'stop',
          billedWhileSuspended: 'disk',
          reason: 'StopInstances with StopCharging for pay-as-you-go instances',
        },
        rootDisk: { minGiB: 20, maxGiB: 1024 },
      },
      errorCodes: {
        capacity: 'ResourceInsufficient.SpecifiedInstanceType',
        quota: 'LimitExceeded.InstanceQuota',
        throttle: 'RequestLimitExceeded',
        auth: 'AuthFailure.SignatureFailure',
        dependency: 'ResourceInUse',
        internal: 'InternalError',
        incorrectState: 'OperationDenied.InstanceOperationInProgress',
        duplicate: 'InvalidParameterValue.KeyPairNameAlreadyExists',
        notFound: 'InvalidInstanceId.NotFound',
        timeout: 'RequestTimeout',
      },
    },
  ),
  ibm: profile(
    'ibm',
    {
      bootSeconds: 75,
      suspendSeconds: 45,
      resumeSeconds: 60,
      rebootSeconds: 40,
      terminateSeconds: 60,
      apiMilliseconds: 400,
    },
    {
      idStyle: 'ibm',
      uniqueNames: true,
      diskPricePerGiBMonth: 0.1,
      defaultRootDiskGiB: 100,
      rateLimits: { read: { burst: 100, perSecond: 10 }, mutate: { burst: 30, perSecond: 3 } },
      capabilities: { rootDisk: { minGiB: 10, maxGiB: 250 } },
      errorCodes: {
        capacity: 'instance_capacity_exceeded',
        quota: 'over_quota',
        throttle: 'rate_limit_exceeded',
        auth: 'not_authorized',
        dependency: 'subnet_in_use',
        internal: 'internal_error',
        incorrectState: 'instance_status_invalid',
        duplicate: 'validation_unique_failed',
        notFound: 'not_found',
        timeout: 'timeout',
      },
    },
  ),
  openstack: profile(
    'openstack',
    {
      bootSeconds: 60,
      suspendSeconds: 30,
      resumeSeconds: 40,
      rebootSeconds: 35,
      terminateSeconds: 30,
      apiMilliseconds: 200,
    },
    {
      idStyle: 'uuid',
      diskPricePerGiBMonth: 0,
      defaultRootDiskGiB: 20,
      rateLimits: { read: { burst: 100, perSecond: 20 }, mutate: { burst: 30, perSecond: 5 } },
      capabilities: {
        spot: { supported: false, reason: 'private clouds have no spot market' },
        suspend: {
          supported: true,
          mode: 'stop',
          billedWhileSuspended: 'nothing',
          reason: 'os-stop (shelve is not used)',
        },
        idempotencyKeys: {
          supported: true,
          reason: 'Nova has no client token; the driver matches on name and tags',
        },
      },
      errorCodes: OPENSTACK_ERROR_CODES,
    },
  ),
  ncp: profile(
    'ncp',
    {
      bootSeconds: 120,
      suspendSeconds: 60,
      resumeSeconds: 90,
      rebootSeconds: 60,
      terminateSeconds: 60,
      apiMilliseconds: 500,
    },
    {
      idStyle: 'numeric',
      diskPricePerGiBMonth: 0.06,
      defaultRootDiskGiB: 50,
      rateLimits: { read: { burst: 30, perSecond: 5 }, mutate: { burst: 10, perSecond: 1 } },
      capabilities: {
        spot: { supported: false, reason: 'NCP sells no spot instances' },
        tagging: { supported: true, maxTags: 10, maxKeyLength: 100, maxValueLength: 100 },
      },
      errorCodes: {
        capacity: '1300',
        quota: '1200',
        throttle: '429',
        auth: '200',
        dependency: '25003',
        internal: '900',
        incorrectState: '25001',
        duplicate: '1001',
        notFound: '1100',
        timeout: '504',
      },
    },
  ),
  nhn: profile(
    'nhn',
    {
      bootSeconds: 90,
      suspendSeconds: 45,
      resumeSeconds: 60,
      rebootSeconds: 45,
      terminateSeconds: 45,
      apiMilliseconds: 400,
    },
    {
      idStyle: 'uuid',
      diskPricePerGiBMonth: 0.06,
      defaultRootDiskGiB: 50,
      rateLimits: { read: { burst: 30, perSecond: 5 }, mutate: { burst: 10, perSecond: 1 } },
      capabilities: { spot: { supported: false, reason: 'NHN Cloud sells no spot instances' } },
      errorCodes: OPENSTACK_ERROR_CODES,
    },
  ),
  kt: profile(
    'kt',
    {
      bootSeconds: 120,
      suspendSeconds: 60,
      resumeSeconds: 90,
      rebootSeconds: 60,
      terminateSeconds: 60,
      apiMilliseconds: 500,
    },
    {
      idStyle: 'uuid',
      diskPricePerGiBMonth: 0.06,
      defaultRootDiskGiB: 50,
      rateLimits: { read: { burst: 30, perSecond: 5 }, mutate: { burst: 10, perSecond: 1 } },
      capabilities: { spot: { supported: false, reason: 'KT Cloud sells no spot instances' } },
      errorCodes: OPENSTACK_ERROR_CODES,
    },
  ),
};
