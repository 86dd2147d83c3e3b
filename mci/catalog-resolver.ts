// A SpecResolver over the catalog's index: requirements-based node groups and cross-region failover
// search the catalog (prices, GPU names, places) and keep only regions the drivers can serve.
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

/** The catalog's search refuses larger pages. */
const MAX_PAGE = 1000;
/** A radius that reaches every point of the globe (half the circumference is ~20,015 km). */
const WHOLE_GLOBE_KM = 20_000;

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
  /** Hits per catalog search in alternatives(); default (and at most) 1000. */
  pageSize?: number;
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
  private readonly pageSize: number;

  constructor(private readonly options: CatalogSpecResolverOptions) {
    this.pageSize = Math.min(MAX_PAGE, options.pageSize ?? MAX_PAGE);
    this.specsPerRegion = options.specsPerRegion ?? 3;
    this.maxRegions = options.maxRegions ?? 12;
    this.resolveLimit = options.resolveLimit ?? 20;
  }

  async resolve(requirements: SpecRequirements): Promise<Spec[]> {
    const named = requirements.regionIds === undefined ? undefined : new Set(requirements.regionIds);
    const regionIds = await this.candidateRegions(requirements.providers, named, new Set());
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
    let remaining = await this.candidateRegions(
      query.allowedProviders,
      allowed,
      new Set([...query.excludeRegionIds, regionIdOf(wanted)]),
    );
    if (remaining.length === 0) return [];
    const origin = (await this.regionsOf(wanted.provider)).find((region) => region.code === wanted.region);
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
      ...(origin
        ? {
            near: {
              place: { latitude: origin.latitude, longitude: origin.longitude },
              radiusKm: WHOLE_GLOBE_KM,
            },
            sort: 'distance' as const,
          }
        : { sort: 'cost' as const }),
      limit: this.pageSize,
    };
    // Hits come region by region (nearest first, cheapest first inside one). A full page may cut
    // its last region short; that region is asked again with the regions not yet complete.
    const chosen = new Map<string, Spec[]>();
    while (remaining.length > 0 && chosen.size < this.maxRegions) {
      const hits = await this.search({ ...base, regions: remaining }, 'alternatives');
      if (hits.length === 0) break;
      const byRegion = new Map<string, Spec[]>();
      for (const hit of hits) {
        const regionId = regionIdOf(hit.spec);
        const list = byRegion.get(regionId) ?? [];
        list.push(hit.spec);
        byRegion.set(regionId, list);
      }
      const full = hits.length >= this.pageSize;
      const lastRegion = regionIdOf((hits.at(-1) as SpecHit).spec);
      const done = new Set<string>();
      for (const [regionId, specs] of byRegion) {
        if (full && regionId === lastRegion && specs.length < this.specsPerRegion && byRegion.size > 1) break;
        done.add(regionId);
        const fitting = specs.filter((spec) => isSameOrBigger(spec, wanted)).slice(0, this.specsPerRegion);
        if (fitting.length > 0) chosen.set(regionId, fitting);
        if (chosen.size >= this.maxRegions) break;
      }
      if (!full) break;
      remaining = remaining.filter((regionId) => !done.has(regionId));
    }
    return [...chosen.values()].flat();
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
  ): Promise<string[]> {
    const { known, restricted } = await this.catalogRegions();
    const lists = await Promise.all(
      (providers ?? PROVIDERS).map((provider) =>
        // A provider whose driver cannot list regions (no credentials, down) offers nothing.
        this.regionsOf(provider).catch(() => [] as Region[]),
      ),
    );
    return lists
      .flat()
      .map((region) => region.id)
      .filter(
        (regionId) =>
          known.has(regionId) &&
          !excluded.has(regionId) &&
          (allowed === undefined ? !restricted.has(regionId) : allowed.has(regionId)),
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
