import { isProviderId, PROVIDERS, type ProviderId } from '../drivers/spec/index.ts';

/** Parsed command line: `--json`, the other options, and the words (command, action, ids). */
export interface CliOptions {
  json: boolean;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Bad input from the user: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export function print(options: CliOptions, human: string, data: unknown): void {
  console.log(options.json ? JSON.stringify(data, null, 2) : human);
}

export function requireProvider(value: unknown): ProviderId {
  if (typeof value !== 'string' || !isProviderId(value)) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}`);
  }
  return value;
}
