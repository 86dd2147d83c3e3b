/**
 * Parsed catalog data kept on disk between processes. Parsing the shipped CSV/YAML and the city list
 * takes seconds on every start of `s2a` (each CLI command is a new process); reading back the parsed
 * result with v8.deserialize takes a fraction of that. Entries are keyed by the fingerprint of the
 * shipped data and the code that parses it, so a changed file or loader never serves stale rows.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { shippedDataFingerprint } from '../index/fingerprint.ts';

/** S2A_CACHE_DIR, else a per-user folder in the system temp directory; "off" disables the cache. */
export function cacheDirectory(
  environment: Record<string, string | undefined> = process.env,
): string | undefined {
  const configured = environment.S2A_CACHE_DIR;
  if (configured === 'off') return undefined;
  if (configured) return configured;
  const user = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return join(tmpdir(), `s2a-cache-${user}`);
}

/**
 * The value cached under `name` for the current data, computed (and stored) when absent or
 * unreadable. Any disk problem falls back to computing: the cache can only make things faster.
 */
export function cachedOnDisk<T>(
  name: string,
  compute: () => T,
  options: { directory?: string | undefined; key?: string } = {},
): T {
  const directory = 'directory' in options ? options.directory : cacheDirectory();
  if (directory === undefined) return compute();
  const key = (options.key ?? shippedDataFingerprint()).slice(0, 24);
  const file = join(directory, `${name}-${key}.v8`);
  try {
    return deserialize(readFileSync(file)) as T;
  } catch {
    // absent or unreadable: compute below
  }
  const value = compute();
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    // Write then rename, so a reader in another process never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, serialize(value), { mode: 0o600 });
    renameSync(temporary, file);
    // Entries of older data are never read again.
    for (const entry of readdirSync(directory)) {
      if (entry.startsWith(`${name}-`) && entry.endsWith('.v8') && entry !== `${name}-${key}.v8`)
        rmSync(join(directory, entry), { force: true });
    }
  } catch {
    // read-only or full disk: the value is still good for this process
  }
  return value;
}
