/**
 * `s2a catalog refresh` through the real AWS and GCP drivers, switched on by S2A_CONNECTIONS alone,
 * against local fakes of EC2, the Price List API, Compute Engine, the Cloud Billing Catalog and
 * the GCE metadata server (where Application Default Credentials get their token). The command
 * runs as a child process, as a user runs it; the catalog is then asked in this process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog.ts';
import { loadSpecs, parseGcpN1GpuName } from '../catalog/load/index.ts';
import type { RefreshSummary } from '../catalog/refresh/index.ts';
import { FakeEc2 } from '../drivers/aws/testing/fake-ec2.ts';
import { FakePricing } from '../drivers/aws/testing/fake-pricing.ts';
import { n1GpuAllowed, parseN1GpuSpecName } from '../drivers/gcp/convert-n1-gpu.ts';
import { FakeBilling } from '../drivers/gcp/testing/fake-billing.ts';
import { FakeCompute } from '../drivers/gcp/testing/fake-compute.ts';
import { FakeMetadata } from '../drivers/gcp/testing/fake-metadata.ts';
import { Runtime } from '../runtime/runtime.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SLOW = { timeout: 300_000 };

let home: string;
let ec2: FakeEc2;
let pricing: FakePricing;
const compute = new FakeCompute();
const billing = new FakeBilling();
const metadata = new FakeMetadata('refresh-project');
let computeEndpoint: string;
let billingEndpoint: string;
let metadataHost: string;

/** The environment of a person with AWS keys in their shell and ADC on a GCE machine, nothing else. */
function environment(connections: Record<string, unknown>, extra: Record<string, string> = {}) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(AWS_|GOOGLE_|GCLOUD_|GCE_|CLOUDSDK_|METADATA_SERVER|S2A_)/.test(name),
    ),
  );
  return {
    ...inherited,
    S2A_HOME: home,
    S2A_CONNECTIONS: JSON.stringify(connections),
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    // No ~/.aws files and no instance metadata: only the variables above can give credentials.
    AWS_CONFIG_FILE: join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // No gcloud configuration: ADC finds the (fake) metadata server.
    CLOUDSDK_CONFIG: join(home, 'no-gcloud'),
    GCE_METADATA_HOST: metadataHost,
    METADATA_SERVER_DETECTION: 'assume-present',
    ...extra,
  };
}

/** Runs `s2a …` without blocking this process: the fakes answer from its event loop. */
function s2a(env: Record<string, string | undefined>, ...args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/s2a.mjs', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function awsConnection(prices: 'price-list' | 'none') {
  return {
    driver: 'aws',
    region: 'ap-northeast-2',
    endpoint: ec2.endpoint,
    pricingEndpoint: pricing.endpoint,
    prices,
    maxAttempts: 1,
  };
}

function gcpConnection() {
  return {
    driver: 'gcp',
    projectId: 'refresh-project',
    endpoint: computeEndpoint,
    billingEndpoint,
    prices: 'billing-catalog',
  };
}

/** The catalog under `home` as the tools see it, opened after the child process wrote to it. */
async function withCatalog<T>(work: (catalog: Catalog) => Promise<T>): Promise<T> {
  const runtime = await Runtime.open({ home, environment: environment({}) });
  try {
    return await work(await runtime.catalog());
  } finally {
    await runtime.close();
  }
}

async function specOf(catalog: Catalog, region: string, name: string, vcpu: number) {
  const hits = await catalog.searchSpecs({ regions: [region], minVcpu: vcpu, maxVcpu: vcpu, limit: 1000 });
  return hits.find((hit) => hit.spec.name === name)?.spec;
}

function summaryOf(stdout: string): RefreshSummary {
  return JSON.parse(stdout) as RefreshSummary;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 's2a-refresh-real-'));
  ec2 = await FakeEc2.start();
  pricing = await FakePricing.start();
  computeEndpoint = `http://127.0.0.1:${await compute.start()}`;
  billingEndpoint = `http://127.0.0.1:${await billing.start()}`;
  metadataHost = await metadata.start();
});

