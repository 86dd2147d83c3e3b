/**
 * npm run bench:mci — 500 nodes across >= 40 regions of >= 8 providers on the sim, with the
 * providers' latencies and rate limits, 2% random retryable faults on every call, at a time scale
 * that keeps the run short. Prints wall time against the critical-path lower bound (the slowest
 * region's dependent chain under the same latencies and rate limits), API calls, retries and
 * leaked resources (after the MCI is deleted, and orphans while it exists).
 *
 * Settings: S2A_BENCH_TIME_SCALE (default 0.05), S2A_BENCH_NODES (500), S2A_BENCH_REGIONS_PER_PROVIDER (6).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_PROFILES } from '../drivers/sim/sim-profiles.ts';
import { type CloudDriver, PROVIDERS, type ProviderId, type Spec } from '../drivers/spec/index.ts';
import { Runtime } from '../runtime/runtime.ts';
import { MciEngine } from './engine.ts';
import { DEFAULT_RETRY, withRetry } from './limits.ts';
import { ListSpecResolver } from './resolver.ts';
import { InMemoryKeyVault } from './testing/mci-test-kit.ts';

const timeScale = Number(process.env.S2A_BENCH_TIME_SCALE ?? 0.05);
const totalNodes = Number(process.env.S2A_BENCH_NODES ?? 500);
const regionsPerProvider = Number(process.env.S2A_BENCH_REGIONS_PER_PROVIDER ?? 6);
const home = mkdtempSync(join(tmpdir(), 's2a-bench-mci-'));
const runtime = await Runtime.open({
  home,
  environment: {},
  sim: {
    account: 'bench',
    timeScale,
    seed: 42,
    faults: [{ kind: 'error', rate: 0.02, retryAfterMs: 1000, delayMs: 2000, applied: false }],
  },
});

// Provider API calls, counted at the driver boundary.
const calls = new Map<ProviderId, number>();
const counted = new Map<ProviderId, CloudDriver>();
async function drivers(provider: ProviderId): Promise<CloudDriver> {
  const existing = counted.get(provider);
  if (existing) return existing;
  const inner = await runtime.driver(provider);
  const proxy = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      return (...parameters: unknown[]) => {
        calls.set(provider, (calls.get(provider) ?? 0) + 1);
        return value.apply(target, parameters);
      };
    },
  });
  counted.set(provider, proxy);
  return proxy;
}

// Placement: the cheapest 2-vCPU x86 spec with an Ubuntu image in the first regions of every provider.
const world = runtime.world;
const placements: { provider: ProviderId; regionId: string; spec: Spec }[] = [];
for (const provider of PROVIDERS) {
  const regions = world.regions.filter((region) => region.provider === provider);
  let taken = 0;
  for (const region of regions) {
    if (taken >= regionsPerProvider) break;
    const hasImage = world.images.some(
      (image) =>
        image.provider === provider &&
        image.region === region.code &&
        image.os === 'ubuntu' &&
        image.arch === 'x86_64',
    );
    const spec = world.specs
      .filter(
        (candidate) =>
          candidate.provider === provider &&
          candidate.region === region.code &&
          candidate.arch === 'x86_64' &&
          candidate.gpu === null &&
          candidate.vcpu >= 2 &&
          candidate.pricePerHour !== null &&
          (candidate.zones === undefined || candidate.zones.length > 0),
      )
      .sort((a, b) => (a.pricePerHour ?? 0) - (b.pricePerHour ?? 0))[0];
    if (!hasImage || !spec) continue;
    placements.push({ provider, regionId: region.id, spec });
    taken++;
  }
}
const providersUsed = new Set(placements.map((placement) => placement.provider));
const base = Math.floor(totalNodes / placements.length);
const nodeGroups = placements.map((placement, index) => ({
  name: `g${index}`,
  specId: placement.spec.id,
  size: base + (index < totalNodes - base * placements.length ? 1 : 0),
}));

// Critical-path lower bound per region: vNet → (subnet | security group | key pair) → createVm →
// boot, where the last createVm also waits for the region's mutate bucket (real time, unscaled).
function regionBoundMs(provider: ProviderId, nodes: number): number {
  const profile = PROVIDER_PROFILES[provider];
  const api = profile.latency.apiMilliseconds * timeScale;
  const boot = profile.latency.bootSeconds * 1000 * timeScale;
  const mutations = 4 + nodes;
  const bucket = profile.rateLimits.mutate;
  const tokenWaitMs = Math.max(0, ((mutations - bucket.burst) / bucket.perSecond) * 1000);
  return Math.max(3 * api + boot, tokenWaitMs + api + boot);
}
const boundMs = Math.max(
  ...placements.map((placement, index) => regionBoundMs(placement.provider, nodeGroups[index]?.size ?? 0)),
);

const engine = new MciEngine({
  store: runtime.store,
  drivers,
  keyVault: new InMemoryKeyVault(),
  resolver: new ListSpecResolver(world.specs, world.regions),
  owner: 'bench',
  pollIntervalMs: 100,
  retry: { baseDelayMs: 100, maxDelayMs: 2000, maxAttempts: 10 },
});

console.log(
  `bench:mci — ${totalNodes} nodes in ${placements.length} regions of ${providersUsed.size} providers (${[...providersUsed].join(', ')}), time scale ${timeScale}, 2% faults`,
);
const started = performance.now();
const { operationId } = await engine.createMci({ name: 'bench', nodeGroups });
const operation = await engine.wait(operationId);
const wallMs = performance.now() - started;
const mci = await engine.getMci('bench');
const orphansWhileUp = (await engine.sweepOrphans({ providers: [...providersUsed] })).orphans.length;
const createCalls = [...calls.values()].reduce((sum, count) => sum + count, 0);

const deleteStarted = performance.now();
const deletion = await engine.wait((await engine.deleteMci('bench')).operationId);
const deleteMs = performance.now() - deleteStarted;
let leaked = 0;
for (const provider of providersUsed) {
  const driver = await runtime.driver(provider);
  // The 2% faults hit these reads too: retry them.
  const read = <T>(work: () => Promise<T>) => withRetry(work, { ...DEFAULT_RETRY, maxAttempts: 20 });
  const lists = await Promise.all([
    read(() => driver.listVms({})),
    read(() => driver.listSecurityGroups({})),
    read(() => driver.listKeyPairs({})),
    read(() => driver.listSubnets({})),
    read(() => driver.listVNets({})),
  ]);
  leaked += lists
    .flat()
    .filter((item) => Object.keys(item.tags).some((key) => key.startsWith('s2a:'))).length;
}
const failovers = (await engine.getOperation(operationId)).events.filter((event) =>
  /failing over|trying zone/.test(event.message),
).length;

console.log(`create:            ${operation.status}, ${mci.status}`);
console.log(`wall time:         ${(wallMs / 1000).toFixed(2)} s`);
console.log(`critical path:     ${(boundMs / 1000).toFixed(2)} s (lower bound)`);
console.log(`ratio:             ${(wallMs / boundMs).toFixed(2)}`);
console.log(
  `API calls:         ${createCalls} for create, ${[...calls.values()].reduce((sum, count) => sum + count, 0)} with delete`,
);
console.log(`retries:           ${engine.statistics.retries} (${engine.statistics.throttled} throttled)`);
console.log(`failovers:         ${failovers}`);
console.log(`orphans while up:  ${orphansWhileUp}`);
console.log(`delete:            ${deletion.status} in ${(deleteMs / 1000).toFixed(2)} s`);
console.log(`leaked resources:  ${leaked}`);
await engine.close();
await runtime.close();
rmSync(home, { recursive: true, force: true });
