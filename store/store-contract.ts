/**
 * The behaviour every Store implementation must have. SQLite runs it in sqlite-store.test.ts; a
 * PostgreSQL store must pass it unchanged. `open` must return a fresh, empty store each time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repository, Store, StoredRecord } from './types.ts';
import { StoreConflictError, StoreError, StoreNotFoundError, StoreUsageError } from './types.ts';

const ISO_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Vm {
  region: string;
  cpus: number;
  running: boolean;
  owner: string | null;
  tags?: string[];
}

export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    async function seedVms(namespace = 'sim/test'): Promise<void> {
      const vms: Array<[string, Vm]> = [
        ['vm-03', { region: 'us-east-1', cpus: 4, running: true, owner: 'ana' }],
        ['vm-01', { region: 'us-east-1', cpus: 2, running: false, owner: null }],
        ['vm-10', { region: 'eu-west-1', cpus: 2, running: true, owner: 'bo', tags: ['a'] }],
        ['vm-02', { region: 'ap-northeast-2', cpus: 8.5, running: true, owner: 'ana' }],
        ['disk-1', { region: 'us-east-1', cpus: 0, running: false, owner: null }],
      ];
      for (const [id, vm] of vms) await store.insert(namespace, 'vm', id, vm);
    }

    const ids = (records: StoredRecord[]): string[] => records.map((record) => record.id);

    describe('metadata', () => {
      it('reports a location and a schema version', async () => {
        expect(typeof store.location).toBe('string');
        expect(store.location.length).toBeGreaterThan(0);
        expect(await store.schemaVersion()).toBeGreaterThanOrEqual(1);
      });
    });

    describe('insert and get', () => {
      it('returns undefined for a record that does not exist', async () => {
        expect(await store.get('sim/test', 'vm', 'missing')).toBeUndefined();
      });

      it('inserts at revision 1 with equal ISO timestamps and reads the same record back', async () => {
        const inserted = await store.insert('sim/test', 'vm', 'vm-1', { region: 'us-east-1' });
        expect(inserted).toEqual({
          namespace: 'sim/test',
          kind: 'vm',
          id: 'vm-1',
          data: { region: 'us-east-1' },
          revision: 1,
          createdAt: expect.stringMatching(ISO_MILLISECONDS),
          updatedAt: inserted.createdAt,
        });
        expect(await store.get('sim/test', 'vm', 'vm-1')).toEqual(inserted);
      });

      it('refuses a duplicate with StoreConflictError and keeps the original', async () => {
        await store.insert('sim/test', 'vm', 'vm-1', { version: 'first' });
        const error = await store.insert('sim/test', 'vm', 'vm-1', { version: 'second' }).catch((e) => e);
        expect(error).toBeInstanceOf(StoreConflictError);
        expect(error).toMatchObject({
          code: 'STORE_CONFLICT',
          retryable: true,
          namespace: 'sim/test',
          kind: 'vm',
          id: 'vm-1',
        });
        expect((await store.get('sim/test', 'vm', 'vm-1'))?.data).toEqual({ version: 'first' });
      });

      it('round-trips nested JSON exactly', async () => {
        const data = {
          name: '서울 웹 서버 🚀',
          quote: 'it\'s "quoted" \\ and\nmultiline',
          integer: 42,
          negative: -7,
          float: 0.1 + 0.2,
          big: Number.MAX_SAFE_INTEGER,
          flags: [true, false, null],
          empty: { object: {}, array: [], string: '' },
          deep: { a: { b: { c: { d: [1, { e: 'f' }] } } } },
        };
        const inserted = await store.insert('sim/test', 'doc', 'nested', data);
        expect(inserted.data).toEqual(data);
        expect((await store.get('sim/test', 'doc', 'nested'))?.data).toEqual(data);
      });

      it('stores a copy: changing the input afterwards changes nothing', async () => {
        const data = { list: [1, 2] };
        const inserted = await store.insert('sim/test', 'doc', 'copy', data);
        data.list.push(3);
        expect(inserted.data).toEqual({ list: [1, 2] });
        expect((await store.get('sim/test', 'doc', 'copy'))?.data).toEqual({ list: [1, 2] });
      });

      it('stores top-level scalars and arrays as documents too', async () => {
        await store.insert('sim/test', 'doc', 'string', 'text');
        await store.insert('sim/test', 'doc', 'number', 3);
        await store.insert('sim/test', 'doc', 'null', null);
        await store.insert('sim/test', 'doc', 'array', [1, 'two']);
        expect((await store.get('sim/test', 'doc', 'string'))?.data).toBe('text');
        expect((await store.get('sim/test', 'doc', 'number'))?.data).toBe(3);
        expect((await store.get('sim/test', 'doc', 'null'))?.data).toBeNull();
        expect((await store.get('sim/test', 'doc', 'array'))?.data).toEqual([1, 'two']);
      });

      it('rejects data JSON cannot carry, and empty names, with StoreUsageError', async () => {
        await expect(store.insert('sim/test', 'doc', 'undefined', undefined)).rejects.toBeInstanceOf(
          StoreUsageError,
        );
        await expect(store.insert('sim/test', 'doc', 'bigint', { n: 1n })).rejects.toBeInstanceOf(
          StoreUsageError,
        );
        await expect(store.insert('', 'doc', 'x', {})).rejects.toBeInstanceOf(StoreUsageError);
        await expect(store.insert('sim/test', '', 'x', {})).rejects.toBeInstanceOf(StoreUsageError);
        await expect(store.get('sim/test', 'doc', '')).rejects.toBeInstanceOf(StoreUsageError);
        expect(await store.count({ namespace: 'sim/test', kind: 'doc' })).toBe(0);
      });
    });

    describe('update', () => {
      it('replaces the document, increments the revision and keeps createdAt', async () => {
        const inserted = await store.insert('sim/test', 'vm', 'vm-1', { region: 'a', cpus: 2 });
        const updated = await store.update('sim/test', 'vm', 'vm-1', { region: 'b' });
        expect(updated.revision).toBe(2);
        expect(updated.data).toEqual({ region: 'b' });
        expect(updated.createdAt).toBe(inserted.createdAt);
        expect(updated.updatedAt).toMatch(ISO_MILLISECONDS);
        expect(updated.updatedAt >= inserted.updatedAt).toBe(true);
        expect(await store.get('sim/test', 'vm', 'vm-1')).toEqual(updated);
      });

      it('increments the revision by one on every write', async () => {
        await store.insert('sim/test', 'counter', 'c', { value: 0 });
        for (let value = 1; value <= 10; value += 1) {
          const updated = await store.update('sim/test', 'counter', 'c', { value });
          expect(updated.revision).toBe(value + 1);
        }
      });

      it('accepts the expected revision', async () => {
        await store.insert('sim/test', 'vm', 'vm-1', { n: 1 });
        const updated = await store.update('sim/test', 'vm', 'vm-1', { n: 2 }, 1);
        expect(updated.revision).toBe(2);
        expect((await store.update('sim/test', 'vm', 'vm-1', { n: 3 }, 2)).revision).toBe(3);
      });

      it('refuses a stale expected revision with StoreConflictError and changes nothing', async () => {
        await store.insert('sim/test', 'vm', 'vm-1', { n: 1 });
        await store.update('sim/test', 'vm', 'vm-1', { n: 2 });
        const error = await store.update('sim/test', 'vm', 'vm-1', { n: 99 }, 1).catch((e) => e);
        expect(error).toBeInstanceOf(StoreConflictError);
        expect(error).toMatchObject({ namespace: 'sim/test', kind: 'vm', id: 'vm-1', retryable: true });
        const stored = await store.get('sim/test', 'vm', 'vm-1');
        expect(stored?.data).toEqual({ n: 2 });
        expect(stored?.revision).toBe(2);
      });

      it('refuses a missing record with StoreNotFoundError, with or without an expected revision', async () => {
        const plain = await store.update('sim/test', 'vm', 'ghost', { n: 1 }).catch((e) => e);
        expect(plain).toBeInstanceOf(StoreNotFoundError);
        expect(plain).toMatchObject({
          code: 'STORE_NOT_FOUND',
          namespace: 'sim/test',
          kind: 'vm',
          id: 'ghost',
        });
        await expect(store.update('sim/test', 'vm', 'ghost', { n: 1 }, 1)).rejects.toBeInstanceOf(
          StoreNotFoundError,
        );
        expect(await store.get('sim/test', 'vm', 'ghost')).toBeUndefined();
      });

      it('rejects an expected revision that is not a positive integer', async () => {
        await store.insert('sim/test', 'vm', 'vm-1', { n: 1 });
        await expect(store.update('sim/test', 'vm', 'vm-1', { n: 2 }, 0)).rejects.toBeInstanceOf(
          StoreUsageError,
        );
        await expect(store.update('sim/test', 'vm', 'vm-1', { n: 2 }, 1.5)).rejects.toBeInstanceOf(
          StoreUsageError,
        );
      });
    });

    describe('put', () => {
      it('inserts at revision 1 when absent', async () => {
        const put = await store.put('sim/test', 'vm', 'vm-1', { n: 1 });
        expect(put.revision).toBe(1);
        expect(put.createdAt).toBe(put.updatedAt);
        expect(await store.get('sim/test', 'vm', 'vm-1')).toEqual(put);
      });

      it('replaces when present, incrementing the revision and keeping createdAt', async () => {
        const first = await store.put('sim/test', 'vm', 'vm-1', { n: 1, extra: true });
        const second = await store.put('sim/test', 'vm', 'vm-1', { n: 2 });
        expect(second.revision).toBe(2);
        expect(second.data).toEqual({ n: 2 });
        expect(second.createdAt).toBe(first.createdAt);
        expect(await store.get('sim/test', 'vm', 'vm-1')).toEqual(second);
      });
    });

    describe('delete and deleteNamespace', () => {
      it('returns true when it deleted and false when there was nothing', async () => {
        await store.insert('sim/test', 'vm', 'vm-1', {});
        await store.insert('sim/test', 'vm', 'vm-2', {});
        expect(await store.delete('sim/test', 'vm', 'vm-1')).toBe(true);
        expect(await store.delete('sim/test', 'vm', 'vm-1')).toBe(false);
        expect(await store.delete('sim/test', 'vm', 'never')).toBe(false);
        expect(await store.get('sim/test', 'vm', 'vm-1')).toBeUndefined();
        expect(await store.get('sim/test', 'vm', 'vm-2')).toBeDefined();
      });

      it('starts over at revision 1 when a deleted id is inserted again', async () => {
        await store.insert('sim/test', 'vm', 'vm-1', {});
        await store.update('sim/test', 'vm', 'vm-1', {});
        await store.delete('sim/test', 'vm', 'vm-1');
        expect((await store.insert('sim/test', 'vm', 'vm-1', {})).revision).toBe(1);
      });

      it('deletes every kind in one namespace and reports how many', async () => {
        await store.insert('sim/a', 'vm', '1', {});
        await store.insert('sim/a', 'vm', '2', {});
        await store.insert('sim/a', 'disk', '1', {});
        await store.insert('sim/b', 'vm', '1', {});
        expect(await store.deleteNamespace('sim/a')).toBe(3);
        expect(await store.deleteNamespace('sim/a')).toBe(0);
        expect(await store.count({ namespace: 'sim/a', kind: 'vm' })).toBe(0);
        expect(await store.get('sim/b', 'vm', '1')).toBeDefined();
      });

      it('treats a namespace as an exact name, not a prefix', async () => {
        await store.insert('sim', 'vm', '1', {});
        await store.insert('sim/default', 'vm', '1', {});
        expect(await store.deleteNamespace('sim')).toBe(1);
        expect(await store.get('sim/default', 'vm', '1')).toBeDefined();
      });
    });

    describe('namespaces and kinds', () => {
      it('keeps the same id apart across namespaces and kinds', async () => {
        await store.insert('sim/a', 'vm', 'x', { from: 'a/vm' });
        await store.insert('sim/b', 'vm', 'x', { from: 'b/vm' });
        await store.insert('sim/a', 'disk', 'x', { from: 'a/disk' });
        expect((await store.get('sim/a', 'vm', 'x'))?.data).toEqual({ from: 'a/vm' });
        expect((await store.get('sim/b', 'vm', 'x'))?.data).toEqual({ from: 'b/vm' });
        expect((await store.get('sim/a', 'disk', 'x'))?.data).toEqual({ from: 'a/disk' });
        await store.update('sim/a', 'vm', 'x', { from: 'changed' });
        expect((await store.get('sim/b', 'vm', 'x'))?.revision).toBe(1);
        expect(ids(await store.list({ namespace: 'sim/a', kind: 'vm' }))).toEqual(['x']);
        expect(await store.delete('sim/b', 'vm', 'x')).toBe(true);
        expect(await store.get('sim/a', 'vm', 'x')).toBeDefined();
      });
    });

    describe('list and count', () => {
      it('lists one namespace and kind in id order', async () => {
        await seedVms();
        await seedVms('sim/other');
        await store.insert('sim/test', 'disk', 'vm-00', { region: 'us-east-1' });
        const records = await store.list<Vm>({ namespace: 'sim/test', kind: 'vm' });
        expect(ids(records)).toEqual(['disk-1', 'vm-01', 'vm-02', 'vm-03', 'vm-10']);
        expect(records.every((record) => record.namespace === 'sim/test' && record.kind === 'vm')).toBe(true);
        expect(records[3]?.data).toEqual({ region: 'us-east-1', cpus: 4, running: true, owner: 'ana' });
        expect(await store.count({ namespace: 'sim/test', kind: 'vm' })).toBe(5);
      });

      it('returns nothing for an unknown namespace or kind', async () => {
        await seedVms();
        expect(await store.list({ namespace: 'sim/none', kind: 'vm' })).toEqual([]);
        expect(await store.count({ namespace: 'sim/test', kind: 'none' })).toBe(0);
      });

      it('orders ids by code point, not by number or case', async () => {
        for (const id of ['b', 'B', 'a', '10', '9', 'a-1', 'a_1', 'aa']) await store.insert('n', 'k', id, {});
        expect(ids(await store.list({ namespace: 'n', kind: 'k' }))).toEqual([
          '10',
          '9',
          'B',
          'a',
          'a-1',
          'a_1',
          'aa',
          'b',
        ]);
      });

      it('limits in id order', async () => {
        await seedVms();
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', limit: 2 }))).toEqual([
          'disk-1',
          'vm-01',
        ]);
        expect(await store.list({ namespace: 'sim/test', kind: 'vm', limit: 0 })).toEqual([]);
        expect(await store.list({ namespace: 'sim/test', kind: 'vm', limit: 100 })).toHaveLength(5);
        expect(await store.count({ namespace: 'sim/test', kind: 'vm', limit: 2 })).toBe(2);
      });

      it('filters by id prefix, literally', async () => {
        await seedVms();
        for (const id of ['vm%', 'vm_x', 'vm-0']) await store.insert('sim/test', 'vm', id, { region: 'x' });
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', idPrefix: 'vm-0' }))).toEqual([
          'vm-0',
          'vm-01',
          'vm-02',
          'vm-03',
        ]);
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', idPrefix: 'vm%' }))).toEqual([
          'vm%',
        ]);
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', idPrefix: 'vm_' }))).toEqual([
          'vm_x',
        ]);
        expect(await store.count({ namespace: 'sim/test', kind: 'vm', idPrefix: 'disk' })).toBe(1);
        expect(await store.count({ namespace: 'sim/test', kind: 'vm', idPrefix: 'zz' })).toBe(0);
        expect(await store.count({ namespace: 'sim/test', kind: 'vm', idPrefix: '' })).toBe(8);
      });

      it('filters by id prefix with non-ASCII characters', async () => {
        for (const id of ['서울-1', '서울-2', '서울', '서울시', '부산-1', 'z', '🚀-1', '\uFFFD', '🚀🚀']) {
          await store.insert('n', 'k', id, {});
        }
        expect(ids(await store.list({ namespace: 'n', kind: 'k', idPrefix: '서울-' }))).toEqual([
          '서울-1',
          '서울-2',
        ]);
        expect(await store.count({ namespace: 'n', kind: 'k', idPrefix: '서울' })).toBe(4);
        expect(ids(await store.list({ namespace: 'n', kind: 'k', idPrefix: '🚀' }))).toEqual([
          '🚀-1',
          '🚀🚀',
        ]);
        // Code point order: U+FFFD sorts before U+1F680, although its UTF-16 unit is larger.
        expect(ids(await store.list({ namespace: 'n', kind: 'k' })).slice(-3)).toEqual([
          '\uFFFD',
          '🚀-1',
          '🚀🚀',
        ]);
      });

      it('filters on a string field', async () => {
        await seedVms();
        const query = { namespace: 'sim/test', kind: 'vm', where: { region: 'us-east-1' } };
        expect(ids(await store.list(query))).toEqual(['disk-1', 'vm-01', 'vm-03']);
        expect(await store.count(query)).toBe(3);
        expect(await store.count({ ...query, where: { region: 'US-EAST-1' } })).toBe(0);
      });

      it('filters on integer and fractional numbers', async () => {
        await seedVms();
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', where: { cpus: 2 } }))).toEqual([
          'vm-01',
          'vm-10',
        ]);
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', where: { cpus: 8.5 } }))).toEqual([
          'vm-02',
        ]);
        expect(await store.count({ namespace: 'sim/test', kind: 'vm', where: { cpus: 0 } })).toBe(1);
      });

      it('filters on booleans', async () => {
        await seedVms();
        expect(
          ids(await store.list({ namespace: 'sim/test', kind: 'vm', where: { running: true } })),
        ).toEqual(['vm-02', 'vm-03', 'vm-10']);
        expect(
          ids(await store.list({ namespace: 'sim/test', kind: 'vm', where: { running: false } })),
        ).toEqual(['disk-1', 'vm-01']);
      });

      it('matches null only against an explicit JSON null', async () => {
        await seedVms();
        await store.insert('sim/test', 'vm', 'no-owner-field', { region: 'x' });
        await store.insert('sim/test', 'vm', 'null-string', { owner: 'null' });
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', where: { owner: null } }))).toEqual([
          'disk-1',
          'vm-01',
        ]);
      });

      it('compares as JSON scalars: no coercion between types', async () => {
        const documents: Record<string, unknown> = {
          'number-1': { value: 1 },
          'string-1': { value: '1' },
          true: { value: true },
          false: { value: false },
          'number-0': { value: 0 },
          null: { value: null },
          'string-empty': { value: '' },
          array: { value: ['1'] },
          object: { value: { one: 1 } },
          'array-text': { value: '["1"]' },
        };
        for (const [id, data] of Object.entries(documents)) await store.insert('n', 'k', id, data);
        const match = async (value: string | number | boolean | null) =>
          ids(await store.list({ namespace: 'n', kind: 'k', where: { value } }));
        expect(await match(1)).toEqual(['number-1']);
        expect(await match('1')).toEqual(['string-1']);
        expect(await match(true)).toEqual(['true']);
        expect(await match(false)).toEqual(['false']);
        expect(await match(0)).toEqual(['number-0']);
        expect(await match(null)).toEqual(['null']);
        expect(await match('')).toEqual(['string-empty']);
        expect(await match('["1"]')).toEqual(['array-text']);
        expect(await match('true')).toEqual([]);
      });

      it('combines several fields, an id prefix and a limit', async () => {
        await seedVms();
        const where = { region: 'us-east-1', running: false };
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', where }))).toEqual([
          'disk-1',
          'vm-01',
        ]);
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', where, idPrefix: 'vm-' }))).toEqual([
          'vm-01',
        ]);
        expect(ids(await store.list({ namespace: 'sim/test', kind: 'vm', where, limit: 1 }))).toEqual([
          'disk-1',
        ]);
        expect(
          await store.count({ namespace: 'sim/test', kind: 'vm', where: { owner: 'ana', cpus: 4 } }),
        ).toBe(1);
      });

      it('ignores nested fields with the same name and handles unusual field names', async () => {
        await store.insert('n', 'k', 'top', { region: 'a' });
        await store.insert('n', 'k', 'nested', { meta: { region: 'a' } });
        await store.insert('n', 'k', 'spaced', { 'display name': 'web', 'a.b': 1, "it's": true });
        expect(ids(await store.list({ namespace: 'n', kind: 'k', where: { region: 'a' } }))).toEqual(['top']);
        expect(
          ids(await store.list({ namespace: 'n', kind: 'k', where: { 'display name': 'web' } })),
        ).toEqual(['spaced']);
        expect(await store.count({ namespace: 'n', kind: 'k', where: { 'a.b': 1 } })).toBe(1);
        expect(await store.count({ namespace: 'n', kind: 'k', where: { "it's": true } })).toBe(1);
        expect(await store.count({ namespace: 'n', kind: 'k', where: { missing: 'a' } })).toBe(0);
      });

      it('rejects invalid queries with StoreUsageError', async () => {
        const base = { namespace: 'n', kind: 'k' };
        await expect(store.list({ ...base, limit: -1 })).rejects.toBeInstanceOf(StoreUsageError);
        await expect(store.list({ ...base, limit: 1.5 })).rejects.toBeInstanceOf(StoreUsageError);
        await expect(store.count({ ...base, where: { n: Number.NaN } })).rejects.toBeInstanceOf(
          StoreUsageError,
        );
        const objectValue = { n: { nested: 1 } } as unknown as Record<string, string>;
        await expect(store.list({ ...base, where: objectValue })).rejects.toBeInstanceOf(StoreUsageError);
        await expect(store.list({ namespace: '', kind: 'k' })).rejects.toBeInstanceOf(StoreError);
      });
    });

    describe('transactions', () => {
      it('commits every write and returns what the work returns', async () => {
        const result = await store.transaction(async (tx) => {
          await tx.insert('n', 'k', 'a', { n: 1 });
          await tx.put('n', 'k', 'b', { n: 2 });
          await tx.update('n', 'k', 'a', { n: 3 });
          return 'done';
        });
        expect(result).toBe('done');
        expect((await store.get('n', 'k', 'a'))?.data).toEqual({ n: 3 });
        expect((await store.get('n', 'k', 'b'))?.data).toEqual({ n: 2 });
      });

      it('sees its own writes before committing', async () => {
        await store.transaction(async (tx) => {
          await tx.insert('n', 'k', 'a', { n: 1 });
          expect((await tx.get('n', 'k', 'a'))?.data).toEqual({ n: 1 });
          expect(await tx.count({ namespace: 'n', kind: 'k' })).toBe(1);
          expect(ids(await tx.list({ namespace: 'n', kind: 'k', where: { n: 1 } }))).toEqual(['a']);
          expect(await tx.delete('n', 'k', 'a')).toBe(true);
          expect(await tx.deleteNamespace('n')).toBe(0);
        });
      });

      it('rolls back every write and rethrows the same error when the work throws', async () => {
        await store.insert('n', 'k', 'kept', { n: 1 });
        const failure = new Error('boom');
        const error = await store
          .transaction(async (tx) => {
            await tx.insert('n', 'k', 'new', {});
            await tx.update('n', 'k', 'kept', { n: 2 });
            await tx.delete('n', 'k', 'kept');
            await tx.insert('other', 'k', 'x', {});
            throw failure;
          })
          .catch((e) => e);
        expect(error).toBe(failure);
        expect(await store.get('n', 'k', 'new')).toBeUndefined();
        expect(await store.get('other', 'k', 'x')).toBeUndefined();
        const kept = await store.get('n', 'k', 'kept');
        expect(kept?.data).toEqual({ n: 1 });
        expect(kept?.revision).toBe(1);
      });

      it('rolls back when a store call inside fails and the error escapes', async () => {
        await store.insert('n', 'k', 'taken', {});
        await expect(
          store.transaction(async (tx) => {
            await tx.insert('n', 'k', 'first', {});
            await tx.insert('n', 'k', 'taken', {});
          }),
        ).rejects.toBeInstanceOf(StoreConflictError);
        expect(await store.get('n', 'k', 'first')).toBeUndefined();
      });

      it('keeps the transaction usable after a caught store error', async () => {
        await store.insert('n', 'k', 'taken', {});
        await store.transaction(async (tx) => {
          await expect(tx.insert('n', 'k', 'taken', {})).rejects.toBeInstanceOf(StoreConflictError);
          await tx.insert('n', 'k', 'after', {});
        });
        expect(await store.get('n', 'k', 'after')).toBeDefined();
      });

      it('serialises concurrent read-increment-write transactions in one process', async () => {
        await store.insert('n', 'counter', 'c', { value: 0 });
        const observed = await Promise.all(
          Array.from({ length: 50 }, () =>
            store.transaction(async (tx) => {
              const counter = await tx.get<{ value: number }>('n', 'counter', 'c');
              // Yield between read and write, where a lost update would slip in.
              await new Promise((resolve) => setTimeout(resolve, 0));
              const value = (counter?.data.value ?? 0) + 1;
              await tx.update('n', 'counter', 'c', { value }, counter?.revision);
              return value;
            }),
          ),
        );
        const counter = await store.get<{ value: number }>('n', 'counter', 'c');
        expect(counter?.data.value).toBe(50);
        expect(counter?.revision).toBe(51);
        expect([...observed].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, index) => index + 1),
        );
      });

      it('keeps a call made outside a transaction out of it, even when it runs meanwhile', async () => {
        let release: () => void = () => undefined;
        const paused = new Promise<void>((resolve) => {
          release = resolve;
        });
        let entered: () => void = () => undefined;
        const inside = new Promise<void>((resolve) => {
          entered = resolve;
        });
        const transaction = store.transaction(async (tx) => {
          await tx.insert('n', 'k', 'doomed', {});
          entered();
          await paused;
          throw new Error('roll back');
        });
        await inside;
        // Issued while the transaction is open: must neither see its write nor be rolled back with it.
        const outside = store.insert('n', 'k', 'independent', {});
        const read = store.get('n', 'k', 'doomed');
        release();
        await expect(transaction).rejects.toThrow('roll back');
        await outside;
        expect(await read).toBeUndefined();
        expect(await store.get('n', 'k', 'independent')).toBeDefined();
        expect(await store.get('n', 'k', 'doomed')).toBeUndefined();
      });

      it('lets store calls made inside a transaction join it instead of waiting for it', async () => {
        await store.transaction(async (tx) => {
          await tx.insert('n', 'k', 'a', { n: 1 });
          expect((await store.get('n', 'k', 'a'))?.data).toEqual({ n: 1 });
          await store.put('n', 'k', 'b', { n: 2 });
          expect(await tx.count({ namespace: 'n', kind: 'k' })).toBe(2);
        });
        expect(await store.count({ namespace: 'n', kind: 'k' })).toBe(2);
        await expect(
          store.transaction(async () => {
            await store.insert('n', 'k', 'c', {});
            throw new Error('undo c');
          }),
        ).rejects.toThrow('undo c');
        expect(await store.get('n', 'k', 'c')).toBeUndefined();
      });

      it('runs a nested transaction inside the outer one', async () => {
        const result = await store.transaction(async (tx) => {
          await tx.insert('n', 'k', 'outer', {});
          const inner = await store.transaction(async (innerTx) => {
            expect(await innerTx.get('n', 'k', 'outer')).toBeDefined();
            await innerTx.insert('n', 'k', 'inner', {});
            return 'inner result';
          });
          expect(await tx.get('n', 'k', 'inner')).toBeDefined();
          return inner;
        });
        expect(result).toBe('inner result');
        expect(await store.count({ namespace: 'n', kind: 'k' })).toBe(2);
      });

      it('undoes only a nested transaction that throws when the outer one catches it', async () => {
        await store.transaction(async (tx) => {
          await tx.insert('n', 'k', 'outer', {});
          await expect(
            store.transaction(async (innerTx) => {
              await innerTx.insert('n', 'k', 'inner', {});
              await tx.update('n', 'k', 'outer', { touched: true });
              throw new Error('inner failed');
            }),
          ).rejects.toThrow('inner failed');
          expect(await tx.get('n', 'k', 'inner')).toBeUndefined();
          expect((await tx.get('n', 'k', 'outer'))?.data).toEqual({});
          await tx.insert('n', 'k', 'after', {});
        });
        expect(ids(await store.list({ namespace: 'n', kind: 'k' }))).toEqual(['after', 'outer']);
      });

      it('undoes a committed nested transaction when the outer one throws', async () => {
        await expect(
          store.transaction(async () => {
            await store.transaction(async (innerTx) => {
              await innerTx.insert('n', 'k', 'inner', {});
            });
            throw new Error('outer failed');
          }),
        ).rejects.toThrow('outer failed');
        expect(await store.get('n', 'k', 'inner')).toBeUndefined();
      });

      it('refuses a transaction object used after its transaction ended', async () => {
        let leaked: Repository | undefined;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked?.get('n', 'k', 'a')).rejects.toBeInstanceOf(StoreUsageError);
        await expect(leaked?.insert('n', 'k', 'a', {})).rejects.toBeInstanceOf(StoreUsageError);
        expect(await store.get('n', 'k', 'a')).toBeUndefined();
      });

      it('interleaves plain writes and transactions without losing any', async () => {
        await store.insert('n', 'counter', 'c', { value: 0 });
        const increment = () =>
          store.transaction(async (tx) => {
            const counter = await tx.get<{ value: number }>('n', 'counter', 'c');
            await tx.put('n', 'counter', 'c', { value: (counter?.data.value ?? 0) + 1 });
          });
        await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            index % 2 === 0 ? increment() : store.insert('n', 'item', `item-${index}`, { index }),
          ),
        );
        expect((await store.get<{ value: number }>('n', 'counter', 'c'))?.data.value).toBe(10);
        expect(await store.count({ namespace: 'n', kind: 'item' })).toBe(10);
      });
    });

    describe('close', () => {
      it('refuses calls after close with StoreError, and closing twice is fine', async () => {
        const other = await open();
        await other.close();
        await other.close();
        await expect(other.get('n', 'k', 'a')).rejects.toBeInstanceOf(StoreError);
        await expect(other.insert('n', 'k', 'a', {})).rejects.toBeInstanceOf(StoreError);
        await expect(other.transaction(async () => 1)).rejects.toBeInstanceOf(StoreError);
      });

      it('lets pending calls finish before closing', async () => {
        const other = await open();
        const writes = Array.from({ length: 5 }, (_, index) => other.insert('n', 'k', `id-${index}`, {}));
        await other.close();
        await expect(Promise.all(writes)).resolves.toHaveLength(5);
      });
    });
  });
}
