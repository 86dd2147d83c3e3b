import { z } from 'zod';
import { CatalogInputError } from '../../catalog/query/validate.ts';
import { toUsd, UNITS_PER_USD } from '../../drivers/spec/money.ts';
import { MAX_GROUP_SIZE, MAX_GROUPS } from '../../mci/model.ts';
import { ToolError } from '../errors.ts';
import { defineTool, READ_ONLY } from '../tool.ts';

const HOURS_PER_MONTH = 730;
const cents = (value: number) => Math.round(value * 100) / 100;
const micro = (value: number) => Math.round(value * 1e6) / 1e6;

const GroupCostOutputSchema = z.object({
  specId: z.string().describe('Spec id "provider+region+name"'),
  size: z.number().int().describe('VMs in the group'),
  spot: z.boolean().describe('Priced at the spot price'),
  pricePerHour: z
    .number()
    .nullable()
    .describe('USD per hour for the whole group at the price used (spot or on-demand); null when unpriced'),
  pricePerMonth: z
    .number()
    .nullable()
    .describe('USD per month (730 h) for the whole group; null when unpriced'),
  onDemandPerHour: z.number().nullable().describe('USD per hour for the group on demand, when known'),
  spotPerHour: z.number().nullable().describe('USD per hour for the group on spot, when known'),
  sourceCurrency: z.string().describe('Currency of the provider price list; non-USD prices are converted'),
});

export const estimateCost = defineTool({
  name: 'estimateCost',
  title: 'Estimate the cost of node groups',
  description:
    'Prices node groups (specId × size, on-demand or spot) from the catalog: USD per hour and per month (730 h) for each group and in total, the all-spot total, and the groups with no known price. ' +
    'Use it to compare options or answer "what would 3 of these cost per month" before any review; reviewMCI also prices a full request along with its plan and risks. ' +
    'Read-only. Next: reviewMCI with the same specIds and sizes to see the plan and risks.',
  input: z.object({
    nodeGroups: z
      .array(
        z.object({
          specId: z
            .string()
            .min(1)
            .max(200)
            .describe('Spec id "provider+region+name" from searchSpecs/recommendSpecs'),
          size: z
            .number()
            .int('size must be a whole number')
            .min(1, 'size must be at least 1')
            .max(MAX_GROUP_SIZE, `size must be at most ${MAX_GROUP_SIZE} per group`)
            .describe('Number of VMs'),
          spot: z
            .boolean()
            .optional()
            .describe('Price at the spot price (cheaper, can be reclaimed); default false'),
          rootDiskGiB: z
            .number()
            .int()
            .min(8)
            .max(16384)
            .optional()
            .describe('Root disk size, GiB; noted but not priced (the catalog has no disk prices)'),
        }),
      )
      .min(1, 'give at least one node group')
      .max(MAX_GROUPS, `at most ${MAX_GROUPS} node groups`)
      .describe('The groups to price'),
  }),
  output: z.object({
    groups: z.array(GroupCostOutputSchema).describe('Each group priced, in the order given'),
    totalPerHour: z.number().describe('USD per hour of all priced groups (unpriced ones add nothing)'),
    totalPerMonth: z.number().describe('USD per month (730 h) of all priced groups'),
    spotTotalPerHour: z
      .number()
      .nullable()
      .describe('USD per hour if every group ran on spot; null when some spec has no spot price'),
    unpriced: z.array(z.string()).describe('Groups left out of the totals, with why'),
    notes: z.array(z.string()).describe('What the figures leave out (disks, currency conversion)'),
  }),
  annotations: READ_ONLY,
  async handler(input, services) {
    const catalog = await services.catalog();
    let estimate: Awaited<ReturnType<typeof catalog.estimateCost>>;
    try {
      estimate = await catalog.estimateCost(input);
    } catch (error) {
      if (error instanceof CatalogInputError) {
        throw new ToolError(
          'INVALID_INPUT',
          error.message,
          'Use specIds exactly as searchSpecs or recommendSpecs return them, then call again.',
        );
      }
      throw error;
    }
    const groups = estimate.groups.map((group, index) => {
      const spot = input.nodeGroups[index]?.spot ?? false;
      const onDemand = toUsd(group.onDemandPerHour, group.currency);
      const spotPrice = toUsd(group.spotPerHour, group.currency);
      const used = spot ? spotPrice : onDemand;
      return {
        specId: group.specId,
        size: group.size,
        spot,
        pricePerHour: used === null ? null : micro(used),
        pricePerMonth: used === null ? null : cents(used * HOURS_PER_MONTH),
        onDemandPerHour: onDemand === null ? null : micro(onDemand),
        spotPerHour: spotPrice === null ? null : micro(spotPrice),
        sourceCurrency: group.currency,
      };
    });
    const notes: string[] = [];
    if (input.nodeGroups.some((group) => group.rootDiskGiB !== undefined))
      notes.push('Root disks are not priced: the catalog has no disk prices.');
    const converted = [
      ...new Set(
        groups.filter((group) => group.sourceCurrency !== 'USD').map((group) => group.sourceCurrency),
      ),
    ];
    if (converted.length > 0)
      notes.push(
        `Prices listed in ${converted.map((currency) => `${currency} are converted at ${UNITS_PER_USD[currency] ?? '?'} per USD`).join(', ')} (a fixed rate).`,
      );
    const structured = {
      groups,
      totalPerHour: estimate.totalPerHour,
      totalPerMonth: cents(estimate.totalPerMonth),
      spotTotalPerHour: estimate.spotTotalPerHour,
      unpriced: estimate.unpriced,
      notes,
    };
    const lines = groups.map(
      (group) =>
        `- ${group.size} × ${group.specId}${group.spot ? ' (spot)' : ''}: ${group.pricePerHour === null ? 'price unknown' : `$${group.pricePerHour.toFixed(4)}/h, $${group.pricePerMonth?.toFixed(2)}/month`}`,
    );
    return {
      structured,
      text: [
        `Total $${structured.totalPerHour.toFixed(4)}/h, $${structured.totalPerMonth.toFixed(2)}/month${structured.spotTotalPerHour === null ? '' : `; all on spot $${structured.spotTotalPerHour.toFixed(4)}/h`}`,
        ...lines,
        ...(structured.unpriced.length > 0
          ? [`Unpriced (not in the total): ${structured.unpriced.join('; ')}`]
          : []),
        ...notes,
      ].join('\n'),
    };
  },
});
