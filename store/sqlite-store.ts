/**
 * The embedded store: one SQLite file in WAL mode, shared safely by every s2a process on the
 * machine (web app, MCP server, CLI).
 *
 * Two locks keep writers apart. Across processes, every write runs in BEGIN IMMEDIATE, which
 * takes SQLite's single write lock up front. Within a process, better-sqlite3 has one
 * synchronous connection, and a transaction's work is async: an AsyncMutex makes every other
 * caller wait until the open transaction ends, and AsyncLocalStorage recognises calls made from
 * inside that transaction so they join it instead of waiting for it (which would deadlock).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database as Connection, Statement } from 'better-sqlite3';
import Database from 'better-sqlite3';
import { AsyncMutex } from './async-mutex.ts';
import type { Migration } from './migrations.ts';
import {
  applyMigration,
  ensureMigrationsTable,
  migrations as knownMigrations,
  pendingMigrations,
  readAppliedMigrations,
  validateMigrations,
} from './migrations.ts';
import { SqliteRecords } from './sqlite-records.ts';
import type { RecordQuery, Repository, Store, StoredRecord } from './types.ts';
import { StoreBusyError, StoreError, StoreUsageError } from './types.ts';
import {
  checkAddress,
  checkExpectedRevision,
  checkNamespace,
  checkQuery,
  serialiseData,
} from './validation.ts';

export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;
/**
 * SQLite's own busy handler sleeps synchronously, freezing the event loop. Let it wait at most this
 * long per attempt, then yield to the event loop and retry until the busy timeout is spent.
 */
const BUSY_SLICE_MS = 20;
const MAX_BACKOFF_MS = 30;

export interface SqliteStoreOptions {
  /** Database file, created with its directory when missing; ':memory:' for a private database. */
  file: string;
  /** How long to keep retrying while another process holds the lock. */
  busyTimeoutMs?: number;
  /** The schema to migrate to; the shipped list unless a test needs another. */
  migrations?: readonly Migration[];
}

type Operation<R> = (records: SqliteRecords) => R;

/** Argument checks and serialisation, shared by the store and its transaction objects. */
abstract class RecordOperations implements Repository {
  protected abstract read<R>(operation: Operation<R>): Promise<R>;
  protected abstract write<R>(operation: Operation<R>): Promise<R>;

  async get<T>(namespace: string, kind: string, id: string): Promise<StoredRecord<T> | undefined> {
    checkAddress(namespace, kind, id);
    return this.read((records) => records.get<T>(namespace, kind, id));
  }

  async list<T>(query: RecordQuery): Promise<StoredRecord<T>[]> {
    const checked = checkQuery(query);
    return this.read((records) => records.list<T>(checked));
  }

  async count(query: RecordQuery): Promise<number> {
    const checked = checkQuery(query);
    return this.read((records) => records.count(checked));
  }

  async insert<T>(namespace: string, kind: string, id: string, data: T): Promise<StoredRecord<T>> {
    checkAddress(namespace, kind, id);
    const text = serialiseData(data);
    return this.write((records) => records.insert<T>(namespace, kind, id, text));
  }

  async update<T>(
    namespace: string,
    kind: string,
    id: string,
    data: T,
    expectedRevision?: number,
  ): Promise<StoredRecord<T>> {
    checkAddress(namespace, kind, id);
    checkExpectedRevision(expectedRevision);
    const text = serialiseData(data);
    return this.write((records) => records.update<T>(namespace, kind, id, text, expectedRevision));
  }

  async put<T>(namespace: string, kind: string, id: string, data: T): Promise<StoredRecord<T>> {
    checkAddress(namespace, kind, id);
    const text = serialiseData(data);
    return this.write((records) => records.put<T>(namespace, kind, id, text));
  }

  async delete(namespace: string, kind: string, id: string): Promise<boolean> {
    checkAddress(namespace, kind, id);
    return this.write((records) => records.delete(namespace, kind, id));
  }

  async deleteNamespace(namespace: string): Promise<number> {
    checkNamespace(namespace);
    return this.write((records) => records.deleteNamespace(namespace));
  }
}

/**
 * The `tx` handed to a transaction's work: runs statements directly on the connection, which the
 * transaction already holds. Its gate keeps a nested transaction's savepoint apart from
 * concurrent calls made elsewhere in the same outer transaction.
 */
class TransactionScope extends RecordOperations {
  readonly gate = new AsyncMutex();
  /** Set once a nested transaction has released its savepoint and its parent's gate. */
  released = false;
  #finished = false;

  constructor(
    readonly records: SqliteRecords,
    readonly context: AsyncLocalStorage<TransactionScope>,
    readonly depth: number,
    readonly parent: TransactionScope | undefined,
  ) {
    super();
  }

  get finished(): boolean {
    return this.#finished;
  }

