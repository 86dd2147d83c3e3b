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

/**
 * The sim's world: regions, specs and images of all ten providers in the regions an ordinary account
 * can use (cloudinfo.yaml's enabled regions). The catalog's restricted regions (loadRegions() marks
 * them) and their specs and images are left out, so everything the sim offers exists in reality.
 * Loaded once per process; treat as read-only.
 */
export function loadWorld(): World {
  if (!cachedWorld) {
    const regions: Region[] = [];
    const restricted = new Map<ProviderId, Set<string>>();
    for (const region of loadRegions()) {
      if (region.restricted === undefined) {
        regions.push(region);
        continue;
      }
      const codes = restricted.get(region.provider) ?? new Set<string>();
      codes.add(region.code);
      restricted.set(region.provider, codes);
    }
    const open = (item: Spec | Image) => !restricted.get(item.provider)?.has(item.region);
    cachedWorld = { regions, specs: loadSpecs().filter(open), images: loadImages().filter(open) };
  }
  return cachedWorld;
}

/** One provider's part of the sim's world: the sim runs one driver instance per provider. */
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
