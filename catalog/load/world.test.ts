import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../drivers/spec/index.ts';
import { loadRegions } from './load-regions.ts';
import { loadSpecs, loadSpecsReport } from './load-specs.ts';
import { loadWorld, worldForProvider } from './world.ts';

describe('loadWorld', () => {
  it('loads regions, specs and images once and hands out the same world after', () => {
    const world = loadWorld();
    expect(loadWorld()).toBe(world);
  });

  it.each(PROVIDERS.map((provider) => [provider]))(
    'gives %s its own regions, specs and images',
    (provider) => {
      const world = worldForProvider(provider);
      expect(world.regions.length).toBeGreaterThan(0);
      expect(world.specs.length).toBeGreaterThan(0);
      expect(world.images.length).toBeGreaterThan(0);
      const others = [...world.regions, ...world.specs, ...world.images].filter(
        (item) => item.provider !== provider,
      );
      expect(others).toEqual([]);
    },
  );

  it('is the sim part of the catalog: no restricted region, nor a spec or image in one', () => {
    const world = loadWorld();
    const catalogRegions = loadRegions();
    const restricted = new Set(
      catalogRegions.filter((region) => region.restricted !== undefined).map((region) => region.id),
    );
    expect(restricted.size).toBeGreaterThan(0);
    expect(world.regions).toEqual(catalogRegions.filter((region) => !restricted.has(region.id)));
    const regionIds = new Set(world.regions.map((region) => region.id));
    const outside = [...world.specs, ...world.images].filter(
      (item) => !regionIds.has(`${item.provider}+${item.region}`),
    );
    expect(outside.map((item) => item.id)).toEqual([]);
    expect(world.specs.length).toBe(
      loadSpecs().length - loadSpecsReport().byProvider.azure.inRestrictedRegions,
    );
    expect(world.specs.some((spec) => spec.id === 'gcp+us-central1+n1-standard-8-t4x1')).toBe(true);
  });

  it('splits the world without losing anything', () => {
    const world = loadWorld();
    const parts = PROVIDERS.map(worldForProvider);
    expect(parts.reduce((sum, part) => sum + part.specs.length, 0)).toBe(world.specs.length);
    expect(parts.reduce((sum, part) => sum + part.images.length, 0)).toBe(world.images.length);
    expect(parts.reduce((sum, part) => sum + part.regions.length, 0)).toBe(world.regions.length);
  });
});
