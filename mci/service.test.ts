import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Runtime } from '../runtime/runtime.ts';
import { InstallError } from './apps/install.ts';
import { EncryptedKeyVault } from './keys.ts';
import { StoreHostKeyStore } from './remote/host-keys.ts';
import { KEY_VAULT_KIND, KEY_VAULT_NAMESPACE, KeyVault } from './remote/key-vault.ts';
import { SecretBox } from './remote/secret-box.ts';
import {
  APP_INSTALL_KIND,
  APP_INSTALL_NAMESPACE,
  APP_SECRET_KIND,
  createMciService,
  type MciService,
} from './service.ts';
import { createMciTestContext, FAST_SIM, type MciTestContext } from './testing/mci-test-kit.ts';

const contexts: MciTestContext[] = [];
const services: MciService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  for (const context of contexts.splice(0)) await context.dispose();
});

const SECRET = 'a test passphrase of enough length';
const SPEC = 'aws+ap-northeast-2+t3.medium';
const FAST_HEALTH = { initialDelayMs: 1, maxDelayMs: 5 };

async function setup() {
  const context = await createMciTestContext();
  contexts.push(context);
  const service = await createMciService({
    store: context.store,
    home: context.home,
    drivers: context.drivers,
    simAccount: 'default',
    simTimeScale: FAST_SIM.timeScale ?? 0.001,
    isSim: () => true,
    secret: SECRET,
    resolver: context.resolver,
    engine: { owner: 'tester', pollIntervalMs: 5, retry: { baseDelayMs: 5, maxDelayMs: 50 } },
  });
  services.push(service);
  return { context, service };
}

async function createMci(service: MciService, name = 'demo', size = 2) {
  const { operationId } = await service.engine.createMci({
    name,
    nodeGroups: [{ name: 'web', specId: SPEC, size }],
  });
  expect((await service.engine.wait(operationId)).status).toBe('succeeded');
  return service.engine.getMci(name);
}

describe('EncryptedKeyVault', () => {
  it('seals keys before they reach the store and reads them back', async () => {
    const context = await createMciTestContext();
    contexts.push(context);
    const vault = new EncryptedKeyVault(new KeyVault(context.store, SecretBox.fromSecret(SECRET)));
    const privateKey = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await vault.put('demo.aws+ap-northeast-2', privateKey);
    expect(await vault.get('demo.aws+ap-northeast-2')).toBe(privateKey);
    const stored = await context.store.get(KEY_VAULT_NAMESPACE, KEY_VAULT_KIND, 'demo.aws+ap-northeast-2');
    expect(JSON.stringify(stored)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(stored)).not.toContain(privateKey.split('\n')[1]);
    expect(await vault.get('unknown')).toBeUndefined();
    await vault.delete('demo.aws+ap-northeast-2');
    expect(await vault.get('demo.aws+ap-northeast-2')).toBeUndefined();
  });

  it('is what the engine uses: the key pairs it makes are stored sealed', async () => {
    const { context, service } = await setup();
    const mci = await createMci(service, 'sealed', 1);
    const keyName = mci.regions[SPEC.split('+').slice(0, 2).join('+')]?.keyName as string;
    expect(keyName).toBeTruthy();
    const records = await context.store.list({ namespace: KEY_VAULT_NAMESPACE, kind: KEY_VAULT_KIND });
    expect(records.map((record) => record.id)).toEqual([keyName]);
    expect(JSON.stringify(records)).not.toContain('PRIVATE KEY');
    expect(await service.keys.load(keyName)).toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  });
});

