/**
 * The store: s2a's state behind a narrow repository interface. SQLite (embedded, WAL) is the
 * default; the interface is small and async so a PostgreSQL implementation can follow and pass
 * the same contract tests (`store-contract.ts`).
 *
 * Data model: records addressed by (namespace, kind, id), each holding a JSON document and a
 * revision that increases on every write (optimistic concurrency). Namespaces separate tenants of
 * the store: a sim account ("sim/default"), the MCI engine ("mci"), conversations ("agent").
 */

export interface StoredRecord<T = unknown> {
  namespace: string;
  kind: string;
  id: string;
  data: T;
  /** 1 on insert, +1 on every update. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface RecordQuery {
  namespace: string;
  kind: string;
  /**
   * Equality on top-level fields of the JSON document (`{region: "us-east-1"}`).
   * Values are compared as JSON scalars.
   */
  where?: Record<string, string | number | boolean | null>;
  /** Ids starting with this prefix. */
  idPrefix?: string;
  /** Ordered by id ascending. */
  limit?: number;
}

/** The operations available inside and outside a transaction. */
export interface Repository {
  get<T>(namespace: string, kind: string, id: string): Promise<StoredRecord<T> | undefined>;
  list<T>(query: RecordQuery): Promise<StoredRecord<T>[]>;
  count(query: RecordQuery): Promise<number>;
  /** Inserts; throws StoreConflictError when (namespace, kind, id) exists. */
  insert<T>(namespace: string, kind: string, id: string, data: T): Promise<StoredRecord<T>>;
  /**
   * Replaces the document. With `expectedRevision`, throws StoreConflictError when the stored
   * revision differs (someone else wrote first); throws StoreNotFoundError when absent.
   */
  update<T>(
    namespace: string,
    kind: string,
    id: string,
    data: T,
    expectedRevision?: number,
  ): Promise<StoredRecord<T>>;
  /** Inserts or replaces. */
  put<T>(namespace: string, kind: string, id: string, data: T): Promise<StoredRecord<T>>;
  /** Returns false when there was nothing to delete. */
  delete(namespace: string, kind: string, id: string): Promise<boolean>;
  /** Deletes every record of a namespace (a sim account, a test). Returns how many. */
  deleteNamespace(namespace: string): Promise<number>;
}

export interface Store extends Repository {
  /** Human-readable location, e.g. the SQLite file path. */
  readonly location: string;
  /**
   * Runs `work` atomically, serialised against every other writer, in this process and others.
   * Keep it short and never await anything but the transaction's own calls inside: the write
   * lock is held until it returns. Rolls back and rethrows when `work` throws.
   *
   * Calls made on the store (not on `tx`) from inside `work`, including a nested `transaction`,
   * join the open transaction instead of waiting for it; a nested transaction that throws undoes
   * only its own writes. Calls from outside wait until it has committed or rolled back.
   */
  transaction<T>(work: (tx: Repository) => Promise<T>): Promise<T>;
  /** The applied schema version. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  readonly code: string = 'STORE_ERROR';
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class StoreConflictError extends StoreError {
  override readonly code = 'STORE_CONFLICT';
  override readonly retryable = true;
  constructor(
    readonly namespace: string,
    readonly kind: string,
    readonly id: string,
    detail: string,
  ) {
    super(`${kind} ${id} in ${namespace}: ${detail}`);
    this.name = 'StoreConflictError';
  }
}

export class StoreNotFoundError extends StoreError {
  override readonly code = 'STORE_NOT_FOUND';
  constructor(
    readonly namespace: string,
    readonly kind: string,
    readonly id: string,
  ) {
    super(`${kind} ${id} in ${namespace} does not exist`);
    this.name = 'StoreNotFoundError';
  }
}

/** Another process held the write lock for longer than the busy timeout. */
export class StoreBusyError extends StoreError {
  override readonly code = 'STORE_BUSY';
  override readonly retryable = true;
}

/** The database's schema does not match the migrations this code knows (newer, or renamed). */
export class StoreSchemaError extends StoreError {
  override readonly code = 'STORE_SCHEMA';
}

/** Invalid configuration (environment variables or open options). */
export class StoreConfigError extends StoreError {
  override readonly code = 'STORE_CONFIG';
}

/**
 * A programming error: invalid arguments or query, data that is not JSON, a closed store, a
 * transaction object used after its transaction ended.
 */
export class StoreUsageError extends StoreError {
  override readonly code = 'STORE_USAGE';
}
