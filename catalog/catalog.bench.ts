/**
 * Catalog benchmark: how long loading the shipped data takes and how big it is.
 * Run with `npm run bench:catalog`; prints figures, asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { loadImages, loadLatency, loadRegions, loadSpecs } from './load/index.ts';

function timed<T>(label: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  const elapsed = performance.now() - started;
  const count = Array.isArray(result) ? result.length : 0;
  console.log(`${label.padEnd(14)} ${String(count).padStart(7)} rows  ${elapsed.toFixed(0).padStart(6)} ms`);
  return result;
}

const before = process.memoryUsage().rss;
const started = performance.now();
timed('regions', loadRegions);
const specs = timed('specs', loadSpecs);
timed('images', loadImages);
timed('latency', loadLatency);
console.log(
  `total load     ${(performance.now() - started).toFixed(0)} ms, rss +${((process.memoryUsage().rss - before) / 2 ** 20).toFixed(0)} MiB`,
);
const priced = specs.filter((spec) => spec.pricePerHour !== null).length;
console.log(`priced specs   ${priced} of ${specs.length} (${((priced / specs.length) * 100).toFixed(1)}%)`);
