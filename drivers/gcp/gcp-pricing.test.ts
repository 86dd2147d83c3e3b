import { describe, expect, it } from 'vitest';
import { gpuKey, machinePrice, priceTable, skuRate } from './gcp-pricing.ts';
import { FIXTURE_SKUS, skuResource } from './testing/billing-fixtures.ts';

/** A Compute Engine SKU as the Billing Catalog returns it, for one description and category. */
function sku(
  description: string,
  resourceGroup: string,
  usageType = 'OnDemand',
  usageUnit = description.includes('Ram') ? 'GiBy.h' : 'h',
) {
  return skuResource({
    skuId: 'TEST-0000-0000',
    description,
    resourceGroup,
    usageType: usageType as 'OnDemand',
    regions: ['us-central1'],
    usd: 0.5,
    usageUnit: usageUnit as 'h',
  });
}

describe('Billing Catalog SKUs', () => {
  it.each([
    ['N1 Predefined Instance Core running in Americas', 'N1Standard', 'onDemand:core:n1'],
    ['N1 Predefined Instance Ram running in Americas', 'N1Standard', 'onDemand:ram:n1'],
    ['E2 Instance Core running in Seoul', 'CPU', 'onDemand:core:e2'],
    ['N2D AMD Instance Ram running in Americas', 'RAM', 'onDemand:ram:n2d'],
    ['Compute optimized Core running in Americas', 'CPU', 'onDemand:core:c2'],
    ['Memory-optimized Instance Core running in Americas', 'CPU', 'onDemand:core:m1'],
    ['Micro Instance with burstable CPU running in Americas', 'F1Micro', 'onDemand:machine:f1-micro'],
    ['Small Instance with 1 VCPU running in Americas', 'G1Small', 'onDemand:machine:g1-small'],
    ['Nvidia Tesla T4 GPU running in Americas', 'GPU', 'onDemand:gpu:t4'],
    ['Nvidia A100 80GB GPU running in Americas', 'GPU', 'onDemand:gpu:a10080gb'],
  ])('reads "%s" (%s) as %s', (description, resourceGroup, key) => {
    expect(skuRate(sku(description, resourceGroup))?.key).toBe(key);
  });

  it('reads Preemptible SKUs as spot prices', () => {
    expect(
      skuRate(sku('Spot Preemptible E2 Instance Core running in Americas', 'CPU', 'Preemptible'))?.key,
    ).toBe('spot:core:e2');
    expect(
      skuRate(
        sku('Nvidia Tesla T4 GPU attached to Spot Preemptible VMs running in Americas', 'GPU', 'Preemptible'),
      )?.key,
    ).toBe('spot:gpu:t4');
  });

  it.each([
    ['Custom E2 Instance Core running in Americas', 'CPU', 'OnDemand'],
    ['N2 Sole Tenancy Instance Core running in Americas', 'CPU', 'OnDemand'],
    ['Commitment v1: E2 Cpu in Americas for 1 Year', 'CPU', 'Commit1Yr'],
    ['E2 Instance Core running in Americas', 'CPU', 'Commit1Yr'],
  ])('ignores "%s" (%s, %s)', (description, resourceGroup, usageType) => {
    expect(skuRate(sku(description, resourceGroup, usageType))).toBeUndefined();
  });

  it('ignores a SKU priced in another unit than the one its resource is billed in', () => {
    expect(skuRate(sku('E2 Instance Ram running in Americas', 'RAM', 'OnDemand', 'h'))).toBeUndefined();
  });

  it('reads units and nanos of the price', () => {
    const rate = skuRate(
      skuResource({
        skuId: 'X',
        description: 'Nvidia Tesla A100 GPU running in Americas',
        resourceGroup: 'GPU',
        usageType: 'OnDemand',
        regions: ['us-central1', 'us-east1'],
        usd: 2.933908,
        usageUnit: 'h',
      }),
    );
    expect(rate).toEqual({
      key: 'onDemand:gpu:a100',
      regions: ['us-central1', 'us-east1'],
      usdPerHour: 2.933908,
    });
  });

  it('names accelerator types and GPU SKUs alike', () => {
    expect(gpuKey('nvidia-tesla-t4')).toBe(gpuKey('Nvidia Tesla T4 GPU'));
    expect(gpuKey('nvidia-a100-80gb')).toBe(gpuKey('Nvidia A100 80GB GPU'));
    expect(gpuKey('nvidia-tesla-a100')).not.toBe(gpuKey('nvidia-a100-80gb'));
  });

  it('prices nothing it has no SKU for: an unknown series, a missing GPU, another region', () => {
    const table = priceTable(FIXTURE_SKUS);
    const e2 = { name: 'e2-standard-2', region: 'us-central1', vcpu: 2, memoryGiB: 8 };
    expect(machinePrice(e2, undefined, table, 'onDemand')).toBeCloseTo(2 * 0.021811 + 8 * 0.002923, 6);
    expect(machinePrice({ ...e2, name: 'z9-standard-2' }, undefined, table, 'onDemand')).toBeNull();
    expect(machinePrice(e2, { type: 'nvidia-tesla-p4', count: 1 }, table, 'onDemand')).toBeNull();
    expect(machinePrice({ ...e2, region: 'europe-west1' }, undefined, table, 'onDemand')).toBeNull();
  });
});
