/**
 * Versioned schema of the SQLite store. To change the schema, append a migration with the next
 * version; never edit or rename one that has shipped, since databases record each applied
 * version by name and refuse to open when the names disagree.
 */
import type { Database } from 'better-sqlite3';
import { StoreSchemaError } from './types.ts';

export interface Migration {
  readonly version: number;
  /** Stable identifier, recorded in schema_migrations. */
  readonly name: string;
  readonly sql: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: string;
}

export const migrations: readonly Migration[] = Object.freeze([
  {
    version: 1,
    name: 'create-records',
    // The primary key's index serves get, id order, idPrefix ranges and deleteNamespace.
    // `where` filters on json_extract within one (namespace, kind); a hot field can get an
    // expression index later: ON records(namespace, kind, json_extract(data, '$.field')).
    sql: `
      CREATE TABLE records (
        namespace TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        data TEXT NOT NULL CHECK (json_valid(data)),
        revision INTEGER NOT NULL CHECK (revision >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (namespace, kind, id)
      ) STRICT;
    `,
  },
]);

export const SCHEMA_MIGRATIONS_TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT;
`;

/** Throws when a migration list is not 1, 2, 3... with unique names and some SQL. */
export function validateMigrations(list: readonly Migration[]): void {
  const names = new Set<string>();
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration ${JSON.stringify(migration.name)} has version ${migration.version}, expected ${index + 1}: ` +
          'versions start at 1 and go up by one',
      );
    }
    if (migration.name.trim().length === 0) throw new Error(`migration ${migration.version} has no name`);
    if (names.has(migration.name)) throw new Error(`migration name ${migration.name} is used twice`);
    if (migration.sql.trim().length === 0) throw new Error(`migration ${migration.name} has no SQL`);
    names.add(migration.name);
  });
}

export function latestSchemaVersion(list: readonly Migration[] = migrations): number {
  return list.at(-1)?.version ?? 0;
}

export function readAppliedMigrations(database: Database): AppliedMigration[] {
  const table = database
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return [];
  return database
    .prepare<[], AppliedMigration>(
      'SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version',
    )
    .all();
}

/**
 * The migrations still to apply, after checking that what the database has applied is a prefix of
 * what this code knows.
 */
export function pendingMigrations(
  applied: readonly AppliedMigration[],
  known: readonly Migration[],
  location: string,
): Migration[] {
  const latest = latestSchemaVersion(known);
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > latest) {
    throw new StoreSchemaError(
      `The store at ${location} has schema version ${newest}, but this s2a only knows versions up to ${latest}: ` +
        'a newer s2a wrote it. Upgrade s2a (git pull && npm ci) to use it, or set S2A_HOME to another ' +
        'directory to start a separate store. Do not edit the file to downgrade it.',
    );
  }
  applied.forEach((row, index) => {
    const expected = known[index];
    if (row.version !== index + 1 || expected === undefined || expected.name !== row.name) {
      throw new StoreSchemaError(
        `The store at ${location} recorded migration ${row.version} as ${JSON.stringify(row.name)}, but this s2a ` +
          `calls version ${row.version} ${JSON.stringify(expected?.name)}: it was written by a different build. ` +
          'Use the build that created it, or set S2A_HOME to another directory to start a separate store.',
      );
    }
  });
  return known.slice(applied.length);
}

/** Creates the bookkeeping table; call inside the write transaction that applies migrations. */
export function ensureMigrationsTable(database: Database): void {
  database.exec(SCHEMA_MIGRATIONS_TABLE_SQL);
}

export function applyMigration(database: Database, migration: Migration, appliedAt: string): void {
  database.exec(migration.sql);
  database
    .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    .run(migration.version, migration.name, appliedAt);
}

validateMigrations(migrations);
