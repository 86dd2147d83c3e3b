/**
 * The LanceDB index under `<S2A_HOME>/catalog/`: three tables (specs, regions, images), each with its
 * scalar columns and a float16 vector embedded from a text built per row (catalog/index/rows.ts).
 *
 * Built from the loaders on first use, into a temporary folder renamed into place when complete, so a
 * crash or a second process never sees half an index: `<home>/catalog/lance-<fingerprint>/` holds the
 * tables and `meta.json` (written last). The fingerprint covers the shipped data, the code that makes
 * rows and the embedding; a later open with the same fingerprint only opens the tables. Folders of
 * other fingerprints are removed after a build.
 *
 * Refresh writes through `upsertSpecs` / `upsertImages` (merge on id). Those rows live in the current
 * folder: a rebuild (new data or code) starts again from the shipped data.
 */
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as lancedb from '@lancedb/lancedb';
import type { Table as ArrowTable } from 'apache-arrow';
import type { z } from 'zod';
import { type Image, ImageSchema, type Spec, SpecSchema } from '../../drivers/spec/index.ts';
import type { CatalogRegion } from '../schemas.ts';
import type { EmbeddingFunction } from './embedding.ts';
import { indexFingerprint } from './fingerprint.ts';
import {
  type CountryNameOf,
  imageTable,
  imageText,
  latencyTable,
  regionTable,
  regionText,
  type SpecExtras,
  specTable,
  specText,
} from './rows.ts';

export type TableName = 'specs' | 'regions' | 'images' | 'latency';

export const SPECS_TABLE = 'specs';
export const REGIONS_TABLE = 'regions';
export const IMAGES_TABLE = 'images';
export const LATENCY_TABLE = 'latency';

/** Where rows come from: the loaders by default; tests may give a small world. */
export interface IndexSource {
  /** Changes whenever the rows would. */
  fingerprint(): string;
  regions(): CatalogRegion[];
  specs(): Spec[];
  images(): Image[];
  /** Inter-region RTTs; none when absent. */
  latency?(): LatencyRow[];
}

/** What a row stores that the record does not carry: computed by catalog/gpu and catalog/performance. */
export interface RowEnricher {
  gpuKeyOf(spec: Spec): string | null;
  performanceOf(spec: Spec): number;
  countryName: CountryNameOf;
}

export interface CatalogIndexOptions {
  /** S2A_HOME; the index lives in `<home>/catalog/`. */
  home: string;
  embedding: EmbeddingFunction;
  source: IndexSource;
  enricher: RowEnricher;
  /**
   * A folder shared by every home of this user (the disk cache): a pristine build is copied there,
   * and a home without an index copies it from there instead of building (~0.3 s instead of ~15 s).
   */
  prebuiltDir?: string;
}

export interface LatencyRow {
  from: string;
  to: string;
  rttMs: number;
}

export interface IndexMeta {
  fingerprint: string;
  dataFingerprint: string;
  embedding: string;
  dimensions: number;
  builtAt: string;
  buildMs: number;
  rows: { specs: number; regions: number; images: number; latency: number };
  /** IVF partitions of the specs' vector index; 0 when the table is scanned flat. */
  vectorPartitions: number;
}

export interface IndexOpenReport {
  /** True when this open built the index (else it opened an existing one). */
  built: boolean;
  /** True when this open copied a prebuilt index from `prebuiltDir` instead of building. */
  copied: boolean;
  /** Time of this open, ms (build included when built). */
  openMs: number;
  dir: string;
  meta: IndexMeta;
}

/** Scalar indexes: what the prefilter of a vector search and the scalar queries narrow by. */
const SCALAR_INDEXES: Record<string, { column: string; kind: 'bitmap' | 'btree' }[]> = {
  [SPECS_TABLE]: [
    { column: 'provider', kind: 'bitmap' },
    { column: 'region_id', kind: 'bitmap' },
    { column: 'arch', kind: 'bitmap' },
    { column: 'gpu_key', kind: 'bitmap' },
    { column: 'restricted', kind: 'bitmap' },
    { column: 'gpu_count', kind: 'btree' },
    { column: 'vcpu', kind: 'btree' },
    { column: 'memory_gib', kind: 'btree' },
    { column: 'price_usd', kind: 'btree' },
  ],
  [REGIONS_TABLE]: [],
  [IMAGES_TABLE]: [
    { column: 'region_id', kind: 'bitmap' },
    { column: 'os', kind: 'bitmap' },
  ],
};

