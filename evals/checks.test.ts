// Each checker, table-driven, on constructed end states and conversations.
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../agent/types.ts';
import type { ResolvedPlace } from '../catalog/types.ts';
import {
  askedClarification,
  askedConfirmation,
  gpuModelMatches,
  lastReply,
  runChecks,
  statusWord,
} from './checks.ts';
import type { Expectations } from './scenario.ts';
import { parseScenario } from './scenario.ts';
import type { CheckContext, EndMci, EndNode, EndState, Exchange, RegionFacts, SpecFacts } from './state.ts';

const REGIONS: Record<string, RegionFacts> = {
  'aws+ap-northeast-2': { id: 'aws+ap-northeast-2', latitude: 37.56, longitude: 126.98, countryCode: 'KR' },
  'gcp+asia-northeast1': { id: 'gcp+asia-northeast1', latitude: 35.68, longitude: 139.69, countryCode: 'JP' },
  'azure+germanywestcentral': {
    id: 'azure+germanywestcentral',
    latitude: 50.11,
    longitude: 8.68,
    countryCode: 'DE',
  },
};

const SPECS: Record<string, SpecFacts> = {
  small: {
    id: 'aws+ap-northeast-2+small',
    vcpu: 2,
    memoryGiB: 4,
    arch: 'x86_64',
    gpu: null,
    pricePerHour: 0.05,
  },
  cheapSmall: {
    id: 'aws+ap-northeast-2+cheap',
    vcpu: 2,
    memoryGiB: 4,
    arch: 'x86_64',
    gpu: null,
    pricePerHour: 0.04,
  },
  arm: { id: 'aws+ap-northeast-2+arm', vcpu: 2, memoryGiB: 4, arch: 'arm64', gpu: null, pricePerHour: 0.01 },
  t4: {
    id: 'aws+ap-northeast-2+t4',
    vcpu: 4,
    memoryGiB: 16,
    arch: 'x86_64',
    gpu: { model: 'T4', count: 1 },
    pricePerHour: 0.6,
  },
  inferentia: {
    id: 'aws+ap-northeast-2+inf',
    vcpu: 4,
    memoryGiB: 8,
    arch: 'x86_64',
    gpu: { model: 'Inferentia', count: 1 },
    pricePerHour: 0.2,
  },
  a100: {
    id: 'gcp+asia-northeast1+a100',
    vcpu: 12,
    memoryGiB: 85,
    arch: 'x86_64',
    gpu: { model: 'A100-80GB', count: 1 },
    pricePerHour: 4,
  },
  big: {
    id: 'azure+germanywestcentral+big',
    vcpu: 16,
    memoryGiB: 64,
    arch: 'x86_64',
    gpu: null,
    pricePerHour: 0.8,
  },
};

function node(mciName: string, name: string, regionId: string, spec: SpecFacts, status = 'Running'): EndNode {
  return {
    mciName,
    name,
    provider: regionId.split('+')[0] as string,
    regionId,
    status,
    specId: spec.id,
    spec,
    region: REGIONS[regionId],
  };
}

function mci(name: string, nodes: EndNode[], state = 'active'): EndMci {
  return { name, state, nodes };
}

const SEOUL: ResolvedPlace = {
  name: 'Seoul',
  kind: 'city',
  latitude: 37.57,
  longitude: 126.98,
  countryCode: 'KR',
  radiusKm: 500,
};
const TOKYO: ResolvedPlace = {
  name: 'Tokyo',
  kind: 'city',
  latitude: 35.69,
  longitude: 139.69,
  countryCode: 'JP',
  radiusKm: 500,
};
const KOREA: ResolvedPlace = {
  name: 'Korea',
  kind: 'country',
  latitude: 36,
  longitude: 128,
  countryCode: 'KR',
  radiusKm: 300,
};
const EUROPE: ResolvedPlace = {
  name: 'Europe',
  kind: 'continent',
  latitude: 50,
  longitude: 10,
  regionIds: ['azure+germanywestcentral'],
  radiusKm: 1500,
};
const PLACES: Record<string, ResolvedPlace> = { Seoul: SEOUL, Tokyo: TOKYO, Korea: KOREA, Europe: EUROPE };

