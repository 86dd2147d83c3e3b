import { z } from 'zod';
import { runningCostPerHour } from '../guard.ts';
import { CreateMciFields, describeReview, ReviewOutputSchema, reviewOutput } from '../shapes-mci.ts';
import { defineTool, READ_ONLY } from '../tool.ts';

export const reviewMci = defineTool({
  name: 'reviewMCI',
  title: 'Review an MCI before creating it',
  description:
    'Dry run of createMCI: checks a request (names, specs, images, zones, budget) against the providers, resolves node groups given as requirements to the cheapest fitting spec, and returns the plan per region, the price per hour and month, the risks (scarce GPUs, few zones, quotas) and every problem at once. Creates nothing and costs nothing. ' +
    'Use it before createMCI, and show the person the plan and price. ok=false is not a failure of the tool: it lists what to fix in issues. ' +
    'Read-only. Next: if ok, ask the person to approve, then createMCI with the same arguments and confirm: true; if not ok, fix the issues (searchSpecs, searchImages) and review again.',
  input: z.object(CreateMciFields),
  output: ReviewOutputSchema,
  // Asks the providers (specs, regions, images) through their drivers: real clouds when configured.
  annotations: { ...READ_ONLY, openWorldHint: true },
  async handler(input, services) {
    const mci = await services.mci();
    const review = reviewOutput(await mci.engine.reviewMci(input));
    // createMCI enforces the server's caps too; saying so now saves the person a refused approval.
    const cap = services.config.maxCostPerHour;
    if (review.pricePerHour > cap + 1e-9) {
      review.risks.push(
        `budget: $${review.pricePerHour.toFixed(2)}/h is above this server's per-request cap of $${cap.toFixed(2)}/h (S2A_MAX_COST_PER_HOUR); createMCI will refuse it`,
      );
    } else if (review.ok) {
      const running = await runningCostPerHour(services);
      const totalCap = services.config.maxRunningCostPerHour;
      if (running + review.pricePerHour > totalCap + 1e-9) {
        review.risks.push(
          `budget: MCIs already cost $${running.toFixed(2)}/h; adding $${review.pricePerHour.toFixed(2)}/h passes the total cap of $${totalCap.toFixed(2)}/h (S2A_MAX_RUNNING_COST_PER_HOUR); createMCI will refuse it`,
        );
      }
    }
    const verdict = review.ok
      ? 'Can be created as asked. Nothing was created. Show this plan and price to the person; after they approve, call createMCI with the same arguments and confirm: true.'
      : `Cannot be created as asked (${review.issues.length} problem${review.issues.length === 1 ? '' : 's'}). Nothing was created. Fix each problem listed and review again.`;
    return { structured: review, text: `${verdict}\n${describeReview(review)}` };
  },
});
