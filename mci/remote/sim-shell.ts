import { createHash, randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import type { StoredVm } from '../../drivers/sim/convert-vm.ts';
import { toVm } from '../../drivers/sim/convert-vm.ts';
import type { Image, KeyPair, SecurityGroup, Spec, Vm } from '../../drivers/spec/index.ts';
import type { Store } from '../../store/types.ts';
import type { HealthProbe, HealthProbeRequest, HealthProbeResult } from '../apps/health.ts';
import { healthPort } from '../apps/health.ts';
import { findRecipe } from '../apps/registry.ts';
import { parseScriptHeader, type ScriptHeader } from '../apps/render.ts';
import { checkRequirements } from '../apps/requirements.ts';
import { anchored, type Recipe } from '../apps/schema.ts';
import { mapWithConcurrency } from './concurrency.ts';
import { TailBuffer } from './output-buffer.ts';
import {
  type CommandResult,
  type CommandRunner,
  DEFAULT_CONCURRENCY,
  OUTPUT_LIMIT_BYTES,
  type RemoteError,
  type RemoteTarget,
  type RunOptions,
} from './types.ts';

// ssh2 is CommonJS: Node's ESM loader (tsx, production) exposes only its default export.
const { utils: sshUtils } = ssh2;

/**
 * The sim's emulated shell. Sim VMs have addresses in 198.18.0.0/15 that nothing answers on, so
 * commands for them run here instead of over SSH: every script is recorded per VM in the store,
 * takes simulated time, and is understood well enough to behave like the real thing (see README).
 */

export const SHELL_HISTORY_KIND = 'shell-history';
export const SHELL_PORT_KIND = 'shell-port';
export const SHELL_STATE_KIND = 'shell-state';

/** One script run on a sim VM. */
export interface ShellHistoryEntry {
  vmId: string;
  nodeId: string;
  host: string;
  username: string;
  script: string;
  /** The recipe the script installs (from its `# s2a-app:` header), if any. */
  app?: string;
  role?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  error?: RemoteError;
}

/** A port an app listens on, in the emulated port table. */
export interface OpenPort {
  vmId: string;
  nodeId: string;
  publicIp: string | null;
  privateIp: string | null;
  port: number;
  toPort: number;
  protocol: 'tcp' | 'udp';
  app: string;
  openedAt: string;
}

/** What the emulated shell remembers about a VM between scripts. */
interface ShellState {
  vmId: string;
  /** Apps installed, by name → role. */
  apps: Record<string, string>;
  nvidiaDriver: boolean;
}

export interface SimShellOptions {
  store: Store;
  /** The sim account whose VMs these are (namespace `sim/<account>`). Default "default". */
  account?: string;
  /** The sim's time scale: 0.01 makes a 60 s install take 0.6 s. Default 1. */
  timeScale?: number;
  /** The sim's clock (epoch ms); tests pass a manual one. Default Date.now. */
  clock?: () => number;
  /** How simulated time passes. Default: real sleeping. Tests advance a manual clock instead. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** The spec of a VM, by the VM's specId (the catalog's). */
  specLookup: (specId: string) => Spec | undefined | Promise<Spec | undefined>;
  /** The image of a VM, by imageId; without it VMs run Ubuntu 22.04 without GPU drivers. */
  imageLookup?: (imageId: string) => Image | undefined | Promise<Image | undefined>;
  /** Recipes by name. Default: the registry (mci/apps). */
  recipeLookup?: (name: string) => Recipe | undefined;
  outputLimitBytes?: number;
}

interface VmFacts {
  vm: Vm;
  stored: StoredVm;
  spec: Spec | undefined;
  image: Image | undefined;
  vcpu: number;
  memoryGiB: number;
  arch: 'x86_64' | 'arm64';
  gpuCount: number;
  state: ShellState;
}

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Simulated milliseconds at time scale 1. */
  baseMs: number;
  /** Ports to open when the script succeeds. */
  ports?: Omit<OpenPort, 'openedAt'>[];
  app?: ScriptHeader;
}

const realSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** A number in [0, 1) from text: the same VM and script always take the same time. */
function fraction(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0) / 2 ** 32;
}

