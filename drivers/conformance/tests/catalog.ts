import { describe, expect, it } from 'vitest';
import {
  type Capability,
  DriverCapabilitiesSchema,
  ImageSchema,
  NotFoundError,
  RegionSchema,
  type Spec,
  SpecSchema,
} from '../../spec/index.ts';
import { expectValid } from '../assertions.ts';
import type { ConformanceContext } from '../context.ts';
import { withRetry } from '../retry.ts';

function isCapability(value: unknown): value is Capability {
  return typeof value === 'object' && value !== null && 'supported' in value;
}

export function registerCapabilityTests(suite: ConformanceContext): void {
  describe('capabilities', () => {
    it("capabilities parse with DriverCapabilitiesSchema and name the driver's provider", () => {
      const capabilities = expectValid(DriverCapabilitiesSchema, suite.capabilities, 'capabilities');
      expect(capabilities.provider).toBe(suite.provider);
      expect(capabilities.driver.length).toBeGreaterThan(0);
    });

    it('every unsupported capability says why', () => {
      for (const [name, value] of Object.entries(suite.capabilities)) {
        if (isCapability(value) && !value.supported) {
          expect(value.reason?.trim().length ?? 0, `capabilities.${name}.reason`).toBeGreaterThan(0);
        }
      }
    });

    it('capabilities agree with each other: suspend mode, key pairs, tag and disk limits', () => {
      const { suspend, keyPairImport, keyPairGenerate, tagging, rootDisk } = suite.capabilities;
      expect(suspend.mode === 'none', 'suspend.mode is "none" exactly when suspend is unsupported').toBe(
        !suspend.supported,
      );
      expect(
        keyPairImport.supported || keyPairGenerate.supported,
        'a key pair can be imported or generated',
      ).toBe(true);
      // s2a tags every resource with three keys, and the suite adds two.
      expect(tagging.supported, 'tagging.supported (every resource carries the s2a tags)').toBe(true);
      expect(tagging.maxTags).toBeGreaterThanOrEqual(5);
      expect(tagging.maxKeyLength).toBeGreaterThanOrEqual('conformance-group'.length);
      expect(rootDisk.minGiB).toBeLessThanOrEqual(rootDisk.maxGiB);
    });
  });
}

