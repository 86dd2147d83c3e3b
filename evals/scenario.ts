/**
 * The eval scenario format (evals/README.md documents it for people who never read this file):
 * one YAML file per scenario, validated strictly so that a misspelt key is an error naming the file,
 * the path and the line, never a check silently skipped.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Document, isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { PROVIDERS } from '../drivers/spec/index.ts';

const ProviderSchema = z.enum(PROVIDERS);

/** The fault kinds a scenario may inject (a subset of the sim's: the ones a user would meet). */
export const SCENARIO_FAULT_KINDS = ['capacity', 'quota', 'throttle', 'error'] as const;

/** Driver operations a fault may target, as the sim names them. */
const FAULT_OPERATIONS = [
  'createVNet',
  'createSubnet',
  'createSecurityGroup',
  'createKeyPair',
  'createVm',
  'getVm',
  'listVms',
  'suspendVm',
  'resumeVm',
  'rebootVm',
  'terminateVm',
  'listSpecs',
  'getSpec',
] as const;

/** Status words of an MCI, without the counts ("Running:3 (R:3/3)" → "Running"). */
export const MCI_STATUS_WORDS = [
  'Running',
  'Suspended',
  'Creating',
  'Terminated',
  'Failed',
  'Rebooting',
  'Suspending',
  'Resuming',
  'Terminating',
] as const;

const NodeGroupSetupSchema = z.strictObject({
  spec: z
    .string()
    .regex(/^[a-z]+\+[^+\s]+\+[^+\s]+$/, 'a spec id "provider+region+name", e.g. "aws+us-east-1+t3.medium"'),
  size: z.number().int().min(1).max(50),
  image: z.string().min(1).optional(),
});

const McisSetupSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, 'lower-case letters, digits and "-", starting with a letter'),
  node_groups: z.array(NodeGroupSetupSchema).min(1),
});

const FaultSetupSchema = z.strictObject({
  provider: ProviderSchema,
  region: z.string().min(1).optional(),
  operation: z.enum(FAULT_OPERATIONS).optional(),
  kind: z.enum(SCENARIO_FAULT_KINDS),
});

const SetupSchema = z.strictObject({
  budget_per_hour: z.number().positive().optional(),
  mcis: z.array(McisSetupSchema).optional(),
  faults: z.array(FaultSetupSchema).optional(),
});

/** YAML 1.2 reads `yes` as a string; people also write `true`: both mean the same. */
const ConfirmSchema = z
  .union([z.enum(['yes', 'no']), z.boolean()])
  .transform((value) => (value === true || value === 'yes' ? 'yes' : 'no'));

const TurnSchema = z.strictObject({
  say: z.string().trim().min(1, 'say what the user types'),
  confirm: ConfirmSchema.default('yes'),
});

const EachNodeSchema = z.strictObject({
  min_vcpu: z.number().positive().optional(),
  max_vcpu: z.number().positive().optional(),
  min_memory_gib: z.number().positive().optional(),
  gpu_min: z.number().int().min(0).optional(),
  gpu_model: z.string().min(1).optional(),
  arch: z.enum(['x86_64', 'arm64']).optional(),
});

const PlaceSchema = z.union([
  z.string().min(1),
  z.strictObject({
    near: z.string().min(1),
    km: z.number().positive().max(20_000).default(800),
    nodes: z.number().int().min(1).default(1),
  }),
]);

const AppExpectSchema = z.strictObject({
  name: z.string().min(1),
  healthy: z.union([z.literal('all'), z.number().int().min(0)]).default('all'),
});

