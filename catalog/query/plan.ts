/**
 * From a validated query to a plan both engines (the LanceDB/in-memory one and the brute-force
 * reference) execute: places become region ids with distances (catalog/places), GPU names become
 * model keys (catalog/gpu), the latency reference becomes a region, and contradictions become errors
 * that say what to change.
 */
import type { z } from 'zod';
import { type Arch, PROVIDERS, type ProviderId } from '../../drivers/spec/index.ts';
import { GPU_FACTS, normalizeGpuModel } from '../gpu/index.ts';
import { coordinatesPlace, distanceKm, regionsNear, resolvePlaces } from '../places/index.ts';
import type { CatalogRegion } from '../schemas.ts';
import type {
  NearSchema,
  RecommendSpecsInputSchema,
  ResolvedPlace,
  SearchImagesInputSchema,
  SearchRegionsInputSchema,
  SearchSpecsInputSchema,
  SORT_KEYS,
} from '../types.ts';
import { CatalogInputError } from './validate.ts';

export type SortKey = (typeof SORT_KEYS)[number];

/** What the planner needs to know of the world. */
export interface QueryWorld {
  /** Every region, restricted ones included, by id order. */
  regions: readonly CatalogRegion[];
  regionById: ReadonlyMap<string, CatalogRegion>;
  /** RTT in ms, from → to → rtt (Cloud-Barista's 2022 matrix; six providers). */
  latency: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** GPU model keys that occur in the specs. */
  gpuKeys: readonly string[];
}