/**
 * The specs' vectors get an IVF_FLAT index searched with every partition probed: exact (the same rows
 * a flat scan finds) and, measured here, several times faster than LanceDB's flat scan of ~85k rows.
 * Small tables (tests, regions, images) are scanned flat.
 */
export const VECTOR_INDEX_MIN_ROWS = 10_000;
export const VECTOR_INDEX_PARTITIONS = 32;

/** Upserts between compactions (each upsert adds a fragment; compaction folds them and updates indexes). */
const UPSERTS_PER_COMPACTION = 8;

const EMBED_BATCH = 2048;

export class CatalogIndex {
  readonly dir: string;
  readonly meta: IndexMeta;
  readonly embedding: EmbeddingFunction;
  readonly #connection: lancedb.Connection;
  readonly #tables: Record<string, lancedb.Table>;
  readonly #enricher: RowEnricher;
  #regions: Map<string, CatalogRegion> | undefined;
  #upsertsSinceCompaction = 0;

  private constructor(
    dir: string,
    meta: IndexMeta,
    embedding: EmbeddingFunction,
    connection: lancedb.Connection,
    tables: Record<string, lancedb.Table>,
    enricher: RowEnricher,
  ) {
    this.dir = dir;
    this.meta = meta;
    this.embedding = embedding;
    this.#connection = connection;
    this.#tables = tables;
    this.#enricher = enricher;
  }

  /** Opens the index of this data and embedding, building it first when it does not exist. */
  static async open(options: CatalogIndexOptions): Promise<{ index: CatalogIndex; report: IndexOpenReport }> {
    const started = performance.now();
    const root = join(options.home, 'catalog');
    const dataFingerprint = options.source.fingerprint();
    const fingerprint = indexFingerprint(
      dataFingerprint,
      options.embedding.name,
      options.embedding.dimensions,
    );
    const dir = join(root, `lance-${fingerprint.slice(0, 16)}`);
    let built = false;
    let copied = false;
    let meta = readMeta(dir, fingerprint);
    if (!meta) {
      mkdirSync(root, { recursive: true });
      const prebuilt = options.prebuiltDir ? join(options.prebuiltDir, basename(dir)) : undefined;
      meta = prebuilt ? copyPrebuilt(prebuilt, root, dir, fingerprint) : undefined;
      copied = meta !== undefined;
      if (!meta) {
        meta = await build(root, dir, fingerprint, dataFingerprint, options);
        built = true;
        if (prebuilt && options.prebuiltDir) sharePrebuilt(dir, options.prebuiltDir, prebuilt);
      }
      removeOtherBuilds(root, dir);
    }
    const connection = await lancedb.connect(dir);
    const tables: Record<string, lancedb.Table> = {};
    for (const name of [SPECS_TABLE, REGIONS_TABLE, IMAGES_TABLE, LATENCY_TABLE]) {
      tables[name] = await connection.openTable(name);
    }
    const index = new CatalogIndex(dir, meta, options.embedding, connection, tables, options.enricher);
    await index.#warm();
    return { index, report: { built, copied, openMs: performance.now() - started, dir, meta } };
  }

  table(name: TableName): lancedb.Table {
    const table = this.#tables[name];
    if (!table) throw new Error(`catalog index has no table ${name}`);
    return table;
  }