export function registerCatalogTests(suite: ConformanceContext): void {
  const missingId = () => `${suite.provider}+${suite.harness.region}+cf-${suite.runId}-missing`;

  /** The spec and image the harness names, as listed for its region. */
  const listedSpec = async (): Promise<Spec> => {
    const specs = await withRetry(() => suite.driver.listSpecs({ region: suite.harness.region }));
    const spec = specs.find((candidate) => candidate.id === suite.harness.specId);
    if (!spec) throw new Error(`listSpecs({region: ${suite.harness.region}}) lacks ${suite.harness.specId}`);
    return spec;
  };

  describe('catalog', () => {
    it('listRegions returns valid regions of this provider with ids provider+code', async () => {
      const regions = await suite.regions();
      expect(regions.length).toBeGreaterThan(0);
      for (const region of regions) {
        expectValid(RegionSchema, region, `region ${region.id}`);
        expect(region.provider, `region ${region.id}: provider`).toBe(suite.provider);
        expect(region.code, `region ${region.id}: code has no "+"`).not.toContain('+');
        expect(region.id, 'region id').toBe(`${suite.provider}+${region.code}`);
        for (const zone of region.zones) {
          expect(zone.code, `zone ${zone.id}: code has no "+"`).not.toContain('+');
          expect(zone.id, 'zone id').toBe(`${suite.provider}+${region.code}+${zone.code}`);
        }
      }
      const ids = regions.map((region) => region.id);
      expect(new Set(ids).size, 'region ids are unique').toBe(ids.length);
    });

    it('listRegions includes the harness region, and its zones include the harness zone', async () => {
      const region = await suite.homeRegion();
      if (suite.harness.zone !== undefined) {
        expect(region.zones.map((zone) => zone.code)).toContain(suite.harness.zone);
      }
    });

    // The converse is not checked: a provider with zones may lack zone data for some regions.
    it('no region lists zones when the capabilities say the provider has none', async (context) => {
      if (suite.capabilities.zones.supported) return context.skip('the provider has zones');
      for (const region of await suite.regions()) expect(region.zones, `zones of ${region.id}`).toEqual([]);
    });

    it('listSpecs({region}) returns valid specs of that region only, including the harness spec', async () => {
      const { region, zone } = suite.harness;
      const specs = await withRetry(() => suite.driver.listSpecs({ region }));
      expect(specs.length).toBeGreaterThan(0);
      for (const spec of specs) {
        expectValid(SpecSchema, spec, `spec ${spec.id}`);
        expect(spec.provider, `spec ${spec.id}: provider`).toBe(suite.provider);
        expect(spec.region, `spec ${spec.id}: region`).toBe(region);
        expect(spec.id, 'spec id').toBe(`${suite.provider}+${region}+${spec.name}`);
      }
      const spec = specs.find((candidate) => candidate.id === suite.harness.specId);
      expect(spec, `harness spec ${suite.harness.specId}`).toBeDefined();
      expect(spec?.gpu, 'the harness spec is a CPU spec').toBeNull();
      if (zone !== undefined && spec?.zones !== undefined) {
        expect(spec.zones, 'the harness spec is offered in the harness zone').toContain(zone);
      }
    });

    it('listSpecs({region, names}) returns only the named specs', async () => {
      const spec = await listedSpec();
      const specs = await withRetry(() =>
        suite.driver.listSpecs({ region: spec.region, names: [spec.name] }),
      );
      expect(specs.map((candidate) => candidate.id)).toEqual([spec.id]);
    });

    it('getSpec returns the spec listSpecs lists', async () => {
      const listed = await listedSpec();
      const spec = await withRetry(() => suite.driver.getSpec(listed.id));
      expectValid(SpecSchema, spec, `getSpec ${listed.id}`);
      expect(spec).toEqual(listed);
    });

    it('getSpec of an unknown id throws NotFoundError', async () => {
      await suite.expectError('getSpec(unknown)', () => suite.driver.getSpec(missingId()), [NotFoundError]);
    });

    it('listImages({region}) returns valid images of that region only, including the harness image', async () => {
      const { region } = suite.harness;
      const images = await withRetry(() => suite.driver.listImages({ region }));
      expect(images.length).toBeGreaterThan(0);
      for (const image of images) {
        expectValid(ImageSchema, image, `image ${image.id}`);
        expect(image.provider, `image ${image.id}: provider`).toBe(suite.provider);
        expect(image.region, `image ${image.id}: region`).toBe(region);
        expect(image.id, 'image id').toBe(`${suite.provider}+${region}+${image.cspImageId}`);
      }
      expect(images.map((image) => image.id)).toContain(suite.harness.imageId);
    });

    it('listImages filters by os and arch', async () => {
      const { region } = suite.harness;
      const ubuntu = await withRetry(() => suite.driver.listImages({ region, os: 'ubuntu', arch: 'x86_64' }));
      for (const image of ubuntu) {
        expect(image.os, `image ${image.id}: os`).toBe('ubuntu');
        expect(image.arch, `image ${image.id}: arch`).toBe('x86_64');
      }
      const arm = await withRetry(() => suite.driver.listImages({ region, arch: 'arm64' }));
      for (const image of arm) expect(image.arch, `image ${image.id}: arch`).toBe('arm64');
    });

    it('getImage returns the listed harness image: Ubuntu, of the harness spec architecture', async () => {
      const { region, imageId } = suite.harness;
      const listed = (await withRetry(() => suite.driver.listImages({ region }))).find(
        (image) => image.id === imageId,
      );
      const image = await withRetry(() => suite.driver.getImage(imageId));
      expectValid(ImageSchema, image, `getImage ${imageId}`);
      expect(image).toEqual(listed);
      expect(image.os).toBe('ubuntu');
      expect(image.arch).toBe((await listedSpec()).arch);
    });

    it('getImage of an unknown id throws NotFoundError', async () => {
      await suite.expectError('getImage(unknown)', () => suite.driver.getImage(missingId()), [NotFoundError]);
    });
  });
}
