// Tencent catalog shapes (regions, zones, instance type quotas, images) → spec schemas.
import type {
  Image as CvmImage,
  InstanceTypeQuotaItem,
  ZoneInfo,
} from 'tencentcloud-sdk-nodejs-cvm/tencentcloud/services/cvm/v20170312/cvm_models.js';
import { regionFact as fact, type RegionFacts, regionFromFacts } from '../spec/driver-kit/index.ts';
import { type Arch, type Gpu, type Image, type Region, resourceId, type Spec } from '../spec/index.ts';

/** DescribeRegions names regions (in Chinese unless asked in English) but not where they are. */
const REGION_FACTS: Record<string, RegionFacts> = {
  'ap-guangzhou': fact('South China (Guangzhou)', 'Guangzhou', 'CN', 'Asia', 23.13, 113.26),
  'ap-shenzhen-fsi': fact('South China (Shenzhen Finance)', 'Shenzhen', 'CN', 'Asia', 22.54, 114.06),
  'ap-shanghai': fact('East China (Shanghai)', 'Shanghai', 'CN', 'Asia', 31.23, 121.47),
  'ap-shanghai-fsi': fact('East China (Shanghai Finance)', 'Shanghai', 'CN', 'Asia', 31.23, 121.47),
  'ap-nanjing': fact('East China (Nanjing)', 'Nanjing', 'CN', 'Asia', 32.06, 118.8),
  'ap-beijing': fact('North China (Beijing)', 'Beijing', 'CN', 'Asia', 39.9, 116.41),
  'ap-beijing-fsi': fact('North China (Beijing Finance)', 'Beijing', 'CN', 'Asia', 39.9, 116.41),
  'ap-chengdu': fact('Southwest China (Chengdu)', 'Chengdu', 'CN', 'Asia', 30.57, 104.07),
  'ap-chongqing': fact('Southwest China (Chongqing)', 'Chongqing', 'CN', 'Asia', 29.56, 106.55),
  'ap-hongkong': fact('Hong Kong, China', 'Hong Kong', 'HK', 'Asia', 22.32, 114.17),
  'ap-taipei': fact('Taipei, China', 'Taipei', 'TW', 'Asia', 25.03, 121.56),
  'ap-singapore': fact('Southeast Asia (Singapore)', 'Singapore', 'SG', 'Asia', 1.35, 103.82),
  'ap-jakarta': fact('Southeast Asia (Jakarta)', 'Jakarta', 'ID', 'Asia', -6.21, 106.85),
  'ap-bangkok': fact('Southeast Asia (Bangkok)', 'Bangkok', 'TH', 'Asia', 13.76, 100.5),
  'ap-seoul': fact('Northeast Asia (Seoul)', 'Seoul', 'KR', 'Asia', 37.57, 126.98),
  'ap-tokyo': fact('Northeast Asia (Tokyo)', 'Tokyo', 'JP', 'Asia', 35.68, 139.69),
  'ap-mumbai': fact('South Asia Pacific (Mumbai)', 'Mumbai', 'IN', 'Asia', 19.08, 72.88),
  'na-siliconvalley': fact('US West (Silicon Valley)', 'Santa Clara', 'US', 'North America', 37.35, -121.96),
  'na-ashburn': fact('US East (Virginia)', 'Ashburn', 'US', 'North America', 39.04, -77.49),
  'na-toronto': fact('North America (Toronto)', 'Toronto', 'CA', 'North America', 43.65, -79.38),
  'eu-frankfurt': fact('Europe (Frankfurt)', 'Frankfurt', 'DE', 'Europe', 50.11, 8.68),
  'sa-saopaulo': fact('South America (Sao Paulo)', 'Sao Paulo', 'BR', 'South America', -23.55, -46.63),
};

export function toRegion(code: string, regionName: string | undefined, zones: readonly ZoneInfo[]): Region {
  // A region newer than the table keeps Tencent's name and sits at 0,0 until added above.
  return regionFromFacts(
    'tencent',
    code,
    REGION_FACTS[code],
    regionName ?? code,
    zones
      .filter((zone) => zone.Zone && zone.ZoneState === 'AVAILABLE')
      .map((zone) => ({
        code: zone.Zone as string,
        ...(zone.ZoneName ? { displayName: zone.ZoneName } : {}),
      })),
  );
}

interface GpuFacts {
  model: string;
  memoryGiB: number;
}

/** GPU families and their cards: the API gives the count (GpuCount) but not the model. */
const GPU_BY_FAMILY: Record<string, GpuFacts> = {
  GN6: { model: 'P4', memoryGiB: 8 },
  GN6S: { model: 'P4', memoryGiB: 8 },
  GN7: { model: 'T4', memoryGiB: 16 },
  GN7vw: { model: 'T4', memoryGiB: 16 },
  GI3X: { model: 'T4', memoryGiB: 16 },
  GN8: { model: 'P40', memoryGiB: 24 },
  GN10X: { model: 'V100', memoryGiB: 32 },
  GN10Xp: { model: 'V100', memoryGiB: 32 },
  GNV4: { model: 'A10', memoryGiB: 24 },
  GNV4v: { model: 'A10', memoryGiB: 24 },
  PNV4: { model: 'A10', memoryGiB: 24 },
  GT4: { model: 'A100', memoryGiB: 40 },
  HCCPNV4h: { model: 'A100', memoryGiB: 80 },
};

