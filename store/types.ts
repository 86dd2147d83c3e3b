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
   * lock is held until it returns.
   */
  transaction<T>(work: (tx: Repository) => Promise<T>): Promise<T>;
  /** The applied schema version. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  readonly code: string = 'STORE_ERROR';
  readonly retryable: boolean = false;
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