/** Billions of parameters in a model name ("llama3.2:1b" → 1, "Qwen2.5-0.5B-Instruct" → 0.5); 7 when unknown. */
export function modelBillions(model: string): number {
  const match = /(\d+(?:\.\d+)?)[bB](?![A-Za-z])/.exec(model);
  return match ? Number(match[1]) : 7;
}

/** Download time of a model at scale 1: 15 s + ~12 s per GiB, ~1 GiB per billion parameters. */
export function modelDownloadSeconds(model: string): number {
  return 15 + 12 * modelBillions(model);
}

/** Seconds an NVIDIA driver install takes on an image without one. */
const DRIVER_INSTALL_SECONDS = 150;

/** Splits a command line into words, honouring single and double quotes. */
function words(line: string): string[] {
  const result: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (const character of line) {
    if (quote) {
      if (character === quote) quote = undefined;
      else current += character;
    } else if (character === '"' || character === "'") {
      quote = character;
      started = true;
    } else if (/\s/.test(character)) {
      if (started || current) result.push(current);
      current = '';
      started = false;
    } else {
      current += character;
    }
  }
  if (started || current) result.push(current);
  return result;
}

/** Splits a script into simple commands at newlines, ";" and "&&" outside quotes; drops comments. */
function commands(script: string): { line: number; text: string }[] {
  const result: { line: number; text: string }[] = [];
  script.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) return;
    let quote: string | undefined;
    let current = '';
    for (let position = 0; position < line.length; position++) {
      const character = line[position] as string;
      if (quote) {
        if (character === quote) quote = undefined;
        current += character;
      } else if (character === '"' || character === "'") {
        quote = character;
        current += character;
      } else if (character === ';' || (character === '&' && line[position + 1] === '&')) {
        if (current.trim()) result.push({ line: index + 1, text: current.trim() });
        current = '';
        if (character === '&') position++;
      } else if (character === '#' && /\s$/.test(current)) {
        break;
      } else {
        current += character;
      }
    }
    if (current.trim()) result.push({ line: index + 1, text: current.trim() });
  });
  return result;
}

function expand(text: string, variables: Record<string, string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_match, braced, bare) => {
      return variables[(braced ?? bare) as string] ?? '';
    },
  );
}

/** A value like the recipe's example, with its hex runs (tokens, keys) made fresh. */
function fakeOutputValue(example: string, pattern: string): string {
  const fresh = example.replace(/(?<![0-9A-Za-z])[0-9a-f]{8,}/g, (run) =>
    randomBytes(Math.ceil(run.length / 2))
      .toString('hex')
      .slice(0, run.length),
  );
  return anchored(pattern).test(fresh) ? fresh : example;
}

/**
 * The emulated port table: which app listens on which port of which sim VM. As a HealthProbe it
 * answers like the network would: connection refused when nothing listens, a timeout when the
 * VM's security groups do not let the port in, the expected status when both are fine.
 */
export class SimPortTable implements HealthProbe {
  readonly namespace: string;

  constructor(
    private readonly store: Store,
    account = 'default',
    private readonly clock: () => number = Date.now,
  ) {
    this.namespace = `sim/${account}`;
  }

  async open(ports: Omit<OpenPort, 'openedAt'>[]): Promise<void> {
    const openedAt = new Date(this.clock()).toISOString();
    await this.store.transaction(async (transaction) => {
      for (const port of ports) {
        await transaction.put<OpenPort>(
          this.namespace,
          SHELL_PORT_KIND,
          `${port.vmId}/${port.protocol}/${port.port}`,
          {
            ...port,
            openedAt,
          },
        );
      }
    });
  }

  async list(vmId: string): Promise<OpenPort[]> {
    const records = await this.store.list<OpenPort>({
      namespace: this.namespace,
      kind: SHELL_PORT_KIND,
      idPrefix: `${vmId}/`,
    });
    return records.map((record) => record.data);
  }

  async findVm(host: string, vmId?: string): Promise<StoredVm | undefined> {
    return findStoredVm(this.store, this.namespace, host, vmId, this.clock());
  }

