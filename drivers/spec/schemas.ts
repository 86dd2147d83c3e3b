import { z } from 'zod';
import { ProviderIdSchema } from './ids.ts';

// ---------------------------------------------------------------------------------------------
// World facts: regions, zones, specs (with prices), images.
// ---------------------------------------------------------------------------------------------

export const ZoneSchema = z.object({
  id: z.string().describe('Zone id, "provider+region+zone"'),
  code: z.string().describe('The provider\'s zone code, e.g. "ap-northeast-2a"'),
  displayName: z.string().optional().describe('Human display name where the provider has one'),
});
export type Zone = z.infer<typeof ZoneSchema>;

export const RegionSchema = z.object({
  id: z.string().describe('Region id, "provider+region"'),
  provider: ProviderIdSchema,
  code: z.string().describe('The provider\'s region code, e.g. "ap-northeast-2"'),
  displayName: z.string().describe('Human display name, e.g. "Korea (Seoul)"'),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  city: z.string().optional(),
  countryCode: z.string().length(2).optional().describe('ISO 3166-1 alpha-2'),
  continent: z.string().optional(),
  zones: z.array(ZoneSchema).describe('Availability zones; empty when the provider has none in this region'),
});
export type Region = z.infer<typeof RegionSchema>;

export const ArchSchema = z.enum(['x86_64', 'arm64']).describe('CPU architecture');
export type Arch = z.infer<typeof ArchSchema>;

export const GpuSchema = z.object({
  model: z.string().describe('Accelerator model, e.g. "A100", "T4", "Inferentia2"'),
  count: z.number().positive().describe('Accelerators per VM; fractions are GPU partitions'),
  memoryGiB: z.number().nonnegative().nullable().describe('Accelerator memory per VM in GiB, if known'),
  manufacturer: z.string().nullable().describe('e.g. "NVIDIA", "AMD", "AWS"'),
});
export type Gpu = z.infer<typeof GpuSchema>;

export const SpecSchema = z.object({
  id: z.string().describe('Spec id, "provider+region+name"'),
  provider: ProviderIdSchema,
  region: z.string().describe('Region code'),
  name: z.string().describe('The provider\'s size/instance type name, e.g. "g5.xlarge"'),
  vcpu: z.number().positive(),
  memoryGiB: z.number().positive(),
  arch: ArchSchema,
  gpu: GpuSchema.nullable(),
  pricePerHour: z.number().nonnegative().nullable().describe('On-demand price per hour; null when unknown'),
  spotPricePerHour: z.number().nonnegative().nullable(),
  currency: z.string().length(3).describe('ISO 4217, e.g. "USD"'),
  zones: z
    .array(z.string())
    .optional()
    .describe('Zone codes where offered; absent means every zone of the region'),
  source: z.string().describe('Where this row came from, e.g. "aws-ec2-catalog"'),
  fetchedAt: z.string().describe('Date the source was taken, ISO 8601'),
});
export type Spec = z.infer<typeof SpecSchema>;

export const ImageSchema = z.object({
  id: z.string().describe('Image id, "provider+region+cspImageId"'),
  provider: ProviderIdSchema,
  region: z.string(),
  cspImageId: z.string().describe("The provider's own image id, AMI id, URN or image family URL"),
  name: z.string(),
  os: z.string().describe('Distribution, lower case: "ubuntu", "debian", "rocky", "windows"...'),
  osVersion: z.string(),
  arch: ArchSchema,
  gpuReady: z.boolean().describe('Ships GPU drivers (CUDA/ROCm)'),
  source: z.string(),
});
export type Image = z.infer<typeof ImageSchema>;

// ---------------------------------------------------------------------------------------------
// Created resources: vNet, subnet, security group, key pair, VM. All carry s2a tags.
// ---------------------------------------------------------------------------------------------

/** Tag keys every resource s2a creates carries, so orphans can be found and removed. */
export const S2A_TAG_KEYS = ['s2a:mci', 's2a:op', 's2a:owner'] as const;

const TagKeySchema = z.string().min(1).max(128);
const TagValueSchema = z.string().min(1).max(256);

export const TagsSchema = z.record(TagKeySchema, TagValueSchema).describe('Tags (labels) on the resource');
export type Tags = z.infer<typeof TagsSchema>;

/** Tags a create request must carry: the three s2a keys plus anything else. */
export const ResourceTagsSchema = TagsSchema.superRefine((tags, context) => {
  for (const key of S2A_TAG_KEYS) {
    if (!tags[key]) {
      context.addIssue({
        code: 'custom',
        message: `tag "${key}" is required on every resource s2a creates`,
        path: [key],
      });
    }
  }
});

