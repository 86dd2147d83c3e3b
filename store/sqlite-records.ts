/**
 * The record operations as synchronous SQL on one better-sqlite3 connection. Locking and
 * transactions are the caller's business (SqliteStore); this file only speaks SQL.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { StoredRecord } from './types.ts';
import { StoreConflictError, StoreNotFoundError } from './types.ts';
import type { CheckedQuery, WhereCondition } from './validation.ts';
import { prefixUpperBound } from './validation.ts';

interface RecordRow {
  namespace: string;
  kind: string;
  id: string;
  data: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

interface WrittenRow {
  revision: number;
  created_at: string;
}

type Parameter = string | number | null;

const COLUMNS = 'namespace, kind, id, data, revision, created_at, updated_at';
/** Listed rows come back as arrays: building a keyed object per row costs more than the query. */
const LIST_COLUMNS = 'id, data, revision, created_at, updated_at';
type ListRow = [id: string, data: string, revision: number, createdAt: string, updatedAt: string];
/** Queries differ by which filters they use; keep a bounded set of prepared variants. */
const QUERY_CACHE_SIZE = 200;

export class SqliteRecords {
  readonly #database: Database;
  readonly #selectOne: Statement<[string, string, string], RecordRow>;
  readonly #selectRevision: Statement<[string, string, string], { revision: number }>;
  readonly #insert: Statement<[string, string, string, string, string, string]>;
  readonly #update: Statement<
    [string, string, string, string, string, number | null, number | null],
    WrittenRow
  >;
  readonly #upsert: Statement<[string, string, string, string, string, string], WrittenRow>;
  readonly #deleteOne: Statement<[string, string, string]>;
  readonly #deleteNamespace: Statement<[string]>;
  readonly #queries = new Map<string, Statement<Parameter[], unknown>>();