  async probe(request: HealthProbeRequest): Promise<HealthProbeResult> {
    const stored = await this.findVm(request.host, request.vmId);
    if (!stored) return { healthy: false, detail: `ETIMEDOUT (no sim VM has the address ${request.host})` };
    const vm = toVm(stored, this.clock());
    if (vm.status !== 'Running') return { healthy: false, detail: `ETIMEDOUT (the VM is ${vm.status})` };
    const port = healthPort(request.check);
    const listening = (await this.list(vm.id)).some(
      (open) => open.protocol === 'tcp' && port >= open.port && port <= open.toPort,
    );
    if (!listening) return { healthy: false, detail: `ECONNREFUSED (nothing listens on port ${port})` };
    const groups = await Promise.all(
      vm.securityGroupIds.map(
        async (id) => (await this.store.get<SecurityGroup>(this.namespace, 'security-group', id))?.data,
      ),
    );
    const allowed = groups.some((group) =>
      group?.rules.some(
        (rule) =>
          rule.direction === 'inbound' &&
          (rule.protocol === 'all' ||
            (rule.protocol === 'tcp' &&
              (rule.fromPort === null || rule.fromPort <= port) &&
              (rule.toPort === null || port <= rule.toPort))),
      ),
    );
    if (!allowed) {
      return {
        healthy: false,
        detail: `ETIMEDOUT (port ${port} listens, but the security groups ${vm.securityGroupIds.join(', ')} do not allow it in)`,
      };
    }
    return 'http' in request.check
      ? { healthy: true, detail: `HTTP ${request.check.http.expectStatus}` }
      : { healthy: true, detail: 'TCP connected' };
  }
}

async function findStoredVm(
  store: Store,
  namespace: string,
  host: string,
  vmId: string | undefined,
  now: number,
): Promise<StoredVm | undefined> {
  if (vmId) return (await store.get<StoredVm>(namespace, 'vm', vmId))?.data;
  for (const field of ['publicIp', 'privateIp'] as const) {
    const records = await store.list<StoredVm>({ namespace, kind: 'vm', where: { [field]: host } });
    const candidates = records.map((record) => record.data);
    const live = candidates.find((candidate) => toVm(candidate, now).status !== 'Terminated');
    if (live) return live;
    if (candidates[0]) return candidates[0];
  }
  return undefined;
}

/**
 * Runs scripts on sim VMs (see the README for what it understands). Implements the same
 * CommandRunner contract as SSH, so the engine and installApp do not know the difference.
 */
export class SimCommandRunner implements CommandRunner {
  readonly namespace: string;
  readonly ports: SimPortTable;
  private readonly store: Store;
  private readonly timeScale: number;
  private readonly clock: () => number;
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly options: SimShellOptions;
  private readonly recipeLookup: (name: string) => Recipe | undefined;
  private readonly outputLimitBytes: number;

  constructor(options: SimShellOptions) {
    this.options = options;
    this.store = options.store;
    this.namespace = `sim/${options.account ?? 'default'}`;
    this.timeScale = options.timeScale ?? 1;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.recipeLookup = options.recipeLookup ?? findRecipe;
    this.outputLimitBytes = options.outputLimitBytes ?? OUTPUT_LIMIT_BYTES;
    this.ports = new SimPortTable(options.store, options.account ?? 'default', this.clock);
  }

  async run(targets: readonly RemoteTarget[], script: string, options: RunOptions): Promise<CommandResult[]> {
    return mapWithConcurrency(targets, options.concurrency ?? DEFAULT_CONCURRENCY, (target) =>
      this.runOne(target, script, options),
    );
  }

  /** Scripts run on a VM, oldest first. */
  async history(vmId: string): Promise<ShellHistoryEntry[]> {
    const records = await this.store.list<ShellHistoryEntry>({
      namespace: this.namespace,
      kind: SHELL_HISTORY_KIND,
      idPrefix: `${vmId}/`,
    });
    return records.map((record) => record.data);
  }

  private scaled(baseMs: number): number {
    return Math.max(0, Math.round(baseMs * this.timeScale));
  }

