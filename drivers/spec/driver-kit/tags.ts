// Tag bookkeeping shared by drivers whose provider stores tags as a Key/Value list (EC2, Tencent).
// Why here: every such driver keeps its own marks (name, idempotency key…) among the user's tags
// and must hide them again on read; one implementation keeps that rule the same everywhere.
import type { Tags } from '../schemas.ts';

/** Finds what an earlier create with the same idempotencyKey made (providers' ClientTokens cover VMs only). */
export const IDEMPOTENCY_TAG = 's2a:idempotency-key';

/** A tag as Key/Value list APIs (EC2, Tencent) send and take it. */
export interface KeyValueTag {
  Key: string;
  Value: string;
}

/** A Key/Value tag list as a record; tags without a key are dropped, a missing value is "". */
export function tagsToRecord(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

export function recordToTags(record: Record<string, string>): KeyValueTag[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

/** The tags a resource shows: everything but the driver's `bookkeeping` tags (and empty values providers allow). */
export function visibleTags(tags: Record<string, string>, bookkeeping: ReadonlySet<string>): Tags {
  return Object.fromEntries(
    Object.entries(tags).filter(([key, value]) => !bookkeeping.has(key) && value.length > 0),
  );
}

/** Describe* filters by tag value, in the `tag:KEY` form EC2 introduced and Tencent copied. */
export function tagFilters(tags: Tags | undefined): { Name: string; Values: string[] }[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
}

/**
 * The description sent for a security group asked for without one (providers that require one);
 * read back, it is shown as empty again.
 */
export function placeholderDescription(name: string): string {
  return `s2a security group ${name}`;
}

/**
 * The tags of a create: the request's `tags`, then the driver's `marks` (name, creation time…),
 * the idempotency key when there is one, and `extra` driver facts, later ones winning.
 */
export function creationTags(
  tags: Tags,
  marks: Record<string, string>,
  idempotencyKey: string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...tags,
    ...marks,
    ...(idempotencyKey ? { [IDEMPOTENCY_TAG]: idempotencyKey } : {}),
    ...extra,
  };
}
