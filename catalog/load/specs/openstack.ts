import type { Region, Spec } from '../../../drivers/spec/index.ts';
import { FETCHED_AT, type SourceResult, SourceTally, specId } from './common.ts';

export const OPENSTACK_SOURCE = 'openstack-default-flavors';

/**
 * OpenStack is a private cloud: flavors and prices belong to each deployment, and no public list
 * exists. Every region gets the flavors a default Nova installation ships with, priced at 0 (the
 * deployment's owner pays for hardware, not per hour).
 */
const DEFAULT_FLAVORS: { name: string; vcpu: number; memoryGiB: number }[] = [
  { name: 'm1.tiny', vcpu: 1, memoryGiB: 0.5 },
  { name: 'm1.small', vcpu: 1, memoryGiB: 2 },
  { name: 'm1.medium', vcpu: 2, memoryGiB: 4 },
  { name: 'm1.large', vcpu: 4, memoryGiB: 8 },
  { name: 'm1.xlarge', vcpu: 8, memoryGiB: 16 },
];

export function loadOpenStackSpecs(regions: readonly Region[]): SourceResult {
  const tally = new SourceTally(
    OPENSTACK_SOURCE,
    'openstack',
    new Set(regions.filter((region) => region.provider === 'openstack').map((region) => region.code)),
  );
  const specs: Spec[] = [];
  for (const region of regions) {
    if (region.provider !== 'openstack') continue;
    for (const flavor of DEFAULT_FLAVORS) {
      tally.rowsRead++;
      const id = specId('openstack', region.code, flavor.name, tally);
      if (id) {
        specs.push({
          id,
          provider: 'openstack',
          region: region.code,
          name: flavor.name,
          vcpu: flavor.vcpu,
          memoryGiB: flavor.memoryGiB,
          arch: 'x86_64',
          gpu: null,
          pricePerHour: 0,
          spotPricePerHour: null,
          currency: 'USD',
          source: OPENSTACK_SOURCE,
          fetchedAt: FETCHED_AT.cloudInfo,
        });
      }
    }
  }
  return { specs, tally };
}