  private async runOne(target: RemoteTarget, script: string, options: RunOptions): Promise<CommandResult> {
    const startedAt = this.clock();
    const failed = (error: RemoteError, durationMs = 0): CommandResult => ({
      nodeId: target.nodeId,
      exitCode: null,
      stdout: '',
      stderr: '',
      stdoutDroppedBytes: 0,
      stderrDroppedBytes: 0,
      durationMs,
      timedOut: false,
      error,
    });
    const stored = await findStoredVm(this.store, this.namespace, target.host, target.vmId, startedAt);
    if (!stored) {
      return failed({
        code: 'vm-not-found',
        message: `no sim VM ${target.vmId ?? `with the address ${target.host}`} in account ${this.namespace.slice(4)}`,
        retryable: false,
      });
    }
    const vm = toVm(stored, startedAt);
    if (vm.status !== 'Running') {
      return failed({
        code: 'vm-not-running',
        message: `VM is ${vm.status} (${vm.id}); commands run on Running VMs only`,
        retryable: vm.status === 'Creating' || vm.status === 'Resuming' || vm.status === 'Rebooting',
      });
    }
    const authProblem = await this.checkLogin(target, vm);
    if (authProblem) return failed(authProblem);
    const facts = await this.facts(vm, stored);

    const outcome = this.interpret(script, facts, target, options.env ?? {});
    const connectMs = 300 + 400 * fraction(vm.id, 'connect');
    const durationMs = this.scaled(connectMs + outcome.baseMs);
    const timedOut = durationMs > options.timeoutMs;
    let cancelled = false;
    await this.sleepUnlessAborted(timedOut ? options.timeoutMs : durationMs, options.signal).then(
      (aborted) => {
        cancelled = aborted;
      },
    );
    const finishedAt = this.clock();
    const elapsed = finishedAt - startedAt;

    const stdout = new TailBuffer(this.outputLimitBytes);
    const stderr = new TailBuffer(this.outputLimitBytes);
    let result: CommandResult;
    // The VM may have been suspended or terminated while the script ran: the connection drops.
    const fresh = await findStoredVm(this.store, this.namespace, target.host, vm.id, finishedAt);
    const after = fresh ? toVm(fresh, finishedAt).status : 'Terminated';
    const lost = !timedOut && !cancelled && after !== 'Running';
    if (timedOut || cancelled || lost) {
      const error: RemoteError = timedOut
        ? {
            code: 'timeout',
            message: `the script on ${target.nodeId} ran longer than ${options.timeoutMs} ms and was stopped (simulated: it needed ${durationMs} ms)`,
            retryable: true,
          }
        : cancelled
          ? { code: 'cancelled', message: `cancelled while running on ${target.nodeId}`, retryable: false }
          : {
              code: 'channel-failed',
              message: `the SSH connection to ${target.nodeId} closed before the script finished (the VM is ${after})`,
              retryable: true,
            };
      result = { ...failed(error, elapsed), timedOut };
    } else {
      stdout.write(outcome.stdout);
      stderr.write(outcome.stderr);
      if (options.onOutput) {
        if (outcome.stdout)
          options.onOutput({ nodeId: target.nodeId, stream: 'stdout', text: outcome.stdout });
        if (outcome.stderr)
          options.onOutput({ nodeId: target.nodeId, stream: 'stderr', text: outcome.stderr });
      }
      result = {
        nodeId: target.nodeId,
        exitCode: outcome.exitCode,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutDroppedBytes: stdout.dropped,
        stderrDroppedBytes: stderr.dropped,
        durationMs: elapsed,
        timedOut: false,
      };
      if (outcome.exitCode === 0 && outcome.app) {
        if (outcome.ports && outcome.ports.length > 0) await this.ports.open(outcome.ports);
        await this.saveState({
          ...facts.state,
          apps: { ...facts.state.apps, [outcome.app.app]: outcome.app.role },
          nvidiaDriver: facts.state.nvidiaDriver || facts.gpuCount > 0,
        });
      }
    }
    await this.record({
      vmId: vm.id,
      nodeId: target.nodeId,
      host: target.host,
      username: target.username,
      script,
      ...(outcome.app ? { app: outcome.app.app, role: outcome.app.role } : {}),
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: elapsed,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      stdout: result.stdout,
      stderr: result.stderr,
      ...(result.error ? { error: result.error } : {}),
    });
    return result;
  }