const CidrSchema = z
  .string()
  .regex(
    /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/,
    'expected an IPv4 CIDR such as 10.0.0.0/16',
  )
  .refine((text) => {
    const [address = '', prefix = ''] = text.split('/');
    return address.split('.').every((octet) => Number(octet) <= 255) && Number(prefix) <= 32;
  }, 'octets must be 0-255 and the prefix 0-32');

const ResourceBase = {
  id: z.string().describe('Resource id, "provider+region+cspId"'),
  cspId: z.string().describe("The provider's own id"),
  provider: ProviderIdSchema,
  region: z.string(),
  name: z.string(),
  tags: TagsSchema,
  createdAt: z.string().describe('ISO 8601'),
};

export const VNetSchema = z.object({
  ...ResourceBase,
  cidrBlock: CidrSchema,
});
export type VNet = z.infer<typeof VNetSchema>;

export const SubnetSchema = z.object({
  ...ResourceBase,
  vNetId: z.string(),
  cidrBlock: CidrSchema,
  zone: z.string().nullable().describe('Zone code for zonal subnets; null for regional subnets'),
});
export type Subnet = z.infer<typeof SubnetSchema>;

export const SecurityRuleSchema = z
  .object({
    direction: z.enum(['inbound', 'outbound']),
    protocol: z.enum(['tcp', 'udp', 'icmp', 'all']),
    fromPort: z.number().int().min(0).max(65535).nullable().describe('null for icmp/all'),
    toPort: z.number().int().min(0).max(65535).nullable(),
    cidr: CidrSchema,
    description: z.string().max(255).optional(),
  })
  .refine((rule) => rule.fromPort === null || rule.toPort === null || rule.fromPort <= rule.toPort, {
    message: 'fromPort must be <= toPort',
  });
export type SecurityRule = z.infer<typeof SecurityRuleSchema>;

export const SecurityGroupSchema = z.object({
  ...ResourceBase,
  vNetId: z.string(),
  description: z.string(),
  rules: z.array(SecurityRuleSchema),
});
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;

export const KeyPairSchema = z.object({
  ...ResourceBase,
  publicKey: z.string().describe('OpenSSH public key'),
  fingerprint: z.string().describe('SHA256 fingerprint of the public key'),
});
export type KeyPair = z.infer<typeof KeyPairSchema>;

export const KeyPairCreatedSchema = KeyPairSchema.extend({
  privateKey: z
    .string()
    .optional()
    .describe(
      'PEM/OpenSSH private key, returned once when the driver generated the pair; never stored by drivers',
    ),
});
export type KeyPairCreated = z.infer<typeof KeyPairCreatedSchema>;

export const VM_STATUSES = [
  'Creating',
  'Running',
  'Suspending',
  'Suspended',
  'Resuming',
  'Rebooting',
  'Terminating',
  'Terminated',
  'Failed',
] as const;
export const VmStatusSchema = z.enum(VM_STATUSES);
export type VmStatus = z.infer<typeof VmStatusSchema>;

export const VmSchema = z.object({
  ...ResourceBase,
  zone: z
    .string()
    .describe('Zone code the VM was placed in; the region code where the provider has no zones'),
  specId: z.string(),
  imageId: z.string(),
  vNetId: z.string(),
  subnetId: z.string(),
  securityGroupIds: z.array(z.string()),
  keyPairId: z.string(),
  status: VmStatusSchema,
  statusSince: z.string().describe('When the VM entered its current status, ISO 8601'),
  statusReason: z.string().nullable().describe('Why the VM is Failed, or other provider notes'),
  publicIp: z.string().nullable(),
  privateIp: z.string().nullable(),
  sshPort: z.number().int(),
  username: z.string().describe('Login user of the image, e.g. "ubuntu"'),
  rootDiskGiB: z.number().int().positive(),
  spot: z.boolean(),
});
export type Vm = z.infer<typeof VmSchema>;

// ---------------------------------------------------------------------------------------------
// Requests (validated by drivers at their edge).
// ---------------------------------------------------------------------------------------------

const NameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, 'use lower-case letters, digits and "-", starting with a letter')
  .describe('Resource name: lower-case letters, digits and "-", at most 63 characters');

const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(64)
  .optional()
  .describe('Same key, same result: a retried create returns the resource the first call made');

export const CreateVNetRequestSchema = z.object({
  region: z.string().min(1),
  name: NameSchema,
  cidrBlock: CidrSchema,
  tags: ResourceTagsSchema,
  idempotencyKey: IdempotencyKeySchema,
});
export type CreateVNetRequest = z.input<typeof CreateVNetRequestSchema>;

export const CreateSubnetRequestSchema = z.object({
  vNetId: z.string().min(1),
  name: NameSchema,
  cidrBlock: CidrSchema,
  zone: z.string().min(1).optional().describe('Zone code for providers with zonal subnets'),
  tags: ResourceTagsSchema,
  idempotencyKey: IdempotencyKeySchema,
});
export type CreateSubnetRequest = z.input<typeof CreateSubnetRequestSchema>;

