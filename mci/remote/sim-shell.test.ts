import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimDriver } from '../../drivers/sim/sim-driver.ts';
import { fixtureWorld } from '../../drivers/sim/testing/fixture-world.ts';
import {
  createNetworkStack,
  createSimTestContext,
  type NetworkStack,
  type SimTestContext,
  vmRequest,
} from '../../drivers/sim/testing/sim-test-kit.ts';
import type { SecurityRule, Vm } from '../../drivers/spec/index.ts';
import { type InstallNode, installApp } from '../apps/install.ts';
import type { RecipePort } from '../apps/schema.ts';
import { modelDownloadSeconds, SHELL_HISTORY_KIND, SimCommandRunner } from './sim-shell.ts';
import type { RemoteTarget } from './types.ts';

const world = fixtureWorld();
const specLookup = (id: string) => world.specs.find((spec) => spec.id === id);
const imageLookup = (id: string) => world.images.find((image) => image.id === id);
const GPU_IMAGE = 'aws+ap-northeast-2+ami-0123456789abcdef0';

let context: SimTestContext;
let driver: SimDriver;
let stack: NetworkStack;
let privateKey: string;
/** Milliseconds the sim "slept": the manual clock moves by exactly this much. */
let slept: number[];

beforeEach(async () => {
  context = await createSimTestContext(world);
  driver = context.driver('aws');
  stack = await createNetworkStack(driver, 'ap-northeast-2');
  privateKey = stack.keyPair.privateKey as string;
  slept = [];
});
afterEach(async () => context.dispose());

function runner(timeScale = 1): SimCommandRunner {
  return new SimCommandRunner({
    store: context.store,
    account: driver.config.account,
    timeScale,
    clock: context.clock.read,
    sleep: async (milliseconds) => {
      slept.push(milliseconds);
      context.clock.advance(milliseconds);
    },
    specLookup,
    imageLookup,
  });
}

async function runningVm(overrides: Record<string, unknown> = {}): Promise<Vm> {
  const created = await driver.createVm(vmRequest(stack, overrides));
  context.clock.advance(60_000);
  const vm = await driver.getVm(created.id);
  expect(vm.status).toBe('Running');
  return vm;
}

function targetOf(vm: Vm, overrides: Partial<RemoteTarget> = {}): RemoteTarget {
  return {
    nodeId: vm.name,
    host: vm.publicIp as string,
    port: vm.sshPort,
    username: vm.username,
    privateKey,
    ...overrides,
  };
}

function installNode(vm: Vm): InstallNode {
  return { target: targetOf(vm), publicIp: vm.publicIp, privateIp: vm.privateIp, network: vm.vNetId };
}

/** What the engine's openPorts does: add rules to the nodes' security group through the driver. */
async function openPortsThroughDriver(_nodeIds: string[], ports: RecipePort[]): Promise<void> {
  const group = await driver.getSecurityGroup(stack.group.id);
  const added: SecurityRule[] = ports.map((port) => ({
    direction: 'inbound',
    protocol: port.protocol,
    fromPort: port.port,
    toPort: port.toPort ?? port.port,
    cidr: port.public ? '0.0.0.0/0' : '10.0.0.0/16',
  }));
  await driver.setSecurityGroupRules(group.id, [...group.rules, ...added]);
}