export function makeQueryWorld(
  regions: readonly CatalogRegion[],
  latencyRows: readonly { from: string; to: string; rttMs: number }[],
  gpuKeys: Iterable<string>,
): QueryWorld {
  const sorted = [...regions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const latency = new Map<string, Map<string, number>>();
  for (const row of latencyRows) {
    let targets = latency.get(row.from);
    if (!targets) {
      targets = new Map();
      latency.set(row.from, targets);
    }
    targets.set(row.to, row.rttMs);
  }
  return {
    regions: sorted,
    regionById: new Map(sorted.map((region) => [region.id, region])),
    latency,
    gpuKeys: [...new Set(gpuKeys)].sort(),
  };
}

export interface SpecPlan {
  text: string | undefined;
  minVcpu: number | undefined;
  maxVcpu: number | undefined;
  minMemoryGiB: number | undefined;
  maxMemoryGiB: number | undefined;
  /** Present when GPUs are required: the model keys allowed (GPUs only unless a model is named). */
  gpu: { keys: ReadonlySet<string>; minCount: number; minMemoryGiB: number | undefined } | undefined;
  noGpu: boolean;
  arch: Arch | undefined;
  /** Price by spot price (and only specs with one). */
  spot: boolean;
  /** USD per hour, of the price in use. */
  maxPricePerHour: number | undefined;
  /** null: every provider. */
  providers: ReadonlySet<ProviderId> | null;
  /** null: every region that is not restricted; else exactly these (restricted ones only when named). */
  regionIds: ReadonlySet<string> | null;
  /** Region id → km from the `near` place (the nearest one when the text names several). */
  distanceKm: ReadonlyMap<string, number> | null;
  /** The region latency is measured from (latencyFrom, else the region nearest the `near` place). */
  latencyFrom: string | null;
  /** Region id → RTT from `latencyFrom`, for the regions the matrix has. */
  latencyMs: ReadonlyMap<string, number> | null;
  sort: SortKey;
  limit: number;
}

type SearchSpecsParsed = z.output<typeof SearchSpecsInputSchema>;
type RecommendParsed = z.output<typeof RecommendSpecsInputSchema>;

/** Plans searchSpecs and recommendSpecs (which has no sort; it ranks by weights). */
export function planSpecs(
  input: SearchSpecsParsed | (RecommendParsed & { sort?: undefined }),
  world: QueryWorld,
): SpecPlan {
  const sort: SortKey = input.sort ?? 'cost';
  if (input.minVcpu !== undefined && input.maxVcpu !== undefined && input.minVcpu > input.maxVcpu) {
    throw new CatalogInputError(
      `minVcpu (${input.minVcpu}) is above maxVcpu (${input.maxVcpu}); swap or drop one`,
    );
  }
  if (
    input.minMemoryGiB !== undefined &&
    input.maxMemoryGiB !== undefined &&
    input.minMemoryGiB > input.maxMemoryGiB
  ) {
    throw new CatalogInputError(
      `minMemoryGiB (${input.minMemoryGiB}) is above maxMemoryGiB (${input.maxMemoryGiB}); swap or drop one`,
    );
  }
  if (input.gpu && input.noGpu) {
    throw new CatalogInputError('gpu and noGpu contradict each other; keep one');
  }

  let providers: Set<ProviderId> | null = null;
  if (input.providers || input.excludeProviders) {
    const excluded = new Set(input.excludeProviders ?? []);
    providers = new Set((input.providers ?? PROVIDERS).filter((provider) => !excluded.has(provider)));
  }

  let regionIds: Set<string> | null = null;
  if (input.regions) {
    const unknown = input.regions.filter((id) => !world.regionById.has(id));
    if (unknown.length > 0) {
      throw new CatalogInputError(
        `unknown region id(s) ${unknown.slice(0, 5).join(', ')}; region ids are "provider+region" such as aws+ap-northeast-2 (searchRegions lists them)`,
      );
    }
    regionIds = new Set(input.regions);
  }

  let distances: Map<string, number> | null = null;
  let nearPlaces: ResolvedPlace[] = [];
  if (input.near) {
    nearPlaces = placesOf(input.near.place, input.near.radiusKm, world);
    distances = nearRegions(nearPlaces, input.near.radiusKm, world);
    const near = new Set(distances.keys());
    const base = regionIds;
    regionIds = base
      ? new Set([...base].filter((id) => near.has(id)))
      : // Not named: restricted regions stay out, as they do without `near`.
        new Set([...near].filter((id) => world.regionById.get(id)?.restricted === undefined));
  }

  let latencyFrom: string | null = null;
  if (input.latencyFrom !== undefined) {
    latencyFrom = latencyReference(input.latencyFrom, world);
  } else if (nearPlaces[0]) {
    latencyFrom = nearestMeasuredRegion(nearPlaces[0], world);
  }
  const latencyMs = latencyFrom ? latencyMap(latencyFrom, world) : null;

  if (sort === 'distance' && !distances) {
    throw new CatalogInputError(
      'sort "distance" needs near (a place or coordinates); add near or sort by cost',
    );
  }
  if (sort === 'latency' && !latencyMs) {
    throw new CatalogInputError(
      'sort "latency" needs latencyFrom (a region id or a place) or near; add one or sort by cost',
    );
  }

  let gpu: SpecPlan['gpu'];
  if (input.gpu) {
    gpu = {
      keys: input.gpu.model === undefined ? graphicsKeys(world) : gpuKeysFor(input.gpu.model, world),
      minCount: input.gpu.minCount,
      minMemoryGiB: input.gpu.minMemoryGiB,
    };
  }

  const text = input.text?.trim();
  return {
    text: text ? text : undefined,
    minVcpu: input.minVcpu,
    maxVcpu: input.maxVcpu,
    minMemoryGiB: input.minMemoryGiB,
    maxMemoryGiB: input.maxMemoryGiB,
    gpu,
    noGpu: input.noGpu ?? false,
    arch: input.arch,
    spot: input.spot ?? false,
    maxPricePerHour: input.maxPricePerHour,
    providers,
    regionIds,
    distanceKm: distances,
    latencyFrom,
    latencyMs,
    sort,
    limit: input.limit,
  };
}

/** Vendors whose accelerators are GPUs. */
export const GPU_VENDORS: ReadonlySet<string> = new Set(['NVIDIA', 'AMD']);

/**
 * What `gpu` without a model matches: GPUs (NVIDIA, AMD). Other accelerators in the `gpu` field
 * (AWS Inferentia and Trainium, Habana Gaudi, FPGAs) run no CUDA or ROCm workload, so they are matched
 * only when asked for by model ("Inferentia2").
 */
export function graphicsKeys(world: QueryWorld): Set<string> {
  return new Set(world.gpuKeys.filter((key) => GPU_VENDORS.has(GPU_FACTS[key]?.vendor ?? '')));
}

/**
 * GPU model keys a requested model matches: its catalog key (catalog/gpu) and that key's memory
 * variants ("A100" also matches "A100-80GB"; "A100 80GB" only the 80 GB one).
 */
export function gpuKeysFor(model: string, world: QueryWorld): Set<string> {
  const key = normalizeGpuModel(model)?.key;
  if (key !== undefined) {
    return new Set([key, ...world.gpuKeys.filter((known) => known.startsWith(`${key}-`))]);
  }
  const wanted = model.trim().toLowerCase();
  const exact = world.gpuKeys.filter((known) => known.toLowerCase() === wanted);
  if (exact.length > 0) return new Set(exact);
  throw new CatalogInputError(
    `unknown GPU model "${model}"; known models: ${world.gpuKeys.filter((known) => /^[A-Z]+\d/.test(known)).join(', ')}`,
  );
}

function placesOf(
  place: z.output<typeof NearSchema>['place'],
  radiusKm: number | undefined,
  world: QueryWorld,
): ResolvedPlace[] {
  if (typeof place !== 'string') return [coordinatesPlace(place.latitude, place.longitude, radiusKm)];
  const places = resolvePlaces(place, world.regions);
  if (places.length === 0) {
    throw new CatalogInputError(
      `no place found in "${place}"; name a city, country or area ("Seoul", "서울", "Europe", "US east") or give {latitude, longitude}`,
    );
  }
  return places;
}

/** Regions near any of the places, each with its distance to the nearest place. */
function nearRegions(
  places: readonly ResolvedPlace[],
  radiusKm: number | undefined,
  world: QueryWorld,
): Map<string, number> {
  const distances = new Map<string, number>();
  for (const place of places) {
    for (const hit of regionsNear(place, world.regions, radiusKm)) {
      const known = distances.get(hit.region.id);
      if (known === undefined || hit.distanceKm < known) distances.set(hit.region.id, hit.distanceKm);
    }
  }
  return distances;
}

function latencyReference(text: string, world: QueryWorld): string {
  if (world.regionById.has(text)) return text;
  const [place] = resolvePlaces(text, world.regions);
  if (!place) {
    throw new CatalogInputError(
      `latencyFrom "${text}" is neither a region id ("aws+ap-northeast-2") nor a place ("Seoul")`,
    );
  }
  return nearestMeasuredRegion(place, world);
}

/** The region nearest the place among those the latency matrix measured (ties by id). */
function nearestMeasuredRegion(place: ResolvedPlace, world: QueryWorld): string {
  let best: { id: string; km: number } | undefined;
  for (const region of world.regions) {
    if (!world.latency.has(region.id)) continue;
    const km = distanceKm(place, region);
    if (!best || km < best.km) best = { id: region.id, km };
  }
  if (!best) throw new CatalogInputError('the catalog has no latency measurements');
  return best.id;
}

function latencyMap(from: string, world: QueryWorld): Map<string, number> {
  const result = new Map<string, number>();
  const outgoing = world.latency.get(from);
  for (const region of world.regions) {
    const rtt = outgoing?.get(region.id) ?? world.latency.get(region.id)?.get(from);
    if (rtt !== undefined) result.set(region.id, rtt);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Regions and images
// ---------------------------------------------------------------------------------------------

export interface RegionPlan {
  text: string | undefined;
  countryCode: string | undefined;
  providers: ReadonlySet<ProviderId> | null;
  /** Region id → km, when `near` was given (only those regions). */
  distanceKm: ReadonlyMap<string, number> | null;
  limit: number;
}

export function planRegions(input: z.output<typeof SearchRegionsInputSchema>, world: QueryWorld): RegionPlan {
  const text = input.text?.trim();
  return {
    text: text ? text : undefined,
    countryCode: input.countryCode?.toUpperCase(),
    providers: input.providers ? new Set(input.providers) : null,
    distanceKm: input.near
      ? nearRegions(placesOf(input.near.place, input.near.radiusKm, world), input.near.radiusKm, world)
      : null,
    limit: input.limit,
  };
}

export interface ImagePlan {
  text: string | undefined;
  regionId: string | undefined;
  os: string | undefined;
  /** Matches the version itself or any version below it: "22" matches "22.04". */
  osVersion: string | undefined;
  arch: Arch | undefined;
  gpuReady: boolean | undefined;
  limit: number;
}

export function planImages(input: z.output<typeof SearchImagesInputSchema>, world: QueryWorld): ImagePlan {
  if (input.region !== undefined && !world.regionById.has(input.region)) {
    throw new CatalogInputError(
      `unknown region id "${input.region}"; region ids are "provider+region" such as aws+ap-northeast-2`,
    );
  }
  const text = input.text?.trim();
  return {
    text: text ? text : undefined,
    regionId: input.region,
    os: input.os?.trim().toLowerCase() || undefined,
    osVersion: input.osVersion?.trim() || undefined,
    arch: input.arch,
    gpuReady: input.gpuReady,
    limit: input.limit,
  };
}

/** Does an image's version match the requested one ("22" → "22.04", "22.04" → "22.04")? */
export function osVersionMatches(version: string, wanted: string): boolean {
  return version === wanted || version.startsWith(`${wanted}.`);
}
