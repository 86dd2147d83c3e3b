import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ThrottledError } from '../drivers/spec/index.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { idempotencyKey, Journal } from './journal.ts';
import { LeaseManager } from './lease.ts';
import { backoffDelay, DEFAULT_RETRY, RegionGate, withRetry } from './limits.ts';
import type { Operation } from './model.ts';

let home: string;
let store: Store;
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 's2a-mci-durability-'));
  store = await openStore({ home });
});
afterEach(async () => {
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

function operation(id: string): Operation {
  const now = new Date().toISOString();
  return {
    id,
    kind: 'create',
    mciName: 'demo',
    status: 'running',
    input: {},
    onFailure: 'failover',
    createdAt: now,
    updatedAt: now,
    cancelRequested: false,
    runs: 1,
    holders: [],
    errors: [],
    progress: { stepsDone: 0, stepsTotal: 0, nodesReady: 0, nodesTotal: 0 },
  };
}

describe('journal', () => {
  it('derives the same idempotency key for the same step, within the drivers 64 characters', () => {
    expect(idempotencyKey('op-1', 'vm.web-1.g0')).toBe('op-1:vm.web-1.g0');
    const long = idempotencyKey('op-mx0samgx-d58aff29', `subnet.${'x'.repeat(80)}`);
    expect(long).toHaveLength(64);
    expect(idempotencyKey('op-mx0samgx-d58aff29', `subnet.${'x'.repeat(80)}`)).toBe(long);
  });

  it('journals a step before (running, attempt counted) and after (succeeded with the resource)', async () => {
    const journal = new Journal(store);
    await journal.beginStep('op-1', 'vnet.aws+us-east-1', 'vnet', 'aws+us-east-1', { note: 'fixed' });
    expect(await journal.getStep('op-1', 'vnet.aws+us-east-1')).toMatchObject({
      status: 'running',
      attempts: 1,
    });
    await journal.beginStep('op-1', 'vnet.aws+us-east-1', 'vnet', 'aws+us-east-1', { note: 'other' });
    await journal.finishStep('op-1', 'vnet.aws+us-east-1', 'aws+us-east-1+vpc-1');
    expect(await journal.getStep('op-1', 'vnet.aws+us-east-1')).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      resourceId: 'aws+us-east-1+vpc-1',
      idempotencyKey: 'op-1:vnet.aws+us-east-1',
      // Data fixed by the first attempt stays: a re-run imports the same public key.
      data: { note: 'fixed' },
    });
  });
});

describe('leases', () => {
  it('lets one holder at a time run an operation, and another take over once the lease expired', async () => {
    await store.insert('mci', 'operation', 'op-1', operation('op-1'));
    let now = 1_000_000;
    const first = new LeaseManager(store, 'first', 1000, () => now);
    const second = new LeaseManager(store, 'second', 1000, () => now);
    expect(await first.acquire('op-1')).toBe(true);
    expect(await second.acquire('op-1')).toBe(false);
    now += 600;
    expect(await first.renew('op-1')).toBe(true);
    now += 600;
    expect(await second.acquire('op-1')).toBe(false);
    now += 1000;
    expect(await second.acquire('op-1')).toBe(true);
    expect(await first.renew('op-1')).toBe(false);
  });

  it('never hands out the lease of a finished operation', async () => {
    await store.insert('mci', 'operation', 'op-2', { ...operation('op-2'), status: 'succeeded' });
    expect(await new LeaseManager(store, 'any', 1000).acquire('op-2')).toBe(false);
  });
});

describe('limits', () => {
  it('waits at least the retry-after of a ThrottledError, and backs off exponentially otherwise', () => {
    const throttled = new ThrottledError('slow down', 5000);
    expect(backoffDelay(1, DEFAULT_RETRY, throttled, () => 0)).toBe(5000);
    expect(backoffDelay(1, DEFAULT_RETRY, new Error('x'), () => 1)).toBe(250);
    expect(backoffDelay(3, DEFAULT_RETRY, new Error('x'), () => 1)).toBe(1000);
    expect(backoffDelay(30, DEFAULT_RETRY, new Error('x'), () => 1)).toBe(DEFAULT_RETRY.maxDelayMs);
  });

  it('retries retryable errors a bounded number of times and never non-retryable ones', async () => {
    let calls = 0;
    const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
    await expect(
      withRetry(async () => {
        calls++;
        throw new ThrottledError('slow down', 1);
      }, policy),
    ).rejects.toThrow('slow down');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new Error('bug');
      }, policy),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });

  it('admits at most the limit of regions at once while tasks of one region share its slot', async () => {
    const gate = new RegionGate(2);
    const active = new Set<string>();
    let most = 0;
    const task = (region: string) =>
      gate.run(region, async () => {
        active.add(region);
        most = Math.max(most, active.size);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active.delete(region);
      });
    await Promise.all(['a', 'a', 'b', 'c', 'd', 'b', 'a'].map(task));
    expect(most).toBe(2);
  });
});
