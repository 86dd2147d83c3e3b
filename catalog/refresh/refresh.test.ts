import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimDriver } from '../../drivers/sim/sim-driver.ts';
import type { CloudDriver, Image, ProviderId, Spec } from '../../drivers/spec/index.ts';
import { openStore } from '../../store/index.ts';
import type { Store } from '../../store/types.ts';
import { worldForProvider } from '../load/index.ts';
import {
  type CatalogSink,
  catalogStaleness,
  REFRESH_KIND,
  REFRESH_NAMESPACE,
  type RefreshProgress,
  type RefreshRecord,
  refreshCatalog,
} from './refresh.ts';

/** The sink is this unit's boundary: it records what it was given, batch by batch. */
class RecordingSink implements CatalogSink {
  readonly specBatches: Spec[][] = [];
  readonly imageBatches: Image[][] = [];
  failSpecsFor: ProviderId | undefined;
  knownPrices: CatalogSink['knownPrices'];

  async upsertSpecs(rows: Spec[]): Promise<void> {
    if (rows.some((row) => row.provider === this.failSpecsFor)) throw new Error('index is read-only');
    this.specBatches.push(rows);
  }

  async upsertImages(rows: Image[]): Promise<void> {
    this.imageBatches.push(rows);
  }

  specIds(provider: ProviderId): string[] {
    return this.specBatches
      .flat()
      .filter((row) => row.provider === provider)
      .map((row) => row.id)
      .sort();
  }

  imageIds(provider: ProviderId): string[] {
    return this.imageBatches
      .flat()
      .filter((row) => row.provider === provider)
      .map((row) => row.id)
      .sort();
  }
}

const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id).sort();
const REFRESHED_AT = Date.parse('2026-11-28T12:00:00Z');

let home: string;
let store: Store;
let drivers: Map<ProviderId, SimDriver>;
let sink: RecordingSink;
let progress: RefreshProgress[];

/** The real sim driver on the shipped world of one provider, with API latency off. */
function simDriver(provider: ProviderId): SimDriver {
  let driver = drivers.get(provider);
  if (!driver) {
    driver = new SimDriver({
      provider,
      store,
      world: worldForProvider(provider),
      config: { account: 'refresh-test', apiLatency: false, timeScale: 0.001 },
    });
    drivers.set(provider, driver);
  }
  return driver;
}

function refresh(
  provider: ProviderId | ProviderId[],
  extra: Partial<Parameters<typeof refreshCatalog>[0]> = {},
) {
  return refreshCatalog({
    provider,
    driverFor: async (name) => simDriver(name),
    sink,
    store,
    onProgress: (event) => progress.push(event),
    clock: () => REFRESHED_AT,
    ...extra,
  });
}

async function record(provider: ProviderId): Promise<RefreshRecord | undefined> {
  return (await store.get<RefreshRecord>(REFRESH_NAMESPACE, REFRESH_KIND, provider))?.data;
}

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 's2a-refresh-'));
  store = await openStore({ home });
  drivers = new Map();
  sink = new RecordingSink();
  progress = [];
});

