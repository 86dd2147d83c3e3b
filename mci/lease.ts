// Leases: an operation runs in the one process holding its lease. The holder renews it by
// heartbeat; a lease whose holder stopped renewing (crash, SIGKILL) expires and may be taken over.
import type { Store } from '../store/types.ts';
import { FINAL_OPERATION_STATUSES, type Operation } from './model.ts';
import { MCI_NAMESPACE } from './review.ts';

export interface Lease {
  operationId: string;
  holder: string;
  expiresAt: number;
  acquiredAt: number;
}

export class LeaseManager {
  constructor(
    private readonly store: Store,
    readonly holder: string,
    readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Takes the lease when it is free, expired or already ours, and the operation is not finished.
   * Atomic across processes (one store transaction).
   */
  async acquire(operationId: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const operation = await tx.get<Operation>(MCI_NAMESPACE, 'operation', operationId);
      if (!operation || FINAL_OPERATION_STATUSES.includes(operation.data.status)) return false;
      const current = await tx.get<Lease>(MCI_NAMESPACE, 'lease', operationId);
      const now = this.clock();
      if (current && current.data.holder !== this.holder && current.data.expiresAt > now) return false;
      await tx.put<Lease>(MCI_NAMESPACE, 'lease', operationId, {
        operationId,
        holder: this.holder,
        expiresAt: now + this.ttlMs,
        acquiredAt: now,
      });
      return true;
    });
  }

  /** Extends our lease; false when it is no longer ours (expired and taken over). */
  async renew(operationId: string): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const current = await tx.get<Lease>(MCI_NAMESPACE, 'lease', operationId);
      if (!current || current.data.holder !== this.holder) return false;
      await tx.put<Lease>(MCI_NAMESPACE, 'lease', operationId, {
        ...current.data,
        expiresAt: this.clock() + this.ttlMs,
      });
      return true;
    });
  }

  async release(operationId: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const current = await tx.get<Lease>(MCI_NAMESPACE, 'lease', operationId);
      if (current?.data.holder === this.holder) await tx.delete(MCI_NAMESPACE, 'lease', operationId);
    });
  }

  async get(operationId: string): Promise<Lease | undefined> {
    return (await this.store.get<Lease>(MCI_NAMESPACE, 'lease', operationId))?.data;
  }

  /**
   * Renews every ttl/3 until stopped; calls `onLost` once if the lease was taken, and `onTick` on
   * every beat (the engine reads cancellation requests there).
   */
  heartbeat(operationId: string, onLost: () => void, onTick?: () => Promise<void>): { stop(): void } {
    let stopped = false;
    const timer = setInterval(
      () => {
        if (stopped) return;
        void (async () => {
          try {
            if (!(await this.renew(operationId))) {
              stopped = true;
              clearInterval(timer);
              onLost();
              return;
            }
            await onTick?.();
          } catch {
            // A busy store: try again on the next beat; the lease outlives a few missed beats.
          }
        })();
      },
      Math.max(10, Math.floor(this.ttlMs / 3)),
    );
    timer.unref();
    return {
      stop() {
        stopped = true;
        clearInterval(timer);
      },
    };
  }
}
