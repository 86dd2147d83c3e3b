/**
 * The store's configuration, read and validated here only.
 *
 * - S2A_HOME: directory holding s2a.db (default ./.s2a, relative to the working directory).
 * - S2A_STORE_BUSY_TIMEOUT_MS: how long a write waits for another process's lock (default 10000).
 */
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_BUSY_TIMEOUT_MS } from './sqlite-store.ts';
import { StoreConfigError } from './types.ts';

export const DEFAULT_HOME = '.s2a';
export const DATABASE_FILE_NAME = 's2a.db';

export interface OpenStoreOptions {
  /** Directory for s2a.db; overrides S2A_HOME. */
  home?: string;
  /** Exact database file (or ':memory:'); overrides home. */
  file?: string;
  /** Overrides S2A_STORE_BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
}

export interface StoreConfig {
  /** Absolute directory of the store. */
  home: string;
  /** Absolute database file, or ':memory:'. */
  file: string;
  busyTimeoutMs: number;
}

const busyTimeout = z.number().int().min(0).max(600_000);

/** An empty variable counts as unset, as `S2A_HOME= npm start` intends. */
const blankAsUnset = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const environmentSchema = z.object({
  S2A_HOME: z.preprocess(blankAsUnset, z.string().trim().optional()),
  S2A_STORE_BUSY_TIMEOUT_MS: z.preprocess(blankAsUnset, z.coerce.number().pipe(busyTimeout).optional()),
});

const optionsSchema = z.strictObject({
  home: z.string().trim().min(1).optional(),
  file: z.string().trim().min(1).optional(),
  busyTimeoutMs: busyTimeout.optional(),
});

export function readStoreConfig(
  options: OpenStoreOptions = {},
  environment: NodeJS.ProcessEnv = process.env,
  workingDirectory: string = process.cwd(),
): StoreConfig {
  const parsedOptions = parse(optionsSchema, options, 'openStore options');
  const parsedEnvironment = parse(environmentSchema, environment, 'environment');
  const home = resolve(workingDirectory, parsedOptions.home ?? parsedEnvironment.S2A_HOME ?? DEFAULT_HOME);
  let file = join(home, DATABASE_FILE_NAME);
  if (parsedOptions.file === ':memory:') file = ':memory:';
  else if (parsedOptions.file !== undefined) file = resolve(workingDirectory, parsedOptions.file);
  const busyTimeoutMs =
    parsedOptions.busyTimeoutMs ?? parsedEnvironment.S2A_STORE_BUSY_TIMEOUT_MS ?? DEFAULT_BUSY_TIMEOUT_MS;
  return { home, file, busyTimeoutMs };
}

/** The directory the store lives in: S2A_HOME, or ./.s2a, as an absolute path. */
export function resolveStoreHome(
  environment: NodeJS.ProcessEnv = process.env,
  workingDirectory: string = process.cwd(),
): string {
  return readStoreConfig({}, environment, workingDirectory).home;
}

function parse<Schema extends z.ZodType>(schema: Schema, input: unknown, source: string): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new StoreConfigError(`invalid store configuration in ${source}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