afterEach(async () => {
  for (const driver of drivers.values()) await driver.close();
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('refreshCatalog on the sim', () => {
  it('upserts every spec and image of every region, in batches, and records when', async () => {
    const summary = await refresh(['ncp', 'kt'], { batchSize: 40 });
    expect(summary.ok).toBe(true);
    for (const provider of ['ncp', 'kt'] as const) {
      const world = worldForProvider(provider);
      expect(sink.specIds(provider)).toEqual(ids(world.specs));
      expect(sink.imageIds(provider)).toEqual(ids(world.images));
      expect(await record(provider)).toEqual({
        provider,
        refreshedAt: '2026-11-28T12:00:00.000Z',
        regions: world.regions.length,
        specs: world.specs.length,
        images: world.images.length,
        driver: 'sim',
        lastError: null,
      });
    }
    expect(sink.specBatches.every((batch) => batch.length <= 40)).toBe(true);
    expect(sink.specBatches.length).toBeGreaterThan(3);
    expect(
      summary.providers.map(({ provider, ok, specs, invalid }) => ({ provider, ok, specs, invalid })),
    ).toEqual([
      { provider: 'ncp', ok: true, specs: worldForProvider('ncp').specs.length, invalid: 0 },
      { provider: 'kt', ok: true, specs: worldForProvider('kt').specs.length, invalid: 0 },
    ]);
    expect(summary.specs).toBe(sink.specBatches.flat().length);
  });

  it('reports progress: regions known, each region done, then the provider', async () => {
    await refresh('ncp', { concurrency: 1 });
    const total = worldForProvider('ncp').regions.length;
    expect(progress.map((event) => event.phase)).toEqual([
      'started',
      ...Array.from({ length: total }, () => 'region'),
      'done',
    ]);
    expect(progress.filter((event) => event.phase === 'region').map((event) => event.regionsDone)).toEqual(
      Array.from({ length: total }, (_, index) => index + 1),
    );
    expect(progress.every((event) => event.regionsTotal === total && event.providersTotal === 1)).toBe(true);
    expect(progress.at(-1)?.specs).toBe(worldForProvider('ncp').specs.length);
  });

  it('retries throttled calls after the retry-after the driver gives', async () => {
    await simDriver('ncp').injectFault({
      kind: 'throttle',
      operation: 'listSpecs',
      times: 2,
      retryAfterMs: 5,
    });
    const summary = await refresh('ncp', { concurrency: 1 });
    expect(summary.ok).toBe(true);
    expect(summary.providers[0]?.retries).toBe(2);
    expect(progress.filter((event) => event.phase === 'retry').map((event) => event.retry)).toEqual([
      expect.objectContaining({ operation: 'listSpecs', attempt: 1, waitMs: 5, code: 'THROTTLED' }),
      expect.objectContaining({ operation: 'listSpecs', attempt: 2, waitMs: 5, code: 'THROTTLED' }),
    ]);
    expect(sink.specIds('ncp')).toEqual(ids(worldForProvider('ncp').specs));
  });

  it('gives up on a provider that stays throttled, within the attempts and wait it is allowed', async () => {
    await simDriver('kt').injectFault({ kind: 'throttle', operation: 'listImages', retryAfterMs: 60_000 });
    const summary = await refresh('kt', { retry: { maxAttempts: 3, maxWaitMs: 2 } });
    expect(summary.ok).toBe(false);
    expect(summary.providers[0]).toMatchObject({ ok: false, retries: 2, error: { code: 'THROTTLED' } });
    expect(progress.filter((event) => event.phase === 'retry').map((event) => event.retry?.waitMs)).toEqual([
      2, 2,
    ]);
    expect(await record('kt')).toMatchObject({ refreshedAt: null, lastError: { code: 'THROTTLED' } });
  });

  it('records a provider that fails and goes on with the others', async () => {
    await simDriver('ncp').injectFault({ kind: 'auth', operation: 'listRegions' });
    const summary = await refresh(['kt', 'ncp', 'openstack']);
    expect(summary.ok).toBe(false);
    expect(summary.providers.map((result) => [result.provider, result.ok, result.error?.code])).toEqual([
      ['kt', true, undefined],
      ['ncp', false, 'AUTH'],
      ['openstack', true, undefined],
    ]);
    expect(sink.specIds('openstack')).toEqual(ids(worldForProvider('openstack').specs));
    expect(sink.specIds('ncp')).toEqual([]);
    expect(await record('ncp')).toMatchObject({
      refreshedAt: null,
      driver: 'sim',
      lastError: { code: 'AUTH', at: '2026-11-28T12:00:00.000Z' },
    });
    expect(progress.find((event) => event.provider === 'ncp')).toMatchObject({
      phase: 'failed',
      error: { code: 'AUTH' },
      providerIndex: 2,
      providersTotal: 3,
    });
  });

  it('keeps the last success when a later refresh fails, and a sink failure fails only its provider', async () => {
    await refresh('ncp');
    sink.failSpecsFor = 'ncp';
    const summary = await refresh(['ncp', 'kt'], { clock: () => REFRESHED_AT + 3_600_000 });
    expect(summary.providers.map((result) => result.ok)).toEqual([false, true]);
    expect(await record('ncp')).toMatchObject({
      refreshedAt: '2026-11-28T12:00:00.000Z',
      specs: worldForProvider('ncp').specs.length,
      lastError: { code: 'Error', message: 'index is read-only', at: '2026-11-28T13:00:00.000Z' },
    });
  });

  it('does not upsert rows a driver returns for another region or in a broken shape', async () => {
    const real = simDriver('ncp');
    const broken = Object.create(real) as CloudDriver;
    broken.listSpecs = async (query) => {
      const rows = await real.listSpecs(query);
      const [first, second] = rows;
      if (first) first.region = 'elsewhere';
      if (second) (second as { vcpu: unknown }).vcpu = 'many';
      return rows;
    };
    const summary = await refresh('ncp', { driverFor: async () => broken });
    const regions = worldForProvider('ncp').regions.length;
    expect(summary.providers[0]).toMatchObject({ ok: true, invalid: 2 * regions });
    expect(sink.specBatches.flat().length).toBe(worldForProvider('ncp').specs.length - 2 * regions);
  });
});

describe('refresh with a driver that has no prices', () => {
  /** The ncp sim, but every spec without prices, as a real driver whose price source is off. */
  function unpricedDriver(): CloudDriver {
    const real = simDriver('ncp');
    const unpriced = Object.create(real) as CloudDriver;
    unpriced.listSpecs = async (query) =>
      (await real.listSpecs(query)).map((spec) => ({ ...spec, pricePerHour: null, spotPricePerHour: null }));
    return unpriced;
  }

  it('keeps the prices the sink already holds instead of writing nulls over them', async () => {
    const shipped = new Map(worldForProvider('ncp').specs.map((spec) => [spec.id, spec]));
    const asked: string[] = [];
    sink.knownPrices = async (ids) => {
      asked.push(...ids);
      return new Map(ids.flatMap((id) => (shipped.has(id) ? [[id, shipped.get(id) as Spec]] : [])));
    };
    const summary = await refresh('ncp', { driverFor: async () => unpricedDriver() });
    const written = sink.specBatches.flat();
    const pricedBefore = [...shipped.values()].filter((spec) => spec.pricePerHour !== null).length;
    expect(pricedBefore).toBeGreaterThan(0);
    expect(summary.providers[0]?.pricesKept).toBe(pricedBefore);
    expect(asked.sort()).toEqual(ids(written));
    for (const row of written) expect(row.pricePerHour).toBe(shipped.get(row.id)?.pricePerHour ?? null);
  });

  it('leaves a price in another currency alone', async () => {
    sink.knownPrices = async (ids) =>
      new Map(ids.map((id) => [id, { pricePerHour: 1, spotPricePerHour: null, currency: 'EUR' }]));
    const summary = await refresh('ncp', { driverFor: async () => unpricedDriver() });
    expect(summary.providers[0]?.pricesKept).toBe(0);
    expect(sink.specBatches.flat().every((row) => row.pricePerHour === null)).toBe(true);
  });
});

describe('catalogStaleness', () => {
  it('gives every provider its refresh time and age in hours, null when never refreshed', async () => {
    await refresh('ncp');
    const staleness = await catalogStaleness(store, REFRESHED_AT + 90 * 60_000);
    expect(staleness.ncp).toEqual({ refreshedAt: '2026-11-28T12:00:00.000Z', ageHours: 1.5 });
    expect(staleness.aws).toEqual({ refreshedAt: null, ageHours: null });
    expect(Object.keys(staleness)).toHaveLength(10);
  });
});
