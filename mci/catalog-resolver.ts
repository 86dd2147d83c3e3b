// A SpecResolver over the catalog's index: requirements-based node groups and cross-region failover
// search the catalog (prices, GPU names, places) and keep only regions the drivers can serve.

import { distanceKm } from '../catalog/places/geo.ts';
import { CatalogInputError } from '../catalog/query/validate.ts';
import type { CatalogQueries, SearchSpecsInput, SpecHit } from '../catalog/types.ts';
import {
  type CloudDriver,
  isDriverError,
  PROVIDERS,
  type ProviderId,
  type Region,
  type Spec,
} from '../drivers/spec/index.ts';
import { MciError } from './errors.ts';
import type { SpecRequirements } from './model.ts';
import { type AlternativeQuery, isSameOrBigger, type SpecResolver } from './resolver.ts';

export interface CatalogSpecResolverOptions {
  /** Opens the catalog; called on the first resolver call only (opening may build the index). */
  catalog: () => Promise<CatalogQueries>;
  drivers: (provider: ProviderId) => Promise<CloudDriver>;
  /** Specs kept per region in alternatives(), cheapest first. Default 3. */
  specsPerRegion?: number;
  /** Regions alternatives() returns at most, nearest first. Default 12. */
  maxRegions?: number;
  /** Specs resolve() returns at most, cheapest first. Default 20. */
  resolveLimit?: number;
}

interface CatalogRegionSets {
  known: ReadonlySet<string>;
  restricted: ReadonlySet<string>;
}

function regionIdOf(spec: Spec): string {
  return `${spec.provider}+${spec.region}`;
}

/**
 * Resolves requirements through `catalog.searchSpecs` (sorted by cost) and finds failover
 * alternatives nearest the origin first, cheapest first within a region. Only regions some driver
 * lists are returned, and the catalog's restricted regions only when the caller names them.
 */
export class CatalogSpecResolver implements SpecResolver {
  private catalogOpening: Promise<CatalogQueries> | undefined;
  private catalogRegionsOpening: Promise<CatalogRegionSets> | undefined;
  private readonly regionLists = new Map<ProviderId, Promise<Region[]>>();
  private readonly specsPerRegion: number;
  private readonly maxRegions: number;
  private readonly resolveLimit: number;

  constructor(private readonly options: CatalogSpecResolverOptions) {
    this.specsPerRegion = options.specsPerRegion ?? 3;
    this.maxRegions = options.maxRegions ?? 12;
    this.resolveLimit = options.resolveLimit ?? 20;
  }

  async resolve(requirements: SpecRequirements): Promise<Spec[]> {
    const named = requirements.regionIds === undefined ? undefined : new Set(requirements.regionIds);
    const regionIds = (await this.candidateRegions(requirements.providers, named, new Set())).map(
      (region) => region.id,
    );
    if (regionIds.length === 0) return [];
    const wantsGpu = (requirements.gpuCount ?? 0) > 0 || requirements.gpuModel !== undefined;
    const input: SearchSpecsInput = {
      ...(requirements.vcpu !== undefined ? { minVcpu: requirements.vcpu } : {}),
      ...(requirements.memoryGiB !== undefined ? { minMemoryGiB: requirements.memoryGiB } : {}),
      ...(wantsGpu
        ? {
            gpu: {
              ...(requirements.gpuModel !== undefined ? { model: requirements.gpuModel } : {}),
              minCount:
                requirements.gpuCount !== undefined && requirements.gpuCount > 0 ? requirements.gpuCount : 1,
            },
          }
        : {}),
      regions: regionIds,
      sort: 'cost',
      limit: this.resolveLimit,
    };
    const hits = await this.search(input, 'requirements');
    // The catalog may list a spec a (real) driver no longer sells: keep what the driver confirms.
    const confirmed = await Promise.all(
      hits.map(async ({ spec }) => {
        try {
          return await (await this.options.drivers(spec.provider)).getSpec(spec.id);
        } catch (error) {
          if (isDriverError(error) && error.code === 'NOT_FOUND') return undefined;
          throw error;
        }
      }),
    );
    return confirmed.filter((spec): spec is Spec => spec !== undefined);
  }

