import { describe, expect, it } from 'vitest';
import { fixtureWorld } from '../drivers/sim/testing/fixture-world.ts';
import { ListSpecResolver } from './resolver.ts';

const world = fixtureWorld();
const resolver = new ListSpecResolver(world.specs, world.regions);
const specById = (id: string) => world.specs.find((spec) => spec.id === id) ?? expect.fail(`no spec ${id}`);

describe('ListSpecResolver', () => {
  it('offers same-or-bigger specs elsewhere, nearest region first, cheapest first within a region', async () => {
    const alternatives = await resolver.alternatives({
      spec: specById('aws+ap-northeast-2+t3.medium'),
      excludeRegionIds: ['aws+ap-northeast-2'],
    });
    // Seoul's GCP and NCP regions are nearer than Virginia; GCP is cheaper than NCP.
    expect(alternatives.map((spec) => spec.id)).toEqual([
      'gcp+asia-northeast3+e2-medium',
      'ncp+KR+s2-g3',
      'aws+us-east-1+t3.medium',
    ]);
  });

  it('respects allowed providers, the price cap, arch and GPU needs', async () => {
    const t3 = specById('aws+ap-northeast-2+t3.medium');
    expect(
      (
        await resolver.alternatives({
          spec: t3,
          excludeRegionIds: ['aws+ap-northeast-2'],
          allowedProviders: ['aws'],
        })
      ).map((spec) => spec.id),
    ).toEqual(['aws+us-east-1+t3.medium']);
    expect(
      await resolver.alternatives({
        spec: t3,
        excludeRegionIds: ['aws+ap-northeast-2'],
        maxPricePerHour: 0.03,
      }),
    ).toEqual([]);
    const gpu = specById('aws+ap-northeast-2+g5.xlarge');
    expect(await resolver.alternatives({ spec: gpu, excludeRegionIds: ['aws+ap-northeast-2'] })).toEqual([]);
    const arm = specById('aws+ap-northeast-2+m6g.large');
    expect(await resolver.alternatives({ spec: arm, excludeRegionIds: ['aws+ap-northeast-2'] })).toEqual([]);
  });

  it('resolves requirements to matching specs, cheapest first', async () => {
    const specs = await resolver.resolve({ vcpu: 2, memoryGiB: 8 });
    expect(specs.map((spec) => spec.id)).toEqual([
      'ncp+KR+s2-g3',
      'aws+ap-northeast-2+m6g.large',
      'aws+ap-northeast-2+g5.xlarge',
    ]);
    expect((await resolver.resolve({ gpuCount: 1, gpuModel: 'a10g' }))[0]?.name).toBe('g5.xlarge');
  });
});
