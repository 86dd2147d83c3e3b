import type { Spec } from '../../drivers/spec/index.ts';
import { mapWithConcurrency } from '../remote/concurrency.ts';
import type { CommandResult, CommandRunner, OutputEvent, RemoteTarget } from '../remote/types.ts';
import {
  describeHealthCheck,
  type HealthOutcome,
  type HealthProbe,
  healthPort,
  NetworkHealthProbe,
  type WaitForHealthOptions,
  waitForHealth,
} from './health.ts';
import { EXIT_CODES } from './prelude.ts';
import { getRecipe } from './registry.ts';
import {
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
import { parseRecipe, type Recipe, type RecipeInput, type RecipePort, type RoleName } from './schema.ts';

/** A node to install on. */
export interface InstallNode {
  target: RemoteTarget;
  /** The node's role in the recipe; assigned by `assignRoles` when no node has one. */
  role?: RoleName;
  publicIp: string | null;
  privateIp: string | null;
  /** The node's private network (vNet id): nodes in one network join each other by private IP. */
  network?: string;
  /** When given, the recipe's requirements are checked against it before anything runs. */
  spec?: Spec;
}

export type InstallStep =
  | 'parameters'
  | 'roles'
  | 'requirements'
  | 'open-ports'
  | 'install'
  | 'outputs'
  | 'health';

export interface InstallProgress {
  step: InstallStep;
  role?: RoleName;
  nodeId?: string;
  message: string;
}

export interface InstallPlan {
  /** A recipe name from the registry, or a recipe object (validated here). */
  app: string | RecipeInput;
  parameters?: Record<string, string>;
  nodes: InstallNode[];
  runner: CommandRunner;
  /**
   * Opens `ports` for `nodeIds` (the engine updates their security groups through the driver).
   * Ports with `public: false` are for the MCI's own nodes only.
   */
  openPorts: (nodeIds: string[], ports: RecipePort[]) => Promise<void>;
  /** Default: NetworkHealthProbe (HTTP/TCP to each node's target host). The sim passes its port table. */
  healthProbe?: HealthProbe;
  /** Nodes installed at once. Default 10. */
  concurrency?: number;
  /** Overrides the recipe's install.timeoutSeconds. */
  installTimeoutMs?: number;
  /** Overrides the recipe's health.timeoutSeconds. */
  healthTimeoutMs?: number;
  /** Backoff and (in tests) time of the health wait. */
  healthWait?: Omit<WaitForHealthOptions, 'timeoutMs' | 'signal'>;
  onProgress?: (event: InstallProgress) => void;
  /** Script output as it arrives, with the values of sensitive outputs redacted. */
  onOutput?: (event: OutputEvent) => void;
  signal?: AbortSignal;
}

export interface InstallFailure {
  nodeId: string | null;
  role: RoleName | null;
  step: InstallStep;
  message: string;
  /** What to do about it. */
  nextStep: string;
  exitCode?: number | null;
  /** The end of the script's stderr (sensitive outputs redacted). */
  stderrTail?: string;
}

export interface NodeInstallResult {
  nodeId: string;
  role: RoleName;
  status: 'installed' | 'failed' | 'skipped';
  /** Outputs safe to show anywhere (URLs, model names). */
  endpoints: Record<string, string>;
  /** Outputs holding secrets (tokens): for the person only, never for logs or a model. */
  sensitive: Record<string, string>;
  /** Time the install script took (0 when it did not run). */
  installMs: number;
  health?: HealthOutcome;
  failure?: InstallFailure;
}

export interface InstallResult {
  app: string;
  parameters: Record<string, string>;
  /** Every node installed and healthy. */
  ok: boolean;
  nodes: NodeInstallResult[];
  failures: InstallFailure[];
}

/** The plan cannot run at all (bad parameters, unmet requirements, roles, ports); nothing was installed. */
export class InstallError extends Error {
  constructor(
    readonly step: InstallStep,
    readonly failures: InstallFailure[],
  ) {
    super(failures.map((failure) => `${failure.message} ${failure.nextStep}`).join('\n'));
    this.name = 'InstallError';
  }

  get nextStep(): string {
    return this.failures[0]?.nextStep ?? '';
  }
}

const STDERR_TAIL_CHARACTERS = 2_000;

function planFailure(
  step: InstallStep,
  message: string,
  nextStep: string,
  nodeId: string | null = null,
): InstallError {
  return new InstallError(step, [{ nodeId, role: null, step, message, nextStep }]);
}

/**
 * Roles for nodes in order: roles with count "one" take the first nodes, the "rest" role the
 * others; a recipe with an "all" role gives it to every node.
 */
export function assignRoles(recipe: Recipe, nodeCount: number): RoleName[] {
  const all = recipe.roles.find((role) => role.count === 'all');
  if (all) return Array.from({ length: nodeCount }, () => all.name);
  const ones = recipe.roles.filter((role) => role.count === 'one').map((role) => role.name);
  const rest = recipe.roles.find((role) => role.count === 'rest');
  if (nodeCount < ones.length) {
    throw planFailure(
      'roles',
      `${recipe.name} needs at least ${ones.length} nodes (${ones.join(', ')}); ${nodeCount} given`,
      `Install it on ${ones.length} or more nodes.`,
    );
  }
  if (!rest && nodeCount > ones.length) {
    throw planFailure(
      'roles',
      `${recipe.name} takes exactly ${ones.length} nodes (${ones.join(', ')}); ${nodeCount} given`,
      `Install it on ${ones.length} nodes.`,
    );
  }
  return Array.from({ length: nodeCount }, (_, index) => ones[index] ?? (rest?.name as RoleName));
}

function checkRoles(recipe: Recipe, nodes: InstallNode[]): RoleName[] {
  const given = nodes.map((node) => node.role);
  if (given.every((role) => role === undefined)) return assignRoles(recipe, nodes.length);
  if (given.some((role) => role === undefined)) {
    throw planFailure(
      'roles',
      'some nodes have a role and others do not',
      'Give every node a role, or none (roles are then assigned in order).',
    );
  }
  const roles = given as RoleName[];
  for (const [index, role] of roles.entries()) {
    if (!recipe.roles.some((candidate) => candidate.name === role)) {
      const nodeId = nodes[index]?.target.nodeId ?? null;
      throw planFailure(
        'roles',
        `${recipe.name} has no role "${role}" (node ${nodeId}); its roles: ${recipe.roles.map((candidate) => candidate.name).join(', ')}`,
        'Use one of its roles.',
        nodeId,
      );
    }
  }
  for (const role of recipe.roles) {
    const count = roles.filter((name) => name === role.name).length;
    if (role.count === 'one' && count !== 1) {
      throw planFailure(
        'roles',
        `${recipe.name} needs exactly one "${role.name}" node; ${count} given`,
        `Give the "${role.name}" role to one node.`,
      );
    }
  }
  return roles;
}

function portsFor(recipe: Recipe, role: RoleName): RecipePort[] {
  return recipe.ports.filter((port) => port.roles === undefined || port.roles.includes(role));
}

/** Emits whole lines only, so a sensitive output split across chunks is still redacted. */
class RedactingLines {
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly recipe: Recipe,
    private readonly sink: ((event: OutputEvent) => void) | undefined,
  ) {}

  write(event: OutputEvent): void {
    if (!this.sink) return;
    const key = `${event.nodeId}\u0000${event.stream}`;
    const text = (this.pending.get(key) ?? '') + event.text;
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.pending.set(key, text);
      return;
    }
    this.pending.set(key, text.slice(cut + 1));
    this.sink({ ...event, text: redactOutputs(this.recipe, text.slice(0, cut + 1)) });
  }

  flush(nodeId: string): void {
    if (!this.sink) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = `${nodeId}\u0000${stream}`;
      const text = this.pending.get(key);
      this.pending.delete(key);
      if (text) this.sink({ nodeId, stream, text: redactOutputs(this.recipe, text) });
    }
  }
}

