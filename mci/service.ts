import type { CloudDriver, ProviderId, SecurityRule, Spec } from '../drivers/spec/index.ts';
import { PROVIDERS } from '../drivers/spec/index.ts';
import type { Store } from '../store/types.ts';
import type { HealthProbe, HealthProbeRequest, HealthProbeResult } from './apps/health.ts';
import { NetworkHealthProbe } from './apps/health.ts';
import {
  InstallError,
  type InstallFailure,
  type InstallNode,
  type InstallPlan,
  type InstallResult,
  installApp,
  type NodeInstallResult,
} from './apps/install.ts';
import type { RecipeInput, RecipePort } from './apps/schema.ts';
import { MciEngine, type MciEngineOptions, type MciView } from './engine.ts';
import { MciError } from './errors.ts';
import { EncryptedKeyVault } from './keys.ts';
import { APP_INSTALL_KIND, APP_SECRET_KIND, type Mci, type MciNode } from './model.ts';
import { mapWithConcurrency } from './remote/concurrency.ts';
import { readRemoteConfig } from './remote/config.ts';
import { StoreHostKeyStore } from './remote/host-keys.ts';
import { KeyVault } from './remote/key-vault.ts';
import { RoutingCommandRunner } from './remote/routing-runner.ts';
import { type SealedSecret, SecretBox } from './remote/secret-box.ts';
import { SimCommandRunner } from './remote/sim-shell.ts';
import { SshCommandRunner, type SshCommandRunnerOptions } from './remote/ssh-runner.ts';
import type { CommandResult, CommandRunner, OutputEvent, RemoteError, RemoteTarget } from './remote/types.ts';
import type { SpecResolver } from './resolver.ts';

export const APP_INSTALL_NAMESPACE = 'mci';
export { APP_INSTALL_KIND, APP_SECRET_KIND };

export interface MciServiceOptions {
  store: Store;
  /** Where `secret.key` is created when no secret is given. */
  home: string;
  drivers: (provider: ProviderId) => Promise<CloudDriver>;
  /** The sim account whose VMs the emulated shell reaches. */
  simAccount: string;
  /** The sim's time scale (the emulated shell takes simulated time with it). */
  simTimeScale: number;
  /** Whether a provider is connected to the sim (its nodes take commands through the emulated shell). */
  isSim: (provider: ProviderId) => boolean;
  /** The S2A_SECRET passphrase; without it `<home>/secret.key` is used (created 0600). */
  secret?: string;
  clock?: () => number;
  resolver?: SpecResolver;
  /** Further engine settings (owner, retry, poll interval…). */
  engine?: Omit<Partial<MciEngineOptions>, 'store' | 'drivers' | 'keyVault' | 'clock'>;
  /** Further SSH settings (connect timeout, attempts…). */
  ssh?: Omit<SshCommandRunnerOptions, 'hostKeys'>;
}

export interface RunCommandOptions {
  /** Node names ("web-1") or VM ids; default every Running node of the MCI. */
  nodes?: string[];
  timeoutMs: number;
  /** Nodes worked on at once. Default 10. */
  concurrency?: number;
  env?: Record<string, string>;
  sudo?: boolean;
  onOutput?: (event: OutputEvent) => void;
  signal?: AbortSignal;
}

/** One node's outcome; `nodeId` is the node's name in the MCI. */
export interface NodeCommandResult extends CommandResult {
  vmId: string | null;
}

export interface InstallAppOptions {
  parameters?: Record<string, string>;
  /** Node names or VM ids; default every Running node of the MCI. */
  nodes?: string[];
  concurrency?: number;
  installTimeoutMs?: number;
  healthTimeoutMs?: number;
  healthWait?: InstallPlan['healthWait'];
  onProgress?: InstallPlan['onProgress'];
  onOutput?: InstallPlan['onOutput'];
  signal?: AbortSignal;
}

/**
 * An install as returned: sensitive outputs (tokens, URLs with tokens) are not in it. Each node's
 * `sensitive` maps the output's name to the reference of the stored secret (`revealAppSecret`).
 */