  constructor(database: Database) {
    this.#database = database;
    this.#selectOne = database.prepare(
      `SELECT ${COLUMNS} FROM records WHERE namespace = ? AND kind = ? AND id = ?`,
    );
    this.#selectRevision = database.prepare(
      'SELECT revision FROM records WHERE namespace = ? AND kind = ? AND id = ?',
    );
    this.#insert = database.prepare(
      `INSERT INTO records (${COLUMNS}) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.#update = database.prepare(
      `UPDATE records SET data = ?, revision = revision + 1, updated_at = ?
       WHERE namespace = ? AND kind = ? AND id = ? AND (? IS NULL OR revision = ?)
       RETURNING revision, created_at`,
    );
    this.#upsert = database.prepare(
      `INSERT INTO records (${COLUMNS}) VALUES (?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (namespace, kind, id) DO UPDATE
         SET data = excluded.data, revision = records.revision + 1, updated_at = excluded.updated_at
       RETURNING revision, created_at`,
    );
    this.#deleteOne = database.prepare('DELETE FROM records WHERE namespace = ? AND kind = ? AND id = ?');
    this.#deleteNamespace = database.prepare('DELETE FROM records WHERE namespace = ?');
  }

  get<T>(namespace: string, kind: string, id: string): StoredRecord<T> | undefined {
    const row = this.#selectOne.get(namespace, kind, id);
    return row === undefined ? undefined : toRecord<T>(row);
  }

  list<T>(query: CheckedQuery): StoredRecord<T>[] {
    const { namespace, kind } = query;
    const { sql, parameters } = buildSelect(query, LIST_COLUMNS);
    const rows = this.#prepared(sql)
      .raw(true)
      .all(...parameters) as ListRow[];
    return rows.map(([id, data, revision, createdAt, updatedAt]) => ({
      namespace,
      kind,
      id,
      data: JSON.parse(data) as T,
      revision,
      createdAt,
      updatedAt,
    }));
  }

  count(query: CheckedQuery): number {
    const select = buildSelect(query, '1');
    const sql = `SELECT count(*) AS total FROM (${select.sql})`;
    const row = this.#prepared(sql).get(...select.parameters) as { total: number };
    return row.total;
  }

  /** `text` is the document already serialised by serialiseData. */
  insert<T>(namespace: string, kind: string, id: string, text: string): StoredRecord<T> {
    const now = timestamp();
    const result = this.#insert.run(namespace, kind, id, text, now, now);
    if (result.changes === 0) throw new StoreConflictError(namespace, kind, id, 'already exists');
    return { namespace, kind, id, data: JSON.parse(text) as T, revision: 1, createdAt: now, updatedAt: now };
  }

  update<T>(
    namespace: string,
    kind: string,
    id: string,
    text: string,
    expectedRevision: number | undefined,
  ): StoredRecord<T> {
    const now = timestamp();
    const expected = expectedRevision ?? null;
    const row = this.#update.get(text, now, namespace, kind, id, expected, expected);
    if (row === undefined) {
      const current = this.#selectRevision.get(namespace, kind, id);
      if (current === undefined) throw new StoreNotFoundError(namespace, kind, id);
      throw new StoreConflictError(
        namespace,
        kind,
        id,
        `expected revision ${expectedRevision}, found ${current.revision}`,
      );
    }
    return written(namespace, kind, id, text, row, now);
  }

  put<T>(namespace: string, kind: string, id: string, text: string): StoredRecord<T> {
    const now = timestamp();
    const row = this.#upsert.get(namespace, kind, id, text, now, now);
    // RETURNING always yields the row for an upsert; the check satisfies the type.
    if (row === undefined) throw new Error(`upsert of ${kind} ${id} in ${namespace} returned nothing`);
    return written(namespace, kind, id, text, row, now);
  }

  delete(namespace: string, kind: string, id: string): boolean {
    return this.#deleteOne.run(namespace, kind, id).changes > 0;
  }

  deleteNamespace(namespace: string): number {
    return this.#deleteNamespace.run(namespace).changes;
  }

  #prepared(sql: string): Statement<Parameter[], unknown> {
    let statement = this.#queries.get(sql);
    if (statement === undefined) {
      statement = this.#database.prepare<Parameter[], unknown>(sql);
      if (this.#queries.size >= QUERY_CACHE_SIZE) {
        const oldest = this.#queries.keys().next();
        if (!oldest.done) this.#queries.delete(oldest.value);
      }
      this.#queries.set(sql, statement);
    }
    return statement;
  }
}

/** SELECT over one (namespace, kind), in id order, so the primary key serves filter and order. */
export function buildSelect(query: CheckedQuery, columns: string): { sql: string; parameters: Parameter[] } {
  const conditions = ['namespace = ?', 'kind = ?'];
  const parameters: Parameter[] = [query.namespace, query.kind];
  if (query.idPrefix.length > 0) {
    conditions.push('id >= ?');
    parameters.push(query.idPrefix);
    const upper = prefixUpperBound(query.idPrefix);
    if (upper !== undefined) {
      conditions.push('id < ?');
      parameters.push(upper);
    }
  }
  for (const condition of query.where) {
    conditions.push(whereSql(condition, parameters));
  }
  let sql = `SELECT ${columns} FROM records WHERE ${conditions.join(' AND ')} ORDER BY id`;
  if (query.limit !== undefined) {
    sql += ' LIMIT ?';
    parameters.push(query.limit);
  }
  return { sql, parameters };
}

/**
 * One equality as SQL. json_extract alone would confuse true with 1 and a string with an array's
 * JSON text, so json_type pins the JSON type; the json_extract term keeps expression indexes usable.
 */
function whereSql(condition: WhereCondition, parameters: Parameter[]): string {
  const { field, value } = condition;
  // Placeholders are pushed in the order they appear in the SQL text.
  if (value === null) return `json_type(data, ${pathSql(field, parameters)}) = 'null'`;
  if (typeof value === 'boolean') {
    const extracted = `json_extract(data, ${pathSql(field, parameters)}) = ${value ? 1 : 0}`;
    return `${extracted} AND json_type(data, ${pathSql(field, parameters)}) = '${value}'`;
  }
  const extracted = `json_extract(data, ${pathSql(field, parameters)}) = ?`;
  parameters.push(value);
  const types = typeof value === 'string' ? "'text'" : "'integer', 'real'";
  return `${extracted} AND json_type(data, ${pathSql(field, parameters)}) IN (${types})`;
}

/**
 * The JSON path of a top-level field. Plain identifiers are inlined (`'$.region'`), exactly as an
 * expression index would spell them; anything else is bound, quoted, as a parameter.
 */
function pathSql(field: string, parameters: Parameter[]): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) return `'$.${field}'`;
  parameters.push(`$."${field}"`);
  return '?';
}

function toRecord<T>(row: RecordRow): StoredRecord<T> {
  return {
    namespace: row.namespace,
    kind: row.kind,
    id: row.id,
    data: JSON.parse(row.data) as T,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function written<T>(
  namespace: string,
  kind: string,
  id: string,
  text: string,
  row: WrittenRow,
  now: string,
): StoredRecord<T> {
  return {
    namespace,
    kind,
    id,
    data: JSON.parse(text) as T,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: now,
  };
}

function timestamp(): string {
  return new Date().toISOString();
}
