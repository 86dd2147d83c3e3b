/**
 * An engine in its own process, for the crash and two-process tests:
 * - `create <home> <name> <size> <leaseTtlMs>` starts creating an MCI of <size> nodes, prints the
 *   operation id, and keeps working until killed (or done);
 * - `recover <home> <leaseTtlMs>` takes over unfinished operations until none is left, then prints
 *   the ids it ran, as JSON.
 */
import { MciEngine } from '../engine.ts';
import { FINAL_OPERATION_STATUSES } from '../model.ts';
import { createMciTestContext } from './mci-test-kit.ts';

const [mode, home, ...rest] = process.argv.slice(2);
if (!mode || !home) throw new Error('usage: engine-process <create|recover> <home> …');
// Time scale 0.01: a 40 s AWS boot takes 0.4 s, so a 50-node MCI is mid-way for a few seconds.
const context = await createMciTestContext(
  { timeScale: 0.01, apiLatency: false, rateLimits: false },
  undefined,
  home,
);
const leaseTtlMs = Number(mode === 'create' ? rest[2] : rest[0]);
const engine = new MciEngine({
  store: context.store,
  drivers: context.drivers,
  keyVault: context.keyVault,
  resolver: context.resolver,
  owner: 'tester',
  leaseTtlMs,
  pollIntervalMs: 20,
  retry: { baseDelayMs: 5, maxDelayMs: 50 },
  concurrency: { aws: { vmsPerRegion: 5 } },
});

if (mode === 'create') {
  const [name, size] = rest as [string, string];
  const { operationId } = await engine.createMci({
    name,
    nodeGroups: [{ name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size: Number(size) }],
  });
  console.log(operationId);
  await engine.wait(operationId);
  console.log('done');
} else if (mode === 'recover') {
  const taken: string[] = [];
  for (;;) {
    taken.push(...(await engine.recoverOperations()));
    const open = (await engine.journal.listOperations()).filter(
      (operation) => !FINAL_OPERATION_STATUSES.includes(operation.status),
    );
    if (open.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  await engine.close();
  console.log(JSON.stringify(taken));
  await context.store.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
