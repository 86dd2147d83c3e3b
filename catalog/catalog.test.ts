/**
 * The catalog on the full shipped data, against the brute-force reference. The index is built once
 * for this file (tens of seconds on a busy two-core machine), in a temporary S2A_HOME.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog, CatalogInputError } from './catalog.ts';
import { LocalEmbedding, toUsd } from './index/index.ts';
import { loadImages, loadLatency, loadProviders, loadRegions, loadSpecs } from './load/index.ts';
import { BruteForceCatalog } from './query/brute-force.ts';
import type {
  RecommendSpecsInput,
  SearchImagesInput,
  SearchRegionsInput,
  SearchSpecsInput,
  SpecHit,
} from './types.ts';

let home: string;
let catalog: Catalog;
let lance: Catalog;
let brute: BruteForceCatalog;
const specs = loadSpecs();
const regions = loadRegions();

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 's2a-catalog-'));
  catalog = await Catalog.open({ home, embedding: new LocalEmbedding() });
  lance = await Catalog.open({ home, embedding: new LocalEmbedding(), structured: 'lance' });
  brute = new BruteForceCatalog(
    { regions, specs, images: loadImages(), latency: loadLatency() },
    new LocalEmbedding(),
  );
}, 300_000);

afterAll(() => {
  catalog?.close();
  lance?.close();
  rmSync(home, { recursive: true, force: true });
});

const ids = (hits: { spec: { id: string } }[]) => hits.map((hit) => hit.spec.id);
const restrictedRegion = regions.find(
  (region) => region.restricted !== undefined && region.provider === 'azure',
);

describe('the index', () => {
  it('was built from the shipped data, once', () => {
    expect(catalog.openReport.built).toBe(true);
    expect(lance.openReport.built).toBe(false);
    expect(catalog.openReport.meta.rows.specs).toBe(specs.length);
    expect(catalog.openReport.meta.rows.regions).toBe(regions.length);
  });
});

describe('cheapest GPU with >= 24 GiB near Seoul', () => {
  const query: SearchSpecsInput = { gpu: { minMemoryGiB: 24 }, near: { place: 'Seoul' }, sort: 'cost' };

  it('returns GPU specs near Seoul ordered by price, as the brute-force scan does', async () => {
    const hits = await catalog.searchSpecs(query);
    expect(hits).toHaveLength(20);
    expect(hits).toEqual(await brute.searchSpecs(query));
    for (const hit of hits) {
      expect(hit.spec.gpu?.memoryGiB).toBeGreaterThanOrEqual(24);
      // "near" a city is 500 km (catalog/places): near Seoul is Korea, whichever provider.
      expect(hit.distanceKm).toBeLessThan(500);
      expect(hit.region.countryCode).toBe('KR');
      expect(hit.pricePerHour).toBe(toUsd(hit.spec.pricePerHour, hit.spec.currency));
    }
    expect(hits.slice(0, 10).every((hit) => hit.region.countryCode === 'KR')).toBe(true);
    const prices = hits.map((hit) => hit.pricePerHour as number);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
  });

  it('considers every provider with such GPUs in Korea', async () => {
    const all = await catalog.searchSpecs({ ...query, limit: 1000 });
    expect(all).toEqual(await brute.searchSpecs({ ...query, limit: 1000 }));
    const providers = new Set(
      all.filter((hit) => hit.region.countryCode === 'KR').map((hit) => hit.spec.provider),
    );
    expect([...providers]).toEqual(expect.arrayContaining(['aws', 'azure', 'gcp', 'nhn', 'kt', 'alibaba']));
  });

  it('in Korea only when the place is the country', async () => {
    const korea = { ...query, near: { place: 'Korea' }, limit: 1000 };
    const hits = await catalog.searchSpecs(korea);
    expect(hits.length).toBeGreaterThan(20);
    expect(hits.every((hit) => hit.region.countryCode === 'KR')).toBe(true);
    expect(hits).toEqual(await brute.searchSpecs(korea));
  });
});

/** Structured queries: the catalog and the brute-force scan give the same answer, hit for hit. */
const STRUCTURED: [string, SearchSpecsInput][] = [
  ['two providers, 4-8 vCPU', { providers: ['aws', 'gcp'], minVcpu: 4, maxVcpu: 8 }],
  ['providers out, by performance', { excludeProviders: ['azure', 'aws'], sort: 'performance' }],
  ['arm64 with 16-32 GiB', { arch: 'arm64', minMemoryGiB: 16, maxMemoryGiB: 32 }],
  ['spot GPUs', { spot: true, gpu: {}, sort: 'cost' }],
  ['spot under $0.01', { spot: true, maxPricePerHour: 0.01, limit: 50 }],
  [
    'cheap near Frankfurt by distance',
    { maxPricePerHour: 0.05, near: { place: 'Frankfurt' }, sort: 'distance' },
  ],
  ['8 × A100 (any memory)', { gpu: { model: 'A100', minCount: 8 }, sort: 'cost' }],
  ['H100 by performance', { gpu: { model: 'H100' }, sort: 'performance' }],
  ['2+ T4 on GCP or NHN', { gpu: { model: 'T4', minCount: 2 }, providers: ['gcp', 'nhn'] }],
  [
    'named regions, 4+ GPUs',
    {
      regions: ['aws+us-east-1', 'azure+koreacentral'],
      gpu: { minCount: 4 },
      sort: 'performance',
      limit: 30,
    },
  ],
  [
    'no GPU, 64+ GiB, latency from Seoul region',
    { noGpu: true, minMemoryGiB: 64, latencyFrom: 'aws+ap-northeast-2', sort: 'latency' },
  ],
  [
    '2 vCPU near Tokyo or Osaka by latency',
    { near: { place: 'Tokyo or Osaka' }, minVcpu: 2, maxVcpu: 2, sort: 'latency' },
  ],
  [
    'coordinates with a radius, by distance',
    { near: { place: { latitude: 50.1, longitude: 8.7 }, radiusKm: 300 }, sort: 'distance', limit: 50 },
  ],
  ['NHN and KT (KRW prices)', { providers: ['nhn', 'kt'], sort: 'cost', limit: 40 }],
  ['an accelerator by model', { gpu: { model: 'Inferentia2' } }],
  ['80 GiB of GPU memory in Europe', { near: { place: 'Europe' }, gpu: { minMemoryGiB: 80 }, sort: 'cost' }],
  ['96+ vCPU x86 by performance', { minVcpu: 96, arch: 'x86_64', sort: 'performance', limit: 5 }],
  ['latency from a place', { latencyFrom: 'Seoul', maxVcpu: 2, sort: 'latency' }],
  [
    'a restricted region, named',
    { regions: [restrictedRegion?.id ?? 'azure+jioindiawest'], minVcpu: 2, maxVcpu: 4, limit: 10 },
  ],
  ['everything, limit 1000', { limit: 1000 }],
];

