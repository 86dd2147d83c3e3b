// The MCP server's settings, read and validated in one place. Secrets (the bearer token) stay here:
// they are never logged or returned by a tool.
import { z } from 'zod';

/** Default cap for one request (USD/h): three A100 nodes fit, an 8×H100 box does not. */
export const DEFAULT_MAX_COST_PER_HOUR = 50;
/** Default cap for everything running at once (USD/h). */
export const DEFAULT_MAX_RUNNING_COST_PER_HOUR = 200;
export const DEFAULT_HTTP_PORT = 3001;
export const DEFAULT_HTTP_HOST = '127.0.0.1';

const flag = z
  .enum(['', '0', '1', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const money = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const parsed = Number(value);
      if (!Number.isFinite(parsed) || parsed <= 0) {
        context.addIssue({ code: 'custom', message: `${name} must be a positive number of USD per hour` });
        return z.NEVER;
      }
      return parsed;
    });

const EnvironmentSchema = z.object({
  S2A_READ_ONLY: flag.optional().default(false),
  S2A_MAX_COST_PER_HOUR: money('S2A_MAX_COST_PER_HOUR', DEFAULT_MAX_COST_PER_HOUR),
  S2A_MAX_RUNNING_COST_PER_HOUR: money('S2A_MAX_RUNNING_COST_PER_HOUR', DEFAULT_MAX_RUNNING_COST_PER_HOUR),
  S2A_MCP_TOKEN: z.string().optional(),
  S2A_MCP_HOST: z.string().optional(),
  S2A_MCP_PORT: z.string().regex(/^\d+$/, 'S2A_MCP_PORT must be a port number').optional(),
  S2A_MCP_ALLOWED_ORIGINS: z.string().optional(),
});

export interface McpConfig {
  /** Only read-only tools are listed and callable. */
  readOnly: boolean;
  /** Largest $/h one request (create, scale) may add. */
  maxCostPerHour: number;
  /** Largest $/h of all running MCIs together, after the request. */
  maxRunningCostPerHour: number;
  /** Bearer token the HTTP transport demands; required to bind beyond loopback. */
  token: string | undefined;
  host: string;
  port: number;
  /** Origins allowed besides the server's own (DNS-rebinding protection). */
  allowedOrigins: string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function mcpConfigFromEnvironment(
  environment: Record<string, string | undefined> = process.env,
  overrides: Partial<McpConfig> = {},
): McpConfig {
  const parsed = EnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid MCP settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const values = parsed.data;
  return {
    readOnly: values.S2A_READ_ONLY,
    maxCostPerHour: values.S2A_MAX_COST_PER_HOUR,
    maxRunningCostPerHour: values.S2A_MAX_RUNNING_COST_PER_HOUR,
    token: values.S2A_MCP_TOKEN || undefined,
    host: values.S2A_MCP_HOST || DEFAULT_HTTP_HOST,
    port: values.S2A_MCP_PORT ? Number(values.S2A_MCP_PORT) : DEFAULT_HTTP_PORT,
    allowedOrigins: (values.S2A_MCP_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin.length > 0),
    ...overrides,
  };
}
