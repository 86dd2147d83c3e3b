// Shapes of MCI requests, reviews and operations as the tools show them.
import { z } from 'zod';
import { ProviderIdSchema } from '../drivers/spec/index.ts';
import type { OperationView } from '../mci/engine.ts';
import { MAX_GROUP_SIZE, MAX_GROUPS, MciNameSchema, NodeGroupNameSchema } from '../mci/model.ts';
import type { MciReview } from '../mci/review.ts';

// Labels travel to the clouds as tags: GCP's rules are the strictest, so everyone follows them. They
// also keep free text (and instructions hidden in it) out of names and labels.
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

export const LabelsSchema = z
  .record(
    z
      .string()
      .regex(
        LABEL_KEY,
        'label keys: lower-case letters, digits, "_" and "-", starting with a letter, at most 63',
      ),
    z
      .string()
      .regex(LABEL_VALUE, 'label values: lower-case letters, digits, "_" and "-", at most 63 (no spaces)'),
  )
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels')
  .describe('Labels copied to every resource as tags, e.g. {"team": "ml", "env": "dev"}');

export const NodeGroupInputSchema = z.object({
  name: NodeGroupNameSchema,
  specId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Spec id "provider+region+name" from searchSpecs/recommendSpecs; or give requirements'),
  requirements: z
    .object({
      vcpu: z.number().positive().optional().describe('Minimum vCPUs'),
      memoryGiB: z.number().positive().optional().describe('Minimum memory, GiB'),
      gpuCount: z.number().nonnegative().optional().describe('Minimum GPUs per VM'),
      gpuModel: z.string().max(100).optional().describe('GPU model, e.g. "A10G"'),
      providers: z.array(ProviderIdSchema).optional().describe('Allowed providers; any when omitted'),
      regionIds: z
        .array(z.string().max(100))
        .optional()
        .describe('Allowed regions "provider+region"; any when omitted'),
    })
    .optional()
    .describe('Resolved to the cheapest fitting spec when specId is omitted'),
  imageId: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .describe('Image id from searchImages; default Ubuntu 22.04 of the spec arch (GPU-ready for GPU specs)'),
  size: z
    .number()
    .int('size must be a whole number')
    .min(1, 'size must be at least 1')
    .max(MAX_GROUP_SIZE, `size must be at most ${MAX_GROUP_SIZE} per group; split into several groups`)
    .describe('Number of VMs in the group'),
  zone: z.string().min(1).max(100).optional().describe('Zone code; s2a picks one when omitted'),
  rootDiskGiB: z.number().int().min(8).max(16384).optional().describe('Root disk size, GiB'),
});

export const CreateMciFields = {
  name: MciNameSchema,
  description: z
    .string()
    .max(300)
    .optional()
    .describe('What the MCI is for, one sentence, stored as data only'),
  labels: LabelsSchema.optional(),
  nodeGroups: z
    .array(NodeGroupInputSchema)
    .min(1, 'give at least one node group')
    .max(MAX_GROUPS, `at most ${MAX_GROUPS} node groups`)
    .describe('Groups of identical VMs; one group per spec and region'),
  onFailure: z
    .enum(['failover', 'rollback', 'continue'])
    .optional()
    .describe(
      'On no capacity: failover (default: other zones, then the nearest regions allowed), rollback (undo everything), continue (keep what worked)',
    ),
  maxCostPerHour: z.number().positive().optional().describe('Budget cap for this MCI, USD per hour'),
  failover: z
    .object({
      allowedProviders: z
        .array(ProviderIdSchema)
        .optional()
        .describe('Providers failover may use; any when omitted'),
      allowedRegionIds: z
        .array(z.string().max(100))
        .optional()
        .describe('Regions failover may use ("provider+region"); any when omitted'),
    })
    .optional()
    .describe('Where nodes may go when their region has no capacity'),
  ports: z
    .array(z.number().int().min(1).max(65535))
    .max(50)
    .optional()
    .describe('TCP ports to open to the internet besides SSH 22 (apps open their own ports)'),
};

export const ReviewOutputSchema = z.object({
  ok: z.boolean().describe('True when it can be created as asked'),
  issues: z.array(z.string()).describe('Problems that stop creation, each saying what to fix'),
  risks: z.array(z.string()).describe('Things that may go wrong or cost more; tell the person'),
  pricePerHour: z.number().describe('USD per hour for all nodes'),
  pricePerMonth: z.number().describe('USD per month (730 h)'),
  groups: z
    .array(
      z.object({
        name: z.string().describe('Node group name'),
        size: z.number().describe('VMs'),
        specId: z.string().nullable().describe('Chosen spec'),
        imageId: z.string().nullable().describe('Chosen image'),
        regionId: z.string().nullable().describe('Region "provider+region"'),
        regionName: z.string().nullable().describe('Human region name'),
        vcpu: z.number().nullable().describe('vCPUs per VM'),
        memoryGiB: z.number().nullable().describe('Memory per VM, GiB'),
        gpu: z.string().nullable().describe('GPUs per VM, e.g. "1x A10G"'),
        pricePerHour: z.number().nullable().describe('USD per hour for the whole group'),
      }),
    )
    .describe('Node groups as they would be created'),
  regions: z
    .array(
      z.object({
        regionId: z.string().describe('Region "provider+region"'),
        nodes: z.number().describe('VMs in this region'),
        steps: z.array(z.string()).describe('What is created there, in order'),
      }),
    )
    .describe('The step plan per region'),
  stepsTotal: z.number().describe('Steps the creation takes'),
});
export type ReviewOutput = z.input<typeof ReviewOutputSchema>;

