import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Spec } from '../../drivers/spec/index.ts';
import { wrapScript } from '../remote/types.ts';
import { EXIT_CODES, library, preflight } from './prelude.ts';
import { getRecipe, listRecipes } from './registry.ts';
import {
  addressBetween,
  parseScriptHeader,
  parseScriptOutputs,
  RecipeParameterError,
  type RenderNode,
  type RoleFacts,
  redactOutputs,
  renderInstallScript,
  renderOutputs,
  resolveParameters,
} from './render.ts';
import { checkRequirements } from './requirements.ts';
import { parseRecipe, type Recipe, type RecipeInput, type RoleName } from './schema.ts';

function spec(overrides: Partial<Spec> = {}): Spec {
  return {
    id: 'aws+ap-northeast-2+t3.medium',
    provider: 'aws',
    region: 'ap-northeast-2',
    name: 't3.medium',
    vcpu: 2,
    memoryGiB: 4,
    arch: 'x86_64',
    gpu: null,
    pricePerHour: 0.052,
    spotPricePerHour: null,
    currency: 'USD',
    source: 'test',
    fetchedAt: '2026-07-20',
    ...overrides,
  };
}

function node(role: RoleName, index: number, network = 'vnet-1'): RenderNode {
  return {
    nodeId: `node-${index}`,
    role,
    publicIp: `203.0.113.${10 + index}`,
    privateIp: `10.0.1.${10 + index}`,
    host: `203.0.113.${10 + index}`,
    network,
  };
}

/** Facts of every "one" role, as installApp passes them to later roles and to outputs. */
function sampleFacts(recipe: Recipe): Partial<Record<RoleName, RoleFacts>> {
  const facts: Partial<Record<RoleName, RoleFacts>> = {};
  for (const role of recipe.roles.filter((candidate) => candidate.count === 'one')) {
    const outputs = Object.fromEntries(
      recipe.scriptOutputs
        .filter((output) => output.role === role.name)
        .map((output) => [output.name, output.name === 'token' ? 'K10abc::server:def' : 'a'.repeat(48)]),
    );
    facts[role.name] = { node: node(role.name, 0), outputs };
  }
  return facts;
}

function bashSyntaxError(script: string): string {
  const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return result.status === 0 ? '' : result.stderr;
}

