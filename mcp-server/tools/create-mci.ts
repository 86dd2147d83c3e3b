import { z } from 'zod';
import { ToolError } from '../errors.ts';
import { confirmField, enforceBudget, requireConfirmation } from '../guard.ts';
import { waitForOperation } from '../progress.ts';
import {
  CreateMciFields,
  describeOperation,
  describeReview,
  OperationOutputSchema,
  operationOutput,
  ReviewOutputSchema,
  reviewOutput,
  waitField,
} from '../shapes-mci.ts';
import { defineTool } from '../tool.ts';

export const createMci = defineTool({
  name: 'createMCI',
  title: 'Create an MCI',
  description:
    'Creates a multi-cloud infrastructure (MCI): node groups of VMs across providers and regions, with their networks, security groups and SSH keys, as one durable operation. Costs money. ' +
    'Call reviewMCI first and show the person the plan and price; call this with confirm: true only after they approved. On capacity errors nodes fail over to other zones, then the nearest allowed regions (onFailure). ' +
    'Returns an operationId at once (follow it with getOperation) or, with wait: true, blocks with progress until the MCI is Running. Next: installApp, then getMCI for addresses.',
  input: z.object({
    ...CreateMciFields,
    confirm: confirmField,
    wait: waitField,
  }),
  output: z.object({
    operation: OperationOutputSchema,
    review: ReviewOutputSchema.describe('The plan it is carrying out'),
    mciStatus: z.string().nullable().describe('Aggregated MCI status, e.g. "Running:3 (R:3/3)", when waited'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, services, call) {
    const { confirm, wait, ...request } = input;
    const mci = await services.mci();
    const review = reviewOutput(await mci.engine.reviewMci(request));
    // The budget first: a review over the cap lists it as an issue too, but it deserves its own code.
    await enforceBudget(services, review.pricePerHour, {
      ...(request.maxCostPerHour !== undefined ? { requestCap: request.maxCostPerHour } : {}),
    });
    if (!review.ok) {
      throw new ToolError(
        'INVALID_REQUEST',
        `cannot create MCI "${request.name}": ${review.issues.join('; ')}`,
        'Fix the problems listed (searchSpecs finds valid specIds) and call again; nothing was created.',
        { details: { review } },
      );
    }
    await requireConfirmation(call, confirm, {
      summary: `Create MCI "${request.name}": ${describeReview(review)}`,
      details: { review },
      next: 'Show this plan and its price to the person. Only after they approve, call createMCI again with the same arguments and confirm: true.',
    });
    const { operationId } = await mci.engine.createMci(request);
    const view = wait
      ? await waitForOperation(services, call, operationId)
      : await mci.engine.getOperation(operationId);
    const operation = operationOutput(view);
    const mciStatus = wait
      ? ((await mci.engine.getMci(request.name).catch(() => undefined))?.status ?? null)
      : null;
    return {
      structured: { operation, review, mciStatus },
      text: wait
        ? `${describeOperation(operation)}${mciStatus ? `; MCI ${mciStatus}` : ''}`
        : `Started: ${describeOperation(operation)}. Follow it with getOperation.`,
    };
  },
});
