/**
 * The specs table's scalar columns held in typed arrays, for structured queries (no text): one pass
 * over ~85k rows with the filters, a bounded heap for the order. Measured against LanceDB scalar
 * queries in catalog.bench.ts (the in-memory scan is the default because it is faster there).
 * Specs are rebuilt from their row only for the hits.
 */
import type { Table as ArrowTable } from 'apache-arrow';
import { PROVIDERS, type ProviderId, type Spec } from '../../drivers/spec/index.ts';
import type { SpecPlan } from './plan.ts';

/** Columns the engine reads (everything in the specs table but text and vector). */
export const SPEC_COLUMNS = [
  'id',
  'provider',
  'region',
  'region_id',
  'name',
  'vcpu',
  'memory_gib',
  'arch',
  'gpu_model',
  'gpu_key',
  'gpu_count',
  'gpu_memory_gib',
  'gpu_manufacturer',
  'price',
  'spot_price',
  'currency',
  'price_usd',
  'spot_price_usd',
  'performance',
  'restricted',
  'zones',
  'source',
  'fetched_at',
];

/** A spec as the loaders gave it, from its row (a LanceDB result row or an Arrow row). */
export function specFromRow(row: Record<string, unknown>): Spec {
  const gpuModel = row.gpu_model as string | null;
  const spec: Spec = {
    id: String(row.id),
    provider: row.provider as ProviderId,
    region: String(row.region),
    name: String(row.name),
    vcpu: Number(row.vcpu),
    memoryGiB: Number(row.memory_gib),
    arch: row.arch as Spec['arch'],
    gpu:
      gpuModel === null || gpuModel === undefined
        ? null
        : {
            model: gpuModel,
            count: Number(row.gpu_count),
            memoryGiB: row.gpu_memory_gib === null ? null : Number(row.gpu_memory_gib),
            manufacturer: (row.gpu_manufacturer as string | null) ?? null,
          },
    pricePerHour: row.price === null ? null : Number(row.price),
    spotPricePerHour: row.spot_price === null ? null : Number(row.spot_price),
    currency: String(row.currency),
    source: String(row.source),
    fetchedAt: String(row.fetched_at),
  };
  if (row.zones !== null && row.zones !== undefined) spec.zones = JSON.parse(String(row.zones)) as string[];
  return spec;
}

const ARCH_CODES: Record<string, number> = { x86_64: 0, arm64: 1 };

function child(table: ArrowTable, name: string) {
  const column = table.getChild(name);
  if (!column) throw new Error(`specs table has no column ${name}`);
  return column;
}

