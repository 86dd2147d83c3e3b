/**
 * The catalog as the tools and the agent ask it: `Catalog` implements `CatalogQueries`
 * (catalog/types.ts) over the LanceDB index (catalog/index/) and the query engine (catalog/query/).
 *
 *   const catalog = await Catalog.open({ home: '.s2a' });
 *   await catalog.searchSpecs({ gpu: { minMemoryGiB: 24 }, near: { place: '서울' }, sort: 'cost' });
 *
 * Every input is validated with the contract's zod schemas; a bad one throws a CatalogInputError
 * that says what to fix. Answers are deterministic (ties broken by id).
 */
import { isProviderId, PROVIDERS, type ProviderId, splitId } from '../drivers/spec/index.ts';
import { type CatalogConfig, readCatalogConfig } from './config.ts';
import {
  CatalogIndex,
  type EmbeddingFunction,
  embeddingFromConfig,
  type IndexOpenReport,
  type IndexSource,
  ROW_ENRICHER,
  shippedDataFingerprint,
} from './index/index.ts';
import { loadImages, loadLatency, loadRegions, loadSpecs, PROVIDER_DISPLAY_NAMES } from './load/index.ts';
import { resolvePlaces } from './places/index.ts';
import { estimateCost } from './query/cost.ts';
import { QueryEngine, type StructuredEngine } from './query/engine.ts';
import { makeQueryWorld, planImages, planRegions, planSpecs } from './query/plan.ts';
import { parseInput } from './query/validate.ts';
import { catalogStaleness, type RefreshStore } from './refresh/index.ts';
import type { Image, Spec } from './schemas.ts';
import {
  type CatalogQueries,
  type CostEstimate,
  type EstimateCostInput,
  EstimateCostInputSchema,
  type Provider,
  type Recommendation,
  type RecommendSpecsInput,
  RecommendSpecsInputSchema,
  type RegionHit,
  type ResolvedPlace,
  type SearchImagesInput,
  SearchImagesInputSchema,
  type SearchRegionsInput,
  SearchRegionsInputSchema,
  type SearchSpecsInput,
  SearchSpecsInputSchema,
  type SpecHit,
} from './types.ts';

export { CatalogInputError } from './query/validate.ts';

export interface CatalogOpenOptions {
  /** S2A_HOME: the index lives in `<home>/catalog/`. */
  home: string;
  /** Default: the one catalog/config.ts reads from the environment (local hashed n-grams). */
  embedding?: EmbeddingFunction;
  /** The store refresh records go to; listProviders reports `refreshedAt` from it. */
  refreshStore?: RefreshStore;
  /** Structured queries: the in-memory columnar scan (default) or LanceDB scalar queries. */
  structured?: StructuredEngine;
  /** Where rows come from; default the shipped data through the loaders. */
  source?: IndexSource;
  /** Environment for catalog/config.ts when no embedding is given. */
  environment?: Record<string, string | undefined>;
  /** How often (ms) a query checks whether another process wrote to the index; default 1000. */
  freshnessCheckMs?: number;
  /** A folder shared between homes where a pristine index is kept and copied from (the disk cache). */
  prebuiltDir?: string;
}

/** The shipped data through the loaders. */
export const SHIPPED_SOURCE: IndexSource = {
  fingerprint: shippedDataFingerprint,
  regions: loadRegions,
  specs: loadSpecs,
  images: loadImages,
  latency: loadLatency,
};

const FRESHNESS_CHECK_MS = 1000;

export class Catalog implements CatalogQueries {
  readonly index: CatalogIndex;
  readonly openReport: IndexOpenReport;
  readonly #engine: QueryEngine;
  readonly #refreshStore: RefreshStore | undefined;
  #version = -1;
  #checkedAt = 0;
  #freshnessCheckMs = FRESHNESS_CHECK_MS;

  private constructor(
    index: CatalogIndex,
    report: IndexOpenReport,
    engine: QueryEngine,
    refreshStore: RefreshStore | undefined,
  ) {
    this.index = index;
    this.openReport = report;
    this.#engine = engine;
    this.#refreshStore = refreshStore;
  }

  /** Opens the index under `home`, building it from the shipped data on first use (seconds). */
  static async open(options: CatalogOpenOptions): Promise<Catalog> {
    const embedding = options.embedding ?? embeddingFromConfig(catalogConfig(options.environment));
    const { index, report } = await CatalogIndex.open({
      home: options.home,
      embedding,
      source: options.source ?? SHIPPED_SOURCE,
      enricher: ROW_ENRICHER,
      ...(options.prebuiltDir ? { prebuiltDir: options.prebuiltDir } : {}),
    });
    const regions = await index.regions();
    const latency = await index.latency();
    const gpuKeys = (
      await index.table('specs').query().select(['gpu_key']).where('gpu_key IS NOT NULL').toArray()
    ).map((row) => String(row.gpu_key));
    const world = makeQueryWorld(regions, latency, gpuKeys);
    const engine = new QueryEngine(index, world, options.structured ?? 'memory');
    if (engine.structured === 'memory') engine.preload();
    const catalog = new Catalog(index, report, engine, options.refreshStore);
    catalog.#freshnessCheckMs = options.freshnessCheckMs ?? FRESHNESS_CHECK_MS;
    catalog.#version = await index.version();
    catalog.#checkedAt = Date.now();
    return catalog;
  }