describe('structured queries equal the brute-force scan', () => {
  it.each(STRUCTURED)('%s', async (_name, query) => {
    const hits = await catalog.searchSpecs(query);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits).toEqual(await brute.searchSpecs(query));
  });

  it.each(STRUCTURED.slice(0, 8))('LanceDB scalar queries give the same: %s', async (_name, query) => {
    expect(await lance.searchSpecs(query)).toEqual(await catalog.searchSpecs(query));
  });

  it('leaves restricted regions out unless named', async () => {
    const everything = await catalog.searchSpecs({ providers: ['azure'], limit: 1000, sort: 'cost' });
    expect(everything.every((hit) => !('restricted' in hit.region))).toBe(true);
    const named = await catalog.searchSpecs({ regions: [restrictedRegion?.id as string], limit: 5 });
    expect(named.every((hit) => hit.region.id === restrictedRegion?.id)).toBe(true);
  });

  it('converts KRW prices at the fixed rate', async () => {
    const [kt] = await catalog.searchSpecs({
      regions: ['kt+KR1'],
      minVcpu: 2,
      maxVcpu: 2,
      minMemoryGiB: 4,
      maxMemoryGiB: 4,
    });
    expect(kt?.spec.currency).toBe('KRW');
    expect(kt?.pricePerHour).toBeCloseTo((kt?.spec.pricePerHour as number) / 1400, 10);
  });

  it('matches GPUs, not other accelerators, when no model is named', async () => {
    const hits = await catalog.searchSpecs({ gpu: {}, limit: 1000, sort: 'performance' });
    const models = new Set(hits.map((hit) => hit.spec.gpu?.model));
    expect(models.has('Inferentia2')).toBe(false);
    expect(models.has('H100')).toBe(true);
  });
});

