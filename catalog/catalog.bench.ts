/**
 * Catalog benchmark (`npm run bench:catalog`): loading the shipped data, building the LanceDB index,
 * reopening it, and >= 500 mixed searchSpecs queries (structured, place-based, Korean, fuzzy text)
 * timed through the Catalog and through the brute-force scan, side by side, with how many answers
 * agree. Structured queries also run through LanceDB scalar queries, the measurement behind the
 * in-memory scan being the default. Prints figures, asserts nothing.
 *
 * The build and the cold reopen run in child processes, so they start with nothing loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Catalog } from './catalog.ts';
import { LocalEmbedding } from './index/index.ts';
import { loadImages, loadLatency, loadRegions, loadSpecs } from './load/index.ts';
import { BruteForceCatalog } from './query/brute-force.ts';
import type {
  RecommendSpecsInput,
  SearchImagesInput,
  SearchRegionsInput,
  SearchSpecsInput,
  SpecHit,
} from './types.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

// ---------------------------------------------------------------------------------------------
// Child processes: a cold build and a cold reopen
// ---------------------------------------------------------------------------------------------

interface ChildReport {
  importMs: number;
  openMs: number;
  built: boolean;
  buildMs: number;
  firstQueryMs: number;
  peakRss: number;
}

async function child(home: string): Promise<void> {
  const started = performance.now();
  const { Catalog: ColdCatalog } = await import('./catalog.ts');
  const imported = performance.now();
  const catalog = await ColdCatalog.open({ home, embedding: new LocalEmbedding() });
  const opened = performance.now();
  await catalog.searchSpecs({ gpu: { minMemoryGiB: 24 }, regions: ['aws+ap-northeast-2'], sort: 'cost' });
  const queried = performance.now();
  const report: ChildReport = {
    importMs: imported - started,
    openMs: opened - imported,
    built: catalog.openReport.built,
    buildMs: catalog.openReport.meta.buildMs,
    firstQueryMs: queried - opened,
    peakRss: peakRss(),
  };
  catalog.close();
  console.log(JSON.stringify(report));
}

function runChild(home: string): ChildReport {
  const result = spawnSync(
    process.execPath,
    ['bin/run-ts.mjs', 'catalog/catalog.bench.ts', '--child', home],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 16 * 2 ** 20,
    },
  );
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !line.startsWith('{')) {
    throw new Error(`benchmark child failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  return JSON.parse(line) as ChildReport;
}

// ---------------------------------------------------------------------------------------------
// Queries: a deterministic mix
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small seeded generator, so every run asks the same queries. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'structured' | 'place' | 'korean' | 'fuzzy';

interface BenchQuery {
  kind: Kind;
  input: SearchSpecsInput;
}

const PLACES: [string, string][] = [
  ['Seoul', '서울'],
  ['Tokyo', '도쿄'],
  ['Osaka', '오사카'],
  ['Singapore', '싱가포르'],
  ['Frankfurt', '프랑크푸르트'],
  ['London', '런던'],
  ['Paris', '파리'],
  ['Sydney', '시드니'],
  ['Mumbai', '뭄바이'],
  ['Virginia', '버지니아'],
  ['Oregon', '오리건'],
  ['Hong Kong', '홍콩'],
  ['Korea', '한국'],
  ['Japan', '일본'],
  ['Europe', '유럽'],
  ['US east', '미국 동부'],
  ['Tokyo or Osaka', '도쿄나 오사카'],
];
const GPUS: [string, string][] = [
  ['A100', '엔비디아 A100'],
  ['H100', '에이치백'],
  ['A100 80GB', 'A100 80기가'],
  ['L4', '엔비디아 L4'],
  ['T4', '엔비디아 T4'],
  ['V100', '브이백'],
  ['A10G', '엔비디아 A10G'],
];
const PROVIDER_SETS = [
  ['aws'],
  ['gcp'],
  ['azure'],
  ['aws', 'gcp'],
  ['nhn', 'kt', 'ncp'],
  ['alibaba', 'tencent'],
] as const;
const SORTS = ['cost', 'cost', 'performance', 'distance', 'latency'] as const;

function makeQueries(): BenchQuery[] {
  const next = random(20261128);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const maybe = (probability: number) => next() < probability;
  const specs = loadSpecs();
  const regions = new Map(loadRegions().map((region) => [region.id, region]));

  /** Random structured filters (no place). */
  const filters = (): SearchSpecsInput => {
    const input: SearchSpecsInput = {};
    if (maybe(0.4)) input.providers = [...pick(PROVIDER_SETS)];
    else if (maybe(0.2)) input.excludeProviders = ['azure'];
    if (maybe(0.5)) {
      const vcpu = pick([1, 2, 4, 8, 16, 32, 64]);
      input.minVcpu = vcpu;
      if (maybe(0.5)) input.maxVcpu = vcpu * 2;
    }
    if (maybe(0.4)) input.minMemoryGiB = pick([2, 4, 8, 16, 32, 64, 128]);
    if (maybe(0.15)) input.arch = 'arm64';
    if (maybe(0.35)) {
      input.gpu = {};
      if (maybe(0.5)) input.gpu.model = pick(GPUS)[0];
      if (maybe(0.3)) input.gpu.minCount = pick([1, 2, 4, 8]);
      if (maybe(0.3)) input.gpu.minMemoryGiB = pick([16, 24, 48, 80]);
    } else if (maybe(0.2)) input.noGpu = true;
    if (maybe(0.15)) input.spot = true;
    if (maybe(0.25)) input.maxPricePerHour = pick([0.05, 0.2, 1, 5, 20]);
    return input;
  };

  const queries: BenchQuery[] = [];
  for (let index = 0; index < 180; index++) {
    const input = filters();
    input.sort = pick(['cost', 'cost', 'performance'] as const);
    if (maybe(0.2)) input.latencyFrom = pick(['aws+ap-northeast-2', 'gcp+us-central1', 'Seoul', 'Frankfurt']);
    if (input.latencyFrom && maybe(0.5)) input.sort = 'latency';
    queries.push({ kind: 'structured', input });
  }
  for (let index = 0; index < 120; index++) {
    const [english, korean] = pick(PLACES);
    const input: SearchSpecsInput & { near: { place: string; radiusKm?: number } } = {
      ...filters(),
      near: { place: english },
      sort: pick(SORTS),
    };
    if (maybe(0.15)) input.near = { place: english, radiusKm: pick([300, 1500, 3000]) as number };
    queries.push({ kind: 'place', input });
    if (index % 3 === 0) {
      const model = input.gpu?.model;
      const koreanGpu = model ? GPUS.find(([name]) => name === model)?.[1] : undefined;
      queries.push({
        kind: 'korean',
        input: {
          ...input,
          near: { ...input.near, place: korean },
          ...(koreanGpu && input.gpu ? { gpu: { ...input.gpu, model: koreanGpu } } : {}),
        },
      });
    }
  }
  // Fuzzy text: spec names with their city, GPU models with places, loose words; half with filters.
  const koreanCity = new Map(PLACES.map(([english, korean]) => [english, korean]));
  for (let index = 0; index < 150; index++) {
    const spec = pick(specs);
    const region = regions.get(`${spec.provider}+${spec.region}`);
    const city = region?.city ?? region?.code ?? '';
    const [english] = pick(PLACES);
    const text = pick([
      `${spec.name.replace(/[._-]/g, ' ')} ${city}`,
      `${spec.name} ${region?.code ?? ''}`,
      `${pick(GPUS)[0]} ${english}`,
      `${spec.provider} ${spec.name.split(/[._-]/)[0]} ${city}`,
      pick([
        'cheap gpu',
        'gpu for inference',
        'arm graviton',
        'high memory',
        'burstable small',
        'ubuntu gpu',
      ]),
    ]);
    const input: SearchSpecsInput = maybe(0.5) ? { ...filters(), text } : { text };
    queries.push({ kind: 'fuzzy', input });
    if (index % 3 === 0) {
      const korean = koreanCity.get(city) ?? koreanCity.get(english);
      if (korean) {
        queries.push({ kind: 'korean', input: { ...input, text: `${korean} ${spec.name}` } });
      } else {
        queries.push({
          kind: 'korean',
          input: { ...input, text: pick(['그래픽카드 싼 거', '서울 그래픽카드', '도쿄 메모리']) },
        });
      }
    }
  }
  return queries;
}

