/**
 * Sim benchmark: what one emulated call costs, so engine benchmarks built on the sim measure the
 * engine and not the emulator. Prints figures and ratios; run with `npm run bench:sim`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from '../../store/index.ts';
import { SimDriver } from './sim-driver.ts';
import { fixtureWorld } from './testing/fixture-world.ts';
import { createNetworkStack, vmRequest } from './testing/sim-test-kit.ts';

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((first, second) => first - second);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

async function timeEach(count: number, work: (index: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const start = performance.now();
    await work(index);
    samples.push(performance.now() - start);
  }
  return samples;
}

function report(label: string, samples: number[]): void {
  const total = samples.reduce((sum, value) => sum + value, 0);
  console.log(
    `${label.padEnd(44)} ${String(samples.length).padStart(5)} calls  ${(samples.length / (total / 1000)).toFixed(0).padStart(6)}/s  p50 ${percentile(samples, 0.5).toFixed(2)} ms  p95 ${percentile(samples, 0.95).toFixed(2)} ms`,
  );
}

const home = mkdtempSync(join(tmpdir(), 's2a-bench-sim-'));
const store = await openStore({ home });
try {
  const world = fixtureWorld();
  const fast = new SimDriver({
    provider: 'aws',
    store,
    world,
    config: { apiLatency: false, rateLimits: false, account: 'fast' },
  });
  const limited = new SimDriver({
    provider: 'aws',
    store,
    world,
    config: {
      apiLatency: false,
      account: 'limited',
      rateLimits: { aws: { read: { burst: 1e9, perSecond: 1e9 }, mutate: { burst: 1e9, perSecond: 1e9 } } },
    },
  });
  const stack = await createNetworkStack(fast, 'ap-northeast-2');
  const creates = await timeEach(240, (index) => fast.createVm(vmRequest(stack, { name: `vm-${index}` })));
  report('createVm (240 VMs in one /24 subnet)', creates);
  const firstTen = creates.slice(0, 50).reduce((sum, value) => sum + value, 0) / 50;
  const lastTen = creates.slice(-50).reduce((sum, value) => sum + value, 0) / 50;
  console.log(
    `  createVm cost growth, last 50 vs first 50: ×${(lastTen / firstTen).toFixed(2)} (quota/capacity scan the region)`,
  );
  const vms = await fast.listVms();
  report(
    'getVm (with 240 VMs stored)',
    await timeEach(1000, (index) => fast.getVm((vms[index % vms.length] as { id: string }).id)),
  );
  report('listVms region (240 VMs)', await timeEach(50, () => fast.listVms({ region: 'ap-northeast-2' })));
  const limitedStack = await createNetworkStack(limited, 'ap-northeast-2');
  const withoutLimits = await timeEach(1000, () => fast.getVNet(stack.vNet.id));
  const withLimits = await timeEach(1000, () => limited.getVNet(limitedStack.vNet.id));
  report('getVNet, rate limits off', withoutLimits);
  report('getVNet, rate limits on (token in the store)', withLimits);
  console.log(
    `  rate-limit bookkeeping overhead: ×${(percentile(withLimits, 0.5) / percentile(withoutLimits, 0.5)).toFixed(2)} per call (p50)`,
  );
  report(
    'terminateVm',
    await timeEach(100, async (index) => {
      const id = (vms[index] as { id: string }).id;
      await fast.terminateVm(id);
    }),
  );
} finally {
  await store.close();
  rmSync(home, { recursive: true, force: true });
}
