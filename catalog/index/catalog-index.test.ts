import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Image, Spec } from '../../drivers/spec/index.ts';
import { Catalog } from '../catalog.ts';
import { loadImages, loadLatency, loadRegions, loadSpecs } from '../load/index.ts';
import { CatalogIndex, type IndexSource, LocalEmbedding, ROW_ENRICHER } from './index.ts';

/** A small world (four providers, a few hundred specs) so builds take well under a second. */
const PROVIDERS_HERE = new Set(['kt', 'nhn', 'ncp', 'openstack']);
const regions = loadRegions().filter((region) => PROVIDERS_HERE.has(region.provider));
const specs = loadSpecs().filter((spec) => PROVIDERS_HERE.has(spec.provider));
const images = loadImages().filter((image) => PROVIDERS_HERE.has(image.provider));
const regionIds = new Set(regions.map((region) => region.id));
const latency = loadLatency().filter((row) => regionIds.has(row.from) && regionIds.has(row.to));

function source(version: string): IndexSource {
  return {
    fingerprint: () => `small-world-${version}`,
    regions: () => regions,
    specs: () => specs,
    images: () => images,
    latency: () => latency,
  };
}

const embedding = new LocalEmbedding();
let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 's2a-index-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

const open = (version = 'a') =>
  CatalogIndex.open({ home, embedding, source: source(version), enricher: ROW_ENRICHER });

describe('CatalogIndex', () => {
  it('builds on first open, then opens what it built', async () => {
    const first = await open();
    expect(first.report.built).toBe(true);
    expect(first.report.meta.rows).toEqual({
      specs: specs.length,
      regions: regions.length,
      images: images.length,
      latency: latency.length,
    });
    expect(first.report.meta.embedding).toBe(embedding.name);
    expect(first.report.dir.startsWith(join(home, 'catalog', 'lance-'))).toBe(true);
    expect(await first.index.regions()).toEqual(
      [...regions].sort((a, b) => (a.id < b.id ? -1 : 1)).map((region) => expect.objectContaining(region)),
    );
    expect(await first.index.images()).toHaveLength(images.length);
    first.index.close();

    const second = await open();
    expect(second.report.built).toBe(false);
    expect(second.report.dir).toBe(first.report.dir);
    second.index.close();
  });

  it('rebuilds when the data or the embedding change, and removes the old build', async () => {
    const before = await open();
    before.index.close();
    const after = await open('b');
    expect(after.report.built).toBe(true);
    expect(after.report.dir).not.toBe(before.report.dir);
    expect(existsSync(before.report.dir)).toBe(false);
    after.index.close();
    const other = await CatalogIndex.open({
      home,
      embedding: new LocalEmbedding(64),
      source: source('b'),
      enricher: ROW_ENRICHER,
    });
    expect(other.report.built).toBe(true);
    expect(other.report.meta.dimensions).toBe(64);
    other.index.close();
    expect(readdirSync(join(home, 'catalog')).filter((entry) => entry.startsWith('lance-'))).toHaveLength(1);
  });

  it('copies a build shared by another home instead of building again', async () => {
    const shared = mkdtempSync(join(tmpdir(), 's2a-prebuilt-'));
    const homes = [mkdtempSync(join(tmpdir(), 's2a-home-a-')), mkdtempSync(join(tmpdir(), 's2a-home-b-'))];
    try {
      const openIn = (where: string) =>
        CatalogIndex.open({
          home: where,
          embedding,
          source: source('shared'),
          enricher: ROW_ENRICHER,
          prebuiltDir: shared,
        });
      const first = await openIn(homes[0] as string);
      expect(first.report).toMatchObject({ built: true, copied: false });
      first.index.close();
      expect(readdirSync(shared)).toEqual([basename(first.report.dir)]);

      const second = await openIn(homes[1] as string);
      expect(second.report).toMatchObject({ built: false, copied: true });
      expect(second.report.dir.startsWith(homes[1] as string)).toBe(true);
      expect(second.report.meta.fingerprint).toBe(first.report.meta.fingerprint);
      expect(await second.index.images()).toHaveLength(images.length);
      second.index.close();
    } finally {
      for (const path of [shared, ...homes]) rmSync(path, { recursive: true, force: true });
    }
  });

  it('survives two processes building at once (both open the same folder)', async () => {
    const [one, two] = await Promise.all([open('c'), open('c')]);
    expect(one.report.dir).toBe(two.report.dir);
    expect(await one.index.regions()).toEqual(await two.index.regions());
    one.index.close();
    two.index.close();
    expect(readdirSync(join(home, 'catalog')).filter((entry) => entry.startsWith('build-'))).toEqual([]);
  });

  it('refuses specs in regions it does not know, ids of another shape and invalid rows', async () => {
    const { index } = await open('c');
    const stray: Spec = { ...(specs[0] as Spec), provider: 'kt', id: 'kt+NOWHERE+x', region: 'NOWHERE' };
    await expect(index.upsertSpecs([stray])).rejects.toThrow(/unknown region\(s\) kt\+NOWHERE/);
    const misnamed: Spec = { ...(specs[0] as Spec), id: 'x+y+z' };
    await expect(index.upsertSpecs([misnamed])).rejects.toThrow(
      /id "x\+y\+z" is not "provider\+region\+name"/,
    );
    const invalid = { ...(specs[0] as Spec), vcpu: -1 };
    await expect(index.upsertSpecs([invalid])).rejects.toThrow(/upsertSpecs: row .* vcpu/);
    index.close();
  });
});

