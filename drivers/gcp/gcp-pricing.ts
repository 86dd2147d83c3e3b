// Machine-type prices from the Cloud Billing Catalog API (@google-cloud/billing, loaded on first use).
// The catalog prices resources, not machine types: a machine type costs its vCPUs × the series'
// per-core SKU + its memory × the per-GiB RAM SKU (+ its GPUs × the GPU SKU), per region.
import type { Spec } from '../spec/index.ts';

/** The fields of a Billing Catalog Sku that prices are read from (the SDK's ISku has them). */
export interface Sku {
  description?: string | null;
  category?: {
    resourceFamily?: string | null;
    resourceGroup?: string | null;
    usageType?: string | null;
  } | null;
  serviceRegions?: string[] | null;
  pricingInfo?:
    | {
        pricingExpression?: {
          usageUnit?: string | null;
          tieredRates?:
            | {
                startUsageAmount?: number | null;
                unitPrice?: { currencyCode?: string | null; units?: unknown; nanos?: number | null } | null;
              }[]
            | null;
        } | null;
      }[]
    | null;
}

/** The Compute Engine service of the Billing Catalog (its id is fixed and public). */
export const COMPUTE_ENGINE_SERVICE = 'services/6F81-5844-456A';

type ResourceKind = 'core' | 'ram' | 'gpu' | 'machine';
type PriceModel = 'onDemand' | 'spot';

/** USD per hour (per vCPU, per GiB, per GPU or per machine) by region and key. */
export type PriceTable = Map<string, Map<string, number>>;

/** One priced resource read from a SKU, for every region it is sold in. */
export interface SkuRate {
  key: string;
  regions: string[];
  usdPerHour: number;
}

const priceKey = (model: PriceModel, kind: ResourceKind, name: string) => `${model}:${kind}:${name}`;

/** Descriptions of SKUs that are not the plain predefined price of a machine series. */
const EXCLUDED = /custom|sole tenancy|extended|commitment|reserved|premium|licen[cs]e|dws|calendar|flex/i;

/** Series whose SKU descriptions do not start with the series name. */
const SERIES_BY_PHRASE: [RegExp, string][] = [
  [/^compute optimized$/i, 'c2'],
  [/^memory-optimized$/i, 'm1'],
];

/** Shared-core N1 machines are priced per machine, not per vCPU. */
const MACHINE_SKUS: [RegExp, string][] = [
  [/^micro instance with burstable cpu running in /i, 'f1-micro'],
  [/^small instance with 1 vcpu running in /i, 'g1-small'],
];

/** "Nvidia Tesla A100 80GB GPU" and "nvidia-a100-80gb" → "a10080gb": one key for both spellings. */
export function gpuKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\bgpu\b.*$/, '')
    .replace(/nvidia|tesla|[^a-z0-9]/g, '');
}

/** USD from a google.type.Money (units: int64 as a string in JSON, nanos: 1e-9). */
function usdOf(money: { units?: unknown; nanos?: unknown } | null | undefined): number {
  // One division of an integer count of nanos: the closest double to the decimal price.
  return (Number(money?.units ?? 0) * 1e9 + Number(money?.nanos ?? 0)) / 1e9;
}

/** The hourly rate of a SKU: its latest pricing, the tier that starts at zero usage. */
function hourlyRate(sku: Sku, unit: string): number | undefined {
  const pricing = sku.pricingInfo?.at(-1);
  const expression = pricing?.pricingExpression;
  if (expression?.usageUnit !== unit) return undefined;
  const tiers = [...(expression.tieredRates ?? [])].sort(
    (left, right) => Number(left.startUsageAmount ?? 0) - Number(right.startUsageAmount ?? 0),
  );
  const tier = tiers[0];
  if (!tier?.unitPrice || (tier.unitPrice.currencyCode ?? 'USD') !== 'USD') return undefined;
  const usd = usdOf(tier.unitPrice);
  return Number.isFinite(usd) && usd > 0 ? usd : undefined;
}

/**
 * One Compute Engine SKU → the resource it prices, or undefined for what machine prices do not
 * use (commitments, custom and sole-tenant machines, licences, disks, network).
 */
