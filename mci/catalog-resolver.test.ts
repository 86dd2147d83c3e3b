import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog.ts';
import { LocalEmbedding } from '../catalog/index/index.ts';
import type { CatalogRegion } from '../catalog/schemas.ts';
import type { SimWorld } from '../drivers/sim/sim-world.ts';
import { fixtureWorld } from '../drivers/sim/testing/fixture-world.ts';
import type { Image, Region, Spec } from '../drivers/spec/index.ts';
import { CatalogSpecResolver } from './catalog-resolver.ts';
import { MciEngine } from './engine.ts';
import { createMciTestContext, FAST_SIM, type MciTestContext } from './testing/mci-test-kit.ts';

const contexts: MciTestContext[] = [];
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const context of contexts.splice(0)) await context.dispose();
});

function region(provider: 'aws', code: string, name: string, latitude: number, longitude: number): Region {
  return {
    id: `${provider}+${code}`,
    provider,
    code,
    displayName: name,
    latitude,
    longitude,
    zones: [{ id: `${provider}+${code}+${code}a`, code: `${code}a` }],
  };
}

function t3(code: string, name: string, vcpu: number, memoryGiB: number, pricePerHour: number): Spec {
  return {
    id: `aws+${code}+${name}`,
    provider: 'aws',
    region: code,
    name,
    vcpu,
    memoryGiB,
    arch: 'x86_64',
    gpu: null,
    pricePerHour,
    spotPricePerHour: null,
    currency: 'USD',
    source: 'test',
    fetchedAt: '2026-11-28',
  };
}

function ubuntu(code: string): Image {
  return {
    id: `aws+${code}+ami-${code}`,
    provider: 'aws',
    region: code,
    cspImageId: `ami-${code}`,
    name: 'ubuntu-22.04-x86_64',
    os: 'ubuntu',
    osVersion: '22.04',
    arch: 'x86_64',
    gpuReady: false,
    source: 'test',
  };
}

/**
 * The sim serves the fixture world plus Tokyo and Osaka; the catalog also lists Osaka as restricted
 * and a cheap region near Seoul that no driver serves. Both are cheaper and nearer than Tokyo.
 */
const tokyo = region('aws', 'ap-northeast-1', 'Asia Pacific (Tokyo)', 35.68, 139.77);
const osaka = region('aws', 'ap-northeast-3', 'Asia Pacific (Osaka)', 34.69, 135.5);
const unserved = region('aws', 'ap-test-9', 'Busan (not served)', 35.18, 129.08);

function simWorld(): SimWorld {
  const world = fixtureWorld();
  return {
    regions: [...world.regions, tokyo, osaka],
    specs: [
      ...world.specs,
      t3('ap-northeast-1', 't3.small', 2, 2, 0.0272),
      t3('ap-northeast-1', 't3.large', 2, 8, 0.1088),
      t3('ap-northeast-1', 't3.medium', 2, 4, 0.0544),
      t3('ap-northeast-3', 't3.medium', 2, 4, 0.03),
    ],
    images: [...world.images, ubuntu('ap-northeast-1'), ubuntu('ap-northeast-3')],
  };
}

function catalogOf(world: SimWorld, home: string): { open: () => Promise<Catalog>; opens: () => number } {
  const regions: CatalogRegion[] = [
    ...world.regions.map((entry) =>
      entry.id === osaka.id ? { ...entry, restricted: 'test: by request only' } : entry,
    ),
    unserved,
  ];
  const specs = [
    ...world.specs,
    t3('ap-test-9', 't3.medium', 2, 4, 0.02),
    // Listed by the catalog in a served region, but the driver does not sell it.
    t3('ap-northeast-2', 'c9.gone', 2, 4, 0.001),
  ];
  const images = [...world.images, ubuntu('ap-test-9')];
  let count = 0;
  return {
    open: () => {
      count++;
      return Catalog.open({
        home,
        embedding: new LocalEmbedding(),
        source: {
          fingerprint: () => 'catalog-resolver-test',
          regions: () => regions,
          specs: () => specs,
          images: () => images,
        },
      }).then((catalog) => {
        closers.push(() => catalog.close());
        return catalog;
      });
    },
    opens: () => count,
  };
}

