/**
 * Store benchmark: what a store call costs on this machine, and what a second process writing the
 * same file does to throughput. Prints figures only; run with `npm run bench:store`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openStore } from './index.ts';
import { TemporaryDirectories } from './testing/temporary-directories.ts';
import { runWriterProcesses } from './testing/writer-processes.ts';
import type { WriterReport } from './testing/writer-protocol.ts';

const SINGLE_INSERTS = 5_000;
const BATCH_INSERTS = 20_000;
const READ_MODIFY_WRITES = 5_000;
const LIST_RECORDS = 10_000;
const LIST_REPEATS = 200;
const PROCESS_TRANSACTIONS = 2_000;

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-2'] as const;

function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((first, second) => first - second);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

function rate(label: string, count: number, milliseconds: number): number {
  const perSecond = count / (milliseconds / 1000);
  console.log(
    `${label.padEnd(58)} ${String(count).padStart(6)} in ${milliseconds.toFixed(0).padStart(5)} ms  ${perSecond.toFixed(0).padStart(7)}/s`,
  );
  return perSecond;
}

async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Runs `query` LIST_REPEATS times; it returns how many rows it produced. */
async function latency(label: string, query: () => Promise<number>): Promise<void> {
  const samples: number[] = [];
  let size = 0;
  for (let index = 0; index < LIST_REPEATS; index += 1) {
    const start = performance.now();
    size = await query();
    samples.push(performance.now() - start);
  }
  console.log(
    `${label.padEnd(58)} ${String(size).padStart(6)} rows  p50 ${percentile(samples, 0.5).toFixed(2)} ms  p95 ${percentile(samples, 0.95).toFixed(2)} ms`,
  );
}

/** Transactions per second from the first writer's start to the last writer's finish. */
function throughput(reports: readonly WriterReport[]): { transactions: number; milliseconds: number } {
  const start = Math.min(...reports.map((report) => report.startedAt));
  const finish = Math.max(...reports.map((report) => report.finishedAt));
  const transactions = reports.reduce((sum, report) => sum + report.transactions, 0);
  return { transactions, milliseconds: finish - start };
}

const directories = new TemporaryDirectories();
try {
  const store = await openStore({ home: directories.create('s2a-bench-store-') });
  console.log(`SQLite store at ${store.location}`);

  const singles = await elapsed(async () => {
    for (let index = 0; index < SINGLE_INSERTS; index += 1) {
      await store.insert('bench', 'single', `id-${index}`, {
        index,
        region: REGIONS[index % REGIONS.length],
      });
    }
  });
  rate('insert, each its own transaction', SINGLE_INSERTS, singles);

  const batched = await elapsed(() =>
    store.transaction(async (tx) => {
      for (let index = 0; index < BATCH_INSERTS; index += 1) {
        await tx.insert('bench', 'batched', `id-${index}`, {
          index,
          region: REGIONS[index % REGIONS.length],
        });
      }
    }),
  );
  rate('insert, all in one transaction', BATCH_INSERTS, batched);

  await store.insert('bench', 'counter', 'total', { value: 0 });
  const increment = () =>
    store.transaction(async (tx) => {
      const counter = await tx.get<{ value: number }>('bench', 'counter', 'total');
      await tx.update(
        'bench',
        'counter',
        'total',
        { value: (counter?.data.value ?? 0) + 1 },
        counter?.revision,
      );
    });
  const sequential = await elapsed(async () => {
    for (let index = 0; index < READ_MODIFY_WRITES; index += 1) await increment();
  });
  rate('read-modify-write transaction, one at a time', READ_MODIFY_WRITES, sequential);
  const concurrent = await elapsed(() => Promise.all(Array.from({ length: READ_MODIFY_WRITES }, increment)));
  rate('read-modify-write transaction, all issued at once', READ_MODIFY_WRITES, concurrent);

  await store.transaction(async (tx) => {
    for (let index = 0; index < LIST_RECORDS; index += 1) {
      await tx.insert('bench', 'vm', `vm-${String(index).padStart(6, '0')}`, {
        region: REGIONS[index % REGIONS.length],
        cpus: 2 ** (index % 5),
        running: index % 3 !== 0,
        owner: index % 7 === 0 ? null : `user-${index % 50}`,
        tags: { team: `team-${index % 20}`, cost: index * 0.01 },
      });
    }
  });
  const vms = { namespace: 'bench', kind: 'vm' };
  console.log(`list and count over ${LIST_RECORDS} records of one kind, ${LIST_REPEATS} runs each:`);
  await latency('  get one by id', async () => ((await store.get('bench', 'vm', 'vm-004242')) ? 1 : 0));
  await latency(
    '  list where region (1 in 5)',
    async () => (await store.list({ ...vms, where: { region: 'eu-west-1' } })).length,
  );
  await latency(
    '  list where region + running + owner',
    async () =>
      (await store.list({ ...vms, where: { region: 'eu-west-1', running: true, owner: 'user-2' } })).length,
  );
  await latency(
    '  list where region, limit 50',
    async () => (await store.list({ ...vms, where: { region: 'eu-west-1' }, limit: 50 })).length,
  );
  await latency(
    '  list where owner null (1 in 7)',
    async () => (await store.list({ ...vms, where: { owner: null } })).length,
  );
  await latency(
    '  list idPrefix vm-0012 (100)',
    async () => (await store.list({ ...vms, idPrefix: 'vm-0012' })).length,
  );
  await latency('  count where region', () => store.count({ ...vms, where: { region: 'eu-west-1' } }));
  await latency('  list all, no filter', async () => (await store.list(vms)).length);
  await store.close();

  console.log(
    `processes writing one file, ${PROCESS_TRANSACTIONS} read-modify-write + insert transactions in all:`,
  );
  const oneFile = join(directories.create('s2a-bench-one-'), 's2a.db');
  await (await openStore({ file: oneFile })).close();
  const one = throughput(
    await runWriterProcesses(oneFile, [{ namespace: 'solo', count: PROCESS_TRANSACTIONS }]),
  );
  const oneRate = rate('  one process', one.transactions, one.milliseconds);
  const twoFile = join(directories.create('s2a-bench-two-'), 's2a.db');
  await (await openStore({ file: twoFile })).close();
  const half = PROCESS_TRANSACTIONS / 2;
  const two = throughput(
    await runWriterProcesses(twoFile, [
      { namespace: 'first', count: half },
      { namespace: 'second', count: half },
    ]),
  );
  const twoRate = rate('  two processes at once (aggregate)', two.transactions, two.milliseconds);
  console.log(`  two processes vs one: ×${(twoRate / oneRate).toFixed(2)} throughput`);
  rmSync(oneFile, { force: true });
} finally {
  directories.removeAll();
}
