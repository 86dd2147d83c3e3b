import { setTimeout as sleep } from 'node:timers/promises';
import { isDriverError, isRetryable, ThrottledError } from '../spec/index.ts';

export interface RetryOptions {
  /**
   * `throttled` retries only ThrottledError: the provider refused the call, so repeating it cannot
   * create a second resource. Use it for creates. `retryable` retries every error whose
   * `retryable` flag is set (dependencies still settling): for reads, deletes and state changes.
   */
  retryOn?: 'throttled' | 'retryable';
  /** Calls in total, the first included. Default 6. */
  attempts?: number;
  /** Upper bound of one wait, whatever retryAfterMs says. Default 10 000 ms. */
  maxDelayMs?: number;
  /** First backoff for errors without retryAfterMs; doubles each time. Default 200 ms. */
  baseDelayMs?: number;
}

/** Runs `call`, retrying the errors `retryOn` names a bounded number of times. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retryOn = 'retryable', attempts = 6, maxDelayMs = 10_000, baseDelayMs = 200 } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const retry = retryOn === 'throttled' ? error instanceof ThrottledError : isRetryable(error);
      if (!retry || attempt >= attempts) throw error;
      const backoffMs = baseDelayMs * 2 ** (attempt - 1);
      const delayMs = error instanceof ThrottledError ? Math.max(error.retryAfterMs, 1) : backoffMs;
      await sleep(Math.min(delayMs, maxDelayMs));
    }
  }
}

/**
 * Repeats `check` until it resolves, for state that converges (a deleted resource leaving a
 * list). Rethrows the last failure when time is up; a driver error that is not retryable is
 * rethrown at once, since waiting will not change it.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  options: { timeoutMs: number; pollIntervalMs: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0 || (isDriverError(error) && !error.retryable)) throw error;
      const delayMs = error instanceof ThrottledError ? error.retryAfterMs : options.pollIntervalMs;
      await sleep(Math.min(Math.max(delayMs, 1), remainingMs));
    }
  }
}
