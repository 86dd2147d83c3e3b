import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/index.ts';
import { describeDriverConformance } from '../conformance/index.ts';
import type { DriverOperation } from '../spec/index.ts';
import { SimDriver } from './sim-driver.ts';
import type { FaultKind } from './sim-faults.ts';
import { fixtureWorld } from './testing/fixture-world.ts';

/** The sim passes the suite every driver must pass, on a zonal-subnet provider and a regional one. */
const cases = [
  { provider: 'aws', region: 'ap-northeast-2', spec: 't3.medium', image: 'ami-0a1b2c3d4e5f60718' },
  { provider: 'gcp', region: 'asia-northeast3', spec: 'e2-medium', image: 'ubuntu-2204-lts' },
] as const;

for (const { provider, region, spec, image } of cases) {
  describeDriverConformance({
    name: `sim (${provider})`,
    statusTimeoutMs: 10_000,
    pollIntervalMs: 20,
    setup: async () => {
      const home = mkdtempSync(join(tmpdir(), `s2a-conformance-${provider}-`));
      const store = await openStore({ home });
      // 1/1000 of real latencies: a 40 s boot takes 40 ms.
      const driver = new SimDriver({ provider, store, world: fixtureWorld(), config: { timeScale: 0.001 } });
      const provokeWith = (kind: FaultKind) => async (operation: DriverOperation) => {
        await driver.injectFault({ kind, operation, times: 1, retryAfterMs: 250 });
      };
      return {
        driver,
        region,
        specId: `${provider}+${region}+${spec}`,
        imageId: `${provider}+${region}+${image}`,
        provoke: {
          capacity: provokeWith('capacity'),
          quota: provokeWith('quota'),
          throttle: provokeWith('throttle'),
          auth: provokeWith('auth'),
        },
        clearProvocations: async () => {
          await driver.clearFaults();
        },
        cleanup: async () => {
          await store.close();
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  });
}
