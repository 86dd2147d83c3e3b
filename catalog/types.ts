/**
 * The catalog's query contract, shared by its parts (places, GPU names, index, refresh) and used by
 * the MCP tools and the agent. Inputs are zod schemas (validated at the edge); results are plain
 * types. Everything answers offline.
 */
import { z } from 'zod';
import {
  ArchSchema,
  type Image,
  type ProviderId,
  ProviderIdSchema,
  type Region,
  type Spec,
} from '../drivers/spec/index.ts';

export type { Image, Region, Spec } from '../drivers/spec/index.ts';

export const ProviderSchema = z.object({
  id: ProviderIdSchema,
  displayName: z.string().describe('e.g. "Amazon Web Services"'),
  regions: z.number().int().nonnegative(),
  specs: z.number().int().nonnegative(),
  /** When the provider's rows were last refreshed from a driver; null: only the shipped data. */
  refreshedAt: z.string().nullable(),
  /** Date of the shipped data the rows came from (oldest source), ISO 8601. */
  dataAsOf: z.string(),
});
export type Provider = z.infer<typeof ProviderSchema>;

export const LatencySchema = z.object({
  from: z.string().describe('Region id "provider+region"'),
  to: z.string(),
  rttMs: z.number().nonnegative(),
});
export type Latency = z.infer<typeof LatencySchema>;

// ---------------------------------------------------------------------------------------------
// Places: "Seoul", "서울", "near Paris", "Korea", "한국", "US east", "Europe", "Tokyo or Osaka".
// ---------------------------------------------------------------------------------------------