const ExpectSchema = z.strictObject({
  mcis: z.number().int().min(0).optional(),
  nodes: z.number().int().min(0).optional(),
  status: z.enum(MCI_STATUS_WORDS).optional(),
  each_node: EachNodeSchema.optional(),
  providers_only: z.array(ProviderSchema).min(1).optional(),
  providers_not: z.array(ProviderSchema).min(1).optional(),
  places: z.array(PlaceSchema).min(1).optional(),
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in capitals, e.g. KR'))
    .min(1)
    .optional(),
  regions: z
    .array(z.string().regex(/^[a-z]+\+[^+\s]+$/, 'a region id "provider+region", e.g. "aws+ap-northeast-2"'))
    .min(1)
    .optional(),
  cheapest_within: z
    .number()
    .min(1, 'a factor of at least 1 (1.15 = up to 15% above the cheapest)')
    .optional(),
  max_cost_per_hour: z.number().positive().optional(),
  apps: z.array(AppExpectSchema).min(1).optional(),
  asked_confirmation: z.boolean().optional(),
  asked_clarification: z.boolean().optional(),
  no_mutation: z.boolean().optional(),
  reply_contains: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .transform((value) => (typeof value === 'string' ? [value] : value))
    .optional(),
  no_orphans: z.boolean().optional(),
});

export const ScenarioSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][-a-z0-9]*$/, 'lower-case letters, digits and "-", e.g. gpu-three-cities'),
    lang: z.enum(['en', 'ko']),
    tags: z.array(z.string().regex(/^[-a-z0-9]+$/, 'lower-case words joined by "-"')).default([]),
    setup: SetupSchema.default({}),
    turns: z.array(TurnSchema).min(1, 'give at least one turn'),
    expect: ExpectSchema.default({}),
  })
  .superRefine((scenario, context) => {
    const each = scenario.expect.each_node;
    if (each?.min_vcpu !== undefined && each.max_vcpu !== undefined && each.min_vcpu > each.max_vcpu)
      context.addIssue({
        code: 'custom',
        path: ['expect', 'each_node', 'max_vcpu'],
        message: 'max_vcpu is below min_vcpu',
      });
    // Without each_node "the cheapest spec" would be the region's smallest VM: never what was meant.
    if (scenario.expect.cheapest_within !== undefined && each === undefined)
      context.addIssue({
        code: 'custom',
        path: ['expect', 'cheapest_within'],
        message: 'cheapest_within compares with the cheapest spec meeting each_node: give each_node too',
      });
    const names = scenario.setup.mcis?.map((mci) => mci.name) ?? [];
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['setup', 'mcis'],
        message: `the MCI name "${twice}" is used twice`,
      });
  });

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Expectations = Scenario['expect'];
export type EachNode = NonNullable<Expectations['each_node']>;
export type PlaceExpectation = NonNullable<Expectations['places']>[number];
export type AppExpectation = NonNullable<Expectations['apps']>[number];
export type ScenarioFault = NonNullable<Scenario['setup']['faults']>[number];

/** A scenario as loaded: where it came from, for error messages and reports. */
export interface LoadedScenario extends Scenario {
  file: string;
}

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

/** Closest known word, so "min_vcpus" says "did you mean min_vcpu?". */
function suggestion(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(first: string, second: string): number {
  let previous = Array.from({ length: second.length + 1 }, (_, index) => index);
  for (let row = 1; row <= first.length; row++) {
    const current = [row];
    for (let column = 1; column <= second.length; column++) {
      const cost = first[row - 1] === second[column - 1] ? 0 : 1;
      current.push(
        Math.min(
          (previous[column] ?? 0) + 1,
          (current[column - 1] ?? 0) + 1,
          (previous[column - 1] ?? 0) + cost,
        ),
      );
    }
    previous = current;
  }
  return previous[second.length] ?? 0;
}

/** The keys a strict object at `path` of the schema accepts (for suggestions). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const shapes: Record<string, readonly string[]> = {
    '': ['id', 'lang', 'tags', 'setup', 'turns', 'expect'],
    setup: Object.keys(SetupSchema.shape),
    'setup.mcis.*': Object.keys(McisSetupSchema.shape),
    'setup.mcis.*.node_groups.*': Object.keys(NodeGroupSetupSchema.shape),
    'setup.faults.*': Object.keys(FaultSetupSchema.shape),
    'turns.*': Object.keys(TurnSchema.shape),
    expect: Object.keys(ExpectSchema.shape),
    'expect.each_node': Object.keys(EachNodeSchema.shape),
    'expect.places.*': ['near', 'km', 'nodes'],
    'expect.apps.*': Object.keys(AppExpectSchema.shape),
  };
  const key = path.map((part) => (typeof part === 'number' ? '*' : String(part))).join('.');
  return [...(shapes[key] ?? [])];
}

/** "expect.each_node.min_vcpu", "turns[0].confirm". */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text || '(top level)';
}