describe('the sim emulated shell', () => {
  it('answers simple commands from the VM spec and image, and records every script', async () => {
    const vm = await runningVm();
    const shell = runner();
    const before = context.clock.now;
    const [result] = await shell.run(
      [targetOf(vm)],
      'echo "hello from $HOSTNAME"\nhostname; nproc\nfree -g\nuname -m\ncat /etc/os-release | head -1\nnvidia-smi -L\n',
      { timeoutMs: 60_000, env: { GREETING: 'hi' } },
    );
    expect(result?.exitCode).toBe(127);
    expect(result?.stderr).toBe('bash: line 6: nvidia-smi: command not found\n');
    const lines = result?.stdout.split('\n') ?? [];
    expect(lines.slice(0, 3)).toEqual([`hello from ${vm.name}`, vm.name, '2']);
    expect(lines[3]).toMatch(/^\s+total\s+used\s+free/);
    expect(lines[4]).toMatch(/^Mem:\s+3\s/);
    expect(lines[6]).toBe('x86_64');
    expect(result?.stdout).toContain('PRETTY_NAME="Ubuntu 22.04.5 LTS"');
    // Simulated time passed on the sim's clock, and nothing else did.
    expect(result?.durationMs).toBe(context.clock.now - before);
    expect(result?.durationMs).toBe(slept.reduce((sum, value) => sum + value, 0));
    expect(result?.durationMs).toBeGreaterThan(300);

    const [human] = await shell.run([targetOf(vm)], 'free -h && uname -r && exit 4', { timeoutMs: 60_000 });
    expect(human?.stdout).toMatch(/^Mem:\s+3\.8Gi\s/m);
    expect(human?.stdout).toMatch(/^5\.15\.0-\d+-aws$/m);
    expect(human?.exitCode).toBe(4);

    const history = await shell.history(vm.id);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ vmId: vm.id, nodeId: vm.name, exitCode: 127, timedOut: false });
    expect(history[0]?.script).toContain('nvidia-smi -L');
    expect(await context.store.count({ namespace: 'sim/default', kind: SHELL_HISTORY_KIND })).toBe(2);
  });

  it('installs ollama: takes install plus model download time, opens 11434, and passes the health check', async () => {
    const vm = await runningVm();
    const shell = runner();
    const before = context.clock.now;
    const result = await installApp({
      app: 'ollama',
      parameters: { model: 'llama3.2:1b' },
      nodes: [installNode(vm)],
      runner: shell,
      openPorts: openPortsThroughDriver,
      healthProbe: shell.ports,
    });
    expect(result.ok).toBe(true);
    expect(result.nodes[0]?.endpoints).toEqual({ api: `http://${vm.publicIp}:11434`, model: 'llama3.2:1b' });
    const elapsed = context.clock.now - before;
    expect(elapsed).toBeGreaterThanOrEqual((45 + modelDownloadSeconds('llama3.2:1b')) * 1000);
    expect(elapsed).toBeLessThanOrEqual((120 + modelDownloadSeconds('llama3.2:1b') + 1) * 1000);
    expect(await shell.ports.list(vm.id)).toMatchObject([{ port: 11434, protocol: 'tcp', app: 'ollama' }]);
    const [entry] = await shell.history(vm.id);
    expect(entry).toMatchObject({ app: 'ollama', role: 'default', exitCode: 0 });
  });

  it('scales simulated time with the time scale', async () => {
    const vm = await runningVm();
    const [fast] = await runner(0.01).run([targetOf(vm)], 'sleep 30', { timeoutMs: 60_000 });
    expect(fast?.exitCode).toBe(0);
    expect(fast?.durationMs).toBeGreaterThanOrEqual(300);
    expect(fast?.durationMs).toBeLessThan(320);
  });

  it('keeps the health check failing until the security group lets the port in', async () => {
    const vm = await runningVm();
    const shell = runner();
    const check = { http: { port: 80, path: '/', expectStatus: 200 }, timeoutSeconds: 60 };
    const probe = () => shell.ports.probe({ nodeId: vm.name, host: vm.publicIp as string, check });
    expect(await probe()).toEqual({ healthy: false, detail: 'ECONNREFUSED (nothing listens on port 80)' });
    const result = await installApp({
      app: 'nginx',
      nodes: [installNode(vm)],
      runner: shell,
      openPorts: async () => undefined,
      healthProbe: shell.ports,
      healthTimeoutMs: 10_000,
      healthWait: {
        now: context.clock.read,
        sleep: async (milliseconds) => context.clock.advance(milliseconds),
      },
    });
    expect(result.failures[0]?.step).toBe('health');
    expect(result.failures[0]?.message).toContain('ETIMEDOUT (port 80 listens, but the security groups');
    await openPortsThroughDriver([], [{ port: 80, protocol: 'tcp', description: 'HTTP', public: true }]);
    expect(await probe()).toEqual({ healthy: true, detail: 'HTTP 200' });
  });

  it('fails vllm on a CPU VM like a real VM would: non-zero exit and the preflight message', async () => {
    const vm = await runningVm();
    const shell = runner();
    const result = await installApp({
      app: 'vllm',
      nodes: [installNode(vm)],
      runner: shell,
      openPorts: async () => undefined,
      healthProbe: shell.ports,
    });
    expect(result.ok).toBe(false);
    const [failure] = result.failures;
    expect(failure).toMatchObject({ nodeId: vm.name, step: 'install', exitCode: 3 });
    expect(failure?.message).toBe(
      `installing vllm on ${vm.name} (default) failed with exit code 3: vllm requires an NVIDIA GPU (CUDA); this VM has none (nvidia-smi: command not found)`,
    );
    expect(failure?.stderrTail).toBe(
      's2a: vllm requires an NVIDIA GPU (CUDA); this VM has none (nvidia-smi: command not found)\n',
    );
    expect(failure?.nextStep).toContain("does not meet vllm's requirements");
    expect(await shell.ports.list(vm.id)).toEqual([]);
  });

  it('installs vllm on a GPU VM, adding the NVIDIA driver to an image without one', async () => {
    const plain = await runningVm({
      name: 'gpu-plain',
      specId: 'aws+ap-northeast-2+g5.xlarge',
      zone: 'ap-northeast-2a',
    });
    const ready = await runningVm({
      name: 'gpu-ready',
      specId: 'aws+ap-northeast-2+g5.xlarge',
      zone: 'ap-northeast-2a',
      imageId: GPU_IMAGE,
    });
    const shell = runner();
    const result = await installApp({
      app: 'vllm',
      nodes: [installNode(plain), installNode(ready)],
      runner: shell,
      openPorts: openPortsThroughDriver,
      healthProbe: shell.ports,
    });
    expect(result.ok).toBe(true);
    expect(result.nodes[0]?.endpoints).toEqual({
      api: `http://${plain.publicIp}:8000/v1`,
      model: 'Qwen/Qwen2.5-0.5B-Instruct',
    });
    expect(result.nodes[0]?.sensitive.apiKey).toMatch(/^[0-9a-f]{48}$/);
    const [plainHistory] = await shell.history(plain.id);
    const [readyHistory] = await shell.history(ready.id);
    expect(plainHistory?.stdout).toContain('NVIDIA server driver installed');
    expect(readyHistory?.stdout).not.toContain('NVIDIA server driver installed');
    const [gpus] = await shell.run([targetOf(plain)], 'nvidia-smi -L', { timeoutMs: 10_000 });
    expect(gpus?.stdout).toMatch(/^GPU 0: NVIDIA A10G \(UUID: GPU-[0-9a-f-]{36}\)\n$/);
  });

  it('builds a k3s cluster: the server token reaches the agents and only the server opens 6443', async () => {
    const server = await runningVm({ name: 'server' });
    const agent = await runningVm({ name: 'agent' });
    const shell = runner();
    const result = await installApp({
      app: 'k3s',
      nodes: [installNode(server), installNode(agent)],
      runner: shell,
      openPorts: openPortsThroughDriver,
      healthProbe: shell.ports,
    });
    expect(result.ok).toBe(true);
    const [serverRun] = await shell.history(server.id);
    const token = /s2a-output: token=(\S+)/.exec(serverRun?.stdout ?? '')?.[1];
    expect(token).toMatch(/^K10[0-9a-f]+::server:[0-9a-f]+$/);
    const [agentRun] = await shell.history(agent.id);
    expect(agentRun?.script).toContain(`K3S_TOKEN='${token}'`);
    expect(agentRun?.script).toContain(`K3S_URL='https://${server.privateIp}:6443'`);
    expect((await shell.ports.list(server.id)).map((port) => `${port.protocol}/${port.port}`).sort()).toEqual(
      ['tcp/10250', 'tcp/6443', 'udp/51820'],
    );
    expect((await shell.ports.list(agent.id)).map((port) => `${port.protocol}/${port.port}`).sort()).toEqual([
      'tcp/10250',
      'udp/51820',
    ]);
  });

  it('stops a script that outlives its timeout after the timeout, not after the script', async () => {
    const vm = await runningVm();
    const shell = runner();
    const before = context.clock.now;
    const [result] = await shell.run([targetOf(vm)], 'echo start\nsleep 30\n', { timeoutMs: 1_000 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true, error: { code: 'timeout' } });
    expect(context.clock.now - before).toBe(1_000);
    expect((await shell.history(vm.id))[0]?.timedOut).toBe(true);
  });

  it('refuses VMs that are not Running, other users and other keys', async () => {
    const vm = await runningVm();
    const shell = runner();
    const [wrongUser] = await shell.run([targetOf(vm, { username: 'root' })], 'true', { timeoutMs: 1_000 });
    expect(wrongUser?.error).toMatchObject({ code: 'auth-failed' });
    expect(wrongUser?.error?.message).toContain('This image\'s login user is "ubuntu"');
    const other = await driver.createKeyPair({
      region: 'ap-northeast-2',
      name: 'other',
      tags: stack.keyPair.tags,
    });
    const [wrongKey] = await shell.run([targetOf(vm, { privateKey: other.privateKey as string })], 'true', {
      timeoutMs: 1_000,
    });
    expect(wrongKey?.error?.message).toContain('Permission denied (publickey)');

    await driver.suspendVm(vm.id);
    const [suspending] = await shell.run([targetOf(vm, { vmId: vm.id })], 'echo hi', { timeoutMs: 1_000 });
    expect(suspending).toMatchObject({
      exitCode: null,
      error: { code: 'vm-not-running', message: expect.stringMatching(/^VM is Suspending/) },
    });
    context.clock.advance(600_000);
    const [suspended] = await shell.run([targetOf(vm, { vmId: vm.id })], 'echo hi', { timeoutMs: 1_000 });
    expect(suspended?.error?.message).toMatch(/^VM is Suspended \(/);
    const [unknown] = await shell.run([targetOf(vm, { host: '198.19.255.254' })], 'echo hi', {
      timeoutMs: 1_000,
    });
    expect(unknown?.error?.code).toBe('vm-not-found');
  });
});