  /** Sum of the three tables' versions: changes whenever any process writes to them. */
  async version(): Promise<number> {
    let sum = 0;
    for (const table of Object.values(this.#tables)) {
      await table.checkoutLatest();
      sum += await table.version();
    }
    return sum;
  }

  /** Every region (as the loaders gave them, plus nothing: regions are not refreshed). */
  async regions(): Promise<CatalogRegion[]> {
    const rows = await this.table(REGIONS_TABLE).query().select(REGION_COLUMNS).toArray();
    return rows.map(regionFromRow).sort((a, b) => compareIds(a.id, b.id));
  }

  async latency(): Promise<LatencyRow[]> {
    const table = await this.table(LATENCY_TABLE)
      .query()
      .select(['from_region', 'to_region', 'rtt_ms'])
      .toArrow();
    const from = (table.getChild('from_region')?.toArray() ?? []) as string[];
    const to = (table.getChild('to_region')?.toArray() ?? []) as string[];
    const rtt = (table.getChild('rtt_ms')?.toArray() ?? []) as Float64Array;
    return from.map((each, row) => ({ from: each, to: to[row] as string, rttMs: rtt[row] as number }));
  }

  async images(): Promise<Image[]> {
    const rows = await this.table(IMAGES_TABLE).query().select(IMAGE_COLUMNS).toArray();
    return rows.map(imageFromRow).sort((a, b) => compareIds(a.id, b.id));
  }

  /** The specs table's scalar columns (no text, no vector), for the in-memory scan. */
  async specColumns(columns: string[]): Promise<ArrowTable> {
    return this.table(SPECS_TABLE).query().select(columns).toArrow();
  }

  /** Embeds one query text. */
  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedding.embed([text]);
    if (!vector) throw new Error('embedding returned no vector');
    return vector;
  }

  /**
   * Vector search with the filter in the same query (prefilter: the filter picks rows first, the
   * nearest `limit` of those come back). Rows carry the selected columns and `_distance` (cosine).
   */
  async vectorSearch(
    name: TableName,
    vector: Float32Array,
    where: string | undefined,
    columns: string[],
    limit: number,
  ): Promise<Record<string, unknown>[]> {
    let query = this.table(name).vectorSearch(vector).distanceType('cosine');
    // Probe every partition: exact results, whatever the clustering.
    if (name === SPECS_TABLE && this.meta.vectorPartitions > 0)
      query = query.nprobes(this.meta.vectorPartitions);
    if (where) query = query.where(where);
    return query
      .select([...columns, '_distance'])
      .limit(limit)
      .toArray();
  }

