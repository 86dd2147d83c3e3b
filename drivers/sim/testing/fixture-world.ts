import type { Image, ProviderId, Region, Spec } from '../../spec/index.ts';
import type { SimWorld } from '../sim-world.ts';

/**
 * A small world for the sim's own tests, with real facts copied from the catalog data
 * (cloudinfo.yaml coordinates, aws-ec2-catalog and SkyPilot prices). The full world is wired by
 * `runtime/` from `catalog/`; drivers may not import it.
 */
function region(
  provider: ProviderId,
  code: string,
  displayName: string,
  latitude: number,
  longitude: number,
  zones: string[],
): Region {
  return {
    id: `${provider}+${code}`,
    provider,
    code,
    displayName,
    latitude,
    longitude,
    zones: zones.map((zone) => ({ id: `${provider}+${code}+${zone}`, code: zone })),
  };
}

function spec(
  provider: ProviderId,
  regionCode: string,
  name: string,
  vcpu: number,
  memoryGiB: number,
  pricePerHour: number,
  extra: Partial<Spec> = {},
): Spec {
  return {
    id: `${provider}+${regionCode}+${name}`,
    provider,
    region: regionCode,
    name,
    vcpu,
    memoryGiB,
    arch: 'x86_64',
    gpu: null,
    pricePerHour,
    spotPricePerHour: null,
    currency: 'USD',
    source: 'fixture',
    fetchedAt: '2026-07-20',
    ...extra,
  };
}

function ubuntu(
  provider: ProviderId,
  regionCode: string,
  cspImageId: string,
  arch: 'x86_64' | 'arm64' = 'x86_64',
  gpuReady = false,
): Image {
  return {
    id: `${provider}+${regionCode}+${cspImageId}`,
    provider,
    region: regionCode,
    cspImageId,
    name: `ubuntu-22.04-${arch}${gpuReady ? '-gpu' : ''}`,
    os: 'ubuntu',
    osVersion: '22.04',
    arch,
    gpuReady,
    source: 'fixture',
  };
}

export function fixtureWorld(): SimWorld {
  return {
    regions: [
      region('aws', 'ap-northeast-2', 'Korea (Seoul)', 37.36, 126.78, [
        'ap-northeast-2a',
        'ap-northeast-2b',
        'ap-northeast-2c',
      ]),
      region('aws', 'us-east-1', 'US East (N. Virginia)', 38.13, -78.45, ['us-east-1a', 'us-east-1b']),
      region('gcp', 'asia-northeast3', 'Korea (Seoul)', 37.56, 126.97, [
        'asia-northeast3-a',
        'asia-northeast3-b',
      ]),
      region('ncp', 'KR', 'Korea (Seoul)', 37.4, 127.1, []),
    ],
    specs: [
      spec('aws', 'ap-northeast-2', 't3.medium', 2, 4, 0.052),
      spec('aws', 'ap-northeast-2', 'm6g.large', 2, 8, 0.094, { arch: 'arm64' }),
      spec('aws', 'ap-northeast-2', 'g5.xlarge', 4, 16, 1.459, {
        gpu: { model: 'A10G', count: 1, memoryGiB: 24, manufacturer: 'NVIDIA' },
        spotPricePerHour: 0.55,
        zones: ['ap-northeast-2a', 'ap-northeast-2c'],
      }),
      spec('aws', 'us-east-1', 't3.medium', 2, 4, 0.0416),
      spec('gcp', 'asia-northeast3', 'e2-medium', 2, 4, 0.04),
      spec('ncp', 'KR', 's2-g3', 2, 8, 0.0848),
    ],
    images: [
      ubuntu('aws', 'ap-northeast-2', 'ami-0a1b2c3d4e5f60718'),
      ubuntu('aws', 'ap-northeast-2', 'ami-0f0e0d0c0b0a09081', 'arm64'),
      ubuntu('aws', 'ap-northeast-2', 'ami-0123456789abcdef0', 'x86_64', true),
      ubuntu('aws', 'us-east-1', 'ami-0fc5d935ebf8bc3bc'),
      ubuntu('gcp', 'asia-northeast3', 'ubuntu-2204-lts'),
      ubuntu('ncp', 'KR', '23214590'),
    ],
  };
}
