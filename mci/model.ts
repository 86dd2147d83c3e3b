// The MCI engine's data model: requests (zod, validated at the edge), MCIs, nodes, operations,
// and Tumblebug-style status aggregation.
import { z } from 'zod';
import { ProviderIdSchema, type VmStatus } from '../drivers/spec/index.ts';

/** Lower-case letters, digits and "-", starting with a letter: safe in shells, URLs and cloud names. */
const SAFE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SAFE_NAME_MESSAGE =
  'use lower-case letters, digits and "-" only, starting with a letter and not ending with "-" (no spaces or shell metacharacters)';

export const MciNameSchema = z
  .string()
  .min(1)
  .max(40, 'at most 40 characters')
  .regex(SAFE_NAME, SAFE_NAME_MESSAGE)
  .describe('MCI name: lower-case letters, digits and "-", at most 40 characters');

export const NodeGroupNameSchema = z
  .string()
  .min(1)
  .max(16, 'at most 16 characters')
  .regex(SAFE_NAME, SAFE_NAME_MESSAGE)
  .describe('Node group name: lower-case letters, digits and "-", at most 16 characters');

export const MAX_GROUP_SIZE = 1000;
export const MAX_GROUPS = 100;
export const MAX_TOTAL_NODES = 2000;

/** What a node group needs, for resolution through a SpecResolver when no specId is given. */
export const SpecRequirementsSchema = z.object({
  vcpu: z.number().positive().optional().describe('Minimum vCPUs'),
  memoryGiB: z.number().positive().optional().describe('Minimum memory in GiB'),
  gpuCount: z.number().nonnegative().optional().describe('Minimum accelerators per VM'),
  gpuModel: z.string().optional().describe('Accelerator model, e.g. "A10G"'),
  providers: z.array(ProviderIdSchema).optional().describe('Allowed providers; any when omitted'),
  regionIds: z.array(z.string()).optional().describe('Allowed regions ("provider+region"); any when omitted'),
});
export type SpecRequirements = z.infer<typeof SpecRequirementsSchema>;

export const NodeGroupRequestSchema = z
  .object({
    name: NodeGroupNameSchema,
    specId: z.string().min(1).optional().describe('Spec id "provider+region+name"'),
    requirements: SpecRequirementsSchema.optional().describe(
      'Resolved to a spec through the catalog when specId is omitted',
    ),
    imageId: z
      .string()
      .min(1)
      .optional()
      .describe('Image id; default: Ubuntu 22.04 of the spec arch (GPU-ready for GPU specs)'),
    size: z
      .number()
      .int('size must be a whole number')
      .min(1, 'size must be at least 1')
      .max(MAX_GROUP_SIZE, `size must be at most ${MAX_GROUP_SIZE} per group; split into several groups`)
      .describe('Number of nodes'),
    zone: z.string().min(1).optional().describe('Zone code; the engine picks one when omitted'),
    rootDiskGiB: z.number().int().min(8).max(16384).optional(),
  })
  .refine((group) => group.specId !== undefined || group.requirements !== undefined, {
    message: 'give a specId (e.g. "aws+ap-northeast-2+t3.medium") or requirements',
    path: ['specId'],
  });
export type NodeGroupRequest = z.infer<typeof NodeGroupRequestSchema>;

export const ON_FAILURE_POLICIES = ['failover', 'rollback', 'continue'] as const;
export type OnFailurePolicy = (typeof ON_FAILURE_POLICIES)[number];

