/**
 * Cloud Billing Catalog v1 resources as its REST reference documents them (services.list,
 * services.skus.list): Service {name, serviceId, displayName, businessEntityName} and Sku {name,
 * skuId, description, category {serviceDisplayName, resourceFamily, resourceGroup, usageType},
 * serviceRegions, pricingInfo [{summary, pricingExpression {usageUnit, usageUnitDescription,
 * baseUnit, baseUnitDescription, baseUnitConversionFactor, displayQuantity, tieredRates
 * [{startUsageAmount, unitPrice {currencyCode, units, nanos}}]}, aggregationInfo,
 * currencyConversionRate, effectiveTime}], serviceProviderName, geoTaxonomy}.
 * Prices are close to Google's list prices for the two fixture regions (us-central1 is one of the
 * "Americas" regions; asia-northeast3 is Seoul), plus SKUs machine prices must not use.
 */

export const COMPUTE_SERVICE_ID = '6F81-5844-456A';

export const FIXTURE_SERVICES = [
  {
    name: 'services/6F81-5844-456A',
    serviceId: COMPUTE_SERVICE_ID,
    displayName: 'Compute Engine',
    businessEntityName: 'businessEntities/GCP',
  },
  {
    name: 'services/95FF-2EF5-5EA1',
    serviceId: '95FF-2EF5-5EA1',
    displayName: 'Cloud Storage',
    businessEntityName: 'businessEntities/GCP',
  },
  {
    name: 'services/24E6-581D-38E5',
    serviceId: '24E6-581D-38E5',
    displayName: 'BigQuery',
    businessEntityName: 'businessEntities/GCP',
  },
];

const AMERICAS = ['us-central1', 'us-east1', 'us-east4', 'us-west1'];
const SEOUL = ['asia-northeast3'];

interface SkuFixture {
  skuId: string;
  description: string;
  resourceGroup: string;
  usageType: 'OnDemand' | 'Preemptible' | 'Commit1Yr';
  regions: string[];
  /** USD per usage unit. */
  usd: number;
  usageUnit: 'h' | 'GiBy.h' | 'GiBy.mo';
  resourceFamily?: string;
}

const SKU_FIXTURES: SkuFixture[] = [
  // First, so a parser that took them would keep them: commitments, custom and sole-tenant
  // machines and disks are not the predefined price of a machine.
  commit(core('57E4-7E1C-55A1', 'Commitment v1: E2 Cpu in Americas for 1 Year', 'CPU', AMERICAS, 0.013741)),
  core('6B8F-E63D-832B', 'Custom E2 Instance Core running in Americas', 'CPU', AMERICAS, 0.9),
  core('2C63-6E5A-4BD0', 'N2 Sole Tenancy Instance Core running in Americas', 'CPU', AMERICAS, 0.9),
  {
    skuId: 'D973-5D65-BAB2',
    description: 'Storage PD Capacity',
    resourceFamily: 'Storage',
    resourceGroup: 'PDStandard',
    usageType: 'OnDemand',
    regions: AMERICAS,
    usd: 0.04,
    usageUnit: 'GiBy.mo',
  },
  // E2 (per vCPU and per GiB): e2-medium in us-central1 = 1 × 0.021811 + 4 × 0.002923 = 0.033503.
  core('CF4E-A0C7-E3BF', 'E2 Instance Core running in Americas', 'CPU', AMERICAS, 0.021811),
  ram('F449-33EC-A5EF', 'E2 Instance Ram running in Americas', 'RAM', AMERICAS, 0.002923),
  core('9F76-9F51-8A9B', 'E2 Instance Core running in Seoul', 'CPU', SEOUL, 0.02686),
  ram('2A27-B4BB-7AD6', 'E2 Instance Ram running in Seoul', 'RAM', SEOUL, 0.0036),
  spot(
    core(
      '2E27-4F75-95CD',
      'Spot Preemptible E2 Instance Core running in Americas',
      'CPU',
      AMERICAS,
      0.006543,
    ),
  ),
  spot(
    ram('0DD6-1E8B-3B83', 'Spot Preemptible E2 Instance Ram running in Americas', 'RAM', AMERICAS, 0.000877),
  ),
  // N1 and the T4 it takes: n1-standard-4-t4x1 in Seoul = 4 × 0.040376 + 15 × 0.005411 + 0.42 = 0.662669.
  core('9431-1E1E-0E5A', 'N1 Predefined Instance Core running in Americas', 'N1Standard', AMERICAS, 0.031611),
  ram('39F4-0112-D82F', 'N1 Predefined Instance Ram running in Americas', 'N1Standard', AMERICAS, 0.004237),
  core('D4C3-5D1A-9C8B', 'N1 Predefined Instance Core running in Seoul', 'N1Standard', SEOUL, 0.040376),
  ram('5E2B-7A90-6C11', 'N1 Predefined Instance Ram running in Seoul', 'N1Standard', SEOUL, 0.005411),
  gpu('B2BB-2E1A-6A8C', 'Nvidia Tesla T4 GPU running in Americas', AMERICAS, 0.35),
  gpu('6B73-38E4-7F33', 'Nvidia Tesla T4 GPU running in Seoul', SEOUL, 0.42),
  // N2: n2-standard-4 in us-central1 = 4 × 0.031611 + 16 × 0.004237 = 0.194236.
  core('BB77-5FDA-69D9', 'N2 Instance Core running in Americas', 'N2Standard', AMERICAS, 0.031611),
  ram('5B01-D157-A097', 'N2 Instance Ram running in Americas', 'N2Standard', AMERICAS, 0.004237),
  core('5BB6-2DF0-0FCF', 'N2 Instance Core running in Seoul', 'N2Standard', SEOUL, 0.038924),
  ram('8726-F8B3-6A0A', 'N2 Instance Ram running in Seoul', 'N2Standard', SEOUL, 0.005218),
  // T2A (Arm) in us-central1 only.
  core('7DD1-A5D6-5B3D', 'T2A Arm Instance Core running in Americas', 'CPU', AMERICAS, 0.0308),
  ram('2B7F-2A52-8F05', 'T2A Arm Instance Ram running in Americas', 'RAM', AMERICAS, 0.0036),
  // G2 with its L4s: g2-standard-4 in asia-northeast3 = 4 × 0.0308 + 16 × 0.0036 + 0.7 = 0.8808.
  core('3E4F-8E4A-1B7E', 'G2 Instance Core running in Americas', 'CPU', AMERICAS, 0.024988),
  ram('C8A8-F2C1-3E0B', 'G2 Instance Ram running in Americas', 'RAM', AMERICAS, 0.002927),
  core('D6A2-0B39-4E4F', 'G2 Instance Core running in Seoul', 'CPU', SEOUL, 0.0308),
  ram('A1A4-5C0E-2B94', 'G2 Instance Ram running in Seoul', 'RAM', SEOUL, 0.0036),
  gpu('6D0B-0D4C-3D31', 'Nvidia L4 GPU running in Americas', AMERICAS, 0.56),
  gpu('E3A6-B1F1-3C4F', 'Nvidia L4 GPU running in Seoul', SEOUL, 0.7),
  // A2 with its A100 (us-central1-b only): 12 × 0.031611 + 85 × 0.004237 + 2.933908 = 3.673385.
  core('0E95-0A51-45F9', 'A2 Instance Core running in Americas', 'CPU', AMERICAS, 0.031611),
  ram('7D6F-2B42-8E11', 'A2 Instance Ram running in Americas', 'RAM', AMERICAS, 0.004237),
  gpu('039F-D0DA-4055', 'Nvidia Tesla A100 GPU running in Americas', AMERICAS, 2.933908),
  spot(
    gpu(
      '1F8C-7F1D-2AC2',
      'Nvidia Tesla A100 GPU attached to Spot Preemptible VMs running in Americas',
      AMERICAS,
      0.88,
    ),
  ),
];