/** The line the helpers print on failure ("s2a: …"), else the last line of stderr. */
function failureLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const own = lines.filter((line) => line.startsWith('s2a: ')).at(-1);
  return (own ?? lines.at(-1) ?? '').replace(/^s2a: /, '');
}

function installFailure(
  recipe: Recipe,
  node: RenderNode,
  result: CommandResult,
  timeoutMs: number,
): InstallFailure {
  const base = { nodeId: node.nodeId, role: node.role, step: 'install' as const, exitCode: result.exitCode };
  const stderrTail = redactOutputs(recipe, result.stderr.slice(-STDERR_TAIL_CHARACTERS));
  const diagnose = `See what happened with runCommand on ${node.nodeId}: ${recipe.diagnostics}`;
  if (result.error) {
    const nextSteps: Partial<Record<string, string>> = {
      'connect-failed': `Check that ${node.nodeId} is Running and its security group allows SSH (22) from this machine, then install again.`,
      'auth-failed': `Check the node's login user and key pair; s2a must use the key the VM was created with.`,
      'host-key-changed':
        'Do not continue unless you know the VM was replaced; then forget its host key and install again.',
      'host-key-mismatch': 'Do not continue: the node presented an unexpected host key.',
      timeout: `The install ran longer than ${Math.round(timeoutMs / 1000)} s and was stopped. Install again with a longer timeout; the scripts are safe to run again. ${diagnose}`,
      cancelled: 'The install was cancelled; run it again to finish (the scripts are safe to run again).',
      'vm-not-running': `Resume or start ${node.nodeId}, then install again.`,
    };
    return {
      ...base,
      message: `installing ${recipe.name} on ${node.nodeId} (${node.role}) failed: ${result.error.message}`,
      nextStep: nextSteps[result.error.code] ?? `Install again; if it keeps failing: ${diagnose}`,
      ...(stderrTail ? { stderrTail } : {}),
    };
  }
  const reason = failureLine(result.stderr) || `exit code ${result.exitCode}`;
  const byCode: Partial<Record<number, string>> = {
    [EXIT_CODES.requirements]: `The node does not meet ${recipe.name}'s requirements: pick a spec that does (listApps shows them) and install there.`,
    [EXIT_CODES.needsReboot]: `Reboot ${node.nodeId} (controlMCI reboot), then install again.`,
    [EXIT_CODES.apt]: `The node could not install packages: check its internet access (security group egress, NAT), then install again.`,
    [EXIT_CODES.download]: `The node could not download the installer: check its internet access, then install again.`,
  };
  return {
    ...base,
    message: `installing ${recipe.name} on ${node.nodeId} (${node.role}) failed with exit code ${result.exitCode}: ${reason}`,
    nextStep:
      byCode[result.exitCode ?? -1] ??
      `Fix the cause shown in stderr and install again (the scripts are safe to run again). ${diagnose}`,
    ...(stderrTail ? { stderrTail } : {}),
  };
}