export const CreateMciRequestSchema = z
  .object({
    name: MciNameSchema,
    description: z.string().max(1000).optional(),
    labels: z.record(z.string().min(1).max(63), z.string().max(256)).optional(),
    nodeGroups: z
      .array(NodeGroupRequestSchema)
      .min(1, 'give at least one node group')
      .max(MAX_GROUPS, `at most ${MAX_GROUPS} node groups`),
    onFailure: z
      .enum(ON_FAILURE_POLICIES)
      .default('failover')
      .describe('failover: other zones, then regions; rollback: undo all; continue: keep what worked'),
    maxCostPerHour: z.number().positive().optional().describe('Budget cap, USD per hour for the whole MCI'),
    failover: z
      .object({
        allowedProviders: z.array(ProviderIdSchema).optional().describe('Any provider when omitted'),
        allowedRegionIds: z.array(z.string()).optional().describe('Any region when omitted'),
      })
      .optional()
      .describe('Where nodes may go when their region has no capacity'),
    ports: z
      .array(z.number().int().min(1).max(65535))
      .max(50)
      .optional()
      .describe('TCP ports to open besides SSH 22'),
  })
  .superRefine((request, context) => {
    const seen = new Set<string>();
    for (const [index, group] of request.nodeGroups.entries()) {
      if (seen.has(group.name)) {
        context.addIssue({
          code: 'custom',
          message: `node group name "${group.name}" is used twice; give every group its own name`,
          path: ['nodeGroups', index, 'name'],
        });
      }
      seen.add(group.name);
    }
    const total = request.nodeGroups.reduce((sum, group) => sum + group.size, 0);
    if (total > MAX_TOTAL_NODES) {
      context.addIssue({
        code: 'custom',
        message: `${total} nodes in total; an MCI holds at most ${MAX_TOTAL_NODES}: split it into several MCIs`,
        path: ['nodeGroups'],
      });
    }
  });
export type CreateMciRequestInput = z.input<typeof CreateMciRequestSchema>;
export type CreateMciRequest = z.output<typeof CreateMciRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Stored state
// ---------------------------------------------------------------------------------------------

/** Store kind (namespace "mci", id `<mci>/<app>`) of an app installed on an MCI (mci/service.ts). */
export const APP_INSTALL_KIND = 'app-install';
/** Store kind (namespace "mci", id `<mci>/<app>/<node>/<output>`) of a sealed app secret. */
export const APP_SECRET_KIND = 'app-secret';
/** Kinds whose ids start with `<mci>/` and that go when the MCI goes. */
export const MCI_OWNED_KINDS = ['node', APP_INSTALL_KIND, APP_SECRET_KIND] as const;

export const NodeSchema = z.object({
  mciName: z.string(),
  name: z.string().describe('"<group>-<index>", index from 1'),
  group: z.string(),
  provider: ProviderIdSchema,
  regionId: z.string(),
  zone: z.string().nullable(),
  specId: z.string(),
  imageId: z.string(),
  vmId: z.string().nullable(),
  status: z.string().describe('VM status, or "Pending" before the VM exists'),
  publicIp: z.string().nullable(),
  privateIp: z.string().nullable(),
  username: z.string().nullable(),
  /** Which placement this is: 0 first, +1 on every failover. */
  generation: z.number().int().nonnegative(),
  lastCheckedAt: z.number().optional(),
  stableChecks: z.number().int().nonnegative().optional(),
});
export type MciNode = z.infer<typeof NodeSchema>;

/** The shared network resources of one region. */
export const RegionResourcesSchema = z.object({
  regionId: z.string(),
  vNetId: z.string().optional(),
  /** zone code (or "*" for regional subnets) → subnet id */
  subnetIds: z.record(z.string(), z.string()),
  securityGroupId: z.string().optional(),
  keyPairId: z.string().optional(),
  keyName: z.string().optional(),
});
export type RegionResources = z.infer<typeof RegionResourcesSchema>;

export const MciSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  request: z.unknown(),
  owner: z.string(),
  createdAt: z.string(),
  /** The operation that made it. */
  operationId: z.string(),
  state: z.enum(['creating', 'active', 'deleting', 'failed']),
  regions: z.record(z.string(), RegionResourcesSchema),
  status: z.string().describe('Aggregated, e.g. "Running:5 (R:5/5)"'),
});
export type Mci = z.infer<typeof MciSchema>;

