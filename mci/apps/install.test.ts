import { describe, expect, it } from 'vitest';
import type { Spec } from '../../drivers/spec/index.ts';
import type { CommandResult, CommandRunner, OutputEvent, RemoteTarget, RunOptions } from '../remote/types.ts';
import type { HealthProbe, HealthProbeRequest } from './health.ts';
import { assignRoles, InstallError, type InstallNode, installApp } from './install.ts';
import { getRecipe } from './registry.ts';
import { parseScriptHeader } from './render.ts';
import type { RecipePort } from './schema.ts';

interface Call {
  nodeId: string;
  role: string;
  script: string;
  options: RunOptions;
}

/** A runner that answers from a function and records what it was asked, in order. */
class ScriptedRunner implements CommandRunner {
  readonly calls: Call[] = [];
  constructor(
    private readonly answer: (target: RemoteTarget, script: string) => Partial<CommandResult> = () => ({}),
  ) {}

  async run(targets: readonly RemoteTarget[], script: string, options: RunOptions): Promise<CommandResult[]> {
    return targets.map((target) => {
      this.calls.push({
        nodeId: target.nodeId,
        role: parseScriptHeader(script)?.role ?? '',
        script,
        options,
      });
      const answer = this.answer(target, script);
      const result: CommandResult = {
        nodeId: target.nodeId,
        exitCode: 0,
        stdout: '',
        stderr: '',
        stdoutDroppedBytes: 0,
        stderrDroppedBytes: 0,
        durationMs: 5,
        timedOut: false,
        ...answer,
      };
      if (options.onOutput && result.stdout)
        options.onOutput({ nodeId: target.nodeId, stream: 'stdout', text: result.stdout });
      return result;
    });
  }
}

class FixedProbe implements HealthProbe {
  readonly requests: HealthProbeRequest[] = [];
  constructor(private readonly healthy: (request: HealthProbeRequest) => boolean = () => true) {}
  async probe(request: HealthProbeRequest) {
    this.requests.push(request);
    return this.healthy(request)
      ? { healthy: true, detail: 'HTTP 200' }
      : { healthy: false, detail: 'ECONNREFUSED' };
  }
}

function nodes(count: number, spec?: Spec): InstallNode[] {
  return Array.from({ length: count }, (_, index) => ({
    target: {
      nodeId: `node-${index}`,
      host: `203.0.113.${index + 1}`,
      port: 22,
      username: 'ubuntu',
      privateKey: 'unused by the scripted runner',
    },
    publicIp: `203.0.113.${index + 1}`,
    privateIp: `10.0.0.${index + 1}`,
    network: 'vnet-1',
    ...(spec ? { spec } : {}),
  }));
}

const noWait = { sleep: async () => undefined, initialDelayMs: 1 };

