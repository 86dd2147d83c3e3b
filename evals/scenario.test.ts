// The scenario parser: the documented format loads; misspelt keys and bad values are errors that
// name the file, the path and the line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios, matchesFilter, parseScenario, ScenarioError } from './scenario.ts';

const FULL = `
id: gpu-three-cities          # unique
lang: en                      # en | ko
tags: [deploy, gpu]
setup:
  budget_per_hour: 50
  mcis:
    - name: web
      node_groups:
        - {spec: "aws+us-east-1+t3.medium", size: 2}
  faults:
    - {provider: aws, region: ap-northeast-2, operation: createVm, kind: capacity}
turns:
  - say: "deploy ollama on 3 GPU VMs, one each in Seoul, Tokyo and Frankfurt, cheapest"
    confirm: yes
expect:
  mcis: 1
  nodes: 3
  status: Running
  each_node: {min_vcpu: 4, max_vcpu: 16, min_memory_gib: 16, gpu_min: 1, gpu_model: A100, arch: x86_64}
  providers_only: [aws, gcp]
  providers_not: [azure]
  places: [Seoul, Tokyo, Frankfurt]
  countries: [KR]
  regions: ["aws+ap-northeast-2"]
  cheapest_within: 1.15
  max_cost_per_hour: 10
  apps: [{name: ollama, healthy: all}]
  asked_confirmation: true
  asked_clarification: true
  no_mutation: true
  reply_contains: ["H100"]
  no_orphans: true
`;