describe('the recipe registry', () => {
  it('holds the nine apps, each valid against the schema', () => {
    expect(listRecipes().map((recipe) => recipe.name)).toEqual([
      'ollama',
      'vllm',
      'open-webui',
      'nginx',
      'docker',
      'jupyter',
      'ray',
      'k3s',
      'node-exporter',
    ]);
    for (const recipe of listRecipes()) expect(parseRecipe(recipe)).toEqual(recipe);
  });

  it('names the known apps when asked for an unknown one', () => {
    expect(() => getRecipe('wordpress')).toThrow(/no app named "wordpress"; known apps: ollama, vllm/);
  });

  it('renders every role of every recipe with its default parameters into valid bash', () => {
    for (const recipe of listRecipes()) {
      const parameters = resolveParameters(recipe);
      const facts = sampleFacts(recipe);
      for (const [index, role] of recipe.roles.entries()) {
        const script = renderInstallScript(recipe, node(role.name, index + 1), parameters, facts);
        expect(script.startsWith(`#!/usr/bin/env bash\n# s2a-app: ${recipe.name}\n`)).toBe(true);
        expect(script, `${recipe.name}/${role.name} left a placeholder`).not.toMatch(/\{\{\s*[A-Za-z]/);
        expect(bashSyntaxError(script), `${recipe.name}/${role.name}`).toBe('');
        // As the runners send it: inside a function, stdin from /dev/null.
        expect(bashSyntaxError(wrapScript(script, { S2A_TEST: "it's" })), `${recipe.name}/${role.name}`).toBe(
          '',
        );
        expect(parseScriptHeader(script)).toEqual({ app: recipe.name, role: role.name, parameters });
      }
      for (const [index, role] of recipe.roles.entries()) {
        const own = Object.fromEntries(
          recipe.scriptOutputs
            .filter((output) => output.role === role.name)
            .map((output) => [output.name, 'f'.repeat(48)]),
        );
        const rendered = renderOutputs(recipe, node(role.name, index + 1), parameters, own, facts);
        for (const value of [...Object.values(rendered.endpoints), ...Object.values(rendered.sensitive)]) {
          expect(value).not.toMatch(/\{\{/);
        }
      }
    }
  });

  it('puts the chosen model into the ollama script and pulls it after the install', () => {
    const recipe = getRecipe('ollama');
    const script = renderInstallScript(
      recipe,
      node('default', 1),
      resolveParameters(recipe, { model: 'qwen2.5:7b' }),
    );
    expect(script).toContain('s2a_download https://ollama.com/install.sh');
    expect(script.indexOf('ollama pull qwen2.5:7b')).toBeGreaterThan(
      script.indexOf('sh /tmp/s2a-ollama-install.sh'),
    );
    expect(renderOutputs(recipe, node('default', 1), { model: 'qwen2.5:7b' }, {}).endpoints).toEqual({
      api: 'http://203.0.113.11:11434',
      model: 'qwen2.5:7b',
    });
  });

  it('joins k3s agents to the server with its token, by private IP in one network and public IP across', () => {
    const recipe = getRecipe('k3s');
    const server = node('server', 0, 'vnet-a');
    const facts = { server: { node: server, outputs: { token: 'K10abc::server:def' } } };
    const near = renderInstallScript(recipe, node('agent', 1, 'vnet-a'), { channel: 'stable' }, facts);
    expect(near).toContain("K3S_URL='https://10.0.1.10:6443'");
    expect(near).toContain("K3S_TOKEN='K10abc::server:def'");
    const far = renderInstallScript(recipe, node('agent', 2, 'vnet-b'), { channel: 'stable' }, facts);
    expect(far).toContain("K3S_URL='https://203.0.113.10:6443'");
    expect(addressBetween(node('agent', 1, 'vnet-a'), server, true)).toBe('10.0.1.10');
  });

  it('joins ray workers to the head by its private IP', () => {
    const recipe = getRecipe('ray');
    const facts = { head: { node: node('head', 0), outputs: {} } };
    const script = renderInstallScript(recipe, node('worker', 1), { version: '2.44.1' }, facts);
    expect(script).toContain('--address=10.0.1.10:6379 --node-ip-address=10.0.1.11');
    expect(script).toContain('pip install --quiet "ray[default]==2.44.1"');
  });
});

describe('parameters', () => {
  const ollama = getRecipe('ollama');

  it.each([
    'x; rm -rf /',
    'llama3 && reboot',
    '$(reboot)',
    '`reboot`',
    "llama'3",
    'llama"3',
    'llama3\nreboot',
    'llama3 | sh',
    '../../etc/passwd;',
    '',
  ])('refuses model %j', (model) => {
    expect(() => resolveParameters(ollama, { model })).toThrow(RecipeParameterError);
    expect(() => resolveParameters(ollama, { model })).toThrow(
      /parameter "model" .* is refused: it must match/,
    );
  });

  it('takes defaults and good values', () => {
    expect(resolveParameters(ollama)).toEqual({ model: 'llama3.2:1b' });
    expect(resolveParameters(ollama, { model: 'hf.co/bartowski/gemma-2-2b-it-gguf:Q4_K_M' })).toEqual({
      model: 'hf.co/bartowski/gemma-2-2b-it-gguf:Q4_K_M',
    });
  });

  it('refuses parameters the recipe does not have', () => {
    expect(() => resolveParameters(ollama, { modle: 'llama3' })).toThrow(
      'ollama has no parameter "modle" (its parameters: model)',
    );
  });

  it('refuses, even when a recipe pattern would let them through, values with shell characters', () => {
    const loose = parseRecipe({
      ...minimalRecipe(),
      parameters: [{ name: 'anything', description: 'too loose', default: 'ok', pattern: '.*' }],
    });
    expect(() => resolveParameters(loose, { anything: 'a; reboot' })).toThrow(RecipeParameterError);
  });
});

function minimalRecipe(): RecipeInput {
  return {
    name: 'demo',
    title: 'Demo',
    description: 'A recipe for schema tests.',
    roles: [{ name: 'default', count: 'all' }],
    install: { scripts: { default: 'echo hello\n' }, estimatedSeconds: [1, 2], timeoutSeconds: 60 },
    ports: [{ port: 8080, protocol: 'tcp', description: 'HTTP', public: true }],
    health: { http: { port: 8080, path: '/', expectStatus: 200 } },
    outputs: [{ name: 'url', description: 'URL', template: 'http://{{host}}:8080' }],
    diagnostics: 'true',
  };
}

describe('the recipe schema', () => {
  it('accepts a minimal recipe', () => {
    expect(parseRecipe(minimalRecipe()).name).toBe('demo');
  });

  it.each<[string, (recipe: RecipeInput) => RecipeInput, RegExp]>([
    [
      'an unknown placeholder',
      (recipe) => ({ ...recipe, install: { ...recipe.install, scripts: { default: 'echo {{nope}}' } } }),
      /unknown placeholder \{\{nope\}\}/,
    ],
    [
      'a default that fails its pattern',
      (recipe) => ({
        ...recipe,
        parameters: [{ name: 'size', description: 'size', default: 'big', pattern: '[0-9]+' }],
      }),
      /default "big" does not match/,
    ],
    [
      'a role without a script',
      (recipe) => ({ ...recipe, roles: [{ name: 'server', count: 'all' }] }),
      /no install script for role "server"/,
    ],
    [
      'a health port that is not public',
      (recipe) => ({ ...recipe, health: { tcp: { port: 9999 } } }),
      /health port 9999 is not among the public ports/,
    ],
    [
      'a script using the outputs of a role installed after it',
      (recipe) => ({
        ...recipe,
        roles: [
          { name: 'head', count: 'one' },
          { name: 'worker', count: 'rest' },
        ],
        install: {
          ...recipe.install,
          scripts: { head: 'echo {{worker.address}}', worker: 'echo {{head.address}}' },
        },
      }),
      /script for "head" uses unknown placeholder \{\{worker.address\}\}/,
    ],
    [
      'an "all" role next to another role',
      (recipe) => ({
        ...recipe,
        roles: [
          { name: 'default', count: 'all' },
          { name: 'head', count: 'one' },
        ],
        install: { ...recipe.install, scripts: { default: 'true', head: 'true' } },
      }),
      /must be the only role/,
    ],
  ])('refuses %s', (_label, change, message) => {
    expect(() => parseRecipe(change(minimalRecipe()))).toThrow(message);
  });
});

describe('script outputs', () => {
  const k3s = getRecipe('k3s');

  it('reads declared outputs and refuses values that could break into a later script', () => {
    expect(parseScriptOutputs(k3s, 'server', 'installing\ns2a-output: token=K10ab::server:cd\n')).toEqual({
      values: { token: 'K10ab::server:cd' },
      missing: [],
      invalid: [],
    });
    expect(parseScriptOutputs(k3s, 'server', 's2a-output: token=K10; reboot\n').invalid).toEqual(['token']);
    expect(parseScriptOutputs(k3s, 'server', 'nothing\n').missing).toEqual(['token']);
  });

  it('redacts sensitive outputs and keeps them out of the endpoints', () => {
    expect(redactOutputs(k3s, 'ok\ns2a-output: token=K10secret\n')).toBe(
      'ok\ns2a-output: token=[redacted]\n',
    );
    const jupyter = getRecipe('jupyter');
    const rendered = renderOutputs(jupyter, node('default', 1), {}, { token: 'f'.repeat(48) });
    expect(rendered.endpoints).toEqual({ url: 'http://203.0.113.11:8888/lab' });
    expect(Object.keys(rendered.sensitive).sort()).toEqual(['loginUrl', 'token']);
  });
});

describe('requirements against specs', () => {
  const vllm = getRecipe('vllm');

  it('refuses vllm on a CPU spec with a clear reason', () => {
    const check = checkRequirements(vllm, spec({ vcpu: 8, memoryGiB: 32 }));
    expect(check.ok).toBe(false);
    expect(check.problems.map((problem) => problem.reason)).toEqual([
      'vllm requires an NVIDIA GPU (CUDA); spec aws+ap-northeast-2+t3.medium has no GPU. Pick a GPU spec (searchSpecs with gpu: true).',
    ]);
    expect(check.problems[0]?.onVm).toBe(
      'vllm requires an NVIDIA GPU (CUDA); this VM has none (nvidia-smi: command not found)',
    );
  });

  it('accepts vllm on an A10G with 24 GiB and refuses a 12 GiB GPU, an Inferentia chip and arm64', () => {
    const a10g = { model: 'A10G', count: 1, memoryGiB: 24, manufacturer: 'NVIDIA' };
    expect(checkRequirements(vllm, spec({ vcpu: 4, memoryGiB: 16, gpu: a10g })).ok).toBe(true);
    const small = checkRequirements(
      vllm,
      spec({
        vcpu: 4,
        memoryGiB: 61,
        gpu: { model: 'K80', count: 1, memoryGiB: 12, manufacturer: 'NVIDIA' },
      }),
    );
    expect(small.problems.map((problem) => problem.kind)).toEqual(['gpuMemory']);
    expect(small.problems[0]?.reason).toContain('needs a GPU with at least 16 GiB of memory');
    const inferentia = checkRequirements(
      vllm,
      spec({
        vcpu: 4,
        memoryGiB: 16,
        gpu: { model: 'Inferentia2', count: 1, memoryGiB: 32, manufacturer: 'AWS' },
      }),
    );
    expect(inferentia.problems[0]?.reason).toContain('has AWS Inferentia2');
    const arm = checkRequirements(vllm, spec({ vcpu: 4, memoryGiB: 16, gpu: a10g, arch: 'arm64' }));
    expect(arm.problems.map((problem) => problem.kind)).toEqual(['arch']);
  });

  it('leaves unknown GPU memory to the VM', () => {
    const check = checkRequirements(
      vllm,
      spec({
        vcpu: 4,
        memoryGiB: 16,
        gpu: { model: 'L4', count: 1, memoryGiB: null, manufacturer: 'NVIDIA' },
      }),
    );
    expect(check.ok).toBe(true);
    expect(check.unknowns[0]).toContain('GPU memory of L4 is not in the catalog');
  });

  it('refuses ollama on a VM with 2 GiB', () => {
    expect(checkRequirements(getRecipe('ollama'), spec({ memoryGiB: 2 })).problems[0]?.reason).toBe(
      'ollama needs at least 4 GiB of memory; spec aws+ap-northeast-2+t3.medium has 2 GiB',
    );
  });
});

describe('the preflight, run by bash on this machine', () => {
  function runPreflight(requirements: RecipeInput['requirements']) {
    const recipe = parseRecipe({ ...minimalRecipe(), requirements });
    return spawnSync('bash', ['-s'], {
      input: `${library()}\n${preflight(recipe)}\necho preflight-passed\n`,
      encoding: 'utf8',
    });
  }

  it('passes when nothing is required', () => {
    const result = runPreflight({});
    expect(result.stdout).toContain('preflight-passed');
    expect(result.status).toBe(0);
  });

  it('fails with exit code 3 and the shared message when a requirement is not met', () => {
    const vcpu = runPreflight({ minVcpu: 4096 });
    expect(vcpu.status).toBe(EXIT_CODES.requirements);
    expect(vcpu.stderr).toMatch(/^s2a: demo needs at least 4096 vCPUs; this VM has \d+\n$/);
    const memory = runPreflight({ minMemoryGiB: 100_000 });
    expect(memory.status).toBe(EXIT_CODES.requirements);
    expect(memory.stderr).toMatch(
      /^s2a: demo needs at least 100000 GiB of memory; this VM has [\d.]+ GiB\n$/,
    );
    const machine = spawnSync('uname', ['-m'], { encoding: 'utf8' }).stdout.trim();
    const arch = runPreflight({ arch: [machine === 'aarch64' ? 'x86_64' : 'arm64'] });
    expect(arch.status).toBe(EXIT_CODES.requirements);
    expect(arch.stderr).toContain(`this VM is ${machine}`);
  });

  it('fails on a machine without an NVIDIA device when a GPU is required', () => {
    const hasNvidia = spawnSync('bash', ['-c', 'grep -qs 0x10de /sys/bus/pci/devices/*/vendor']).status === 0;
    const result = runPreflight({ gpu: { minMemoryGiB: 16 } });
    if (hasNvidia) {
      expect(result.stdout).toContain('preflight-passed');
    } else {
      expect(result.status).toBe(EXIT_CODES.requirements);
      expect(result.stderr).toBe(
        's2a: demo requires an NVIDIA GPU (CUDA); this VM has none (nvidia-smi: command not found)\n',
      );
    }
  });
});
