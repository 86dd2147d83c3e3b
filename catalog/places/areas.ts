import type { Region } from '../../drivers/spec/index.ts';
import type { LatLon } from './geo.ts';

/**
 * Continents and sub-areas. A region belongs to an area when its `continent` is one of the area's
 * continents or its `countryCode` one of its countries, and (when the area has a longitude band)
 * its longitude lies in that band. Continent names are the ones the region loader writes
 * (`asia`, `europe`, `north-america`, `south-america`, `oceania`, `middle-east`, `africa`): the
 * Middle East is not part of Asia here, nor Mexico of Latin America's `south-america`.
 *
 * `center` is a fixed representative point (not computed), used for distances from the area and as
 * the place's coordinates.
 */
export interface AreaDefinition {
  /** The name s2a shows. */
  name: string;
  kind: 'continent' | 'area';
  /** Every spelling: English, Korean, Japanese, Chinese. */
  names: readonly string[];
  center: LatLon;
  continents?: readonly string[];
  countries?: readonly string[];
  /** Longitude band, degrees east; both ends inclusive. */
  longitude?: { min?: number; max?: number };
}

/**
 * US East is the Eastern time zone side (east of 87.5°W: Virginia, Ohio, South Carolina, Washington
 * DC; Chicago, at 87.6°W, is Azure's North Central US and falls in US Central). US West is west of
 * 104°W (the Pacific and Mountain states: Oregon, California, Utah, Nevada, Arizona, Wyoming's Azure
 * West Central US). US Central is what lies between (Iowa, Texas, Illinois).
 */
const US_EAST_MIN_LONGITUDE = -87.5;
const US_WEST_MAX_LONGITUDE = -104;

