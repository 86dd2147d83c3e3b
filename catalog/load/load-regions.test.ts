import { describe, expect, it } from 'vitest';
import { ID_SEPARATOR, PROVIDERS } from '../../drivers/spec/index.ts';
import { CatalogRegionSchema } from '../schemas.ts';
import { loadRegions } from './load-regions.ts';

const regions = loadRegions();
const byId = new Map(regions.map((region) => [region.id, region]));

describe('loadRegions', () => {
  it('returns the 196 enabled cloudinfo regions across all ten providers, then 10 restricted ones', () => {
    const open = regions.filter((region) => region.restricted === undefined);
    expect(open).toHaveLength(196);
    expect(new Set(open.map((region) => region.provider))).toEqual(new Set(PROVIDERS));
    expect(regions).toHaveLength(206);
  });

  it('marks the Azure restricted-access regions with the reason and locates them from regions.json', () => {
    const restricted = regions.filter((region) => region.restricted !== undefined);
    expect(restricted.map((region) => region.id).sort()).toEqual(
      [
        'australiacentral2',
        'brazilsoutheast',
        'francesouth',
        'germanynorth',
        'jioindiacentral',
        'jioindiawest',
        'norwaywest',
        'southafricawest',
        'switzerlandwest',
        'uaecentral',
      ].map((code) => `azure+${code}`),
    );
    expect(byId.get('azure+germanynorth')).toMatchObject({
      displayName: 'Germany North',
      city: 'Berlin',
      countryCode: 'DE',
      continent: 'europe',
      zones: [],
      restricted: expect.stringMatching(/request access/),
    });
    for (const code of ['me-south-1', 'us-gov-west-1']) expect(byId.has(`aws+${code}`)).toBe(false);
    expect(byId.has('alibaba+ap-south-1')).toBe(false);
  });

  it('passes CatalogRegionSchema for every region, with coordinates in range', () => {
    for (const region of regions) {
      expect(CatalogRegionSchema.strict().parse(region)).toEqual(region);
      expect(Math.abs(region.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(region.longitude)).toBeLessThanOrEqual(180);
    }
  });

  it('has unique region and zone ids built from id parts without "+"', () => {
    expect(byId.size).toBe(regions.length);
    const zoneIds = regions.flatMap((region) => region.zones.map((zone) => zone.id));
    expect(new Set(zoneIds).size).toBe(zoneIds.length);
    for (const region of regions) {
      expect(region.code).not.toContain(ID_SEPARATOR);
      expect(region.id).toBe(`${region.provider}+${region.code}`);
      for (const zone of region.zones) expect(zone.id).toBe(`${region.id}+${zone.code}`);
    }
  });

  it('folds the openstack-ex01 example into provider openstack under a distinct code', () => {
    expect(regions.filter((region) => region.provider === 'openstack').map((region) => region.code)).toEqual([
      'RegionOne',
      'ex01-RegionOne',
    ]);
  });

  it.each([
    ['aws+ap-northeast-2', 'Seoul', 'KR', 'asia'],
    ['aws+us-east-1', 'Ashburn', 'US', 'north-america'],
    ['gcp+europe-west3', 'Frankfurt', 'DE', 'europe'],
    ['azure+koreacentral', 'Seoul', 'KR', 'asia'],
    ['ncp+KR', undefined, 'KR', 'asia'],
    ['nhn+KR1', 'Pangyo', 'KR', 'asia'],
    ['kt+KR1', 'Seoul', 'KR', 'asia'],
    ['tencent+ap-seoul', 'Seoul', 'KR', 'asia'],
    ['ibm+us-south', 'Dallas', 'US', 'north-america'],
    ['alibaba+cn-hongkong', 'Hong Kong', 'HK', 'asia'],
    ['openstack+RegionOne', 'Daejeon', 'KR', 'asia'],
  ])('locates %s in %s, %s (%s)', (id, city, countryCode, continent) => {
    const region = byId.get(id);
    expect(region).toBeDefined();
    expect(region?.city).toBe(city);
    expect(region?.countryCode).toBe(countryCode);
    expect(region?.continent).toBe(continent);
  });

  it('drops a US state where regions.json gives one as the city', () => {
    expect(byId.get('azure+eastus')?.city).toBeUndefined();
    expect(byId.get('azure+eastus')?.countryCode).toBe('US');
  });

  it('leaves the country undefined where cloudinfo and CB-Spider disagree (Alibaba me-central-1)', () => {
    const region = byId.get('alibaba+me-central-1');
    expect(region?.countryCode).toBeUndefined();
    expect(region?.continent).toBe('middle-east');
  });

  it('gives most regions a country code', () => {
    const located = regions.filter((region) => region.countryCode).length;
    expect(located / regions.length).toBeGreaterThan(0.95);
  });
});

describe('region coordinates', () => {
  it.each([
    // region id, the city it is named for (lat, lon); every point within 150 km of it
    ['aws+ap-northeast-3', 34.69, 135.5],
    ['aws+eu-north-1', 59.33, 18.07],
    ['azure+spaincentral', 40.42, -3.7],
    ['alibaba+eu-west-1', 51.51, -0.13],
    ['aws+ap-northeast-2', 37.57, 126.98],
  ])('places %s at its city', (id, latitude, longitude) => {
    const region = loadRegions().find((item) => item.id === id);
    expect(region, id).toBeDefined();
    const radians = (degrees: number) => (degrees * Math.PI) / 180;
    const a =
      Math.sin(radians(latitude - (region?.latitude ?? 0)) / 2) ** 2 +
      Math.cos(radians(latitude)) *
        Math.cos(radians(region?.latitude ?? 0)) *
        Math.sin(radians(longitude - (region?.longitude ?? 0)) / 2) ** 2;
    expect(12_742 * Math.asin(Math.sqrt(a))).toBeLessThan(150);
  });
});
