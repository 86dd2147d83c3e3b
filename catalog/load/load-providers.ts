import { PROVIDERS, type ProviderId } from '../../drivers/spec/index.ts';
import type { Provider } from '../types.ts';
import { loadRegions } from './load-regions.ts';
import { loadSpecs } from './load-specs.ts';

/** The providers' names as cloudinfo.yaml describes them (without Cloud-Barista's "(VPC)" notes). */
export const PROVIDER_DISPLAY_NAMES: Record<ProviderId, string> = {
  aws: 'Amazon Web Services',
  azure: 'Microsoft Azure',
  gcp: 'Google Cloud Platform',
  alibaba: 'Alibaba Cloud',
  tencent: 'Tencent Cloud',
  ibm: 'IBM Cloud',
  openstack: 'OpenStack',
  ncp: 'Naver Cloud Platform',
  nhn: 'NHN Cloud',
  kt: 'KT Cloud',
};

/**
 * The ten providers as the shipped data describes them: catalog regions and specs (restricted
 * regions included), `dataAsOf` the oldest `fetchedAt` of their specs, and `refreshedAt` null (the
 * shipped data was never refreshed from a driver; catalog/refresh records that).
 */
export function loadProviders(): Provider[] {
  const regions = new Map<ProviderId, number>();
  for (const region of loadRegions()) regions.set(region.provider, (regions.get(region.provider) ?? 0) + 1);
  const specs = new Map<ProviderId, { count: number; oldest: string }>();
  for (const spec of loadSpecs()) {
    const entry = specs.get(spec.provider);
    if (!entry) specs.set(spec.provider, { count: 1, oldest: spec.fetchedAt });
    else {
      entry.count++;
      if (spec.fetchedAt < entry.oldest) entry.oldest = spec.fetchedAt;
    }
  }
  return PROVIDERS.map((id) => ({
    id,
    displayName: PROVIDER_DISPLAY_NAMES[id],
    regions: regions.get(id) ?? 0,
    specs: specs.get(id)?.count ?? 0,
    refreshedAt: null,
    dataAsOf: specs.get(id)?.oldest ?? '',
  }));
}
