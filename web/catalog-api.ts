/**
 * The catalog explorer's API: specs and prices through the searchSpecs tool, cheapest first, each
 * with its region's coordinates so the results can go on the map.
 */
import { z } from 'zod';
import { PROVIDERS } from '../drivers/spec/index.ts';
import type { ApiHandler } from './context.ts';
import type { CatalogSpecsView, CatalogSpecView } from './dashboard-types.ts';
import { regionPlace } from './regions.ts';
import { json, jsonError } from './responses.ts';

/** The searchSpecs tool returns at most this many. */
export const MAX_CATALOG_RESULTS = 100;
const DEFAULT_LIMIT = 50;

const number = (field: string) =>
  z.coerce.number({ error: `${field} must be a number` }).positive(`${field} must be more than 0`);

// Query strings carry text only: empty fields mean "no filter", numbers are coerced and bounded.
const QuerySchema = z.object({
  gpu: z.string().trim().max(100).optional(),
  minVcpu: number('minVcpu').max(1024, 'minVcpu must be at most 1024').optional(),
  minMemoryGiB: number('minMemoryGiB').max(65_536, 'minMemoryGiB must be at most 65536').optional(),
  maxPricePerHour: number('maxPricePerHour').max(10_000, 'maxPricePerHour must be at most 10000').optional(),
  near: z.string().trim().max(200, 'near must be at most 200 characters').optional(),
  radiusKm: number('radiusKm').max(20_000, 'radiusKm must be at most 20000').optional(),
  provider: z
    .string()
    .trim()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.enum(PROVIDERS, { error: `provider must be one of ${PROVIDERS.join(', ')}` }))
        .max(PROVIDERS.length),
    )
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a whole number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_CATALOG_RESULTS, `limit must be at most ${MAX_CATALOG_RESULTS}`)
    .optional(),
});

const SpecHitSchema = z.object({
  specId: z.string(),
  provider: z.string(),
  regionId: z.string(),
  regionName: z.string(),
  countryCode: z.string().nullable(),
  name: z.string(),
  vcpu: z.number(),
  memoryGiB: z.number(),
  arch: z.string(),
  gpu: z.object({ model: z.string(), count: z.number(), memoryGiB: z.number().nullable() }).nullable(),
  pricePerHour: z.number().nullable(),
  pricePerMonth: z.number().nullable(),
  distanceKm: z.number().nullable(),
});
const SearchSpecsOutputSchema = z.object({ results: z.array(SpecHitSchema) });

const QUERY_HELP =
  'Use gpu (a model such as "A100", or "any"), minVcpu, minMemoryGiB, maxPricePerHour, near (a place such as "Seoul" or "서울"), radiusKm, provider (e.g. "aws" or "aws,gcp") and limit (1–100).';

export const handleCatalogSpecs: ApiHandler = async (request, context) => {
  const url = new URL(request.url);
  // Empty fields of a submitted form are absent filters, not zero.
  const raw = Object.fromEntries([...url.searchParams].filter(([, value]) => value.trim() !== ''));
  const parsed = QuerySchema.safeParse(raw);
  if (!parsed.success)
    return jsonError(
      400,
      'INVALID_INPUT',
      parsed.error.issues.map((issue) => issue.message).join('; '),
      QUERY_HELP,
    );
  const query = parsed.data;
  if (query.radiusKm !== undefined && !query.near)
    return jsonError(400, 'INVALID_INPUT', 'radiusKm needs near', 'Add near (a place), or drop radiusKm.');

  const gpu = query.gpu?.toLowerCase();
  const input: Record<string, unknown> = {
    sort: 'cost',
    limit: query.limit ?? DEFAULT_LIMIT,
    ...(gpu ? { gpu: gpu === 'any' ? {} : { model: query.gpu } } : {}),
    ...(query.minVcpu !== undefined ? { minVcpu: query.minVcpu } : {}),
    ...(query.minMemoryGiB !== undefined ? { minMemoryGiB: query.minMemoryGiB } : {}),
    ...(query.maxPricePerHour !== undefined ? { maxPricePerHour: query.maxPricePerHour } : {}),
    ...(query.near
      ? { near: { place: query.near, ...(query.radiusKm !== undefined ? { radiusKm: query.radiusKm } : {}) } }
      : {}),
    ...(query.provider && query.provider.length > 0 ? { providers: query.provider } : {}),
  };
  const outcome = await context.tools.callTool('searchSpecs', input);
  if (outcome.isError) {
    const code = outcome.error?.code ?? 'INTERNAL';
    // Bad filters (an unknown place, a GPU model nobody sells) are the person's to fix: 400.
    const status = code === 'INVALID_INPUT' || code === 'PLACE_NOT_FOUND' ? 400 : 500;
    return jsonError(
      status,
      code,
      outcome.error?.message ?? outcome.text,
      status === 400
        ? `Change the filter the message names. ${QUERY_HELP}`
        : 'Retry; if it keeps failing, see the server log.',
    );
  }
  const { results } = SearchSpecsOutputSchema.parse(outcome.structured);
  const rows: CatalogSpecView[] = results.map((hit) => {
    const place = regionPlace(hit.regionId);
    return { ...hit, latitude: place?.latitude ?? null, longitude: place?.longitude ?? null };
  });
  const view: CatalogSpecsView = { results: rows, count: rows.length };
  return json(view);
};
