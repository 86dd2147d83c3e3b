/**
 * Real processes writing one file at once: what the web app and an MCP server do side by side.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './index.ts';
import { latestSchemaVersion, migrations } from './migrations.ts';
import { TemporaryDirectories } from './testing/temporary-directories.ts';
import { runWriterProcesses } from './testing/writer-processes.ts';
import type { Counter, Item } from './testing/writer-protocol.ts';
import { COUNTER, ITEM_KIND, itemId } from './testing/writer-protocol.ts';

const directories = new TemporaryDirectories();
afterEach(() => directories.removeAll());

const TRANSACTIONS_PER_PROCESS = 300;

describe('two processes on one SQLite file', () => {
  it('lose no update: a shared counter read-modify-written by both ends at 2N', {
    timeout: 60_000,
  }, async () => {
    const file = join(directories.create(), 's2a.db');
    await (await openStore({ file })).close();

    const reports = await runWriterProcesses(file, [
      { namespace: 'writer-a', count: TRANSACTIONS_PER_PROCESS },
      { namespace: 'writer-b', count: TRANSACTIONS_PER_PROCESS },
    ]);
    expect(reports.map((report) => report.transactions)).toEqual([
      TRANSACTIONS_PER_PROCESS,
      TRANSACTIONS_PER_PROCESS,
    ]);

    const store = await openStore({ file });
    const total = 2 * TRANSACTIONS_PER_PROCESS;
    const counter = await store.get<Counter>(COUNTER.namespace, COUNTER.kind, COUNTER.id);
    expect(counter?.data.value).toBe(total);
    expect(counter?.revision).toBe(total);
    const observed: number[] = [];
    for (const namespace of ['writer-a', 'writer-b']) {
      const items = await store.list<Item>({ namespace, kind: ITEM_KIND });
      expect(items.map((item) => item.id)).toEqual(
        Array.from({ length: TRANSACTIONS_PER_PROCESS }, (_, sequence) => itemId(namespace, sequence)),
      );
      observed.push(...items.map((item) => item.data.counter));
    }
    // Every transaction saw a distinct counter value: they ran one after another.
    expect(observed.sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    await store.close();
  });

  it('both open a brand-new file at the same moment; it is migrated once', { timeout: 60_000 }, async () => {
    const file = join(directories.create(), 'new', 's2a.db');
    const reports = await runWriterProcesses(
      file,
      [
        { namespace: 'writer-a', count: 20 },
        { namespace: 'writer-b', count: 20 },
      ],
      'before-open',
    );
    expect(reports.map((report) => report.schemaVersion)).toEqual([
      latestSchemaVersion(),
      latestSchemaVersion(),
    ]);

    const database = new Database(file, { readonly: true });
    const applied = database.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    const counter = database
      .prepare('SELECT data FROM records WHERE namespace = ? AND kind = ? AND id = ?')
      .get(COUNTER.namespace, COUNTER.kind, COUNTER.id) as { data: string } | undefined;
    database.close();
    expect(applied).toEqual(migrations.map(({ version, name }) => ({ version, name })));
    expect(JSON.parse(counter?.data ?? 'null')).toEqual({ value: 40 });
  });
});