describe('upserts through the Catalog', () => {
  it('updates and inserts specs and images by id; this process and others see them', async () => {
    const writer = await Catalog.open({ home, embedding, source: source('d'), freshnessCheckMs: 0 });
    const reader = await Catalog.open({ home, embedding, source: source('d'), freshnessCheckMs: 0 });
    const kt = specs.find((spec) => spec.id === 'kt+KR1+2x4.itl') as Spec;
    const before = await reader.searchSpecs({ providers: ['kt'], minVcpu: 2, maxVcpu: 2, limit: 100 });
    expect(before.map((hit) => hit.spec.id)).toContain(kt.id);

    const cheaper: Spec = { ...kt, pricePerHour: 1, fetchedAt: '2026-11-28' };
    const added: Spec = { ...kt, id: 'kt+KR1+2x4.new', name: '2x4.new', pricePerHour: 2 };
    expect(await writer.upsertSpecs([cheaper, added])).toEqual({ upserted: 2 });
    const mine = await writer.searchSpecs({
      providers: ['kt'],
      minVcpu: 2,
      maxVcpu: 2,
      sort: 'cost',
      limit: 2,
    });
    expect(mine.map((hit) => hit.spec)).toEqual([cheaper, added]);
    const theirs = await reader.searchSpecs({
      providers: ['kt'],
      minVcpu: 2,
      maxVcpu: 2,
      sort: 'cost',
      limit: 2,
    });
    expect(theirs.map((hit) => hit.spec)).toEqual([cheaper, added]);
    expect((await reader.rowsByProvider()).kt.specs).toBe(
      specs.filter((spec) => spec.provider === 'kt').length + 1,
    );

    // The text path reads LanceDB directly: the new row is there, embedded.
    const fuzzy = await reader.searchSpecs({ text: 'kt 2x4.new', limit: 3 });
    expect(fuzzy.map((hit) => hit.spec.id)).toContain('kt+KR1+2x4.new');

    const image = images.find((each) => each.provider === 'kt') as Image;
    const renamed: Image = { ...image, name: 'Ubuntu 24.04 refreshed', osVersion: '24.04' };
    await writer.upsertImages([renamed]);
    const found = await reader.searchImages({ region: `kt+${image.region}`, osVersion: '24.04' });
    expect(found).toContainEqual(renamed);
    writer.close();
    reader.close();
  });
});