  async upsertSpecs(rows: Spec[]): Promise<{ upserted: number }> {
    if (rows.length === 0) return { upserted: 0 };
    validateRows(SpecSchema, rows, 'upsertSpecs');
    const regions = await this.#regionMap();
    const unknown = [...new Set(rows.map((row) => `${row.provider}+${row.region}`))].filter(
      (id) => !regions.has(id),
    );
    if (unknown.length > 0) {
      throw new Error(
        `upsertSpecs: unknown region(s) ${unknown.slice(0, 5).join(', ')}; the catalog knows the regions of the shipped data`,
      );
    }
    const extras = await specExtras(rows, regions, this.embedding, this.#enricher);
    const table = specTable(dedupeById(rows), extras, this.embedding.dimensions);
    await this.#merge(SPECS_TABLE, table);
    return { upserted: rows.length };
  }

  async upsertImages(rows: Image[]): Promise<{ upserted: number }> {
    if (rows.length === 0) return { upserted: 0 };
    validateRows(ImageSchema, rows, 'upsertImages');
    const regions = await this.#regionMap();
    const unique = dedupeById(rows);
    const texts = unique.map((image) =>
      imageText(image, regions.get(`${image.provider}+${image.region}`), this.#enricher.countryName),
    );
    const vectors = await embedAll(this.embedding, texts);
    await this.#merge(IMAGES_TABLE, imageTable(unique, texts, vectors, this.embedding.dimensions));
    return { upserted: rows.length };
  }

  /** Bytes on disk. */
  sizeBytes(): number {
    return directorySize(this.dir);
  }

  close(): void {
    for (const table of Object.values(this.#tables)) table.close();
    this.#connection.close();
  }

  /** Loads the vector index into LanceDB's cache, so the first search is not the slow one. */
  async #warm(): Promise<void> {
    if (this.meta.vectorPartitions === 0) return;
    try {
      await this.table(SPECS_TABLE).prewarmIndex('vector_idx');
    } catch {
      // Prewarming is an optimisation; a LanceDB that cannot do it still answers.
    }
  }

  async #merge(name: string, table: ArrowTable): Promise<void> {
    const target = this.table(name as TableName);
    await target.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(table);
    this.#upsertsSinceCompaction++;
    if (this.#upsertsSinceCompaction >= UPSERTS_PER_COMPACTION) {
      this.#upsertsSinceCompaction = 0;
      for (const each of Object.values(this.#tables)) await each.optimize();
    }
  }

  async #regionMap(): Promise<Map<string, CatalogRegion>> {
    this.#regions ??= new Map((await this.regions()).map((region) => [region.id, region]));
    return this.#regions;
  }
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

async function build(
  root: string,
  dir: string,
  fingerprint: string,
  dataFingerprint: string,
  options: CatalogIndexOptions,
): Promise<IndexMeta> {
  const started = performance.now();
  const { source, embedding, enricher } = options;
  const regionList = source.regions();
  const regions = new Map(regionList.map((region) => [region.id, region]));
  const specs = dedupeById(source.specs());
  const images = dedupeById(source.images());
  const missing = specs.find((spec) => !regions.has(`${spec.provider}+${spec.region}`));
  if (missing) throw new Error(`spec ${missing.id} is in a region the catalog does not list`);

  const temporary = join(root, `build-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const connection = await lancedb.connect(temporary);
    const regionTexts = regionList.map((region) => regionText(region, enricher.countryName));
    await createTable(
      connection,
      REGIONS_TABLE,
      regionTable(regionList, regionTexts, await embedAll(embedding, regionTexts), embedding.dimensions),
    );
    const extras = await specExtras(specs, regions, embedding, enricher);
    await createTable(connection, SPECS_TABLE, specTable(specs, extras, embedding.dimensions));
    const vectorPartitions = specs.length >= VECTOR_INDEX_MIN_ROWS ? VECTOR_INDEX_PARTITIONS : 0;
    if (vectorPartitions > 0) {
      const table = await connection.openTable(SPECS_TABLE);
      await table.createIndex('vector', {
        config: lancedb.Index.ivfFlat({ numPartitions: vectorPartitions, distanceType: 'cosine' }),
      });
      table.close();
    }
    const imageTexts = images.map((image) =>
      imageText(image, regions.get(`${image.provider}+${image.region}`), enricher.countryName),
    );
    await createTable(
      connection,
      IMAGES_TABLE,
      imageTable(images, imageTexts, await embedAll(embedding, imageTexts), embedding.dimensions),
    );
    const latency = source.latency ? source.latency() : [];
    await createTable(connection, LATENCY_TABLE, latencyTable(latency));
    connection.close();
    const meta: IndexMeta = {
      fingerprint,
      dataFingerprint,
      embedding: embedding.name,
      dimensions: embedding.dimensions,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - started),
      rows: {
        specs: specs.length,
        regions: regionList.length,
        images: images.length,
        latency: latency.length,
      },
      vectorPartitions,
    };
    writeFileSync(join(temporary, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // Another process finished the same build first: use its folder.
      const theirs = readMeta(dir, fingerprint);
      if (!theirs) throw error;
      rmSync(temporary, { recursive: true, force: true });
      return theirs;
    }
    return meta;
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}

async function createTable(connection: lancedb.Connection, name: string, data: ArrowTable): Promise<void> {
  const table = await connection.createTable(name, data, { mode: 'overwrite' });
  for (const { column, kind } of SCALAR_INDEXES[name] ?? []) {
    await table.createIndex(column, {
      config: kind === 'bitmap' ? lancedb.Index.bitmap() : lancedb.Index.btree(),
    });
  }
  table.close();
}

async function specExtras(
  specs: readonly Spec[],
  regions: ReadonlyMap<string, CatalogRegion>,
  embedding: EmbeddingFunction,
  enricher: RowEnricher,
): Promise<SpecExtras[]> {
  const texts: string[] = [];
  const partial = specs.map((spec) => {
    const region = regions.get(`${spec.provider}+${spec.region}`);
    if (!region) throw new Error(`spec ${spec.id}: unknown region`);
    const text = specText(spec, region, enricher.countryName);
    texts.push(text);
    return { region, gpuKey: enricher.gpuKeyOf(spec), performance: enricher.performanceOf(spec), text };
  });
  const vectors = await embedAll(embedding, texts);
  return partial.map((extra, index) => ({ ...extra, vector: vectors[index] as Float32Array }));
}

async function embedAll(embedding: EmbeddingFunction, texts: readonly string[]): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    vectors.push(...(await embedding.embed(texts.slice(start, start + EMBED_BATCH))));
  }
  return vectors;
}

/** Rows must be the contract's records, with ids "provider+region+local" matching their fields. */
function validateRows<Row extends { id: string; provider: string; region: string }>(
  schema: z.ZodType,
  rows: readonly Row[],
  what: string,
): void {
  for (const row of rows) {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${what}: row ${row.id}: ${issue?.path.join('.')} ${issue?.message}`);
    }
    if (!row.id.startsWith(`${row.provider}+${row.region}+`)) {
      throw new Error(
        `${what}: id "${row.id}" is not "provider+region+name" for ${row.provider}+${row.region}`,
      );
    }
  }
}

function dedupeById<T extends { id: string }>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) byId.set(row.id, row); // the last one wins, as an upsert would
  return [...byId.values()];
}

