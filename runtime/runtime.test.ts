import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog.ts';
import { LocalEmbedding } from '../catalog/index/index.ts';
import { loadImages, loadRegions, loadSpecs } from '../catalog/load/index.ts';
import { describeDriverConformance } from '../drivers/conformance/index.ts';
import type { SimDriver } from '../drivers/sim/sim-driver.ts';
import { PROVIDERS, type ProviderId, RegionSchema } from '../drivers/spec/index.ts';
import { connectionsFromEnvironment } from './config.ts';
import { Runtime } from './runtime.ts';

describe('runtime on the embedded defaults', () => {
  let home: string;
  let runtime: Runtime;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 's2a-runtime-'));
    runtime = await Runtime.open({ home, environment: {} });
  });
  afterAll(async () => {
    await runtime.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('binds every provider to the sim and lists >= 190 regions across all ten, each with coordinates', async () => {
    let total = 0;
    for (const provider of PROVIDERS) {
      expect(runtime.connections[provider].driver).toBe('sim');
      const regions = await (await runtime.driver(provider)).listRegions();
      expect(regions.length, provider).toBeGreaterThan(0);
      for (const region of regions) {
        const parsed = RegionSchema.parse(region);
        expect(Number.isFinite(parsed.latitude) && Number.isFinite(parsed.longitude)).toBe(true);
      }
      total += regions.length;
    }
    expect(total).toBeGreaterThanOrEqual(190);
  });

  it('keeps state under the chosen home', () => {
    expect(runtime.store.location).toContain(home);
  });
});

describe('connections from the environment', () => {
  it.each([
    ['not json', /must be JSON/],
    ['{"aws":{"driver":"aws-real"}}', /invalid at aws.driver/],
    ['{"oracle":{"driver":"sim"}}', /invalid/],
  ])('rejects S2A_CONNECTIONS=%s with a way out', (value, message) => {
    expect(() => connectionsFromEnvironment({ S2A_CONNECTIONS: value })).toThrow(message);
  });

  it('keeps providers it does not name on the sim', () => {
    const connections = connectionsFromEnvironment({ S2A_CONNECTIONS: '{"aws":{"driver":"sim"}}' });
    expect(Object.values(connections).every((connection) => connection.driver === 'sim')).toBe(true);
  });
});

/**
 * The sim with the real world of every provider passes the conformance suite: one region each,
 * the cheapest x86_64 CPU spec there and an Ubuntu image for it, all from the shipped catalog.
 */
const conformanceRegion: Record<ProviderId, string> = {
  aws: 'ap-northeast-2',
  azure: 'koreacentral',
  gcp: 'asia-northeast3',
  alibaba: 'ap-northeast-2',
  tencent: 'ap-seoul',
  ibm: 'jp-tok',
  openstack: '',
  ncp: 'KR',
  nhn: 'KR1',
  kt: 'KR1',
};

