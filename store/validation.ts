/**
 * Argument checks shared by every Store implementation, so SQLite and a later PostgreSQL store
 * reject the same mistakes with the same errors.
 */
import type { RecordQuery } from './types.ts';
import { StoreUsageError } from './types.ts';

export type WhereValue = string | number | boolean | null;

export interface WhereCondition {
  field: string;
  value: WhereValue;
}

export interface CheckedQuery {
  namespace: string;
  kind: string;
  where: WhereCondition[];
  /** Empty when the query has no prefix. */
  idPrefix: string;
  limit: number | undefined;
}

export function checkNamespace(namespace: string): void {
  checkName('namespace', namespace);
}

export function checkAddress(namespace: string, kind: string, id?: string): void {
  checkName('namespace', namespace);
  checkName('kind', kind);
  if (id !== undefined) checkName('id', id);
}

export function checkExpectedRevision(expectedRevision: number | undefined): void {
  if (expectedRevision !== undefined && !(Number.isSafeInteger(expectedRevision) && expectedRevision >= 1)) {
    throw new StoreUsageError(
      `expectedRevision must be a positive integer, got ${describe(expectedRevision)}`,
    );
  }
}

function checkName(label: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new StoreUsageError(`${label} must be a non-empty string, got ${describe(value)}`);
  }
}

export function checkQuery(query: RecordQuery): CheckedQuery {
  if (typeof query !== 'object' || query === null) {
    throw new StoreUsageError(`query must be an object, got ${describe(query)}`);
  }
  checkAddress(query.namespace, query.kind);
  const where: WhereCondition[] = [];
  for (const [field, value] of Object.entries(query.where ?? {})) {
    if (field.length === 0 || field.includes('"')) {
      // SQLite JSON paths cannot escape a double quote inside a quoted key.
      throw new StoreUsageError(`where field ${JSON.stringify(field)} must be non-empty and contain no '"'`);
    }
    const valid =
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!valid) {
      throw new StoreUsageError(
        `where.${field} must be a string, finite number, boolean or null, got ${describe(value)}`,
      );
    }
    where.push({ field, value });
  }
  const idPrefix = query.idPrefix ?? '';
  if (typeof idPrefix !== 'string') {
    throw new StoreUsageError(`idPrefix must be a string, got ${describe(idPrefix)}`);
  }
  const limit = query.limit;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new StoreUsageError(`limit must be a non-negative integer, got ${describe(limit)}`);
  }
  return { namespace: query.namespace, kind: query.kind, where, idPrefix, limit };
}

/** JSON text of a document; refuses values JSON cannot carry instead of storing `undefined`. */
export function serialiseData(data: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    throw new StoreUsageError(`data is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) {
    throw new StoreUsageError(`data is not JSON-serialisable: got ${describe(data)}`);
  }
  return text;
}

/**
 * The smallest string greater than every string that starts with `prefix`, by code point, which
 * is also UTF-8 byte order. Lets an id-prefix query become a range scan on the primary key.
 * Undefined when no such bound exists (the prefix is all U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (character) => character.codePointAt(0) ?? 0);
  for (let index = codePoints.length - 1; index >= 0; index -= 1) {
    const codePoint = codePoints[index] ?? 0;
    if (codePoint >= 0x10ffff) continue;
    // Skip the surrogate block: lone surrogates are not valid UTF-8.
    const next = codePoint === 0xd7ff ? 0xe000 : codePoint + 1;
    return String.fromCodePoint(...codePoints.slice(0, index), next);
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `bigint ${value}`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
