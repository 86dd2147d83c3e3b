import { z } from 'zod';
import { mciCostPerHour, specPrices } from '../guard.ts';
import { defineTool, READ_ONLY } from '../tool.ts';

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

const MciSummarySchema = z.object({
  name: z
    .string()
    .describe('MCI name; pass it to getMCI, scaleMCI, controlMCI, deleteMCI, runCommand, installApp'),
  status: z
    .string()
    .describe('Aggregated node status, e.g. "Running:3 (R:3/3)" or "Partial-Running:2 (R:2/3 C:1/3)"'),
  state: z.string().describe('creating, active, deleting or failed'),
  nodesTotal: z.number().describe('Nodes in the MCI'),
  locations: z
    .array(
      z.object({
        provider: z.string().describe('Provider id, e.g. "aws"'),
        regionId: z.string().describe('Region "provider+region"'),
        nodes: z.number().describe('Nodes there'),
      }),
    )
    .describe('Nodes per provider and region'),
  pricePerHour: z
    .number()
    .describe('USD per hour of its nodes that are not Terminated (suspended ones count)'),
  createdAt: z.string().describe('When it was created, ISO 8601'),
});

export const listMcis = defineTool({
  name: 'listMCIs',
  title: 'List MCIs',
  description:
    'Lists every multi-cloud infrastructure (MCI) s2a manages: name, aggregated status, state, nodes per provider and region, and what it costs per hour. ' +
    'Use it to find an MCI by name, to see what is running and what it costs, or after an MCI_NOT_FOUND error. Reads only. ' +
    'Next: getMCI for the nodes, addresses, apps and operations of one MCI; controlMCI suspend or deleteMCI to stop paying.',
  input: z.object({}),
  output: z.object({
    mcis: z.array(MciSummarySchema).describe('The MCIs, oldest first'),
    totalPricePerHour: z.number().describe('USD per hour of all MCIs together'),
  }),
  annotations: READ_ONLY,
  async handler(_input, services) {
    const mci = await services.mci();
    const priceOf = specPrices(services.runtime);
    const summaries = (await mci.engine.listMcis()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const mcis: z.input<typeof MciSummarySchema>[] = [];
    for (const summary of summaries) {
      // An MCI deleted between the listing and here is left out.
      const view = await mci.engine.getMci(summary.name).catch(() => undefined);
      if (!view) continue;
      const locations = new Map<string, { provider: string; regionId: string; nodes: number }>();
      for (const node of view.nodes) {
        const location = locations.get(node.regionId) ?? {
          provider: node.provider,
          regionId: node.regionId,
          nodes: 0,
        };
        location.nodes++;
        locations.set(node.regionId, location);
      }
      mcis.push({
        name: view.name,
        status: view.status,
        state: view.state,
        nodesTotal: view.nodes.length,
        locations: [...locations.values()],
        pricePerHour: round(await mciCostPerHour(mci, view.name, priceOf)),
        createdAt: view.createdAt,
      });
    }
    const totalPricePerHour = round(mcis.reduce((sum, entry) => sum + entry.pricePerHour, 0));
    const lines = mcis.map(
      (entry) =>
        `- ${entry.name}: ${entry.status}, ${entry.state}, ${entry.locations.map((location) => `${location.nodes} in ${location.regionId}`).join(', ') || 'no nodes'}, $${entry.pricePerHour.toFixed(4)}/h`,
    );
    return {
      structured: { mcis, totalPricePerHour },
      text:
        mcis.length === 0
          ? 'No MCIs. Create one with reviewMCI, then createMCI.'
          : [`${mcis.length} MCI(s), $${totalPricePerHour.toFixed(4)}/h in total:`, ...lines].join('\n'),
    };
  },
});