describe('MciService.runCommand', () => {
  it('runs a script on every Running node through the emulated shell', async () => {
    const { service } = await setup();
    const mci = await createMci(service);
    const results = await service.runCommand('demo', 'hostname && nproc', { timeoutMs: 60_000 });
    expect(results.map((result) => result.nodeId)).toEqual(['web-1', 'web-2']);
    for (const result of results) {
      expect(result.error).toBeUndefined();
      expect(result.exitCode).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('2');
      expect(result.vmId).toBe(mci.nodes.find((node) => node.name === result.nodeId)?.vmId);
    }
    expect(results[0]?.stdout).not.toBe(results[1]?.stdout);
  });

  it('gives a Suspended node a per-node error and runs on the others', async () => {
    const { service } = await setup();
    await createMci(service);
    const { operationId } = await service.engine.controlMci('demo', 'suspend', { node: 'web-2' });
    expect((await service.engine.wait(operationId)).status).toBe('succeeded');
    const results = await service.runCommand('demo', 'uptime', {
      nodes: ['web-1', 'web-2'],
      timeoutMs: 60_000,
    });
    expect(results[0]).toMatchObject({ nodeId: 'web-1', exitCode: 0 });
    expect(results[1]).toMatchObject({ nodeId: 'web-2', exitCode: null, error: { code: 'vm-not-running' } });
    expect(results[1]?.error?.message).toMatch(/web-2 is Suspended.*resume/);
    // By default only the Running nodes are asked.
    const defaults = await service.runCommand('demo', 'true', { timeoutMs: 60_000 });
    expect(defaults.map((result) => result.nodeId)).toEqual(['web-1']);
  });

  it('refuses nodes the MCI does not have', async () => {
    const { service } = await setup();
    await createMci(service, 'demo', 1);
    await expect(service.runCommand('demo', 'true', { nodes: ['web-9'], timeoutMs: 1_000 })).rejects.toThrow(
      /no node web-9/,
    );
  });
});

describe('MciService.installApp', () => {
  it('installs nginx: port 80 opened in the security group, healthy, endpoints recorded', async () => {
    const { context, service } = await setup();
    const mci = await createMci(service);
    const result = await service.installApp('demo', 'nginx', { healthWait: FAST_HEALTH });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    const region = Object.values(mci.regions)[0];
    const group = await (await context.drivers('aws')).getSecurityGroup(region?.securityGroupId as string);
    expect(group.rules).toContainEqual(
      expect.objectContaining({
        direction: 'inbound',
        protocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        cidr: '0.0.0.0/0',
      }),
    );
    // The rules that were there stay.
    expect(group.rules.some((rule) => rule.fromPort === 22)).toBe(true);
    for (const node of result.nodes) {
      const publicIp = mci.nodes.find((candidate) => candidate.name === node.nodeId)?.publicIp;
      expect(node.status).toBe('installed');
      expect(node.health?.healthy).toBe(true);
      // nginx's recipe writes port 80 as the scheme's default.
      expect(Object.values(node.endpoints)).toContain(`http://${publicIp}/`);
    }
    const apps = await service.listApps('demo');
    expect(apps.map((app) => app.app)).toEqual(['nginx']);
    expect(apps[0]?.nodes.map((node) => node.nodeId)).toEqual(['web-1', 'web-2']);
    expect(await context.store.get(APP_INSTALL_NAMESPACE, APP_INSTALL_KIND, 'demo/nginx')).toBeDefined();
    // A second install does not add the rule twice.
    await service.installApp('demo', 'nginx', { healthWait: FAST_HEALTH });
    const again = await (await context.drivers('aws')).getSecurityGroup(region?.securityGroupId as string);
    expect(again.rules.filter((rule) => rule.fromPort === 80)).toHaveLength(1);
  });

  it('opens private ports (k3s) to the vNet CIDR only, public ones to anywhere', async () => {
    const { context, service } = await setup();
    const mci = await createMci(service);
    const result = await service.installApp('demo', 'k3s', { healthWait: FAST_HEALTH });
    expect(result.failures).toEqual([]);
    expect(result.nodes.map((node) => node.role)).toEqual(['server', 'agent']);
    const driver = await context.drivers('aws');
    const region = Object.values(mci.regions)[0];
    const group = await driver.getSecurityGroup(region?.securityGroupId as string);
    const vNet = await driver.getVNet(region?.vNetId as string);
    expect(group.rules).toContainEqual(
      expect.objectContaining({ protocol: 'tcp', fromPort: 6443, cidr: '0.0.0.0/0' }),
    );
    expect(group.rules).toContainEqual(
      expect.objectContaining({ protocol: 'tcp', fromPort: 10250, cidr: vNet.cidrBlock }),
    );
    expect(group.rules).toContainEqual(
      expect.objectContaining({ protocol: 'udp', fromPort: 51820, toPort: 51820, cidr: vNet.cidrBlock }),
    );
    expect(group.rules.filter((rule) => rule.fromPort === 10250)).toHaveLength(1);
  });

  it('refuses to install on a node that is not Running', async () => {
    const { service } = await setup();
    await createMci(service);
    const { operationId } = await service.engine.controlMci('demo', 'suspend', { node: 'web-1' });
    await service.engine.wait(operationId);
    const error = await service
      .installApp('demo', 'nginx', { nodes: ['web-1', 'web-2'] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).failures[0]).toMatchObject({ nodeId: 'web-1' });
    expect((error as InstallError).nextStep).toMatch(/Resume web-1/);
    // By default the install goes to the Running nodes.
    const result = await service.installApp('demo', 'nginx', { healthWait: FAST_HEALTH });
    expect(result.nodes.map((node) => node.nodeId)).toEqual(['web-2']);
  });

  it('refuses vllm on a CPU-only MCI before anything runs', async () => {
    const { context, service } = await setup();
    await createMci(service);
    const error = await service.installApp('demo', 'vllm').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).step).toBe('requirements');
    expect((error as InstallError).message).toMatch(/GPU/i);
    expect(await service.listApps('demo')).toEqual([]);
    const history = await context.store.list({ namespace: 'sim/default', kind: 'shell-history' });
    expect(history).toEqual([]);
  });

  it('refuses an ollama model parameter with shell metacharacters', async () => {
    const { context, service } = await setup();
    await createMci(service, 'demo', 1);
    const error = await service
      .installApp('demo', 'ollama', { parameters: { model: 'x; rm -rf /' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).step).toBe('parameters');
    const history = await context.store.list({ namespace: 'sim/default', kind: 'shell-history' });
    expect(history).toEqual([]);
  });

  it('keeps sensitive outputs out of the result: sealed in the store, referenced only', async () => {
    const { context, service } = await setup();
    await createMci(service, 'demo', 1);
    const result = await service.installApp('demo', 'jupyter', { healthWait: FAST_HEALTH });
    expect(result.ok).toBe(true);
    const node = result.nodes[0];
    expect(node?.sensitive.token).toBe('demo/jupyter/web-1/token');
    expect(result.sensitive).toContain(
      'jupyter token of web-1 stored as app-secret demo/jupyter/web-1/token',
    );
    const token = await service.revealAppSecret('demo/jupyter/web-1/token');
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(JSON.stringify(result)).not.toContain(token);
    expect(JSON.stringify(await service.listApps('demo'))).not.toContain(token);
    for (const kind of [APP_INSTALL_KIND, APP_SECRET_KIND]) {
      const stored = await context.store.list({ namespace: APP_INSTALL_NAMESPACE, kind });
      expect(stored.length).toBeGreaterThan(0);
      expect(JSON.stringify(stored)).not.toContain(token);
    }
  });
});

