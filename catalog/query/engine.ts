/**
 * Executes plans against the index:
 * - text (fuzzy) queries: LanceDB vector search with the plan's filters in the same query
 *   (prefilter), widened until the rows tied at the cut are all in, then ordered by relevance and the
 *   plan's sort;
 * - structured queries: the in-memory columnar scan (default) or LanceDB scalar queries
 *   (`structured: 'lance'`), both ordered here.
 */
import type { Image } from '../../drivers/spec/index.ts';
import {
  type CatalogIndex,
  IMAGE_COLUMNS,
  IMAGES_TABLE,
  imageFromRow,
  REGIONS_TABLE,
  SPECS_TABLE,
} from '../index/index.ts';
import { PLACEHOLDER_SOURCE } from '../load/index.ts';
import type { CatalogRegion } from '../schemas.ts';
import type { Recommendation, RegionHit, SpecHit } from '../types.ts';
import { SPEC_COLUMNS, SpecColumns, specFromRow } from './columns.ts';
import type { ImagePlan, QueryWorld, RegionPlan, SpecPlan } from './plan.ts';
import { osVersionMatches } from './plan.ts';
import {
  ascendingKnown,
  type Candidate,
  candidateComparator,
  checkWeights,
  combineWeights,
  compareIds,
  normalise,
  rangeOf,
  recommendationComparator,
  relevance,
  topK,
  type Weights,
  weightedTotal,
} from './rank.ts';
import { imageWhere, regionWhere, specWhere } from './sql.ts';

export type StructuredEngine = 'memory' | 'lance';

/** With text, recommendSpecs weighs the most relevant rows: this many, or 5 × limit if more. */
export const RECOMMEND_TEXT_CANDIDATES = 100;

interface SpecRow {
  candidate: Candidate;
  /** Builds the spec (only for hits). */
  spec: () => import('../../drivers/spec/index.ts').Spec;
  regionId: string;
}

export class QueryEngine {
  readonly index: CatalogIndex;
  readonly world: QueryWorld;
  readonly structured: StructuredEngine;
  #columns: Promise<SpecColumns> | undefined;
  #images: Promise<Image[]> | undefined;

  constructor(index: CatalogIndex, world: QueryWorld, structured: StructuredEngine) {
    this.index = index;
    this.world = world;
    this.structured = structured;
  }

  /** Starts reading the columns now, so the first structured query does not wait for all of it. */
  preload(): void {
    this.columns().catch(() => undefined);
  }

  /** Forget what was read from the tables (after an upsert here or in another process). */
  invalidate(): void {
    this.#columns = undefined;
    this.#images = undefined;
  }

