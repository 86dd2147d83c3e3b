import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheDirectory, cachedOnDisk } from './disk-cache.ts';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 's2a-disk-cache-'));
  directories.push(directory);
  return directory;
}

describe('cachedOnDisk', () => {
  it('computes once and reads the stored value back, maps and shared objects included', () => {
    const directory = temporaryDirectory();
    let computed = 0;
    const compute = () => {
      computed += 1;
      const city = { name: 'Seoul' };
      return {
        byName: new Map([
          ['seoul', [city]],
          ['서울', [city]],
        ]),
      };
    };
    const first = cachedOnDisk('cities', compute, { directory, key: 'a' });
    const second = cachedOnDisk('cities', compute, { directory, key: 'a' });
    expect(computed).toBe(1);
    expect(second).toEqual(first);
    expect(second.byName.get('seoul')?.[0]).toBe(second.byName.get('서울')?.[0]);
  });

  it('recomputes when the data changed (another key) or the file is corrupt', () => {
    const directory = temporaryDirectory();
    let computed = 0;
    const compute = () => ++computed;
    cachedOnDisk('value', compute, { directory, key: 'a' });
    expect(cachedOnDisk('value', compute, { directory, key: 'b' })).toBe(2);
    expect(readdirSync(directory)).toEqual(['value-b.v8']);
    for (const file of readdirSync(directory)) writeFileSync(join(directory, file), 'not v8');
    expect(cachedOnDisk('value', compute, { directory, key: 'b' })).toBe(3);
  });

  it('computes without storing when the cache is off or the folder cannot be written', () => {
    let computed = 0;
    expect(cachedOnDisk('value', () => ++computed, { directory: undefined })).toBe(1);
    // A folder below a plain file can never be created (recursive mkdir under /proc would spin).
    const file = join(temporaryDirectory(), 'plain-file');
    writeFileSync(file, '');
    expect(cachedOnDisk('value', () => ++computed, { directory: join(file, 'cache'), key: 'a' })).toBe(2);
    expect(cacheDirectory({ S2A_CACHE_DIR: 'off' })).toBeUndefined();
    expect(cacheDirectory({ S2A_CACHE_DIR: '/somewhere' })).toBe('/somewhere');
  });
});
