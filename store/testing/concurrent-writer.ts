/**
 * A writer process for the two-process tests and benchmark:
 *
 *   node bin/run-ts.mjs store/testing/concurrent-writer.ts <database-file> <namespace> <count> [--barrier | --barrier-before-open]
 *
 * Opens the store and runs <count> transactions, each incrementing the shared counter
 * (shared/counter/total) with a read-modify-write and inserting <namespace>/item/<n> holding the
 * counter value it saw. Prints one JSON line (WriterReport) at the end.
 *
 * So that several processes start together, `--barrier` prints "ready" once the store is open and
 * waits for a line on stdin before writing; `--barrier-before-open` waits before opening (to race
 * the creation and migration of a new file).
 */
import { createInterface } from 'node:readline';
import { openStore } from '../index.ts';
import type { Counter, Item, WriterReport } from './writer-protocol.ts';
import { COUNTER, ITEM_KIND, itemId } from './writer-protocol.ts';

async function main(): Promise<void> {
  const [file, namespace, countText, ...flags] = process.argv.slice(2);
  const count = Number(countText);
  if (!file || !namespace || !Number.isSafeInteger(count) || count < 0) {
    console.error(
      'usage: concurrent-writer <database-file> <namespace> <count> [--barrier | --barrier-before-open]',
    );
    process.exit(2);
  }
  if (flags.includes('--barrier-before-open')) await barrier();
  const store = await openStore({ file });
  if (flags.includes('--barrier')) await barrier();
  const startedAt = now();
  for (let sequence = 0; sequence < count; sequence += 1) {
    await store.transaction(async (tx) => {
      const counter = await tx.get<Counter>(COUNTER.namespace, COUNTER.kind, COUNTER.id);
      const value = (counter?.data.value ?? 0) + 1;
      if (counter === undefined)
        await tx.insert<Counter>(COUNTER.namespace, COUNTER.kind, COUNTER.id, { value });
      else await tx.update<Counter>(COUNTER.namespace, COUNTER.kind, COUNTER.id, { value }, counter.revision);
      await tx.insert<Item>(namespace, ITEM_KIND, itemId(namespace, sequence), {
        writer: namespace,
        sequence,
        counter: value,
      });
    });
  }
  const finishedAt = now();
  const report: WriterReport = {
    namespace,
    transactions: count,
    schemaVersion: await store.schemaVersion(),
    startedAt,
    finishedAt,
  };
  await store.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function barrier(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));
  process.stdout.write('ready\n');
  await go;
  lines.close();
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

await main();
