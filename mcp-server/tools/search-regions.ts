import { z } from 'zod';
import { ProviderIdSchema } from '../../drivers/spec/index.ts';
import { defineTool, READ_ONLY } from '../tool.ts';
import { NearInputSchema } from './search-specs.ts';

export const RegionOutputSchema = z.object({
  regionId: z
    .string()
    .describe('Region id "provider+region"; pass it to searchSpecs regions or searchImages region'),
  provider: z.string().describe('Provider id'),
  code: z.string().describe('The provider\'s own region code, e.g. "ap-northeast-2"'),
  displayName: z.string().describe('Human name, e.g. "South Korea (Seoul)"'),
  city: z.string().nullable().describe('City the region is in or near, when known'),
  countryCode: z.string().nullable().describe('ISO 3166-1 alpha-2 of the region, when known'),
  continent: z.string().nullable().describe('Continent, when known'),
  latitude: z.number().describe('Latitude of the region, degrees'),
  longitude: z.number().describe('Longitude of the region, degrees'),
  zones: z.array(z.string()).describe('Availability zone codes; empty when the provider has none there'),
  distanceKm: z.number().nullable().describe('Distance from the "near" place, km; null without near'),
  relevance: z.number().nullable().describe('Text match 0..1 (higher is closer); null without text'),
});

export const searchRegions = defineTool({
  name: 'searchRegions',
  title: 'Search cloud regions',
  description:
    'Finds cloud regions of all ten providers by free text (a region code, city or country, English or Korean: "seoul", "서울", "eu-central-1"), country code, providers, or nearness to a place, with coordinates, zones and distance. ' +
    'Use it to learn which regions exist where before choosing specs, or to turn a place the person named into region ids. ' +
    'Read-only. Next: searchSpecs or recommendSpecs with regions [regionId] or near {place}; searchImages with region.',
  input: z.object({
    text: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Free text: a region code, a city or a country, English or Korean, e.g. "Frankfurt", "서울"'),
    countryCode: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'countryCode is two letters, ISO 3166-1 alpha-2, e.g. "KR"')
      .optional()
      .describe('Only regions in this country, ISO 3166-1 alpha-2, e.g. "KR", "DE"'),
    providers: z.array(ProviderIdSchema).max(10).optional().describe('Only these providers'),
    near: NearInputSchema.optional(),
    limit: z
      .number()
      .int()
      .positive()
      .max(200)
      .optional()
      .describe('Regions to return, default 20, at most 200'),
  }),
  output: z.object({
    results: z
      .array(RegionOutputSchema)
      .describe('Matching regions: by relevance with text, else nearest first with near'),
    count: z.number().int().describe('How many results are returned'),
  }),
  annotations: READ_ONLY,
  async handler(input, services) {
    const catalog = await services.catalog();
    const hits = await catalog.searchRegions({ ...input, limit: input.limit ?? 20 });
    const results = hits.map((hit) => ({
      regionId: hit.region.id,
      provider: hit.region.provider,
      code: hit.region.code,
      displayName: hit.region.displayName,
      city: hit.region.city ?? null,
      countryCode: hit.region.countryCode ?? null,
      continent: hit.region.continent ?? null,
      latitude: hit.region.latitude,
      longitude: hit.region.longitude,
      zones: hit.region.zones.map((zone) => zone.code),
      distanceKm: hit.distanceKm === null ? null : Math.round(hit.distanceKm),
      relevance: hit.score,
    }));
    const lines = results
      .slice(0, 20)
      .map(
        (region, index) =>
          `${index + 1}. ${region.regionId} — ${region.displayName}${region.countryCode ? ` [${region.countryCode}]` : ''}${region.distanceKm === null ? '' : `, ${region.distanceKm} km`}`,
      );
    return {
      structured: { results, count: results.length },
      text:
        results.length === 0
          ? 'No region matches; drop a filter, widen near.radiusKm, or try the English or Korean name.'
          : lines.join('\n'),
    };
  },
});
