/**
 * The reference: the catalog's query semantics written out plainly over the loaders' arrays, with
 * no index, no columns and no SQL. Tests compare the `Catalog` with it, and the benchmark runs the
 * same queries through both.
 *
 * Shared with the engine: validation (the contract's schemas), planning (places → region ids,
 * GPU names → keys, latency reference), the embedding and the row texts. Filtering, scoring and
 * ordering are written again here on purpose.
 */
import type { Image, Spec } from '../../drivers/spec/index.ts';
import {
  countryNameOf,
  type EmbeddingFunction,
  gpuKeyOfModel,
  roundToHalf,
  specText,
  toUsd,
} from '../index/index.ts';
import { imageText, regionText } from '../index/rows.ts';
import { PLACEHOLDER_SOURCE } from '../load/index.ts';
import { performanceScore } from '../performance.ts';
import type { CatalogRegion } from '../schemas.ts';
import {
  type Recommendation,
  type RecommendSpecsInput,
  RecommendSpecsInputSchema,
  type RegionHit,
  type SearchImagesInput,
  SearchImagesInputSchema,
  type SearchRegionsInput,
  SearchRegionsInputSchema,
  type SearchSpecsInput,
  SearchSpecsInputSchema,
  type SpecHit,
} from '../types.ts';
import {
  makeQueryWorld,
  osVersionMatches,
  planImages,
  planRegions,
  planSpecs,
  type QueryWorld,
  type SpecPlan,
} from './plan.ts';
import { parseInput } from './validate.ts';

export interface BruteForceData {
  regions: CatalogRegion[];
  specs: Spec[];
  images: Image[];
  latency: { from: string; to: string; rttMs: number }[];
}

const RECOMMEND_TEXT_CANDIDATES = 100;
const countryName = countryNameOf;

function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index] as number;
    const y = b[index] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 1 : 1 - dot / Math.sqrt(normA * normB);
}

function score(distance: number): number {
  return Math.round(Math.min(1, Math.max(0, 1 - distance)) * 10_000) / 10_000;
}

