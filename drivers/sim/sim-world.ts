import type { Image, ProviderId, Region, Spec } from '../spec/index.ts';

/**
 * What exists in the emulated clouds: regions, specs with prices, images. The sim receives it when
 * constructed (the catalog's loaders read the real data; drivers import nothing above them).
 */
export interface SimWorld {
  regions: readonly Region[];
  specs: readonly Spec[];
  images: readonly Image[];
}

/** One provider's world, indexed for the driver's lookups. */
export class ProviderWorld {
  readonly regions: Region[];
  readonly regionsByCode = new Map<string, Region>();
  readonly specsById = new Map<string, Spec>();
  readonly specsByRegion = new Map<string, Spec[]>();
  readonly imagesById = new Map<string, Image>();
  readonly imagesByRegion = new Map<string, Image[]>();

  constructor(
    readonly provider: ProviderId,
    world: SimWorld,
  ) {
    this.regions = world.regions.filter((region) => region.provider === provider);
    for (const region of this.regions) this.regionsByCode.set(region.code, region);
    for (const spec of world.specs) {
      if (spec.provider !== provider || !this.regionsByCode.has(spec.region)) continue;
      this.specsById.set(spec.id, spec);
      const list = this.specsByRegion.get(spec.region) ?? [];
      list.push(spec);
      this.specsByRegion.set(spec.region, list);
    }
    for (const image of world.images) {
      if (image.provider !== provider || !this.regionsByCode.has(image.region)) continue;
      this.imagesById.set(image.id, image);
      const list = this.imagesByRegion.get(image.region) ?? [];
      list.push(image);
      this.imagesByRegion.set(image.region, list);
    }
  }

  zoneCodes(regionCode: string): string[] {
    return this.regionsByCode.get(regionCode)?.zones.map((zone) => zone.code) ?? [];
  }
}