function problem(yaml: string): string {
  try {
    parseScenario(yaml, 'bad.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('parseScenario', () => {
  it('reads the example of the issue, every key, with defaults filled in', () => {
    const scenario = parseScenario(FULL, 'full.yaml');
    expect(scenario.file).toBe('full.yaml');
    expect(scenario.turns).toEqual([
      { say: 'deploy ollama on 3 GPU VMs, one each in Seoul, Tokyo and Frankfurt, cheapest', confirm: 'yes' },
    ]);
    expect(scenario.expect.apps).toEqual([{ name: 'ollama', healthy: 'all' }]);
    expect(scenario.setup.mcis?.[0]?.node_groups[0]).toEqual({ spec: 'aws+us-east-1+t3.medium', size: 2 });
    expect(Object.keys(scenario.expect)).toHaveLength(17);
  });

  it('fills defaults: confirm yes, tags [], empty setup and expect, place radius 800 km and 1 node', () => {
    const scenario = parseScenario(
      'id: a\nlang: ko\nturns: [{say: hi}, {say: no way, confirm: no}, {say: ok, confirm: true}]\nexpect: {places: [{near: Seoul}]}',
      'a.yaml',
    );
    expect(scenario.turns.map((turn) => turn.confirm)).toEqual(['yes', 'no', 'yes']);
    expect(scenario.tags).toEqual([]);
    expect(scenario.setup).toEqual({});
    expect(scenario.expect.places).toEqual([{ near: 'Seoul', km: 800, nodes: 1 }]);
  });

  it('takes a single reply_contains string as a list of one', () => {
    const scenario = parseScenario(
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {reply_contains: H100}',
      'a.yaml',
    );
    expect(scenario.expect.reply_contains).toEqual(['H100']);
  });

  const cases: [string, string, RegExp][] = [
    [
      'a misspelt expect key, with a suggestion and its line',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect:\n  each_node: {min_vcpus: 4}',
      /bad\.yaml:\n {2}line 5: expect\.each_node\.min_vcpus: unknown key "min_vcpus" \(did you mean "min_vcpu"\?\)/,
    ],
    [
      'an unknown top-level key',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpected: {mcis: 1}',
      /line 4: expected: unknown key "expected" \(did you mean "expect"\?\)/,
    ],
    [
      'an unknown turn key',
      'id: a\nlang: en\nturns:\n  - say: hi\n    confirmed: yes',
      /line 5: turns\[0\]\.confirmed: unknown key "confirmed" \(did you mean "confirm"\?\)/,
    ],
    ['a missing id', 'lang: en\nturns: [{say: hi}]', /id: /],
    ['a bad language', 'id: a\nlang: fr\nturns: [{say: hi}]', /lang: .*"en"/],
    ['no turns', 'id: a\nlang: en\nturns: []', /turns: give at least one turn/],
    ['an empty say', 'id: a\nlang: en\nturns: [{say: "  "}]', /turns\[0\]\.say: say what the user types/],
    ['a bad confirm', 'id: a\nlang: en\nturns: [{say: hi, confirm: maybe}]', /turns\[0\]\.confirm/],
    [
      'a bad provider',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {providers_only: [amazon]}',
      /expect\.providers_only\[0\]/,
    ],
    ['a bad status', 'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {status: Up}', /expect\.status/],
    [
      'a bad region id',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {regions: [ap-northeast-2]}',
      /expect\.regions\[0\]: a region id/,
    ],
    [
      'a lower-case country',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {countries: [kr]}',
      /expect\.countries\[0\]: an ISO/,
    ],
    ['a negative node count', 'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {nodes: -1}', /expect\.nodes/],
    [
      'a healthy word other than all',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {apps: [{name: x, healthy: most}]}',
      /expect\.apps\[0\]\.healthy/,
    ],
    [
      'a cheapest factor below 1',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {cheapest_within: 0.9, each_node: {gpu_min: 1}}',
      /cheapest_within: a factor of at least 1/,
    ],
    [
      'cheapest_within without each_node',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {cheapest_within: 1.1}',
      /give each_node too/,
    ],
    [
      'min above max vCPU',
      'id: a\nlang: en\nturns: [{say: hi}]\nexpect: {each_node: {min_vcpu: 8, max_vcpu: 4}}',
      /max_vcpu is below min_vcpu/,
    ],
    [
      'a bad spec id',
      'id: a\nlang: en\nsetup: {mcis: [{name: web, node_groups: [{spec: t3.medium, size: 1}]}]}\nturns: [{say: hi}]',
      /setup\.mcis\[0\]\.node_groups\[0\]\.spec: a spec id/,
    ],
    [
      'a fault kind the format does not have',
      'id: a\nlang: en\nsetup: {faults: [{provider: aws, kind: meteor}]}\nturns: [{say: hi}]',
      /setup\.faults\[0\]\.kind/,
    ],
    [
      'an MCI name used twice',
      'id: a\nlang: en\nsetup: {mcis: [{name: w, node_groups: [{spec: "aws+r+s", size: 1}]}, {name: w, node_groups: [{spec: "aws+r+s", size: 1}]}]}\nturns: [{say: hi}]',
      /"w" is used twice/,
    ],
    ['YAML that is not a mapping', '- just\n- a list', /a scenario is a YAML mapping/],
    ['broken YAML', 'id: a\nlang: [en\nturns: x', /not valid YAML/],
    ['a duplicated key', 'id: a\nid: b\nlang: en\nturns: [{say: hi}]', /not valid YAML/],
  ];
  it.each(cases)('refuses %s', (_name, yaml, message) => {
    const text = problem(yaml);
    expect(text.startsWith('bad.yaml')).toBe(true);
    expect(text).toMatch(message);
  });

  it('reports every problem of a file at once', () => {
    const text = problem('id: A\nlang: en\nturns: [{say: hi, extra: 1}]\nexpect: {nodes: x, mcis: 1.5}');
    expect(text.split('\n').length).toBeGreaterThanOrEqual(5);
  });
});

describe('loadScenarios', () => {
  it('loads a folder, refuses duplicate ids and reports all bad files together', async () => {
    const directory = await mkdtemp(join(tmpdir(), 's2a-eval-scenarios-'));
    try {
      await writeFile(join(directory, 'one.yaml'), 'id: one\nlang: en\ntags: [deploy]\nturns: [{say: hi}]');
      await writeFile(join(directory, 'two.yml'), 'id: two\nlang: ko\nturns: [{say: 안녕}]');
      await writeFile(join(directory, 'notes.txt'), 'not a scenario');
      const scenarios = await loadScenarios(directory);
      expect(scenarios.map((scenario) => scenario.id)).toEqual(['one', 'two']);
      expect(matchesFilter(scenarios[0] as (typeof scenarios)[number], 'deploy')).toBe(true);
      expect(matchesFilter(scenarios[1] as (typeof scenarios)[number], 'deploy,ko')).toBe(true);
      expect(matchesFilter(scenarios[1] as (typeof scenarios)[number], 'one')).toBe(false);
      await writeFile(join(directory, 'three.yaml'), 'id: one\nlang: en\nturns: [{say: again}]');
      await writeFile(
        join(directory, 'four.yaml'),
        'id: four\nlang: en\nturns: [{say: x}]\nexpect: {mcis: many}',
      );
      const error = (await loadScenarios(directory).catch((caught: unknown) => caught)) as Error;
      expect(error).toBeInstanceOf(ScenarioError);
      expect(error.message).toMatch(/four\.yaml:\n {2}line 4: expect\.mcis/);
      expect(error.message).toMatch(/three\.yaml: id "one" is already used by one\.yaml/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('loads the shipped scenarios: at least 120, half English and half Korean', async () => {
    const scenarios = await loadScenarios(join(import.meta.dirname, 'scenarios'));
    expect(scenarios.length).toBeGreaterThanOrEqual(120);
    const korean = scenarios.filter((scenario) => scenario.lang === 'ko').length;
    expect(korean).toBe(scenarios.length - korean);
  });
});
