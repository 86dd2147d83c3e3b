import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './index.ts';
import type { Migration } from './migrations.ts';
import { latestSchemaVersion, migrations, validateMigrations } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';
import { TemporaryDirectories } from './testing/temporary-directories.ts';
import { StoreBusyError, StoreSchemaError } from './types.ts';

const directories = new TemporaryDirectories();
afterEach(() => directories.removeAll());

describeStoreContract('SqliteStore', () => openStore({ home: directories.create() }));

const extraMigration: Migration = {
  version: migrations.length + 1,
  name: 'test-extra-table',
  sql: 'CREATE TABLE test_extra (id TEXT PRIMARY KEY) STRICT;',
};

function rawAppliedMigrations(file: string): Array<{ version: number; name: string; applied_at: string }> {
  const database = new Database(file, { readonly: true });
  try {
    return database
      .prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
      .all() as Array<{
      version: number;
      name: string;
      applied_at: string;
    }>;
  } finally {
    database.close();
  }
}

describe('SqliteStore file', () => {
  it('creates <home>/s2a.db, creating the directory, in WAL mode', async () => {
    const home = join(directories.create(), 'nested', 'home');
    const store = await openStore({ home });
    const file = join(home, 's2a.db');
    expect(store.location).toBe(file);
    await store.insert('n', 'k', 'a', {});
    await store.close();
    expect(existsSync(file)).toBe(true);
    const database = new Database(file, { readonly: true });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    database.close();
  });

  it('keeps data, revisions and the schema version across reopening', async () => {
    const home = directories.create();
    const first = await openStore({ home });
    await first.insert('n', 'k', 'a', { kept: ['yes'] });
    await first.update('n', 'k', 'a', { kept: ['still'] });
    await first.close();
    const second = await openStore({ home });
    expect(await second.schemaVersion()).toBe(latestSchemaVersion());
    const record = await second.get('n', 'k', 'a');
    expect(record?.data).toEqual({ kept: ['still'] });
    expect(record?.revision).toBe(2);
    await second.close();
  });

  it('applies each migration once, however often the file is opened', async () => {
    const file = join(directories.create(), 's2a.db');
    await (await openStore({ file })).close();
    const applied = rawAppliedMigrations(file);
    expect(applied.map((row) => [row.version, row.name])).toEqual(
      migrations.map((migration) => [migration.version, migration.name]),
    );
    for (let index = 0; index < 3; index += 1) await (await openStore({ file })).close();
    expect(rawAppliedMigrations(file)).toEqual(applied);
  });

  it('applies a migration appended later to an existing file, keeping its data', async () => {
    const file = join(directories.create(), 's2a.db');
    const old = await SqliteStore.open({ file });
    await old.insert('n', 'k', 'a', { n: 1 });
    await old.close();
    const upgraded = await SqliteStore.open({ file, migrations: [...migrations, extraMigration] });
    expect(await upgraded.schemaVersion()).toBe(extraMigration.version);
    expect((await upgraded.get('n', 'k', 'a'))?.data).toEqual({ n: 1 });
    await upgraded.close();
    expect(rawAppliedMigrations(file).at(-1)?.name).toBe('test-extra-table');
  });

  it('refuses a file from a newer s2a with a message that says what to do', async () => {
    const file = join(directories.create(), 's2a.db');
    await (await SqliteStore.open({ file, migrations: [...migrations, extraMigration] })).close();
    const error = await SqliteStore.open({ file }).catch((e) => e);
    expect(error).toBeInstanceOf(StoreSchemaError);
    expect(error.code).toBe('STORE_SCHEMA');
    expect(error.message).toContain(file);
    expect(error.message).toContain(`schema version ${extraMigration.version}`);
    expect(error.message).toContain(`up to ${latestSchemaVersion()}`);
    expect(error.message).toMatch(/Upgrade s2a/);
    expect(error.message).toMatch(/S2A_HOME/);
  });

  it('refuses a file whose applied migration has another name (a different build)', async () => {
    const file = join(directories.create(), 's2a.db');
    await (await openStore({ file })).close();
    const renamed = migrations.map((migration, index) =>
      index === 0 ? { ...migration, name: 'something-else' } : migration,
    );
    await expect(SqliteStore.open({ file, migrations: renamed })).rejects.toThrow(/different build/);
  });

  it('validates migration lists: versions 1, 2, 3... and unique names', () => {
    expect(() => validateMigrations(migrations)).not.toThrow();
    expect(() => validateMigrations([{ ...extraMigration, version: 3 }])).toThrow(/expected 1/);
    const first = migrations[0];
    if (first === undefined) throw new Error('no migrations');
    expect(() => validateMigrations([first, { ...first, version: 2 }])).toThrow(/used twice/);
  });

  it('opens a private in-memory database for ":memory:"', async () => {
    const store = await openStore({ file: ':memory:' });
    expect(store.location).toBe(':memory:');
    await store.insert('n', 'k', 'a', { n: 1 });
    expect(await store.count({ namespace: 'n', kind: 'k' })).toBe(1);
    expect(await store.schemaVersion()).toBe(latestSchemaVersion());
    await store.close();
  });

  it('lists through the primary key: no full scan and no sort', async () => {
    const file = join(directories.create(), 's2a.db');
    await (await openStore({ file })).close();
    const database = new Database(file, { readonly: true });
    const plan = database
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM records
         WHERE namespace = 'n' AND kind = 'k' AND id >= 'a' AND id < 'b'
           AND json_extract(data, '$.region') = 'x' ORDER BY id LIMIT 5`,
      )
      .all() as Array<{ detail: string }>;
    database.close();
    const details = plan.map((row) => row.detail).join('\n');
    expect(details).toMatch(/USING (PRIMARY KEY|INDEX sqlite_autoindex_records_1)/);
    expect(details).not.toMatch(/TEMP B-TREE/);
  });
});

describe('SqliteStore locking', () => {
  it('waits for another connection to release the write lock without blocking the event loop', async () => {
    const file = join(directories.create(), 's2a.db');
    const store = await openStore({ file });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 5);
    setTimeout(() => other.exec('COMMIT'), 200);
    await store.insert('n', 'k', 'a', {});
    clearInterval(ticker);
    // The timers ran while the insert waited, and the COMMIT above could only run because of that.
    expect(ticks).toBeGreaterThan(5);
    expect(await store.get('n', 'k', 'a')).toBeDefined();
    other.close();
    await store.close();
  });

  it('gives up with a retryable StoreBusyError after the busy timeout', async () => {
    const file = join(directories.create(), 's2a.db');
    const store = await openStore({ file, busyTimeoutMs: 150 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const error = await store.transaction(async (tx) => tx.insert('n', 'k', 'a', {})).catch((e) => e);
    expect(error).toBeInstanceOf(StoreBusyError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('S2A_STORE_BUSY_TIMEOUT_MS');
    other.exec('ROLLBACK');
    // The store is still usable once the lock is free.
    await store.insert('n', 'k', 'a', {});
    other.close();
    await store.close();
  });

  it('still reads while another connection holds the write lock (WAL)', async () => {
    const file = join(directories.create(), 's2a.db');
    const store = await openStore({ file, busyTimeoutMs: 100 });
    await store.insert('n', 'k', 'a', { n: 1 });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.prepare("UPDATE records SET data = '{\"n\":2}' WHERE id = 'a'").run();
    expect((await store.get('n', 'k', 'a'))?.data).toEqual({ n: 1 });
    other.exec('COMMIT');
    expect((await store.get('n', 'k', 'a'))?.data).toEqual({ n: 2 });
    other.close();
    await store.close();
  });
});