  async alternatives(query: AlternativeQuery): Promise<Spec[]> {
    const wanted = query.spec;
    const allowed = query.allowedRegionIds === undefined ? undefined : new Set(query.allowedRegionIds);
    const candidates = await this.candidateRegions(
      query.allowedProviders,
      allowed,
      new Set([...query.excludeRegionIds, regionIdOf(wanted)]),
    );
    const origin = (await this.regionsOf(wanted.provider)).find((region) => region.code === wanted.region);
    // Nearest first by the drivers' coordinates; without an origin every region is as near.
    const ordered = candidates
      .map((region) => ({ region, distance: origin ? Math.round(distanceKm(origin, region)) : 0 }))
      .sort((a, b) => a.distance - b.distance || (a.region.id < b.region.id ? -1 : 1))
      .map((entry) => entry.region.id);
    const base: SearchSpecsInput = {
      minVcpu: wanted.vcpu,
      ...(wanted.memoryGiB > 0 ? { minMemoryGiB: wanted.memoryGiB } : {}),
      arch: wanted.arch,
      ...(wanted.gpu
        ? {
            gpu: {
              // Accelerators that are not GPUs (Inferentia, Gaudi) run other software: keep the model.
              ...(isGraphicsVendor(wanted.gpu.manufacturer) ? {} : { model: wanted.gpu.model }),
              minCount: wanted.gpu.count,
              ...(wanted.gpu.memoryGiB ? { minMemoryGiB: wanted.gpu.memoryGiB } : {}),
            },
          }
        : {}),
      ...(query.maxPricePerHour !== undefined ? { maxPricePerHour: query.maxPricePerHour } : {}),
      sort: 'cost',
      limit: this.specsPerRegion,
    };
    // One small search per region (a few ms each) rather than one wide one: a wide search builds
    // every hit, and a big nearby region would crowd the next ones out of a page.
    const chosen: SpecHit[][] = [];
    for (let next = 0; next < ordered.length && chosen.length < this.maxRegions; ) {
      const batch = ordered.slice(next, next + this.maxRegions - chosen.length);
      next += batch.length;
      const found = await Promise.all(
        batch.map((regionId) => this.search({ ...base, regions: [regionId] }, 'alternatives')),
      );
      for (const hits of found) {
        const fitting = hits.filter((hit) => isSameOrBigger(hit.spec, wanted));
        if (fitting.length > 0 && chosen.length < this.maxRegions) chosen.push(fitting);
      }
    }
    const hits = chosen.flat();
    // Without an origin, cheapest first (the catalog's USD price: specs may list KRW).
    if (!origin)
      hits.sort(
        (a, b) => (a.pricePerHour ?? Number.POSITIVE_INFINITY) - (b.pricePerHour ?? Number.POSITIVE_INFINITY),
      );
    return hits.map((hit) => hit.spec);
  }

  private catalog(): Promise<CatalogQueries> {
    this.catalogOpening ??= this.options.catalog();
    this.catalogOpening.catch(() => {
      this.catalogOpening = undefined;
    });
    return this.catalogOpening;
  }

  private async search(input: SearchSpecsInput, field: string): Promise<SpecHit[]> {
    const catalog = await this.catalog();
    try {
      return await catalog.searchSpecs(input);
    } catch (error) {
      // The catalog says what to change (an unknown GPU model, a region id): a request problem.
      if (error instanceof CatalogInputError) {
        throw new MciError('MCI_INVALID_REQUEST', `${field}: ${error.message}`, {
          issues: [`${field}: ${error.message}`],
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Region ids the drivers serve, among the allowed providers and regions, minus the excluded ones.
   * Restricted regions of the catalog stay out unless named in `allowed`.
   */
  private async candidateRegions(
    providers: readonly ProviderId[] | undefined,
    allowed: ReadonlySet<string> | undefined,
    excluded: ReadonlySet<string>,
  ): Promise<Region[]> {
    const { known, restricted } = await this.catalogRegions();
    const lists = await Promise.all(
      (providers ?? PROVIDERS).map((provider) =>
        // A provider whose driver cannot list regions (no credentials, down) offers nothing.
        this.regionsOf(provider).catch(() => [] as Region[]),
      ),
    );
    return lists
      .flat()
      .filter(
        ({ id }) =>
          known.has(id) &&
          !excluded.has(id) &&
          (allowed === undefined ? !restricted.has(id) : allowed.has(id)),
      );
  }

  /** The regions the catalog knows (a spec search naming another fails) and its restricted ones. */
  private catalogRegions(): Promise<CatalogRegionSets> {
    this.catalogRegionsOpening ??= this.catalog().then(async (catalog) => {
      const hits = await catalog.searchRegions({ limit: 500 });
      return {
        known: new Set(hits.map((hit) => hit.region.id)),
        // The catalog's regions carry `restricted` (catalog/schemas.ts CatalogRegion).
        restricted: new Set(
          hits
            .filter((hit) => (hit.region as Region & { restricted?: string }).restricted !== undefined)
            .map((hit) => hit.region.id),
        ),
      };
    });
    this.catalogRegionsOpening.catch(() => {
      this.catalogRegionsOpening = undefined;
    });
    return this.catalogRegionsOpening;
  }

  private regionsOf(provider: ProviderId): Promise<Region[]> {
    let regions = this.regionLists.get(provider);
    if (!regions) {
      regions = this.options.drivers(provider).then((driver) => driver.listRegions());
      this.regionLists.set(provider, regions);
      regions.catch(() => this.regionLists.delete(provider));
    }
    return regions;
  }
}

function isGraphicsVendor(manufacturer: string | null): boolean {
  return manufacturer === null || /nvidia|amd/i.test(manufacturer);
}
