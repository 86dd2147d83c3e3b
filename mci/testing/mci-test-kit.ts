// Test helpers: a temp store, sim drivers of the fixture world, an in-memory key vault.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimConfigInput } from '../../drivers/sim/sim-config.ts';
import { SimDriver } from '../../drivers/sim/sim-driver.ts';
import type { SimWorld } from '../../drivers/sim/sim-world.ts';
import { fixtureWorld } from '../../drivers/sim/testing/fixture-world.ts';
import type { ProviderId } from '../../drivers/spec/index.ts';
import { openStore } from '../../store/index.ts';
import type { Store } from '../../store/types.ts';
import type { KeyVault } from '../keys.ts';
import { ListSpecResolver } from '../resolver.ts';

/** Keeps private keys in memory. Tests only: the real vault (mci/remote) encrypts at rest. */
export class InMemoryKeyVault implements KeyVault {
  readonly keys = new Map<string, string>();
  async put(name: string, privateKey: string): Promise<void> {
    this.keys.set(name, privateKey);
  }
  async get(name: string): Promise<string | undefined> {
    return this.keys.get(name);
  }
  async delete(name: string): Promise<void> {
    this.keys.delete(name);
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.keys.keys()].filter((name) => name.startsWith(prefix));
  }
}

export interface MciTestContext {
  home: string;
  store: Store;
  world: SimWorld;
  drivers: (provider: ProviderId) => Promise<SimDriver>;
  resolver: ListSpecResolver;
  keyVault: InMemoryKeyVault;
  dispose(): Promise<void>;
}

export const FAST_SIM: SimConfigInput = { timeScale: 0.001, apiLatency: false, rateLimits: false };

/** A temp store and one sim driver per provider of the world, sharing one sim account. */
export async function createMciTestContext(
  config: SimConfigInput = FAST_SIM,
  world: SimWorld = fixtureWorld(),
  home = mkdtempSync(join(tmpdir(), 's2a-mci-')),
): Promise<MciTestContext> {
  const store = await openStore({ home });
  const cache = new Map<ProviderId, SimDriver>();
  const drivers = async (provider: ProviderId): Promise<SimDriver> => {
    let driver = cache.get(provider);
    if (!driver) {
      driver = new SimDriver({ provider, store, world, config });
      cache.set(provider, driver);
    }
    return driver;
  };
  return {
    home,
    store,
    world,
    drivers,
    resolver: new ListSpecResolver(world.specs, world.regions),
    keyVault: new InMemoryKeyVault(),
    async dispose() {
      for (const driver of cache.values()) await driver.close();
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Every resource tagged s2a:* the sim holds for these providers (VMs not yet terminated). */
export async function listS2aResources(
  drivers: (provider: ProviderId) => Promise<SimDriver>,
  providers: readonly ProviderId[],
): Promise<string[]> {
  const found: string[] = [];
  for (const provider of providers) {
    const driver = await drivers(provider);
    const lists = await Promise.all([
      driver.listVms({}),
      driver.listSecurityGroups({}),
      driver.listKeyPairs({}),
      driver.listSubnets({}),
      driver.listVNets({}),
    ]);
    for (const list of lists)
      for (const item of list)
        if (Object.keys(item.tags).some((key) => key.startsWith('s2a:'))) found.push(item.id);
  }
  return found;
}