export interface ResolvedPlace {
  /** What the text named, normalised: "Seoul", "Korea", "Europe", "US East". */
  name: string;
  kind: 'city' | 'country' | 'continent' | 'area' | 'coordinates' | 'region';
  latitude: number;
  longitude: number;
  /** ISO 3166-1 alpha-2, for cities and countries. */
  countryCode?: string;
  /** For continents and areas: the region ids inside it (a country's regions are found by code). */
  regionIds?: string[];
  /** Default search radius for "near X": a city ~800 km, a country its extent. */
  radiusKm: number;
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

const PlaceInputSchema = z.union([
  z.string().min(1).describe('A place in words: "Seoul", "서울", "Frankfurt", "Korea", "Europe", "US east"'),
  z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
]);

export const NearSchema = z.object({
  place: PlaceInputSchema.describe('Where: words or coordinates'),
  radiusKm: z
    .number()
    .positive()
    .max(20_000)
    .optional()
    .describe('Only regions within this distance; default depends on the place'),
});

export const SearchRegionsInputSchema = z.object({
  text: z.string().optional().describe('Free text: a region code, a city, a country, in English or Korean'),
  countryCode: z.string().length(2).optional().describe('ISO 3166-1 alpha-2, e.g. "KR"'),
  providers: z.array(ProviderIdSchema).optional().describe('Only these providers'),
  near: NearSchema.optional(),
  limit: z.number().int().positive().max(500).default(20),
});
export type SearchRegionsInput = z.input<typeof SearchRegionsInputSchema>;

export interface RegionHit {
  region: Region;
  /** Distance from the `near` place, when one was given. */
  distanceKm: number | null;
  /** Text relevance, 0..1, when `text` was given. */
  score: number | null;
}

export const GpuRequirementSchema = z.object({
  model: z
    .string()
    .optional()
    .describe('GPU model in any common spelling: "A100", "h100 80gb", "엔비디아 A100"'),
  minCount: z.number().positive().default(1).describe('At least this many GPUs per VM'),
  minMemoryGiB: z
    .number()
    .positive()
    .optional()
    .describe('At least this much GPU memory per VM, all GPUs together'),
});

export const SORT_KEYS = ['cost', 'performance', 'distance', 'latency'] as const;

export const SearchSpecsInputSchema = z.object({
  text: z.string().optional().describe('Free text: "cheap gpu for inference", a spec name, a family'),
  minVcpu: z.number().positive().optional(),
  maxVcpu: z.number().positive().optional(),
  minMemoryGiB: z.number().positive().optional(),
  maxMemoryGiB: z.number().positive().optional(),
  gpu: GpuRequirementSchema.optional().describe('Require GPUs; omit for any spec, CPU or GPU'),
  noGpu: z.boolean().optional().describe('Only specs without GPUs'),
  arch: ArchSchema.optional(),
  maxPricePerHour: z
    .number()
    .positive()
    .optional()
    .describe('USD per hour, on-demand (or spot when spot is true)'),
  spot: z.boolean().optional().describe('Price and filter by spot price; only specs that have one'),
  providers: z.array(ProviderIdSchema).optional().describe('Only these providers'),
  excludeProviders: z.array(ProviderIdSchema).optional().describe('Never these providers'),
  regions: z.array(z.string()).optional().describe('Only these region ids, "provider+region"'),
  near: NearSchema.optional().describe('Only regions near a place, sorted by distance when sort is distance'),
  /** Latency reference for sort=latency: region id or place the users are at. */
  latencyFrom: z.string().optional(),
  sort: z.enum(SORT_KEYS).default('cost'),
  limit: z.number().int().positive().max(1000).default(20),
});
export type SearchSpecsInput = z.input<typeof SearchSpecsInputSchema>;

export interface SpecHit {
  spec: Spec;
  region: Region;
  /** The price used for filtering and sorting: spot when asked, else on-demand (USD/h). */
  pricePerHour: number | null;
  /** Documented performance score (see catalog/performance.ts). */
  performance: number;
  distanceKm: number | null;
  latencyMs: number | null;
  /** Text relevance 0..1 when `text` was given. */
  score: number | null;
}

export const SearchImagesInputSchema = z.object({
  region: z.string().optional().describe('Region id "provider+region"'),
  os: z.string().optional().describe('"ubuntu", "debian", "rocky"…'),
  osVersion: z.string().optional().describe('e.g. "22.04"'),
  arch: ArchSchema.optional(),
  gpuReady: z.boolean().optional(),
  text: z.string().optional(),
  limit: z.number().int().positive().max(500).default(20),
});
export type SearchImagesInput = z.input<typeof SearchImagesInputSchema>;

export const WeightsSchema = z.object({
  cost: z.number().min(0).default(1),
  performance: z.number().min(0).default(0),
  distance: z.number().min(0).default(0),
  latency: z.number().min(0).default(0),
});

export const RecommendSpecsInputSchema = SearchSpecsInputSchema.omit({ sort: true }).extend({
  weights: WeightsSchema.prefault({}).describe(
    'How much each criterion matters; they are combined, not ranked',
  ),
});
export type RecommendSpecsInput = z.input<typeof RecommendSpecsInputSchema>;

export interface Recommendation extends SpecHit {
  /** Combined score, higher is better, and its parts, each normalised to 0..1 over the candidates. */
  total: number;
  parts: { cost: number; performance: number; distance: number; latency: number };
}

export const NodeGroupCostInputSchema = z.object({
  specId: z.string().describe('Spec id "provider+region+name"'),
  size: z.number().int().positive().describe('Number of VMs'),
  spot: z.boolean().default(false),
  rootDiskGiB: z.number().int().positive().optional(),
});
export const EstimateCostInputSchema = z.object({ nodeGroups: z.array(NodeGroupCostInputSchema).min(1) });
export type EstimateCostInput = z.input<typeof EstimateCostInputSchema>;

export interface CostEstimate {
  groups: {
    specId: string;
    size: number;
    onDemandPerHour: number | null;
    spotPerHour: number | null;
    currency: string;
  }[];
  /** Sums in USD; null parts (unknown prices) are listed in `unpriced`. */
  totalPerHour: number;
  totalPerMonth: number;
  spotTotalPerHour: number | null;
  unpriced: string[];
  hoursPerMonth: 730;
}

/** What the tools and the agent ask the catalog. */
export interface CatalogQueries {
  listProviders(): Promise<Provider[]>;
  searchRegions(input: SearchRegionsInput): Promise<RegionHit[]>;
  searchSpecs(input: SearchSpecsInput): Promise<SpecHit[]>;
  searchImages(input: SearchImagesInput): Promise<Image[]>;
  recommendSpecs(input: RecommendSpecsInput): Promise<Recommendation[]>;
  estimateCost(input: EstimateCostInput): Promise<CostEstimate>;
  resolvePlaces(text: string): ResolvedPlace[];
  providerOf(id: string): ProviderId | undefined;
}
