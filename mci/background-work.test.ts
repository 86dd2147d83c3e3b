import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from './model.ts';
import { createMciService, type MciService } from './service.ts';
import { createMciTestContext, listS2aResources, type MciTestContext } from './testing/mci-test-kit.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Runs mci/testing/engine-process.ts; its stdout lines arrive in `lines`. */
function start(args: string[]): { child: ChildProcess; lines: string[]; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', 'mci/testing/engine-process.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk) => {
    buffer += String(chunk);
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { child, lines, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

async function until<T>(read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('MciService.startBackgroundWork', () => {
  it('finishes a create left mid-way by a process that was SIGKILLed, once its lease has expired', async () => {
    const home = mkdtempSync(join(tmpdir(), 's2a-mci-background-'));
    // The same sim settings as the child (engine-process.ts), so both see one world.
    const context: MciTestContext = await createMciTestContext(
      { timeScale: 0.01, apiLatency: false, rateLimits: false },
      undefined,
      home,
    );
    cleanups.push(() => context.dispose());
    const creator = start(['create', home, 'orphaned', '20', '600']);
    const operationId = await until(async () => creator.lines[0]);
    const succeededVms = async () =>
      (
        await context.store.list<Step>({ namespace: 'mci', kind: 'step', idPrefix: `${operationId}/vm.` })
      ).filter((record) => record.data.status === 'succeeded').length;
    await until(async () => ((await succeededVms()) >= 4 ? true : undefined));
    creator.child.kill('SIGKILL');
    await creator.exited;
    expect(await succeededVms()).toBeLessThan(20);

    const service: MciService = await createMciService({
      store: context.store,
      home,
      drivers: context.drivers,
      simAccount: 'default',
      simTimeScale: 0.01,
      isSim: () => true,
      secret: 'a test passphrase of enough length',
      engine: {
        owner: 'tester',
        leaseTtlMs: 600,
        pollIntervalMs: 20,
        retry: { baseDelayMs: 5, maxDelayMs: 50 },
      },
    });
    cleanups.unshift(() => service.close());
    const lease = await service.engine.leases.get(operationId);
    const leaseStillHeld = lease !== undefined && lease.expiresAt > Date.now() + 150;
    const work = service.startBackgroundWork({ recoveryIntervalMs: 50 });
    cleanups.unshift(() => work.stop());
    // The dead process's lease is respected: the first pass takes the operation only once it expired.
    const firstPass = await work.recovered;
    if (leaseStillHeld) expect(firstPass).toEqual([]);
    const operation = await service.engine.wait(operationId, { timeoutMs: 60_000 });
    expect(operation.status).toBe('succeeded');
    expect(operation.runs).toBe(2);
    expect(operation.holders.at(-1)).toBe(service.engine.holderId);
    expect((await service.engine.getMci('orphaned')).status).toBe('Running:20 (R:20/20)');
    // One vNet, subnet, security group and key pair, 20 VMs: nothing made twice, nothing orphaned.
    expect(await listS2aResources(context.drivers, ['aws'])).toHaveLength(24);
    expect((await service.engine.sweepOrphans({ providers: ['aws'] })).orphans).toEqual([]);
    await work.stop();
  }, 90_000);

  it('starts with nothing to recover and stops cleanly', async () => {
    const context = await createMciTestContext();
    cleanups.push(() => context.dispose());
    const service = await createMciService({
      store: context.store,
      home: context.home,
      drivers: context.drivers,
      simAccount: 'default',
      simTimeScale: 0.001,
      isSim: () => true,
      secret: 'a test passphrase of enough length',
    });
    cleanups.unshift(() => service.close());
    const work = service.startBackgroundWork({ recoveryIntervalMs: 0, statusRefresher: { intervalMs: 10 } });
    expect(await work.recovered).toEqual([]);
    await work.stop();
    // close() stops what is still running.
    const forgotten = service.startBackgroundWork({ recoveryIntervalMs: 5 });
    await forgotten.recovered;
    await service.close();
  });
});
