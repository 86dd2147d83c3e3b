import type { SimConfig } from '../drivers/sim/sim-config.ts';
import type { CloudDriver, ProviderId } from '../drivers/spec/index.ts';
import type { Store } from '../store/types.ts';
import type { Connection } from './config.ts';

/** What a driver factory may use: the connection's own settings plus what the runtime holds. */
export interface DriverFactoryContext<C extends Connection = Connection> {
  provider: ProviderId;
  connection: C;
  store: Store;
  simConfig: SimConfig;
  environment: Record<string, string | undefined>;
  clock?: () => number;
}

export type DriverFactory<C extends Connection = Connection> = (
  context: DriverFactoryContext<C>,
) => Promise<CloudDriver>;

type DriverKind = Connection['driver'];

/**
 * Driver kind → factory. Each factory imports its driver (and so its SDK) only when called, so a
 * provider left on the sim never loads a cloud SDK. Add a real driver here with one line, and its
 * connection fields in config.ts.
 */
export const DRIVER_FACTORIES: { [K in DriverKind]: DriverFactory<Extract<Connection, { driver: K }>> } = {
  sim: async ({ provider, store, simConfig, clock }) => {
    const [{ SimDriver }, { worldForProvider }] = await Promise.all([
      import('../drivers/sim/sim-driver.ts'),
      import('../catalog/load/index.ts'),
    ]);
    return new SimDriver({
      provider,
      store,
      world: worldForProvider(provider),
      config: simConfig,
      ...(clock ? { clock } : {}),
    });
  },
  aws: async ({ connection, environment, clock }) => {
    const { AwsDriver } = await import('../drivers/aws/aws-driver.ts');
    const { driver: _kind, ...settings } = connection;
    return new AwsDriver({ ...settings, environment, ...(clock ? { clock } : {}) });
  },
  azure: async ({ connection, environment, store, clock }) => {
    const [{ AzureDriver }, { azureSettings }] = await Promise.all([
      import('../drivers/azure/azure-driver.ts'),
      import('../drivers/azure/azure-config.ts'),
    ]);
    return new AzureDriver({ ...azureSettings(connection, environment), store, ...(clock ? { clock } : {}) });
  },
  gcp: async ({ connection, environment, store, clock }) => {
    const [{ GcpDriver }, { gcpDriverOptions }] = await Promise.all([
      import('../drivers/gcp/gcp-driver.ts'),
      import('../drivers/gcp/gcp-config.ts'),
    ]);
    return new GcpDriver({
      ...gcpDriverOptions(connection, environment),
      store,
      ...(clock ? { clock } : {}),
    });
  },
  tencent: async ({ connection, environment, store, clock }) => {
    const { TencentDriver } = await import('../drivers/tencent/tencent-driver.ts');
    const { driver: _kind, ...settings } = connection;
    return new TencentDriver({ ...settings, environment, store, ...(clock ? { clock } : {}) });
  },
};

/** Creates the driver a connection names. */
export function createDriver(context: DriverFactoryContext): Promise<CloudDriver> {
  const factory = DRIVER_FACTORIES[context.connection.driver] as DriverFactory;
  return factory(context);
}