describe('Korean and English forms of a query give the same answer', () => {
  const SPEC_PAIRS: [SearchSpecsInput, SearchSpecsInput][] = [
    [
      { gpu: { minMemoryGiB: 24 }, near: { place: '서울' } },
      { gpu: { minMemoryGiB: 24 }, near: { place: 'Seoul' } },
    ],
    [
      { near: { place: '도쿄' }, maxVcpu: 4 },
      { near: { place: 'Tokyo' }, maxVcpu: 4 },
    ],
    [
      { near: { place: '한국' }, gpu: {} },
      { near: { place: 'Korea' }, gpu: {} },
    ],
    [
      { near: { place: '유럽' }, sort: 'performance' },
      { near: { place: 'Europe' }, sort: 'performance' },
    ],
    [
      { near: { place: '미국 동부' }, minVcpu: 8 },
      { near: { place: 'US east' }, minVcpu: 8 },
    ],
    [
      { near: { place: '프랑크푸르트' }, sort: 'distance' },
      { near: { place: 'Frankfurt' }, sort: 'distance' },
    ],
    [
      { near: { place: '싱가포르' }, arch: 'arm64' },
      { near: { place: 'Singapore' }, arch: 'arm64' },
    ],
    [
      { near: { place: '도쿄나 오사카' }, sort: 'latency' },
      { near: { place: 'Tokyo or Osaka' }, sort: 'latency' },
    ],
    [
      { near: { place: '서울 근처' }, noGpu: true },
      { near: { place: 'near Seoul' }, noGpu: true },
    ],
    [
      { near: { place: '시드니' }, spot: true },
      { near: { place: 'Sydney' }, spot: true },
    ],
    [
      { near: { place: '런던' }, maxPricePerHour: 0.1 },
      { near: { place: 'London' }, maxPricePerHour: 0.1 },
    ],
    [{ gpu: { model: '엔비디아 A100' } }, { gpu: { model: 'A100' } }],
    [
      { gpu: { model: '에이치백' }, sort: 'performance' },
      { gpu: { model: 'H100' }, sort: 'performance' },
    ],
    [{ gpu: { model: 'A100 80기가' } }, { gpu: { model: 'A100 80GB' } }],
    [
      { latencyFrom: '서울', sort: 'latency' },
      { latencyFrom: 'Seoul', sort: 'latency' },
    ],
    [{ text: '서울 g5 xlarge' }, { text: 'seoul g5 xlarge' }],
    [
      { text: '그래픽카드 싼 거', gpu: {} },
      { text: 'cheap GPU', gpu: {} },
    ],
    [{ text: '도쿄 a100' }, { text: 'tokyo a100' }],
    [{ text: '판교 엔비디아 T4' }, { text: 'pangyo nvidia t4' }],
    [
      { text: '아마존 버지니아 메모리', minMemoryGiB: 256 },
      { text: 'amazon virginia memory', minMemoryGiB: 256 },
    ],
  ];

  it.each(SPEC_PAIRS)('searchSpecs %j = %j', async (korean, english) => {
    const answer = await catalog.searchSpecs(english);
    expect(answer.length).toBeGreaterThan(0);
    expect(await catalog.searchSpecs(korean)).toEqual(answer);
  });

  it('recommendSpecs near 서울 = near Seoul', async () => {
    const query = (place: string): RecommendSpecsInput => ({
      gpu: {},
      near: { place },
      weights: { cost: 1, performance: 1, distance: 1 },
    });
    expect(await catalog.recommendSpecs(query('서울'))).toEqual(await catalog.recommendSpecs(query('Seoul')));
  });

  const REGION_PAIRS: [SearchRegionsInput, SearchRegionsInput][] = [
    [{ text: '서울' }, { text: 'Seoul' }],
    [{ near: { place: '일본' } }, { near: { place: 'Japan' } }],
    [
      { near: { place: '뭄바이' }, providers: ['aws', 'gcp'] },
      { near: { place: 'Mumbai' }, providers: ['aws', 'gcp'] },
    ],
  ];

  it.each(REGION_PAIRS)('searchRegions %j = %j', async (korean, english) => {
    const answer = await catalog.searchRegions(english);
    expect(answer.length).toBeGreaterThan(0);
    expect(await catalog.searchRegions(korean)).toEqual(answer);
  });

  it('searchImages 우분투 22.04 = ubuntu 22.04', async () => {
    const answer = await catalog.searchImages({ text: 'ubuntu 22.04', region: 'aws+ap-northeast-2' });
    expect(answer.length).toBeGreaterThan(0);
    expect(await catalog.searchImages({ text: '우분투 22.04', region: 'aws+ap-northeast-2' })).toEqual(
      answer,
    );
  });
});

