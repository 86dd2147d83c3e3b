// The catalog explorer's API on the shipped catalog: filters to searchSpecs, cheapest first, every
// hit placed on the map, and bad query strings answered 400 with what to send instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCatalogSpecs } from './catalog-api.ts';
import type { ApiErrorBody, CatalogSpecsView } from './dashboard-types.ts';
import { apiRequest, openWebTestContext, type WebTestContext } from './testing/web-context-kit.ts';

let web: WebTestContext;

// The catalog index is opened (or built) once per home: seconds on a warm cache.
beforeAll(async () => {
  web = await openWebTestContext();
  await web.context.services.catalog();
}, 180_000);
afterAll(async () => web?.close());

async function search(query: string): Promise<Response> {
  return handleCatalogSpecs(apiRequest(`catalog/specs?${query}`), web.context, {});
}

async function results(query: string): Promise<CatalogSpecsView> {
  const response = await search(query);
  if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
  return (await response.json()) as CatalogSpecsView;
}

function expectCheapestFirst(view: CatalogSpecsView): void {
  const prices = view.results.map((row) => row.pricePerHour ?? Number.POSITIVE_INFINITY);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
}

describe('GET /api/catalog/specs', () => {
  it('finds GPU specs near Seoul, cheapest first, each with its coordinates', async () => {
    const view = await results('gpu=any&near=Seoul&limit=10');
    expect(view.count).toBe(view.results.length);
    expect(view.count).toBeGreaterThan(0);
    expectCheapestFirst(view);
    for (const row of view.results) {
      expect(row.gpu?.count).toBeGreaterThan(0);
      expect(row.distanceKm).not.toBeNull();
      expect(row.distanceKm).toBeLessThan(1500);
      expect(row.latitude).toBeGreaterThan(20);
      expect(row.longitude).toBeGreaterThan(100);
    }
  });

  it('understands a Korean place and a GPU model', async () => {
    const view = await results(`gpu=T4&near=${encodeURIComponent('서울')}&limit=5`);
    expect(view.count).toBeGreaterThan(0);
    for (const row of view.results) expect(row.gpu?.model).toMatch(/T4/);
  });

  it('filters by provider, vCPU, memory and price; empty fields are no filter', async () => {
    const view = await results(
      'provider=aws,gcp&minVcpu=4&minMemoryGiB=16&maxPricePerHour=0.5&near=&gpu=&limit=20',
    );
    expect(view.count).toBe(20);
    expectCheapestFirst(view);
    for (const row of view.results) {
      expect(['aws', 'gcp']).toContain(row.provider);
      expect(row.vcpu).toBeGreaterThanOrEqual(4);
      expect(row.memoryGiB).toBeGreaterThanOrEqual(16);
      expect(row.pricePerHour).toBeLessThanOrEqual(0.5);
      expect(row.latitude).not.toBeNull();
    }
  });

  it('answers 400 with a next step for bad parameters', async () => {
    for (const [query, message] of [
      ['limit=500', /limit/],
      ['limit=2.5', /limit/],
      ['minVcpu=lots', /minVcpu/],
      ['maxPricePerHour=-1', /maxPricePerHour/],
      ['provider=nimbus', /provider/],
      ['radiusKm=100', /near/],
      ['near=Qwxzzyv%20Nowhere', /place/],
      ['gpu=NotAGpu9000', /GPU/],
    ] as const) {
      const response = await search(query);
      expect(response.status, query).toBe(400);
      const { error } = (await response.json()) as ApiErrorBody;
      expect(error.message, query).toMatch(message);
      expect(error.next.length, query).toBeGreaterThan(10);
    }
  });
});
