/**
 * Runs every benchmark in turn (`npm run bench`). Each prints its own figures and ratios.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BENCHMARKS = [
  'store/store.bench.ts',
  'catalog/catalog.bench.ts',
  'drivers/sim/sim.bench.ts',
  'mci/mci.bench.ts',
];

let failed = 0;
for (const file of BENCHMARKS) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['bin/run-ts.mjs', file], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
