// Concurrency limits per provider (regions at once) and per region (VM creates at once), and
// bounded, jittered exponential backoff that honours a ThrottledError's retry-after.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CloudDriver,
  isRetryable,
  type ProviderId,
  type Tags,
  ThrottledError,
  type Vm,
} from '../drivers/spec/index.ts';

export interface ConcurrencyLimit {
  /** Regions of the provider with work in flight at once. */
  regions: number;
  /** VM creates in flight at once in one region. */
  vmsPerRegion: number;
}

/** Tumblebug's field values; providers not listed get the conservative default. */
export const DEFAULT_CONCURRENCY: Partial<Record<ProviderId, ConcurrencyLimit>> = {
  aws: { regions: 10, vmsPerRegion: 30 },
  azure: { regions: 8, vmsPerRegion: 25 },
  gcp: { regions: 12, vmsPerRegion: 35 },
  alibaba: { regions: 6, vmsPerRegion: 20 },
  ncp: { regions: 3, vmsPerRegion: 15 },
};
export const FALLBACK_CONCURRENCY: ConcurrencyLimit = { regions: 4, vmsPerRegion: 10 };

/** A counting semaphore with FIFO waiters. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

/**
 * At most `limit` regions with work in flight; any number of tasks may share an admitted region.
 * A task holds one region at a time, so there is no deadlock.
 */
export class RegionGate {
  private readonly active = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(region: string, work: () => Promise<T>): Promise<T> {
    while (!this.active.has(region) && this.active.size >= this.limit)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active.set(region, (this.active.get(region) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const count = (this.active.get(region) ?? 1) - 1;
      if (count === 0) {
        this.active.delete(region);
        for (const wake of this.waiters.splice(0)) wake();
      } else this.active.set(region, count);
    }
  }
}

/** Both limits of every provider, created on first use. */
export class ConcurrencyLimiter {
  private readonly gates = new Map<ProviderId, RegionGate>();
  private readonly vmSlots = new Map<string, Semaphore>();
  constructor(private readonly overrides: Partial<Record<ProviderId, Partial<ConcurrencyLimit>>> = {}) {}

  limitOf(provider: ProviderId): ConcurrencyLimit {
    return { ...FALLBACK_CONCURRENCY, ...DEFAULT_CONCURRENCY[provider], ...this.overrides[provider] };
  }

  inRegion<T>(provider: ProviderId, regionId: string, work: () => Promise<T>): Promise<T> {
    let gate = this.gates.get(provider);
    if (!gate) {
      gate = new RegionGate(this.limitOf(provider).regions);
      this.gates.set(provider, gate);
    }
    return gate.run(regionId, work);
  }

  vmCreate<T>(provider: ProviderId, regionId: string, work: () => Promise<T>): Promise<T> {
    let slots = this.vmSlots.get(regionId);
    if (!slots) {
      slots = new Semaphore(this.limitOf(provider).vmsPerRegion);
      this.vmSlots.set(regionId, slots);
    }
    return this.inRegion(provider, regionId, () => (slots as Semaphore).run(work));
  }
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 20_000 };

export interface RetryStatistics {
  retries: number;
  throttled: number;
}

/** Delay before attempt `attempt + 1`: full exponential, half of it jittered; at least retry-after. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  error: unknown,
  random = Math.random,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return error instanceof ThrottledError ? Math.max(jittered, error.retryAfterMs) : jittered;
}

/** Runs `work`, retrying retryable errors (throttling, provider hiccups) a bounded number of times. */
export async function withRetry<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; statistics?: RetryStatistics; retryIf?: (error: unknown) => boolean } = {},
): Promise<T> {
  const retryIf = options.retryIf ?? isRetryable;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await work();
    } catch (error) {
      if (!retryIf(error) || attempt >= policy.maxAttempts) throw error;
      if (options.statistics) {
        options.statistics.retries++;
        if (error instanceof ThrottledError) options.statistics.throttled++;
      }
      try {
        await sleep(backoffDelay(attempt, policy, error), undefined, { signal: options.signal });
      } catch (sleepError) {
        if (options.signal?.aborted) throw options.signal.reason;
        throw sleepError;
      }
    }
  }
}

/**
 * getVm served from one listVms per region and interval: N nodes waiting to boot in a region cost
 * one list call per poll instead of N reads, which keeps read buckets of small clouds from throttling.
 */
export class RegionVmSnapshot {
  private snapshot: Promise<Map<string, Vm>> | undefined;
  private takenAt = 0;

  constructor(
    private readonly driver: Pick<CloudDriver, 'getVm' | 'listVms'>,
    private readonly region: string,
    private readonly tags: Tags,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async getVm(id: string): Promise<Vm> {
    const now = this.clock();
    if (!this.snapshot || now - this.takenAt >= this.intervalMs) {
      this.takenAt = now;
      this.snapshot = this.driver
        .listVms({ region: this.region, tags: this.tags, includeTerminated: true })
        .then((vms) => new Map(vms.map((vm) => [vm.id, vm])));
      this.snapshot.catch(() => {
        this.snapshot = undefined;
      });
    }
    const vm = (await this.snapshot).get(id);
    // Made after the snapshot was taken: ask for it alone.
    return vm ?? this.driver.getVm(id);
  }
}
