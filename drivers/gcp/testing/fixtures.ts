/**
 * Compute Engine resources as the v1 REST reference documents them, trimmed to the fields s2a
 * reads: regions and zones, machine types (one per series s2a cares about), accelerator types and
 * public images, for two regions.
 */
export const FIXTURE_REGIONS = ['asia-northeast3', 'us-central1'] as const;

export const FIXTURE_ZONES: Record<string, string[]> = {
  'asia-northeast3': ['asia-northeast3-a', 'asia-northeast3-b', 'asia-northeast3-c'],
  'us-central1': ['us-central1-a', 'us-central1-b'],
};

interface MachineTypeFixture {
  name: string;
  guestCpus: number;
  memoryMb: number;
  accelerators?: { guestAcceleratorType: string; guestAcceleratorCount: number }[];
  /** Zones offering it; all fixture zones when absent. */
  zones?: string[];
}

export const FIXTURE_MACHINE_TYPES: MachineTypeFixture[] = [
  { name: 'n1-standard-4', guestCpus: 4, memoryMb: 15_360 },
  { name: 'n1-standard-96', guestCpus: 96, memoryMb: 368_640, zones: ['us-central1-a'] },
  { name: 'e2-small', guestCpus: 2, memoryMb: 2048 },
  { name: 'e2-medium', guestCpus: 2, memoryMb: 4096 },
  { name: 'n2-standard-4', guestCpus: 4, memoryMb: 16384 },
  { name: 't2a-standard-1', guestCpus: 1, memoryMb: 4096, zones: ['us-central1-a'] },
  {
    name: 'g2-standard-4',
    guestCpus: 4,
    memoryMb: 16384,
    accelerators: [{ guestAcceleratorType: 'nvidia-l4', guestAcceleratorCount: 1 }],
    zones: ['asia-northeast3-a', 'us-central1-a'],
  },
  {
    name: 'a2-highgpu-1g',
    guestCpus: 12,
    memoryMb: 87040,
    accelerators: [{ guestAcceleratorType: 'nvidia-tesla-a100', guestAcceleratorCount: 1 }],
    zones: ['us-central1-b'],
  },
  {
    // An accelerator newer than the driver's table: its model comes from the accelerator type.
    name: 'a4-highgpu-8g',
    guestCpus: 224,
    memoryMb: 3_968 * 1024,
    accelerators: [{ guestAcceleratorType: 'nvidia-b200', guestAcceleratorCount: 8 }],
    zones: ['us-central1-b'],
  },
];

/** Accelerator types per zone (`zones` absent: every fixture zone). T4 and V100 attach to N1 types. */
export const FIXTURE_ACCELERATOR_TYPES: {
  name: string;
  description: string;
  maximumCardsPerInstance: number;
  zones?: string[];
}[] = [
  {
    name: 'nvidia-tesla-t4',
    description: 'NVIDIA T4',
    maximumCardsPerInstance: 4,
    zones: ['asia-northeast3-b', 'asia-northeast3-c', 'us-central1-a'],
  },
  {
    name: 'nvidia-tesla-v100',
    description: 'NVIDIA V100',
    maximumCardsPerInstance: 8,
    zones: ['us-central1-a'],
  },
  { name: 'nvidia-l4', description: 'NVIDIA L4', maximumCardsPerInstance: 8 },
  { name: 'nvidia-tesla-a100', description: 'NVIDIA A100 40GB', maximumCardsPerInstance: 16 },
  { name: 'nvidia-b200', description: 'NVIDIA B200', maximumCardsPerInstance: 8 },
];

interface ImageFixture {
  name: string;
  family: string;
  architecture: 'X86_64' | 'ARM64';
  deprecated?: { state: string };
}

export const FIXTURE_IMAGES: Record<string, ImageFixture[]> = {
  'ubuntu-os-cloud': [
    { name: 'ubuntu-2204-jammy-v20240614', family: 'ubuntu-2204-lts', architecture: 'X86_64' },
    { name: 'ubuntu-2204-jammy-arm64-v20240614', family: 'ubuntu-2204-lts-arm64', architecture: 'ARM64' },
    { name: 'ubuntu-2404-noble-amd64-v20240701', family: 'ubuntu-2404-lts-amd64', architecture: 'X86_64' },
    {
      name: 'ubuntu-2004-focal-v20230101',
      family: 'ubuntu-2004-lts',
      architecture: 'X86_64',
      deprecated: { state: 'DEPRECATED' },
    },
  ],
  'debian-cloud': [{ name: 'debian-12-bookworm-v20240611', family: 'debian-12', architecture: 'X86_64' }],
  'rocky-linux-cloud': [{ name: 'rocky-linux-9-v20240611', family: 'rocky-linux-9', architecture: 'X86_64' }],
};
