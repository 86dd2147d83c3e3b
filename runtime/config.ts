import { z } from 'zod';
import { AwsConnectionSchema } from '../drivers/aws/aws-config.ts';
import { AzureConnectionSchema } from '../drivers/azure/azure-config.ts';
import { GcpConnectionSchema } from '../drivers/gcp/gcp-config.ts';
import { PROVIDERS, ProviderIdSchema } from '../drivers/spec/index.ts';
import { TencentConnectionSchema } from '../drivers/tencent/tencent-config.ts';

/**
 * Which driver serves each provider. The default binds all ten to the sim, so s2a works offline;
 * a real driver switches on by configuration only (S2A_CONNECTIONS), when credentials exist.
 */
export const SimConnectionSchema = z.object({
  driver: z.literal('sim').describe('The offline emulator'),
});

/** One entry per driver kind; runtime/drivers.ts maps each kind to its factory. */
export const ConnectionSchema = z.discriminatedUnion('driver', [
  SimConnectionSchema,
  AwsConnectionSchema,
  AzureConnectionSchema,
  GcpConnectionSchema,
  TencentConnectionSchema,
]);
export type Connection = z.infer<typeof ConnectionSchema>;
const DRIVER_KINDS = ConnectionSchema.options.map((option) => option.shape.driver.value);

export const ConnectionsSchema = z.partialRecord(ProviderIdSchema, ConnectionSchema);
export type Connections = z.infer<typeof ConnectionsSchema>;

export function defaultConnections(): Record<(typeof PROVIDERS)[number], Connection> {
  return Object.fromEntries(PROVIDERS.map((provider) => [provider, { driver: 'sim' }])) as Record<
    (typeof PROVIDERS)[number],
    Connection
  >;
}

/**
 * Reads S2A_CONNECTIONS (JSON: {"aws": {"driver": "sim"}, …}); providers it leaves out stay on
 * the sim. Throws an Error that says how to fix a bad value.
 */
export function connectionsFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
): Record<(typeof PROVIDERS)[number], Connection> {
  const connections = defaultConnections();
  const text = environment.S2A_CONNECTIONS?.trim();
  if (!text) return connections;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(
      'S2A_CONNECTIONS must be JSON, e.g. {"aws":{"driver":"sim"}}; unset it to use the sim everywhere',
    );
  }
  const parsed = ConnectionsSchema.safeParse(json);
  const misplaced = parsed.success
    ? Object.entries(parsed.data).find(([provider, connection]) => !driverServes(connection.driver, provider))
    : undefined;
  if (misplaced) {
    throw new Error(
      `S2A_CONNECTIONS is invalid at ${misplaced[0]}.driver: the "${misplaced[1].driver}" driver serves only ${misplaced[1].driver}`,
    );
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `S2A_CONNECTIONS is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}. ` +
        `Providers are ${PROVIDERS.join(', ')}; drivers are ${DRIVER_KINDS.map((kind) => `"${kind}"`).join(', ')}.`,
    );
  }
  return { ...connections, ...parsed.data };
}

/** "sim" emulates every provider; a real driver serves only its own. */
function driverServes(driver: Connection['driver'], provider: string): boolean {
  return driver === 'sim' || driver === provider;
}
