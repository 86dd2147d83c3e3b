/**
 * Entry point of the store: `openStore()` gives the embedded SQLite store configured from the
 * environment (see config.ts). Code elsewhere depends on the `Store` interface only.
 */
import type { OpenStoreOptions } from './config.ts';
import { readStoreConfig } from './config.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { Store } from './types.ts';

export type { OpenStoreOptions, StoreConfig } from './config.ts';
export { readStoreConfig, resolveStoreHome } from './config.ts';
export type { Migration } from './migrations.ts';
export { latestSchemaVersion, migrations } from './migrations.ts';
export { SqliteStore } from './sqlite-store.ts';
export type { RecordQuery, Repository, Store, StoredRecord } from './types.ts';
export {
  StoreBusyError,
  StoreConfigError,
  StoreConflictError,
  StoreError,
  StoreNotFoundError,
  StoreSchemaError,
  StoreUsageError,
} from './types.ts';

/** Opens (creating and migrating when needed) the store at `<home>/s2a.db`. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const config = readStoreConfig(options);
  return SqliteStore.open({ file: config.file, busyTimeoutMs: config.busyTimeoutMs });
}
