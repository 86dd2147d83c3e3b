// Waiting for a VM status, shared by the engine, the CLI and the conformance suite.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudDriver } from './driver.ts';
import { isRetryable, ThrottledError } from './errors.ts';
import type { Vm, VmStatus } from './schemas.ts';

export interface WaitForVmStatusOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Time between two `getVm` calls; a ThrottledError's retryAfterMs stretches it. */
  pollIntervalMs: number;
  /** Stops waiting early (the caller's operation was cancelled); rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Statuses a VM never leaves by itself: waiting for anything else after them is pointless. */
const FINAL_STATUSES: readonly VmStatus[] = ['Terminated', 'Failed'];

/** The VM did not reach one of the awaited statuses. `lastVm` is the last state seen, if any. */
export class VmWaitError extends Error {
  constructor(
    message: string,
    readonly vmId: string,
    readonly expected: readonly VmStatus[],
    /** `timeout`: still moving when time ran out; `final`: stuck in Failed or Terminated. */
    readonly reason: 'timeout' | 'final',
    readonly lastVm: Vm | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VmWaitError';
  }
}

/**
 * Polls `getVm` until the VM's status is one of `statuses` and returns that VM.
 *
 * Throttling and other retryable driver errors are waited out until the deadline; any other
 * error (NotFoundError, AuthError...) is thrown at once. Reaching Failed or Terminated when they
 * were not asked for throws VmWaitError(reason 'final') without waiting for the timeout.
 */
export async function waitForVmStatus(
  driver: Pick<CloudDriver, 'getVm'>,
  vmId: string,
  statuses: readonly VmStatus[],
  options: WaitForVmStatusOptions,
): Promise<Vm> {
  const deadline = Date.now() + options.timeoutMs;
  let lastVm: Vm | undefined;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    let delayMs = options.pollIntervalMs;
    try {
      lastVm = await driver.getVm(vmId);
      lastError = undefined;
      if (statuses.includes(lastVm.status)) return lastVm;
      if (FINAL_STATUSES.includes(lastVm.status)) {
        const reason = lastVm.statusReason ? ` (${lastVm.statusReason})` : '';
        throw new VmWaitError(
          `VM ${vmId} is ${lastVm.status}${reason} and will not become ${statuses.join(' or ')}`,
          vmId,
          statuses,
          'final',
          lastVm,
        );
      }
    } catch (error) {
      if (!isRetryable(error)) throw error;
      lastError = error;
      if (error instanceof ThrottledError) delayMs = Math.max(delayMs, error.retryAfterMs);
    }
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) {
      const seen = lastVm ? `last status ${lastVm.status} since ${lastVm.statusSince}` : 'never read';
      throw new VmWaitError(
        `VM ${vmId} did not become ${statuses.join(' or ')} within ${options.timeoutMs} ms (${seen})`,
        vmId,
        statuses,
        'timeout',
        lastVm,
        lastError === undefined ? undefined : { cause: lastError },
      );
    }
    try {
      await sleep(Math.min(delayMs, remainingMs), undefined, { signal: options.signal });
    } catch (error) {
      // Node rejects with its own AbortError; callers expect the reason they aborted with.
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
  }
}