  columns(): Promise<SpecColumns> {
    const regionIds = this.world.regions.map((region) => region.id);
    this.#columns ??= this.index.specColumns(SPEC_COLUMNS).then((table) => new SpecColumns(table, regionIds));
    this.#columns.catch(() => {
      this.#columns = undefined;
    });
    return this.#columns;
  }

  images(): Promise<Image[]> {
    this.#images ??= this.index.images();
    this.#images.catch(() => {
      this.#images = undefined;
    });
    return this.#images;
  }

  // -------------------------------------------------------------------------------------------
  // Specs
  // -------------------------------------------------------------------------------------------

  async searchSpecs(plan: SpecPlan): Promise<SpecHit[]> {
    if (plan.text === undefined && this.structured === 'memory') {
      const scan = await this.#scan(plan);
      return topK(scan.rows, plan.limit, scan.compare).map((row) => this.#hit(scan.row(row)));
    }
    const compare = candidateComparator(plan.sort, plan.text !== undefined);
    const rows = await this.#candidates(plan, plan.limit, compare);
    return topK(rows, plan.limit, (a, b) => compare(a.candidate, b.candidate)).map((row) => this.#hit(row));
  }

  async recommendSpecs(plan: SpecPlan, weights: Weights): Promise<Recommendation[]> {
    checkWeights(weights, plan.distanceKm !== null, plan.latencyMs !== null);
    if (plan.text === undefined && this.structured === 'memory') return this.#recommendScan(plan, weights);
    const pool = plan.text === undefined ? plan.limit : Math.max(RECOMMEND_TEXT_CANDIDATES, plan.limit * 5);
    let rows = await this.#candidates(plan, pool, candidateComparator('cost', true));
    if (plan.text !== undefined) {
      rows = topK(rows, pool, (a, b) => candidateComparator('cost', true)(a.candidate, b.candidate));
    }
    const byRow = new Map(rows.map((row) => [row.candidate, row]));
    const scored = combineWeights(
      rows.map((row) => row.candidate),
      weights,
    );
    return topK(scored, plan.limit, recommendationComparator).map((entry) => ({
      ...this.#hit(byRow.get(entry.item) as SpecRow),
      total: entry.total,
      parts: entry.parts,
    }));
  }

  /**
   * The in-memory scan: the rows passing the filters, a comparator over the typed columns in the
   * order candidateComparator defines (without relevance), and a way to make a candidate of a row.
   * Only the hits become objects.
   */
  async #scan(plan: SpecPlan) {
    const columns = await this.columns();
    const mask = columns.regionMask(plan, (id) => this.world.regionById.get(id)?.restricted !== undefined);
    const rows = columns.filter(plan, mask);
    const price = plan.spot ? columns.spotPriceUsd : columns.priceUsd;
    const distance = columns.regionValues(plan.distanceKm);
    const latency = columns.regionValues(plan.latencyMs);
    const { id, performance, regionIndex } = columns;
    const byId = (a: number, b: number) => compareIds(id[a] as string, id[b] as string);
    const byPrice = (a: number, b: number) => ascendingKnown(price[a] as number, price[b] as number);
    const at = (values: Float64Array, row: number) => values[regionIndex[row] as number] as number;
    let compare: (a: number, b: number) => number;
    switch (plan.sort) {
      case 'cost':
        compare = (a, b) => byPrice(a, b) || byId(a, b);
        break;
      case 'performance':
        compare = (a, b) =>
          (performance[b] as number) - (performance[a] as number) || byPrice(a, b) || byId(a, b);
        break;
      case 'distance':
        compare = (a, b) => ascendingKnown(at(distance, a), at(distance, b)) || byPrice(a, b) || byId(a, b);
        break;
      case 'latency':
        compare = (a, b) => ascendingKnown(at(latency, a), at(latency, b)) || byPrice(a, b) || byId(a, b);
        break;
    }
    const known = (value: number) => (Number.isNaN(value) ? null : value);
    const row = (index: number): SpecRow => ({
      candidate: {
        row: index,
        id: id[index] as string,
        price: known(price[index] as number),
        performance: performance[index] as number,
        distanceKm: known(at(distance, index)),
        latencyMs: known(at(latency, index)),
        score: null,
      },
      spec: () => columns.spec(index),
      regionId: columns.regionId[index] as string,
    });
    return { rows, compare, row, byPrice, byId, price, at, distance, latency, performance };
  }

  /** recommendSpecs over the in-memory scan: the same normalisation and totals as combineWeights. */
  async #recommendScan(plan: SpecPlan, weights: Weights): Promise<Recommendation[]> {
    const scan = await this.#scan(plan);
    const { rows, price, performance, at, distance, latency } = scan;
    const known = (value: number) => (Number.isNaN(value) ? null : value);
    const values = (pick: (row: number) => number) => Array.from(rows, (row) => known(pick(row)));
    const ranges = {
      price: rangeOf(values((row) => price[row] as number)),
      performance: rangeOf(values((row) => performance[row] as number)),
      distance: rangeOf(values((row) => at(distance, row))),
      latency: rangeOf(values((row) => at(latency, row))),
    };
    const sum = weights.cost + weights.performance + weights.distance + weights.latency;
    const partsOf = (row: number): Weights => ({
      cost: normalise(known(price[row] as number), ranges.price, true),
      performance: normalise(performance[row] as number, ranges.performance, false),
      distance: normalise(known(at(distance, row)), ranges.distance, true),
      latency: normalise(known(at(latency, row)), ranges.latency, true),
    });
    const totals = new Float64Array(rows.length);
    for (let index = 0; index < rows.length; index++) {
      totals[index] = weightedTotal(partsOf(rows[index] as number), weights, sum);
    }
    const positions = Int32Array.from({ length: rows.length }, (_, index) => index);
    const rowAt = (position: number) => rows[position] as number;
    const top = topK(
      positions,
      plan.limit,
      (a, b) =>
        (totals[b] as number) - (totals[a] as number) ||
        scan.byPrice(rowAt(a), rowAt(b)) ||
        scan.byId(rowAt(a), rowAt(b)),
    );
    return top.map((position) => ({
      ...this.#hit(scan.row(rowAt(position))),
      total: totals[position] as number,
      parts: partsOf(rowAt(position)),
    }));
  }

  /**
   * Rows for the text path (the first `want` under `compare`, ties at the cut included) or for
   * LanceDB scalar queries (every row passing the filters).
   */
  async #candidates(
    plan: SpecPlan,
    want: number,
    compare: (a: Candidate, b: Candidate) => number,
  ): Promise<SpecRow[]> {
    if (plan.text !== undefined) return this.#textRows(plan, plan.text, want, compare);
    let query = this.index.table(SPECS_TABLE).query();
    const where = specWhere(plan);
    if (where) query = query.where(where);
    const rows = (await query.select(SPEC_COLUMNS).toArray()) as Record<string, unknown>[];
    return rows.map((row, index) => this.#rowFromRecord(row, index, plan, null));
  }

  async #textRows(
    plan: SpecPlan,
    text: string,
    want: number,
    compare: (a: Candidate, b: Candidate) => number,
  ): Promise<SpecRow[]> {
    const vector = await this.index.embedQuery(text);
    const where = specWhere(plan);
    let fetch = want + 16;
    for (;;) {
      const records = await this.index.vectorSearch(SPECS_TABLE, vector, where, SPEC_COLUMNS, fetch);
      const rows = records.map((record, index) =>
        this.#rowFromRecord(record, index, plan, relevance(Number(record._distance))),
      );
      if (records.length < fetch) return rows;
      // LanceDB returns the nearest first: rows it left out score at most the last one returned.
      const last = rows[rows.length - 1]?.candidate.score ?? 0;
      const ordered = rows.map((row) => row.candidate).sort(compare);
      const cut = ordered[Math.min(want, ordered.length) - 1]?.score ?? 0;
      if (last < cut) return rows;
      fetch *= 4;
    }
  }

  #rowFromRecord(
    record: Record<string, unknown>,
    row: number,
    plan: SpecPlan,
    score: number | null,
  ): SpecRow {
    const regionId = String(record.region_id);
    const price = plan.spot ? record.spot_price_usd : record.price_usd;
    return {
      candidate: {
        row,
        id: String(record.id),
        price: price === null || price === undefined ? null : Number(price),
        performance: Number(record.performance),
        distanceKm: plan.distanceKm?.get(regionId) ?? null,
        latencyMs: plan.latencyMs?.get(regionId) ?? null,
        score,
      },
      spec: () => specFromRow(record),
      regionId,
    };
  }

  #hit(row: SpecRow): SpecHit {
    const region = this.world.regionById.get(row.regionId);
    if (!region) throw new Error(`spec ${row.candidate.id} is in unknown region ${row.regionId}`);
    return {
      spec: row.spec(),
      region,
      pricePerHour: row.candidate.price,
      performance: row.candidate.performance,
      distanceKm: row.candidate.distanceKm,
      latencyMs: row.candidate.latencyMs,
      score: row.candidate.score,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Regions
  // -------------------------------------------------------------------------------------------

  async searchRegions(plan: RegionPlan): Promise<RegionHit[]> {
    const distance = (region: CatalogRegion) => plan.distanceKm?.get(region.id) ?? null;
    const byPlace = (a: RegionHit, b: RegionHit) =>
      (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || compareIds(a.region.id, b.region.id);
    if (plan.text === undefined) {
      const hits = this.world.regions
        .filter((region) => regionMatches(region, plan))
        .map((region) => ({ region, distanceKm: distance(region), score: null }));
      return hits.sort(byPlace).slice(0, plan.limit);
    }
    const vector = await this.index.embedQuery(plan.text);
    const records = await this.index.vectorSearch(
      REGIONS_TABLE,
      vector,
      regionWhere(plan),
      ['id'],
      this.world.regions.length,
    );
    const hits: RegionHit[] = [];
    for (const record of records) {
      const region = this.world.regionById.get(String(record.id));
      if (region)
        hits.push({ region, distanceKm: distance(region), score: relevance(Number(record._distance)) });
    }
    return hits.sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || byPlace(a, b)).slice(0, plan.limit);
  }

  // -------------------------------------------------------------------------------------------
  // Images
  // -------------------------------------------------------------------------------------------

  async searchImages(plan: ImagePlan): Promise<Image[]> {
    if (plan.text === undefined) {
      const images = (await this.images()).filter((image) => imageMatches(image, plan));
      return topK(images, plan.limit, compareImages);
    }
    const vector = await this.index.embedQuery(plan.text);
    const where = imageWhere(plan);
    let fetch = plan.limit + 16;
    for (;;) {
      const records = await this.index.vectorSearch(IMAGES_TABLE, vector, where, IMAGE_COLUMNS, fetch);
      const scored = records.map((record) => ({
        image: imageFromRow(record),
        score: relevance(Number(record._distance)),
      }));
      const ordered = scored.sort((a, b) => b.score - a.score || compareImages(a.image, b.image));
      const last = Math.min(...scored.map((entry) => entry.score));
      const cut = ordered[Math.min(plan.limit, ordered.length) - 1]?.score ?? 0;
      if (records.length < fetch || last < cut)
        return ordered.slice(0, plan.limit).map((entry) => entry.image);
      fetch *= 4;
    }
  }
}

export function regionMatches(region: CatalogRegion, plan: RegionPlan): boolean {
  if (plan.providers && !plan.providers.has(region.provider)) return false;
  if (plan.countryCode && region.countryCode !== plan.countryCode) return false;
  if (plan.distanceKm && !plan.distanceKm.has(region.id)) return false;
  return true;
}

export function imageMatches(image: Image, plan: ImagePlan): boolean {
  if (plan.regionId && `${image.provider}+${image.region}` !== plan.regionId) return false;
  if (plan.os && image.os !== plan.os) return false;
  if (plan.osVersion && !osVersionMatches(image.osVersion, plan.osVersion)) return false;
  if (plan.arch && image.arch !== plan.arch) return false;
  if (plan.gpuReady !== undefined && image.gpuReady !== plan.gpuReady) return false;
  return true;
}

/** Images: real ids before placeholders, newest OS version first, then id. */
export function compareImages(a: Image, b: Image): number {
  const placeholder = Number(a.source === PLACEHOLDER_SOURCE) - Number(b.source === PLACEHOLDER_SOURCE);
  return (
    placeholder || b.osVersion.localeCompare(a.osVersion, 'en', { numeric: true }) || compareIds(a.id, b.id)
  );
}
