import type { ProviderId } from '../../drivers/spec/index.ts';

/** Cloud-Barista's providerName values (cloudspec.csv, cloudimage.csv), any case, to s2a providers. */
const PROVIDER_NAMES: Record<string, ProviderId> = {
  alibaba: 'alibaba',
  aws: 'aws',
  azure: 'azure',
  gcp: 'gcp',
  ibm: 'ibm',
  kt: 'kt',
  ktcloudvpc: 'kt',
  ncp: 'ncp',
  ncpvpc: 'ncp',
  nhn: 'nhn',
  nhncloud: 'nhn',
  tencent: 'tencent',
};

export function providerFromCloudBaristaName(name: string): ProviderId | undefined {
  return PROVIDER_NAMES[name.trim().toLowerCase()];
}

/**
 * Region names in Cloud-Barista's CSV files against cloudinfo.yaml region codes:
 * - "all" means the row applies to every region of the provider (Cloud-Barista's own convention); the
 *   row is expanded to each enabled region. NHN, Tencent and the NCP/KT legacy rows use it.
 * - NCP writes KR, SGN and JPN: the same codes as cloudinfo's ncp regions (KR = "Korea 1", Seoul-Gasan
 *   and Pyeongchon; SGN = Singapore; JPN = Japan), so they map one to one.
 * - KT writes "kr1" or "KR1"; cloudinfo's only enabled KT region is "KR1" (Mok-dong, Seoul): matched
 *   ignoring case.
 * - Alibaba, IBM, AWS and NHN (KR1, KR2, JP1) use the providers' own codes, as cloudinfo does. Rows for
 *   regions cloudinfo has disabled (e.g. Alibaba ap-south-1) keep their code, and callers drop them as
 *   unknown regions.
 */
export function mapRegionName(regionName: string, regionCodes: ReadonlySet<string>): string[] {
  if (regionName.toLowerCase() === 'all') return [...regionCodes];
  for (const code of regionCodes) {
    if (code.toLowerCase() === regionName.toLowerCase()) return [code];
  }
  return [regionName];
}
