import { afterEach, describe, expect, it } from 'vitest';
import { MciEngine } from './engine.ts';
import { createMciTestContext, listS2aResources, type MciTestContext } from './testing/mci-test-kit.ts';

const contexts: MciTestContext[] = [];
const engines: MciEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  for (const context of contexts.splice(0)) await context.dispose();
});

async function setup() {
  const context = await createMciTestContext();
  contexts.push(context);
  const engine = new MciEngine({
    store: context.store,
    drivers: context.drivers,
    keyVault: context.keyVault,
    resolver: context.resolver,
    owner: 'tester',
    pollIntervalMs: 5,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
  });
  engines.push(engine);
  return { context, engine };
}

const PROVIDERS = ['aws', 'gcp', 'ncp'] as const;
const web = { name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size: 3 };

describe('MciEngine create', () => {
  it('creates a multi-provider, multi-region MCI whose nodes are all Running', async () => {
    const { context, engine } = await setup();
    const { operationId } = await engine.createMci({
      name: 'demo',
      nodeGroups: [
        web,
        { name: 'east', specId: 'aws+us-east-1+t3.medium', size: 2 },
        { name: 'db', specId: 'gcp+asia-northeast3+e2-medium', size: 2 },
        { name: 'kr', specId: 'ncp+KR+s2-g3', size: 1 },
      ],
      ports: [80],
    });
    const operation = await engine.wait(operationId);
    expect(operation.status).toBe('succeeded');
    const mci = await engine.getMci('demo');
    expect(mci.status).toBe('Running:8 (R:8/8)');
    expect(Object.keys(mci.regions).sort()).toEqual([
      'aws+ap-northeast-2',
      'aws+us-east-1',
      'gcp+asia-northeast3',
      'ncp+KR',
    ]);
    const view = await engine.getOperation(operationId);
    expect(view.progress.stepsDone).toBe(view.steps.length);
    expect(view.progress.nodesReady).toBe(8);
    // Every key pair's private key went to the vault, under the region's key name.
    expect(context.keyVault.keys.size).toBe(4);
    const vm = await (await context.drivers('aws')).getVm(
      mci.nodes.find((node) => node.provider === 'aws')?.vmId as string,
    );
    expect(vm.tags).toMatchObject({ 's2a:mci': 'demo', 's2a:op': operationId, 's2a:owner': 'tester' });
  });

  it('resolves a node group given as requirements through the SpecResolver', async () => {
    const { engine } = await setup();
    const { operationId } = await engine.createMci({
      name: 'by-need',
      nodeGroups: [{ name: 'any', requirements: { vcpu: 2, memoryGiB: 8, providers: ['ncp'] }, size: 1 }],
    });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    expect((await engine.getMci('by-need')).nodes[0]).toMatchObject({
      specId: 'ncp+KR+s2-g3',
      status: 'Running',
    });
  });

  it('answers the same request again with the first operation, and refuses the name for another request', async () => {
    const { engine } = await setup();
    const request = { name: 'same', nodeGroups: [{ ...web, size: 1 }] };
    const first = await engine.createMci(request);
    const again = await engine.createMci(request);
    expect(again.operationId).toBe(first.operationId);
    await expect(engine.createMci({ ...request, nodeGroups: [{ ...web, size: 2 }] })).rejects.toMatchObject({
      code: 'MCI_EXISTS',
    });
    await engine.wait(first.operationId);
  });

  it('refuses bad requests before anything is created', async () => {
    const { context, engine } = await setup();
    for (const request of [
      { name: 'bad', nodeGroups: [{ ...web, specId: 'aws+ap-northeast-2+nope.large' }] },
      { name: 'bad', nodeGroups: [{ ...web, imageId: 'aws+ap-northeast-2+ami-0f0e0d0c0b0a09081' }] },
      { name: 'bad', nodeGroups: [{ ...web, size: 0 }] },
      { name: 'bad', nodeGroups: [{ ...web, size: 10_000 }] },
      { name: 'bad', nodeGroups: [web, web] },
      { name: 'bad;reboot', nodeGroups: [web] },
    ]) {
      await expect(engine.createMci(request)).rejects.toMatchObject({ code: 'MCI_INVALID_REQUEST' });
    }
    expect(await engine.listMcis()).toEqual([]);
    expect(await listS2aResources(context.drivers, PROVIDERS)).toEqual([]);
  });

  it('moves nodes to another zone when their zone has a capacity outage', async () => {
    const { context, engine } = await setup();
    const aws = await context.drivers('aws');
    await aws.injectFault({
      kind: 'capacity',
      provider: 'aws',
      region: 'ap-northeast-2',
      zone: 'ap-northeast-2a',
      operation: 'createVm',
    });
    const { operationId } = await engine.createMci({ name: 'zones', nodeGroups: [web] });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    const mci = await engine.getMci('zones');
    expect(mci.status).toBe('Running:3 (R:3/3)');
    for (const node of mci.nodes) expect(node.zone).not.toBe('ap-northeast-2a');
    const events = (await engine.getOperation(operationId)).events.map((event) => event.message).join('\n');
    expect(events).toMatch(/trying zone ap-northeast-2b/);
  });

  it('fails a whole region over to another region within the allowed providers', async () => {
    const { context, engine } = await setup();
    const aws = await context.drivers('aws');
    await aws.injectFault({
      kind: 'capacity',
      provider: 'aws',
      region: 'ap-northeast-2',
      operation: 'createVm',
    });
    const { operationId } = await engine.createMci({
      name: 'regions',
      nodeGroups: [web],
      failover: { allowedProviders: ['aws'] },
    });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    const mci = await engine.getMci('regions');
    expect(mci.status).toBe('Running:3 (R:3/3)');
    expect(new Set(mci.nodes.map((node) => node.regionId))).toEqual(new Set(['aws+us-east-1']));
    const events = (await engine.getOperation(operationId)).events.map((event) => event.message).join('\n');
    expect(events).toMatch(/failing over to aws\+us-east-1\+t3.medium/);
  });

  it('rolls everything back when no placement is possible, leaving zero s2a resources in the sim', async () => {
    const { context, engine } = await setup();
    const aws = await context.drivers('aws');
    await aws.injectFault({ kind: 'capacity', provider: 'aws', operation: 'createVm' });
    const { operationId } = await engine.createMci({
      name: 'doomed',
      nodeGroups: [web, { name: 'db', specId: 'gcp+asia-northeast3+e2-medium', size: 2 }],
      failover: { allowedProviders: ['aws'] },
    });
    const operation = await engine.wait(operationId);
    expect(operation.status).toBe('rolled-back');
    expect(operation.errors[0]?.code).toBe('NO_CAPACITY');
    expect(await engine.listMcis()).toEqual([]);
    expect(await listS2aResources(context.drivers, PROVIDERS)).toEqual([]);
    expect((await engine.sweepOrphans()).orphans).toEqual([]);
  });

  it('keeps what worked under onFailure "continue"', async () => {
    const { context, engine } = await setup();
    await (await context.drivers('aws')).injectFault({
      kind: 'capacity',
      provider: 'aws',
      operation: 'createVm',
    });
    const { operationId } = await engine.createMci({
      name: 'partial',
      onFailure: 'continue',
      nodeGroups: [web, { name: 'db', specId: 'gcp+asia-northeast3+e2-medium', size: 2 }],
    });
    expect((await engine.wait(operationId)).status).toBe('failed');
    expect((await engine.getMci('partial')).status).toBe('Partial-Pending:3 (R:2/5 P:3/5)');
  });

  it('makes no duplicate when a create times out after the provider did it: the retry with the same key returns the same VM', async () => {
    const { context, engine } = await setup();
    const aws = await context.drivers('aws');
    await aws.injectFault({
      kind: 'timeout',
      provider: 'aws',
      operation: 'createVm',
      delayMs: 5,
      applied: true,
      times: 2,
    });
    await aws.injectFault({
      kind: 'timeout',
      provider: 'aws',
      operation: 'createVNet',
      delayMs: 5,
      applied: true,
      times: 1,
    });
    const { operationId } = await engine.createMci({ name: 'lost-answers', nodeGroups: [web] });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    expect(await aws.listVms({ tags: { 's2a:mci': 'lost-answers' } })).toHaveLength(3);
    expect(await aws.listVNets({ tags: { 's2a:mci': 'lost-answers' } })).toHaveLength(1);
    expect(engine.statistics.retries).toBeGreaterThanOrEqual(3);
  });

  it('replaces a VM that fails at boot', async () => {
    const { context, engine } = await setup();
    const aws = await context.drivers('aws');
    await aws.injectFault({ kind: 'boot-failure', provider: 'aws', times: 1 });
    const { operationId } = await engine.createMci({ name: 'flaky', nodeGroups: [web] });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    const mci = await engine.getMci('flaky');
    expect(mci.status).toBe('Running:3 (R:3/3)');
    expect(mci.nodes.some((node) => node.generation === 1)).toBe(true);
    // The failed VM was terminated: only the three Running ones remain.
    expect(await aws.listVms({ tags: { 's2a:mci': 'flaky' } })).toHaveLength(3);
  });

  it('retries throttled calls with backoff and still creates every node', async () => {
    const { context, engine } = await setup();
    await (await context.drivers('aws')).injectFault({
      kind: 'throttle',
      provider: 'aws',
      rate: 0.3,
      retryAfterMs: 5,
    });
    const { operationId } = await engine.createMci({ name: 'throttled', nodeGroups: [{ ...web, size: 5 }] });
    expect((await engine.wait(operationId)).status).toBe('succeeded');
    expect(engine.statistics.throttled).toBeGreaterThan(0);
  });
});