function byId(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Unknown (null) after every known value. */
function nullsLast(a: number | null, b: number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

export class BruteForceCatalog {
  readonly world: QueryWorld;
  readonly #data: BruteForceData;
  readonly #embedding: EmbeddingFunction;
  #specVectors: Promise<Float32Array[]> | undefined;
  #regionVectors: Promise<Float32Array[]> | undefined;
  #imageVectors: Promise<Float32Array[]> | undefined;

  constructor(data: BruteForceData, embedding: EmbeddingFunction) {
    this.#data = data;
    this.#embedding = embedding;
    const keys = data.specs.flatMap((spec) => (spec.gpu ? [gpuKeyOfModel(spec.gpu.model)] : []));
    this.world = makeQueryWorld(data.regions, data.latency, keys);
  }

  async searchSpecs(input: SearchSpecsInput): Promise<SpecHit[]> {
    const plan = planSpecs(parseInput(SearchSpecsInputSchema, input, 'searchSpecs'), this.world);
    const hits = await this.#filteredHits(plan);
    hits.sort((a, b) => {
      if (plan.text !== undefined && a.score !== b.score) return (b.score ?? 0) - (a.score ?? 0);
      switch (plan.sort) {
        case 'cost':
          return nullsLast(a.pricePerHour, b.pricePerHour) || byId(a.spec.id, b.spec.id);
        case 'performance':
          return (
            b.performance - a.performance ||
            nullsLast(a.pricePerHour, b.pricePerHour) ||
            byId(a.spec.id, b.spec.id)
          );
        case 'distance':
          return (
            nullsLast(a.distanceKm, b.distanceKm) ||
            nullsLast(a.pricePerHour, b.pricePerHour) ||
            byId(a.spec.id, b.spec.id)
          );
        default: // latency
          return (
            nullsLast(a.latencyMs, b.latencyMs) ||
            nullsLast(a.pricePerHour, b.pricePerHour) ||
            byId(a.spec.id, b.spec.id)
          );
      }
    });
    return hits.slice(0, plan.limit);
  }

  async recommendSpecs(input: RecommendSpecsInput): Promise<Recommendation[]> {
    const parsed = parseInput(RecommendSpecsInputSchema, input, 'recommendSpecs');
    const plan = planSpecs(parsed, this.world);
    const weights = parsed.weights;
    let hits = await this.#filteredHits(plan);
    if (plan.text !== undefined) {
      hits.sort(
        (a, b) =>
          (b.score ?? 0) - (a.score ?? 0) ||
          nullsLast(a.pricePerHour, b.pricePerHour) ||
          byId(a.spec.id, b.spec.id),
      );
      hits = hits.slice(0, Math.max(RECOMMEND_TEXT_CANDIDATES, plan.limit * 5));
    }
    const span = (values: (number | null)[]) => {
      const known = values.filter((value): value is number => value !== null);
      return known.length === 0 ? null : { min: Math.min(...known), max: Math.max(...known) };
    };
    const part = (value: number | null, range: { min: number; max: number } | null, lowIsGood: boolean) => {
      if (value === null || range === null) return 0;
      if (range.min === range.max) return 1;
      const high = (value - range.min) / (range.max - range.min);
      return lowIsGood ? 1 - high : high;
    };
    const price = span(hits.map((hit) => hit.pricePerHour));
    const performance = span(hits.map((hit) => hit.performance));
    const distance = span(hits.map((hit) => hit.distanceKm));
    const latency = span(hits.map((hit) => hit.latencyMs));
    const weightSum = weights.cost + weights.performance + weights.distance + weights.latency;
    const recommendations = hits.map((hit): Recommendation => {
      const parts = {
        cost: part(hit.pricePerHour, price, true),
        performance: part(hit.performance, performance, false),
        distance: part(hit.distanceKm, distance, true),
        latency: part(hit.latencyMs, latency, true),
      };
      const total =
        (weights.cost * parts.cost +
          weights.performance * parts.performance +
          weights.distance * parts.distance +
          weights.latency * parts.latency) /
        weightSum;
      return { ...hit, total: Math.round(total * 1e9) / 1e9, parts };
    });
    recommendations.sort(
      (a, b) => b.total - a.total || nullsLast(a.pricePerHour, b.pricePerHour) || byId(a.spec.id, b.spec.id),
    );
    return recommendations.slice(0, plan.limit);
  }

  async searchRegions(input: SearchRegionsInput): Promise<RegionHit[]> {
    const plan = planRegions(parseInput(SearchRegionsInputSchema, input, 'searchRegions'), this.world);
    const query = plan.text === undefined ? undefined : await this.#queryVector(plan.text);
    const vectors = query ? await this.#vectors('regions') : [];
    const hits: RegionHit[] = [];
    this.#data.regions.forEach((region, index) => {
      if (plan.providers && !plan.providers.has(region.provider)) return;
      if (plan.countryCode && region.countryCode !== plan.countryCode) return;
      if (plan.distanceKm && !plan.distanceKm.has(region.id)) return;
      hits.push({
        region,
        distanceKm: plan.distanceKm?.get(region.id) ?? null,
        score: query ? score(cosineDistance(vectors[index] as Float32Array, query)) : null,
      });
    });
    hits.sort(
      (a, b) =>
        (b.score ?? 0) - (a.score ?? 0) ||
        (a.distanceKm ?? 0) - (b.distanceKm ?? 0) ||
        byId(a.region.id, b.region.id),
    );
    return hits.slice(0, plan.limit);
  }

  async searchImages(input: SearchImagesInput): Promise<Image[]> {
    const plan = planImages(parseInput(SearchImagesInputSchema, input, 'searchImages'), this.world);
    const query = plan.text === undefined ? undefined : await this.#queryVector(plan.text);
    const vectors = query ? await this.#vectors('images') : [];
    const hits: { image: Image; score: number }[] = [];
    this.#data.images.forEach((image, index) => {
      if (plan.regionId && `${image.provider}+${image.region}` !== plan.regionId) return;
      if (plan.os && image.os !== plan.os) return;
      if (plan.osVersion && !osVersionMatches(image.osVersion, plan.osVersion)) return;
      if (plan.arch && image.arch !== plan.arch) return;
      if (plan.gpuReady !== undefined && image.gpuReady !== plan.gpuReady) return;
      hits.push({ image, score: query ? score(cosineDistance(vectors[index] as Float32Array, query)) : 0 });
    });
    const placeholder = (image: Image) => (image.source === PLACEHOLDER_SOURCE ? 1 : 0);
    hits.sort(
      (a, b) =>
        b.score - a.score ||
        placeholder(a.image) - placeholder(b.image) ||
        b.image.osVersion.localeCompare(a.image.osVersion, 'en', { numeric: true }) ||
        byId(a.image.id, b.image.id),
    );
    return hits.slice(0, plan.limit).map((hit) => hit.image);
  }

  /** Every spec the plan's filters let through, as hits (scored when the plan has text). */
  async #filteredHits(plan: SpecPlan): Promise<SpecHit[]> {
    const query = plan.text === undefined ? undefined : await this.#queryVector(plan.text);
    const vectors = query ? await this.#vectors('specs') : [];
    const hits: SpecHit[] = [];
    this.#data.specs.forEach((spec, index) => {
      const regionId = `${spec.provider}+${spec.region}`;
      const region = this.world.regionById.get(regionId);
      if (!region) return;
      if (plan.providers && !plan.providers.has(spec.provider)) return;
      if (plan.regionIds ? !plan.regionIds.has(regionId) : region.restricted !== undefined) return;
      if (plan.minVcpu !== undefined && spec.vcpu < plan.minVcpu) return;
      if (plan.maxVcpu !== undefined && spec.vcpu > plan.maxVcpu) return;
      if (plan.minMemoryGiB !== undefined && spec.memoryGiB < plan.minMemoryGiB) return;
      if (plan.maxMemoryGiB !== undefined && spec.memoryGiB > plan.maxMemoryGiB) return;
      if (plan.arch !== undefined && spec.arch !== plan.arch) return;
      if (plan.noGpu && spec.gpu !== null) return;
      if (plan.gpu) {
        if (spec.gpu === null || spec.gpu.count < plan.gpu.minCount) return;
        if (
          plan.gpu.minMemoryGiB !== undefined &&
          (spec.gpu.memoryGiB === null || spec.gpu.memoryGiB < plan.gpu.minMemoryGiB)
        ) {
          return;
        }
        if (!plan.gpu.keys.has(gpuKeyOfModel(spec.gpu.model))) return;
      }
      const price = toUsd(plan.spot ? spec.spotPricePerHour : spec.pricePerHour, spec.currency);
      if (plan.spot && price === null) return;
      if (plan.maxPricePerHour !== undefined && (price === null || price > plan.maxPricePerHour)) return;
      hits.push({
        spec,
        region,
        pricePerHour: price,
        performance: performanceScore(spec),
        distanceKm: plan.distanceKm?.get(regionId) ?? null,
        latencyMs: plan.latencyMs?.get(regionId) ?? null,
        score: query ? score(cosineDistance(vectors[index] as Float32Array, query)) : null,
      });
    });
    return hits;
  }

  /** LanceDB stores vectors as float16 and compares the query as float16 too: so does the reference. */
  async #queryVector(text: string): Promise<Float32Array> {
    const [vector] = await this.#embedding.embed([text]);
    if (!vector) throw new Error('embedding returned no vector');
    return roundToHalf(vector);
  }

  #vectors(table: 'specs' | 'regions' | 'images'): Promise<Float32Array[]> {
    const embed = async (texts: string[]) => (await this.#embedding.embed(texts)).map(roundToHalf);
    const regions = this.world.regionById;
    if (table === 'specs') {
      this.#specVectors ??= embed(
        this.#data.specs.map((spec) =>
          specText(spec, regions.get(`${spec.provider}+${spec.region}`) as CatalogRegion, countryName),
        ),
      );
      return this.#specVectors;
    }
    if (table === 'regions') {
      this.#regionVectors ??= embed(this.#data.regions.map((region) => regionText(region, countryName)));
      return this.#regionVectors;
    }
    this.#imageVectors ??= embed(
      this.#data.images.map((image) =>
        imageText(image, regions.get(`${image.provider}+${image.region}`), countryName),
      ),
    );
    return this.#imageVectors;
  }
}
