/**
 * How catalog records become index rows: the text each row is embedded from, the scalar columns the
 * queries filter on, and the Arrow tables LanceDB stores. Rows turn back into the same `Spec`,
 * `Region` and `Image` objects the loaders give (see `specFromColumns` in catalog/query/columns.ts).
 */
import { createRequire } from 'node:module';
import type { Field as ArrowField, Schema as ArrowSchema, Table as ArrowTable, Vector } from 'apache-arrow';
import type { Image, ProviderId, Spec } from '../../drivers/spec/index.ts';
import { PROVIDER_DISPLAY_NAMES } from '../load/index.ts';
import type { CatalogRegion } from '../schemas.ts';
import { quantizeHalf } from './half.ts';

/**
 * apache-arrow through `require`: LanceDB loads the CommonJS build and checks `instanceof` against
 * its classes, so tables made with the ES module build (a second copy of every class) are refused.
 */
const arrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
const {
  Bool,
  Field,
  FixedSizeList,
  Float16,
  Float64,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  vectorFromArray,
} = arrow;

// ---------------------------------------------------------------------------------------------
// Currency
// ---------------------------------------------------------------------------------------------

import { toUsd } from '../../drivers/spec/money.ts';

export { KRW_PER_USD, toUsd, UNITS_PER_USD } from '../../drivers/spec/money.ts';

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

export type CountryNameOf = (code: string) => string | undefined;

/** "g5" for g5.xlarge, "n2" for n2-standard-8, "ncv4" for Standard_NC24ads_A100_v4, "c4m8" … */
export function familyOf(spec: Pick<Spec, 'provider' | 'name'>): string {
  const name = spec.name;
  if (spec.provider === 'azure') {
    const parts = name.replace(/^(Standard|Basic)_/i, '').split('_');
    const letters = (parts[0] ?? '').match(/^[A-Za-z]+/)?.[0] ?? '';
    const version = parts.find((part) => /^v\d+$/i.test(part)) ?? '';
    return `${letters}${version}`.toLowerCase();
  }
  const head = name.split(/[.-]/)[0] ?? name;
  return head.toLowerCase();
}

function regionWords(region: CatalogRegion, countryName: CountryNameOf): string[] {
  const country = region.countryCode ? countryName(region.countryCode) : undefined;
  return [
    region.code,
    region.displayName,
    region.city ?? '',
    country ?? '',
    region.countryCode ?? '',
    (region.continent ?? '').replace(/-/g, ' '),
  ];
}

function providerWords(provider: ProviderId): string[] {
  return [provider, PROVIDER_DISPLAY_NAMES[provider]];
}

/** The text a spec row is embedded from. */
export function specText(spec: Spec, region: CatalogRegion, countryName: CountryNameOf): string {
  const gpu = spec.gpu ? ['gpu', spec.gpu.model, spec.gpu.manufacturer ?? ''] : ['cpu'];
  return [
    ...providerWords(spec.provider),
    ...regionWords(region, countryName),
    spec.name,
    familyOf(spec),
    ...gpu,
    spec.arch,
  ]
    .filter((word) => word.length > 0)
    .join(' ');
}

export function regionText(region: CatalogRegion, countryName: CountryNameOf): string {
  return [region.id, ...providerWords(region.provider), ...regionWords(region, countryName)]
    .filter((word) => word.length > 0)
    .join(' ');
}

export function imageText(
  image: Image,
  region: CatalogRegion | undefined,
  countryName: CountryNameOf,
): string {
  return [
    ...providerWords(image.provider),
    ...(region ? regionWords(region, countryName) : [image.region]),
    image.name,
    image.os,
    image.osVersion,
    image.arch,
    image.gpuReady ? 'gpu cuda driver' : '',
    image.cspImageId,
  ]
    .filter((word) => word.length > 0)
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// Arrow schemas
// ---------------------------------------------------------------------------------------------

function vectorField(dimensions: number): ArrowField {
  return new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float16(), false)), false);
}

const utf8 = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);
const float = (name: string, nullable = false) => new Field(name, new Float64(), nullable);