for (const provider of PROVIDERS) {
  describeDriverConformance({
    name: `sim with the real world (${provider})`,
    statusTimeoutMs: 10_000,
    pollIntervalMs: 20,
    setup: async () => {
      const home = mkdtempSync(join(tmpdir(), `s2a-world-${provider}-`));
      // Rate limits off here: they are tested on the sim's own suite; this one checks the real data.
      const runtime = await Runtime.open({
        home,
        environment: {},
        sim: { timeScale: 0.001, rateLimits: false },
      });
      const driver = (await runtime.driver(provider)) as SimDriver;
      const specs = await driver.listSpecs();
      const regionsWithImages = new Set(
        (await driver.listImages({ os: 'ubuntu', arch: 'x86_64' })).map((image) => image.region),
      );
      const candidates = specs
        .filter(
          (spec) =>
            spec.arch === 'x86_64' &&
            spec.gpu === null &&
            spec.pricePerHour !== null &&
            regionsWithImages.has(spec.region),
        )
        .sort((first, second) => (first.pricePerHour ?? 0) - (second.pricePerHour ?? 0));
      // Prefer a Korean region where the provider has one (s2a's first users are there).
      const spec = candidates.find((item) => item.region === conformanceRegion[provider]) ?? candidates[0];
      if (!spec) throw new Error(`no x86_64 CPU spec with an Ubuntu image for ${provider}`);
      const image = (await driver.listImages({ region: spec.region, os: 'ubuntu', arch: 'x86_64' })).find(
        (item) => !item.gpuReady,
      );
      if (!image) throw new Error(`no Ubuntu image in ${spec.region}`);
      return {
        driver,
        region: spec.region,
        ...(spec.zones?.[0] ? { zone: spec.zones[0] } : {}),
        specId: spec.id,
        imageId: image.id,
        provoke: {
          capacity: async (operation) =>
            void (await driver.injectFault({ kind: 'capacity', operation, times: 1 })),
          quota: async (operation) => void (await driver.injectFault({ kind: 'quota', operation, times: 1 })),
          throttle: async (operation) =>
            void (await driver.injectFault({ kind: 'throttle', operation, times: 1, retryAfterMs: 200 })),
          auth: async (operation) => void (await driver.injectFault({ kind: 'auth', operation, times: 1 })),
        },
        clearProvocations: async () => void (await driver.clearFaults()),
        cleanup: async () => {
          await runtime.close();
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  });
}

describe('Runtime.mci with the catalog resolver', () => {
  it('opens the catalog only when a node group needs it, and resolves requirements through it', async () => {
    const home = mkdtempSync(join(tmpdir(), 's2a-runtime-catalog-'));
    // A small catalog (the rows of four providers) so the index builds in about a second.
    const small = new Set(['kt', 'nhn', 'ncp', 'openstack']);
    const regions = loadRegions().filter((region) => small.has(region.provider));
    const specs = loadSpecs().filter((spec) => small.has(spec.provider));
    const images = loadImages().filter((image) => small.has(image.provider));
    const runtime = await Runtime.open({
      home,
      environment: { S2A_SECRET: 'a test passphrase of enough length' },
      sim: { account: 'runtime-catalog', timeScale: 0.001, apiLatency: false, rateLimits: false },
      catalog: {
        embedding: new LocalEmbedding(),
        source: {
          fingerprint: () => 'runtime-catalog-test',
          regions: () => regions,
          specs: () => specs,
          images: () => images,
        },
      },
    });
    try {
      const service = await runtime.mci();
      const explicit = await service.engine.createMci({
        name: 'explicit',
        nodeGroups: [{ name: 'web', specId: 'ncp+KR+s2-g3', size: 1 }],
      });
      expect((await service.engine.wait(explicit.operationId)).status).toBe('succeeded');
      expect(existsSync(join(home, 'catalog'))).toBe(false);

      const resolved = await service.engine.createMci({
        name: 'resolved',
        nodeGroups: [{ name: 'web', requirements: { vcpu: 2, memoryGiB: 4, providers: ['ncp'] }, size: 1 }],
      });
      expect((await service.engine.wait(resolved.operationId)).status).toBe('succeeded');
      expect(existsSync(join(home, 'catalog'))).toBe(true);
      const [cheapest] = await (await runtime.catalog()).searchSpecs({
        minVcpu: 2,
        minMemoryGiB: 4,
        providers: ['ncp'],
        sort: 'cost',
        limit: 1,
      });
      const [node] = (await service.engine.getMci('resolved')).nodes;
      expect(node?.specId).toBe(cheapest?.spec.id);
      expect(node?.status).toBe('Running');
    } finally {
      await runtime.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('Runtime with a shared catalog', () => {
  it('hands out the catalog it was given and leaves it open when the runtime closes', async () => {
    const home = mkdtempSync(join(tmpdir(), 's2a-runtime-shared-'));
    let closed = 0;
    const shared = {
      close: () => {
        closed += 1;
      },
    } as unknown as Catalog;
    const runtime = await Runtime.open({ home, environment: {}, sharedCatalog: shared });
    try {
      expect(await runtime.catalog()).toBe(shared);
    } finally {
      await runtime.close();
      rmSync(home, { recursive: true, force: true });
    }
    expect(closed).toBe(0);
  });
});
