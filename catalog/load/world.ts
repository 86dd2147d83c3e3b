import type { Image, ProviderId, Region, Spec } from '../../drivers/spec/index.ts';
import { loadImages } from './load-images.ts';
import { loadRegions } from './load-regions.ts';
import { loadSpecs } from './load-specs.ts';

/** What the sim driver is constructed with (drivers/sim's SimWorld has the same shape). */
export interface World {
  regions: Region[];
  specs: Spec[];
  images: Image[];
}

let cachedWorld: World | undefined;
const cachedByProvider = new Map<ProviderId, World>();

/** Regions, specs and images of all ten providers. Loaded once per process; treat as read-only. */
export function loadWorld(): World {
  cachedWorld ??= { regions: loadRegions(), specs: loadSpecs(), images: loadImages() };
  return cachedWorld;
}

/** One provider's part of the world: the sim runs one driver instance per provider. */
export function worldForProvider(provider: ProviderId): World {
  let world = cachedByProvider.get(provider);
  if (!world) {
    const all = loadWorld();
    world = {
      regions: all.regions.filter((region) => region.provider === provider),
      specs: all.specs.filter((spec) => spec.provider === provider),
      images: all.images.filter((image) => image.provider === provider),
    };
    cachedByProvider.set(provider, world);
  }
  return world;
}