describe('MciService private ports across regions', () => {
  it('opens k3s private ports to the /32 of nodes in other regions and follows scale and suspend', async () => {
    const { context, service } = await setup();
    const { operationId } = await service.engine.createMci({
      name: 'spread',
      nodeGroups: [
        { name: 'seoul', specId: SPEC, size: 2 },
        { name: 'gcp', specId: 'gcp+asia-northeast3+e2-medium', size: 1 },
      ],
    });
    expect((await service.engine.wait(operationId)).status).toBe('succeeded');
    const result = await service.installApp('spread', 'k3s', { healthWait: FAST_HEALTH });
    expect(result.failures).toEqual([]);

    const aws = await context.drivers('aws');
    const gcp = await context.drivers('gcp');
    const rulesOf = async () => {
      const mci = await service.engine.getMci('spread');
      const awsGroup = mci.regions['aws+ap-northeast-2']?.securityGroupId as string;
      const gcpGroup = mci.regions['gcp+asia-northeast3']?.securityGroupId as string;
      const ipOf = (name: string) => mci.nodes.find((node) => node.name === name)?.publicIp;
      const sources = (rules: { fromPort: number | null; protocol: string; cidr: string }[], port: number) =>
        rules
          .filter((rule) => rule.fromPort === port && rule.cidr.endsWith('/32'))
          .map((rule) => `${rule.protocol} ${rule.cidr}`)
          .sort();
      const awsRules = (await aws.getSecurityGroup(awsGroup)).rules;
      const gcpRules = (await gcp.getSecurityGroup(gcpGroup)).rules;
      return {
        ipOf,
        aws: { kubelet: sources(awsRules, 10250), wireGuard: sources(awsRules, 51820), all: awsRules },
        gcp: { kubelet: sources(gcpRules, 10250), wireGuard: sources(gcpRules, 51820), all: gcpRules },
      };
    };
    let rules = await rulesOf();
    // Seoul's group admits the gcp node, gcp's group the two Seoul nodes; the vNet rules stay.
    expect(rules.aws.kubelet).toEqual([`tcp ${rules.ipOf('gcp-1')}/32`]);
    expect(rules.aws.wireGuard).toEqual([`udp ${rules.ipOf('gcp-1')}/32`]);
    expect(rules.gcp.kubelet).toEqual(
      [`tcp ${rules.ipOf('seoul-1')}/32`, `tcp ${rules.ipOf('seoul-2')}/32`].sort(),
    );
    expect(rules.gcp.wireGuard).toHaveLength(2);
    expect(rules.aws.all.some((rule) => rule.fromPort === 10250 && rule.cidr === '10.0.0.0/16')).toBe(true);
    expect(rules.aws.all.filter((rule) => rule.cidr === '0.0.0.0/0' && rule.fromPort === 10250)).toEqual([]);

    const grow = await service.engine.scaleMci('spread', { addNodes: { group: 'gcp', count: 1 } });
    expect((await service.engine.wait(grow.operationId)).status).toBe('succeeded');
    rules = await rulesOf();
    expect(rules.aws.kubelet).toEqual(
      [`tcp ${rules.ipOf('gcp-1')}/32`, `tcp ${rules.ipOf('gcp-2')}/32`].sort(),
    );

    const hostKeys = new StoreHostKeyStore(context.store);
    const removedAddress = rules.ipOf('seoul-2') as string;
    await hostKeys.recordIfAbsent({
      host: removedAddress,
      port: 22,
      algorithm: 'ssh-ed25519',
      publicKey: 'ssh-ed25519 AAAA',
      fingerprint: 'SHA256:x',
      firstSeenAt: new Date().toISOString(),
    });
    const shrink = await service.engine.scaleMci('spread', { removeNodes: ['seoul-2'] });
    expect((await service.engine.wait(shrink.operationId)).status).toBe('succeeded');
    rules = await rulesOf();
    expect(rules.gcp.kubelet).toEqual([`tcp ${rules.ipOf('seoul-1')}/32`]);
    expect(rules.gcp.wireGuard).toEqual([`udp ${rules.ipOf('seoul-1')}/32`]);
    // The removed node's host key goes with it.
    expect(await hostKeys.get(removedAddress, 22)).toBeUndefined();

    // A suspended node has no public IP: its rules go, and come back when it resumes.
    const suspend = await service.engine.controlMci('spread', 'suspend', { node: 'gcp-2' });
    expect((await service.engine.wait(suspend.operationId)).status).toBe('succeeded');
    expect((await rulesOf()).aws.kubelet).toEqual([`tcp ${rules.ipOf('gcp-1')}/32`]);
    const resume = await service.engine.controlMci('spread', 'resume', { node: 'gcp-2' });
    expect((await service.engine.wait(resume.operationId)).status).toBe('succeeded');
    const resumed = await rulesOf();
    const gcpTwoNow = (
      await gcp.getVm(
        (await service.engine.getMci('spread')).nodes.find((node) => node.name === 'gcp-2')?.vmId as string,
      )
    ).publicIp;
    expect(gcpTwoNow).toBeTruthy();
    expect(resumed.aws.kubelet).toEqual([`tcp ${resumed.ipOf('gcp-1')}/32`, `tcp ${gcpTwoNow}/32`].sort());
  });

  it('adds no /32 rules to a single-region MCI', async () => {
    const { context, service } = await setup();
    const mci = await createMci(service);
    await service.installApp('demo', 'k3s', { healthWait: FAST_HEALTH });
    const group = await (await context.drivers('aws')).getSecurityGroup(
      Object.values(mci.regions)[0]?.securityGroupId as string,
    );
    expect(group.rules.filter((rule) => rule.cidr.endsWith('/32'))).toEqual([]);
  });
});

