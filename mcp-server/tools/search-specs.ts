import { z } from 'zod';
import { ProviderIdSchema } from '../../drivers/spec/index.ts';
import { describeSpec, SpecHitOutputSchema, specHitOutput } from '../shapes.ts';
import { defineTool, READ_ONLY } from '../tool.ts';

export const NearInputSchema = z
  .object({
    place: z
      .string()
      .min(1)
      .max(200)
      .describe(
        'A place in words, English or Korean: "Seoul", "서울", "Frankfurt", "Korea", "Europe", "US east"',
      ),
    radiusKm: z
      .number()
      .positive()
      .max(20_000)
      .optional()
      .describe('Only regions within this distance; default ~500 km for a city, the extent of a country'),
  })
  .describe('Only regions near a place');

export const SpecFilterFields = {
  text: z
    .string()
    .max(500)
    .optional()
    .describe('Free text: "cheap gpu for inference", a spec name or family'),
  minVcpu: z.number().positive().optional().describe('At least this many vCPUs'),
  maxVcpu: z.number().positive().optional().describe('At most this many vCPUs'),
  minMemoryGiB: z.number().positive().optional().describe('At least this much memory, GiB'),
  maxMemoryGiB: z.number().positive().optional().describe('At most this much memory, GiB'),
  gpu: z
    .object({
      model: z
        .string()
        .max(100)
        .optional()
        .describe('GPU model in any common spelling: "A100", "h100 80gb", "L4"'),
      minCount: z.number().positive().optional().describe('At least this many GPUs per VM (default 1)'),
      minMemoryGiB: z
        .number()
        .positive()
        .optional()
        .describe('At least this much GPU memory per VM, all GPUs together'),
    })
    .optional()
    .describe('Require GPUs; omit for any spec'),
  noGpu: z.boolean().optional().describe('Only specs without GPUs'),
  arch: z.enum(['x86_64', 'arm64']).optional().describe('CPU architecture'),
  maxPricePerHour: z
    .number()
    .positive()
    .optional()
    .describe('At most this many USD per hour (spot price when spot is true)'),
  spot: z.boolean().optional().describe('Price and filter by spot price; only specs that have one'),
  providers: z.array(ProviderIdSchema).max(10).optional().describe('Only these providers'),
  excludeProviders: z.array(ProviderIdSchema).max(10).optional().describe('Never these providers'),
  regions: z
    .array(z.string().max(100))
    .max(200)
    .optional()
    .describe('Only these region ids, "provider+region"'),
  near: NearInputSchema.optional(),
  latencyFrom: z
    .string()
    .max(200)
    .optional()
    .describe('Where the users are (region id or place) for latency; needed for sort "latency"'),
  limit: z
    .number()
    .int()
    .positive()
    .max(100)
    .optional()
    .describe('Results to return, default 10, at most 100'),
};

export const searchSpecs = defineTool({
  name: 'searchSpecs',
  title: 'Search VM specs and prices',
  description:
    'Finds VM specs (instance types) with their hourly prices across all providers and regions, filtered by vCPU, memory, GPU model/count, architecture, price, providers, regions or nearness to a place, and sorted by cost, performance, distance or latency. ' +
    'Use it to answer "what is the cheapest GPU VM near Seoul" or to choose specIds before reviewMCI/createMCI. ' +
    'Read-only. Next: reviewMCI with the chosen specIds; recommendSpecs when several criteria must be weighed.',
  input: z.object({
    ...SpecFilterFields,
    sort: z
      .enum(['cost', 'performance', 'distance', 'latency'])
      .optional()
      .describe(
        'Order: cost (cheapest first, default), performance, distance (needs near), latency (needs latencyFrom)',
      ),
  }),
  output: z.object({
    results: z.array(SpecHitOutputSchema).describe('Matching specs, best first'),
    count: z.number().int().describe('How many results are returned'),
  }),
  annotations: READ_ONLY,
  async handler(input, services) {
    const catalog = await services.catalog();
    const hits = await catalog.searchSpecs({ ...input, limit: input.limit ?? 10 });
    const results = hits.map(specHitOutput);
    const lines = results.slice(0, 10).map((result, index) => `${index + 1}. ${describeSpec(result)}`);
    return {
      structured: { results, count: results.length },
      text:
        results.length === 0
          ? 'No spec matches; loosen a filter (price, place, GPU model).'
          : lines.join('\n'),
    };
  },
});
