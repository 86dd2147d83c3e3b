import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const catalogRoot = fileURLToPath(new URL('../', import.meta.url));
const dataRoot = join(catalogRoot, 'data');

function files(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('catalog data ships with the repository', () => {
  it('has no file outside catalog/scripts that refers to the shared data folder', () => {
    // Built from parts so this file does not match itself.
    const needle = ['shared', 'data'].join('/');
    const offenders = files(catalogRoot)
      .filter((path) => !relative(catalogRoot, path).startsWith('scripts'))
      .filter((path) => readFileSync(path, 'utf8').includes(needle))
      .map((path) => relative(catalogRoot, path));
    expect(offenders).toEqual([]);
  });

  it('matches the sha256 of every file listed in catalog/data/README.md', () => {
    const readme = readFileSync(join(dataRoot, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+)` \| (\d+) \| `([0-9a-f]{64})` \|$/gm)];
    expect(listed.length).toBeGreaterThan(20);
    const mismatched = listed.filter(([, path, , sha256]) => {
      const content = readFileSync(join(dataRoot, path ?? ''));
      return createHash('sha256').update(content).digest('hex') !== sha256;
    });
    expect(mismatched.map(([, path]) => path)).toEqual([]);
    const shipped = files(dataRoot)
      .map((path) => relative(dataRoot, path))
      .filter((path) => path !== 'README.md');
    expect(shipped.sort()).toEqual(listed.map(([, path]) => path).sort());
  });
});