function readMeta(dir: string, fingerprint: string): IndexMeta | undefined {
  const file = join(dir, 'meta.json');
  if (!existsSync(file)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(file, 'utf8')) as IndexMeta;
    return meta.fingerprint === fingerprint ? meta : undefined;
  } catch {
    return undefined;
  }
}

/** Copies a prebuilt index into this home (write then rename, like a build); undefined when none fits. */
function copyPrebuilt(
  prebuilt: string,
  root: string,
  dir: string,
  fingerprint: string,
): IndexMeta | undefined {
  const meta = readMeta(prebuilt, fingerprint);
  if (!meta) return undefined;
  const temporary = join(root, `copy-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    cpSync(prebuilt, temporary, { recursive: true });
    renameSync(temporary, dir);
    return meta;
  } catch {
    rmSync(temporary, { recursive: true, force: true });
    // Another process may have finished the same copy or build first.
    return readMeta(dir, fingerprint);
  }
}

/** Leaves a copy of a fresh build for other homes; any disk problem only costs the next home a build. */
function sharePrebuilt(dir: string, prebuiltDir: string, prebuilt: string): void {
  const temporary = `${prebuilt}.${process.pid}.tmp`;
  try {
    mkdirSync(prebuiltDir, { recursive: true, mode: 0o700 });
    cpSync(dir, temporary, { recursive: true });
    rmSync(prebuilt, { recursive: true, force: true });
    renameSync(temporary, prebuilt);
    for (const entry of readdirSync(prebuiltDir)) {
      const path = join(prebuiltDir, entry);
      if (entry.startsWith('lance-') && path !== prebuilt) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    rmSync(temporary, { recursive: true, force: true });
  }
}

function removeOtherBuilds(root: string, keep: string): void {
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    if (path === keep || !entry.startsWith('lance-')) continue;
    rmSync(path, { recursive: true, force: true });
  }
}

function directorySize(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += directorySize(join(path, entry));
  return total;
}

/** Code-point order, the same everywhere (ids are ASCII in practice). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Rows → records (regions and images; specs are rebuilt by the query layer from its columns)
// ---------------------------------------------------------------------------------------------

const REGION_COLUMNS = [
  'id',
  'provider',
  'code',
  'display_name',
  'city',
  'country_code',
  'continent',
  'latitude',
  'longitude',
  'restricted',
  'zones',
];

export function regionFromRow(row: Record<string, unknown>): CatalogRegion {
  const region: CatalogRegion = {
    id: String(row.id),
    provider: row.provider as CatalogRegion['provider'],
    code: String(row.code),
    displayName: String(row.display_name),
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    zones: JSON.parse(String(row.zones)) as CatalogRegion['zones'],
  };
  if (row.city != null) region.city = String(row.city);
  if (row.country_code != null) region.countryCode = String(row.country_code);
  if (row.continent != null) region.continent = String(row.continent);
  if (row.restricted != null) region.restricted = String(row.restricted);
  return region;
}

export const IMAGE_COLUMNS = [
  'id',
  'provider',
  'region',
  'csp_image_id',
  'name',
  'os',
  'os_version',
  'arch',
  'gpu_ready',
  'source',
];

export function imageFromRow(row: Record<string, unknown>): Image {
  return {
    id: String(row.id),
    provider: row.provider as Image['provider'],
    region: String(row.region),
    cspImageId: String(row.csp_image_id),
    name: String(row.name),
    os: String(row.os),
    osVersion: String(row.os_version),
    arch: row.arch as Image['arch'],
    gpuReady: Boolean(row.gpu_ready),
    source: String(row.source),
  };
}