export interface MciInstallResult extends InstallResult {
  mciName: string;
  /** "jupyter token of web-1 stored as app-secret demo/jupyter/web-1/token", one per secret. */
  sensitive: string[];
}

/** What the store keeps about an app installed on an MCI (namespace "mci", kind "app-install"). */
export interface AppInstallRecord {
  mciName: string;
  app: string;
  parameters: Record<string, string>;
  ok: boolean;
  installedAt: string;
  nodes: {
    nodeId: string;
    vmId: string | null;
    role: string;
    status: NodeInstallResult['status'];
    endpoints: Record<string, string>;
    /** output name → reference of the stored secret */
    sensitive: Record<string, string>;
  }[];
  failures: InstallFailure[];
}

interface StoredAppSecret {
  reference: string;
  sealed: SealedSecret;
  storedAt: string;
}

export interface BackgroundWorkOptions {
  /**
   * After the first pass, recovery runs again this often (ms): it takes over operations whose
   * holder's lease had not expired yet at start, or whose process died later. 0: once only.
   * Default 30 s, the engine's default lease.
   */
  recoveryIntervalMs?: number;
  /** The status refresher's settings (`engine.startStatusRefresher`), or false for none. */
  statusRefresher?: { intervalMs?: number; baseIntervalMs?: number } | false;
  /** Told about a recovery pass that failed (the store busy, a driver down); the next pass retries. */
  onError?: (error: unknown) => void;
}

export interface BackgroundWork {
  /** The operation ids the first recovery pass took over (resumed or rolled back here). */
  readonly recovered: Promise<string[]>;
  /** Stops recovery and the refresher; operations already taken go on until `close()` (which stops it too). */
  stop(): Promise<void>;
}

/** Where an MCI node is reached, or why it cannot be. */
type Reach = { node: MciNode; target: RemoteTarget } | { node: MciNode; error: RemoteError };

/**
 * The MCI engine composed with remote commands and apps: one object that creates MCIs, runs
 * commands on their nodes (SSH, or the emulated shell for sim providers) and installs apps.
 */
export class MciService {
  readonly engine: MciEngine;
  /** Private keys of the MCIs' key pairs, encrypted at rest. */
  readonly keys: KeyVault;
  readonly runner: CommandRunner;
  readonly simShell: SimCommandRunner;
  private readonly network: HealthProbe = new NetworkHealthProbe();
  private readonly backgroundWork = new Set<BackgroundWork>();
  /** The provider of each target being run, for the routing runner. */
  private readonly targetProviders = new WeakMap<RemoteTarget, ProviderId>();

