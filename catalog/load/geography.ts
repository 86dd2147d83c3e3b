/**
 * Country, city and continent from region display text ("Korea (Seoul)", "Dallas USA",
 * "Montreal, Quebec, Canada"). The rule throughout: leave a field undefined rather than guess.
 */

/** Continent names follow mcp-server-cloud-regions, so every region uses one vocabulary. */
export type Continent =
  | 'africa'
  | 'asia'
  | 'europe'
  | 'middle-east'
  | 'north-america'
  | 'oceania'
  | 'south-america';

/** Lower-case country names and abbreviations found in the data, to ISO 3166-1 alpha-2. */
const COUNTRY_BY_NAME = new Map<string, string>([
  ['australia', 'AU'],
  ['austria', 'AT'],
  ['belgium', 'BE'],
  ['brazil', 'BR'],
  ['canada', 'CA'],
  ['chile', 'CL'],
  ['china', 'CN'],
  ['denmark', 'DK'],
  ['finland', 'FI'],
  ['france', 'FR'],
  ['germany', 'DE'],
  ['hong kong', 'HK'],
  ['india', 'IN'],
  ['indonesia', 'ID'],
  ['ireland', 'IE'],
  ['israel', 'IL'],
  ['italy', 'IT'],
  ['japan', 'JP'],
  ['korea', 'KR'],
  ['south korea', 'KR'],
  ['malaysia', 'MY'],
  ['mexico', 'MX'],
  ['netherlands', 'NL'],
  ['the netherlands', 'NL'],
  ['new zealand', 'NZ'],
  ['norway', 'NO'],
  ['philippines', 'PH'],
  ['poland', 'PL'],
  ['qatar', 'QA'],
  ['saudi arabia', 'SA'],
  ['singapore', 'SG'],
  ['south africa', 'ZA'],
  ['spain', 'ES'],
  ['sweden', 'SE'],
  ['switzerland', 'CH'],
  ['taiwan', 'TW'],
  ['thailand', 'TH'],
  ['uae', 'AE'],
  ['united arab emirates', 'AE'],
  ['uk', 'GB'],
  ['united kingdom', 'GB'],
  ['us', 'US'],
  ['usa', 'US'],
  ['united states', 'US'],
]);

const CONTINENT_BY_COUNTRY: Record<string, Continent> = {
  ZA: 'africa',
  CN: 'asia',
  HK: 'asia',
  ID: 'asia',
  IN: 'asia',
  JP: 'asia',
  KR: 'asia',
  MY: 'asia',
  PH: 'asia',
  SG: 'asia',
  TH: 'asia',
  TW: 'asia',
  AT: 'europe',
  BE: 'europe',
  CH: 'europe',
  DE: 'europe',
  DK: 'europe',
  ES: 'europe',
  FI: 'europe',
  FR: 'europe',
  GB: 'europe',
  IE: 'europe',
  IT: 'europe',
  NL: 'europe',
  NO: 'europe',
  PL: 'europe',
  SE: 'europe',
  AE: 'middle-east',
  IL: 'middle-east',
  QA: 'middle-east',
  SA: 'middle-east',
  CA: 'north-america',
  MX: 'north-america',
  US: 'north-america',
  AU: 'oceania',
  NZ: 'oceania',
  BR: 'south-america',
  CL: 'south-america',
};

/** Places that name a state, province, district or area rather than a city. */
const NOT_A_CITY = new Set(
  [
    // US states (Azure's regions.json entries give a state where a city is expected).
    'alabama',
    'alaska',
    'arizona',
    'arkansas',
    'california',
    'colorado',
    'connecticut',
    'delaware',
    'florida',
    'georgia',
    'hawaii',
    'idaho',
    'illinois',
    'indiana',
    'iowa',
    'kansas',
    'kentucky',
    'louisiana',
    'maine',
    'maryland',
    'massachusetts',
    'michigan',
    'minnesota',
    'mississippi',
    'missouri',
    'montana',
    'nebraska',
    'nevada',
    'new hampshire',
    'new jersey',
    'new mexico',
    'new york state',
    'north carolina',
    'north dakota',
    'northern virginia',
    'ohio',
    'oklahoma',
    'oregon',
    'pennsylvania',
    'rhode island',
    'south carolina',
    'south dakota',
    'tennessee',
    'texas',
    'utah',
    'vermont',
    'virginia',
    'washington',
    'west virginia',
    'wisconsin',
    'wyoming',
    // Elsewhere.
    'johor',
    'quebec',
    'silicon valley',
    'virtual region',
    'southeast asia',
    'asia pacific',
    'middle east',
    'europe',
  ].map((name) => name.toLowerCase()),
);