  private async sleepUnlessAborted(milliseconds: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (!signal) {
      await this.sleep(milliseconds);
      return false;
    }
    if (signal.aborted) return true;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<boolean>((resolve) => {
      onAbort = () => resolve(true);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const done = await Promise.race([this.sleep(milliseconds).then(() => false), aborted]);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    return done;
  }

  /** Login as on a cloud VM: the image's user, with the key pair the VM was created with. */
  private async checkLogin(target: RemoteTarget, vm: Vm): Promise<RemoteError | undefined> {
    const parsed = sshUtils.parseKey(target.privateKey);
    if (parsed instanceof Error) {
      return {
        code: 'invalid-key',
        message: `the private key for ${target.nodeId} cannot be read (${parsed.message}); use an unencrypted OpenSSH or PEM key`,
        retryable: false,
      };
    }
    if (target.username !== vm.username) {
      return {
        code: 'auth-failed',
        message: `${target.host}:${target.port} refused the key for user "${target.username}" (Permission denied (publickey)). This image's login user is "${vm.username}".`,
        retryable: false,
      };
    }
    const keyPair = (await this.store.get<KeyPair>(this.namespace, 'key-pair', vm.keyPairId))?.data;
    // A deleted key pair does not lock anyone out of a running VM, as on real clouds.
    if (!keyPair) return undefined;
    const presented = parsed.getPublicSSH().toString('base64');
    const authorized = keyPair.publicKey.trim().split(/\s+/)[1];
    if (presented !== authorized) {
      return {
        code: 'auth-failed',
        message: `${target.host}:${target.port} refused the key for user "${target.username}" (Permission denied (publickey)). The VM was created with key pair ${keyPair.name} (${keyPair.fingerprint}).`,
        retryable: false,
      };
    }
    return undefined;
  }

  private async facts(vm: Vm, stored: StoredVm): Promise<VmFacts> {
    const spec = await this.options.specLookup(vm.specId);
    const image = this.options.imageLookup ? await this.options.imageLookup(vm.imageId) : undefined;
    const state = (await this.store.get<ShellState>(this.namespace, SHELL_STATE_KIND, vm.id))?.data ?? {
      vmId: vm.id,
      apps: {},
      nvidiaDriver: image?.gpuReady === true,
    };
    return {
      vm,
      stored,
      spec,
      image,
      vcpu: spec?.vcpu ?? stored.vcpu,
      memoryGiB: spec?.memoryGiB ?? 4,
      arch: spec?.arch ?? image?.arch ?? 'x86_64',
      gpuCount: spec?.gpu ? Math.ceil(spec.gpu.count) : stored.gpuCount,
      state,
    };
  }

  private async saveState(state: ShellState): Promise<void> {
    await this.store.put(this.namespace, SHELL_STATE_KIND, state.vmId, state);
  }

  private async record(entry: ShellHistoryEntry): Promise<void> {
    const id = `${entry.vmId}/${String(Date.parse(entry.startedAt)).padStart(15, '0')}-${randomBytes(4).toString('hex')}`;
    await this.store.put(this.namespace, SHELL_HISTORY_KIND, id, entry);
  }

  private interpret(
    script: string,
    facts: VmFacts,
    target: RemoteTarget,
    env: Record<string, string>,
  ): Outcome {
    const header = parseScriptHeader(script);
    const recipe = header ? this.recipeLookup(header.app) : undefined;
    if (header && recipe) return this.install(header, recipe, facts, target, script);
    if (header) {
      // A recipe the sim does not know: it cannot tell what the script does, so it succeeds.
      return {
        exitCode: 0,
        stdout: '',
        stderr: '',
        baseMs: 30_000 * (0.5 + fraction(facts.vm.id, script)),
        app: header,
      };
    }
    return this.simpleCommands(script, facts, env);
  }

  /** An app's install script: requirements checked against the spec, time taken, ports opened. */
  private install(
    header: ScriptHeader,
    recipe: Recipe,
    facts: VmFacts,
    target: RemoteTarget,
    script: string,
  ): Outcome {
    const { vm } = facts;
    if (facts.spec) {
      const problem = checkRequirements(recipe, facts.spec).problems[0];
      if (problem) {
        return {
          exitCode: 3,
          stdout: '',
          stderr: `s2a: ${problem.onVm}\n`,
          baseMs: 1_500 + 1_000 * fraction(vm.id, script, 'preflight'),
          app: header,
        };
      }
    }
    const [low, high] = recipe.install.estimatedSeconds;
    let seconds = low + (high - low) * fraction(vm.id, script);
    const lines = [
      `s2a-sim: ${recipe.name} (${header.role}) installed on ${vm.name} by the sim's emulated shell`,
    ];
    if (recipe.requirements.gpu && facts.gpuCount > 0 && !facts.state.nvidiaDriver) {
      seconds += DRIVER_INSTALL_SECONDS;
      lines.push('s2a-sim: NVIDIA server driver installed (the image had none)');
    }
    for (const parameter of recipe.parameters) {
      const value = header.parameters[parameter.name];
      if (parameter.isModel && value) {
        seconds += modelDownloadSeconds(value);
        lines.push(`s2a-sim: pulled model ${value}`);
      }
    }
    for (const output of recipe.scriptOutputs.filter((candidate) => candidate.role === header.role)) {
      lines.push(`s2a-output: ${output.name}=${fakeOutputValue(output.example, output.pattern)}`);
    }
    const ports = recipe.ports
      .filter((port) => port.roles === undefined || port.roles.includes(header.role))
      .map((port) => ({
        vmId: vm.id,
        nodeId: target.nodeId,
        publicIp: facts.stored.publicIp,
        privateIp: facts.stored.privateIp,
        port: port.port,
        toPort: port.toPort ?? port.port,
        protocol: port.protocol,
        app: recipe.name,
      }));
    return {
      exitCode: 0,
      stdout: `${lines.join('\n')}\n`,
      stderr: '',
      baseMs: seconds * 1000,
      ports,
      app: header,
    };
  }

  /** Plain scripts: a few commands answered from the VM's spec and image; anything else succeeds silently. */
  private simpleCommands(script: string, facts: VmFacts, env: Record<string, string>): Outcome {
    const { vm } = facts;
    const hostname = vm.name;
    const machine = facts.arch === 'arm64' ? 'aarch64' : 'x86_64';
    const kernel = `5.15.0-${1040 + Math.floor(fraction(vm.id, 'kernel') * 30)}-${vm.provider === 'aws' ? 'aws' : vm.provider === 'gcp' ? 'gcp' : vm.provider === 'azure' ? 'azure' : 'generic'}`;
    const variables: Record<string, string> = {
      HOSTNAME: hostname,
      USER: vm.username,
      HOME: `/home/${vm.username}`,
      ...env,
    };
    const hasDriver = facts.gpuCount > 0 && facts.state.nvidiaDriver;
    let stdout = '';
    let stderr = '';
    let exitCode = 0;
    let baseMs = 0;
    const print = (text: string) => {
      stdout += text.endsWith('\n') ? text : `${text}\n`;
    };
    for (const command of commands(script)) {
      const parts = words(expand(command.text, variables));
      const [name = '', ...args] = parts;
      baseMs += 20;
      exitCode = 0;
      const notFound = () => {
        stderr += `bash: line ${command.line}: ${name}: command not found\n`;
        exitCode = 127;
      };
      if (name === 'exit') {
        exitCode = Number(args[0] ?? 0) || 0;
        break;
      }
      switch (name) {
        case 'echo': {
          const noNewline = args[0] === '-n';
          const text = (noNewline ? args.slice(1) : args).join(' ');
          stdout += noNewline ? text : `${text}\n`;
          break;
        }
        case 'true':
        case ':':
          break;
        case 'false':
          exitCode = 1;
          break;
        case 'hostname':
          print(args.includes('-I') ? (vm.privateIp ?? '') : hostname);
          break;
        case 'whoami':
          print(vm.username);
          break;
        case 'uname':
          if (args.includes('-a'))
            print(
              `Linux ${hostname} ${kernel} #${40 + Math.floor(fraction(vm.id, 'build') * 20)}~22.04.1-Ubuntu SMP ${machine} ${machine} ${machine} GNU/Linux`,
            );
          else if (args.includes('-m')) print(machine);
          else if (args.includes('-r')) print(kernel);
          else print('Linux');
          break;
        case 'nproc':
          print(String(Math.max(1, Math.floor(facts.vcpu))));
          break;
        case 'free': {
          const totalMiB = Math.round(facts.memoryGiB * 1024 * 0.96);
          const usedMiB = Math.round(280 + totalMiB * 0.03);
          const human = args.includes('-h');
          const unit = args.includes('-g') ? 1024 : args.includes('-m') ? 1 : 1 / 1024;
          const show = (mebibytes: number) =>
            human
              ? mebibytes >= 1024
                ? `${(mebibytes / 1024).toFixed(1)}Gi`
                : `${Math.round(mebibytes)}Mi`
              : String(Math.floor(mebibytes / unit));
          print(
            [
              '               total        used        free      shared  buff/cache   available',
              `Mem:    ${show(totalMiB).padStart(12)}${show(usedMiB).padStart(12)}${show(totalMiB - usedMiB - 200).padStart(12)}${show(1).padStart(12)}${show(200).padStart(12)}${show(totalMiB - usedMiB).padStart(12)}`,
              `Swap:   ${(human ? '0B' : '0').padStart(12)}${(human ? '0B' : '0').padStart(12)}${(human ? '0B' : '0').padStart(12)}`,
            ].join('\n'),
          );
          break;
        }
        case 'nvidia-smi': {
          if (!hasDriver) {
            notFound();
            break;
          }
          const model = facts.spec?.gpu?.model ?? 'GPU';
          const lines = Array.from(
            { length: facts.gpuCount },
            (_, index) =>
              `GPU ${index}: NVIDIA ${model} (UUID: GPU-${createHash('md5')
                .update(`${vm.id}/${index}`)
                .digest('hex')
                .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')})`,
          );
          print(lines.join('\n'));
          break;
        }
        case 'cat':
          if (args[0] === '/etc/os-release') print(osRelease(facts.image));
          else if (args[0] === '/etc/hostname') print(hostname);
          break;
        case 'sleep':
          baseMs += Math.max(0, Number.parseFloat(args[0] ?? '0') || 0) * 1000;
          break;
        default:
          baseMs += 180;
      }
    }
    return { exitCode, stdout, stderr, baseMs };
  }
}

function osRelease(image: Image | undefined): string {
  const os = image?.os ?? 'ubuntu';
  const version = image?.osVersion ?? '22.04';
  if (os === 'ubuntu') {
    const releases: Record<string, { codename: string; point: string; name: string }> = {
      '20.04': { codename: 'focal', point: '20.04.6 LTS', name: 'Focal Fossa' },
      '22.04': { codename: 'jammy', point: '22.04.5 LTS', name: 'Jammy Jellyfish' },
      '24.04': { codename: 'noble', point: '24.04.1 LTS', name: 'Noble Numbat' },
    };
    const { codename, point, name } = releases[version] ?? {
      codename: 'jammy',
      point: `${version} LTS`,
      name: 'Jammy Jellyfish',
    };
    return [
      `PRETTY_NAME="Ubuntu ${point}"`,
      'NAME="Ubuntu"',
      `VERSION_ID="${version}"`,
      `VERSION="${point} (${name})"`,
      `VERSION_CODENAME=${codename}`,
      'ID=ubuntu',
      'ID_LIKE=debian',
      'HOME_URL="https://www.ubuntu.com/"',
      `UBUNTU_CODENAME=${codename}`,
    ].join('\n');
  }
  const name = os.charAt(0).toUpperCase() + os.slice(1);
  return [`PRETTY_NAME="${name} ${version}"`, `NAME="${name}"`, `VERSION_ID="${version}"`, `ID=${os}`].join(
    '\n',
  );
}