// ---------------------------------------------------------------------------------------------
// Timing and agreement
// ---------------------------------------------------------------------------------------------

function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

const signature = (hits: SpecHit[]) =>
  hits.map((hit) => `${hit.spec.id}|${hit.pricePerHour}|${hit.score}|${hit.distanceKm}|${hit.latencyMs}`);

/** Equal, or equal but for rows whose relevance differs by float16 rounding (<= 2e-4) and swaps among them. */
function agreesWithinRounding(mine: SpecHit[], reference: SpecHit[]): boolean {
  if (mine.length !== reference.length) return false;
  return mine.every((hit, index) => {
    const other = reference[index] as SpecHit;
    if (hit.spec.id === other.spec.id) return true;
    return hit.score !== null && other.score !== null && Math.abs(hit.score - other.score) <= 2e-4;
  });
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; result: T | Error }> {
  const started = performance.now();
  try {
    const result = await work();
    return { ms: performance.now() - started, result };
  } catch (error) {
    return { ms: performance.now() - started, result: error as Error };
  }
}

function row(label: string, samples: number[], reference?: number[]): string {
  const p50 = percentile(samples, 0.5);
  const p99 = percentile(samples, 0.99);
  let text = `${label.padEnd(26)} ${String(samples.length).padStart(4)}  p50 ${p50.toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms`;
  if (reference) {
    const r50 = percentile(reference, 0.5);
    const r99 = percentile(reference, 0.99);
    text += `   | brute p50 ${r50.toFixed(1).padStart(6)} ms  p99 ${r99.toFixed(1).padStart(6)} ms  | ×${(r50 / p50).toFixed(1)} at p50`;
  }
  return text;
}

