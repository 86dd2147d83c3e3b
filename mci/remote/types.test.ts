import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from './concurrency.ts';
import { TailBuffer } from './output-buffer.ts';
import { RoutingCommandRunner } from './routing-runner.ts';
import type { CommandResult, CommandRunner, RemoteTarget } from './types.ts';
import { environmentExports, shellQuote, wrapScript } from './types.ts';

function bash(script: string): { status: number | null; stdout: string } {
  const result = spawnSync('bash', ['-s'], { input: script, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

describe('script wrapping', () => {
  it('exports variables with any content, quoted, and refuses names bash would not take', () => {
    const value = `it's "quoted" $(echo no) \`echo no\` ; exit 9\nsecond line`;
    expect(bash(`${environmentExports({ VALUE: value })}printf '%s' "$VALUE"`).stdout).toBe(value);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(() => environmentExports({ 'BAD-NAME': 'x' })).toThrow(
      'environment variable name "BAD-NAME" is not valid',
    );
  });

  it('keeps commands that read stdin from eating the rest of the script', () => {
    const script = 'cat >/dev/null\necho still here\nexit 5';
    expect(bash(script).stdout).toBe('');
    expect(bash(wrapScript(script))).toEqual({ status: 5, stdout: 'still here\n' });
  });
});

describe('TailBuffer', () => {
  it('keeps the last bytes and counts the dropped ones', () => {
    const buffer = new TailBuffer(10);
    buffer.write('0123456789');
    buffer.write(Buffer.from('abcdef'));
    expect(buffer.text()).toBe('6789abcdef');
    expect(buffer.dropped).toBe(6);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (value) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running--;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

describe('RoutingCommandRunner', () => {
  it('sends each target to its runner and answers in the targets order', async () => {
    const answering = (label: string): CommandRunner => ({
      run: async (targets) =>
        targets.map(
          (target): CommandResult => ({
            nodeId: target.nodeId,
            exitCode: 0,
            stdout: label,
            stderr: '',
            stdoutDroppedBytes: 0,
            stderrDroppedBytes: 0,
            durationMs: 0,
            timedOut: false,
          }),
        ),
    });
    const sim = answering('sim');
    const ssh = answering('ssh');
    const target = (nodeId: string, host: string): RemoteTarget => ({
      nodeId,
      host,
      port: 22,
      username: 'u',
      privateKey: '',
    });
    const router = new RoutingCommandRunner((candidate) =>
      candidate.host.startsWith('198.18.') ? sim : ssh,
    );
    const results = await router.run(
      [target('a', '198.18.0.1'), target('b', '203.0.113.1'), target('c', '198.18.0.2')],
      'true',
      { timeoutMs: 1_000 },
    );
    expect(results.map((result) => `${result.nodeId}:${result.stdout}`)).toEqual(['a:sim', 'b:ssh', 'c:sim']);
  });
});
