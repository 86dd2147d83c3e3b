import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../drivers/spec/index.ts';
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

  it('splits the world without losing anything', () => {
    const world = loadWorld();
    const parts = PROVIDERS.map(worldForProvider);
    expect(parts.reduce((sum, part) => sum + part.specs.length, 0)).toBe(world.specs.length);
    expect(parts.reduce((sum, part) => sum + part.images.length, 0)).toBe(world.images.length);
    expect(parts.reduce((sum, part) => sum + part.regions.length, 0)).toBe(world.regions.length);
  });
});