export function specSchema(dimensions: number): ArrowSchema {
  return new Schema([
    utf8('id'),
    utf8('provider'),
    utf8('region'),
    utf8('region_id'),
    utf8('name'),
    utf8('family'),
    float('vcpu'),
    float('memory_gib'),
    utf8('arch'),
    utf8('gpu_model', true),
    utf8('gpu_key', true),
    float('gpu_count', true),
    float('gpu_memory_gib', true),
    utf8('gpu_manufacturer', true),
    float('price', true),
    float('spot_price', true),
    utf8('currency'),
    float('price_usd', true),
    float('spot_price_usd', true),
    float('performance'),
    float('latitude'),
    float('longitude'),
    utf8('country_code', true),
    new Field('restricted', new Bool(), false),
    utf8('zones', true),
    utf8('source'),
    utf8('fetched_at'),
    utf8('text'),
    vectorField(dimensions),
  ]);
}

export function regionSchema(dimensions: number): ArrowSchema {
  return new Schema([
    utf8('id'),
    utf8('provider'),
    utf8('code'),
    utf8('display_name'),
    utf8('city', true),
    utf8('country_code', true),
    utf8('continent', true),
    float('latitude'),
    float('longitude'),
    utf8('restricted', true),
    utf8('zones'),
    utf8('text'),
    vectorField(dimensions),
  ]);
}

export function imageSchema(dimensions: number): ArrowSchema {
  return new Schema([
    utf8('id'),
    utf8('provider'),
    utf8('region'),
    utf8('region_id'),
    utf8('csp_image_id'),
    utf8('name'),
    utf8('os'),
    utf8('os_version'),
    utf8('arch'),
    new Field('gpu_ready', new Bool(), false),
    utf8('source'),
    utf8('text'),
    vectorField(dimensions),
  ]);
}

/** Scalar columns of the specs table that the in-memory scan reads (everything but text and vector). */
export const SPEC_SCALAR_COLUMNS = specSchema(16)
  .fields.map((field) => field.name)
  .filter((name) => name !== 'text' && name !== 'vector');

// ---------------------------------------------------------------------------------------------
// Rows → Arrow tables
// ---------------------------------------------------------------------------------------------

/** What a spec row stores besides the spec itself, computed by the index when it builds. */
export interface SpecExtras {
  region: CatalogRegion;
  /** Model key from catalog/gpu (normalizeGpuModel), null without GPU. */
  gpuKey: string | null;
  performance: number;
  text: string;
  vector: Float32Array;
}

function vectorColumn(vectors: readonly Float32Array[], dimensions: number): Vector {
  const halves = new Uint16Array(vectors.length * dimensions);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimensions) {
      throw new Error(`embedding returned ${vector.length} dimensions, expected ${dimensions}`);
    }
    halves.set(quantizeHalf(vector), row * dimensions);
  });
  const item = new Field('item', new Float16(), false);
  const child = makeData({ type: new Float16(), length: halves.length, data: halves });
  const data = makeData({
    type: new FixedSizeList(dimensions, item),
    length: vectors.length,
    nullCount: 0,
    child,
  });
  return makeVector(data);
}

function columnTable(schema: ArrowSchema, columns: Record<string, unknown[] | Vector>): ArrowTable {
  let length = -1;
  const children = schema.fields.map((field) => {
    const column = columns[field.name];
    if (column === undefined) throw new Error(`row builder forgot column ${field.name}`);
    const vector = Array.isArray(column) ? vectorFromArray(column, field.type) : column;
    if (length === -1) length = vector.length;
    if (vector.length !== length)
      throw new Error(`column ${field.name} has ${vector.length} rows, expected ${length}`);
    const chunks = vector.data;
    if (chunks.length !== 1 || !chunks[0]) throw new Error(`column ${field.name} is not one chunk`);
    return chunks[0];
  });
  const struct = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, struct)]);
}