export function reviewOutput(review: MciReview): ReviewOutput {
  return {
    ok: review.ok,
    issues: review.issues,
    risks: review.risks,
    pricePerHour: Math.round(review.pricePerHour * 10_000) / 10_000,
    pricePerMonth: Math.round(review.pricePerMonth * 100) / 100,
    groups: review.groups.map((group) => ({
      name: group.name,
      size: group.size,
      specId: group.spec?.id ?? null,
      imageId: group.image?.id ?? null,
      regionId: group.region?.id ?? null,
      regionName: group.region?.displayName ?? null,
      vcpu: group.spec?.vcpu ?? null,
      memoryGiB: group.spec?.memoryGiB ?? null,
      gpu: group.spec?.gpu ? `${group.spec.gpu.count}x ${group.spec.gpu.model}` : null,
      pricePerHour: group.pricePerHour,
    })),
    regions: review.plan.map((region) => ({
      regionId: region.regionId,
      nodes: region.nodes,
      steps: region.steps,
    })),
    stepsTotal: review.stepsTotal,
  };
}

/** "3 nodes in 2 regions (aws, gcp), $1.23/h ($898/month)" */
export function describeReview(review: ReviewOutput): string {
  const nodes = review.groups.reduce((sum, group) => sum + group.size, 0);
  const providers = [...new Set(review.regions.map((region) => region.regionId.split('+')[0]))];
  const lines = [
    `${nodes} node${nodes === 1 ? '' : 's'} in ${review.regions.length} region${review.regions.length === 1 ? '' : 's'} (${providers.join(', ')}), $${review.pricePerHour.toFixed(2)}/h ($${review.pricePerMonth.toFixed(0)}/month)`,
    ...review.groups.map(
      (group) =>
        `- ${group.name}: ${group.size} × ${group.specId ?? '?'} in ${group.regionName ?? group.regionId ?? '?'}${group.gpu ? `, ${group.gpu}` : ''}`,
    ),
  ];
  if (review.risks.length > 0) lines.push(`Risks: ${review.risks.join('; ')}`);
  if (review.issues.length > 0) lines.push(`Problems: ${review.issues.join('; ')}`);
  return lines.join('\n');
}

export const OperationOutputSchema = z
  .object({
    operationId: z.string().describe('Pass to getOperation or cancelOperation'),
    kind: z.string().describe('create, delete, control, scale, run-command or install-app'),
    mciName: z.string().describe('The MCI it works on'),
    status: z.string().describe('pending, running, succeeded, failed, cancelled or rolled-back'),
    done: z.boolean().describe('True when it will not change any more'),
    progress: z
      .object({
        stepsDone: z.number().describe('Steps finished'),
        stepsTotal: z.number().describe('Steps in all'),
        nodesReady: z.number().describe('Nodes Running'),
        nodesTotal: z.number().describe('Nodes in the MCI'),
      })
      .describe('How far it is'),
    nodes: z
      .array(
        z.object({
          name: z.string().describe('Node name "<group>-<n>"'),
          status: z.string().describe('VM status'),
          regionId: z.string().describe('Region "provider+region"'),
          zone: z.string().nullable().describe('Zone code'),
        }),
      )
      .describe('Per-node status (at most 100 listed)'),
    recentEvents: z.array(z.string()).describe('The last events, oldest first'),
    errors: z
      .array(
        z.object({
          code: z.string().describe('Error code'),
          message: z.string().describe('What went wrong'),
        }),
      )
      .describe('Errors met on the way'),
  })
  .describe('An operation and how far it is');
export type OperationOutput = z.input<typeof OperationOutputSchema>;

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'rolled-back']);

export function operationOutput(view: OperationView): OperationOutput {
  return {
    operationId: view.id,
    kind: view.kind,
    mciName: view.mciName,
    status: view.status,
    done: FINAL.has(view.status),
    progress: view.progress,
    nodes: view.nodes.slice(0, 100).map((node) => ({
      name: node.name,
      status: node.status,
      regionId: node.regionId,
      zone: node.zone,
    })),
    recentEvents: view.events.slice(-8).map((event) => `${event.at} ${event.level}: ${event.message}`),
    errors: view.errors.slice(-10).map((error) => ({ code: error.code, message: error.message })),
  };
}

export function describeOperation(operation: OperationOutput): string {
  const { stepsDone, stepsTotal, nodesReady, nodesTotal } = operation.progress;
  return `${operation.kind} ${operation.mciName}: ${operation.status} (steps ${stepsDone}/${stepsTotal}, nodes Running ${nodesReady}/${nodesTotal}), operation ${operation.operationId}`;
}

export const waitField = z
  .boolean()
  .optional()
  .describe(
    'true: block until it ends, sending progress notifications; false (default): return the operationId at once',
  );