export function skuRate(sku: Sku): SkuRate | undefined {
  const category = sku.category;
  const description = sku.description ?? '';
  if (category?.resourceFamily !== 'Compute' || EXCLUDED.test(description)) return undefined;
  const model: PriceModel | undefined =
    category.usageType === 'OnDemand'
      ? 'onDemand'
      : category.usageType === 'Preemptible'
        ? 'spot'
        : undefined;
  if (!model) return undefined;
  const regions = (sku.serviceRegions ?? []).filter((region) => region && region !== 'global');
  const text = description.replace(/^spot preemptible /i, '');
  const rate = (kind: ResourceKind, name: string, unit: string): SkuRate | undefined => {
    const usdPerHour = hourlyRate(sku, unit);
    return usdPerHour === undefined ? undefined : { key: priceKey(model, kind, name), regions, usdPerHour };
  };
  if (category.resourceGroup === 'GPU') {
    const match = /^(.*?\bGPU)\b/i.exec(text);
    return match?.[1] ? rate('gpu', gpuKey(match[1]), 'h') : undefined;
  }
  for (const [pattern, machine] of MACHINE_SKUS) if (pattern.test(text)) return rate('machine', machine, 'h');
  const match = /^(.+?)(?: Instance)? (Core|Ram) running in /i.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const phrase = match[1].replace(/ predefined$/i, '');
  const series =
    SERIES_BY_PHRASE.find(([pattern]) => pattern.test(phrase))?.[1] ??
    phrase.split(' ')[0]?.toLowerCase() ??
    '';
  if (!/^[a-z][a-z0-9]*$/.test(series)) return undefined;
  return match[2].toLowerCase() === 'core' ? rate('core', series, 'h') : rate('ram', series, 'GiBy.h');
}

/** Every SKU's rate under each of its regions; the first SKU for a key and region wins. */
export function priceTable(skus: Iterable<Sku>): PriceTable {
  const table: PriceTable = new Map();
  for (const sku of skus) {
    const rate = skuRate(sku);
    if (!rate) continue;
    for (const region of rate.regions) {
      let prices = table.get(region);
      if (!prices) {
        prices = new Map();
        table.set(region, prices);
      }
      if (!prices.has(rate.key)) prices.set(rate.key, rate.usdPerHour);
    }
  }
  return table;
}

/**
 * vCPUs billed for a machine type: shared-core E2 machines bill a fraction of their vCPUs
 * (Google's shared-core pricing: e2-micro 0.25, e2-small 0.5, e2-medium 1).
 */
const BILLED_VCPUS: Record<string, number> = { 'e2-micro': 0.25, 'e2-small': 0.5, 'e2-medium': 1 };

/** A machine type's hourly price in a region, or null when a SKU it needs is missing. */
export function machinePrice(
  spec: Pick<Spec, 'name' | 'region' | 'vcpu' | 'memoryGiB'>,
  accelerator: { type: string; count: number } | undefined,
  table: PriceTable,
  model: PriceModel,
): number | null {
  const prices = table.get(spec.region);
  if (!prices) return null;
  const perMachine = prices.get(priceKey(model, 'machine', spec.name));
  if (perMachine !== undefined) return round(perMachine);
  const series = spec.name.split('-')[0] ?? '';
  const core = prices.get(priceKey(model, 'core', series));
  const ram = prices.get(priceKey(model, 'ram', series));
  if (core === undefined || ram === undefined) return null;
  let total = (BILLED_VCPUS[spec.name] ?? spec.vcpu) * core + spec.memoryGiB * ram;
  if (accelerator) {
    const gpu = prices.get(priceKey(model, 'gpu', gpuKey(accelerator.type)));
    if (gpu === undefined) return null;
    total += accelerator.count * gpu;
  }
  return round(total);
}

/** Micro-dollar precision: the SKUs' nanos summed over a machine are not meaningful below it. */
function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

export interface BillingEndpoint {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

export interface BillingCatalogSettings {
  /** Another endpoint than cloudbilling.googleapis.com (tests: the local fake). */
  endpoint?: BillingEndpoint;
  credentialsFile?: string;
  authClient?: unknown;
}

/** Loads the Compute Engine SKUs once (a failure is not kept) and hands out the price table. */
export class BillingCatalogPrices {
  private loading: Promise<PriceTable> | undefined;
  private client: import('@google-cloud/billing').CloudCatalogClient | undefined;

  constructor(private readonly settings: BillingCatalogSettings) {}

  table(): Promise<PriceTable> {
    this.loading ??= this.fetch();
    this.loading.catch(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetch(): Promise<PriceTable> {
    const { CloudCatalogClient } = await import('@google-cloud/billing');
    const { endpoint, credentialsFile, authClient } = this.settings;
    this.client ??= new CloudCatalogClient({
      // REST, as for Compute: no gRPC channel for a handful of list calls.
      fallback: true,
      ...(endpoint ? { apiEndpoint: endpoint.host, port: endpoint.port, protocol: endpoint.protocol } : {}),
      ...(authClient ? { authClient } : {}),
      ...(credentialsFile ? { keyFilename: credentialsFile } : {}),
    } as ConstructorParameters<typeof CloudCatalogClient>[0]);
    const skus: Sku[] = [];
    for await (const sku of this.client.listSkusAsync({
      parent: COMPUTE_ENGINE_SERVICE,
      currencyCode: 'USD',
    }))
      skus.push(sku);
    return priceTable(skus);
  }

  async close(): Promise<void> {
    await this.client?.close().catch(() => undefined);
    this.client = undefined;
  }
}