afterAll(async () => {
  await ec2.close();
  await pricing.close();
  await compute.stop();
  await billing.stop();
  await metadata.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('N1 + GPU specs: the GCP driver and the catalog agree', () => {
  // Refresh writes the driver's rows over the catalog's by id: both must name and bound them alike.
  it("every shipped N1 + GPU spec parses the same way and is within the driver's limits", () => {
    const shipped = loadSpecs().filter((spec) => spec.provider === 'gcp' && parseGcpN1GpuName(spec.name));
    expect(shipped.length).toBeGreaterThan(1000);
    for (const spec of shipped) {
      const catalogName = parseGcpN1GpuName(spec.name);
      const driverName = parseN1GpuSpecName(spec.name);
      expect(driverName, spec.name).toMatchObject({
        machineType: catalogName?.machineType,
        acceleratorType: catalogName?.acceleratorType,
        count: catalogName?.count,
      });
      const allowedSomewhere = (spec.zones ?? []).some((zone) =>
        n1GpuAllowed(driverName?.gpu ?? 't4', driverName?.count ?? 0, spec, zone),
      );
      expect(allowedSomewhere, spec.id).toBe(true);
    }
  });
});

describe('s2a catalog refresh with real drivers at the wire', () => {
  it(
    'aws without a price source: offered types, zones and images go in, shipped prices stay',
    SLOW,
    async () => {
      const { code, stdout, stderr } = await s2a(
        environment({ aws: awsConnection('none') }),
        'catalog',
        'refresh',
        '--provider',
        'aws',
        '--json',
      );
      expect(code, stderr).toBe(0);
      const [aws] = summaryOf(stdout).providers;
      // 7 types in Seoul and Virginia, 6 in Tokyo (no inf2.xlarge there).
      expect(aws).toMatchObject({
        provider: 'aws',
        ok: true,
        driver: 'aws',
        regions: 3,
        specs: 20,
        invalid: 0,
      });
      expect(aws?.pricesKept).toBeGreaterThan(0);
      expect(ec2.requestsOf('DescribeInstanceTypeOfferings').length).toBeGreaterThan(0);

      const shipped = loadSpecs().find((spec) => spec.id === 'aws+ap-northeast-2+t3.micro');
      expect(shipped?.pricePerHour).toBeGreaterThan(0);
      await withCatalog(async (catalog) => {
        const t3 = await specOf(catalog, 'aws+ap-northeast-2', 't3.micro', 2);
        expect(t3).toMatchObject({ source: 'aws-ec2-api', pricePerHour: shipped?.pricePerHour });
        const g5 = await specOf(catalog, 'aws+ap-northeast-2', 'g5.xlarge', 4);
        expect(g5?.zones).toEqual(['ap-northeast-2a', 'ap-northeast-2b']);
        const images = await catalog.searchImages({ region: 'aws+ap-northeast-2', os: 'ubuntu', limit: 500 });
        const ids = images.map((image) => image.cspImageId);
        // The newest Ubuntu 22.04 amd64 build is in, the older one of the same line is not.
        expect(ids).toContain('ami-0c9c942bd7bf113a2');
        expect(ids).not.toContain('ami-0a1b2c3d4e5f60718');
      });
    },
  );

  it('aws with the Price List: the catalog answers with the fetched prices', SLOW, async () => {
    const { code, stdout, stderr } = await s2a(
      environment({ aws: awsConnection('price-list') }),
      'catalog',
      'refresh',
      '--provider',
      'aws',
      '--json',
    );
    expect(code, stderr).toBe(0);
    expect(summaryOf(stdout).providers[0]).toMatchObject({ ok: true, specs: 20 });
    expect(pricing.requests.length).toBeGreaterThan(0);
    await withCatalog(async (catalog) => {
      expect((await specOf(catalog, 'aws+ap-northeast-2', 't3.micro', 2))?.pricePerHour).toBe(0.013);
      expect((await specOf(catalog, 'aws+us-east-1', 'g5.xlarge', 4))?.pricePerHour).toBe(1.006);
      const cost = await catalog.estimateCost({
        nodeGroups: [{ specId: 'aws+ap-northeast-2+g5.xlarge', size: 2 }],
      });
      expect(cost.groups[0]?.onDemandPerHour).toBeCloseTo(2 * 1.208, 6);
    });
  });

  it('gcp with the Billing Catalog, credentials from the metadata server', SLOW, async () => {
    const { code, stdout, stderr } = await s2a(
      environment({ gcp: gcpConnection() }),
      'catalog',
      'refresh',
      '--provider',
      'gcp',
      '--json',
    );
    expect(code, stderr).toBe(0);
    expect(summaryOf(stdout).providers[0]).toMatchObject({
      provider: 'gcp',
      ok: true,
      driver: 'gcp',
      regions: 2,
    });
    expect(metadata.tokenRequests.length).toBeGreaterThan(0);
    expect(billing.skuRequests().length).toBeGreaterThan(0);
    await withCatalog(async (catalog) => {
      const e2 = await specOf(catalog, 'gcp+us-central1', 'e2-medium', 2);
      expect(e2).toMatchObject({ source: 'gcp-compute-api', zones: ['us-central1-a', 'us-central1-b'] });
      expect(e2?.pricePerHour).toBeCloseTo(0.033503, 6);
      expect(e2?.spotPricePerHour).toBeCloseTo(0.010051, 6);
      const g2 = await specOf(catalog, 'gcp+asia-northeast3', 'g2-standard-4', 4);
      expect(g2?.pricePerHour).toBeCloseTo(0.8808, 6);
      // The same id as the shipped N1 + T4 row: the refresh replaced its price and zones.
      const t4 = await specOf(catalog, 'gcp+asia-northeast3', 'n1-standard-4-t4x1', 4);
      expect(t4).toMatchObject({
        source: 'gcp-compute-api',
        zones: ['asia-northeast3-b', 'asia-northeast3-c'],
      });
      expect(t4?.pricePerHour).toBeCloseTo(0.662669, 6);
      const images = await catalog.searchImages({ region: 'gcp+us-central1', os: 'ubuntu', limit: 500 });
      expect(images.map((image) => image.cspImageId)).toContain('ubuntu-2204-jammy-v20240614');
    });
  });

  it('status names the driver and time of each refresh', SLOW, async () => {
    const { code, stdout, stderr } = await s2a(environment({}), 'catalog', 'status', '--json');
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as {
      provider: string;
      driver: string | null;
      refreshedAt: string | null;
    }[];
    expect(rows.find((row) => row.provider === 'aws')).toMatchObject({ driver: 'aws', lastError: null });
    expect(rows.find((row) => row.provider === 'gcp')).toMatchObject({ driver: 'gcp', lastError: null });
    expect(rows.find((row) => row.provider === 'gcp')?.refreshedAt).not.toBeNull();
  });

  it.each([
    ['aws', { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' }, /AWS_ACCESS_KEY_ID/],
    ['gcp', { METADATA_SERVER_DETECTION: 'none' }, /GOOGLE_APPLICATION_CREDENTIALS/],
  ] as const)(
    '%s without credentials fails with an AuthError that says what to set',
    SLOW,
    async (provider, extra, hint) => {
      const connections = provider === 'aws' ? { aws: awsConnection('none') } : { gcp: gcpConnection() };
      const { code, stdout } = await s2a(
        environment(connections, extra),
        'catalog',
        'refresh',
        '--provider',
        provider,
        '--json',
      );
      expect(code).toBe(1);
      const [result] = summaryOf(stdout).providers;
      expect(result?.error?.code).toBe('AUTH');
      expect(result?.error?.message).toMatch(hint);
    },
  );
});