  assertActive(): void {
    if (this.#finished) {
      throw new StoreUsageError(
        'this transaction has already committed or rolled back; use the store or start a new transaction',
      );
    }
  }

  /** Stops accepting calls and waits for a nested transaction still holding the gate. */
  async end(): Promise<void> {
    this.#finished = true;
    await this.gate.idle();
  }

  async run<R>(operation: Operation<R>): Promise<R> {
    this.assertActive();
    if (this.#heldByCaller()) return operation(this.records);
    return this.gate.withLock(() => {
      this.assertActive();
      return operation(this.records);
    });
  }

  protected read<R>(operation: Operation<R>): Promise<R> {
    return this.run(operation);
  }

  protected write<R>(operation: Operation<R>): Promise<R> {
    return this.run(operation);
  }

  /**
   * True when the caller runs inside a nested transaction of this one: that nested transaction
   * holds this gate, so waiting for the gate would deadlock.
   */
  #heldByCaller(): boolean {
    let scope = this.context.getStore();
    while (scope !== undefined && scope.parent !== this) scope = scope.parent;
    return scope !== undefined && !scope.released;
  }
}

export class SqliteStore extends RecordOperations implements Store {
  readonly location: string;
  readonly #database: Connection;
  readonly #records: SqliteRecords;
  readonly #busyTimeoutMs: number;
  readonly #gate = new AsyncMutex();
  readonly #context = new AsyncLocalStorage<TransactionScope>();
  readonly #begin: Statement<[]>;
  readonly #commit: Statement<[]>;
  readonly #rollback: Statement<[]>;
  readonly #schemaVersion: Statement<[], { version: number }>;
  #closed = false;

  /** Opens (creating when missing) and migrates the database file. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const migrations = options.migrations ?? knownMigrations;
    validateMigrations(migrations);
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const inMemory = options.file === ':memory:';
    const location = inMemory ? options.file : resolve(options.file);
    if (!inMemory) mkdirSync(dirname(location), { recursive: true });
    const database = new Database(location);
    try {
      database.pragma(`busy_timeout = ${Math.min(BUSY_SLICE_MS, busyTimeoutMs)}`);
      const mode = await retryWhileBusy(() => database.pragma('journal_mode = WAL', { simple: true }), {
        location,
        busyTimeoutMs,
        step: 'switching to WAL',
      });
      if (!inMemory && mode !== 'wal') {
        throw new StoreError(
          `${location} could not switch to WAL mode (journal_mode is ${String(mode)}); ` +
            'put S2A_HOME on a local file system, WAL does not work on network drives',
        );
      }
      database.pragma('synchronous = NORMAL');
      database.pragma('foreign_keys = ON');
      // Truncate the WAL after checkpoints instead of leaving it at its largest size.
      database.pragma('journal_size_limit = 67108864');
      await migrate(database, migrations, location, busyTimeoutMs);
      return new SqliteStore(database, location, busyTimeoutMs);
    } catch (error) {
      database.close();
      throw error;
    }
  }

  private constructor(database: Connection, location: string, busyTimeoutMs: number) {
    super();
    this.#database = database;
    this.location = location;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#records = new SqliteRecords(database);
    this.#begin = database.prepare('BEGIN IMMEDIATE');
    this.#commit = database.prepare('COMMIT');
    this.#rollback = database.prepare('ROLLBACK');
    this.#schemaVersion = database.prepare(
      'SELECT coalesce(max(version), 0) AS version FROM schema_migrations',
    );
  }

  async transaction<T>(work: (tx: Repository) => Promise<T>): Promise<T> {
    const outer = this.#activeScope();
    if (outer !== undefined) return this.#nested(outer, work);
    return this.#gate.withLock(async () => {
      this.#assertOpen();
      await this.#beginImmediate();
      const scope = new TransactionScope(this.#records, this.#context, 1, undefined);
      let result: T;
      try {
        result = await this.#context.run(scope, () => work(scope));
      } catch (error) {
        await scope.end();
        this.#rollbackIfOpen();
        throw error;
      }
      await scope.end();
      await this.#commitOrRollback();
      return result;
    });
  }

  async schemaVersion(): Promise<number> {
    return this.read(() => this.#schemaVersion.get()?.version ?? 0);
  }

  async close(): Promise<void> {
    if (this.#activeScope() !== undefined) {
      throw new StoreUsageError('close() was called inside a transaction; close the store after it ends');
    }
    await this.#gate.withLock(() => {
      if (this.#closed) return;
      this.#closed = true;
      this.#database.close();
    });
  }

  protected read<R>(operation: Operation<R>): Promise<R> {
    const scope = this.#activeScope();
    if (scope !== undefined) return scope.run(operation);
    return this.#gate.withLock(() => {
      this.#assertOpen();
      // WAL readers rarely meet a lock, but can during recovery or a journal-mode change.
      return retryWhileBusy(() => operation(this.#records), {
        location: this.location,
        busyTimeoutMs: this.#busyTimeoutMs,
        step: 'reading',
      });
    });
  }

  /** A single write outside a transaction still runs in BEGIN IMMEDIATE, so it waits asynchronously. */
  protected write<R>(operation: Operation<R>): Promise<R> {
    const scope = this.#activeScope();
    if (scope !== undefined) return scope.run(operation);
    return this.#gate.withLock(async () => {
      this.#assertOpen();
      await this.#beginImmediate();
      let result: R;
      try {
        result = operation(this.#records);
      } catch (error) {
        this.#rollbackIfOpen();
        throw error;
      }
      await this.#commitOrRollback();
      return result;
    });
  }

  /** A transaction inside a transaction: a savepoint, so a throw undoes only the inner writes. */
  async #nested<T>(outer: TransactionScope, work: (tx: Repository) => Promise<T>): Promise<T> {
    return outer.gate.withLock(async () => {
      outer.assertActive();
      const depth = outer.depth + 1;
      const savepoint = `s2a_savepoint_${depth}`;
      this.#database.exec(`SAVEPOINT ${savepoint}`);
      const scope = new TransactionScope(this.#records, this.#context, depth, outer);
      try {
        const result = await this.#context.run(scope, () => work(scope));
        await scope.end();
        this.#database.exec(`RELEASE ${savepoint}`);
        return result;
      } catch (error) {
        await scope.end();
        this.#database.exec(`ROLLBACK TO ${savepoint}`);
        this.#database.exec(`RELEASE ${savepoint}`);
        throw error;
      } finally {
        scope.released = true;
      }
    });
  }

  /** The innermost transaction the caller is running in, if any. */
  #activeScope(): TransactionScope | undefined {
    let scope = this.#context.getStore();
    // A call from a callback that outlived its transaction belongs to the enclosing one.
    while (scope?.finished) scope = scope.parent;
    return scope;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreUsageError(`the store at ${this.location} is closed`);
  }

  async #beginImmediate(): Promise<void> {
    await retryWhileBusy(() => this.#begin.run(), {
      location: this.location,
      busyTimeoutMs: this.#busyTimeoutMs,
      step: 'starting a write transaction',
    });
  }

  async #commitOrRollback(): Promise<void> {
    try {
      // In WAL mode COMMIT holds the lock already; the retry covers other journal modes.
      await retryWhileBusy(() => this.#commit.run(), {
        location: this.location,
        busyTimeoutMs: this.#busyTimeoutMs,
        step: 'committing',
      });
    } catch (error) {
      this.#rollbackIfOpen();
      throw error;
    }
  }

  #rollbackIfOpen(): void {
    // SQLite rolls back by itself after some errors (disk full, I/O); ROLLBACK would then fail.
    if (this.#database.inTransaction) this.#rollback.run();
  }
}

