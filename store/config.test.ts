import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStoreConfig, resolveStoreHome } from './config.ts';
import { DEFAULT_BUSY_TIMEOUT_MS } from './sqlite-store.ts';
import { StoreConfigError } from './types.ts';

const cwd = '/work/project';

describe('store config', () => {
  it('defaults to ./.s2a/s2a.db under the working directory', () => {
    expect(readStoreConfig({}, {}, cwd)).toEqual({
      home: join(cwd, '.s2a'),
      file: join(cwd, '.s2a', 's2a.db'),
      busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS,
    });
    expect(resolveStoreHome({}, cwd)).toBe(join(cwd, '.s2a'));
  });

  it('reads S2A_HOME, relative or absolute, and treats a blank value as unset', () => {
    expect(resolveStoreHome({ S2A_HOME: 'state' }, cwd)).toBe(join(cwd, 'state'));
    expect(resolveStoreHome({ S2A_HOME: '/var/lib/s2a' }, cwd)).toBe('/var/lib/s2a');
    expect(resolveStoreHome({ S2A_HOME: '  ' }, cwd)).toBe(join(cwd, '.s2a'));
  });

  it('lets options override the environment, and file override home', () => {
    const environment = { S2A_HOME: '/env/home', S2A_STORE_BUSY_TIMEOUT_MS: '2500' };
    expect(readStoreConfig({}, environment, cwd).busyTimeoutMs).toBe(2500);
    expect(readStoreConfig({ home: 'mine', busyTimeoutMs: 10 }, environment, cwd)).toMatchObject({
      home: join(cwd, 'mine'),
      file: join(cwd, 'mine', 's2a.db'),
      busyTimeoutMs: 10,
    });
    expect(readStoreConfig({ file: 'x/other.db' }, environment, cwd).file).toBe(join(cwd, 'x', 'other.db'));
    expect(readStoreConfig({ file: ':memory:' }, environment, cwd).file).toBe(':memory:');
  });

  it('rejects invalid values with a StoreConfigError naming the variable', () => {
    expect(() => readStoreConfig({}, { S2A_STORE_BUSY_TIMEOUT_MS: 'soon' }, cwd)).toThrow(StoreConfigError);
    expect(() => readStoreConfig({}, { S2A_STORE_BUSY_TIMEOUT_MS: '-1' }, cwd)).toThrow(
      /S2A_STORE_BUSY_TIMEOUT_MS/,
    );
    expect(() => readStoreConfig({ home: '' }, {}, cwd)).toThrow(StoreConfigError);
    expect(() => readStoreConfig({ busyTimeoutMs: 1.5 }, {}, cwd)).toThrow(/busyTimeoutMs/);
    const unknownOption = { directory: '/x' } as unknown as Record<string, never>;
    expect(() => readStoreConfig(unknownOption, {}, cwd)).toThrow(/directory/);
  });
});
