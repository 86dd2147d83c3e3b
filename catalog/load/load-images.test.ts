import { describe, expect, it } from 'vitest';
import { ID_SEPARATOR, ImageSchema } from '../../drivers/spec/index.ts';
import {
  decodeIdPart,
  encodeIdPart,
  loadImages,
  PLACEHOLDER_SOURCE,
  WELL_KNOWN_SOURCE,
} from './load-images.ts';
import { loadRegions } from './load-regions.ts';
import { loadSpecs } from './load-specs.ts';

const images = loadImages();
const regions = loadRegions();
const imagesByRegion = new Map<string, typeof images>();
for (const image of images) {
  const key = `${image.provider}+${image.region}`;
  imagesByRegion.set(key, [...(imagesByRegion.get(key) ?? []), image]);
}
const ubuntu2204 = (image: (typeof images)[number]) => image.os === 'ubuntu' && image.osVersion === '22.04';

describe('loadImages', () => {
  it('passes ImageSchema for every image', () => {
    for (const image of images) ImageSchema.parse(image);
  });

  it('has unique ids of three parts, none containing "+"', () => {
    expect(new Set(images.map((image) => image.id)).size).toBe(images.length);
    const malformed = images.filter((image) => image.id.split(ID_SEPARATOR).length !== 3);
    expect(malformed).toEqual([]);
  });

  it('puts every image in a region loadRegions() returns', () => {
    const regionIds = new Set(regions.map((region) => region.id));
    expect(images.filter((image) => !regionIds.has(`${image.provider}+${image.region}`))).toEqual([]);
  });

  it('gives every region an Ubuntu 22.04 x86_64 image', () => {
    const missing = regions.filter(
      (region) =>
        !(imagesByRegion.get(region.id) ?? []).some((image) => ubuntu2204(image) && image.arch === 'x86_64'),
    );
    expect(missing.map((region) => region.id)).toEqual([]);
  });

  it('gives an Ubuntu 22.04 arm64 image to every region with arm64 specs, and a GPU-ready one where there are GPUs', () => {
    const armRegions = new Set<string>();
    const gpuRegions = new Set<string>();
    for (const spec of loadSpecs()) {
      if (spec.arch === 'arm64') armRegions.add(`${spec.provider}+${spec.region}`);
      if (spec.gpu) gpuRegions.add(`${spec.provider}+${spec.region}`);
    }
    const has = (regionId: string, test: (image: (typeof images)[number]) => boolean) =>
      (imagesByRegion.get(regionId) ?? []).some(test);
    expect(
      [...armRegions].filter((id) => !has(id, (image) => ubuntu2204(image) && image.arch === 'arm64')),
    ).toEqual([]);
    expect([...gpuRegions].filter((id) => !has(id, (image) => image.gpuReady))).toEqual([]);
    expect(armRegions.size).toBeGreaterThan(50);
    expect(gpuRegions.size).toBeGreaterThan(100);
  });

  it.each([
    ['aws+us-east-1+ami-052efd3df9dad4825', 'cb-tumblebug-legacy-v0.11.0'],
    [
      'azure+koreacentral+Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202602250',
      'cb-tumblebug-assets',
    ],
    [
      'gcp+asia-northeast3+projects/ubuntu-os-cloud/global/images/ubuntu-2204-jammy-v20250805',
      'skypilot-catalog',
    ],
    ['tencent+ap-seoul+img-487zeit5', 'cb-tumblebug-legacy-v0.11.0'],
    ['kt+KR1+eeeedf84-c661-49eb-9758-5df1495a1e2e', 'cb-tumblebug-legacy-v0.11.0'],
  ])('keeps the real image %s from %s', (id, source) => {
    expect(images.find((image) => image.id === id)?.source).toBe(source);
  });

  it('uses real per-region AMIs from SkyPilot, including arm64 and GPU ones', () => {
    const seoul = imagesByRegion.get('aws+ap-northeast-2') ?? [];
    const skypilot = seoul.filter((image) => image.source === 'skypilot-catalog');
    expect(skypilot.some((image) => image.arch === 'arm64' && ubuntu2204(image))).toBe(true);
    expect(skypilot.some((image) => image.gpuReady && /^ami-/.test(image.cspImageId))).toBe(true);
  });

  it('labels fallbacks honestly and adds them only where the data has nothing', () => {
    const fallbacks = images.filter((image) => image.source === WELL_KNOWN_SOURCE);
    expect(fallbacks.length).toBeGreaterThan(0);
    expect(
      images.find(
        (image) =>
          image.id ===
          'aws+ca-west-1+resolve:ssm:/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id',
      )?.source,
    ).toBe(WELL_KNOWN_SOURCE);
    // Seoul has real Ubuntu 22.04 AMIs, so no SSM fallback there.
    expect(
      (imagesByRegion.get('aws+ap-northeast-2') ?? []).some((image) => image.source === WELL_KNOWN_SOURCE),
    ).toBe(false);
    const placeholders = images.filter((image) => image.source === PLACEHOLDER_SOURCE);
    expect(
      placeholders.every((image) => image.gpuReady && image.cspImageId.startsWith('s2a-placeholder:')),
    ).toBe(true);
  });

  it.each([
    ['projects/x/global/images/y', 'projects/x/global/images/y'],
    ['name+with+plus', 'name%2Bwith%2Bplus'],
    ['100%', '100%25'],
  ])('encodes the id part %s as %s, reversibly', (raw, encoded) => {
    expect(encodeIdPart(raw)).toBe(encoded);
    expect(decodeIdPart(encoded)).toBe(raw);
  });
});
