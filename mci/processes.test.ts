import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MciEngine } from './engine.ts';
import type { Operation, Step } from './model.ts';
import { createMciTestContext, listS2aResources, type MciTestContext } from './testing/mci-test-kit.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCRIPT = 'mci/testing/engine-process.ts';
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function start(args: string[]): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', SCRIPT, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    buffer += String(chunk);
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  return { child, lines, exited };
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

async function openContext(home: string): Promise<MciTestContext> {
  const context = await createMciTestContext(
    { timeScale: 0.01, apiLatency: false, rateLimits: false },
    undefined,
    home,
  );
  cleanups.push(() => context.dispose());
  return context;
}

/** Starts a 50-node create in a child process and SIGKILLs it once some VMs exist. */
async function crashMidCreate(name: string): Promise<{ context: MciTestContext; operationId: string }> {
  const home = mkdtempSync(join(tmpdir(), 's2a-mci-crash-'));
  const creator = start(['create', home, name, '50', '600']);
  const operationId = await until(async () => creator.lines[0]);
  const context = await openContext(home);
  const vmSteps = async () =>
    (
      await context.store.list<Step>({ namespace: 'mci', kind: 'step', idPrefix: `${operationId}/vm.` })
    ).filter((record) => record.data.status === 'succeeded').length;
  await until(async () => ((await vmSteps()) >= 8 ? true : undefined));
  creator.child.kill('SIGKILL');
  await creator.exited;
  expect(await vmSteps()).toBeLessThan(50);
  return { context, operationId };
}

describe('MCI engine across processes', () => {
  it('finishes a 50-node create after the process running it is SIGKILLed mid-way: all Running, no duplicates, no orphans', async () => {
    const { context, operationId } = await crashMidCreate('crash');
    const engine = new MciEngine({
      store: context.store,
      drivers: context.drivers,
      keyVault: context.keyVault,
      resolver: context.resolver,
      owner: 'tester',
      leaseTtlMs: 600,
      pollIntervalMs: 20,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
    });
    cleanups.unshift(() => engine.close());
    // The dead process's lease has to expire first.
    const lease = await engine.leases.get(operationId);
    if (lease && lease.expiresAt > Date.now() + 150) expect(await engine.recoverOperations()).toEqual([]);
    const taken = await until(async () => {
      const ids = await engine.recoverOperations();
      return ids.length > 0 ? ids : undefined;
    });
    expect(taken).toEqual([operationId]);
    const operation = await engine.wait(operationId);
    expect(operation.status).toBe('succeeded');
    expect(operation.runs).toBe(2);
    expect((await engine.getMci('crash')).status).toBe('Running:50 (R:50/50)');
    const aws = await context.drivers('aws');
    expect(await aws.listVms({ tags: { 's2a:mci': 'crash' } })).toHaveLength(50);
    expect((await engine.sweepOrphans({ providers: ['aws'] })).orphans).toEqual([]);
    // One vNet, one subnet, one security group, one key pair, 50 VMs: nothing made twice.
    expect(await listS2aResources(context.drivers, ['aws'])).toHaveLength(54);
  }, 90_000);

  it('rolls a SIGKILLed create back when the engine recovers with onRecovery "rollback": zero resources left', async () => {
    const { context, operationId } = await crashMidCreate('undo');
    const engine = new MciEngine({
      store: context.store,
      drivers: context.drivers,
      keyVault: context.keyVault,
      owner: 'tester',
      leaseTtlMs: 600,
      pollIntervalMs: 20,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      onRecovery: 'rollback',
    });
    cleanups.unshift(() => engine.close());
    await until(async () => ((await engine.recoverOperations()).length > 0 ? true : undefined));
    const operation = await engine.wait(operationId);
    expect(operation.status).toBe('rolled-back');
    expect(await engine.listMcis()).toEqual([]);
    expect(await listS2aResources(context.drivers, ['aws'])).toEqual([]);
  }, 90_000);

  it('two engine processes on one store run every operation exactly once', async () => {
    const home = mkdtempSync(join(tmpdir(), 's2a-mci-two-'));
    const context = await openContext(home);
    const engine = new MciEngine({
      store: context.store,
      drivers: context.drivers,
      keyVault: context.keyVault,
      owner: 'tester',
    });
    const sizes = [3, 4, 2, 5, 3, 1];
    const operationIds: string[] = [];
    for (const [index, size] of sizes.entries()) {
      const { operationId } = await engine.createMci(
        {
          name: `pair-${index}`,
          nodeGroups: [{ name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size }],
        },
        { start: false },
      );
      operationIds.push(operationId);
    }
    const first = start(['recover', home, '10000']);
    const second = start(['recover', home, '10000']);
    expect(await first.exited).toBe(0);
    expect(await second.exited).toBe(0);
    const takenByFirst = JSON.parse(first.lines.at(-1) ?? '[]') as string[];
    const takenBySecond = JSON.parse(second.lines.at(-1) ?? '[]') as string[];
    expect([...takenByFirst, ...takenBySecond].sort()).toEqual([...operationIds].sort());
    for (const operationId of operationIds) {
      const operation = (await context.store.get<Operation>('mci', 'operation', operationId))?.data;
      expect(operation?.status).toBe('succeeded');
      expect(operation?.runs).toBe(1);
      expect(operation?.holders).toHaveLength(1);
      const steps = await context.store.list<Step>({
        namespace: 'mci',
        kind: 'step',
        idPrefix: `${operationId}/`,
      });
      for (const step of steps) expect(step.data.attempts).toBe(1);
    }
    const aws = await context.drivers('aws');
    expect(await aws.listVms({})).toHaveLength(sizes.reduce((sum, size) => sum + size, 0));
  }, 90_000);
});