describe('MciEngine control, scale, delete, sweep', () => {
  it('suspends and resumes the MCI, reboots one node, scales out and in, then deletes everything', async () => {
    const { context, engine } = await setup();
    const { operationId } = await engine.createMci({ name: 'life', nodeGroups: [{ ...web, size: 2 }] });
    await engine.wait(operationId);

    expect((await engine.wait((await engine.controlMci('life', 'suspend')).operationId)).status).toBe(
      'succeeded',
    );
    expect((await engine.getMci('life')).status).toBe('Suspended:2 (S:2/2)');
    await engine.wait((await engine.controlMci('life', 'resume')).operationId);
    await engine.wait((await engine.controlMci('life', 'reboot', { node: 'web-1' })).operationId);
    expect((await engine.refreshStatus('life', { force: true })).status).toBe('Running:2 (R:2/2)');

    await engine.wait((await engine.scaleMci('life', { addNodes: { group: 'web', count: 2 } })).operationId);
    await engine.wait(
      (
        await engine.scaleMci('life', {
          addGroup: { name: 'db', specId: 'gcp+asia-northeast3+e2-medium', size: 1 },
        })
      ).operationId,
    );
    expect((await engine.getMci('life')).status).toBe('Running:5 (R:5/5)');
    await engine.wait((await engine.scaleMci('life', { removeNodes: ['web-1'] })).operationId);
    expect((await engine.getMci('life')).nodes.map((node) => node.name).sort()).toEqual([
      'db-1',
      'web-2',
      'web-3',
      'web-4',
    ]);

    const deletion = await engine.wait((await engine.deleteMci('life')).operationId);
    expect(deletion.status).toBe('succeeded');
    expect(await engine.listMcis()).toEqual([]);
    expect(await listS2aResources(context.drivers, PROVIDERS)).toEqual([]);
  });

  it('rolls back a scale-out that cannot be placed and keeps the MCI as it was', async () => {
    const { context, engine } = await setup();
    const { operationId } = await engine.createMci({
      name: 'grow',
      onFailure: 'rollback',
      nodeGroups: [{ ...web, size: 2 }],
    });
    await engine.wait(operationId);
    await (await context.drivers('gcp')).injectFault({
      kind: 'capacity',
      provider: 'gcp',
      operation: 'createVm',
    });
    const scale = await engine.wait(
      (
        await engine.scaleMci('grow', {
          addGroup: { name: 'db', specId: 'gcp+asia-northeast3+e2-medium', size: 2 },
        })
      ).operationId,
    );
    expect(scale.status).toBe('rolled-back');
    const mci = await engine.getMci('grow');
    expect(mci.status).toBe('Running:2 (R:2/2)');
    expect(Object.keys(mci.regions)).toEqual(['aws+ap-northeast-2']);
    expect(await listS2aResources(context.drivers, ['gcp'])).toEqual([]);
    await expect(engine.scaleMci('grow', { addNodes: { group: 'nope', count: 1 } })).rejects.toMatchObject({
      code: 'MCI_INVALID_REQUEST',
    });
  });

  it('refuses to delete, scale or control an MCI while another of its operations runs', async () => {
    const { context, engine } = await setup();
    await (await context.drivers('aws')).injectFault({
      kind: 'timeout',
      provider: 'aws',
      operation: 'createVm',
      delayMs: 100,
      applied: true,
      times: 1,
    });
    const { operationId } = await engine.createMci({ name: 'busy', nodeGroups: [{ ...web, size: 1 }] });
    await expect(engine.deleteMci('busy')).rejects.toMatchObject({ code: 'OPERATION_BUSY', retryable: true });
    await expect(engine.controlMci('busy', 'suspend')).rejects.toMatchObject({ code: 'OPERATION_BUSY' });
    const finished = await engine.getOperation((await engine.wait(operationId)).id);
    expect(finished.status, JSON.stringify(finished.events)).toBe('succeeded');
    expect((await engine.wait((await engine.deleteMci('busy')).operationId)).status).toBe('succeeded');
  });

  it('refreshes node statuses sparingly: a stable node is read less and less often', async () => {
    const { context, engine } = await setup();
    const { operationId } = await engine.createMci({ name: 'calm', nodeGroups: [{ ...web, size: 2 }] });
    await engine.wait(operationId);
    const aws = await context.drivers('aws');
    let reads = 0;
    const getVm = aws.getVm.bind(aws);
    aws.getVm = async (id: string) => {
      reads++;
      return getVm(id);
    };
    await engine.refreshStatus('calm', { force: true });
    expect(reads).toBe(2);
    await engine.refreshStatus('calm', { baseIntervalMs: 60_000 });
    expect(reads).toBe(2);
    const view = await engine.refreshStatus('calm', { baseIntervalMs: 0 });
    expect(reads).toBe(4);
    expect(view.nodes.every((node) => (node.stableChecks ?? 0) >= 1)).toBe(true);
  });

  it('stops working on an operation as soon as its lease is taken, and the new holder finishes it', async () => {
    const { context } = await setup();
    const options = {
      store: context.store,
      drivers: context.drivers,
      keyVault: context.keyVault,
      owner: 'tester',
      leaseTtlMs: 90,
      pollIntervalMs: 5,
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
    };
    const first = new MciEngine({ ...options, holderId: 'first' });
    const second = new MciEngine({ ...options, holderId: 'second' });
    engines.push(first, second);
    await (await context.drivers('aws')).injectFault({
      kind: 'timeout',
      provider: 'aws',
      operation: 'createVm',
      delayMs: 300,
      applied: true,
      times: 1,
    });
    const { operationId } = await first.createMci({ name: 'stolen', nodeGroups: [{ ...web, size: 1 }] });
    // Another holder takes the lease (as after an expiry the first one did not notice).
    await context.store.put('mci', 'lease', operationId, {
      operationId,
      holder: 'second',
      expiresAt: Date.now() + 60_000,
      acquiredAt: Date.now(),
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await first.getOperation(operationId)).status).toBe('running');
    await context.store.delete('mci', 'lease', operationId);
    expect(await second.recoverOperations()).toEqual([operationId]);
    const operation = await second.wait(operationId);
    expect(operation.status).toBe('succeeded');
    expect(operation.holders).toEqual(['first', 'second']);
    expect(await (await context.drivers('aws')).listVms({ tags: { 's2a:mci': 'stolen' } })).toHaveLength(1);
  });

  it('finds resources tagged s2a:* that the store does not know, and deletes them when asked', async () => {
    const { context, engine } = await setup();
    const aws = await context.drivers('aws');
    const tags = { 's2a:mci': 'ghost', 's2a:op': 'op-ghost', 's2a:owner': 'tester' };
    const vNet = await aws.createVNet({ region: 'us-east-1', name: 'ghost', cidrBlock: '10.9.0.0/16', tags });
    const { operationId } = await engine.createMci({ name: 'real', nodeGroups: [{ ...web, size: 1 }] });
    await engine.wait(operationId);
    await (await context.drivers('gcp')).createVNet({
      region: 'asia-northeast3',
      name: 'ghost',
      cidrBlock: '10.9.0.0/16',
      tags,
    });

    const dryRun = await engine.sweepOrphans({ providers: ['aws', 'gcp'] });
    expect(dryRun.orphans.map((orphan) => orphan.id)).toContain(vNet.id);
    expect(dryRun.orphans).toHaveLength(2);
    expect(dryRun.deleted).toEqual([]);
    const swept = await engine.sweepOrphans({ dryRun: false, providers: ['aws', 'gcp'] });
    expect(swept.deleted).toHaveLength(2);
    expect((await engine.sweepOrphans({ providers: ['aws', 'gcp'] })).orphans).toEqual([]);
    expect((await engine.getMci('real')).status).toBe('Running:1 (R:1/1)');
  });

  it('cancels a running create and cleans up what it made', async () => {
    const { context, engine } = await setup();
    // Slow boots (timeout faults hang the call) keep the operation running long enough to cancel.
    await (await context.drivers('aws')).injectFault({
      kind: 'timeout',
      provider: 'aws',
      operation: 'createVm',
      delayMs: 200,
      applied: true,
    });
    const { operationId } = await engine.createMci({ name: 'cancelme', nodeGroups: [web] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const operation = await engine.cancelOperation(operationId);
    expect(operation.status).toBe('cancelled');
    expect(await engine.listMcis()).toEqual([]);
    expect(await listS2aResources(context.drivers, PROVIDERS)).toEqual([]);
  });
});