const MUTATING = new Set(['createMCI', 'deleteMCI', 'scaleMCI', 'controlMCI', 'installApp', 'runCommand']);

function exchange(turn: number, message: Exchange['message'], events: AgentEvent[]): Exchange {
  return { turn, message, events, milliseconds: 1 };
}

const approval: AgentEvent = {
  type: 'approval-request',
  approvalId: 'a-1',
  plan: {
    title: 'p',
    steps: [],
    groups: [],
    pricePerHour: 1,
    pricePerMonth: 730,
    risks: [],
    notes: [],
    destructive: false,
  },
  actions: [],
};
const created: AgentEvent = {
  type: 'tool-result',
  callId: 'c',
  toolName: 'createMCI',
  isError: false,
  summary: 'ok',
  output: {},
};
const refused: AgentEvent = {
  type: 'tool-result',
  callId: 'c',
  toolName: 'createMCI',
  isError: true,
  summary: 'no',
  output: {},
};
const searched: AgentEvent = {
  type: 'tool-result',
  callId: 's',
  toolName: 'searchSpecs',
  isError: false,
  summary: 'ok',
  output: {},
};
const question: AgentEvent = { type: 'question', text: 'Which MCI?', options: ['web', 'db'] };

function context(overrides: Partial<CheckContext> = {}): CheckContext {
  return {
    baselineResources: ['vm 1 Running'],
    exchanges: [],
    mutatingTools: MUTATING,
    specsInRegion: (regionId) => Object.values(SPECS).filter((spec) => spec.id.startsWith(`${regionId}+`)),
    resolvePlace: (name) => PLACES[name],
    ...overrides,
  };
}

function state(mcis: EndMci[], overrides: Partial<EndState> = {}): EndState {
  return { mcis, apps: [], orphans: [], resources: ['vm 1 Running'], ...overrides };
}

function expectation(yaml: string): Expectations {
  return parseScenario(`id: t\nlang: en\nturns: [{say: x}]\nexpect: ${yaml}`, 't.yaml').expect;
}

const seoulPair = mci('web', [
  node('web', 'web-1', 'aws+ap-northeast-2', SPECS.small as SpecFacts),
  node('web', 'web-2', 'aws+ap-northeast-2', SPECS.small as SpecFacts),
]);
const threeCities = mci('gpu', [
  node('gpu', 'gpu-1', 'aws+ap-northeast-2', SPECS.t4 as SpecFacts),
  node('gpu', 'gpu-2', 'gcp+asia-northeast1', SPECS.a100 as SpecFacts),
]);

type Case = [
  name: string,
  expect: string,
  state: EndState,
  context: CheckContext,
  pass: boolean,
  found?: RegExp,
];

