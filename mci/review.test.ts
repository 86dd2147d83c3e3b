import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOURS_PER_MONTH, reviewMci } from './review.ts';
import { createMciTestContext, type MciTestContext } from './testing/mci-test-kit.ts';

let context: MciTestContext;
beforeEach(async () => {
  context = await createMciTestContext();
});
afterEach(async () => {
  await context.dispose();
});

const dependencies = () => ({ drivers: context.drivers, store: context.store, resolver: context.resolver });
const group = { name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size: 3 };

describe('reviewMci', () => {
  it('prices a multi-provider request and plans vNet, subnet, security group, key pair and VMs per region', async () => {
    const review = await reviewMci(
      {
        name: 'demo',
        nodeGroups: [group, { name: 'db', specId: 'gcp+asia-northeast3+e2-medium', size: 2 }],
      },
      dependencies(),
    );
    expect(review.issues).toEqual([]);
    expect(review.ok).toBe(true);
    expect(review.pricePerHour).toBeCloseTo(3 * 0.052 + 2 * 0.04);
    expect(review.pricePerMonth).toBeCloseTo(review.pricePerHour * HOURS_PER_MONTH);
    expect(review.plan.map((plan) => plan.regionId)).toEqual(['aws+ap-northeast-2', 'gcp+asia-northeast3']);
    expect(review.plan[0]?.steps).toEqual([
      'vNet',
      'subnet (ap-northeast-2a)',
      'security group (SSH 22)',
      'key pair',
      '3 VM(s)',
    ]);
    expect(review.groups[0]?.image?.osVersion).toBe('22.04');
    expect(review.stepsTotal).toBe(4 + 3 + 4 + 2);
  });

  it('picks a GPU-ready Ubuntu for a GPU spec and warns that GPU capacity is scarce', async () => {
    const review = await reviewMci(
      { name: 'gpu', nodeGroups: [{ name: 'gpu', specId: 'aws+ap-northeast-2+g5.xlarge', size: 1 }] },
      dependencies(),
    );
    expect(review.ok).toBe(true);
    expect(review.groups[0]?.image?.gpuReady).toBe(true);
    expect(review.risks.join('\n')).toMatch(/GPU capacity/);
    expect(review.groups[0]?.zones).toEqual(['ap-northeast-2a', 'ap-northeast-2c']);
  });

  it.each([
    [
      'an unknown spec',
      { nodeGroups: [{ ...group, specId: 'aws+ap-northeast-2+zz.huge' }] },
      /does not exist/,
    ],
    [
      'an image for another arch',
      { nodeGroups: [{ ...group, imageId: 'aws+ap-northeast-2+ami-0f0e0d0c0b0a09081' }] },
      /arm64 but t3.medium is x86_64/,
    ],
    ['size 0', { nodeGroups: [{ ...group, size: 0 }] }, /at least 1/],
    ['size 10,000', { nodeGroups: [{ ...group, size: 10_000 }] }, /at most 1000/],
    ['duplicate group names', { nodeGroups: [group, group] }, /used twice/],
    ['a name with shell metacharacters', { name: 'x$(reboot)' }, /shell metacharacters/],
    ['a cost over the cap', { maxCostPerHour: 0.01 }, /over the cap/],
    [
      'a zone where the spec is not offered',
      { nodeGroups: [{ ...group, specId: 'aws+ap-northeast-2+g5.xlarge', zone: 'ap-northeast-2b' }] },
      /not offered in ap-northeast-2b/,
    ],
  ])('refuses %s with a message saying what to do', async (_label, change, message) => {
    const review = await reviewMci({ name: 'demo', nodeGroups: [group], ...change }, dependencies());
    expect(review.ok).toBe(false);
    expect(review.issues.join('\n')).toMatch(message);
  });

  it('refuses a name that an MCI already has', async () => {
    await context.store.put('mci', 'mci', 'taken', { name: 'taken' });
    const review = await reviewMci({ name: 'taken', nodeGroups: [group] }, dependencies());
    expect(review.issues.join('\n')).toMatch(/already exists; choose another name/);
  });
});