export const AREAS: readonly AreaDefinition[] = [
  {
    name: 'Europe',
    kind: 'continent',
    names: ['Europe', 'European', 'EU', '유럽', 'ヨーロッパ', '欧州', '欧洲', '歐洲'],
    center: { latitude: 50, longitude: 10 },
    continents: ['europe'],
  },
  {
    name: 'Asia',
    kind: 'continent',
    names: ['Asia', 'Asian', '아시아', 'アジア', '亚洲', '亞洲'],
    center: { latitude: 25, longitude: 105 },
    continents: ['asia'],
  },
  {
    name: 'North America',
    kind: 'continent',
    names: ['North America', 'N America', '북미', '북아메리카', '北米', '北美', '北美洲'],
    center: { latitude: 40, longitude: -95 },
    continents: ['north-america'],
  },
  {
    name: 'South America',
    kind: 'continent',
    names: ['South America', 'S America', '남미', '남아메리카', '南米', '南美', '南美洲'],
    center: { latitude: -20, longitude: -58 },
    continents: ['south-america'],
  },
  {
    name: 'Oceania',
    kind: 'continent',
    names: ['Oceania', 'Australasia', '오세아니아', 'オセアニア', '大洋洲'],
    center: { latitude: -32, longitude: 150 },
    continents: ['oceania'],
  },
  {
    name: 'Middle East',
    kind: 'continent',
    names: ['Middle East', 'Mideast', '중동', '中東', '中东'],
    center: { latitude: 27, longitude: 45 },
    continents: ['middle-east'],
  },
  {
    name: 'Africa',
    kind: 'continent',
    names: ['Africa', 'African', '아프리카', 'アフリカ', '非洲'],
    center: { latitude: 0, longitude: 20 },
    continents: ['africa'],
  },
  {
    name: 'US East',
    kind: 'area',
    names: [
      'US East',
      'East US',
      'Eastern US',
      'US Eastern',
      'East Coast',
      'US East Coast',
      '미국 동부',
      '미 동부',
      '동부 미국',
      '미국 동해안',
      '米国東部',
      'アメリカ東部',
      '美国东部',
      '美東',
      '美东',
    ],
    center: { latitude: 38, longitude: -79 },
    countries: ['US'],
    longitude: { min: US_EAST_MIN_LONGITUDE },
  },
  {
    name: 'US Central',
    kind: 'area',
    names: ['US Central', 'Central US', '미국 중부', '미 중부', '米国中部', '美国中部'],
    center: { latitude: 38, longitude: -95 },
    countries: ['US'],
    longitude: { min: US_WEST_MAX_LONGITUDE, max: US_EAST_MIN_LONGITUDE },
  },
  {
    name: 'US West',
    kind: 'area',
    names: [
      'US West',
      'West US',
      'Western US',
      'US Western',
      'West Coast',
      'US West Coast',
      '미국 서부',
      '미 서부',
      '서부 미국',
      '미국 서해안',
      '米国西部',
      'アメリカ西部',
      '美国西部',
      '美西',
    ],
    center: { latitude: 40, longitude: -118 },
    countries: ['US'],
    longitude: { max: US_WEST_MAX_LONGITUDE },
  },
  {
    name: 'East Asia',
    kind: 'area',
    names: ['East Asia', 'Northeast Asia', '동아시아', '동북아', '동북아시아', '東アジア', '东亚', '東亞'],
    center: { latitude: 35, longitude: 122 },
    countries: ['KR', 'JP', 'CN', 'HK', 'TW', 'MO', 'MN', 'KP'],
  },
  {
    name: 'Southeast Asia',
    kind: 'area',
    names: [
      'Southeast Asia',
      'South East Asia',
      'SE Asia',
      'ASEAN',
      '동남아',
      '동남아시아',
      '東南アジア',
      '东南亚',
      '東南亞',
    ],
    center: { latitude: 5, longitude: 108 },
    countries: ['SG', 'MY', 'ID', 'TH', 'PH', 'VN', 'MM', 'KH', 'LA', 'BN', 'TL'],
  },
  {
    name: 'South Asia',
    kind: 'area',
    names: ['South Asia', '남아시아', '南アジア', '南亚', '南亞'],
    center: { latitude: 20, longitude: 78 },
    countries: ['IN', 'PK', 'BD', 'LK', 'NP', 'BT', 'MV'],
  },
  {
    name: 'Asia Pacific',
    kind: 'area',
    names: [
      'APAC',
      'Asia Pacific',
      'Asia-Pacific',
      '아시아 태평양',
      '아시아태평양',
      '아태',
      'アジア太平洋',
      '亚太',
      '亞太',
    ],
    center: { latitude: 10, longitude: 120 },
    continents: ['asia', 'oceania'],
  },
  {
    name: 'EMEA',
    kind: 'area',
    names: ['EMEA'],
    center: { latitude: 35, longitude: 20 },
    continents: ['europe', 'middle-east', 'africa'],
  },
  {
    name: 'Latin America',
    kind: 'area',
    names: [
      'Latin America',
      'LATAM',
      '중남미',
      '라틴 아메리카',
      '라틴아메리카',
      '中南米',
      'ラテンアメリカ',
      '拉丁美洲',
      '拉美',
    ],
    center: { latitude: -10, longitude: -70 },
    continents: ['south-america'],
    countries: ['MX', 'GT', 'BZ', 'SV', 'HN', 'NI', 'CR', 'PA', 'CU', 'DO', 'HT', 'PR', 'JM'],
  },
  {
    name: 'Nordics',
    kind: 'area',
    names: ['Nordics', 'Nordic', 'Northern Europe', 'Scandinavia', '북유럽', '北欧', '北歐'],
    center: { latitude: 61, longitude: 15 },
    countries: ['SE', 'NO', 'FI', 'DK', 'IS'],
  },
];

/** Whether a region lies in an area (see `AreaDefinition`). */
export function inArea(area: AreaDefinition, region: Region): boolean {
  const byContinent =
    region.continent !== undefined && (area.continents?.includes(region.continent) ?? false);
  const byCountry =
    region.countryCode !== undefined && (area.countries?.includes(region.countryCode) ?? false);
  if (!byContinent && !byCountry) return false;
  const band = area.longitude;
  if (band === undefined) return true;
  if (band.min !== undefined && region.longitude < band.min) return false;
  if (band.max !== undefined && region.longitude > band.max) return false;
  return true;
}