describe('MciService after deleteMci', () => {
  it('leaves no app installs, app secrets or private keys of the MCI, and a new MCI of the same name sees no apps', async () => {
    const { context, service } = await setup();
    await createMci(service, 'demo', 1);
    await createMci(service, 'other', 1);
    for (const name of ['demo', 'other']) {
      expect((await service.installApp(name, 'jupyter', { healthWait: FAST_HEALTH })).ok).toBe(true);
      expect((await service.installApp(name, 'nginx', { healthWait: FAST_HEALTH })).ok).toBe(true);
    }
    // A key no region records (as after a crash between the key pair step and the MCI record).
    await service.keys.save('demo.aws+us-east-1', await service.keys.load('demo.aws+ap-northeast-2'));
    // Host keys as SSH records them on first use: a later VM at the same address has another key.
    const hostKeys = new StoreHostKeyStore(context.store);
    const hostKeyAt = (host: string) => ({
      host,
      port: 22,
      algorithm: 'ssh-ed25519',
      publicKey: 'ssh-ed25519 AAAA',
      fingerprint: 'SHA256:x',
      firstSeenAt: new Date().toISOString(),
    });
    const demoAddress = (await service.engine.getMci('demo')).nodes[0]?.publicIp as string;
    const otherAddress = (await service.engine.getMci('other')).nodes[0]?.publicIp as string;
    await hostKeys.recordIfAbsent(hostKeyAt(demoAddress));
    await hostKeys.recordIfAbsent(hostKeyAt(otherAddress));
    const owned = async (name: string) => {
      const ids: string[] = [];
      for (const kind of [APP_INSTALL_KIND, APP_SECRET_KIND, 'node'])
        for (const record of await context.store.list({ namespace: APP_INSTALL_NAMESPACE, kind }))
          if (record.id.startsWith(`${name}/`)) ids.push(`${kind} ${record.id}`);
      for (const record of await context.store.list({ namespace: KEY_VAULT_NAMESPACE, kind: KEY_VAULT_KIND }))
        if (record.id.startsWith(`${name}.`)) ids.push(`key ${record.id}`);
      return ids;
    };
    expect(await owned('demo')).toEqual(
      expect.arrayContaining([
        'app-install demo/jupyter',
        'app-install demo/nginx',
        'app-secret demo/jupyter/web-1/token',
        'key demo.aws+us-east-1',
      ]),
    );
    const { operationId } = await service.engine.deleteMci('demo');
    expect((await service.engine.wait(operationId)).status).toBe('succeeded');
    expect(await owned('demo')).toEqual([]);
    expect(await hostKeys.get(demoAddress, 22)).toBeUndefined();
    expect(await hostKeys.get(otherAddress, 22)).toBeDefined();
    await expect(service.revealAppSecret('demo/jupyter/web-1/token')).rejects.toThrow(/no app secret/);
    // The other MCI keeps its own.
    expect((await service.listApps('other')).map((app) => app.app)).toEqual(['jupyter', 'nginx']);
    expect(await service.revealAppSecret('other/jupyter/web-1/token')).toMatch(/^[0-9a-f]{48}$/);

    await createMci(service, 'demo', 1);
    expect(await service.listApps('demo')).toEqual([]);
    await expect(service.revealAppSecret('demo/jupyter/web-1/token')).rejects.toThrow(/no app secret/);
  });

  it('refuses an install on an MCI that is being deleted', async () => {
    const { service } = await setup();
    await createMci(service, 'demo', 1);
    const { operationId } = await service.engine.deleteMci('demo');
    await expect(service.installApp('demo', 'nginx')).rejects.toMatchObject({ code: 'OPERATION_BUSY' });
    await service.engine.wait(operationId);
    expect(await service.listApps('demo')).toEqual([]);
  });
});

describe('Runtime.mci', () => {
  it('builds the service once, on the runtime sim drivers, and closes it with the runtime', async () => {
    const home = mkdtempSync(join(tmpdir(), 's2a-runtime-mci-'));
    const runtime = await Runtime.open({
      home,
      environment: {},
      sim: { account: 'runtime-mci', timeScale: 0.001, apiLatency: false, rateLimits: false },
    });
    try {
      const service = await runtime.mci();
      expect(await runtime.mci()).toBe(service);
      const { operationId } = await service.engine.createMci({
        name: 'wired',
        nodeGroups: [{ name: 'web', specId: SPEC, size: 1 }],
      });
      expect((await service.engine.wait(operationId)).status).toBe('succeeded');
      const [result] = await service.runCommand('wired', 'nproc', { timeoutMs: 60_000 });
      expect(result).toMatchObject({ nodeId: 'web-1', exitCode: 0, stdout: '2\n' });
      // No S2A_SECRET: the key file was created next to the store.
      expect(statSync(join(home, 'secret.key')).mode & 0o777).toBe(0o600);
    } finally {
      await runtime.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 30_000);
});
