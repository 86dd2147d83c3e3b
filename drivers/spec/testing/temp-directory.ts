// A throwaway folder for tests that need files (key files, certificates).
// Why here: the drivers' tests each made one with mkdtemp and removed it in a finally; one helper
// keeps the removal from being forgotten.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `work` with a new folder in the OS temp folder (named `prefix` + random), removed afterwards whatever happens. */
export function withTempDirectory<T>(prefix: string, work: (directory: string) => T): T {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  try {
    return work(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