const CITY_STATES: Record<string, string> = { SG: 'Singapore', HK: 'Hong Kong' };

const DIRECTION =
  '(?:north|south|east|west|northeast|northwest|southeast|southwest|central|northern|southern|eastern|western)';
const DIRECTIONAL_BEFORE = new RegExp(`^${DIRECTION}\\s+(.+)$`, 'i');
const DIRECTIONAL_AFTER = new RegExp(`^(.+?)\\s+${DIRECTION}$`, 'i');

export function countryCodeOf(name: string): string | undefined {
  return COUNTRY_BY_NAME.get(name.trim().toLowerCase());
}

export function continentOf(countryCode: string | undefined): Continent | undefined {
  return countryCode ? CONTINENT_BY_COUNTRY[countryCode] : undefined;
}

export function isCityName(name: string | undefined): name is string {
  if (!name) return false;
  const lower = name.trim().toLowerCase();
  return lower !== '' && lower !== 'na' && !NOT_A_CITY.has(lower);
}

export interface Place {
  city?: string;
  countryCode?: string;
}

/** Classifies one fragment of display text: a country, a country with a direction ("North China"), or a place. */
function classify(fragment: string): { country?: string; place?: string } {
  const exact = countryCodeOf(fragment);
  if (exact) return { country: exact };
  const directional = DIRECTIONAL_BEFORE.exec(fragment) ?? DIRECTIONAL_AFTER.exec(fragment);
  const directionalCountry = directional?.[1] ? countryCodeOf(directional[1]) : undefined;
  if (directionalCountry) return { country: directionalCountry };
  // "Dallas USA", "Madrid Spain": a place followed by a country, separated by a space.
  const words = fragment.split(/\s+/);
  for (let split = 1; split < words.length; split++) {
    const country = countryCodeOf(words.slice(split).join(' '));
    if (country) return { country, place: words.slice(0, split).join(' ') };
  }
  return { place: fragment };
}

/**
 * Reads a country and a city from display text such as "Japan (Tokyo)", "Toronto (Canada)",
 * "Chennai, India", "Dallas USA", "China (Nanjing - Local Region)" or "Mok-dong - Seoul (South Korea)".
 * City is set only when exactly one city-like place remains.
 */
export function placeFromDisplayText(text: string): Place {
  const cleaned = text.replace(/\s*-\s*Local Region/gi, '');
  const fragments = cleaned
    .split(/[(),/]/)
    .map((fragment) => fragment.trim())
    // "Mok-dong - Seoul": district, then city.
    .map((fragment) => fragment.split(/\s+-\s+/).pop() ?? fragment)
    .filter((fragment) => fragment !== '');
  const countries = new Set<string>();
  const places: string[] = [];
  for (const fragment of fragments) {
    const { country, place } = classify(fragment);
    if (country) countries.add(country);
    if (place && isCityName(place)) places.push(place);
  }
  // "China (Hong Kong)": Hong Kong has its own ISO code and is the more specific of the two.
  if (countries.has('HK')) countries.delete('CN');
  const place: Place = {};
  if (countries.size === 1) place.countryCode = [...countries][0];
  if (places.length === 1) place.city = places[0];
  // City-states ("Singapore", "China (Hong Kong)"): the country names the city.
  if (!place.city && places.length === 0 && place.countryCode && CITY_STATES[place.countryCode]) {
    place.city = CITY_STATES[place.countryCode];
  }
  return place;
}

/**
 * CB-Spider region metadata writes "Country, Place" ("China, Hong Kong", "South Korea, NA"); only
 * the country is reliable enough to use (the place is often a province).
 */
export function countryFromSpiderDisplayName(text: string | undefined): string | undefined {
  return text ? placeFromDisplayText(text).countryCode : undefined;
}