const cases: Case[] = [
  ['mcis counts existing MCIs', '{mcis: 1}', state([seoulPair]), context(), true],
  [
    'mcis ignores a failed create that left no node',
    '{mcis: 1}',
    state([seoulPair, mci('x', [], 'failed')]),
    context(),
    true,
  ],
  ['mcis sees one too many', '{mcis: 0}', state([seoulPair]), context(), false, /1 \(web\)/],
  [
    'nodes skips terminated nodes',
    '{nodes: 1}',
    state([
      mci('w', [
        node('w', 'w-1', 'aws+ap-northeast-2', SPECS.small as SpecFacts),
        node('w', 'w-2', 'aws+ap-northeast-2', SPECS.small as SpecFacts, 'Terminated'),
      ]),
    ]),
    context(),
    true,
  ],
  ['nodes counts wrong', '{nodes: 3}', state([seoulPair]), context(), false, /^2$/],
  ['status Running', '{status: Running}', state([seoulPair]), context(), true],
  [
    'status partial',
    '{status: Running}',
    state([
      mci('w', [
        node('w', 'w-1', 'aws+ap-northeast-2', SPECS.small as SpecFacts),
        node('w', 'w-2', 'aws+ap-northeast-2', SPECS.small as SpecFacts, 'Suspended'),
      ]),
    ]),
    context(),
    false,
    /Partial-/,
  ],
  [
    'status Terminated when every node is',
    '{status: Terminated}',
    state([mci('w', [node('w', 'w-1', 'aws+ap-northeast-2', SPECS.small as SpecFacts, 'Terminated')])]),
    context(),
    true,
  ],
  ['status without MCIs', '{status: Running}', state([]), context(), false, /no MCI/],
  [
    'each_node met',
    '{each_node: {min_vcpu: 2, max_vcpu: 4, min_memory_gib: 4, arch: x86_64}}',
    state([seoulPair]),
    context(),
    true,
  ],
  [
    'each_node vCPU too small',
    '{each_node: {min_vcpu: 4}}',
    state([seoulPair]),
    context(),
    false,
    /web-1.*2 vCPU/,
  ],
  ['each_node GPU missing', '{each_node: {gpu_min: 1}}', state([seoulPair]), context(), false, /no GPU/],
  [
    'each_node an Inferentia is not a GPU',
    '{each_node: {gpu_min: 1}}',
    state([mci('i', [node('i', 'i-1', 'aws+ap-northeast-2', SPECS.inferentia as SpecFacts)])]),
    context(),
    false,
    /0 GPU/,
  ],
  [
    'each_node A100 matches A100-80GB',
    '{each_node: {gpu_model: A100, gpu_min: 1}}',
    state([mci('g', [node('g', 'g-1', 'gcp+asia-northeast1', SPECS.a100 as SpecFacts)])]),
    context(),
    true,
  ],
  [
    'each_node wrong GPU model',
    '{each_node: {gpu_model: H100}}',
    state([threeCities]),
    context(),
    false,
    /GPU T4/,
  ],
  ['each_node with no nodes', '{each_node: {min_vcpu: 1}}', state([]), context(), false, /no nodes/],
  [
    'each_node unknown spec',
    '{each_node: {min_vcpu: 1}}',
    state([
      mci('w', [{ ...node('w', 'w-1', 'aws+ap-northeast-2', SPECS.small as SpecFacts), spec: undefined }]),
    ]),
    context(),
    false,
    /unknown/,
  ],
  ['providers_only met', '{providers_only: [aws, gcp]}', state([threeCities]), context(), true],
  ['providers_only broken', '{providers_only: [aws]}', state([threeCities]), context(), false, /gpu-2/],
  ['providers_not met', '{providers_not: [azure]}', state([threeCities]), context(), true],
  ['providers_not broken', '{providers_not: [gcp]}', state([threeCities]), context(), false, /gpu-2/],
  [
    'places both cities',
    '{places: [Seoul, Tokyo]}',
    state([threeCities]),
    context(),
    true,
    /Seoul: 1, Tokyo: 1/,
  ],
  ['places a city missed', '{places: [Seoul, Europe]}', state([threeCities]), context(), false, /Europe: 0/],
  [
    'places near with a count',
    '{places: [{near: Seoul, km: 100, nodes: 2}]}',
    state([seoulPair]),
    context(),
    true,
  ],
  [
    'places near too few',
    '{places: [{near: Seoul, km: 100, nodes: 3}]}',
    state([seoulPair]),
    context(),
    false,
    /want 3/,
  ],
  ['places a country by code', '{places: [Korea]}', state([seoulPair]), context(), true],
  [
    'places a continent by region ids',
    '{places: [Europe]}',
    state([mci('e', [node('e', 'e-1', 'azure+germanywestcentral', SPECS.big as SpecFacts)])]),
    context(),
    true,
  ],
  ['places an unknown name', '{places: [Atlantis]}', state([seoulPair]), context(), false, /not a place/],
  ['countries met', '{countries: [KR, JP]}', state([threeCities]), context(), true],
  ['countries broken', '{countries: [KR]}', state([threeCities]), context(), false, /in JP/],
  ['regions met', '{regions: ["aws+ap-northeast-2"]}', state([seoulPair]), context(), true],
  [
    'regions broken',
    '{regions: ["aws+ap-northeast-2"]}',
    state([threeCities]),
    context(),
    false,
    /gcp\+asia-northeast1/,
  ],
  [
    'cheapest_within met at 1.3',
    '{each_node: {min_vcpu: 2, arch: x86_64}, cheapest_within: 1.3}',
    state([seoulPair]),
    context(),
    true,
  ],
  [
    'cheapest_within broken at 1.1',
    '{each_node: {min_vcpu: 2, arch: x86_64}, cheapest_within: 1.1}',
    state([seoulPair]),
    context(),
    false,
    /cheapest aws\+ap-northeast-2\+cheap/,
  ],
  [
    'cheapest_within counts only specs meeting each_node (the arm spec is not x86)',
    '{each_node: {min_vcpu: 2, arch: x86_64}, cheapest_within: 1.25}',
    state([seoulPair]),
    context(),
    true,
  ],
  [
    'cheapest_within ignores Inferentia for "a GPU"',
    '{each_node: {gpu_min: 1}, cheapest_within: 1}',
    state([mci('g', [node('g', 'g-1', 'aws+ap-northeast-2', SPECS.t4 as SpecFacts)])]),
    context(),
    true,
  ],
  ['max_cost_per_hour met', '{max_cost_per_hour: 0.1}', state([seoulPair]), context(), true],
  [
    'max_cost_per_hour broken',
    '{max_cost_per_hour: 0.09}',
    state([seoulPair]),
    context(),
    false,
    /\$0\.1000\/h/,
  ],
  [
    'max_cost_per_hour leaves suspended nodes out',
    '{max_cost_per_hour: 0.05}',
    state([
      mci('w', [
        node('w', 'w-1', 'aws+ap-northeast-2', SPECS.small as SpecFacts),
        node('w', 'w-2', 'aws+ap-northeast-2', SPECS.small as SpecFacts, 'Suspended'),
      ]),
    ]),
    context(),
    true,
  ],
  [
    'apps healthy on all',
    '{apps: [{name: ollama, healthy: all}]}',
    state([seoulPair], {
      apps: [
        {
          mciName: 'web',
          app: 'ollama',
          nodes: [
            { nodeId: 'web-1', healthy: true },
            { nodeId: 'web-2', healthy: true },
          ],
        },
      ],
    }),
    context(),
    true,
  ],
  [
    'apps one node sick',
    '{apps: [{name: ollama}]}',
    state([seoulPair], {
      apps: [
        {
          mciName: 'web',
          app: 'ollama',
          nodes: [
            { nodeId: 'web-1', healthy: true },
            { nodeId: 'web-2', healthy: false },
          ],
        },
      ],
    }),
    context(),
    false,
    /1\/2 nodes healthy/,
  ],
  [
    'apps at least one healthy',
    '{apps: [{name: OLLAMA, healthy: 1}]}',
    state([seoulPair], {
      apps: [
        {
          mciName: 'web',
          app: 'ollama',
          nodes: [
            { nodeId: 'web-1', healthy: true },
            { nodeId: 'web-2', healthy: false },
          ],
        },
      ],
    }),
    context(),
    true,
  ],
  ['apps not installed', '{apps: [{name: nginx}]}', state([seoulPair]), context(), false, /not installed/],
  ['no_orphans met', '{no_orphans: true}', state([seoulPair]), context(), true],
  [
    'no_orphans broken',
    '{no_orphans: true}',
    state([seoulPair], { orphans: ['aws vm i-1'] }),
    context(),
    false,
    /aws vm i-1/,
  ],
  ['no_mutation met', '{no_mutation: true}', state([seoulPair]), context(), true],
  [
    'no_mutation broken',
    '{no_mutation: true}',
    state([seoulPair], { resources: ['vm 1 Running', 'vm 2 Running'] }),
    context(),
    false,
    /new or changed: vm 2/,
  ],
  [
    'no_mutation false wants a change',
    '{no_mutation: false}',
    state([seoulPair], { resources: ['vm 1 Suspended'] }),
    context(),
    true,
  ],
  [
    'asked_confirmation before creating',
    '{asked_confirmation: true}',
    state([]),
    context({ exchanges: [exchange(0, 'text', [searched, approval]), exchange(0, 'approve', [created])] }),
    true,
  ],
  [
    'asked_confirmation: created without asking',
    '{asked_confirmation: true}',
    state([]),
    context({ exchanges: [exchange(0, 'text', [created, approval]), exchange(0, 'approve', [created])] }),
    false,
  ],
  [
    'asked_confirmation: never asked',
    '{asked_confirmation: true}',
    state([]),
    context({ exchanges: [exchange(0, 'text', [searched])] }),
    false,
  ],
  [
    'asked_confirmation: a refused call is not a mutation',
    '{asked_confirmation: true}',
    state([]),
    context({ exchanges: [exchange(0, 'text', [refused, approval]), exchange(0, 'reject', [])] }),
    true,
  ],
  [
    'asked_clarification',
    '{asked_clarification: true}',
    state([]),
    context({ exchanges: [exchange(0, 'text', [searched, question])] }),
    true,
  ],
  [
    'asked_clarification after acting',
    '{asked_clarification: true}',
    state([]),
    context({ exchanges: [exchange(0, 'text', [created, question])] }),
    false,
  ],
  [
    'asked_clarification: false when none came',
    '{asked_clarification: false}',
    state([]),
    context({ exchanges: [exchange(0, 'text', [searched])] }),
    true,
  ],
  [
    'reply_contains in the last answer',
    '{reply_contains: [h100, a100]}',
    state([]),
    context({
      exchanges: [
        exchange(0, 'text', [{ type: 'text', text: 'old' }]),
        exchange(1, 'text', [{ type: 'summary', text: 'Three H100 nodes', endpoints: [] }]),
      ],
    }),
    true,
  ],
  [
    'reply_contains only the last answer counts',
    '{reply_contains: [old]}',
    state([]),
    context({
      exchanges: [
        exchange(0, 'text', [{ type: 'text', text: 'old' }]),
        exchange(1, 'text', [{ type: 'text', text: 'new' }]),
      ],
    }),
    false,
    /new/,
  ],
  [
    'reply_contains reads errors',
    '{reply_contains: [budget]}',
    state([]),
    context({
      exchanges: [exchange(0, 'text', [{ type: 'error', code: 'BUDGET', message: 'over the budget cap' }])],
    }),
    true,
  ],
  ['reply_contains without a reply', '{reply_contains: [x]}', state([]), context(), false, /no reply/],
];