describe('installApp', () => {
  it('installs the ray head first, then the workers with the head address, and returns endpoints', async () => {
    const runner = new ScriptedRunner();
    const opened: { nodeIds: string[]; ports: RecipePort[] }[] = [];
    const progress: string[] = [];
    const result = await installApp({
      app: 'ray',
      nodes: nodes(3),
      runner,
      openPorts: async (nodeIds, ports) => {
        opened.push({ nodeIds, ports });
      },
      onProgress: (event) => progress.push(`${event.step}:${event.role ?? ''}`),
    });
    expect(result.ok).toBe(true);
    expect(runner.calls.map((call) => `${call.nodeId}:${call.role}`)).toEqual([
      'node-0:head',
      'node-1:worker',
      'node-2:worker',
    ]);
    expect(runner.calls[1]?.script).toContain('--address=10.0.0.1:6379 --node-ip-address=10.0.0.2');
    expect(
      runner.calls.every((call) => call.options.sudo === true && call.options.timeoutMs === 1_800_000),
    ).toBe(true);
    expect(opened.map((entry) => [entry.nodeIds, entry.ports.map((port) => port.port)])).toEqual([
      [['node-0'], [6379, 8265, 10001, 6380, 10002, 52365]],
      [
        ['node-1', 'node-2'],
        [6380, 10002, 52365],
      ],
    ]);
    expect(result.nodes.map((node) => [node.nodeId, node.role, node.status, node.endpoints])).toEqual([
      ['node-0', 'head', 'installed', { address: '10.0.0.1:6379', dashboard: 'http://10.0.0.1:8265' }],
      ['node-1', 'worker', 'installed', { address: '10.0.0.1:6379' }],
      ['node-2', 'worker', 'installed', { address: '10.0.0.1:6379' }],
    ]);
    expect(progress.slice(0, 2)).toEqual(['open-ports:head', 'open-ports:worker']);
  });

  it('passes the k3s server token to the agents, keeps it out of endpoints and redacts it in output', async () => {
    const runner = new ScriptedRunner((_target, script) =>
      parseScriptHeader(script)?.role === 'server'
        ? { stdout: 'installed\ns2a-output: token=K10secret::server:abc\n' }
        : {},
    );
    const output: OutputEvent[] = [];
    const probe = new FixedProbe();
    const result = await installApp({
      app: 'k3s',
      nodes: nodes(2),
      runner,
      openPorts: async () => undefined,
      healthProbe: probe,
      onOutput: (event) => output.push(event),
    });
    expect(result.ok).toBe(true);
    expect(runner.calls[1]?.script).toContain("K3S_TOKEN='K10secret::server:abc'");
    expect(JSON.stringify(result)).not.toContain('K10secret');
    expect(output.map((event) => event.text).join('')).toBe('installed\ns2a-output: token=[redacted]\n');
    expect(probe.requests.map((request) => [request.nodeId, request.host])).toEqual([
      ['node-0', '203.0.113.1'],
    ]);
    expect(result.nodes[0]?.endpoints).toEqual({ apiServer: 'https://203.0.113.1:6443' });
  });

  it('skips the workers when the head fails, saying which node, which step and what to do', async () => {
    const runner = new ScriptedRunner((target) =>
      target.nodeId === 'node-0'
        ? {
            exitCode: 5,
            stderr:
              'E: Unable to locate package\ns2a: apt-get install python3-venv failed 5 times; check the network\n',
          }
        : {},
    );
    const result = await installApp({
      app: 'ray',
      nodes: nodes(3),
      runner,
      openPorts: async () => undefined,
    });
    expect(result.ok).toBe(false);
    expect(runner.calls).toHaveLength(1);
    expect(result.nodes.map((node) => node.status)).toEqual(['failed', 'skipped', 'skipped']);
    const [failure] = result.failures;
    expect(failure).toMatchObject({ nodeId: 'node-0', role: 'head', step: 'install', exitCode: 5 });
    expect(failure?.message).toBe(
      'installing ray on node-0 (head) failed with exit code 5: apt-get install python3-venv failed 5 times; check the network',
    );
    expect(failure?.nextStep).toContain('check its internet access');
    expect(result.failures.slice(1).map((entry) => entry.nodeId)).toEqual(['node-1', 'node-2']);
  });

  it('reports a node whose service never becomes healthy, with the port and the diagnostics command', async () => {
    const probe = new FixedProbe((request) => request.nodeId !== 'node-1');
    const result = await installApp({
      app: 'nginx',
      nodes: nodes(2),
      runner: new ScriptedRunner(),
      openPorts: async () => undefined,
      healthProbe: probe,
      healthTimeoutMs: 0,
      healthWait: noWait,
    });
    expect(result.nodes.map((node) => node.status)).toEqual(['installed', 'failed']);
    expect(result.failures[0]).toMatchObject({ nodeId: 'node-1', step: 'health' });
    expect(result.failures[0]?.message).toContain(
      'did not pass its health check (HTTP GET :80/ answering 200)',
    );
    expect(result.failures[0]?.nextStep).toContain('port 80');
    expect(result.failures[0]?.nextStep).toContain('systemctl status nginx');
  });

  it('refuses before anything runs: bad parameters, unmet requirements, wrong roles', async () => {
    const runner = new ScriptedRunner();
    let portsOpened = false;
    const openPorts = async () => {
      portsOpened = true;
    };
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error as InstallError,
      );

    const injection = await refusal(
      installApp({ app: 'ollama', parameters: { model: 'x; rm -rf /' }, nodes: nodes(1), runner, openPorts }),
    );
    expect(injection).toBeInstanceOf(InstallError);
    expect(injection?.step).toBe('parameters');

    const cpu: Spec = {
      id: 'aws+us-east-1+c5.2xlarge',
      provider: 'aws',
      region: 'us-east-1',
      name: 'c5.2xlarge',
      vcpu: 8,
      memoryGiB: 16,
      arch: 'x86_64',
      gpu: null,
      pricePerHour: 0.34,
      spotPricePerHour: null,
      currency: 'USD',
      source: 'test',
      fetchedAt: '2026-07-20',
    };
    const noGpu = await refusal(installApp({ app: 'vllm', nodes: nodes(2, cpu), runner, openPorts }));
    expect(noGpu?.step).toBe('requirements');
    expect(noGpu?.failures.map((failure) => failure.nodeId)).toEqual(['node-0', 'node-1']);
    expect(noGpu?.message).toContain(
      'node-0: vllm requires an NVIDIA GPU (CUDA); spec aws+us-east-1+c5.2xlarge has no GPU',
    );

    const tooMany = await refusal(
      installApp({
        app: 'k3s',
        nodes: nodes(2).map((node) => ({ ...node, role: 'server' as const })),
        runner,
        openPorts,
      }),
    );
    expect(tooMany?.step).toBe('roles');
    expect(tooMany?.message).toContain('k3s needs exactly one "server" node; 2 given');

    const networks = await refusal(
      installApp({
        app: 'ray',
        nodes: nodes(2).map((node, index) => ({ ...node, network: `vnet-${index}` })),
        runner,
        openPorts,
      }),
    );
    expect(networks?.message).toContain(
      'ray joins its nodes by private IP, but these nodes are in 2 networks',
    );

    expect(runner.calls).toEqual([]);
    expect(portsOpened).toBe(false);
  });

  it('assigns roles in order: the one-node roles first, the rest after', () => {
    expect(assignRoles(getRecipe('k3s'), 3)).toEqual(['server', 'agent', 'agent']);
    expect(assignRoles(getRecipe('ollama'), 2)).toEqual(['default', 'default']);
    expect(assignRoles(getRecipe('ray'), 1)).toEqual(['head']);
    expect(() => assignRoles(getRecipe('k3s'), 0)).toThrow(/k3s needs at least 1 nodes/);
  });

  it('tells a timed-out install from a failed one', async () => {
    const runner = new ScriptedRunner(() => ({
      exitCode: null,
      timedOut: true,
      error: {
        code: 'timeout',
        message: 'the script on node-0 ran longer than 900000 ms and was stopped',
        retryable: true,
      },
    }));
    const result = await installApp({
      app: 'nginx',
      nodes: nodes(1),
      runner,
      openPorts: async () => undefined,
    });
    expect(result.failures[0]?.message).toContain('ran longer than 900000 ms');
    expect(result.failures[0]?.nextStep).toContain('Install again with a longer timeout');
  });
});
