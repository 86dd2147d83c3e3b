/**
 * Orders and scores: what "sorted by cost" and "recommended with these weights" mean, for the
 * engine. (The brute-force reference writes the same rules out on its own, so a slip in one shows.)
 *
 * - cost: price ascending (spot price when `spot`), specs without a USD price last; then id.
 * - performance: score descending; then price ascending; then id.
 * - distance / latency: ascending, unknown last; then price ascending; then id.
 * - With `text`: relevance (cosine similarity rounded to 4 decimals) first, then the sort above.
 * - recommend: the weighted sum of normalised parts, descending; then price ascending; then id.
 */
import type { SortKey } from './plan.ts';
import { CatalogInputError } from './validate.ts';

export interface Candidate {
  /** Row number in whatever the engine scans. */
  row: number;
  id: string;
  /** USD per hour of the price in use (spot when asked). */
  price: number | null;
  performance: number;
  distanceKm: number | null;
  latencyMs: number | null;
  /** Text relevance 0..1 (rounded), null without text. */
  score: number | null;
}

/** Cosine distance → relevance 0..1, rounded so that float noise between engines does not reorder. */
export function relevance(distance: number): number {
  const similarity = 1 - distance;
  return Math.round(Math.min(1, Math.max(0, similarity)) * 10_000) / 10_000;
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ascending, NaN (unknown) last. */
export function ascendingKnown(a: number, b: number): number {
  if (a === b) return 0;
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/** Ascending, nulls last. */
function ascending(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

export function candidateComparator(
  sort: SortKey,
  byRelevance: boolean,
): (a: Candidate, b: Candidate) => number {
  const chain = (a: Candidate, b: Candidate): number => {
    switch (sort) {
      case 'cost':
        return ascending(a.price, b.price) || compareIds(a.id, b.id);
      case 'performance':
        return b.performance - a.performance || ascending(a.price, b.price) || compareIds(a.id, b.id);
      case 'distance':
        return ascending(a.distanceKm, b.distanceKm) || ascending(a.price, b.price) || compareIds(a.id, b.id);
      case 'latency':
        return ascending(a.latencyMs, b.latencyMs) || ascending(a.price, b.price) || compareIds(a.id, b.id);
    }
  };
  if (!byRelevance) return chain;
  return (a, b) => (b.score ?? 0) - (a.score ?? 0) || chain(a, b);
}

/** The `k` smallest items under `compare`, in order. A bounded heap when k is small next to n. */
export function topK<T>(items: ArrayLike<T>, k: number, compare: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (items.length <= k * 4) return Array.from(items).sort(compare).slice(0, k);
  // Max-heap of the k best so far: the root is the worst of them.
  const heap: T[] = [];
  const worse = (a: T, b: T) => compare(a, b) > 0;
  const siftUp = (start: number) => {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!worse(heap[index] as T, heap[parent] as T)) break;
      [heap[index], heap[parent]] = [heap[parent] as T, heap[index] as T];
      index = parent;
    }
  };
  const siftDown = () => {
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let largest = index;
      if (left < heap.length && worse(heap[left] as T, heap[largest] as T)) largest = left;
      if (right < heap.length && worse(heap[right] as T, heap[largest] as T)) largest = right;
      if (largest === index) break;
      [heap[index], heap[largest]] = [heap[largest] as T, heap[index] as T];
      index = largest;
    }
  };
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as T;
    if (heap.length < k) {
      heap.push(item);
      siftUp(heap.length - 1);
    } else if (compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      siftDown();
    }
  }
  return heap.sort(compare);
}

// ---------------------------------------------------------------------------------------------
// Recommendation: weights really combined
// ---------------------------------------------------------------------------------------------

export interface Weights {
  cost: number;
  performance: number;
  distance: number;
  latency: number;
}

export interface Scored<T> {
  item: T;
  total: number;
  parts: Weights;
}

export function checkWeights(weights: Weights, hasNear: boolean, hasLatency: boolean): void {
  const sum = weights.cost + weights.performance + weights.distance + weights.latency;
  if (!(sum > 0)) {
    throw new CatalogInputError(
      'weights: at least one of cost, performance, distance, latency must be above 0',
    );
  }
  if (weights.distance > 0 && !hasNear) {
    throw new CatalogInputError(
      'weights.distance needs near (a place or coordinates); add near or set it to 0',
    );
  }
  if (weights.latency > 0 && !hasLatency) {
    throw new CatalogInputError(
      'weights.latency needs latencyFrom (a region id or a place) or near; add one or set it to 0',
    );
  }
}

export interface Range {
  min: number;
  max: number;
}

export function rangeOf(values: Iterable<number | null>): Range | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value === null) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? { min, max } : null;
}

/** 1 for the best, 0 for the worst, linear between; unknown values 0; all equal → 1. */
export function normalise(value: number | null, range: Range | null, lowerIsBetter: boolean): number {
  if (value === null || range === null) return 0;
  if (range.max === range.min) return 1;
  const fraction = (value - range.min) / (range.max - range.min);
  return lowerIsBetter ? 1 - fraction : fraction;
}

/**
 * Each criterion normalised to 0..1 over the candidates (min-max: cheapest = 1 for cost, highest =
 * 1 for performance, nearest = 1 for distance and latency), combined as Σ weight × part / Σ weight.
 * Criteria with weight 0 still report their part.
 */
export function combineWeights(candidates: readonly Candidate[], weights: Weights): Scored<Candidate>[] {
  const price = rangeOf(candidates.map((candidate) => candidate.price));
  const performance = rangeOf(candidates.map((candidate) => candidate.performance));
  const distance = rangeOf(candidates.map((candidate) => candidate.distanceKm));
  const latency = rangeOf(candidates.map((candidate) => candidate.latencyMs));
  const sum = weights.cost + weights.performance + weights.distance + weights.latency;
  return candidates.map((candidate) => {
    const parts: Weights = {
      cost: normalise(candidate.price, price, true),
      performance: normalise(candidate.performance, performance, false),
      distance: normalise(candidate.distanceKm, distance, true),
      latency: normalise(candidate.latencyMs, latency, true),
    };
    return { item: candidate, total: weightedTotal(parts, weights, sum), parts };
  });
}

/** Σ weight × part / Σ weight, rounded (see roundTotal). */
export function weightedTotal(parts: Weights, weights: Weights, sum: number): number {
  return roundTotal(
    (weights.cost * parts.cost +
      weights.performance * parts.performance +
      weights.distance * parts.distance +
      weights.latency * parts.latency) /
      sum,
  );
}

/** Totals are compared rounded to 1e-9, so summation order never decides a tie. */
export function roundTotal(total: number): number {
  return Math.round(total * 1e9) / 1e9;
}

export function recommendationComparator(a: Scored<Candidate>, b: Scored<Candidate>): number {
  return b.total - a.total || ascending(a.item.price, b.item.price) || compareIds(a.item.id, b.item.id);
}
