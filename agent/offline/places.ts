/**
 * Places through the catalog's resolver, merged per region code, with the offset where the text names
 * each (for "3 in Seoul and 2 in Tokyo" and "Seoul or Tokyo").
 */

import { resolvePlaces } from '../../catalog/places/index.ts';
import type { Region } from '../../catalog/types.ts';
import type { PlaceRequest, ProviderId, ResolvedPlace } from './intent.ts';
import { wordsOf } from './text.ts';

export interface LocatedPlace extends PlaceRequest {
  /** Offset of the words naming it; -1 when not found (the resolver read it from a longer span). */
  at: number;
}

const wordCache = new Map<string, ResolvedPlace[]>();

/** Request words that are also city names somewhere. */
const AGENT_WORDS = new Set(
  'list show stop start run delete remove deploy create make scale status help cancel install reboot resume suspend terminate find search compare cost price'.split(
    ' ',
  ),
);

function resolveCached(text: string, regions: readonly Region[]): ResolvedPlace[] {
  let places = wordCache.get(text);
  if (places === undefined) {
    places = resolvePlaces(text, regions);
    if (wordCache.size > 5000) wordCache.clear();
    wordCache.set(text, places);
  }
  return places;
}

function samePlace(a: ResolvedPlace, b: ResolvedPlace): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** Where each place is named: the smallest window of 1–3 words that resolves to it. */
function locate(text: string, places: readonly ResolvedPlace[], regions: readonly Region[]): number[] {
  const words = wordsOf(text);
  const found = places.map(() => -1);
  const spanOf = (from: number, size: number): string => {
    const first = words[from] as (typeof words)[number];
    const last = words[from + size - 1] as (typeof words)[number];
    return text.slice(first.start, last.end);
  };
  for (let start = 0; start < words.length; start++) {
    for (let size = 1; size <= 3 && start + size <= words.length; size++) {
      const span = spanOf(start, size);
      if (!/[\p{L}\d]/u.test(span)) continue;
      const hits = resolveCached(span, regions);
      let matched = false;
      for (const hit of hits) {
        const index = places.findIndex((place, at) => found[at] === -1 && samePlace(place, hit));
        if (index < 0) continue;
        // "VM in Seoul" names Seoul at "Seoul": the smallest window inside that still names it.
        let at = (words[start] as (typeof words)[number]).start;
        search: for (let inner = 1; inner < size; inner++) {
          for (let from = start; from + inner <= start + size; from++) {
            if (resolveCached(spanOf(from, inner), regions).some((place) => samePlace(place, hit))) {
              at = (words[from] as (typeof words)[number]).start;
              break search;
            }
          }
        }
        found[index] = at;
        matched = true;
      }
      if (matched) break;
    }
  }
  return found;
}

/**
 * The places `text` names, in order. Region codes matched for several providers ("ap-northeast-2")
 * become one request with every matching region id, kept to the providers asked for when any are.
 */
export function placesIn(
  text: string,
  regions: readonly Region[],
  providers: { only: readonly ProviderId[]; exclude: readonly ProviderId[] },
): LocatedPlace[] {
  // "ap-northeast-2에": a Korean particle glued to a code or Latin name is split off for the resolver;
  // `offsets` maps the spaced text back to `text`.
  const offsets: number[] = [];
  let spaced = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (index > 0 && /[\uac00-\ud7a3]/.test(character) && /[A-Za-z0-9]/.test(text[index - 1] as string)) {
      spaced += ' ';
      offsets.push(index);
    }
    spaced += character;
    offsets.push(index);
  }
  offsets.push(text.length);
  // Cities named like the agent's own verbs ("List" on Sylt, from "… and list my MCIs") are not places.
  const resolved = resolvePlaces(spaced, regions).filter(
    (place) => !(place.kind === 'city' && AGENT_WORDS.has(place.name.toLowerCase())),
  );
  if (resolved.length === 0) return [];
  const merged: { place: ResolvedPlace; regionIds?: string[]; source: number }[] = [];
  for (const [source, place] of resolved.entries()) {
    if (place.kind !== 'region') {
      merged.push({ place, source });
      continue;
    }
    const ids = (place.regionIds ?? []).filter((id) => {
      const provider = id.split('+')[0] as ProviderId;
      if (providers.exclude.includes(provider)) return false;
      return providers.only.length === 0 || providers.only.includes(provider);
    });
    if (ids.length === 0) continue;
    const code = place.name.includes('+') ? place.name.split('+').slice(1).join('+') : place.name;
    const existing = merged.find(
      (entry) => entry.place.kind === 'region' && entry.regionIds?.some((id) => id.endsWith(`+${code}`)),
    );
    if (existing !== undefined) existing.regionIds = [...new Set([...(existing.regionIds ?? []), ...ids])];
    else merged.push({ place: { ...place, name: code }, regionIds: ids, source });
  }
  const positions =
    merged.length >= 2
      ? locate(spaced, resolved, regions).map((at) => (at < 0 ? at : (offsets[at] ?? at)))
      : [];
  return merged.map((entry) => {
    const at = merged.length >= 2 ? (positions[entry.source] ?? -1) : 0;
    const request: LocatedPlace = { place: entry.place, at };
    if (entry.regionIds !== undefined) request.regionIds = entry.regionIds;
    return request;
  });
}
