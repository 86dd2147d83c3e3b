import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../../drivers/spec/ssh-keys.ts';
import { openStore } from '../../store/index.ts';
import { TemporaryDirectories } from '../../store/testing/temporary-directories.ts';
import type { Store } from '../../store/types.ts';
import { installApp } from '../apps/install.ts';
import type { RecipeInput, RecipePort } from '../apps/schema.ts';
import { HOST_KEY_KIND, HOST_KEY_NAMESPACE, StoreHostKeyStore } from './host-keys.ts';
import { SshCommandRunner } from './ssh-runner.ts';
import { freePort, startSshd, type TestSshd } from './testing/sshd.ts';
import type { RemoteTarget } from './types.ts';

/**
 * Against a real OpenSSH server on 127.0.0.1 (Debian's openssh-server; .ci/run installs it).
 * Without sshd these tests fail, saying how to install it: they do not skip.
 */

const directories = new TemporaryDirectories();
const cleanups: (() => Promise<void> | void)[] = [];
let directory: string;
let store: Store;
let hostKeys: StoreHostKeyStore;

beforeEach(async () => {
  directory = directories.create('s2a-ssh-');
  store = await openStore({ home: directory });
  hostKeys = new StoreHostKeyStore(store);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await store.close();
  directories.removeAll();
});

async function sshd(
  options: { port?: number; privateKey?: string; publicKey?: string } = {},
): Promise<TestSshd> {
  const server = await startSshd({ directory, ...options });
  cleanups.push(() => server.stop());
  return server;
}

function targetOf(server: TestSshd, overrides: Partial<RemoteTarget> = {}): RemoteTarget {
  return {
    nodeId: 'node-1',
    host: server.host,
    port: server.port,
    username: server.username,
    privateKey: server.privateKey,
    ...overrides,
  };
}