/**
 * Installs an app: checks parameters, roles and requirements (refusing the plan before anything
 * runs), opens the recipe's ports, runs the install scripts role by role (roles with count "one"
 * first, their outputs flowing into the next roles' scripts), waits for health and returns each
 * node's endpoints. Per-node failures are in the result with the step and what to do next; a
 * failed "one" role (head, server) skips the roles after it.
 */
export async function installApp(plan: InstallPlan): Promise<InstallResult> {
  const recipe = typeof plan.app === 'string' ? getRecipe(plan.app) : parseRecipe(plan.app);
  let parameters: Record<string, string>;
  try {
    parameters = resolveParameters(recipe, plan.parameters);
  } catch (error) {
    if (!(error instanceof RecipeParameterError)) throw error;
    const pattern = recipe.parameters.find((parameter) => parameter.name === error.parameter)?.pattern;
    throw planFailure(
      'parameters',
      error.message,
      pattern
        ? `Give "${error.parameter}" a value matching ${pattern}, or leave it out for the default.`
        : 'Leave it out.',
    );
  }
  if (plan.nodes.length === 0)
    throw planFailure('roles', 'no nodes to install on', 'Name the nodes to install on.');
  const roles = checkRoles(recipe, plan.nodes);
  const nodes: (RenderNode & { install: InstallNode })[] = plan.nodes.map((node, index) => ({
    nodeId: node.target.nodeId,
    role: roles[index] as RoleName,
    publicIp: node.publicIp,
    privateIp: node.privateIp,
    host: node.target.host,
    ...(node.network !== undefined ? { network: node.network } : {}),
    install: node,
  }));

  const unmet = nodes.flatMap((node) =>
    node.install.spec
      ? checkRequirements(recipe, node.install.spec).problems.map(
          (problem): InstallFailure => ({
            nodeId: node.nodeId,
            role: node.role,
            step: 'requirements',
            message: `${node.nodeId}: ${problem.reason}`,
            nextStep: `Install ${recipe.name} on nodes whose spec meets its requirements, or recreate ${node.nodeId} with such a spec.`,
          }),
        )
      : [],
  );
  if (unmet.length > 0) throw new InstallError('requirements', unmet);
  if (recipe.sameNetwork) {
    const networks = new Set(nodes.map((node) => node.network).filter((network) => network !== undefined));
    if (networks.size > 1) {
      throw planFailure(
        'requirements',
        `${recipe.name} joins its nodes by private IP, but these nodes are in ${networks.size} networks`,
        `Install ${recipe.name} on nodes of one provider and region (one network).`,
      );
    }
  }

  const progress = (event: InstallProgress) => plan.onProgress?.(event);
  const roleOrder = recipe.roles
    .map((role) => role.name)
    .filter((role) => nodes.some((node) => node.role === role));
  for (const role of roleOrder) {
    const ports = portsFor(recipe, role);
    if (ports.length === 0) continue;
    const nodeIds = nodes.filter((node) => node.role === role).map((node) => node.nodeId);
    progress({
      step: 'open-ports',
      role,
      message: `opening ${ports.map((port) => `${port.protocol}/${port.port}${port.toPort ? `-${port.toPort}` : ''}`).join(', ')} for ${nodeIds.length} ${role} node(s)`,
    });
    try {
      await plan.openPorts(nodeIds, ports);
    } catch (error) {
      throw planFailure(
        'open-ports',
        `opening ${recipe.name}'s ports failed: ${(error as Error).message}`,
        'Check the security groups of these nodes (and the provider quota on rules), then install again.',
      );
    }
  }

  const results = new Map<string, NodeInstallResult>(
    nodes.map((node) => [
      node.nodeId,
      { nodeId: node.nodeId, role: node.role, status: 'skipped', endpoints: {}, sensitive: {}, installMs: 0 },
    ]),
  );
  const failures: InstallFailure[] = [];
  const fail = (failure: InstallFailure) => {
    failures.push(failure);
    const result = failure.nodeId ? results.get(failure.nodeId) : undefined;
    if (result) {
      result.status = 'failed';
      result.failure = failure;
    }
  };
  const roleFacts: Partial<Record<RoleName, RoleFacts>> = {};
  const ownOutputs = new Map<string, Record<string, string>>();
  const output = new RedactingLines(recipe, plan.onOutput);
  const installTimeoutMs = plan.installTimeoutMs ?? recipe.install.timeoutSeconds * 1000;
  const concurrency = plan.concurrency ?? 10;

  for (const role of roleOrder) {
    const count = recipe.roles.find((candidate) => candidate.name === role)?.count;
    const roleNodes = nodes.filter((node) => node.role === role);
    progress({
      step: 'install',
      role,
      message: `installing ${recipe.name} (${role}) on ${roleNodes.length} node(s)`,
    });
    await mapWithConcurrency(roleNodes, concurrency, async (node) => {
      let script: string;
      try {
        script = renderInstallScript(recipe, node, parameters, roleFacts);
      } catch (error) {
        fail({
          nodeId: node.nodeId,
          role,
          step: 'install',
          message: `cannot prepare the ${recipe.name} script for ${node.nodeId}: ${(error as Error).message}`,
          nextStep: 'Check that the node has the addresses the recipe needs (public or private IP).',
        });
        return;
      }
      progress({ step: 'install', role, nodeId: node.nodeId, message: `running the ${role} install script` });
      const [result] = await plan.runner.run([node.install.target], script, {
        timeoutMs: installTimeoutMs,
        concurrency: 1,
        sudo: true,
        onOutput: (event) => output.write(event),
        ...(plan.signal ? { signal: plan.signal } : {}),
      });
      output.flush(node.nodeId);
      const nodeResult = results.get(node.nodeId) as NodeInstallResult;
      if (!result) return;
      nodeResult.installMs = result.durationMs;
      if (result.error || result.exitCode !== 0) {
        fail(installFailure(recipe, node, result, installTimeoutMs));
        return;
      }
      const parsed = parseScriptOutputs(recipe, role, result.stdout);
      if (parsed.missing.length > 0 || parsed.invalid.length > 0) {
        const problems = [
          ...parsed.missing.map((name) => `did not print ${name}`),
          ...parsed.invalid.map((name) => `printed an invalid ${name}`),
        ];
        fail({
          nodeId: node.nodeId,
          role,
          step: 'outputs',
          message: `the ${recipe.name} ${role} script on ${node.nodeId} ${problems.join(' and ')}`,
          nextStep: `See what happened with runCommand on ${node.nodeId}: ${recipe.diagnostics}; then install again.`,
        });
        return;
      }
      ownOutputs.set(node.nodeId, parsed.values);
      nodeResult.status = 'installed';
      if (count === 'one') roleFacts[role] = { node, outputs: parsed.values };
    });
    if (count === 'one' && !roleFacts[role]) {
      progress({ step: 'install', role, message: `the ${role} failed: the roles after it are skipped` });
      break;
    }
  }

  const health = recipe.health;
  if (health) {
    const probe = plan.healthProbe ?? new NetworkHealthProbe();
    const timeoutMs = plan.healthTimeoutMs ?? health.timeoutSeconds * 1000;
    const checked = nodes.filter(
      (node) =>
        results.get(node.nodeId)?.status === 'installed' &&
        (health.roles === undefined || health.roles.includes(node.role)),
    );
    await mapWithConcurrency(checked, concurrency, async (node) => {
      progress({
        step: 'health',
        role: node.role,
        nodeId: node.nodeId,
        message: `waiting for ${describeHealthCheck(health)}`,
      });
      const outcome = await waitForHealth(
        probe,
        {
          nodeId: node.nodeId,
          host: node.host,
          check: health,
          ...(node.install.target.vmId ? { vmId: node.install.target.vmId } : {}),
        },
        { ...plan.healthWait, timeoutMs, ...(plan.signal ? { signal: plan.signal } : {}) },
      );
      const nodeResult = results.get(node.nodeId) as NodeInstallResult;
      nodeResult.health = outcome;
      if (!outcome.healthy) {
        const port = healthPort(health);
        fail({
          nodeId: node.nodeId,
          role: node.role,
          step: 'health',
          message: `${recipe.name} on ${node.nodeId} installed but did not pass its health check (${describeHealthCheck(health)}) within ${Math.round(timeoutMs / 1000)} s: ${outcome.detail}`,
          nextStep: `Check that port ${port} is open to this machine in the node's security group, and the service with runCommand: ${recipe.diagnostics}`,
        });
      }
    });
  }

  for (const node of nodes) {
    const nodeResult = results.get(node.nodeId) as NodeInstallResult;
    if (nodeResult.status !== 'installed') continue;
    try {
      const rendered = renderOutputs(recipe, node, parameters, ownOutputs.get(node.nodeId) ?? {}, roleFacts);
      nodeResult.endpoints = rendered.endpoints;
      nodeResult.sensitive = rendered.sensitive;
    } catch (error) {
      fail({
        nodeId: node.nodeId,
        role: node.role,
        step: 'outputs',
        message: `cannot build the endpoints of ${node.nodeId}: ${(error as Error).message}`,
        nextStep: 'Check that the node has a public or private IP.',
      });
    }
  }
  const nodeResults = nodes.map((node) => results.get(node.nodeId) as NodeInstallResult);
  for (const nodeResult of nodeResults) {
    if (nodeResult.status === 'skipped') {
      failures.push({
        nodeId: nodeResult.nodeId,
        role: nodeResult.role,
        step: 'install',
        message: `${nodeResult.nodeId} (${nodeResult.role}) was not installed because a role before it failed`,
        nextStep: 'Fix the failure of the earlier role, then install again.',
      });
    }
  }
  return { app: recipe.name, parameters, ok: failures.length === 0, nodes: nodeResults, failures };
}