/** Arm families (Ampere Altra, Yitian); everything else Tencent sells is x86_64. */
export function archOfFamily(family: string | undefined, cpuType: string | undefined): Arch {
  if (/^SR\d/i.test(family ?? '') || /ampere|kunpeng|yitian|arm/i.test(cpuType ?? '')) return 'arm64';
  return 'x86_64';
}

function gpuOf(item: InstanceTypeQuotaItem): Gpu | null {
  const count = item.GpuCount || item.Gpu || 0;
  if (count <= 0) return null;
  const facts = GPU_BY_FAMILY[item.InstanceFamily ?? ''];
  return {
    model: facts?.model ?? item.InstanceFamily ?? 'unknown',
    count,
    memoryGiB: facts ? Math.round(facts.memoryGiB * count * 100) / 100 : null,
    manufacturer: 'NVIDIA',
  };
}

/** Hourly pay-as-you-go price after the account's discount; null when Tencent gave none. */
function hourlyPrice(item: InstanceTypeQuotaItem | undefined): number | null {
  const price = item?.Price;
  if (!price) return null;
  const value = price.UnitPriceDiscount ?? price.UnitPrice;
  return typeof value === 'number' && value > 0 ? value : null;
}

/**
 * One Spec per instance type, merged over the region's zones: `zones` lists those selling it now
 * (empty when sold out everywhere, so RunInstances answers with a CapacityError the engine fails
 * over on, not an unknown type). The price is the lowest zone's; `spotItems` are the SPOTPAID call.
 */
export function toSpecs(
  region: string,
  items: readonly InstanceTypeQuotaItem[],
  spotItems: readonly InstanceTypeQuotaItem[],
  currency: string,
  fetchedAt: string,
): Spec[] {
  const byType = new Map<string, InstanceTypeQuotaItem[]>();
  for (const item of items) {
    if (!item.InstanceType) continue;
    const list = byType.get(item.InstanceType) ?? [];
    list.push(item);
    byType.set(item.InstanceType, list);
  }
  const minimum = (values: (number | null)[]): number | null => {
    const known = values.filter((value): value is number => value !== null);
    return known.length > 0 ? Math.min(...known) : null;
  };
  const specs: Spec[] = [];
  for (const [name, offers] of [...byType].sort(([left], [right]) => left.localeCompare(right))) {
    const first = offers[0];
    if (!first?.Cpu || !first.Memory) continue;
    const spot = spotItems.filter((item) => item.InstanceType === name && item.Status === 'SELL');
    specs.push({
      id: resourceId('tencent', region, name),
      provider: 'tencent',
      region,
      name,
      vcpu: first.Cpu,
      memoryGiB: first.Memory,
      arch: archOfFamily(first.InstanceFamily, first.CpuType),
      gpu: gpuOf(first),
      pricePerHour: minimum(offers.map(hourlyPrice)),
      spotPricePerHour: minimum(spot.map(hourlyPrice)),
      currency,
      zones: [
        ...new Set(
          offers
            .filter((offer) => offer.Status === 'SELL')
            .map((offer) => offer.Zone)
            .filter((zone): zone is string => !!zone),
        ),
      ].sort(),
      source: 'tencent-cvm-api',
      fetchedAt,
    });
  }
  return specs;
}

/** Platform → spec os name, lower case. */
function osOf(platform: string | undefined): string {
  const name = (platform ?? 'unknown').toLowerCase();
  if (name.startsWith('rocky')) return 'rocky';
  if (name.startsWith('red hat')) return 'rhel';
  return name.split(/\s+/)[0] ?? name;
}

/** "Ubuntu Server 22.04 LTS 64bit" → "22.04"; the "64" of "64bit" is not a version. */
function versionOf(osName: string | undefined): string {
  const match = /(?:^|\s)(\d+(?:\.\d+)*)(?!\d*bit)(?=\s|$)/i.exec(osName ?? '');
  return match?.[1] ?? '';
}

export function toArch(architecture: string | undefined): Arch | undefined {
  if (architecture === 'x86_64') return 'x86_64';
  if (architecture === 'arm' || architecture === 'arm64' || architecture === 'aarch64') return 'arm64';
  return undefined;
}

/** Login user of an official image: Tencent's Ubuntu images disable root and log in as ubuntu. */
export function loginUserFor(os: string): string {
  return os === 'ubuntu' ? 'ubuntu' : 'root';
}

/** An image as a spec Image; undefined for 32-bit images and images not ready to boot. */
export function toImage(region: string, image: CvmImage): Image | undefined {
  const arch = toArch(image.Architecture);
  if (!image.ImageId || !arch || (image.ImageState && image.ImageState !== 'NORMAL')) return undefined;
  const text = `${image.ImageName ?? ''} ${image.ImageDescription ?? ''}`;
  return {
    id: resourceId('tencent', region, image.ImageId),
    provider: 'tencent',
    region,
    cspImageId: image.ImageId,
    name: image.ImageName ?? image.OsName ?? image.ImageId,
    os: osOf(image.Platform),
    osVersion: versionOf(image.OsName),
    arch,
    gpuReady: /\bGPU\b|CUDA/i.test(text),
    source: image.ImageSource === 'OFFICIAL' ? 'tencent-public-image' : 'tencent-image',
  };
}
