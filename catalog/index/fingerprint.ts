/**
 * What the index is built from, as one hash: the shipped data files and the code that turns them into
 * rows (loaders, GPU names, performance score, places' country names, row texts). The index rebuilds
 * when the hash or the embedding changes, and only then.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the table layout changes without any hashed file changing. */
export const INDEX_FORMAT_VERSION = 1;

const CATALOG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Under catalog/: the data (every file) and the code that decides the rows (its .ts files, tests aside). */
const DATA = ['data'];
const CODE = ['load', 'gpu', 'places', 'index', 'performance.ts', 'schemas.ts'];

function listFiles(path: string, out: string[], codeOnly: boolean): void {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return; // a folder that does not exist (yet) contributes nothing
  }
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path).sort()) listFiles(join(path, entry), out, codeOnly);
    return;
  }
  if (codeOnly && (!path.endsWith('.ts') || path.endsWith('.test.ts') || path.endsWith('.bench.ts'))) return;
  out.push(path);
}

let cached: string | undefined;

/** sha256 (hex) of the shipped data and the row-making code. Computed once per process (~30 ms). */
export function shippedDataFingerprint(): string {
  if (cached) return cached;
  const files: string[] = [];
  for (const entry of DATA) listFiles(join(CATALOG_DIR, entry), files, false);
  for (const entry of CODE) listFiles(join(CATALOG_DIR, entry), files, true);
  const hash = createHash('sha256');
  hash.update(`format ${INDEX_FORMAT_VERSION}\n`);
  for (const file of files) {
    hash.update(`${relative(CATALOG_DIR, file)}\n`);
    hash.update(readFileSync(file));
    hash.update('\n');
  }
  cached = hash.digest('hex');
  return cached;
}

/** The index's identity: data, code and embedding. */
export function indexFingerprint(dataFingerprint: string, embeddingName: string, dimensions: number): string {
  return createHash('sha256')
    .update(`${INDEX_FORMAT_VERSION}|${dataFingerprint}|${embeddingName}|${dimensions}`)
    .digest('hex');
}