function runner(options: Partial<ConstructorParameters<typeof SshCommandRunner>[0]> = {}): SshCommandRunner {
  return new SshCommandRunner({ hostKeys, connectAttempts: 2, retryDelayMs: 100, ...options });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe('SshCommandRunner against a real sshd', () => {
  it('brings back exit codes, stdout, stderr and exported variables', async () => {
    const server = await sshd();
    const output: string[] = [];
    const [result] = await runner().run(
      [targetOf(server)],
      'echo out\necho err >&2\necho "$GREETING"\nread -r line || echo "stdin is empty"\nexit 3\n',
      {
        timeoutMs: 20_000,
        env: { GREETING: "it's a test; $(not run)" },
        onOutput: (event) => output.push(event.stream),
      },
    );
    expect(result).toMatchObject({
      nodeId: 'node-1',
      exitCode: 3,
      stdout: "out\nit's a test; $(not run)\nstdin is empty\n",
      stderr: 'err\n',
      timedOut: false,
      hostKeyFingerprint: server.hostFingerprint,
    });
    expect(result?.error).toBeUndefined();
    expect(output).toContain('stdout');
    expect(output).toContain('stderr');
  });

  it('records the host key on first use and refuses a changed one, naming both fingerprints', async () => {
    const first = await sshd();
    const [ok] = await runner().run([targetOf(first)], 'true', { timeoutMs: 20_000 });
    expect(ok?.exitCode).toBe(0);
    const record = await store.get<{ fingerprint: string; publicKey: string }>(
      HOST_KEY_NAMESPACE,
      HOST_KEY_KIND,
      `127.0.0.1:${first.port}`,
    );
    expect(record?.data.fingerprint).toBe(first.hostFingerprint);
    expect(record?.data.publicKey).toBe(first.hostPublicKey);

    // The same address now answers with another host key (a replaced VM, or an attacker).
    await first.stop();
    const second = await sshd({ port: first.port, privateKey: first.privateKey });
    expect(second.hostFingerprint).not.toBe(first.hostFingerprint);
    const marker = join(directory, 'ran');
    const [refused] = await runner().run([targetOf(second)], `touch ${marker}`, { timeoutMs: 20_000 });
    expect(refused?.exitCode).toBeNull();
    expect(refused?.error?.code).toBe('host-key-changed');
    expect(refused?.error?.message).toContain(`recorded ${first.hostFingerprint}`);
    expect(refused?.error?.message).toContain(`presented ${second.hostFingerprint}`);
    expect(existsSync(marker)).toBe(false);

    // Told that the VM was replaced, s2a forgets the old key and trusts the new one.
    expect(await hostKeys.forget('127.0.0.1', first.port)).toBe(true);
    const [after] = await runner().run([targetOf(second)], `touch ${marker}`, { timeoutMs: 20_000 });
    expect(after?.exitCode).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('checks an expected host key given as a key line or a fingerprint', async () => {
    const server = await sshd();
    const [byLine] = await runner().run(
      [targetOf(server, { expectedHostKey: server.hostPublicKey })],
      'true',
      {
        timeoutMs: 20_000,
      },
    );
    expect(byLine?.exitCode).toBe(0);
    const other = generateEd25519KeyPair('other');
    const [mismatch] = await runner().run(
      [targetOf(server, { expectedHostKey: other.fingerprint })],
      'true',
      {
        timeoutMs: 20_000,
      },
    );
    expect(mismatch?.error?.code).toBe('host-key-mismatch');
    expect(mismatch?.error?.message).toContain(
      `expected ${other.fingerprint}, presented ${server.hostFingerprint}`,
    );
  });

  it('stops a script at its timeout and kills it on the host', async () => {
    const server = await sshd();
    const unique = `30.${process.pid}${Date.now() % 1000}`;
    const started = Date.now();
    const [result] = await runner().run([targetOf(server)], `echo started\nsleep ${unique}\necho never\n`, {
      timeoutMs: 1_500,
    });
    expect(result).toMatchObject({
      exitCode: null,
      timedOut: true,
      stdout: 'started\n',
      error: { code: 'timeout' },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    // The remote `timeout` wrapper ends the process group a moment after the local timeout.
    const running = () => spawnSync('pgrep', ['-f', `sleep ${unique}`]).status === 0;
    expect(await until(() => !running(), 15_000)).toBe(true);
  });

  it('refuses a key the server does not know, without retrying', async () => {
    const server = await sshd();
    const stranger = generateEd25519KeyPair('stranger');
    const [result] = await runner({ connectAttempts: 5, retryDelayMs: 5_000 }).run(
      [targetOf(server, { privateKey: stranger.privateKey })],
      'true',
      { timeoutMs: 20_000 },
    );
    expect(result?.error?.code).toBe('auth-failed');
    expect(result?.error?.message).toContain(`refused the key for user "${server.username}"`);
    expect(result?.durationMs).toBeLessThan(5_000);
  });

  it('retries a refused connection until sshd comes up, and gives up after the attempts allowed', async () => {
    const port = await freePort();
    const pair = generateEd25519KeyPair('s2a-test-user');
    const target: RemoteTarget = {
      nodeId: 'booting',
      host: '127.0.0.1',
      port,
      username: 'root',
      privateKey: pair.privateKey,
    };
    const [refused] = await runner({ connectAttempts: 2, retryDelayMs: 50 }).run([target], 'true', {
      timeoutMs: 5_000,
    });
    expect(refused?.error?.code).toBe('connect-failed');
    expect(refused?.error?.message).toContain('ECONNREFUSED (gave up after 2 attempts)');

    const running = runner({ connectAttempts: 30, retryDelayMs: 100, maxRetryDelayMs: 300 }).run(
      [{ ...target, username: userInfo().username }],
      'echo up',
      { timeoutMs: 20_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 700));
    await sshd({ port, privateKey: pair.privateKey, publicKey: pair.publicKey });
    const [result] = await running;
    expect(result).toMatchObject({ exitCode: 0, stdout: 'up\n' });
  });

  it('bounds concurrency across targets and keeps the last 64 KiB of output', async () => {
    const server = await sshd();
    const targets = ['a', 'b', 'c', 'd', 'e'].map((nodeId) => targetOf(server, { nodeId }));
    const slots = join(directory, 'slots');
    const script = `mkdir -p ${slots}; touch ${slots}/$$; sleep 0.4; ls ${slots} | wc -l; rm ${slots}/$$`;
    const results = await runner().run(targets, script, { timeoutMs: 20_000, concurrency: 2 });
    expect(results.map((result) => result.nodeId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const overlaps = results.map((result) => Number(result.stdout.trim()));
    expect(Math.max(...overlaps)).toBeLessThanOrEqual(2);

    const [large] = await runner().run(
      [targetOf(server)],
      "head -c 200000 /dev/zero | tr '\\0' a; echo END",
      {
        timeoutMs: 20_000,
      },
    );
    expect(large?.stdout).toHaveLength(64 * 1024);
    expect(large?.stdout.endsWith('aaaEND\n')).toBe(true);
    expect(large?.stdoutDroppedBytes).toBe(200_004 - 64 * 1024);
  });

  it('installs a recipe end to end over SSH: the server starts, ports are opened, HTTP health passes', async () => {
    const server = await sshd();
    const port = await freePort();
    const site = join(directory, 'site');
    cleanups.push(() => {
      const pidFile = join(site, 'server.pid');
      if (existsSync(pidFile)) spawnSync('kill', [readFileSync(pidFile, 'utf8').trim()]);
    });
    const recipe: RecipeInput = {
      name: 'test-http',
      title: 'Test HTTP server',
      description: 'python3 -m http.server in the background, for the SSH end-to-end test.',
      requirements: { minVcpu: 1 },
      parameters: [
        { name: 'port', description: 'Port to serve on', default: '8000', pattern: '[0-9]{2,5}' },
        {
          name: 'directory',
          description: 'Directory to serve',
          default: '/tmp/site',
          pattern: '/[A-Za-z0-9._/-]+',
        },
      ],
      roles: [{ name: 'default', count: 'all' }],
      install: {
        scripts: {
          default: `mkdir -p {{directory}}
cd {{directory}}
echo 'hello from s2a' >index.html
setsid nohup python3 -m http.server {{port}} --bind 127.0.0.1 >server.log 2>&1 </dev/null &
echo $! >server.pid
s2a_wait_http http://127.0.0.1:{{port}}/ 20
s2a_output pid "$(cat server.pid)"
`,
        },
        estimatedSeconds: [1, 5],
        timeoutSeconds: 60,
      },
      ports: [{ port: Number(port), protocol: 'tcp', description: 'HTTP', public: true }],
      health: { http: { port, path: '/index.html', expectStatus: 200 }, timeoutSeconds: 30 },
      scriptOutputs: [
        { name: 'pid', role: 'default', description: 'Server pid', pattern: '[0-9]+', example: '4242' },
      ],
      outputs: [{ name: 'url', description: 'The page', template: `http://{{host}}:{{port}}/index.html` }],
      diagnostics: `cat ${site}/server.log`,
    };
    const opened: { nodeIds: string[]; ports: RecipePort[] }[] = [];
    const result = await installApp({
      app: recipe,
      parameters: { port: String(port), directory: site },
      nodes: [{ target: targetOf(server), publicIp: '127.0.0.1', privateIp: '127.0.0.1' }],
      runner: runner(),
      openPorts: async (nodeIds, ports) => {
        opened.push({ nodeIds, ports });
      },
    });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(opened).toEqual([
      { nodeIds: ['node-1'], ports: [expect.objectContaining({ port, public: true })] },
    ]);
    const [node] = result.nodes;
    expect(node?.health).toMatchObject({ healthy: true, detail: 'HTTP 200' });
    expect(node?.endpoints).toEqual({ url: `http://127.0.0.1:${port}/index.html` });
    // The server outlived the SSH channel that started it.
    const page = await fetch(`http://127.0.0.1:${port}/index.html`);
    expect(await page.text()).toBe('hello from s2a\n');
    expect(execFileSync('cat', [join(site, 'server.pid')], { encoding: 'utf8' }).trim()).toMatch(/^\d+$/);
  });
});