/** Is bit `index` of an Arrow validity bitmap set (a null bitmap of null means all valid)? */
function bit(bitmap: Uint8Array | null | undefined, index: number): boolean {
  return !bitmap || ((bitmap[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
}

/** A float column as a Float64Array, NaN for null, straight from the Arrow buffers. */
function floats(table: ArrowTable, name: string): Float64Array {
  const out = new Float64Array(table.numRows);
  let base = 0;
  for (const data of child(table, name).data) {
    const values = data.values as Float64Array;
    const nulls = data.nullCount > 0 ? (data.nullBitmap as Uint8Array) : null;
    for (let index = 0; index < data.length; index++) {
      const at = data.offset + index;
      out[base + index] = bit(nulls, at) ? (values[at] as number) : Number.NaN;
    }
    base += data.length;
  }
  return out;
}

/** A boolean column as 0/1. */
function booleans(table: ArrowTable, name: string): Uint8Array {
  const out = new Uint8Array(table.numRows);
  let base = 0;
  for (const data of child(table, name).data) {
    const values = data.values as Uint8Array;
    for (let index = 0; index < data.length; index++)
      out[base + index] = bit(values, data.offset + index) ? 1 : 0;
    base += data.length;
  }
  return out;
}

/** The first byte of each value of a UTF-8 column (enough to tell "arm64" from "x86_64"). */
function firstBytes(table: ArrowTable, name: string): Uint8Array {
  const out = new Uint8Array(table.numRows);
  let base = 0;
  for (const data of child(table, name).data) {
    const bytes = data.values as Uint8Array;
    const offsets = data.valueOffsets as Int32Array;
    for (let index = 0; index < data.length; index++)
      out[base + index] = bytes[offsets[data.offset + index] ?? 0] ?? 0;
    base += data.length;
  }
  return out;
}

function strings(table: ArrowTable, name: string): (string | null)[] {
  return child(table, name).toArray() as (string | null)[];
}

export class SpecColumns {
  readonly size: number;
  readonly id: string[];
  readonly regionId: string[];
  /** Index of the row's region in `regionIds` (the world's regions, by id); -1 when unknown. */
  readonly regionIndex: Int32Array;
  readonly provider: Uint8Array;
  readonly arch: Uint8Array;
  readonly restricted: Uint8Array;
  readonly vcpu: Float64Array;
  readonly memoryGiB: Float64Array;
  /** NaN: no GPU. */
  readonly gpuCount: Float64Array;
  readonly gpuMemoryGiB: Float64Array;
  readonly gpuKey: (string | null)[];
  /** NaN: no USD price. */
  readonly priceUsd: Float64Array;
  readonly spotPriceUsd: Float64Array;
  readonly performance: Float64Array;
  readonly #table: ArrowTable;
  #rowById: Map<string, number> | undefined;

  readonly regionIds: readonly string[];

  constructor(table: ArrowTable, regionIds: readonly string[]) {
    this.#table = table;
    this.size = table.numRows;
    this.regionIds = regionIds;
    const regionIndex = new Map(regionIds.map((id, index) => [id, index]));
    this.id = strings(table, 'id') as string[];
    this.regionIndex = new Int32Array(this.size);
    // Provider and region id are the first parts of the spec id ("provider+region+name").
    this.regionId = new Array(this.size);
    this.provider = new Uint8Array(this.size);
    const providerIndex = new Map<string, number>(PROVIDERS.map((provider, index) => [provider, index]));
    for (let row = 0; row < this.size; row++) {
      const id = this.id[row] as string;
      const first = id.indexOf('+');
      const second = id.indexOf('+', first + 1);
      this.regionId[row] = id.slice(0, second);
      this.regionIndex[row] = regionIndex.get(this.regionId[row] as string) ?? -1;
      this.provider[row] = providerIndex.get(id.slice(0, first)) ?? 255;
    }
    const archBytes = firstBytes(table, 'arch');
    this.arch = archBytes.map((byte) => (byte === 0x61 ? ARCH_CODES.arm64 : ARCH_CODES.x86_64) ?? 0);
    this.restricted = booleans(table, 'restricted');
    this.gpuKey = strings(table, 'gpu_key');
    this.vcpu = floats(table, 'vcpu');
    this.memoryGiB = floats(table, 'memory_gib');
    this.gpuCount = floats(table, 'gpu_count');
    this.gpuMemoryGiB = floats(table, 'gpu_memory_gib');
    this.priceUsd = floats(table, 'price_usd');
    this.spotPriceUsd = floats(table, 'spot_price_usd');
    this.performance = floats(table, 'performance');
  }

  /** The source date of a row (decoded on demand: only listProviders reads it). */
  fetchedAt(row: number): string {
    return String(child(this.#table, 'fetched_at').get(row));
  }

  /** The row of a spec id, undefined when the catalog has no such spec. */
  rowOf(id: string): number | undefined {
    this.#rowById ??= new Map(this.id.map((each, row) => [each, row]));
    return this.#rowById.get(id);
  }

  spec(row: number): Spec {
    const record = this.#table.get(row);
    if (!record) throw new Error(`no spec row ${row}`);
    return specFromRow(record as unknown as Record<string, unknown>);
  }

  /** Per region (by index): 1 when the plan allows it. */
  regionMask(plan: SpecPlan, restricted: (regionId: string) => boolean): Uint8Array {
    const mask = new Uint8Array(this.regionIds.length);
    this.regionIds.forEach((id, index) => {
      mask[index] = (plan.regionIds ? plan.regionIds.has(id) : !restricted(id)) ? 1 : 0;
    });
    return mask;
  }

  /** Per region (by index): the plan's distance or latency, NaN when unknown. */
  regionValues(values: ReadonlyMap<string, number> | null): Float64Array {
    const out = new Float64Array(this.regionIds.length).fill(Number.NaN);
    if (!values) return out;
    this.regionIds.forEach((id, index) => {
      out[index] = values.get(id) ?? Number.NaN;
    });
    return out;
  }

  /** Row numbers that pass every filter of the plan, in table order. */
  filter(plan: SpecPlan, regionMask: Uint8Array): Int32Array {
    const providerAllowed = new Uint8Array(PROVIDERS.length).fill(plan.providers ? 0 : 1);
    if (plan.providers)
      for (const provider of plan.providers) providerAllowed[PROVIDERS.indexOf(provider)] = 1;
    const price = plan.spot ? this.spotPriceUsd : this.priceUsd;
    const arch = plan.arch === undefined ? -1 : (ARCH_CODES[plan.arch] ?? -1);
    const minVcpu = plan.minVcpu ?? Number.NEGATIVE_INFINITY;
    const maxVcpu = plan.maxVcpu ?? Number.POSITIVE_INFINITY;
    const minMemory = plan.minMemoryGiB ?? Number.NEGATIVE_INFINITY;
    const maxMemory = plan.maxMemoryGiB ?? Number.POSITIVE_INFINITY;
    const maxPrice = plan.maxPricePerHour ?? Number.POSITIVE_INFINITY;
    const gpu = plan.gpu;
    const gpuMemory = gpu?.minMemoryGiB ?? Number.NEGATIVE_INFINITY;
    const rows = new Int32Array(this.size);
    let count = 0;
    for (let row = 0; row < this.size; row++) {
      if (providerAllowed[this.provider[row] as number] !== 1) continue;
      if (regionMask[this.regionIndex[row] as number] !== 1) continue;
      const vcpu = this.vcpu[row] as number;
      if (vcpu < minVcpu || vcpu > maxVcpu) continue;
      const memory = this.memoryGiB[row] as number;
      if (memory < minMemory || memory > maxMemory) continue;
      if (arch !== -1 && this.arch[row] !== arch) continue;
      const gpuCount = this.gpuCount[row] as number;
      if (plan.noGpu && !Number.isNaN(gpuCount)) continue;
      if (gpu) {
        // NaN (no GPU, unknown memory) fails every comparison.
        if (!(gpuCount >= gpu.minCount)) continue;
        if (gpu.minMemoryGiB !== undefined && !((this.gpuMemoryGiB[row] as number) >= gpuMemory)) continue;
        if (!gpu.keys.has(this.gpuKey[row] as string)) continue;
      }
      const value = price[row] as number;
      if (plan.spot && Number.isNaN(value)) continue;
      if (plan.maxPricePerHour !== undefined && !(value <= maxPrice)) continue;
      rows[count++] = row;
    }
    return rows.subarray(0, count);
  }
}
