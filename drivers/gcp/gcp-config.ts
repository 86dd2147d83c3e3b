// Connection settings of the GCP driver. Plain zod and node:fs, no SDK: runtime/config.ts reads it at startup.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AuthError } from '../spec/index.ts';
import type { GcpDriverOptions } from './gcp-driver.ts';

export const GcpConnectionSchema = z.object({
  driver: z.literal('gcp'),
  projectId: z
    .string()
    .min(1)
    .optional()
    .describe("Project to work in; default GOOGLE_CLOUD_PROJECT, else the credentials file's project_id"),
  credentialsFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Service-account JSON key file; omit for Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login, metadata server)',
    ),
  endpoint: z.url().optional().describe('Compute endpoint override, e.g. a local test server'),
  prices: z
    .enum(['billing-catalog', 'none'])
    .default('none')
    .describe(
      '"billing-catalog": on-demand and spot prices from the Cloud Billing Catalog API; "none": prices stay null',
    ),
  billingEndpoint: z
    .url()
    .optional()
    .describe('Cloud Billing Catalog endpoint override (default cloudbilling.googleapis.com)'),
  operationTimeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Longest wait for one Compute operation'),
});
export type GcpConnection = z.infer<typeof GcpConnectionSchema>;
export type GcpConnectionInput = z.input<typeof GcpConnectionSchema>;

/** Reads only `project_id` from a key file; the key itself stays with google-auth-library. */
function projectOfKeyFile(file: string, variable: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AuthError(
      `the GCP credentials file ${file} (from ${variable}) cannot be read; fix the path or unset it`,
      {
        provider: 'gcp',
      },
    );
  }
  try {
    const projectId = (JSON.parse(text) as { project_id?: unknown }).project_id;
    return typeof projectId === 'string' && projectId.length > 0 ? projectId : undefined;
  } catch {
    throw new AuthError(`the GCP credentials file ${file} (from ${variable}) is not JSON`, {
      provider: 'gcp',
    });
  }
}

/**
 * Driver options from a connection and the environment. Throws AuthError naming what to set when
 * no project can be found or the credentials file is unreadable.
 */
export function gcpDriverOptions(
  connection: GcpConnectionInput,
  environment: Record<string, string | undefined>,
): Pick<
  GcpDriverOptions,
  'projectId' | 'credentialsFile' | 'endpoint' | 'operationTimeoutMs' | 'prices' | 'billingEndpoint'
> {
  const keyFile = connection.credentialsFile ?? environment.GOOGLE_APPLICATION_CREDENTIALS;
  const keyFileVariable = connection.credentialsFile
    ? 'credentialsFile of the gcp connection'
    : 'GOOGLE_APPLICATION_CREDENTIALS';
  const projectId =
    connection.projectId ??
    environment.GOOGLE_CLOUD_PROJECT ??
    environment.GCLOUD_PROJECT ??
    (keyFile ? projectOfKeyFile(keyFile, keyFileVariable) : undefined);
  if (!projectId) {
    throw new AuthError(
      'no GCP project: set "projectId" in the gcp connection of S2A_CONNECTIONS or GOOGLE_CLOUD_PROJECT, or use a service-account key file with a project_id',
      { provider: 'gcp' },
    );
  }
  return {
    projectId,
    ...(connection.credentialsFile ? { credentialsFile: connection.credentialsFile } : {}),
    ...(connection.endpoint ? { endpoint: endpointOf(connection.endpoint) } : {}),
    ...(connection.operationTimeoutMs ? { operationTimeoutMs: connection.operationTimeoutMs } : {}),
    ...(connection.prices === 'billing-catalog' ? { prices: connection.prices } : {}),
    ...(connection.billingEndpoint ? { billingEndpoint: endpointOf(connection.billingEndpoint) } : {}),
  };
}

/** A URL as the host/port/protocol triple the Google client libraries take. */
function endpointOf(url: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || (parsed.protocol === 'http:' ? 80 : 443)),
    protocol: parsed.protocol === 'http:' ? 'http' : 'https',
  };
}
