import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog, CatalogOpenOptions } from '../catalog/catalog.ts';
import { loadWorld } from '../catalog/load/index.ts';
import type { SimConfig } from '../drivers/sim/sim-config.ts';
import { simConfigFromEnvironment } from '../drivers/sim/sim-config.ts';
import type { SimDriver } from '../drivers/sim/sim-driver.ts';
import type { SimWorld } from '../drivers/sim/sim-world.ts';
import { type CloudDriver, PROVIDERS, type ProviderId } from '../drivers/spec/index.ts';
import type { MciService, MciServiceOptions } from '../mci/service.ts';
import { openStore, resolveStoreHome } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { type Connection, connectionsFromEnvironment } from './config.ts';

export interface RuntimeOptions {
  /** Store directory; defaults to S2A_HOME or ./.s2a */
  home?: string;
  environment?: Record<string, string | undefined>;
  /** Overrides of the sim settings read from the environment (tests: account, timeScale…). */
  sim?: Partial<SimConfig>;
  clock?: () => number;
  /** Where the catalog's rows come from and how it embeds text (tests: a small world). */
  catalog?: Pick<CatalogOpenOptions, 'source' | 'embedding'>;
  /**
   * A catalog already open in this process, used instead of opening one and never closed by this
   * runtime: many short-lived runtimes (the eval runner's worlds) share one index without reopening it.
   */
  sharedCatalog?: Catalog;
  /** Engine settings (poll interval…); the engine's defaults when absent. */
  engine?: MciServiceOptions['engine'];
}

/**
 * The assembled s2a: the store, the catalog's world, and one driver per provider connection.
 * This is the only place that wires catalog data into drivers (drivers import nothing above them).
 */
export class Runtime {
  private readonly drivers = new Map<ProviderId, CloudDriver>();
  private mciOpening: Promise<MciService> | undefined;
  private catalogOpening: Promise<Catalog> | undefined;

  private constructor(
    /** Directory of the store, of generated SSH keys and of the catalog index. */
    readonly home: string,
    readonly store: Store,
    readonly connections: Record<ProviderId, Connection>,
    readonly simConfig: SimConfig,
    private readonly clock: (() => number) | undefined,
    private readonly environment: Record<string, string | undefined>,
    private readonly catalogOptions: RuntimeOptions['catalog'],
    private readonly sharing: Pick<RuntimeOptions, 'sharedCatalog' | 'engine'> = {},
  ) {}

  static async open(options: RuntimeOptions = {}): Promise<Runtime> {
    const environment = options.environment ?? process.env;
    const connections = connectionsFromEnvironment(environment);
    const simConfig = { ...simConfigFromEnvironment(environment), ...options.sim };
    const home = options.home ?? resolveStoreHome(environment as NodeJS.ProcessEnv);
    const store = await openStore({ home });
    return new Runtime(home, store, connections, simConfig, options.clock, environment, options.catalog, {
      ...(options.sharedCatalog ? { sharedCatalog: options.sharedCatalog } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
    });
  }

  /**
   * The sim's world: regions, specs and images of all providers in the regions any account can use,
   * loaded once from the data shipped in catalog/ (the catalog itself also lists restricted regions).
   */
  get world(): SimWorld {
    return loadWorld();
  }

  /**
   * The catalog (LanceDB index under `<home>/catalog/`, built from the shipped data on first use),
   * opened once; it reports refresh times from this runtime's store. Loaded on demand, so commands
   * that do not search pay nothing for it.
   */
  catalog(): Promise<Catalog> {
    const shared = this.sharing.sharedCatalog;
    if (shared) return Promise.resolve(shared);
    this.catalogOpening ??= Promise.all([
      import('../catalog/catalog.ts'),
      import('../catalog/load/disk-cache.ts'),
    ]).then(([{ Catalog }, { cacheDirectory }]) => {
      // Only an index of the shipped data is shared between homes; a test's own source is not.
      const prebuiltDir = this.catalogOptions?.source ? undefined : cacheDirectory(this.environment);
      return Catalog.open({
        home: this.home,
        refreshStore: this.store,
        environment: this.environment,
        ...(prebuiltDir ? { prebuiltDir } : {}),
        ...this.catalogOptions,
      });
    });
    return this.catalogOpening;
  }

  /**
   * The MCI service (engine, remote commands, apps), created on first use: private keys sealed with
   * S2A_SECRET or `<home>/secret.key`; nodes of sim connections take commands through the sim's shell.
   * Requirements-based node groups and cross-region failover search the catalog, which is opened
   * only when such a search happens (an MCI of explicit specs never pays for the index).
   */
  mci(): Promise<MciService> {
    this.mciOpening ??= Promise.all([import('../mci/service.ts'), import('../mci/catalog-resolver.ts')]).then(
      ([{ createMciService }, { CatalogSpecResolver }]) =>
        createMciService({
          store: this.store,
          home: this.home,
          drivers: (provider) => this.driver(provider),
          simAccount: this.simConfig.account,
          simTimeScale: this.simConfig.timeScale,
          isSim: (provider) => this.connections[provider].driver === 'sim',
          resolver: new CatalogSpecResolver({
            catalog: () => this.catalog(),
            drivers: (provider) => this.driver(provider),
          }),
          ...(this.environment.S2A_SECRET ? { secret: this.environment.S2A_SECRET } : {}),
          ...(this.clock ? { clock: this.clock } : {}),
          ...(this.sharing.engine ? { engine: this.sharing.engine } : {}),
        }),
    );
    return this.mciOpening;
  }

  /** The driver for a provider, created (and its SDK loaded) on first use. */
  async driver(provider: ProviderId): Promise<CloudDriver> {
    const existing = this.drivers.get(provider);
    if (existing) return existing;
    const { createDriver } = await import('./drivers.ts');
    const driver = await createDriver({
      provider,
      connection: this.connections[provider],
      store: this.store,
      simConfig: this.simConfig,
      environment: this.environment,
      ...(this.clock ? { clock: this.clock } : {}),
    });
    this.drivers.set(provider, driver);
    return driver;
  }

  /** The sim driver of a provider, for emulator administration (faults, billing). */
  async simDriver(provider: ProviderId): Promise<SimDriver> {
    const driver = await this.driver(provider);
    const { SimDriver } = await import('../drivers/sim/sim-driver.ts');
    if (!(driver instanceof SimDriver))
      throw new Error(`${provider} is connected to a real cloud, not the sim`);
    return driver;
  }

  /**
   * Keeps a generated private key where `ssh -i` can use it, readable by the owner only.
   * Returns the file path. Keys never go into the store, logs or tool results.
   */
  async saveKey(name: string, privateKey: string): Promise<string> {
    const directory = join(this.home, 'keys');
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const file = join(directory, `${name}.pem`);
    await writeFile(file, privateKey, { mode: 0o600 });
    return file;
  }

  async removeKey(name: string): Promise<void> {
    await rm(join(this.home, 'keys', `${name}.pem`), { force: true });
  }

  providers(): readonly ProviderId[] {
    return PROVIDERS;
  }

  async close(): Promise<void> {
    const mci = this.mciOpening;
    this.mciOpening = undefined;
    if (mci) await (await mci.catch(() => undefined))?.close();
    for (const driver of this.drivers.values()) await driver.close();
    this.drivers.clear();
    const catalog = this.catalogOpening;
    this.catalogOpening = undefined;
    if (catalog) (await catalog.catch(() => undefined))?.close();
    await this.store.close();
  }
}