export const OPERATION_KINDS = ['create', 'delete', 'control', 'scale'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
export const OPERATION_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'rolled-back',
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const FINAL_OPERATION_STATUSES: readonly OperationStatus[] = [
  'succeeded',
  'failed',
  'cancelled',
  'rolled-back',
];

export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const ErrorRecordSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  at: z.string(),
  stepId: z.string().optional(),
});
export type ErrorRecord = z.infer<typeof ErrorRecordSchema>;

export const StepSchema = z.object({
  operationId: z.string(),
  id: z.string().describe('Unique in the operation, e.g. "vnet.aws+us-east-1" or "vm.web-3.g0"'),
  kind: z.enum(['vnet', 'subnet', 'security-group', 'key-pair', 'vm', 'wait', 'delete', 'control']),
  regionId: z.string(),
  status: z.enum(STEP_STATUSES),
  attempts: z.number().int().nonnegative(),
  idempotencyKey: z.string(),
  resourceId: z.string().optional(),
  /** Step inputs that must stay the same across attempts (e.g. the public key it imports). */
  data: z.record(z.string(), z.string()).optional(),
  error: ErrorRecordSchema.optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const EventSchema = z.object({
  at: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  stepId: z.string().optional(),
});
export type OperationEvent = z.infer<typeof EventSchema>;

export const OperationSchema = z.object({
  id: z.string(),
  kind: z.enum(OPERATION_KINDS),
  mciName: z.string(),
  status: z.enum(OPERATION_STATUSES),
  /** Kind-specific input: the create request, the control action, the scale change. */
  input: z.unknown(),
  onFailure: z.enum(ON_FAILURE_POLICIES),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  cancelRequested: z.boolean(),
  /** How many times a process started (or resumed) running it. */
  runs: z.number().int().nonnegative(),
  /** Set before a rollback starts, so a process resuming the operation goes on rolling back. */
  rollingBack: z.boolean().optional(),
  holders: z.array(z.string()).describe('Processes that ran it, in order'),
  errors: z.array(ErrorRecordSchema),
  progress: z.object({
    stepsDone: z.number().int().nonnegative(),
    stepsTotal: z.number().int().nonnegative(),
    nodesReady: z.number().int().nonnegative(),
    nodesTotal: z.number().int().nonnegative(),
  }),
});
export type Operation = z.infer<typeof OperationSchema>;

// ---------------------------------------------------------------------------------------------
// Status aggregation, the Tumblebug way
// ---------------------------------------------------------------------------------------------

/** Letters Tumblebug uses in the count summary, in display order. */
const STATUS_LETTERS: readonly [string, string][] = [
  ['Running', 'R'],
  ['Suspended', 'S'],
  ['Creating', 'C'],
  ['Pending', 'P'],
  ['Suspending', 'Su'],
  ['Resuming', 'Re'],
  ['Rebooting', 'Rb'],
  ['Terminating', 'Tg'],
  ['Terminated', 'T'],
  ['Failed', 'F'],
  ['Undefined', 'U'],
];

/**
 * Aggregates node statuses into one MCI status: `Running:5 (R:5/5)` when all agree,
 * `Partial-Running:3 (R:3/5 C:2/5)` when the most common status is not everyone's. Ties go to the
 * status listed first in the summary order (Running before Suspended before Creating…).
 * An MCI with no nodes is `Empty:0 (0/0)`.
 */
export function aggregateStatus(nodes: readonly { status: VmStatus | string }[]): string {
  const total = nodes.length;
  if (total === 0) return 'Empty:0 (0/0)';
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const known = STATUS_LETTERS.some(([status]) => status === node.status);
    const status = known ? node.status : 'Undefined';
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  let top = '';
  let topCount = 0;
  for (const [status] of STATUS_LETTERS) {
    const count = counts.get(status) ?? 0;
    if (count > topCount) {
      top = status;
      topCount = count;
    }
  }
  const summary = STATUS_LETTERS.filter(([status]) => (counts.get(status) ?? 0) > 0)
    .map(([status, letter]) => `${letter}:${counts.get(status)}/${total}`)
    .join(' ');
  const prefix = topCount === total ? top : `Partial-${top}`;
  return `${prefix}:${topCount} (${summary})`;
}