describe('fuzzy text', () => {
  it.each(['g5 xlarge seoul', '서울 g5 xlarge', 'aws ap-northeast-2 g5.xlarge'])(
    '"%s" finds aws+ap-northeast-2+g5.xlarge in the top 5',
    async (text) => {
      const hits = await catalog.searchSpecs({ text, limit: 5 });
      expect(ids(hits)).toContain('aws+ap-northeast-2+g5.xlarge');
      expect(hits[0]?.score).toBeGreaterThan(0);
    },
  );

  it('filters in the same query as the vector search', async () => {
    const hits = await catalog.searchSpecs({
      text: 'g5 xlarge seoul',
      providers: ['gcp'],
      gpu: {},
      limit: 10,
    });
    expect(hits).toHaveLength(10);
    expect(hits.every((hit) => hit.spec.provider === 'gcp' && hit.spec.gpu !== null)).toBe(true);
  });

  it('agrees with the brute-force scan (scores equal to 1e-4)', async () => {
    for (const text of ['g5 xlarge seoul', 'n2-standard-8 iowa', 'p4d.24xlarge virginia']) {
      const mine = await catalog.searchSpecs({ text, limit: 5 });
      const reference = await brute.searchSpecs({ text, limit: 5 });
      expect(ids(mine)).toEqual(ids(reference));
      mine.forEach((hit, index) => {
        expect(Math.abs((hit.score ?? 0) - (reference[index]?.score ?? 0))).toBeLessThanOrEqual(1e-4);
      });
    }
  });

  it('orders by relevance, then by the sort', async () => {
    const hits = await catalog.searchSpecs({ text: 'tokyo', sort: 'cost', limit: 50 });
    for (let index = 1; index < hits.length; index++) {
      const previous = hits[index - 1] as SpecHit;
      const hit = hits[index] as SpecHit;
      expect(previous.score as number).toBeGreaterThanOrEqual(hit.score as number);
      if (previous.score === hit.score) {
        expect(previous.pricePerHour ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(
          hit.pricePerHour ?? Number.POSITIVE_INFINITY,
        );
      }
    }
  });
});

describe('recommendSpecs combines the weights', () => {
  // GPUs near Seoul under $10/h: a frontier with picks between the cheapest and the fastest.
  const base: RecommendSpecsInput = { gpu: {}, near: { place: 'Seoul' }, maxPricePerHour: 10, limit: 10 };

  it('cost only ranks by price; performance only by performance', async () => {
    const byCost = await catalog.recommendSpecs({ ...base, weights: { cost: 1 } });
    expect(ids(byCost)).toEqual(ids(await catalog.searchSpecs({ ...base, sort: 'cost' })));
    const byPerformance = await catalog.recommendSpecs({ ...base, weights: { cost: 0, performance: 1 } });
    expect(ids(byPerformance)).toEqual(ids(await catalog.searchSpecs({ ...base, sort: 'performance' })));
  });

  it('a mix ranks between the two: each pick trades some price for some performance', async () => {
    const cheapestOrder = await catalog.recommendSpecs({ ...base, weights: { cost: 1 } });
    const fastestOrder = await catalog.recommendSpecs({ ...base, weights: { cost: 0, performance: 1 } });
    const mixed = await catalog.recommendSpecs({ ...base, weights: { cost: 1, performance: 1 } });
    expect(ids(mixed)).not.toEqual(ids(cheapestOrder));
    expect(ids(mixed)).not.toEqual(ids(fastestOrder));
    const [top] = mixed;
    const [cheapest] = cheapestOrder;
    const [fastest] = fastestOrder;
    // The top of the mix is at least as cheap (by part) as the fastest and as fast as the cheapest.
    expect(top?.parts.cost as number).toBeGreaterThanOrEqual(fastest?.parts.cost as number);
    expect(top?.parts.performance as number).toBeGreaterThanOrEqual(cheapest?.parts.performance as number);
    for (const hit of mixed) {
      expect(hit.total).toBeCloseTo((hit.parts.cost + hit.parts.performance) / 2, 8);
      for (const part of Object.values(hit.parts)) {
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThanOrEqual(1);
      }
    }
    const totals = mixed.map((hit) => hit.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });

  it('as performance weighs more, the top pick gets faster and dearer, through picks that are neither extreme', async () => {
    const [cheapest] = await catalog.recommendSpecs({ ...base, weights: { cost: 1 } });
    const [fastest] = await catalog.recommendSpecs({ ...base, weights: { cost: 0, performance: 1 } });
    const tops = [];
    for (const performance of [0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 100]) {
      const [top] = await catalog.recommendSpecs({ ...base, weights: { cost: 1, performance } });
      tops.push(top as NonNullable<typeof top>);
    }
    for (let index = 1; index < tops.length; index++) {
      expect(tops[index]?.performance as number).toBeGreaterThanOrEqual(
        tops[index - 1]?.performance as number,
      );
      expect(tops[index]?.pricePerHour as number).toBeGreaterThanOrEqual(
        tops[index - 1]?.pricePerHour as number,
      );
    }
    expect(tops[0]?.spec.id).toBe(cheapest?.spec.id);
    expect(tops.at(-1)?.spec.id).toBe(fastest?.spec.id);
    const between = tops.filter(
      (top) => top.spec.id !== cheapest?.spec.id && top.spec.id !== fastest?.spec.id,
    );
    expect(between.length).toBeGreaterThan(0);
  });

  it.each([
    [{ cost: 1, performance: 1 }],
    [{ cost: 1, distance: 2 }],
    [{ cost: 0.5, performance: 0.3, latency: 1 }],
  ])('equals the brute-force scan with weights %j', async (weights) => {
    const query = { ...base, weights };
    expect(await catalog.recommendSpecs(query)).toEqual(await brute.recommendSpecs(query));
  });

  it('refuses weights it cannot use', async () => {
    await expect(catalog.recommendSpecs({ weights: { cost: 0 } })).rejects.toThrow(/at least one of cost/);
    await expect(catalog.recommendSpecs({ weights: { distance: 1 } })).rejects.toThrow(
      /weights.distance needs near/,
    );
    await expect(catalog.recommendSpecs({ weights: { latency: 1 } })).rejects.toThrow(
      /weights.latency needs/,
    );
  });
});

describe('estimateCost', () => {
  const g5 = specs.find((spec) => spec.id === 'aws+ap-northeast-2+g5.xlarge');
  const kt = specs.find((spec) => spec.id === 'kt+KR1+2x4.itl');

  it('prices a known spec per hour and per month, on-demand and spot', async () => {
    expect(g5?.pricePerHour).toBe(1.237);
    expect(g5?.spotPricePerHour).toBe(0.3701);
    const estimate = await catalog.estimateCost({
      nodeGroups: [{ specId: 'aws+ap-northeast-2+g5.xlarge', size: 3 }],
    });
    expect(estimate).toEqual({
      groups: [
        {
          specId: 'aws+ap-northeast-2+g5.xlarge',
          size: 3,
          onDemandPerHour: 3.711,
          spotPerHour: 1.1103,
          currency: 'USD',
        },
      ],
      totalPerHour: 3.711,
      totalPerMonth: 2709.03,
      spotTotalPerHour: 1.1103,
      unpriced: [],
      hoursPerMonth: 730,
    });
    const spot = await catalog.estimateCost({
      nodeGroups: [{ specId: 'aws+ap-northeast-2+g5.xlarge', size: 3, spot: true }],
    });
    expect(spot.totalPerHour).toBe(1.1103);
    expect(spot.totalPerMonth).toBe(810.519);
  });

  it('keeps KRW groups in KRW and sums in USD; lists what it cannot price', async () => {
    const estimate = await catalog.estimateCost({
      nodeGroups: [
        { specId: 'aws+ap-northeast-2+g5.xlarge', size: 1 },
        { specId: 'kt+KR1+2x4.itl', size: 2 },
        { specId: 'kt+KR1+2x4.itl', size: 1, spot: true },
      ],
    });
    const krw = (kt?.pricePerHour as number) * 2;
    expect(estimate.groups[1]).toEqual({
      specId: 'kt+KR1+2x4.itl',
      size: 2,
      onDemandPerHour: krw,
      spotPerHour: null,
      currency: 'KRW',
    });
    expect(estimate.totalPerHour).toBeCloseTo(1.237 + krw / 1400, 6);
    expect(estimate.spotTotalPerHour).toBeNull();
    expect(estimate.unpriced).toEqual(['kt+KR1+2x4.itl (no spot price)']);
  });

  it('says which spec ids it does not know', async () => {
    await expect(catalog.estimateCost({ nodeGroups: [{ specId: 'aws+mars-1+x', size: 1 }] })).rejects.toThrow(
      /unknown spec id\(s\) aws\+mars-1\+x/,
    );
  });
});

describe('regions, images, providers', () => {
  it.each<SearchRegionsInput>([
    { near: { place: 'Frankfurt' } },
    { countryCode: 'kr', providers: ['aws', 'nhn', 'kt'] },
    { text: 'seoul' },
    { text: 'virginia', providers: ['aws', 'azure'] },
    { limit: 500 },
  ])('searchRegions %j equals the brute-force scan', async (query) => {
    const hits = await catalog.searchRegions(query);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits).toEqual(await brute.searchRegions(query));
  });

  it('finds the Seoul regions by text', async () => {
    const hits = await catalog.searchRegions({ text: '서울', limit: 5 });
    expect(hits.every((hit) => hit.region.countryCode === 'KR')).toBe(true);
  });

  it.each<SearchImagesInput>([
    { region: 'aws+ap-northeast-2', os: 'ubuntu' },
    { os: 'ubuntu', osVersion: '22', arch: 'arm64', limit: 50 },
    { gpuReady: true, region: 'nhn+KR1' },
    { text: 'ubuntu gpu', gpuReady: true },
    { text: 'debian 12 frankfurt' },
  ])('searchImages %j equals the brute-force scan', async (query) => {
    const images = await catalog.searchImages(query);
    expect(images.length).toBeGreaterThan(0);
    expect(images).toEqual(await brute.searchImages(query));
  });

  it('lists the ten providers with the shipped counts and dates', async () => {
    const providers = await catalog.listProviders();
    expect(providers).toEqual(loadProviders());
  });

  it('resolves places and providers of ids', () => {
    expect(catalog.resolvePlaces('서울')[0]?.name).toBe('Seoul');
    expect(catalog.providerOf('gcp+asia-northeast3+e2-medium')).toBe('gcp');
    expect(catalog.providerOf('mars+x')).toBeUndefined();
  });
});

describe('bad input says what to fix', () => {
  it.each<[unknown, RegExp]>([
    [{ minVcpu: -1 }, /searchSpecs: invalid input; fix minVcpu: Too small/],
    [{ sort: 'fast' }, /sort: Invalid option/],
    [{ minVcpu: 8, maxVcpu: 2 }, /minVcpu \(8\) is above maxVcpu \(2\)/],
    [{ gpu: {}, noGpu: true }, /gpu and noGpu contradict/],
    [{ sort: 'distance' }, /sort "distance" needs near/],
    [{ sort: 'latency' }, /sort "latency" needs latencyFrom/],
    [{ regions: ['aws+mars-1'] }, /unknown region id\(s\) aws\+mars-1/],
    [{ near: { place: 'qwertyuiop' } }, /no place found in "qwertyuiop"/],
    [{ gpu: { model: 'banana' } }, /unknown GPU model "banana"; known models: .*A100/],
    [{ latencyFrom: 'nowhere-at-all' }, /latencyFrom "nowhere-at-all" is neither a region id/],
    [{ providers: ['aws', 'oracle'] }, /providers.1/],
  ])('%j', async (input, message) => {
    const error = await catalog.searchSpecs(input as SearchSpecsInput).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogInputError);
    expect((error as Error).message).toMatch(message);
  });

  it('for regions and images too', async () => {
    await expect(catalog.searchRegions({ countryCode: 'KOR' })).rejects.toThrow(/countryCode/);
    await expect(catalog.searchImages({ region: 'aws' })).rejects.toThrow(/unknown region id "aws"/);
  });
});
