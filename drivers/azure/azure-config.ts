// Connection settings of the Azure driver. Plain zod, no SDK: runtime/config.ts reads it at startup.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { AuthError } from '../spec/index.ts';

export const AzureServicePrincipalSchema = z
  .object({
    tenantId: z.string().min(1).describe('Microsoft Entra tenant (directory) id'),
    clientId: z.string().min(1).describe('Application (client) id of the service principal'),
    clientSecret: z
      .string()
      .min(1)
      .optional()
      .describe('Client secret; omit to read AZURE_CLIENT_SECRET, or give clientCertificatePath'),
    clientCertificatePath: z
      .string()
      .min(1)
      .optional()
      .describe('PEM file holding the certificate and its private key, instead of a secret'),
  })
  .describe('A service principal for this connection; omit to use DefaultAzureCredential');

export const AzureConnectionSchema = z.object({
  driver: z.literal('azure'),
  subscriptionId: z
    .string()
    .min(1)
    .optional()
    .describe('Subscription to work in; default AZURE_SUBSCRIPTION_ID'),
  servicePrincipal: AzureServicePrincipalSchema.optional(),
  regions: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Regions that listSpecs/listImages without a region cover; default every region'),
  endpoint: z.url().optional().describe('Azure Resource Manager endpoint override, e.g. a local test server'),
  prices: z
    .enum(['retail', 'none'])
    .default('retail')
    .describe(
      '"retail": pay-as-you-go Linux prices from the public Retail Prices API; "none": prices stay null',
    ),
  pricesEndpoint: z.url().optional().describe('Retail Prices API override (tests)'),
  maxRetries: z
    .number()
    .int()
    .min(0)
    .max(10)
    .optional()
    .describe("SDK retries per call (throttling and transient errors); default the SDK's 3"),
  operationTimeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Longest wait for one long-running ARM operation'),
});
export type AzureConnection = z.infer<typeof AzureConnectionSchema>;
export type AzureConnectionInput = z.input<typeof AzureConnectionSchema>;

/** How the driver gets its token: the SDK's default chain, or a service principal. Never logged. */
export type AzureCredentialSettings =
  | { kind: 'default' }
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string };

export interface AzureSettings {
  subscriptionId: string;
  credential: AzureCredentialSettings;
  regions?: string[];
  endpoint?: string;
  prices: 'retail' | 'none';
  pricesEndpoint?: string;
  maxRetries?: number;
  operationTimeoutMs?: number;
}

/**
 * Driver settings from a connection and the environment. Throws AuthError naming the variable or
 * field to set when the subscription or part of a service principal is missing.
 */
export function azureSettings(
  connection: AzureConnectionInput,
  environment: Record<string, string | undefined>,
): AzureSettings {
  const parsed = AzureConnectionSchema.parse(connection);
  const subscriptionId = parsed.subscriptionId ?? environment.AZURE_SUBSCRIPTION_ID;
  if (!subscriptionId) {
    throw new AuthError(
      'no Azure subscription: set AZURE_SUBSCRIPTION_ID, or "subscriptionId" in the azure connection of S2A_CONNECTIONS',
      { provider: 'azure' },
    );
  }
  return {
    subscriptionId,
    credential: credentialSettings(parsed, environment),
    ...(parsed.regions ? { regions: parsed.regions } : {}),
    ...(parsed.endpoint ? { endpoint: parsed.endpoint.replace(/\/+$/, '') } : {}),
    prices: parsed.prices,
    ...(parsed.pricesEndpoint ? { pricesEndpoint: parsed.pricesEndpoint } : {}),
    ...(parsed.maxRetries !== undefined ? { maxRetries: parsed.maxRetries } : {}),
    ...(parsed.operationTimeoutMs ? { operationTimeoutMs: parsed.operationTimeoutMs } : {}),
  };
}

function credentialSettings(
  connection: AzureConnection,
  environment: Record<string, string | undefined>,
): AzureCredentialSettings {
  const principal = connection.servicePrincipal;
  if (!principal) return { kind: 'default' };
  if (principal.clientCertificatePath) {
    if (!existsSync(principal.clientCertificatePath)) {
      throw new AuthError(
        `the certificate file ${principal.clientCertificatePath} (clientCertificatePath of the azure connection's servicePrincipal) does not exist; fix the path`,
        { provider: 'azure' },
      );
    }
    return {
      kind: 'certificate',
      tenantId: principal.tenantId,
      clientId: principal.clientId,
      certificatePath: principal.clientCertificatePath,
    };
  }
  const clientSecret = principal.clientSecret ?? environment.AZURE_CLIENT_SECRET;
  if (!clientSecret) {
    throw new AuthError(
      'the azure connection\'s servicePrincipal has no secret: set AZURE_CLIENT_SECRET, or "clientSecret" or "clientCertificatePath" in servicePrincipal',
      { provider: 'azure' },
    );
  }
  return { kind: 'secret', tenantId: principal.tenantId, clientId: principal.clientId, clientSecret };
}