async function setup() {
  const context = await createMciTestContext(FAST_SIM, simWorld());
  contexts.push(context);
  const catalog = catalogOf(context.world, context.home);
  const resolver = new CatalogSpecResolver({ catalog: catalog.open, drivers: context.drivers });
  const engine = new MciEngine({
    store: context.store,
    drivers: context.drivers,
    keyVault: context.keyVault,
    resolver,
    owner: 'tester',
    pollIntervalMs: 5,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
  });
  closers.push(() => engine.close());
  return { context, catalog, resolver, engine };
}

const SEOUL_T3 = 'aws+ap-northeast-2+t3.medium';

describe('CatalogSpecResolver', () => {
  it('resolves requirements to the cheapest spec in a region the drivers serve, not a restricted one', async () => {
    const { resolver } = await setup();
    const specs = await resolver.resolve({ vcpu: 2, memoryGiB: 4 });
    // c9.gone (0.001, the driver does not sell it), aws+ap-test-9 (0.02, no driver) and restricted
    // Osaka (0.03) are cheaper but left out.
    expect(specs[0]?.id).toBe('gcp+asia-northeast3+e2-medium');
    expect(specs.map((spec) => spec.id)).not.toContain('aws+ap-northeast-2+c9.gone');
    expect(specs.map((spec) => spec.region)).not.toContain('ap-test-9');
    expect(specs.map((spec) => spec.region)).not.toContain('ap-northeast-3');
    expect(specs.map((spec) => spec.pricePerHour)).toEqual(
      [...specs.map((spec) => spec.pricePerHour)].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
    // Naming the restricted region lets it in.
    const named = await resolver.resolve({ vcpu: 2, regionIds: [osaka.id] });
    expect(named.map((spec) => spec.id)).toEqual(['aws+ap-northeast-3+t3.medium']);
  });

  it('resolves a GPU model through the catalog GPU names, and honours providers', async () => {
    const { resolver } = await setup();
    const gpu = await resolver.resolve({ gpuModel: '엔비디아 a10g' });
    expect(gpu.map((spec) => spec.id)).toEqual(['aws+ap-northeast-2+g5.xlarge']);
    const ncp = await resolver.resolve({ vcpu: 2, providers: ['ncp'] });
    expect(ncp.map((spec) => spec.id)).toEqual(['ncp+KR+s2-g3']);
    await expect(resolver.resolve({ gpuModel: 'no-such-gpu-9000' })).rejects.toMatchObject({
      code: 'MCI_INVALID_REQUEST',
    });
  });

  it('lists same-or-bigger alternatives nearest first, cheapest first within a region, within the limits', async () => {
    const { context, resolver } = await setup();
    const wanted = await (await context.drivers('aws')).getSpec(SEOUL_T3);
    const alternatives = await resolver.alternatives({
      spec: wanted,
      excludeRegionIds: ['aws+ap-northeast-2'],
      allowedProviders: ['aws'],
    });
    // Tokyo before the cheaper us-east-1; t3.small (2 GiB) is smaller, Osaka restricted, ap-test-9 unserved.
    expect(alternatives.map((spec) => spec.id)).toEqual([
      'aws+ap-northeast-1+t3.medium',
      'aws+ap-northeast-1+t3.large',
      'aws+us-east-1+t3.medium',
    ]);
    const cheap = await resolver.alternatives({
      spec: wanted,
      excludeRegionIds: ['aws+ap-northeast-2'],
      allowedProviders: ['aws'],
      maxPricePerHour: 0.05,
    });
    expect(cheap.map((spec) => spec.id)).toEqual(['aws+us-east-1+t3.medium']);
    const anyProvider = await resolver.alternatives({
      spec: wanted,
      excludeRegionIds: ['aws+ap-northeast-2', 'gcp+asia-northeast3'],
      allowedRegionIds: ['aws+us-east-1', 'ncp+KR', osaka.id],
    });
    // Named regions only; ncp's s2-g3 (8 GiB) is bigger and nearest; a named restricted region is allowed.
    expect(anyProvider.map((spec) => spec.id)).toEqual([
      'ncp+KR+s2-g3',
      'aws+ap-northeast-3+t3.medium',
      'aws+us-east-1+t3.medium',
    ]);
  });

  it('keeps the nearest regions and the cheapest specs of each, as many as asked', async () => {
    const { context, catalog } = await setup();
    const wanted = await (await context.drivers('aws')).getSpec(SEOUL_T3);
    const query = { spec: wanted, excludeRegionIds: ['aws+ap-northeast-2'] };
    const all = await new CatalogSpecResolver({
      catalog: catalog.open,
      drivers: context.drivers,
    }).alternatives(query);
    expect(all.map((spec) => spec.id)).toEqual([
      'gcp+asia-northeast3+e2-medium',
      'ncp+KR+s2-g3',
      'aws+ap-northeast-1+t3.medium',
      'aws+ap-northeast-1+t3.large',
      'aws+us-east-1+t3.medium',
    ]);
    const fewer = await new CatalogSpecResolver({
      catalog: catalog.open,
      drivers: context.drivers,
      maxRegions: 3,
      specsPerRegion: 1,
    }).alternatives(query);
    expect(fewer.map((spec) => spec.id)).toEqual([
      'gcp+asia-northeast3+e2-medium',
      'ncp+KR+s2-g3',
      'aws+ap-northeast-1+t3.medium',
    ]);
  });
});

describe('MCI engine with the catalog resolver', () => {
  it('creates an MCI whose group gives requirements only, resolved through the catalog', async () => {
    const { engine, catalog } = await setup();
    const review = await engine.reviewMci({
      name: 'needs',
      nodeGroups: [{ name: 'gpu', requirements: { gpuModel: 'A10G' }, size: 1 }],
    });
    expect(review.issues).toEqual([]);
    expect(review.groups[0]?.spec?.id).toBe('aws+ap-northeast-2+g5.xlarge');
    const { operationId } = await engine.createMci({
      name: 'needs',
      nodeGroups: [{ name: 'cpu', requirements: { vcpu: 2, memoryGiB: 4 }, size: 2 }],
    });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    const mci = await engine.getMci('needs');
    expect(mci.status).toBe('Running:2 (R:2/2)');
    expect(mci.nodes.map((node) => node.specId)).toEqual([
      'gcp+asia-northeast3+e2-medium',
      'gcp+asia-northeast3+e2-medium',
    ]);
    expect(catalog.opens()).toBe(1);
  });

  it('fails a region-wide capacity outage over to the nearest allowed region the catalog offers', async () => {
    const { context, engine, catalog } = await setup();
    await (await context.drivers('aws')).injectFault({
      kind: 'capacity',
      provider: 'aws',
      region: 'ap-northeast-2',
      operation: 'createVm',
    });
    const { operationId } = await engine.createMci({
      name: 'moved',
      nodeGroups: [{ name: 'web', specId: SEOUL_T3, size: 2 }],
      failover: { allowedProviders: ['aws'] },
    });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    const mci = await engine.getMci('moved');
    expect(mci.status).toBe('Running:2 (R:2/2)');
    expect(new Set(mci.nodes.map((node) => node.specId))).toEqual(new Set(['aws+ap-northeast-1+t3.medium']));
    const events = (await engine.getOperation(operationId)).events.map((event) => event.message).join('\n');
    expect(events).toMatch(/failing over to aws\+ap-northeast-1\+t3\.medium/);
    expect(catalog.opens()).toBe(1);
  });

  it('never opens the catalog for an MCI of explicit specs that needs no failover', async () => {
    const { engine, catalog } = await setup();
    const { operationId } = await engine.createMci({
      name: 'plain',
      nodeGroups: [{ name: 'web', specId: SEOUL_T3, size: 1 }],
    });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    expect(catalog.opens()).toBe(0);
  });
});