/** The 1-based line of the YAML node at `path` (or of the key `key` under it). */
function lineOf(
  document: Document,
  counter: LineCounter,
  path: readonly PropertyKey[],
  key?: string,
): number | undefined {
  let node: unknown = document.contents;
  for (const part of path) {
    if (!node || typeof node !== 'object' || !('get' in node)) return undefined;
    node = (node as { get(key: unknown, keepScalar: boolean): unknown }).get(part, true);
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
  }
  const range = (node as Node | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

/** Messages for every problem of the parsed YAML value, each naming the path (and line). */
function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  locate: (path: readonly PropertyKey[], key?: string) => number | undefined,
): string[] {
  const messages: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path);
      for (const key of issue.keys) {
        const line = locate(issue.path, key);
        const near = suggestion(key, known);
        const where = formatPath([...issue.path, key]);
        messages.push(
          `${line ? `line ${line}: ` : ''}${where}: unknown key "${key}"` +
            (near ? ` (did you mean "${near}"?)` : known.length > 0 ? ` (allowed: ${known.join(', ')})` : ''),
        );
      }
      continue;
    }
    const line = locate(issue.path);
    let message = issue.message;
    if (issue.code === 'invalid_union') message = `${message}: see evals/README.md for the allowed forms`;
    messages.push(`${line ? `line ${line}: ` : ''}${formatPath(issue.path)}: ${message}`);
  }
  return messages;
}

/** Parses one scenario's YAML text; throws a ScenarioError naming the file, path and line of each problem. */
export function parseScenario(text: string, file: string): LoadedScenario {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ScenarioError(
      `${file}: not valid YAML:\n${document.errors.map((error) => `  ${error.message}`).join('\n')}`,
    );
  }
  const value: unknown = document.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ScenarioError(`${file}: a scenario is a YAML mapping with id, lang, turns and expect`);
  const parsed = ScenarioSchema.safeParse(value);
  if (!parsed.success) {
    const messages = describeIssues(parsed.error.issues, (path, key) => lineOf(document, counter, path, key));
    throw new ScenarioError(`${file}:\n${messages.map((message) => `  ${message}`).join('\n')}`);
  }
  return { ...parsed.data, file };
}

/** Matches a scenario against --filter: its id, or one of its tags, or its language. */
export function matchesFilter(scenario: Scenario, filter: string | undefined): boolean {
  if (filter === undefined || filter === '') return true;
  const wanted = filter.split(',').map((part) => part.trim());
  return wanted.some(
    (part) => scenario.id === part || scenario.tags.includes(part) || scenario.lang === part,
  );
}

/**
 * Every `*.yaml`/`*.yml` file of a folder, parsed. All problems of all files are reported at once
 * (one ScenarioError), and ids must be unique across the folder.
 */
export async function loadScenarios(directory: string): Promise<LoadedScenario[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (error) {
    throw new ScenarioError(`cannot read the scenario folder ${directory}: ${(error as Error).message}`);
  }
  if (names.length === 0) throw new ScenarioError(`${directory} holds no .yaml scenario files`);
  const scenarios: LoadedScenario[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const file = join(directory, name);
    try {
      scenarios.push(parseScenario(await readFile(file, 'utf8'), file));
    } catch (error) {
      problems.push(error instanceof ScenarioError ? error.message : `${file}: ${(error as Error).message}`);
    }
  }
  const seen = new Map<string, string>();
  for (const scenario of scenarios) {
    const first = seen.get(scenario.id);
    if (first !== undefined)
      problems.push(`${scenario.file}: id "${scenario.id}" is already used by ${basename(first)}`);
    seen.set(scenario.id, scenario.file);
  }
  if (problems.length > 0) throw new ScenarioError(problems.join('\n'));
  return scenarios;
}