async function main(): Promise<void> {
  console.log('--- loading the shipped data (this process, cold) ---');
  const loadTimed = <T>(label: string, work: () => T): T => {
    const started = performance.now();
    const result = work();
    const count = Array.isArray(result) ? result.length : 0;
    console.log(
      `${label.padEnd(14)} ${String(count).padStart(7)} rows  ${(performance.now() - started).toFixed(0).padStart(6)} ms`,
    );
    return result;
  };
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const regions = loadTimed('regions', loadRegions);
  const specs = loadTimed('specs', loadSpecs);
  const images = loadTimed('images', loadImages);
  const latency = loadTimed('latency', loadLatency);
  console.log(
    `total load     ${(performance.now() - started).toFixed(0)} ms, rss +${mib(process.memoryUsage().rss - before)}`,
  );
  const priced = specs.filter((spec) => spec.pricePerHour !== null).length;
  console.log(`priced specs   ${priced} of ${specs.length} (${((priced / specs.length) * 100).toFixed(1)}%)`);

  const home = mkdtempSync(join(tmpdir(), 's2a-catalog-bench-'));
  try {
    console.log('\n--- index (child processes, cold) ---');
    const build = runChild(home);
    console.log(
      `build          ${(build.buildMs / 1000).toFixed(1)} s from the loaders to a ready LanceDB (open ${(build.openMs / 1000).toFixed(1)} s in all), peak RSS ${mib(build.peakRss)}`,
    );
    const reopen = runChild(home);
    console.log(
      `reopen         ${reopen.openMs.toFixed(0)} ms (built: ${reopen.built}); modules ${reopen.importMs.toFixed(0)} ms; first structured query ${reopen.firstQueryMs.toFixed(0)} ms (reads the columns); peak RSS ${mib(reopen.peakRss)}`,
    );

    const embedding = new LocalEmbedding();
    const openStarted = performance.now();
    const catalog = await Catalog.open({ home, embedding });
    const lance = await Catalog.open({ home, embedding, structured: 'lance' });
    console.log(`reopen here    ${(performance.now() - openStarted).toFixed(0)} ms for two handles`);
    const meta = catalog.openReport.meta;
    console.log(
      `rows           specs ${meta.rows.specs}, regions ${meta.rows.regions}, images ${meta.rows.images}, latency pairs ${meta.rows.latency}; vectors ${meta.dimensions}-d float16 (${meta.embedding}), IVF_FLAT ${meta.vectorPartitions} partitions probed in full`,
    );
    console.log(`index on disk  ${mib(catalog.index.sizeBytes())} (${catalog.openReport.dir})`);

    const brute = new BruteForceCatalog({ regions, specs, images, latency }, embedding);
    const queries = makeQueries();
    // Warm both: columns, vectors, places and the brute-force embeddings of every row.
    const warmStarted = performance.now();
    await catalog.searchSpecs({ near: { place: 'Seoul' } });
    await catalog.searchSpecs({ text: 'warm up' });
    await lance.searchSpecs({ minVcpu: 2 });
    await brute.searchSpecs({ text: 'warm up' });
    await brute.searchRegions({ text: 'warm up' });
    await brute.searchImages({ text: 'warm up' });
    console.log(
      `warm-up        ${(performance.now() - warmStarted).toFixed(0)} ms (brute force embeds every row once)`,
    );

    console.log(`\n--- ${queries.length} searchSpecs queries, catalog vs brute-force scan ---`);
    const samples: Record<Kind | 'all', number[]> = {
      structured: [],
      place: [],
      korean: [],
      fuzzy: [],
      all: [],
    };
    const references: Record<Kind | 'all', number[]> = {
      structured: [],
      place: [],
      korean: [],
      fuzzy: [],
      all: [],
    };
    const lanceSamples: number[] = [];
    const memorySamples: number[] = [];
    let exact = 0;
    let withinRounding = 0;
    let bothFailed = 0;
    let empty = 0;
    const disagreements: string[] = [];
    // The catalog's queries first, then the reference's: interleaved, the brute-force scan's
    // garbage (85k hits per query) is collected during the catalog's timings.
    const mineAll: Awaited<ReturnType<typeof time<SpecHit[]>>>[] = [];
    for (const query of queries) {
      const mine = await time(() => catalog.searchSpecs(query.input));
      mineAll.push(mine);
      for (const kind of [query.kind, 'all'] as const) samples[kind].push(mine.ms);
    }
    const slowest = queries
      .map((query, index) => ({ query, ms: mineAll[index]?.ms ?? 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3);
    for (const query of queries) {
      if (query.kind === 'structured' || (query.kind === 'place' && query.input.text === undefined)) {
        memorySamples.push(samples.all[queries.indexOf(query)] ?? 0);
        lanceSamples.push((await time(() => lance.searchSpecs(query.input))).ms);
      }
    }
    for (const [index, query] of queries.entries()) {
      const mine = mineAll[index] as Awaited<ReturnType<typeof time<SpecHit[]>>>;
      const reference = await time(() => brute.searchSpecs(query.input));
      for (const kind of [query.kind, 'all'] as const) references[kind].push(reference.ms);
      if (mine.result instanceof Error || reference.result instanceof Error) {
        if (mine.result instanceof Error && reference.result instanceof Error) {
          bothFailed++;
          if (mine.result.message === reference.result.message) exact++;
        } else disagreements.push(`${JSON.stringify(query.input)}: one side failed`);
        continue;
      }
      if (mine.result.length === 0) empty++;
      if (JSON.stringify(signature(mine.result)) === JSON.stringify(signature(reference.result))) exact++;
      else if (agreesWithinRounding(mine.result, reference.result)) withinRounding++;
      else disagreements.push(JSON.stringify(query.input));
    }
    for (const kind of ['structured', 'place', 'korean', 'fuzzy'] as const) {
      console.log(row(kind, samples[kind], references[kind]));
    }
    console.log(row('searchSpecs, all', samples.all, references.all));
    console.log(
      `agreement      ${exact} of ${queries.length} identical (ids, prices, scores, distances, latencies), ${withinRounding} equal but for float16 rounding of relevance, ${disagreements.length} differ; ${bothFailed} refused by both with an input error, ${empty} empty answers`,
    );
    for (const line of disagreements.slice(0, 5)) console.log(`  differs: ${line}`);
    for (const { query, ms } of slowest)
      console.log(`  slowest: ${ms.toFixed(0)} ms ${query.kind} ${JSON.stringify(query.input)}`);

    console.log('\n--- structured queries: in-memory columns (default) vs LanceDB scalar queries ---');
    console.log(row('in-memory scan', memorySamples));
    console.log(row('LanceDB .where() scan', lanceSamples));

    console.log('\n--- the other calls ---');
    const others: [string, () => Promise<unknown>, () => Promise<unknown>][] = [];
    const recommend: RecommendSpecsInput[] = PLACES.slice(0, 10).map(([place], index) => ({
      gpu: index % 2 === 0 ? {} : undefined,
      near: { place },
      weights: { cost: 1, performance: index / 4, distance: index % 3 },
    }));
    for (const input of recommend) {
      others.push(['recommendSpecs', () => catalog.recommendSpecs(input), () => brute.recommendSpecs(input)]);
    }
    const regionQueries: SearchRegionsInput[] = PLACES.flatMap(([english, korean]) => [
      { near: { place: english } },
      { text: korean },
    ]);
    for (const input of regionQueries) {
      others.push(['searchRegions', () => catalog.searchRegions(input), () => brute.searchRegions(input)]);
    }
    const imageQueries: SearchImagesInput[] = [...regions.slice(0, 15)].flatMap((region) => [
      { region: region.id, os: 'ubuntu' },
      { text: `ubuntu 22.04 gpu ${region.city ?? region.code}` },
    ]);
    for (const input of imageQueries) {
      others.push(['searchImages', () => catalog.searchImages(input), () => brute.searchImages(input)]);
    }
    const byName = new Map<string, { mine: number[]; reference: number[] }>();
    for (const [name, mine, reference] of others) {
      const entry = byName.get(name) ?? { mine: [], reference: [] };
      entry.mine.push((await time(mine)).ms);
      entry.reference.push((await time(reference)).ms);
      byName.set(name, entry);
    }
    for (const [name, entry] of byName) console.log(row(name, entry.mine, entry.reference));
    const costs: number[] = [];
    const ids = specs.filter((_, index) => index % 997 === 0).map((spec) => spec.id);
    for (const id of ids) {
      costs.push((await time(() => catalog.estimateCost({ nodeGroups: [{ specId: id, size: 3 }] }))).ms);
    }
    console.log(row('estimateCost', costs));

    const p50 = percentile(samples.all, 0.5);
    const p99 = percentile(samples.all, 0.99);
    console.log('\n--- acceptance (issue 3) ---');
    console.log(`build < 60 s:                  ${(build.buildMs / 1000).toFixed(1)} s`);
    console.log(`searchSpecs p50 <= 20 ms:      ${p50.toFixed(1)} ms`);
    console.log(`searchSpecs p99 <= 100 ms:     ${p99.toFixed(1)} ms`);
    console.log(`peak RSS (this process):       ${mib(peakRss())}`);
    catalog.close();
    lance.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string);
} else {
  await main();
}
