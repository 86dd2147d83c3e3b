// Catalog answers of the fake EC2, in the element names of the EC2 API reference
// (DescribeRegions regionInfo, DescribeAvailabilityZones availabilityZoneInfo,
// DescribeInstanceTypes instanceTypeSet, DescribeImages imagesSet).
import type { XmlValue } from './xml.ts';

export const FAKE_ACCOUNT_ID = '123456789012';

export const FIXTURE_REGIONS: Record<string, string[]> = {
  'ap-northeast-2': ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'],
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c'],
  'us-east-1': ['us-east-1a', 'us-east-1b'],
};

export function regionItems(): XmlValue[] {
  return Object.keys(FIXTURE_REGIONS).map((regionName) => ({
    regionName,
    regionEndpoint: `ec2.${regionName}.amazonaws.com`,
    optInStatus: 'opt-in-not-required',
  }));
}

export function zoneItems(region: string): XmlValue[] {
  return (FIXTURE_REGIONS[region] ?? []).map((zoneName, index) => ({
    zoneState: 'available',
    optInStatus: 'opt-in-not-required',
    messageSet: [],
    regionName: region,
    zoneName,
    zoneId: `${region.replace(/-/g, '').slice(0, 5)}-az${index + 1}`,
    groupName: region,
    networkBorderGroup: region,
    zoneType: 'availability-zone',
  }));
}

interface InstanceTypeFixture {
  name: string;
  vcpu: number;
  memoryMiB: number;
  arch: 'x86_64' | 'arm64';
  gpu?: { name: string; manufacturer: string; count: number; memoryMiB: number };
  neuron?: { name: string; count: number; memoryMiB: number };
}

export const FIXTURE_INSTANCE_TYPES: InstanceTypeFixture[] = [
  { name: 't3.micro', vcpu: 2, memoryMiB: 1024, arch: 'x86_64' },
  { name: 't3.small', vcpu: 2, memoryMiB: 2048, arch: 'x86_64' },
  { name: 't3.medium', vcpu: 2, memoryMiB: 4096, arch: 'x86_64' },
  { name: 'm5.large', vcpu: 2, memoryMiB: 8192, arch: 'x86_64' },
  { name: 't4g.small', vcpu: 2, memoryMiB: 2048, arch: 'arm64' },
  {
    name: 'g5.xlarge',
    vcpu: 4,
    memoryMiB: 16384,
    arch: 'x86_64',
    gpu: { name: 'A10G', manufacturer: 'NVIDIA', count: 1, memoryMiB: 24576 },
  },
  {
    name: 'inf2.xlarge',
    vcpu: 4,
    memoryMiB: 16384,
    arch: 'x86_64',
    neuron: { name: 'Inferentia2', count: 1, memoryMiB: 32768 },
  },
];

export function instanceTypeItem(type: InstanceTypeFixture): XmlValue {
  return {
    instanceType: type.name,
    currentGeneration: true,
    supportedUsageClasses: ['on-demand', 'spot'],
    supportedRootDeviceTypes: ['ebs'],
    supportedVirtualizationTypes: ['hvm'],
    bareMetal: false,
    hypervisor: 'nitro',
    processorInfo: { supportedArchitectures: [type.arch], sustainedClockSpeedInGhz: 2.5 },
    vCpuInfo: { defaultVCpus: type.vcpu, defaultCores: Math.max(1, type.vcpu / 2), defaultThreadsPerCore: 2 },
    memoryInfo: { sizeInMiB: type.memoryMiB },
    instanceStorageSupported: false,
    ...(type.gpu
      ? {
          gpuInfo: {
            gpus: [
              {
                name: type.gpu.name,
                manufacturer: type.gpu.manufacturer,
                count: type.gpu.count,
                memoryInfo: { sizeInMiB: type.gpu.memoryMiB },
              },
            ],
            totalGpuMemoryInMiB: type.gpu.memoryMiB * type.gpu.count,
          },
        }
      : {}),
    ...(type.neuron
      ? {
          neuronInfo: {
            neuronDevices: [
              {
                count: type.neuron.count,
                name: type.neuron.name,
                coreInfo: { count: 2, version: 2 },
                memoryInfo: { sizeInMiB: type.neuron.memoryMiB },
              },
            ],
            totalNeuronDeviceMemoryInMiB: type.neuron.memoryMiB * type.neuron.count,
          },
        }
      : {}),
    networkInfo: { networkPerformance: 'Up to 5 Gigabit', maximumNetworkInterfaces: 3 },
    placementGroupInfo: { supportedStrategies: ['partition', 'spread'] },
    hibernationSupported: true,
    burstablePerformanceSupported: type.name.startsWith('t'),
  };
}