async function migrate(
  database: Connection,
  migrations: readonly Migration[],
  location: string,
  busyTimeoutMs: number,
): Promise<void> {
  const retry = { location, busyTimeoutMs, step: 'migrating' };
  // Already up to date (the usual case): no write lock needed.
  const applied = await retryWhileBusy(() => readAppliedMigrations(database), retry);
  if (pendingMigrations(applied, migrations, location).length === 0) return;
  // Another process may be migrating the same new file: the write lock decides who goes first,
  // and the loser finds the work done when it re-reads inside its own transaction.
  await retryWhileBusy(() => database.exec('BEGIN IMMEDIATE'), retry);
  try {
    ensureMigrationsTable(database);
    const pending = pendingMigrations(readAppliedMigrations(database), migrations, location);
    const appliedAt = new Date().toISOString();
    for (const migration of pending) applyMigration(database, migration, appliedAt);
    await retryWhileBusy(() => database.exec('COMMIT'), retry);
  } catch (error) {
    if (database.inTransaction) database.exec('ROLLBACK');
    throw error;
  }
}

interface RetryContext {
  location: string;
  busyTimeoutMs: number;
  step: string;
}

/** Retries a statement refused with SQLITE_BUSY, sleeping asynchronously with jittered backoff. */
async function retryWhileBusy<T>(statement: () => T, context: RetryContext): Promise<T> {
  const deadline = Date.now() + context.busyTimeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return statement();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new StoreBusyError(
          `${context.location} stayed locked by another connection for ${context.busyTimeoutMs} ms ` +
            `while ${context.step}. Another s2a process is holding a long write transaction; retry, ` +
            'or raise S2A_STORE_BUSY_TIMEOUT_MS.',
          { cause: error },
        );
      }
      await sleep(Math.min(remaining, backoffMs(attempt)));
    }
  }
}

/** Exponential with full jitter in its upper half, so two waiting processes do not wake in step. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, 2 ** Math.min(attempt, 5));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
