import { describe, expect, it } from 'vitest';
import { toSpecs } from './convert-catalog.ts';
import { osOfImage } from './convert-images.ts';
import { labelKeyToTagKey, labelsToTags, tagKeyToLabelKey, tagsToLabels } from './convert-labels.ts';
import { firewallToRule, ruleToFirewall } from './convert-network.ts';
import { toVmStatus } from './convert-vm.ts';

describe('labels', () => {
  it('turns s2a:* keys into s2a-* and back', () => {
    expect(tagKeyToLabelKey('s2a:mci')).toBe('s2a-mci');
    expect(labelKeyToTagKey('s2a-mci')).toBe('s2a:mci');
  });

  it('round-trips keys and values with characters labels do not allow', () => {
    const tags = {
      's2a:owner': 'Alice@Example.com',
      a_b: 'x:y',
      's2a-literal': 'v',
      'conformance-group': 'Web 1',
    };
    const labels = tagsToLabels(tags, 'createVm');
    for (const [key, value] of Object.entries(labels)) {
      expect(key).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
      expect(value).toMatch(/^[a-z0-9_-]{0,63}$/);
    }
    expect(labelsToTags(labels)).toEqual(tags);
  });

  it('refuses tags that cannot become labels', () => {
    expect(() => tagsToLabels({ Upper: 'x'.repeat(10) }, 'createVm')).toThrow(/GCP label/);
    expect(() => tagsToLabels({ key: 'x'.repeat(64) }, 'createVm')).toThrow(/over 63/);
  });
});

describe('catalog conversion', () => {
  it('merges a machine type of several zones into one spec per region with its GPU', () => {
    const specs = toSpecs(
      [
        {
          name: 'g2-standard-4',
          zone: 'asia-northeast3-a',
          guestCpus: 4,
          memoryMb: 16384,
          accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }],
        },
        {
          name: 'g2-standard-4',
          zone: 'asia-northeast3-b',
          guestCpus: 4,
          memoryMb: 16384,
          accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }],
        },
        { name: 't2a-standard-1', zone: 'us-central1-a', guestCpus: 1, memoryMb: 4096 },
      ],
      [],
      '2026-01-01T00:00:00.000Z',
    );
    expect(specs).toHaveLength(2);
    expect(specs[0]).toMatchObject({
      id: 'gcp+asia-northeast3+g2-standard-4',
      zones: ['asia-northeast3-a', 'asia-northeast3-b'],
      gpu: { model: 'L4', count: 1, memoryGiB: 24 },
      pricePerHour: null,
    });
    expect(specs[1]).toMatchObject({ arch: 'arm64', vcpu: 1, memoryGiB: 4 });
  });

  it('reads OS and version from image families', () => {
    expect(osOfImage({ family: 'ubuntu-2204-lts' })).toEqual({ os: 'ubuntu', osVersion: '22.04' });
    expect(osOfImage({ family: 'debian-12' })).toEqual({ os: 'debian', osVersion: '12' });
    expect(osOfImage({ family: 'rocky-linux-9' })).toEqual({ os: 'rocky', osVersion: '9' });
  });
});

describe('firewall rules', () => {
  it('round-trips a port range rule and an icmp rule', () => {
    const base = { network: 'n', group: 'web', index: 1, description: { group: 'web' } };
    const tcp = {
      direction: 'inbound',
      protocol: 'tcp',
      fromPort: 8000,
      toPort: 8080,
      cidr: '0.0.0.0/0',
    } as const;
    expect(firewallToRule(ruleToFirewall(tcp, base))).toEqual(tcp);
    const icmp = {
      direction: 'outbound',
      protocol: 'icmp',
      fromPort: null,
      toPort: null,
      cidr: '10.0.0.0/8',
      description: 'ping',
    } as const;
    expect(firewallToRule(ruleToFirewall(icmp, base))).toEqual(icmp);
  });
});

describe('instance status', () => {
  it.each([
    ['PROVISIONING', {}, 'Creating'],
    ['STAGING', {}, 'Creating'],
    ['RUNNING', {}, 'Running'],
    ['SUSPENDING', {}, 'Suspending'],
    ['SUSPENDED', {}, 'Suspended'],
    ['STOPPING', {}, 'Suspending'],
    ['TERMINATED', {}, 'Suspended'],
    ['PROVISIONING', { lastSuspendedTimestamp: '2026-01-01T00:00:00Z' }, 'Resuming'],
  ] as const)('%s → %s', (status, extra, expected) => {
    expect(toVmStatus({ status, ...extra }, false)).toBe(expected);
  });

  it('a VM being deleted is Terminating whatever GCP says', () => {
    expect(toVmStatus({ status: 'STOPPING' }, true)).toBe('Terminating');
  });
});
