import { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, InvalidRequestError, type Spec, ThrottledError } from '../spec/index.ts';
import { createVmNetwork } from '../spec/testing/vm-network.ts';
import { GcpDriver } from './gcp-driver.ts';
import { FIXTURE_SKUS } from './testing/billing-fixtures.ts';
import { FakeBilling } from './testing/fake-billing.ts';
import { FakeCompute } from './testing/fake-compute.ts';

describe('GCP machine-type prices from the Billing Catalog at the wire', () => {
  const compute = new FakeCompute();
  const billing = new FakeBilling();
  let computePort = 0;
  let billingPort = 0;
  const drivers: GcpDriver[] = [];

  /** A fresh driver (its own caches) on both fakes. */
  const driverWith = (prices: 'billing-catalog' | 'none' = 'billing-catalog') => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 3_600_000 });
    const driver = new GcpDriver({
      projectId: 'prices',
      endpoint: { host: '127.0.0.1', port: computePort, protocol: 'http' },
      billingEndpoint: { host: '127.0.0.1', port: billingPort, protocol: 'http' },
      prices,
      authClient,
    });
    drivers.push(driver);
    return driver;
  };
  const byName = (specs: Spec[]) => new Map(specs.map((spec) => [spec.name, spec]));

  beforeAll(async () => {
    computePort = await compute.start();
    billingPort = await billing.start();
  });
  afterEach(async () => {
    for (const driver of drivers.splice(0)) await driver.close();
  });
  afterAll(async () => {
    await compute.stop();
    await billing.stop();
  });

  it('prices a machine type as vCPUs × core SKU + GiB × RAM SKU (+ GPUs) of its series and region', async () => {
    const driver = driverWith();
    const iowa = byName(await driver.listSpecs({ region: 'us-central1' }));
    const seoul = byName(await driver.listSpecs({ region: 'asia-northeast3' }));
    const cases: [Map<string, Spec>, string, number][] = [
      [iowa, 'e2-medium', 0.033503], // shared core: 1 billed vCPU of 2, + 4 GiB
      [iowa, 'n2-standard-4', 0.194236],
      [iowa, 't2a-standard-1', 0.0452],
      [iowa, 'a2-highgpu-1g', 3.673385], // 12 vCPUs, 85 GiB, one A100
      [iowa, 'g2-standard-4', 0.706784], // 4 vCPUs, 16 GiB, one L4
      [seoul, 'e2-medium', 0.04126],
      [seoul, 'n2-standard-4', 0.239184],
      [seoul, 'g2-standard-4', 0.8808],
    ];
    for (const [specs, name, price] of cases) {
      expect(specs.get(name)?.pricePerHour, `${name} in ${specs.get(name)?.region}`).toBeCloseTo(price, 6);
    }
    expect(iowa.get('e2-small')?.pricePerHour).toBeCloseTo(0.5 * 0.021811 + 2 * 0.002923, 5);
    expect(iowa.get('e2-medium')?.currency).toBe('USD');
  });

  it("names GPUs the driver has no table entry for from the zone's accelerator types", async () => {
    const iowa = byName(await driverWith('none').listSpecs({ region: 'us-central1' }));
    expect(iowa.get('a4-highgpu-8g')?.gpu).toEqual({
      model: 'B200',
      count: 8,
      memoryGiB: null,
      manufacturer: 'NVIDIA',
    });
    expect(iowa.get('a2-highgpu-1g')?.gpu).toMatchObject({ model: 'A100', memoryGiB: 40 });
    expect(
      compute.requests.some((request) => request.path.endsWith('/zones/us-central1-b/acceleratorTypes')),
    ).toBe(true);
  });

  it('lists N1 + GPU combinations where a zone has both, within the GPU count limits', async () => {
    const driver = driverWith('none');
    const seoul = byName(await driver.listSpecs({ region: 'asia-northeast3' }));
    const iowa = byName(await driver.listSpecs({ region: 'us-central1' }));
    expect(seoul.get('n1-standard-4-t4x1')).toMatchObject({
      id: 'gcp+asia-northeast3+n1-standard-4-t4x1',
      vcpu: 4,
      memoryGiB: 15,
      gpu: { model: 'T4', count: 1, memoryGiB: 16, manufacturer: 'NVIDIA' },
      // The T4 is not in asia-northeast3-a, though n1-standard-4 is.
      zones: ['asia-northeast3-b', 'asia-northeast3-c'],
    });
    expect([...seoul.keys()].filter((name) => name.includes('x'))).toEqual([
      'n1-standard-4-t4x1',
      'n1-standard-4-t4x2',
      'n1-standard-4-t4x4',
    ]);
    // 96 vCPUs take four T4s or eight V100s, nothing less; the zone's maximum caps T4 at 4.
    expect([...iowa.keys()].filter((name) => name.startsWith('n1-standard-96-'))).toEqual([
      'n1-standard-96-t4x4',
      'n1-standard-96-v100x8',
    ]);
    expect(iowa.has('n1-standard-4-t4x8')).toBe(false);
  });

  it('prices an N1 + GPU spec as its N1 machine type plus its GPUs', async () => {
    const seoul = byName(await driverWith().listSpecs({ region: 'asia-northeast3' }));
    expect(seoul.get('n1-standard-4-t4x1')?.pricePerHour).toBeCloseTo(4 * 0.040376 + 15 * 0.005411 + 0.42, 6);
    expect(seoul.get('n1-standard-4-t4x4')?.pricePerHour).toBeCloseTo(
      4 * 0.040376 + 15 * 0.005411 + 4 * 0.42,
      6,
    );
    expect(seoul.get('n1-standard-4')?.pricePerHour).toBeCloseTo(4 * 0.040376 + 15 * 0.005411, 6);
  });

  it('creates an N1 + GPU spec as the N1 machine type with guestAccelerators, only in a zone that has the GPU', async () => {
    // With prices on and the Billing Catalog failing: a create does not depend on it.
    const driver = driverWith();
    billing.failNext(403, 'PERMISSION_DENIED');
    const region = 'asia-northeast3';
    const tags = { 's2a:mci': 'gpu', 's2a:op': 'op-1', 's2a:owner': 'gpu-test' };
    const { subnet, group, keyPair } = await createVmNetwork(driver, {
      region,
      name: 'gpu',
      cidrBlock: '10.3.0.0/16',
      tags,
    });
    const request = {
      region,
      name: 'gpu-vm',
      specId: `gcp+${region}+n1-standard-4-t4x1`,
      imageId: `gcp+${region}+ubuntu-2204-jammy-v20240614`,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags,
    };
    const inserts = () =>
      compute.requests.filter(
        (entry) => entry.method === 'POST' && /\/zones\/[^/]+\/instances$/.test(entry.path),
      );
    const before = inserts().length;
    await expect(driver.createVm({ ...request, zone: 'asia-northeast3-a' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(inserts().length).toBe(before);

    const vm = await driver.createVm({ ...request, zone: 'asia-northeast3-b' });
    expect(vm.specId).toBe(`gcp+${region}+n1-standard-4-t4x1`);
    expect(inserts().at(-1)?.body).toMatchObject({
      machineType: 'zones/asia-northeast3-b/machineTypes/n1-standard-4',
      guestAccelerators: [
        { acceleratorType: 'zones/asia-northeast3-b/acceleratorTypes/nvidia-tesla-t4', acceleratorCount: 1 },
      ],
      // GPUs cannot live-migrate.
      scheduling: { onHostMaintenance: 'TERMINATE' },
    });
    expect((await driver.getVm(vm.id)).specId).toBe(`gcp+${region}+n1-standard-4-t4x1`);
    await expect(
      driver.createVm({
        ...request,
        name: 'gpu-vm-8',
        specId: `gcp+${region}+n1-standard-4-t4x8`,
        zone: 'asia-northeast3-b',
      }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    billing.clearFailures();
  });

  it('prices spot from the Preemptible SKUs, null where one is missing', async () => {
    const driver = driverWith();
    const iowa = byName(await driver.listSpecs({ region: 'us-central1' }));
    expect(iowa.get('e2-medium')?.spotPricePerHour).toBeCloseTo(0.006543 + 4 * 0.000877, 6);
    // An A100 spot SKU exists but no A2 spot core/RAM SKU: no guess.
    expect(iowa.get('a2-highgpu-1g')?.spotPricePerHour).toBeNull();
    expect(iowa.get('n2-standard-4')?.spotPricePerHour).toBeNull();
    // No A4 or B200 SKU in the fixtures: no price rather than a wrong one.
    expect(iowa.get('a4-highgpu-8g')?.pricePerHour).toBeNull();
  });

  it('reads every page of the Compute Engine SKUs in USD, once per driver', async () => {
    const driver = driverWith();
    const before = billing.skuRequests().length;
    await driver.listSpecs({ region: 'us-central1' });
    await driver.listSpecs({ region: 'asia-northeast3' });
    const requests = billing.skuRequests().slice(before);
    // 4 SKUs a page, fetched once for both regions.
    expect(requests.length).toBe(Math.ceil(FIXTURE_SKUS.length / 4));
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((request) => request.path === '/v1/services/6F81-5844-456A/skus')).toBe(true);
    expect(requests[0]?.query.currencyCode).toBe('USD');
    expect(requests[1]?.query.pageToken).toBeTruthy();
  });

  it('sends nothing to the Billing Catalog when prices are "none"', async () => {
    const before = billing.requests.length;
    const specs = await driverWith('none').listSpecs({ region: 'us-central1' });
    expect(billing.requests.length).toBe(before);
    expect(specs.every((spec) => spec.pricePerHour === null && spec.spotPricePerHour === null)).toBe(true);
  });

  it.each([
    [429, 'RESOURCE_EXHAUSTED', 'ThrottledError', ThrottledError],
    [403, 'PERMISSION_DENIED', 'AuthError', AuthError],
  ] as const)(
    'a Billing Catalog %i %s is a %s, and the next call fetches again',
    async (status, text, _name, errorClass) => {
      const driver = driverWith();
      billing.failNext(status, text);
      await expect(driver.listSpecs({ region: 'us-central1' })).rejects.toBeInstanceOf(errorClass);
      const specs = byName(await driver.listSpecs({ region: 'us-central1' }));
      expect(specs.get('e2-medium')?.pricePerHour).toBeCloseTo(0.033503, 6);
    },
  );
});
