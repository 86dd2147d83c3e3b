export { CITY_ALIASES, type CityAlias, COUNTRY_ALIASES } from './aliases.ts';
export { AREAS, type AreaDefinition, inArea } from './areas.ts';
export { type City, type CityIndex, cityIndex, findCity } from './cities.ts';
export { distanceKm, type LatLon } from './geo.ts';
export {
  CITY_RADIUS_KM,
  coordinatesPlace,
  MIN_AREA_RADIUS_KM,
  MIN_COUNTRY_RADIUS_KM,
  type RegionDistance,
  regionsNear,
  resolvePlaces,
} from './resolve.ts';