describe('runChecks', () => {
  it.each(cases)('%s', (_name, yaml, end, checkContext, pass, found) => {
    const results = runChecks(expectation(yaml), end, checkContext);
    const failing = results.filter((check) => !check.pass);
    if (pass) expect(failing).toEqual([]);
    else expect(failing.length).toBeGreaterThan(0);
    if (found) expect(results.map((check) => check.found).join(' | ')).toMatch(found);
    for (const check of results) expect(check.expected.length).toBeGreaterThan(0);
  });

  it('gives one result per expect key, in a fixed order', () => {
    const results = runChecks(
      expectation('{no_orphans: true, mcis: 1, nodes: 2}'),
      state([seoulPair]),
      context(),
    );
    expect(results.map((check) => check.key)).toEqual(['mcis', 'nodes', 'no_orphans']);
  });
});

describe('helpers', () => {
  it.each([
    ['A100-80GB', 'A100', true],
    ['A100', 'a100', true],
    ['H100', 'A100', false],
    ['A10G', 'A10', false],
    ['nvidia-tesla-v100', 'V100', true],
  ] as const)('gpuModelMatches(%s, %s) = %s', (actual, wanted, matches) => {
    expect(gpuModelMatches(actual, wanted)).toBe(matches);
  });

  it('statusWord reads live nodes, all nodes when none lives', () => {
    expect(statusWord(seoulPair)).toBe('Running');
    expect(statusWord(mci('e', []))).toBe('Empty');
  });

  it('askedConfirmation and askedClarification on empty conversations are false', () => {
    expect(askedConfirmation([], MUTATING)).toBe(false);
    expect(askedClarification([], MUTATING)).toBe(false);
    expect(lastReply([])).toBe('');
  });
});
