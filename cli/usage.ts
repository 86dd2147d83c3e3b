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

/** Resolves with the first of SIGTERM, SIGINT or SIGHUP: how `s2a serve` and `s2a start` are stopped. */
export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
    const onSignal = (received: NodeJS.Signals) => {
      for (const item of signals) process.off(item, onSignal);
      resolve(received);
    };
    for (const item of signals) process.on(item, onSignal);
  });
}
