// Connection settings and credentials of the Tencent Cloud driver. Plain zod and node:fs, no SDK:
// runtime/config.ts reads the schema at startup.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AuthError } from '../spec/index.ts';

export const TencentCredentialsSchema = z
  .object({
    secretId: z.string().min(1),
    secretKey: z.string().min(1),
    token: z.string().min(1).optional().describe('Session token of temporary (STS) credentials'),
  })
  .describe('Explicit API keys; omit to read TENCENTCLOUD_SECRET_ID/KEY or the credentials file');

export const TencentConnectionSchema = z.object({
  driver: z.literal('tencent'),
  region: z
    .string()
    .min(1)
    .optional()
    .describe('Home region for region-less calls; default TENCENTCLOUD_REGION, else ap-seoul'),
  regions: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Regions that lists without a region cover; default the home region'),
  credentials: TencentCredentialsSchema.optional(),
  credentialsFile: z
    .string()
    .min(1)
    .optional()
    .describe('INI file with [default] secret_id and secret_key; default ~/.tencentcloud/credentials'),
  endpoints: z
    .object({
      cvm: z.url().optional().describe('CVM endpoint override, e.g. http://127.0.0.1:8080 (tests)'),
      vpc: z.url().optional().describe('VPC endpoint override'),
    })
    .optional(),
  currency: z
    .enum(['USD', 'CNY'])
    .default('USD')
    .describe('Currency the account is billed in: USD on the international site, CNY on the China site'),
  requestTimeoutSeconds: z.number().int().min(1).max(300).default(30),
});
export type TencentConnection = z.infer<typeof TencentConnectionSchema>;
export type TencentConnectionInput = z.input<typeof TencentConnectionSchema>;

/** Where to find credentials, named in every AuthError so a person knows what to set. */
export const CREDENTIALS_HINT =
  'set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or write secret_id/secret_key under [default] ' +
  'in ~/.tencentcloud/credentials, or give "credentials" (or "credentialsFile") in the tencent entry of S2A_CONNECTIONS';

export interface ResolvedCredentials {
  secretId: string;
  secretKey: string;
  token?: string;
  /** Where they came from, for error messages; never the values. */
  source: string;
}

/** The [default] section of an INI file, as the Tencent CLI and SDKs write it. */
function iniDefaultSection(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]?.trim() ?? '';
      continue;
    }
    const separator = line.indexOf('=');
    if (section === 'default' && separator > 0) {
      values[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
    }
  }
  return values;
}

function fromFile(file: string, explicit: boolean): ResolvedCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    if (!explicit) return undefined;
    throw new AuthError(
      `the Tencent Cloud credentials file ${file} (credentialsFile of the tencent connection) cannot be read; fix the path or remove it`,
      { provider: 'tencent' },
    );
  }
  const section = iniDefaultSection(text);
  const secretId = section.secret_id;
  const secretKey = section.secret_key;
  if (!secretId || !secretKey) {
    throw new AuthError(
      `the Tencent Cloud credentials file ${file} has no secret_id and secret_key under [default]`,
      { provider: 'tencent' },
    );
  }
  return {
    secretId,
    secretKey,
    ...(section.token ? { token: section.token } : {}),
    source: `the credentials file ${file}`,
  };
}

/**
 * Credentials in the SDK's order: the connection's own, the environment, the credentials file.
 * Throws AuthError naming what to set when none is found or half of a pair is missing.
 */
export function resolveTencentCredentials(
  connection: Pick<TencentConnection, 'credentials' | 'credentialsFile'>,
  environment: Record<string, string | undefined>,
  home: string = homedir(),
): ResolvedCredentials {
  if (connection.credentials) {
    return {
      ...connection.credentials,
      source: '"credentials" of the tencent connection in S2A_CONNECTIONS',
    };
  }
  const secretId = environment.TENCENTCLOUD_SECRET_ID;
  const secretKey = environment.TENCENTCLOUD_SECRET_KEY;
  if (secretId || secretKey) {
    if (!secretId || !secretKey) {
      const missing = secretId ? 'TENCENTCLOUD_SECRET_KEY' : 'TENCENTCLOUD_SECRET_ID';
      throw new AuthError(`${missing} is not set (its pair is): set both, or neither`, {
        provider: 'tencent',
      });
    }
    const token = environment.TENCENTCLOUD_SESSION_TOKEN;
    return {
      secretId,
      secretKey,
      ...(token ? { token } : {}),
      source: 'TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY',
    };
  }
  const explicitFile = connection.credentialsFile;
  const file = explicitFile ?? join(home, '.tencentcloud', 'credentials');
  const found = fromFile(file, explicitFile !== undefined);
  if (found) return found;
  throw new AuthError(`no Tencent Cloud credentials: ${CREDENTIALS_HINT}`, { provider: 'tencent' });
}

/** `http://127.0.0.1:8080` → what the SDK's httpProfile takes. */
export function httpProfileOf(url: string | undefined): { endpoint: string; protocol: string } | undefined {
  if (!url) return undefined;
  const parsed = new URL(url);
  return { endpoint: parsed.host, protocol: `${parsed.protocol}//` };
}
