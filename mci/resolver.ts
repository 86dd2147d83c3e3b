// Finding specs: for node groups given as requirements, and for failover to other regions.
// The catalog will implement SpecResolver with its index; ListSpecResolver works on plain lists.
import { distanceKm } from '../catalog/places/geo.ts';
import { type ProviderId, type Region, type Spec, usdPerHour } from '../drivers/spec/index.ts';
import type { SpecRequirements } from './model.ts';

export interface AlternativeQuery {
  /** The spec that could not be placed; alternatives are the same or bigger. */
  spec: Spec;
  /** Regions ("provider+region") already tried or ruled out. */
  excludeRegionIds: readonly string[];
  allowedProviders?: readonly ProviderId[];
  allowedRegionIds?: readonly string[];
  /** Alternatives costing more than this per hour are left out. */
  maxPricePerHour?: number;
}

export interface SpecResolver {
  /** Specs meeting the requirements, best first (nearest, then cheapest). */
  resolve(requirements: SpecRequirements): Promise<Spec[]>;
  /** Same-or-bigger specs elsewhere, nearest region first, cheapest first within a region. */
  alternatives(query: AlternativeQuery): Promise<Spec[]>;
}

function regionIdOf(spec: Spec): string {
  return `${spec.provider}+${spec.region}`;
}

/** True when `candidate` is at least `wanted` in vCPU, memory and accelerators, on the same arch. */
export function isSameOrBigger(candidate: Spec, wanted: Spec): boolean {
  if (candidate.arch !== wanted.arch) return false;
  if (candidate.vcpu < wanted.vcpu || candidate.memoryGiB < wanted.memoryGiB) return false;
  if (wanted.gpu) {
    if (!candidate.gpu || candidate.gpu.count < wanted.gpu.count) return false;
    if ((candidate.gpu.memoryGiB ?? 0) < (wanted.gpu.memoryGiB ?? 0)) return false;
  }
  return true;
}

/** A SpecResolver over lists of specs and regions (e.g. from the drivers' listSpecs + listRegions). */
export class ListSpecResolver implements SpecResolver {
  private readonly regions = new Map<string, Region>();

  constructor(
    private readonly specs: readonly Spec[],
    regions: readonly Region[],
  ) {
    for (const region of regions) this.regions.set(region.id, region);
  }

  async resolve(requirements: SpecRequirements): Promise<Spec[]> {
    return this.specs
      .filter(
        (spec) =>
          (requirements.providers === undefined || requirements.providers.includes(spec.provider)) &&
          (requirements.regionIds === undefined || requirements.regionIds.includes(regionIdOf(spec))) &&
          spec.vcpu >= (requirements.vcpu ?? 0) &&
          spec.memoryGiB >= (requirements.memoryGiB ?? 0) &&
          (spec.gpu?.count ?? 0) >= (requirements.gpuCount ?? 0) &&
          (requirements.gpuModel === undefined ||
            spec.gpu?.model.toLowerCase() === requirements.gpuModel.toLowerCase()),
      )
      .sort(
        (a, b) => (usdPerHour(a) ?? Number.POSITIVE_INFINITY) - (usdPerHour(b) ?? Number.POSITIVE_INFINITY),
      );
  }

  async alternatives(query: AlternativeQuery): Promise<Spec[]> {
    const origin = this.regions.get(regionIdOf(query.spec));
    const distance = (spec: Spec): number => {
      const region = this.regions.get(regionIdOf(spec));
      return origin && region ? distanceKm(origin, region) : Number.POSITIVE_INFINITY;
    };
    return this.specs
      .filter(
        (spec) =>
          !query.excludeRegionIds.includes(regionIdOf(spec)) &&
          (query.allowedProviders === undefined || query.allowedProviders.includes(spec.provider)) &&
          (query.allowedRegionIds === undefined || query.allowedRegionIds.includes(regionIdOf(spec))) &&
          (query.maxPricePerHour === undefined || (usdPerHour(spec) ?? 0) <= query.maxPricePerHour) &&
          isSameOrBigger(spec, query.spec),
      )
      .map((spec) => ({ spec, distance: Math.round(distance(spec)) }))
      .sort(
        (a, b) =>
          a.distance - b.distance ||
          (usdPerHour(a.spec) ?? Number.POSITIVE_INFINITY) - (usdPerHour(b.spec) ?? Number.POSITIVE_INFINITY),
      )
      .map((entry) => entry.spec);
  }
}
