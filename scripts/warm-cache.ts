/**
 * Run by `npm install` (postinstall): parses the shipped catalog data and builds the catalog index
 * once into the per-user cache (S2A_CACHE_DIR), so the first `s2a` command of a fresh clone copies
 * it in a fraction of a second instead of spending ~15–40 s building it. Never fails the install:
 * without the cache every command still works, only its first run is slower.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cacheDirectory } from '../catalog/load/disk-cache.ts';

const directory = cacheDirectory();
if (directory === undefined || process.env.S2A_SKIP_WARM_CACHE === '1') {
  console.log('s2a: catalog cache disabled (S2A_CACHE_DIR=off or S2A_SKIP_WARM_CACHE=1); skipping warm-up');
} else {
  const started = performance.now();
  const home = mkdtempSync(join(tmpdir(), 's2a-warm-'));
  try {
    const { Runtime } = await import('../runtime/runtime.ts');
    const runtime = await Runtime.open({ home, environment: { ...process.env, S2A_CONNECTIONS: '' } });
    void runtime.world;
    const catalog = await runtime.catalog();
    await catalog.searchSpecs({ near: { place: 'Seoul' }, gpu: { minCount: 1 }, sort: 'cost', limit: 1 });
    const report = catalog.openReport;
    await runtime.close();
    console.log(
      `s2a: catalog cache ready in ${directory} (${((performance.now() - started) / 1000).toFixed(1)} s; index ${report.built ? 'built' : 'already there'})`,
    );
  } catch (error) {
    console.warn(
      `s2a: could not prepare the catalog cache (${error instanceof Error ? error.message : String(error)}); the first command will build it instead`,
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
