// The read-only tools through an MCP client, on the real shipped catalog and a fast sim.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../drivers/spec/index.ts';
import { type McpTestServer, openMcpTestServer, toolErrorOf } from './testing/mcp-test-kit.ts';

let server: McpTestServer;
let client: Client;

// One server per file: the catalog builds its index (~15 s) on first use in each home.
beforeAll(async () => {
  server = await openMcpTestServer();
  client = await server.connect();
  await server.services.catalog();
}, 180_000);
afterAll(async () => server.close());

async function call(name: string, arguments_: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: arguments_ })) as CallToolResult;
}

/** The structured content of a successful call. */
async function structured<T>(name: string, arguments_: Record<string, unknown>): Promise<T> {
  const result = await call(name, arguments_);
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

async function expectInvalidInput(name: string, arguments_: Record<string, unknown>, field: RegExp) {
  const error = toolErrorOf(await call(name, arguments_));
  expect(error.error.code).toBe('INVALID_INPUT');
  expect(error.error.message).toMatch(field);
  expect(error.error.next.length).toBeGreaterThan(10);
  return error;
}

/** VMs the sim holds in any provider, terminated ones left out. */
async function simVms(): Promise<number> {
  let count = 0;
  for (const provider of PROVIDERS) {
    const driver = await server.runtime.driver(provider);
    count += (await driver.listVms()).filter((vm) => vm.status !== 'Terminated').length;
  }
  return count;
}

const EUROPE = new Set([
  'DE',
  'NL',
  'BE',
  'FR',
  'CH',
  'AT',
  'PL',
  'IT',
  'ES',
  'GB',
  'IE',
  'SE',
  'NO',
  'FI',
  'DK',
  'CZ',
]);

describe('listProviders', () => {
  it('lists the ten providers with counts, freshness and their driver, and nothing else of the connection', async () => {
    const result = await call('listProviders', {});
    const output = result.structuredContent as {
      providers: {
        id: string;
        driver: string;
        regions: number;
        specs: number;
        images: number;
        dataAsOf: string;
      }[];
      totals: { regions: number; specs: number };
      allSimulated: boolean;
    };
    expect(output.providers.map((provider) => provider.id)).toEqual([...PROVIDERS]);
    for (const provider of output.providers) {
      expect(provider.driver).toBe('sim');
      expect(provider.regions).toBeGreaterThan(0);
      expect(provider.specs).toBeGreaterThan(0);
      expect(provider.dataAsOf).toMatch(/^\d{4}-\d{2}-\d{2}/);
      expect(Object.keys(provider).sort()).toEqual(
        ['dataAsOf', 'displayName', 'driver', 'id', 'images', 'refreshedAt', 'regions', 'specs'].sort(),
      );
    }
    expect(output.totals.regions).toBeGreaterThan(150);
    expect(output.totals.specs).toBeGreaterThan(50_000);
    expect(output.allSimulated).toBe(true);
    expect(textOf(result)).toMatch(/10 providers/);
  });
});

describe('searchRegions', () => {
  interface Regions {
    results: { regionId: string; countryCode: string | null; distanceKm: number | null }[];
    count: number;
  }

  it('finds Seoul regions from Korean text', async () => {
    const { results } = await structured<Regions>('searchRegions', { text: '서울', limit: 5 });
    expect(results.map((region) => region.regionId)).toContain('aws+ap-northeast-2');
    for (const region of results) expect(region.countryCode).toBe('KR');
  });

  it('orders regions near a place by distance and honours providers and country filters', async () => {
    const near = await structured<Regions>('searchRegions', {
      near: { place: 'Frankfurt' },
      providers: ['aws', 'gcp', 'azure'],
      limit: 10,
    });
    expect(near.count).toBeGreaterThan(2);
    const distances = near.results.map((region) => region.distanceKm as number);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(near.results[0]?.countryCode).toBe('DE');
    expect(near.results.map((region) => region.regionId)).toContain('aws+eu-central-1');
    for (const region of near.results) expect(region.regionId).toMatch(/^(aws|gcp|azure)\+/);

    const korea = await structured<Regions>('searchRegions', { countryCode: 'kr', limit: 50 });
    expect(korea.count).toBeGreaterThan(3);
    for (const region of korea.results) expect(region.countryCode).toBe('KR');
  });

  it('says what to fix for a bad country code or a place that names nothing', async () => {
    await expectInvalidInput('searchRegions', { countryCode: 'KOR' }, /countryCode/);
    await expectInvalidInput('searchRegions', { near: { place: 'qqqxxzzz nowhere' } }, /place|near/i);
    await expectInvalidInput('searchRegions', { providers: ['digitalocean'] }, /providers/);
  });
});

describe('searchImages', () => {
  it('finds Ubuntu images of one region', async () => {
    const output = await structured<{
      results: { imageId: string; regionId: string; os: string; arch: string }[];
    }>('searchImages', { region: 'aws+ap-northeast-2', os: 'ubuntu', arch: 'x86_64' });
    expect(output.results.length).toBeGreaterThan(0);
    for (const image of output.results) {
      expect(image.regionId).toBe('aws+ap-northeast-2');
      expect(image.imageId.startsWith('aws+ap-northeast-2+')).toBe(true);
      expect(image.os).toBe('ubuntu');
      expect(image.arch).toBe('x86_64');
    }
  });

  it('names the region when it does not exist', async () => {
    await expectInvalidInput('searchImages', { region: 'aws+mars-north-1' }, /region/);
  });
});

describe('recommendSpecs', () => {
  interface Recommended {
    results: {
      specId: string;
      countryCode: string | null;
      gpu: { model: string } | null;
      pricePerHour: number | null;
      total: number;
      parts: { cost: number; performance: number; distance: number; latency: number };
    }[];
    weights: { cost: number; performance: number; distance: number; latency: number };
  }

  it('recommends A100 specs in Europe near Frankfurt, best total first, with the parts that explain it', async () => {
    const output = await structured<Recommended>('recommendSpecs', {
      gpu: { model: 'A100' },
      near: { place: 'Frankfurt' },
      weights: { cost: 1, distance: 1 },
      limit: 8,
    });
    expect(output.weights).toEqual({ cost: 1, performance: 0, distance: 1, latency: 0 });
    expect(output.results.length).toBeGreaterThan(2);
    const totals = output.results.map((result) => result.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    for (const result of output.results) {
      expect(result.gpu?.model).toMatch(/A100/);
      expect(EUROPE.has(result.countryCode ?? '')).toBe(true);
      // The total is the weighted mean of the parts it reports.
      expect(result.total).toBeCloseTo((result.parts.cost + result.parts.distance) / 2, 2);
      for (const part of Object.values(result.parts)) {
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThanOrEqual(1);
      }
    }
  });

  it('shows prices in USD for providers that list KRW', async () => {
    const output = await structured<Recommended>('recommendSpecs', {
      providers: ['nhn'],
      maxVcpu: 2,
      limit: 3,
    });
    expect(output.results.length).toBeGreaterThan(0);
    for (const result of output.results) expect(result.pricePerHour).toBeLessThan(1);
  });

  it('refuses a distance weight without a place, and a negative weight', async () => {
    await expectInvalidInput('recommendSpecs', { gpu: {}, weights: { distance: 1 } }, /near/);
    await expectInvalidInput('recommendSpecs', { weights: { cost: -1 } }, /weights\.cost/);
  });
});

describe('estimateCost', () => {
  interface Estimate {
    groups: {
      specId: string;
      pricePerHour: number | null;
      pricePerMonth: number | null;
      sourceCurrency: string;
    }[];
    totalPerHour: number;
    totalPerMonth: number;
    unpriced: string[];
    notes: string[];
  }

  it('sums node groups per hour and per month, converting KRW to USD', async () => {
    const search = async (arguments_: Record<string, unknown>) => {
      const output = await structured<{ results: { specId: string; pricePerHour: number }[] }>(
        'searchSpecs',
        {
          ...arguments_,
          limit: 1,
        },
      );
      const first = output.results[0];
      if (!first) throw new Error(`no spec for ${JSON.stringify(arguments_)}`);
      return first;
    };
    const small = await search({ regions: ['aws+ap-northeast-2'], minVcpu: 2, noGpu: true });
    const gcp = await search({ regions: ['gcp+europe-west3'], minVcpu: 4, noGpu: true });
    const output = await structured<Estimate>('estimateCost', {
      nodeGroups: [
        { specId: small.specId, size: 2 },
        { specId: gcp.specId, size: 3, rootDiskGiB: 100 },
        { specId: 'nhn+KR1+t2.c1m1', size: 1 },
      ],
    });
    const [aws, gcpGroup, nhn] = output.groups;
    expect(aws?.pricePerHour).toBeCloseTo(2 * small.pricePerHour, 6);
    expect(gcpGroup?.pricePerHour).toBeCloseTo(3 * gcp.pricePerHour, 6);
    expect(nhn?.sourceCurrency).toBe('KRW');
    expect(nhn?.pricePerHour).toBeCloseTo(24 / 1400, 6);
    const sum = output.groups.reduce((total, group) => total + (group.pricePerHour ?? 0), 0);
    expect(output.totalPerHour).toBeCloseTo(sum, 5);
    expect(output.totalPerMonth).toBeCloseTo(sum * 730, 1);
    expect(output.unpriced).toEqual([]);
    expect(output.notes.join(' ')).toMatch(/disk/i);
    expect(output.notes.join(' ')).toMatch(/KRW/);
  });

  it('says what to fix for an unknown spec or a size of 0', async () => {
    const unknown = await expectInvalidInput(
      'estimateCost',
      { nodeGroups: [{ specId: 'aws+ap-northeast-2+nope.large', size: 1 }] },
      /nope\.large/,
    );
    expect(unknown.error.next).toMatch(/searchSpecs/);
    await expectInvalidInput(
      'estimateCost',
      { nodeGroups: [{ specId: 'aws+ap-northeast-2+t3.medium', size: 0 }] },
      /size/,
    );
    await expectInvalidInput('estimateCost', { nodeGroups: [] }, /nodeGroups/);
  });
});

describe('reviewMCI', () => {
  interface Review {
    ok: boolean;
    issues: string[];
    risks: string[];
    pricePerHour: number;
    groups: { specId: string | null; regionId: string | null }[];
  }

  it('reviews a good request: ok, priced, planned, and nothing is created', async () => {
    const before = await simVms();
    const result = await call('reviewMCI', {
      name: 'reviewed',
      nodeGroups: [
        { name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size: 2 },
        { name: 'api', requirements: { vcpu: 2, memoryGiB: 4, providers: ['gcp'] }, size: 1 },
      ],
    });
    expect(result.isError).toBeFalsy();
    const review = result.structuredContent as unknown as Review;
    expect(review.ok).toBe(true);
    expect(review.issues).toEqual([]);
    expect(review.pricePerHour).toBeGreaterThan(0.1);
    expect(review.groups[1]?.regionId).toMatch(/^gcp\+/);
    expect(textOf(result)).toMatch(/createMCI/);
    expect(await simVms()).toBe(before);
    const mcis = await (await server.runtime.mci()).engine.listMcis();
    expect(mcis.map((mci) => mci.name)).not.toContain('reviewed');
  });

  it('returns ok=false with issues naming the field for a bad request, not an error, creating nothing', async () => {
    const before = await simVms();
    const result = await call('reviewMCI', {
      name: 'bad',
      nodeGroups: [
        { name: 'web', specId: 'aws+ap-northeast-2+nope.large', size: 1 },
        { name: 'gpu', specId: 'aws+ap-northeast-2+t3.medium', imageId: 'gcp+us-central1+nothing', size: 1 },
      ],
    });
    expect(result.isError).toBeFalsy();
    const review = result.structuredContent as unknown as Review;
    expect(review.ok).toBe(false);
    expect(review.issues.some((issue) => /nodeGroups\[0\].*specId/.test(issue))).toBe(true);
    expect(review.issues.some((issue) => /nodeGroups\[1\].*imageId/.test(issue))).toBe(true);
    expect(textOf(result)).toMatch(/Nothing was created/);
    expect(await simVms()).toBe(before);
    expect(await (await server.runtime.mci()).engine.listMcis()).toEqual([]);
  });

  it('warns when the price is above the server budget that createMCI enforces', async () => {
    const search = await structured<{ results: { specId: string; pricePerHour: number }[] }>('searchSpecs', {
      regions: ['aws+us-east-1'],
      gpu: { minCount: 8 },
      limit: 1,
    });
    const big = search.results[0];
    // Ten of them pass the default per-request cap of $50/h.
    expect((big?.pricePerHour ?? 0) * 10).toBeGreaterThan(50);
    const review = await structured<Review>('reviewMCI', {
      name: 'pricey',
      nodeGroups: [{ name: 'gpu', specId: big?.specId, size: 10 }],
    });
    expect(review.risks.join(' ')).toMatch(/S2A_MAX_COST_PER_HOUR/);
  });

  it('refuses input that is not a request at all with INVALID_INPUT', async () => {
    await expectInvalidInput('reviewMCI', { name: 'x', nodeGroups: [{ name: 'web', size: -1 }] }, /size/);
    await expectInvalidInput('reviewMCI', { name: 'a'.repeat(10_000), nodeGroups: [] }, /name/);
  });
});

describe('listApps', () => {
  interface Recipes {
    mciName: null;
    recipes: {
      name: string;
      requirements: { gpu: boolean; gpuMinMemoryGiB: number | null; minMemoryGiB: number | null };
      parameters: { name: string; default: string; description: string }[];
      ports: { port: number }[];
      roles: { name: string; count: string }[];
    }[];
    count: number;
  }

  it('lists the nine recipes with requirements, parameters, ports and roles', async () => {
    const output = await structured<Recipes>('listApps', {});
    expect(output.count).toBe(9);
    const names = output.recipes.map((recipe) => recipe.name);
    expect(names).toEqual(expect.arrayContaining(['ollama', 'vllm', 'open-webui', 'nginx', 'k3s', 'ray']));
    const vllm = output.recipes.find((recipe) => recipe.name === 'vllm');
    expect(vllm?.requirements.gpu).toBe(true);
    expect(vllm?.requirements.gpuMinMemoryGiB).toBe(16);
    expect(vllm?.parameters.find((parameter) => parameter.name === 'model')?.default).toMatch(/\//);
    expect(vllm?.ports.map((port) => port.port)).toContain(8000);
    const nginx = output.recipes.find((recipe) => recipe.name === 'nginx');
    expect(nginx?.requirements.gpu).toBe(false);
    const k3s = output.recipes.find((recipe) => recipe.name === 'k3s');
    expect(k3s?.roles.map((role) => role.name)).toEqual(['server', 'agent']);
  });

  it('says to list MCIs when the MCI does not exist, and refuses a malformed name', async () => {
    const error = toolErrorOf(await call('listApps', { mciName: 'no-such-mci' }));
    expect(error.error.code).toBe('MCI_NOT_FOUND');
    expect(error.error.next).toMatch(/listMCIs/);
    await expectInvalidInput('listApps', { mciName: 'Bad Name; rm -rf /' }, /mciName/);
  });

  it('lists the apps installed on an MCI with per-node status and endpoints, secrets by reference only', async () => {
    const mci = await server.runtime.mci();
    const { operationId } = await mci.engine.createMci({
      name: 'apps',
      nodeGroups: [{ name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size: 1 }],
    });
    expect((await mci.engine.wait(operationId)).status).toBe('succeeded');
    const install = await mci.installApp('apps', 'jupyter', {
      healthWait: { initialDelayMs: 1, maxDelayMs: 5 },
    });
    expect(install.ok).toBe(true);
    const references = install.nodes[0]?.sensitive ?? {};
    const secrets = await Promise.all(
      Object.values(references).map((reference) => mci.revealAppSecret(reference)),
    );
    expect(Object.keys(references)).toContain('token');

    const result = await call('listApps', { mciName: 'apps' });
    const output = result.structuredContent as {
      installed: {
        app: string;
        ok: boolean;
        nodes: {
          nodeId: string;
          installStatus: string;
          vmStatus: string | null;
          endpoints: Record<string, string>;
          secrets: { output: string; reference: string }[];
        }[];
      }[];
    };
    expect(output.installed.map((app) => app.app)).toEqual(['jupyter']);
    const node = output.installed[0]?.nodes[0];
    expect(node).toMatchObject({ nodeId: 'web-1', installStatus: 'installed', vmStatus: 'Running' });
    expect(node?.endpoints.url).toMatch(/^http:\/\/.+:8888\/lab$/);
    expect(node?.secrets).toEqual(
      Object.entries(references).map(([output, reference]) => ({ output, reference })),
    );
    for (const secret of secrets) expect(JSON.stringify(result)).not.toContain(secret);
  });
});
