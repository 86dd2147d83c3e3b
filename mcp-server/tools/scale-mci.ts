import { z } from 'zod';
import { usdPerHour } from '../../drivers/spec/index.ts';
import type { ScaleChange } from '../../mci/engine.ts';
import {
  type CreateMciRequest,
  MAX_GROUP_SIZE,
  MciNameSchema,
  NodeGroupNameSchema,
} from '../../mci/model.ts';
import { ToolError } from '../errors.ts';
import { confirmField, enforceBudget, mciCostPerHour, requireConfirmation, specPrices } from '../guard.ts';
import { waitForOperation } from '../progress.ts';
import {
  describeOperation,
  NodeGroupInputSchema,
  OperationOutputSchema,
  operationOutput,
  waitField,
} from '../shapes-mci.ts';
import { NodeNameSchema, refuseWhileBusy, selectNodes } from '../shapes-task.ts';
import { defineTool } from '../tool.ts';

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

export const scaleMci = defineTool({
  name: 'scaleMCI',
  title: 'Scale an MCI',
  description:
    'Grows or shrinks an existing MCI: adds nodes to a node group (same spec and region), adds a new node group (any spec and region, like a createMCI group), or removes named nodes (their VMs are deleted). ' +
    'Added nodes cost money and go through the budget guard; removed nodes and their data are gone for good. Call without confirm to get the change and its price, show it to the person, then call again with confirm: true. ' +
    'Returns an operationId at once (follow it with getOperation) or, with wait: true, blocks with progress until new nodes are Running. Next: getMCI for the new nodes, installApp to put the app on them.',
  input: z.object({
    name: MciNameSchema,
    addNodes: z
      .object({
        group: NodeGroupNameSchema.describe('Existing node group to grow (getMCI lists the groups)'),
        count: z
          .number()
          .int('count must be a whole number')
          .min(1, 'count must be at least 1')
          .max(MAX_GROUP_SIZE, `count must be at most ${MAX_GROUP_SIZE}`)
          .describe('Nodes to add'),
      })
      .optional()
      .describe('Add nodes to an existing group'),
    addGroup: NodeGroupInputSchema.optional().describe(
      'Add a new node group (a new name), e.g. in another region',
    ),
    removeNodes: z
      .array(NodeNameSchema)
      .min(1)
      .max(2000)
      .optional()
      .describe('Node names to remove; their VMs are deleted (getMCI lists the names)'),
    confirm: confirmField,
    wait: waitField,
  }),
  output: z.object({
    operation: OperationOutputSchema.describe('The scale operation'),
    added: z
      .array(
        z.object({
          group: z.string().describe('Node group'),
          count: z.number().describe('Nodes added'),
          specId: z.string().describe('Spec of the new nodes'),
          pricePerHour: z.number().describe('USD per hour of the added nodes together'),
        }),
      )
      .describe('Nodes added, per group'),
    removedNodes: z.array(z.string()).describe('Nodes removed'),
    addedPerHour: z.number().describe('USD per hour the added nodes cost'),
    savedPerHour: z.number().describe('USD per hour the removed nodes stop costing'),
    pricePerHourBefore: z.number().describe('USD per hour of the MCI before'),
    pricePerHourAfter: z.number().describe('USD per hour of the MCI after (estimate)'),
    mciStatus: z.string().nullable().describe('Aggregated MCI status after the wait'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler(input, services, call) {
    if (!input.addNodes && !input.addGroup && !input.removeNodes)
      throw new ToolError(
        'INVALID_INPUT',
        'scaleMCI needs a change: addNodes, addGroup or removeNodes',
        'Give addNodes {group, count} to grow a group, addGroup for a new group, or removeNodes with node names from getMCI.',
      );
    const mci = await services.mci();
    const view = await mci.engine.getMci(input.name);
    await refuseWhileBusy(services, input.name, 'scale');
    const priceOf = specPrices(services.runtime);
    const added: { group: string; count: number; specId: string; pricePerHour: number }[] = [];
    if (input.addNodes) {
      const { group, count } = input.addNodes;
      const template = view.nodes.find((node) => node.group === group);
      if (!template) {
        const groups = [...new Set(view.nodes.map((node) => node.group))];
        throw new ToolError(
          'GROUP_NOT_FOUND',
          `MCI "${input.name}" has no node group "${group}"; its groups: ${groups.join(', ') || 'none'}`,
          'Use a group name getMCI lists, or addGroup to make a new group. Nothing was changed.',
        );
      }
      added.push({
        group,
        count,
        specId: template.specId,
        pricePerHour: round((await priceOf(template.specId)) * count),
      });
    }
    if (input.addGroup) {
      const group = input.addGroup;
      if (view.nodes.some((node) => node.group === group.name))
        throw new ToolError(
          'INVALID_REQUEST',
          `MCI "${input.name}" already has a node group "${group.name}"`,
          `Use addNodes {group: "${group.name}", count} to grow it, or give the new group another name.`,
        );
      // Reviewed like a create of this one group; the MCI's own name being taken is expected here.
      const request = view.request as CreateMciRequest;
      const review = await mci.engine.reviewMci({ ...request, nodeGroups: [group] });
      const issues = review.issues.filter((issue) => !issue.startsWith('name: an MCI named'));
      const planned = review.groups[0];
      if (issues.length > 0 || !planned?.spec)
        throw new ToolError(
          'INVALID_REQUEST',
          `cannot add group "${group.name}": ${issues.join('; ') || 'its spec could not be resolved'}`,
          'Fix the group (searchSpecs finds valid specIds in a region) and call again; nothing was changed.',
        );
      added.push({
        group: group.name,
        count: group.size,
        specId: planned.spec.id,
        pricePerHour: round(planned.pricePerHour ?? (usdPerHour(planned.spec) ?? 0) * group.size),
      });
    }
    const removed = input.removeNodes ? selectNodes(view, input.removeNodes) : [];
    let savedPerHour = 0;
    for (const node of removed)
      if (node.status !== 'Terminated' && node.status !== 'Failed')
        savedPerHour += await priceOf(node.specId);
    savedPerHour = round(savedPerHour);
    const addedPerHour = round(added.reduce((sum, entry) => sum + entry.pricePerHour, 0));
    const before = round(await mciCostPerHour(mci, input.name, priceOf));
    const after = round(before + addedPerHour - savedPerHour);
    if (addedPerHour > 0) {
      const cap = (view.request as Partial<CreateMciRequest> | undefined)?.maxCostPerHour;
      if (cap !== undefined && after > cap + 1e-9)
        throw new ToolError(
          'BUDGET_EXCEEDED',
          `MCI "${input.name}" would cost $${after.toFixed(4)}/h, above its own cap of $${cap.toFixed(4)}/h`,
          'Add fewer or cheaper nodes, or remove others in the same call. Nothing was changed.',
          { details: { pricePerHourAfter: after, capPerHour: cap } },
        );
      await enforceBudget(services, addedPerHour);
    }
    const removedNames = removed.map((node) => node.name);
    const parts = [
      ...added.map(
        (entry) =>
          `add ${entry.count} × ${entry.specId} to group ${entry.group} (+$${entry.pricePerHour.toFixed(4)}/h)`,
      ),
      ...(removedNames.length > 0
        ? [
            `remove ${removedNames.join(', ')} (their VMs and data are deleted, -$${savedPerHour.toFixed(4)}/h)`,
          ]
        : []),
    ];
    const details = { added, removedNodes: removedNames, addedPerHour, savedPerHour, before, after };
    await requireConfirmation(call, input.confirm, {
      summary: `Scale MCI "${input.name}": ${parts.join('; ')}. Cost goes from $${before.toFixed(4)}/h to $${after.toFixed(4)}/h.`,
      details,
      next: 'Show the person this change and its price; only after they approve, call scaleMCI again with the same arguments and confirm: true.',
    });
    const change: ScaleChange = {
      ...(input.addNodes ? { addNodes: input.addNodes } : {}),
      ...(input.addGroup ? { addGroup: input.addGroup as ScaleChange['addGroup'] } : {}),
      ...(removedNames.length > 0 ? { removeNodes: removedNames } : {}),
    };
    const { operationId } = await mci.engine.scaleMci(input.name, change);
    const operation = operationOutput(
      input.wait
        ? await waitForOperation(services, call, operationId)
        : await mci.engine.getOperation(operationId),
    );
    const mciStatus = input.wait
      ? ((await mci.engine.getMci(input.name).catch(() => undefined))?.status ?? null)
      : null;
    return {
      structured: {
        operation,
        added,
        removedNodes: removedNames,
        addedPerHour,
        savedPerHour,
        pricePerHourBefore: before,
        pricePerHourAfter: after,
        mciStatus,
      },
      text: input.wait
        ? `${describeOperation(operation)}${mciStatus ? `; MCI ${mciStatus}` : ''}; $${before.toFixed(4)}/h → $${after.toFixed(4)}/h`
        : `Started: ${describeOperation(operation)} (${parts.join('; ')}). Follow it with getOperation.`,
    };
  },
});
