/** Runs several concurrent-writer.ts processes against one database file, released together. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WriterReport } from './writer-protocol.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface WriterSpec {
  namespace: string;
  count: number;
}

/** When to release the writers: once all have opened the store, or before any opens it. */
export type BarrierPoint = 'after-open' | 'before-open';

export async function runWriterProcesses(
  file: string,
  writers: readonly WriterSpec[],
  barrier: BarrierPoint = 'after-open',
): Promise<WriterReport[]> {
  const flag = barrier === 'after-open' ? '--barrier' : '--barrier-before-open';
  const children = writers.map((writer) =>
    spawn(
      process.execPath,
      [
        'bin/run-ts.mjs',
        'store/testing/concurrent-writer.ts',
        file,
        writer.namespace,
        String(writer.count),
        flag,
      ],
      { cwd: REPOSITORY_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    ),
  );
  const outputs = children.map(() => ({ stdout: '', stderr: '' }));
  let ready = 0;
  const exits = children.map(
    (child, index) =>
      new Promise<WriterReport>((resolve, reject) => {
        const output = outputs[index] ?? { stdout: '', stderr: '' };
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          const wasReady = output.stdout.includes('ready\n');
          output.stdout += chunk;
          if (!wasReady && output.stdout.includes('ready\n')) {
            ready += 1;
            // Release every writer at once, after the slowest has loaded its modules.
            if (ready === children.length) for (const waiting of children) waiting.stdin.write('go\n');
          }
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          output.stderr += chunk;
        });
        child.on('error', reject);
        child.on('close', (code) => {
          const last = output.stdout.trim().split('\n').at(-1) ?? '';
          if (code !== 0 || !last.startsWith('{')) {
            reject(new Error(`writer ${index} exited with ${code}:\n${output.stderr}${output.stdout}`));
            return;
          }
          resolve(JSON.parse(last) as WriterReport);
        });
      }),
  );
  try {
    return await Promise.all(exits);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}