export function specTable(
  specs: readonly Spec[],
  extras: readonly SpecExtras[],
  dimensions: number,
): ArrowTable {
  const column = <T>(pick: (spec: Spec, extra: SpecExtras) => T): T[] =>
    specs.map((spec, index) => pick(spec, extras[index] as SpecExtras));
  return columnTable(specSchema(dimensions), {
    id: column((spec) => spec.id),
    provider: column((spec) => spec.provider),
    region: column((spec) => spec.region),
    region_id: column((_spec, extra) => extra.region.id),
    name: column((spec) => spec.name),
    family: column((spec) => familyOf(spec)),
    vcpu: column((spec) => spec.vcpu),
    memory_gib: column((spec) => spec.memoryGiB),
    arch: column((spec) => spec.arch),
    gpu_model: column((spec) => spec.gpu?.model ?? null),
    gpu_key: column((_spec, extra) => extra.gpuKey),
    gpu_count: column((spec) => spec.gpu?.count ?? null),
    gpu_memory_gib: column((spec) => spec.gpu?.memoryGiB ?? null),
    gpu_manufacturer: column((spec) => spec.gpu?.manufacturer ?? null),
    price: column((spec) => spec.pricePerHour),
    spot_price: column((spec) => spec.spotPricePerHour),
    currency: column((spec) => spec.currency),
    price_usd: column((spec) => toUsd(spec.pricePerHour, spec.currency)),
    spot_price_usd: column((spec) => toUsd(spec.spotPricePerHour, spec.currency)),
    performance: column((_spec, extra) => extra.performance),
    latitude: column((_spec, extra) => extra.region.latitude),
    longitude: column((_spec, extra) => extra.region.longitude),
    country_code: column((_spec, extra) => extra.region.countryCode ?? null),
    restricted: column((_spec, extra) => extra.region.restricted !== undefined),
    zones: column((spec) => (spec.zones === undefined ? null : JSON.stringify(spec.zones))),
    source: column((spec) => spec.source),
    fetched_at: column((spec) => spec.fetchedAt),
    text: column((_spec, extra) => extra.text),
    vector: vectorColumn(
      extras.map((extra) => extra.vector),
      dimensions,
    ),
  });
}

export function regionTable(
  regions: readonly CatalogRegion[],
  texts: readonly string[],
  vectors: readonly Float32Array[],
  dimensions: number,
): ArrowTable {
  const column = <T>(pick: (region: CatalogRegion) => T): T[] => regions.map(pick);
  return columnTable(regionSchema(dimensions), {
    id: column((region) => region.id),
    provider: column((region) => region.provider),
    code: column((region) => region.code),
    display_name: column((region) => region.displayName),
    city: column((region) => region.city ?? null),
    country_code: column((region) => region.countryCode ?? null),
    continent: column((region) => region.continent ?? null),
    latitude: column((region) => region.latitude),
    longitude: column((region) => region.longitude),
    restricted: column((region) => region.restricted ?? null),
    zones: column((region) => JSON.stringify(region.zones)),
    text: [...texts],
    vector: vectorColumn(vectors, dimensions),
  });
}

export function imageTable(
  images: readonly Image[],
  texts: readonly string[],
  vectors: readonly Float32Array[],
  dimensions: number,
): ArrowTable {
  const column = <T>(pick: (image: Image) => T): T[] => images.map(pick);
  return columnTable(imageSchema(dimensions), {
    id: column((image) => image.id),
    provider: column((image) => image.provider),
    region: column((image) => image.region),
    region_id: column((image) => `${image.provider}+${image.region}`),
    csp_image_id: column((image) => image.cspImageId),
    name: column((image) => image.name),
    os: column((image) => image.os),
    os_version: column((image) => image.osVersion),
    arch: column((image) => image.arch),
    gpu_ready: column((image) => image.gpuReady),
    source: column((image) => image.source),
    text: [...texts],
    vector: vectorColumn(vectors, dimensions),
  });
}

export function latencySchema(): ArrowSchema {
  return new Schema([utf8('from_region'), utf8('to_region'), float('rtt_ms')]);
}

export function latencyTable(rows: readonly { from: string; to: string; rttMs: number }[]): ArrowTable {
  return columnTable(latencySchema(), {
    from_region: rows.map((row) => row.from),
    to_region: rows.map((row) => row.to),
    rtt_ms: rows.map((row) => row.rttMs),
  });
}
