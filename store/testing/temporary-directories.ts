import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fresh directories under the OS temp dir, removed together by `removeAll` (call it in afterEach). */
export class TemporaryDirectories {
  readonly #paths: string[] = [];

  create(prefix = 's2a-store-'): string {
    const path = mkdtempSync(join(tmpdir(), prefix));
    this.#paths.push(path);
    return path;
  }

  removeAll(): void {
    for (const path of this.#paths.splice(0)) rmSync(path, { recursive: true, force: true });
  }
}