export const CreateSecurityGroupRequestSchema = z.object({
  vNetId: z.string().min(1),
  name: NameSchema,
  description: z.string().max(255).default(''),
  rules: z.array(SecurityRuleSchema).max(200),
  tags: ResourceTagsSchema,
  idempotencyKey: IdempotencyKeySchema,
});
export type CreateSecurityGroupRequest = z.input<typeof CreateSecurityGroupRequestSchema>;

export const CreateKeyPairRequestSchema = z.object({
  region: z.string().min(1),
  name: NameSchema,
  publicKey: z
    .string()
    .regex(
      /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) [A-Za-z0-9+/=]+( .*)?$/,
      'expected an OpenSSH public key',
    )
    .optional()
    .describe('Import this public key; omit to let the driver generate a pair'),
  tags: ResourceTagsSchema,
  idempotencyKey: IdempotencyKeySchema,
});
export type CreateKeyPairRequest = z.input<typeof CreateKeyPairRequestSchema>;

export const CreateVmRequestSchema = z.object({
  region: z.string().min(1),
  zone: z.string().min(1).optional().describe('Zone code; the driver picks one when omitted'),
  name: NameSchema,
  specId: z.string().min(1),
  imageId: z.string().min(1),
  subnetId: z.string().min(1),
  securityGroupIds: z.array(z.string().min(1)).min(1),
  keyPairId: z.string().min(1),
  rootDiskGiB: z.number().int().min(8).max(16384).optional(),
  userData: z.string().max(65536).optional().describe('cloud-init user data'),
  spot: z.boolean().default(false),
  tags: ResourceTagsSchema,
  idempotencyKey: IdempotencyKeySchema,
});
export type CreateVmRequest = z.input<typeof CreateVmRequestSchema>;

export const ResourceFilterSchema = z.object({
  region: z.string().min(1).optional(),
  tags: TagsSchema.optional().describe('Every given tag must match exactly'),
});
export type ResourceFilter = z.input<typeof ResourceFilterSchema>;

export const VmFilterSchema = ResourceFilterSchema.extend({
  statuses: z.array(VmStatusSchema).optional(),
  includeTerminated: z
    .boolean()
    .default(false)
    .describe('Terminated VMs are hidden unless asked for, here or by naming "Terminated" in statuses'),
});
export type VmFilter = z.input<typeof VmFilterSchema>;

export const SpecQuerySchema = z.object({
  region: z.string().min(1).optional().describe('Region code; all regions when omitted'),
  names: z.array(z.string()).optional(),
});
export type SpecQuery = z.input<typeof SpecQuerySchema>;

export const ImageQuerySchema = z.object({
  region: z.string().min(1).optional(),
  os: z.string().optional(),
  arch: ArchSchema.optional(),
});
export type ImageQuery = z.input<typeof ImageQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Capabilities: what a driver supports, as data, with reasons for what it doesn't.
// ---------------------------------------------------------------------------------------------

export const CapabilitySchema = z.object({
  supported: z.boolean(),
  reason: z.string().optional().describe('Why not, or how the provider does it differently'),
});
export type Capability = z.infer<typeof CapabilitySchema>;

export const DriverCapabilitiesSchema = z.object({
  provider: ProviderIdSchema,
  driver: z.string().describe('"sim", "aws", "gcp"...'),
  zones: CapabilitySchema.describe('Regions have availability zones'),
  vNetScope: z.enum(['region', 'global']).describe('GCP networks are global; others regional'),
  subnetScope: z
    .enum(['zone', 'region'])
    .describe('AWS/Alibaba subnets sit in one zone; others span the region'),
  suspend: CapabilitySchema.extend({
    mode: z.enum(['stop', 'hibernate', 'deallocate', 'suspend', 'none']),
    billedWhileSuspended: z.enum(['nothing', 'disk', 'everything']),
  }),
  reboot: CapabilitySchema,
  keyPairImport: CapabilitySchema,
  keyPairGenerate: CapabilitySchema,
  sshKeyTypes: z
    .array(z.enum(['ed25519', 'rsa']))
    .min(1)
    .optional()
    .describe('Public key types key-pair import accepts; omitted = ed25519 and rsa'),
  securityGroupEgress: CapabilitySchema,
  spot: CapabilitySchema,
  gpu: CapabilitySchema,
  idempotencyKeys: CapabilitySchema,
  tagging: CapabilitySchema.extend({
    maxTags: z.number().int().positive(),
    maxKeyLength: z.number().int().positive(),
    maxValueLength: z.number().int().positive(),
  }),
  rootDisk: z.object({ minGiB: z.number().int().positive(), maxGiB: z.number().int().positive() }),
  defaultUsername: z.string().describe('Login user on the default Ubuntu image'),
});
export type DriverCapabilities = z.infer<typeof DriverCapabilitiesSchema>;
