import { describe, expect, it } from 'vitest';
import { loadImages, loadLatency, loadProviders, loadRegions, loadSpecs } from './load/index.ts';
import {
  CatalogRegionSchema,
  ImageSchema,
  LatencySchema,
  ProviderSchema,
  RegionSchema,
  SpecSchema,
} from './schemas.ts';

/**
 * Every row the loaders give parses with its schema, strictly (no field the schema does not know).
 * Offenders are collected and asserted once: one expect() per row would dominate the run time.
 */
function invalidRows(rows: readonly unknown[], schema: { safeParse(value: unknown): { success: boolean } }) {
  return rows.filter((row) => !schema.safeParse(row).success);
}

describe('catalog schemas', () => {
  it('parse every region (catalog regions strictly; open regions as driver regions too)', () => {
    const regions = loadRegions();
    expect(invalidRows(regions, CatalogRegionSchema.strict())).toEqual([]);
    const open = regions.filter((region) => region.restricted === undefined);
    expect(invalidRows(open, RegionSchema.strict())).toEqual([]);
  });

  it('parse every spec', () => {
    const specs = loadSpecs();
    expect(specs.length).toBeGreaterThan(80_000);
    expect(invalidRows(specs, SpecSchema.strict()).map((spec) => (spec as { id: string }).id)).toEqual([]);
  });

  it('parse every image', () => {
    const images = loadImages();
    expect(images.length).toBeGreaterThan(0);
    expect(invalidRows(images, ImageSchema.strict())).toEqual([]);
  });

  it('parse every latency row and every provider', () => {
    expect(invalidRows(loadLatency(), LatencySchema.strict())).toEqual([]);
    const providers = loadProviders();
    expect(providers).toHaveLength(10);
    expect(invalidRows(providers, ProviderSchema.strict())).toEqual([]);
  });

  it('describe providers from the shipped data: counts, oldest source date, never refreshed', () => {
    const byId = new Map(loadProviders().map((provider) => [provider.id, provider]));
    expect(byId.get('gcp')).toMatchObject({
      displayName: 'Google Cloud Platform',
      regions: 43,
      refreshedAt: null,
      dataAsOf: '2026-05-20',
    });
    expect(byId.get('azure')?.regions).toBe(58);
    expect(byId.get('aws')?.dataAsOf).toMatch(/^20\d\d-\d\d-\d\d$/);
    const total = [...byId.values()].reduce((sum, provider) => sum + provider.specs, 0);
    expect(total).toBe(loadSpecs().length);
  });
});
