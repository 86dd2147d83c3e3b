/**
 * Token buckets, as pure arithmetic: the driver keeps the state in the store so that every process
 * talking to one sim account shares the same limits, as callers of one real account do.
 */
export interface BucketState {
  tokens: number;
  /** Epoch milliseconds of the last refill. */
  updatedAt: number;
}

export interface Bucket {
  burst: number;
  perSecond: number;
}

export type TakeResult =
  | { granted: true; state: BucketState }
  | { granted: false; retryAfterMs: number; state: BucketState };

export function takeToken(state: BucketState | undefined, bucket: Bucket, now: number): TakeResult {
  const previous = state ?? { tokens: bucket.burst, updatedAt: now };
  const elapsedSeconds = Math.max(0, now - previous.updatedAt) / 1000;
  const tokens = Math.min(bucket.burst, previous.tokens + elapsedSeconds * bucket.perSecond);
  if (tokens >= 1) return { granted: true, state: { tokens: tokens - 1, updatedAt: now } };
  const retryAfterMs = Math.ceil(((1 - tokens) / bucket.perSecond) * 1000);
  return { granted: false, retryAfterMs, state: { tokens, updatedAt: now } };
}