/**
 * DescribeInstanceTypeOfferings (LocationType availability-zone): where each type is offered.
 * A type absent from a zone's list is not sold there; inf2.xlarge is not offered in
 * ap-northeast-1 at all and g5.xlarge skips ap-northeast-2c, as real regions do.
 */
export function instanceTypeOfferings(region: string): { instanceType: string; zone: string }[] {
  const zones = FIXTURE_REGIONS[region] ?? [];
  const offered: Record<string, (zone: string) => boolean> = {
    'g5.xlarge': (zone) => zone !== 'ap-northeast-2c',
    'inf2.xlarge': () => region !== 'ap-northeast-1',
  };
  return FIXTURE_INSTANCE_TYPES.flatMap((type) =>
    zones
      .filter((zone) => offered[type.name]?.(zone) ?? true)
      .map((zone) => ({ instanceType: type.name, zone })),
  );
}

export interface ImageFixture {
  imageId: string;
  ownerId: string;
  name: string;
  description: string;
  architecture: 'x86_64' | 'arm64';
  creationDate: string;
  rootDeviceName: string;
}

const CANONICAL = '099720109477';

/** The same AMI ids in every region keep the fixtures short; real AMI ids differ per region. */
export const FIXTURE_IMAGES: ImageFixture[] = [
  {
    imageId: 'ami-0c9c942bd7bf113a2',
    ownerId: CANONICAL,
    name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20260101',
    description: 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2026-01-01',
    architecture: 'x86_64',
    creationDate: '2026-01-01T10:00:00.000Z',
    rootDeviceName: '/dev/sda1',
  },
  {
    imageId: 'ami-0a1b2c3d4e5f60718',
    ownerId: CANONICAL,
    name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20251101',
    description: 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2025-11-01 (older build)',
    architecture: 'x86_64',
    creationDate: '2025-11-01T10:00:00.000Z',
    rootDeviceName: '/dev/sda1',
  },
  {
    imageId: 'ami-0f3a9b8c7d6e5f401',
    ownerId: CANONICAL,
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260115',
    description: 'Canonical, Ubuntu, 24.04 LTS, amd64 noble image',
    architecture: 'x86_64',
    creationDate: '2026-01-15T10:00:00.000Z',
    rootDeviceName: '/dev/sda1',
  },
  {
    imageId: 'ami-0b7e6d5c4b3a29180',
    ownerId: CANONICAL,
    name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20260101',
    description: 'Canonical, Ubuntu, 22.04 LTS, arm64 jammy image',
    architecture: 'arm64',
    creationDate: '2026-01-01T10:00:00.000Z',
    rootDeviceName: '/dev/sda1',
  },
  {
    imageId: 'ami-0d4e5f6a7b8c9d012',
    ownerId: '136693071363',
    name: 'debian-12-amd64-20260110-2000',
    description: 'Debian 12 (20260110-2000)',
    architecture: 'x86_64',
    creationDate: '2026-01-10T20:00:00.000Z',
    rootDeviceName: '/dev/xvda',
  },
  {
    imageId: 'ami-0e1f2a3b4c5d6e7f8',
    ownerId: '792107900819',
    name: 'Rocky-9-EC2-Base-9.5-20260105.0.x86_64',
    description: 'Rocky Linux 9.5 Base',
    architecture: 'x86_64',
    creationDate: '2026-01-05T00:00:00.000Z',
    rootDeviceName: '/dev/sda1',
  },
  {
    // Not an official owner: listImages must not show it, getImage still finds it.
    imageId: 'ami-0123456789abcdef0',
    ownerId: '111122223333',
    name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20260101',
    description: 'A copy published by someone else',
    architecture: 'x86_64',
    creationDate: '2026-02-01T00:00:00.000Z',
    rootDeviceName: '/dev/sda1',
  },
];

export function imageItem(image: ImageFixture): XmlValue {
  return {
    imageId: image.imageId,
    imageLocation: `${image.ownerId}/${image.name}`,
    imageState: 'available',
    imageOwnerId: image.ownerId,
    creationDate: image.creationDate,
    isPublic: true,
    architecture: image.architecture,
    imageType: 'machine',
    name: image.name,
    description: image.description,
    enaSupport: true,
    rootDeviceType: 'ebs',
    rootDeviceName: image.rootDeviceName,
    blockDeviceMapping: [
      {
        deviceName: image.rootDeviceName,
        ebs: {
          snapshotId: 'snap-0123456789abcdef0',
          volumeSize: 8,
          deleteOnTermination: true,
          volumeType: 'gp3',
        },
      },
    ],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
  };
}