function core(
  skuId: string,
  description: string,
  resourceGroup: string,
  regions: string[],
  usd: number,
): SkuFixture {
  return { skuId, description, resourceGroup, usageType: 'OnDemand', regions, usd, usageUnit: 'h' };
}
function ram(
  skuId: string,
  description: string,
  resourceGroup: string,
  regions: string[],
  usd: number,
): SkuFixture {
  return { skuId, description, resourceGroup, usageType: 'OnDemand', regions, usd, usageUnit: 'GiBy.h' };
}
function gpu(skuId: string, description: string, regions: string[], usd: number): SkuFixture {
  return { skuId, description, resourceGroup: 'GPU', usageType: 'OnDemand', regions, usd, usageUnit: 'h' };
}
function spot(sku: SkuFixture): SkuFixture {
  return { ...sku, usageType: 'Preemptible' };
}
function commit(sku: SkuFixture): SkuFixture {
  return { ...sku, usageType: 'Commit1Yr' };
}

/** Money as google.type.Money in JSON: units is an int64, so a string; nanos a number. */
function money(usd: number) {
  const units = Math.floor(usd);
  return { currencyCode: 'USD', units: String(units), nanos: Math.round((usd - units) * 1e9) };
}

const UNIT_DESCRIPTIONS: Record<SkuFixture['usageUnit'], [string, string, string, number]> = {
  h: ['hour', 's', 'second', 3600],
  'GiBy.h': ['gibibyte hour', 'By.s', 'byte second', 3865470566400],
  'GiBy.mo': ['gibibyte month', 'By.s', 'byte second', 2.8759101014016e15],
};

export function skuResource(sku: SkuFixture) {
  const [usageUnitDescription, baseUnit, baseUnitDescription, baseUnitConversionFactor] =
    UNIT_DESCRIPTIONS[sku.usageUnit];
  return {
    name: `services/${COMPUTE_SERVICE_ID}/skus/${sku.skuId}`,
    skuId: sku.skuId,
    description: sku.description,
    category: {
      serviceDisplayName: 'Compute Engine',
      resourceFamily: sku.resourceFamily ?? 'Compute',
      resourceGroup: sku.resourceGroup,
      usageType: sku.usageType,
    },
    serviceRegions: sku.regions,
    pricingInfo: [
      {
        summary: '',
        pricingExpression: {
          usageUnit: sku.usageUnit,
          usageUnitDescription,
          baseUnit,
          baseUnitDescription,
          baseUnitConversionFactor,
          displayQuantity: 1,
          tieredRates: [{ startUsageAmount: 0, unitPrice: money(sku.usd) }],
        },
        aggregationInfo: { aggregationLevel: 'ACCOUNT', aggregationInterval: 'DAILY', aggregationCount: 1 },
        currencyConversionRate: 1,
        effectiveTime: '2026-12-07T10:35:09.493Z',
      },
    ],
    serviceProviderName: 'Google',
    geoTaxonomy: { type: sku.regions.length > 1 ? 'MULTI_REGIONAL' : 'REGIONAL', regions: sku.regions },
  };
}

export const FIXTURE_SKUS = SKU_FIXTURES.map(skuResource);
