import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `s2a` command in a child process, as a user would, with its state in `home` and the
 * sim fast. stdout is a pipe, so progress comes as plain lines.
 */
export function runCli(home: string, args: string[], timeoutMs = 300_000): CliResult {
  const result = spawnSync(process.execPath, ['bin/s2a.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, S2A_HOME: home, S2A_SIM_TIME_SCALE: '0.002' },
    timeout: timeoutMs,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