  constructor(
    private readonly options: MciServiceOptions,
    private readonly box: SecretBox,
  ) {
    const { store, drivers } = options;
    this.keys = new KeyVault(store, box);
    this.engine = new MciEngine({
      ...options.engine,
      store,
      drivers,
      keyVault: new EncryptedKeyVault(this.keys),
      ...(options.resolver ? { resolver: options.resolver } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.simShell = new SimCommandRunner({
      store,
      account: options.simAccount,
      timeScale: options.simTimeScale,
      ...(options.clock ? { clock: options.clock } : {}),
      specLookup: (specId) => this.specOf(specId),
      imageLookup: async (imageId) => {
        const provider = providerOfId(imageId);
        if (!provider) return undefined;
        return (await drivers(provider)).getImage(imageId).catch(() => undefined);
      },
    });
    const ssh = new SshCommandRunner({ ...options.ssh, hostKeys: new StoreHostKeyStore(store) });
    this.runner = new RoutingCommandRunner((target) => {
      const provider = this.targetProviders.get(target);
      return provider !== undefined && options.isSim(provider) ? this.simShell : ssh;
    });
  }

  /**
   * Runs `script` with bash on the MCI's nodes and returns one result per node, in order. A node
   * that is not Running, has no public IP or whose key is missing gets a result with `error`.
   */
  async runCommand(
    mciName: string,
    script: string,
    options: RunCommandOptions,
  ): Promise<NodeCommandResult[]> {
    const mci = await this.engine.getMci(mciName);
    const reaches = await this.reach(mci, selectNodes(mci, options.nodes));
    const targets = reaches.flatMap((reach) => ('target' in reach ? [reach.target] : []));
    const results = await this.runner.run(targets, script, {
      timeoutMs: options.timeoutMs,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.sudo !== undefined ? { sudo: options.sudo } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const byNode = new Map(results.map((result) => [result.nodeId, result]));
    return reaches.map((reach): NodeCommandResult => {
      const vmId = reach.node.vmId;
      if ('error' in reach) return { ...unreachable(reach.node.name, reach.error), vmId };
      const result = byNode.get(reach.node.name);
      return result
        ? { ...result, vmId }
        : {
            ...unreachable(reach.node.name, {
              code: 'channel-failed',
              message: `no result came back for ${reach.node.name}`,
              retryable: true,
            }),
            vmId,
          };
    });
  }

  /**
   * Installs an app on the MCI's nodes (default every Running node): requirements are checked
   * against each node's spec before anything runs, the recipe's ports are added to the nodes'
   * security groups, and the install is recorded on the MCI. Secrets in the outputs are sealed in
   * the store; the result holds references to them only.
   */
  async installApp(
    mciName: string,
    app: string | RecipeInput,
    options: InstallAppOptions = {},
  ): Promise<MciInstallResult> {
    const mci = await this.engine.getMci(mciName);
    if (mci.state === 'deleting')
      throw new MciError(
        'OPERATION_BUSY',
        `the MCI ${mciName} is being deleted; nothing can be installed on it`,
      );
    const selected = selectNodes(mci, options.nodes);
    const reaches = await this.reach(mci, selected);
    const notReady = reaches.flatMap((reach) =>
      'error' in reach
        ? [
            {
              nodeId: reach.node.name,
              role: null,
              step: 'roles' as const,
              message: `${reach.node.name} cannot take the install: ${reach.error.message}`,
              nextStep:
                reach.error.code === 'vm-not-running'
                  ? `Resume ${reach.node.name} (controlMci resume), or install on the other nodes only.`
                  : `Install on the other nodes only, or fix ${reach.node.name} first.`,
            },
          ]
        : [],
    );
    if (notReady.length > 0) throw new InstallError('roles', notReady);
    const ready = reaches.flatMap((reach) => ('target' in reach ? [reach] : []));

    const nodes: InstallNode[] = await Promise.all(
      ready.map(async ({ node, target }): Promise<InstallNode> => {
        const spec = await this.specOf(node.specId);
        const network = mci.regions[node.regionId]?.vNetId;
        return {
          target,
          publicIp: node.publicIp,
          privateIp: node.privateIp,
          ...(network !== undefined ? { network } : {}),
          ...(spec ? { spec } : {}),
        };
      }),
    );
    const nodeByName = new Map(ready.map(({ node }) => [node.name, node]));
    const appName = typeof app === 'string' ? app : app.name;
    const sim = new Set(
      ready.filter(({ node }) => this.options.isSim(node.provider)).map(({ node }) => node.name),
    );
    const healthProbe: HealthProbe =
      sim.size === ready.length
        ? this.simShell.ports
        : sim.size === 0
          ? this.network
          : {
              probe: (request: HealthProbeRequest): Promise<HealthProbeResult> =>
                (sim.has(request.nodeId) ? this.simShell.ports : this.network).probe(request),
            };

    const result = await installApp({
      app,
      nodes,
      runner: this.runner,
      healthProbe,
      openPorts: (nodeIds, ports) =>
        this.openPorts(
          mci,
          appName,
          nodeIds.flatMap((id) => nodeByName.get(id) ?? []),
          ports,
        ),
      ...(options.parameters ? { parameters: options.parameters } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.installTimeoutMs !== undefined ? { installTimeoutMs: options.installTimeoutMs } : {}),
      ...(options.healthTimeoutMs !== undefined ? { healthTimeoutMs: options.healthTimeoutMs } : {}),
      ...(options.healthWait ? { healthWait: options.healthWait } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });

    const sensitive: string[] = [];
    const resultNodes: NodeInstallResult[] = [];
    const secrets: StoredAppSecret[] = [];
    for (const nodeResult of result.nodes) {
      const references: Record<string, string> = {};
      for (const [output, value] of Object.entries(nodeResult.sensitive)) {
        const reference = `${mciName}/${result.app}/${nodeResult.nodeId}/${output}`;
        secrets.push(this.sealAppSecret(reference, value));
        references[output] = reference;
        sensitive.push(
          `${result.app} ${output} of ${nodeResult.nodeId} stored as ${APP_SECRET_KIND} ${reference}`,
        );
      }
      resultNodes.push({ ...nodeResult, sensitive: references });
    }
    const record: AppInstallRecord = {
      mciName,
      app: result.app,
      parameters: result.parameters,
      ok: result.ok,
      installedAt: new Date((this.options.clock ?? Date.now)()).toISOString(),
      nodes: resultNodes.map((node) => ({
        nodeId: node.nodeId,
        vmId: nodeByName.get(node.nodeId)?.vmId ?? null,
        role: node.role,
        status: node.status,
        endpoints: node.endpoints,
        sensitive: node.sensitive,
      })),
      failures: result.failures,
    };
    // Written only while this very MCI exists: a delete that finished meanwhile leaves nothing behind
    // for a later MCI of the same name to see.
    await this.options.store.transaction(async (tx) => {
      const current = await tx.get<Mci>(APP_INSTALL_NAMESPACE, 'mci', mciName);
      if (!current || current.data.operationId !== mci.operationId || current.data.state === 'deleting')
        throw new MciError(
          'MCI_NOT_FOUND',
          `the MCI ${mciName} was deleted while ${result.app} was installed`,
        );
      for (const secret of secrets)
        await tx.put(APP_INSTALL_NAMESPACE, APP_SECRET_KIND, secret.reference, secret);
      await tx.put(APP_INSTALL_NAMESPACE, APP_INSTALL_KIND, `${mciName}/${result.app}`, record);
    });
    return { ...result, mciName, nodes: resultNodes, sensitive };
  }

  /** The apps installed on an MCI (the last install of each), by app name. */
  async listApps(mciName: string): Promise<AppInstallRecord[]> {
    const records = await this.options.store.list<AppInstallRecord>({
      namespace: APP_INSTALL_NAMESPACE,
      kind: APP_INSTALL_KIND,
      idPrefix: `${mciName}/`,
    });
    return records.map((record) => record.data).sort((a, b) => a.app.localeCompare(b.app));
  }

  /** The value of a secret an install stored (for the person, never for logs or a model). */
  async revealAppSecret(reference: string): Promise<string> {
    const record = await this.options.store.get<StoredAppSecret>(
      APP_INSTALL_NAMESPACE,
      APP_SECRET_KIND,
      reference,
    );
    if (!record) throw new Error(`no app secret "${reference}" is stored`);
    return this.box.open(record.data.sealed, `${APP_SECRET_KIND}:${reference}`);
  }

  /**
   * What a process that serves MCIs (the MCP server, the web app, the CLI) starts once: it finishes
   * or rolls back (per the engine's `onRecovery`) the operations of processes that died, respecting
   * the leases of living ones, and keeps node statuses fresh. Idempotent across processes: leases
   * make sure one process takes each operation.
   */
  startBackgroundWork(options: BackgroundWorkOptions = {}): BackgroundWork {
    let stopped = false;
    let pass: Promise<unknown> | undefined;
    const recover = (): Promise<string[]> => {
      const run = this.engine.recoverOperations();
      pass = run
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          pass = undefined;
        });
      return run;
    };
    const recovered = recover();
    recovered.catch(() => undefined);
    const intervalMs = options.recoveryIntervalMs ?? 30_000;
    const timer =
      intervalMs > 0
        ? setInterval(() => {
            // One pass at a time: a slow store skips a tick rather than piling passes up.
            if (!stopped && !pass) void recover().catch(() => undefined);
          }, intervalMs)
        : undefined;
    timer?.unref();
    const refresher =
      options.statusRefresher === false
        ? undefined
        : this.engine.startStatusRefresher(options.statusRefresher);
    const work: BackgroundWork = {
      recovered,
      stop: async () => {
        stopped = true;
        if (timer) clearInterval(timer);
        refresher?.stop();
        await pass;
        this.backgroundWork.delete(work);
      },
    };
    this.backgroundWork.add(work);
    return work;
  }

  /** Stops background work first (no recovery pass may start operations after), then the engine. */
  async close(): Promise<void> {
    for (const work of [...this.backgroundWork]) await work.stop();
    await this.engine.close();
  }

  private sealAppSecret(reference: string, value: string): StoredAppSecret {
    return {
      reference,
      sealed: this.box.seal(value, `${APP_SECRET_KIND}:${reference}`),
      storedAt: new Date((this.options.clock ?? Date.now)()).toISOString(),
    };
  }

  private async specOf(specId: string): Promise<Spec | undefined> {
    const provider = providerOfId(specId);
    if (!provider) return undefined;
    return (await this.options.drivers(provider)).getSpec(specId).catch(() => undefined);
  }

  /** Targets of the nodes: address and port from the VM as it is now, the key from the vault. */
  private async reach(mci: MciView, nodes: MciNode[]): Promise<Reach[]> {
    const keys = new Map<string, Promise<string | undefined>>();
    const keyOf = (name: string) => {
      let pending = keys.get(name);
      if (!pending) {
        pending = this.keys.info(name).then((info) => (info ? this.keys.load(name) : undefined));
        keys.set(name, pending);
      }
      return pending;
    };
    return mapWithConcurrency(nodes, 10, async (node): Promise<Reach> => {
      const fail = (code: RemoteError['code'], message: string, retryable = false): Reach => ({
        node,
        error: { code, message, retryable },
      });
      if (!node.vmId) return fail('vm-not-found', `${node.name} has no VM (it is ${node.status})`);
      let vm: Awaited<ReturnType<CloudDriver['getVm']>>;
      try {
        vm = await (await this.options.drivers(node.provider)).getVm(node.vmId);
      } catch (error) {
        return fail(
          'vm-not-found',
          `${node.name} (${node.vmId}) cannot be read: ${(error as Error).message}`,
          true,
        );
      }
      if (vm.status !== 'Running') {
        return fail(
          'vm-not-running',
          `${node.name} is ${vm.status} (${vm.id}); commands run on Running nodes only. Resume it with controlMci resume.`,
          vm.status === 'Creating' || vm.status === 'Resuming' || vm.status === 'Rebooting',
        );
      }
      if (!vm.publicIp)
        return fail('connect-failed', `${node.name} (${vm.id}) has no public IP to reach it at`);
      const keyName = mci.regions[node.regionId]?.keyName;
      const privateKey = keyName ? await keyOf(keyName).catch((error: Error) => error) : undefined;
      if (privateKey instanceof Error)
        return fail('invalid-key', `the key of ${node.name} cannot be read: ${privateKey.message}`);
      if (!privateKey) {
        return fail(
          'invalid-key',
          `no private key is stored for ${node.name}'s key pair${keyName ? ` (${keyName})` : ''}`,
        );
      }
      const target: RemoteTarget = {
        nodeId: node.name,
        host: vm.publicIp,
        port: vm.sshPort,
        username: vm.username,
        privateKey,
        vmId: vm.id,
      };
      this.targetProviders.set(target, node.provider);
      return { node, target };
    });
  }

  /**
   * Adds the ports to the security groups of the nodes' regions, keeping the rules there: public
   * ports from anywhere, private ports from the region's vNet and, when the MCI spans several
   * regions, from the public IP (/32) of each node in the others (peer rules, `syncPeerRules`).
   */
  private async openPorts(mci: MciView, app: string, nodes: MciNode[], ports: RecipePort[]): Promise<void> {
    const regionIds = [...new Set(nodes.map((node) => node.regionId))];
    for (const regionId of regionIds) {
      const region = mci.regions[regionId];
      const provider = nodes.find((node) => node.regionId === regionId)?.provider;
      if (!region?.securityGroupId || !provider) {
        throw new Error(`the MCI ${mci.name} has no security group in ${regionId}`);
      }
      const driver = await this.options.drivers(provider);
      const group = await driver.getSecurityGroup(region.securityGroupId);
      const vNetCidr = (await driver.getVNet(region.vNetId ?? group.vNetId)).cidrBlock;
      const rules: SecurityRule[] = [...group.rules];
      for (const port of ports) {
        const rule: SecurityRule = {
          direction: 'inbound',
          protocol: port.protocol,
          fromPort: port.port,
          toPort: port.toPort ?? port.port,
          cidr: port.public ? '0.0.0.0/0' : vNetCidr,
          description: `${app}: ${port.description}`.slice(0, 255),
        };
        const present = rules.some(
          (existing) =>
            existing.direction === rule.direction &&
            existing.protocol === rule.protocol &&
            existing.fromPort === rule.fromPort &&
            existing.toPort === rule.toPort &&
            existing.cidr === rule.cidr,
        );
        if (!present) rules.push(rule);
      }
      if (rules.length > group.rules.length) await driver.setSecurityGroupRules(group.id, rules);
    }
    // Nodes in other regions reach the private ports through their public IPs.
    if (ports.some((port) => !port.public)) await this.engine.syncPeerRules(mci.name);
  }
}

/** Builds the service: the encrypted key vault (S2A_SECRET or `<home>/secret.key`), the engine, the runners. */
export async function createMciService(options: MciServiceOptions): Promise<MciService> {
  const config = readRemoteConfig(
    { S2A_HOME: options.home, ...(options.secret !== undefined ? { S2A_SECRET: options.secret } : {}) },
    options.home,
  );
  const box =
    config.secret !== undefined
      ? SecretBox.fromSecret(config.secret)
      : await SecretBox.fromKeyFile(config.keyFile);
  return new MciService(options, box);
}

/** The provider an id of the catalog names first ("aws+ap-northeast-2+t3.medium" → aws). */
function providerOfId(id: string): ProviderId | undefined {
  const first = id.split('+')[0];
  return PROVIDERS.find((provider) => provider === first);
}

/** The nodes named (by name or VM id), or every Running node; unknown names are refused. */
function selectNodes(mci: MciView, names: string[] | undefined): MciNode[] {
  if (names === undefined || names.length === 0) {
    const running = mci.nodes.filter((node) => node.status === 'Running');
    // None Running: every node, so each says why it cannot run.
    return running.length > 0 ? running : mci.nodes;
  }
  const unknown = names.filter((name) => !mci.nodes.some((node) => node.name === name || node.vmId === name));
  if (unknown.length > 0) {
    throw new MciError(
      'MCI_INVALID_REQUEST',
      `the MCI ${mci.name} has no node ${unknown.join(', ')}; its nodes: ${mci.nodes.map((node) => node.name).join(', ')}`,
      { issues: unknown.map((name) => `nodes: unknown node "${name}"`) },
    );
  }
  return mci.nodes.filter(
    (node) => names.includes(node.name) || (node.vmId !== null && names.includes(node.vmId)),
  );
}

function unreachable(nodeId: string, error: RemoteError): CommandResult {
  return {
    nodeId,
    exitCode: null,
    stdout: '',
    stderr: '',
    stdoutDroppedBytes: 0,
    stderrDroppedBytes: 0,
    durationMs: 0,
    timedOut: false,
    error,
  };
}
