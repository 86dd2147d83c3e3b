/**
 * `npm start` builds the production UI only when it is missing or older than its sources, so the
 * first start of a fresh clone builds (~10–30 s) and later starts serve at once.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What the UI build reads besides app/: its config, the shared message types and the lockfile. */
const BUILD_INPUTS = ['next.config.ts', 'web/chat-types.ts', 'web/dashboard-types.ts', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when .next holds a production build newer than every source it was built from. */
export function webBuildIsFresh(dir: string): boolean {
  const buildId = join(dir, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  const sources = [join(dir, 'app'), ...BUILD_INPUTS.map((path) => join(dir, path))];
  return sources.every((path) => newestMtime(path) <= builtAt);
}

/** Runs `next build` in `dir`, its output going to `log` line by line. */
export async function buildWeb(dir: string, log: (line: string) => void): Promise<void> {
  const nextBin = createRequire(join(dir, 'package.json')).resolve('next/dist/bin/next');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        lines.push(line);
        log(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`next build failed (exit ${code}):\n${lines.slice(-30).join('\n')}`));
    });
  });
}

/** Builds when needed; returns whether it built. */
export async function ensureWebBuild(dir: string, log: (line: string) => void): Promise<boolean> {
  if (webBuildIsFresh(dir)) return false;
  await buildWeb(dir, log);
  return true;
}
