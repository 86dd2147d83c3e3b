// EC2 catalog shapes (regions, instance types, images) → spec schemas.
import type {
  _InstanceType,
  AvailabilityZone,
  Image as Ec2Image,
  InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import { regionFact as fact, type RegionFacts, regionFromFacts } from '../spec/driver-kit/index.ts';
import { type Arch, type Image, type Region, resourceId, type Spec } from '../spec/index.ts';

/** EC2 does not say where its regions are; these are the documented locations (city coordinates). */
const REGION_FACTS: Record<string, RegionFacts> = {
  'us-east-1': fact('US East (N. Virginia)', 'Ashburn', 'US', 'North America', 39.04, -77.49),
  'us-east-2': fact('US East (Ohio)', 'Columbus', 'US', 'North America', 39.96, -83),
  'us-west-1': fact('US West (N. California)', 'San Francisco', 'US', 'North America', 37.77, -122.42),
  'us-west-2': fact('US West (Oregon)', 'Boardman', 'US', 'North America', 45.84, -119.7),
  'ca-central-1': fact('Canada (Central)', 'Montreal', 'CA', 'North America', 45.5, -73.57),
  'ca-west-1': fact('Canada West (Calgary)', 'Calgary', 'CA', 'North America', 51.05, -114.07),
  'mx-central-1': fact('Mexico (Central)', 'Queretaro', 'MX', 'North America', 20.59, -100.39),
  'sa-east-1': fact('South America (Sao Paulo)', 'Sao Paulo', 'BR', 'South America', -23.55, -46.63),
  'eu-west-1': fact('Europe (Ireland)', 'Dublin', 'IE', 'Europe', 53.35, -6.26),
  'eu-west-2': fact('Europe (London)', 'London', 'GB', 'Europe', 51.51, -0.13),
  'eu-west-3': fact('Europe (Paris)', 'Paris', 'FR', 'Europe', 48.86, 2.35),
  'eu-central-1': fact('Europe (Frankfurt)', 'Frankfurt', 'DE', 'Europe', 50.11, 8.68),
  'eu-central-2': fact('Europe (Zurich)', 'Zurich', 'CH', 'Europe', 47.37, 8.54),
  'eu-north-1': fact('Europe (Stockholm)', 'Stockholm', 'SE', 'Europe', 59.33, 18.07),
  'eu-south-1': fact('Europe (Milan)', 'Milan', 'IT', 'Europe', 45.46, 9.19),
  'eu-south-2': fact('Europe (Spain)', 'Zaragoza', 'ES', 'Europe', 41.65, -0.89),
  'me-south-1': fact('Middle East (Bahrain)', 'Manama', 'BH', 'Asia', 26.23, 50.59),
  'me-central-1': fact('Middle East (UAE)', 'Abu Dhabi', 'AE', 'Asia', 24.45, 54.38),
  'il-central-1': fact('Israel (Tel Aviv)', 'Tel Aviv', 'IL', 'Asia', 32.09, 34.78),
  'af-south-1': fact('Africa (Cape Town)', 'Cape Town', 'ZA', 'Africa', -33.92, 18.42),
  'ap-east-1': fact('Asia Pacific (Hong Kong)', 'Hong Kong', 'HK', 'Asia', 22.32, 114.17),
  'ap-south-1': fact('Asia Pacific (Mumbai)', 'Mumbai', 'IN', 'Asia', 19.08, 72.88),
  'ap-south-2': fact('Asia Pacific (Hyderabad)', 'Hyderabad', 'IN', 'Asia', 17.39, 78.49),
  'ap-northeast-1': fact('Asia Pacific (Tokyo)', 'Tokyo', 'JP', 'Asia', 35.68, 139.69),
  'ap-northeast-2': fact('Asia Pacific (Seoul)', 'Seoul', 'KR', 'Asia', 37.57, 126.98),
  'ap-northeast-3': fact('Asia Pacific (Osaka)', 'Osaka', 'JP', 'Asia', 34.69, 135.5),
  'ap-southeast-1': fact('Asia Pacific (Singapore)', 'Singapore', 'SG', 'Asia', 1.35, 103.82),
  'ap-southeast-2': fact('Asia Pacific (Sydney)', 'Sydney', 'AU', 'Oceania', -33.87, 151.21),
  'ap-southeast-3': fact('Asia Pacific (Jakarta)', 'Jakarta', 'ID', 'Asia', -6.21, 106.85),
  'ap-southeast-4': fact('Asia Pacific (Melbourne)', 'Melbourne', 'AU', 'Oceania', -37.81, 144.96),
  'ap-southeast-5': fact('Asia Pacific (Malaysia)', 'Kuala Lumpur', 'MY', 'Asia', 3.14, 101.69),
  'ap-southeast-7': fact('Asia Pacific (Thailand)', 'Bangkok', 'TH', 'Asia', 13.76, 100.5),
};

export function toRegion(code: string, zones: readonly AvailabilityZone[]): Region {
  // A region newer than this table keeps its code as name and sits at 0,0 until added above.
  return regionFromFacts(
    'aws',
    code,
    REGION_FACTS[code],
    code,
    zones
      .filter((zone) => zone.ZoneName && (zone.ZoneType ?? 'availability-zone') === 'availability-zone')
      .map((zone) => ({ code: zone.ZoneName as string })),
  );
}

export function toArch(architecture: string | undefined): Arch | undefined {
  if (architecture === 'x86_64') return 'x86_64';
  if (architecture === 'arm64') return 'arm64';
  return undefined;
}

export interface PriceFacts {
  pricePerHour: number | null;
  spotPricePerHour: number | null;
}

/** An instance type as a Spec; undefined for types s2a cannot run (32-bit, Mac). */
export function toSpec(
  region: string,
  info: InstanceTypeInfo,
  fetchedAt: string,
  prices: PriceFacts = { pricePerHour: null, spotPricePerHour: null },
  zones?: readonly string[],
): Spec | undefined {
  const name = info.InstanceType as _InstanceType | undefined;
  const vcpu = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  const arch = (info.ProcessorInfo?.SupportedArchitectures ?? []).map(toArch).find((value) => value);
  if (!name || !vcpu || !memoryMiB || !arch) return undefined;
  return {
    id: resourceId('aws', region, name),
    provider: 'aws',
    region,
    name,
    vcpu,
    memoryGiB: memoryMiB / 1024,
    arch,
    gpu: toGpu(info),
    pricePerHour: prices.pricePerHour,
    spotPricePerHour: prices.spotPricePerHour,
    currency: 'USD',
    ...(zones ? { zones: [...zones].sort() } : {}),
    source: 'aws-ec2-api',
    fetchedAt,
  };
}

/** DescribeInstanceTypeOfferings (availability-zone) items → instance type → zones offering it. */
export function zonesByInstanceType(
  offerings: readonly { InstanceType?: string; Location?: string }[],
): Map<string, string[]> {
  const zones = new Map<string, string[]>();
  for (const { InstanceType, Location } of offerings) {
    if (!InstanceType || !Location) continue;
    const list = zones.get(InstanceType) ?? [];
    if (!list.includes(Location)) list.push(Location);
    zones.set(InstanceType, list);
  }
  return zones;
}

/** GPUs (GpuInfo) first, then AWS's own accelerators (Inferentia, Trainium) from NeuronInfo. */
function toGpu(info: InstanceTypeInfo): Spec['gpu'] {
  const gpus = info.GpuInfo?.Gpus ?? [];
  const first = gpus[0];
  if (first?.Name) {
    const count = gpus.reduce((sum, gpu) => sum + (gpu.Count ?? 0), 0);
    const totalMiB = info.GpuInfo?.TotalGpuMemoryInMiB;
    return {
      model: first.Name,
      count: count > 0 ? count : 1,
      memoryGiB: totalMiB ? totalMiB / 1024 : null,
      manufacturer: first.Manufacturer ?? null,
    };
  }
  const neuron = info.NeuronInfo?.NeuronDevices?.[0];
  if (neuron?.Name) {
    const totalMiB = info.NeuronInfo?.TotalNeuronDeviceMemoryInMiB;
    return {
      model: neuron.Name,
      count: neuron.Count ?? 1,
      memoryGiB: totalMiB ? totalMiB / 1024 : null,
      manufacturer: 'AWS',
    };
  }
  return null;
}

/** Official image owners: Canonical (Ubuntu), Debian, Rocky Enterprise Software Foundation. */
export const OFFICIAL_IMAGE_OWNERS = {
  ubuntu: '099720109477',
  debian: '136693071363',
  rocky: '792107900819',
} as const;

/** Name patterns of the current releases, so DescribeImages does not list thousands of AMIs. */
export const OFFICIAL_IMAGE_NAME_PATTERNS = [
  'ubuntu/images/hvm-ssd*/ubuntu-*-22.04-*-server-*',
  'ubuntu/images/hvm-ssd*/ubuntu-*-24.04-*-server-*',
  'debian-12-*',
  'Rocky-9-EC2-Base-*',
];

const OS_PATTERNS: [string, RegExp, RegExp][] = [
  ['ubuntu', /ubuntu/i, /(\d{2}\.\d{2})/],
  ['debian', /debian/i, /debian-(\d+)/i],
  ['rocky', /rocky/i, /rocky-(\d+(?:\.\d+)?)/i],
  ['amazon-linux', /^al20\d\d|amzn/i, /(20\d\d)/],
  ['windows', /windows/i, /(20\d\d)/],
];

/** Login user of an image's distribution, as the distributions document it for EC2. */
export function loginUserFor(os: string): string {
  const users: Record<string, string> = { ubuntu: 'ubuntu', debian: 'admin', rocky: 'rocky' };
  return users[os] ?? 'ec2-user';
}

export function osOfImageName(name: string): { os: string; osVersion: string } {
  for (const [os, match, version] of OS_PATTERNS) {
    if (match.test(name)) return { os, osVersion: version.exec(name)?.[1] ?? '' };
  }
  return { os: 'linux', osVersion: '' };
}

export function toImage(region: string, image: Ec2Image): Image | undefined {
  const arch = toArch(image.Architecture);
  if (!image.ImageId || !arch) return undefined;
  const name = image.Name ?? image.ImageId;
  const { os, osVersion } = osOfImageName(`${name} ${image.Description ?? ''}`);
  return {
    id: resourceId('aws', region, image.ImageId),
    provider: 'aws',
    region,
    cspImageId: image.ImageId,
    name,
    os,
    osVersion,
    arch,
    gpuReady: /deep learning|nvidia|cuda|gpu/i.test(`${name} ${image.Description ?? ''}`),
    source: 'aws-ec2-api',
  };
}

/** Keeps the newest image of each (os, version, arch): official owners publish one per day. */
export function newestImages(region: string, images: readonly Ec2Image[]): Image[] {
  const sorted = [...images].sort((left, right) =>
    (right.CreationDate ?? '').localeCompare(left.CreationDate ?? ''),
  );
  const newest = new Map<string, Image>();
  for (const raw of sorted) {
    const image = toImage(region, raw);
    if (!image) continue;
    const key = `${image.os} ${image.osVersion} ${image.arch} ${image.gpuReady}`;
    if (!newest.has(key)) newest.set(key, image);
  }
  return [...newest.values()];
}
