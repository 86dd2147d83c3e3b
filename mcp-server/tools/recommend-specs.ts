import { z } from 'zod';
import { describeSpec, SpecHitOutputSchema, specHitOutput } from '../shapes.ts';
import { defineTool, READ_ONLY } from '../tool.ts';
import { SpecFilterFields } from './search-specs.ts';

const weight = (what: string) =>
  z.number().min(0, 'weights are 0 or more').max(100).optional().describe(what);

const PartsOutputSchema = z
  .object({
    cost: z.number().describe('1 = cheapest candidate, 0 = dearest or unpriced'),
    performance: z.number().describe('1 = fastest candidate, 0 = slowest'),
    distance: z.number().describe('1 = nearest to the near place, 0 = farthest or unknown'),
    latency: z.number().describe('1 = lowest round trip from latencyFrom, 0 = highest or unmeasured'),
  })
  .describe('Each criterion normalised to 0..1 over all candidates that passed the filters');

export const RecommendationOutputSchema = SpecHitOutputSchema.extend({
  total: z.number().describe('Weighted score 0..1, higher is better: sum(weight × part) / sum(weights)'),
  parts: PartsOutputSchema,
});

const ROUND = 1000;
const round = (value: number) => Math.round(value * ROUND) / ROUND;

export const recommendSpecs = defineTool({
  name: 'recommendSpecs',
  title: 'Recommend VM specs by weighing criteria',
  description:
    'Ranks VM specs that pass the same filters as searchSpecs (vCPU, memory, GPU model/count, price, providers, regions, near a place) by a weighted mix of cost, performance, distance to the near place and latency from latencyFrom, and returns each score part so you can explain the choice. ' +
    'Use it when several criteria matter together ("a fast but not too expensive A100 close to Frankfurt"); for one criterion searchSpecs with sort is simpler. ' +
    'Read-only. Next: reviewMCI with the chosen specId(s), then show the plan and price to the person.',
  input: z.object({
    ...SpecFilterFields,
    weights: z
      .object({
        cost: weight('How much a low price matters; default 1'),
        performance: weight('How much speed (vCPU, memory, GPU) matters; default 0'),
        distance: weight('How much nearness to the near place matters; default 0; needs near'),
        latency: weight(
          'How much low round-trip latency from latencyFrom matters; default 0; needs latencyFrom or near',
        ),
      })
      .optional()
      .describe(
        'Relative importance of each criterion, e.g. {"cost": 2, "distance": 1}; combined, not ranked',
      ),
  }),
  output: z.object({
    results: z.array(RecommendationOutputSchema).describe('Recommended specs, highest total first'),
    weights: z
      .object({
        cost: z.number().describe('Weight used for cost'),
        performance: z.number().describe('Weight used for performance'),
        distance: z.number().describe('Weight used for distance'),
        latency: z.number().describe('Weight used for latency'),
      })
      .describe('The weights applied, defaults filled in'),
    count: z.number().int().describe('How many results are returned'),
  }),
  annotations: READ_ONLY,
  async handler(input, services) {
    const weights = {
      cost: input.weights?.cost ?? 1,
      performance: input.weights?.performance ?? 0,
      distance: input.weights?.distance ?? 0,
      latency: input.weights?.latency ?? 0,
    };
    const catalog = await services.catalog();
    const recommendations = await catalog.recommendSpecs({ ...input, weights, limit: input.limit ?? 10 });
    const results = recommendations.map((recommendation) => ({
      ...specHitOutput(recommendation),
      total: round(recommendation.total),
      parts: {
        cost: round(recommendation.parts.cost),
        performance: round(recommendation.parts.performance),
        distance: round(recommendation.parts.distance),
        latency: round(recommendation.parts.latency),
      },
    }));
    const weighed = (Object.keys(weights) as (keyof typeof weights)[]).filter((key) => weights[key] > 0);
    const lines = results.slice(0, 10).map((result, index) => {
      const parts = weighed.map((key) => `${key} ${result.parts[key].toFixed(2)}`).join(', ');
      return `${index + 1}. ${describeSpec(result)}${result.distanceKm === null ? '' : `, ${result.distanceKm} km`}; score ${result.total.toFixed(2)} (${parts})`;
    });
    return {
      structured: { results, weights, count: results.length },
      text:
        results.length === 0
          ? 'No spec passes the filters; loosen one (price, GPU model, near radius, providers).'
          : [`Weights: ${weighed.map((key) => `${key} ${weights[key]}`).join(', ')}`, ...lines].join('\n'),
    };
  },
});