  get world() {
    return this.#engine.world;
  }

  async listProviders(): Promise<Provider[]> {
    await this.#fresh();
    const columns = await this.#engine.columns();
    const specs = new Map<ProviderId, { count: number; oldest: string }>();
    for (let row = 0; row < columns.size; row++) {
      const provider = PROVIDERS[columns.provider[row] as number] as ProviderId;
      const fetchedAt = columns.fetchedAt(row);
      const entry = specs.get(provider);
      if (!entry) specs.set(provider, { count: 1, oldest: fetchedAt });
      else {
        entry.count++;
        if (fetchedAt < entry.oldest) entry.oldest = fetchedAt;
      }
    }
    const staleness = this.#refreshStore ? await catalogStaleness(this.#refreshStore) : undefined;
    return PROVIDERS.map((id) => ({
      id,
      displayName: PROVIDER_DISPLAY_NAMES[id],
      regions: this.world.regions.filter((region) => region.provider === id).length,
      specs: specs.get(id)?.count ?? 0,
      refreshedAt: staleness?.[id].refreshedAt ?? null,
      dataAsOf: specs.get(id)?.oldest ?? '',
    }));
  }

  async searchRegions(input: SearchRegionsInput): Promise<RegionHit[]> {
    const parsed = parseInput(SearchRegionsInputSchema, input, 'searchRegions');
    return this.#engine.searchRegions(planRegions(parsed, this.world));
  }

  async searchSpecs(input: SearchSpecsInput): Promise<SpecHit[]> {
    const parsed = parseInput(SearchSpecsInputSchema, input, 'searchSpecs');
    const plan = planSpecs(parsed, this.world);
    await this.#fresh();
    return this.#engine.searchSpecs(plan);
  }

  async searchImages(input: SearchImagesInput): Promise<Image[]> {
    const parsed = parseInput(SearchImagesInputSchema, input, 'searchImages');
    const plan = planImages(parsed, this.world);
    await this.#fresh();
    return this.#engine.searchImages(plan);
  }

  async recommendSpecs(input: RecommendSpecsInput): Promise<Recommendation[]> {
    const parsed = parseInput(RecommendSpecsInputSchema, input, 'recommendSpecs');
    const plan = planSpecs(parsed, this.world);
    await this.#fresh();
    return this.#engine.recommendSpecs(plan, parsed.weights);
  }

  async estimateCost(input: EstimateCostInput): Promise<CostEstimate> {
    const parsed = parseInput(EstimateCostInputSchema, input, 'estimateCost');
    await this.#fresh();
    const columns = await this.#engine.columns();
    return estimateCost(parsed, (id) => {
      const row = columns.rowOf(id);
      return row === undefined ? undefined : columns.spec(row);
    });
  }

  resolvePlaces(text: string): ResolvedPlace[] {
    return resolvePlaces(text, this.world.regions);
  }

  providerOf(id: string): ProviderId | undefined {
    const [provider] = splitId(id);
    return provider !== undefined && isProviderId(provider) ? provider : undefined;
  }

  /** Spec rows by id (refresh's sink). Later queries see them. */
  async upsertSpecs(rows: Spec[]): Promise<{ upserted: number }> {
    const result = await this.index.upsertSpecs(rows);
    this.#engine.invalidate();
    return result;
  }

  /** Image rows by id (refresh's sink). */
  async upsertImages(rows: Image[]): Promise<{ upserted: number }> {
    const result = await this.index.upsertImages(rows);
    this.#engine.invalidate();
    return result;
  }

  /** Rows in the index per provider (what `s2a catalog status` shows). */
  async rowsByProvider(): Promise<Record<ProviderId, { specs: number; images: number }>> {
    await this.#fresh();
    const columns = await this.#engine.columns();
    const images = await this.#engine.images();
    const counts = Object.fromEntries(PROVIDERS.map((id) => [id, { specs: 0, images: 0 }])) as Record<
      ProviderId,
      { specs: number; images: number }
    >;
    for (let row = 0; row < columns.size; row++)
      counts[PROVIDERS[columns.provider[row] as number] as ProviderId].specs++;
    for (const image of images) counts[image.provider].images++;
    return counts;
  }

  close(): void {
    this.index.close();
  }

  /** Drops what was read from the tables when another process wrote to them since. */
  async #fresh(): Promise<void> {
    const now = Date.now();
    if (now - this.#checkedAt < this.#freshnessCheckMs) return;
    this.#checkedAt = now;
    const version = await this.index.version();
    if (version !== this.#version) {
      this.#version = version;
      this.#engine.invalidate();
    }
  }
}

function catalogConfig(environment: Record<string, string | undefined> | undefined): CatalogConfig {
  return readCatalogConfig(environment ?? process.env);
}
