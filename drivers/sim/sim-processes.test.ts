import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.ts';
import type { Vm } from '../spec/index.ts';
import { SimDriver } from './sim-driver.ts';
import { fixtureWorld } from './testing/fixture-world.ts';
import { createNetworkStack } from './testing/sim-test-kit.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = 'drivers/sim/testing/sim-process.ts';
const homes: string[] = [];
const children: ChildProcess[] = [];

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), 's2a-sim-process-'));
  homes.push(home);
  return home;
}

/** Starts the helper process; resolves with its first line of output. */
function startProcess(args: string[]): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', SCRIPT, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const firstLine = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk) => {
      buffer += String(chunk);
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(buffer.slice(0, newline));
    });
    child.on('exit', (code) => reject(new Error(`process exited with ${code} before answering: ${stderr}`)));
  });
  return { child, firstLine };
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('sim across processes', () => {
  it('a VM created by a process that was killed keeps booting: the next process sees it Running', async () => {
    const home = newHome();
    // Time scale 0.1: the 40 s AWS boot takes 4 s of wall time.
    const { child, firstLine } = startProcess(['create-and-hang', home, '0.1']);
    const created = JSON.parse(await firstLine) as Vm;
    expect(created.status).toBe('Creating');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const store = await openStore({ home });
    try {
      const driver = new SimDriver({
        provider: 'aws',
        store,
        world: fixtureWorld(),
        config: { apiLatency: false },
      });
      const seen = await driver.getVm(created.id);
      expect(['Creating', 'Running']).toContain(seen.status);
      let current = seen;
      const deadline = Date.now() + 20_000;
      while (current.status !== 'Running' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        current = await driver.getVm(created.id);
      }
      expect(current.status).toBe('Running');
      // The transition happened at the moment computed when the VM was created, not when we looked.
      expect(Date.parse(current.statusSince) - Date.parse(created.createdAt)).toBe(4_000);
    } finally {
      await store.close();
    }
  });

  it('two processes creating VMs in one subnet at once get every VM and distinct addresses', async () => {
    const home = newHome();
    const store = await openStore({ home });
    const driver = new SimDriver({
      provider: 'aws',
      store,
      world: fixtureWorld(),
      config: { apiLatency: false },
    });
    const stack = await createNetworkStack(driver, 'ap-northeast-2');
    const args = (prefix: string) => [
      'create-many',
      home,
      prefix,
      '25',
      stack.subnet.id,
      stack.group.id,
      stack.keyPair.id,
    ];
    try {
      const [first, second] = await Promise.all([
        startProcess(args('left')).firstLine,
        startProcess(args('right')).firstLine,
      ]);
      const ids = [...(JSON.parse(first) as string[]), ...(JSON.parse(second) as string[])];
      expect(new Set(ids).size).toBe(50);
      const vms = await driver.listVms();
      expect(vms).toHaveLength(50);
      expect(new Set(vms.map((vm) => vm.privateIp)).size).toBe(50);
      expect(new Set(vms.map((vm) => vm.publicIp)).size).toBe(50);
    } finally {
      await store.close();
    }
  });
});
