import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  CapacityError,
  type DriverError,
  InvalidRequestError,
  NotFoundError,
  ProviderError,
  QuotaError,
  ThrottledError,
  VmSchema,
} from '../spec/index.ts';
import type { FaultRuleInput } from './sim-faults.ts';
import {
  createNetworkStack,
  createSimTestContext,
  type SimTestContext,
  TEST_TAGS,
  vmRequest,
} from './testing/sim-test-kit.ts';

let context: SimTestContext;
beforeEach(async () => {
  context = await createSimTestContext();
});
afterEach(async () => {
  await context.dispose();
});

const SEOUL = 'ap-northeast-2';

describe('sim driver: VM lifecycle driven by time', () => {
  it('boots a VM in about 40 s on AWS, scaled by the time scale', async () => {
    const driver = context.driver('aws', { timeScale: 0.5 });
    const stack = await createNetworkStack(driver, SEOUL);
    const vm = await driver.createVm(vmRequest(stack));
    expect(VmSchema.parse(vm).status).toBe('Creating');
    context.clock.advance(19_000);
    expect((await driver.getVm(vm.id)).status).toBe('Creating');
    context.clock.advance(1_000);
    const running = await driver.getVm(vm.id);
    expect(running.status).toBe('Running');
    expect(running.publicIp).toMatch(/^198\.1[89]\./);
    expect(running.privateIp).toBe('10.0.1.4');
    expect(running.zone).toBe(stack.subnet.zone);
  });

  it('keeps the world in the store: a new driver sees the VM and its advanced state', async () => {
    const first = context.driver('aws');
    const stack = await createNetworkStack(first, SEOUL);
    const vm = await first.createVm(vmRequest(stack));
    await first.close();
    context.clock.advance(60_000);
    const second = context.driver('aws');
    expect((await second.getVm(vm.id)).status).toBe('Running');
    expect((await second.listVms({ tags: { 's2a:mci': 'test-mci' } })).map((item) => item.id)).toEqual([
      vm.id,
    ]);
  });

  it('suspends, resumes, reboots and terminates with per-provider latencies', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    const vm = await driver.createVm(vmRequest(stack));
    await expect(driver.suspendVm(vm.id)).rejects.toMatchObject({ code: 'PROVIDER_ERROR', retryable: true });
    context.clock.advance(40_000);
    expect((await driver.suspendVm(vm.id)).status).toBe('Suspending');
    context.clock.advance(30_000);
    const suspended = await driver.getVm(vm.id);
    expect(suspended).toMatchObject({ status: 'Suspended', publicIp: null });
    expect((await driver.resumeVm(vm.id)).status).toBe('Resuming');
    context.clock.advance(30_000);
    expect((await driver.rebootVm(vm.id)).status).toBe('Rebooting');
    context.clock.advance(25_000);
    expect((await driver.getVm(vm.id)).status).toBe('Running');
    expect((await driver.terminateVm(vm.id)).status).toBe('Terminating');
    context.clock.advance(45_000);
    expect((await driver.getVm(vm.id)).status).toBe('Terminated');
    expect((await driver.terminateVm(vm.id)).status).toBe('Terminated');
    await expect(driver.resumeVm(vm.id)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await driver.listVms()).toEqual([]);
    expect(await driver.listVms({ includeTerminated: true })).toHaveLength(1);
  });

  it('returns the same VM for a repeated idempotency key', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    const first = await driver.createVm(vmRequest(stack, { idempotencyKey: 'node-1' }));
    const again = await driver.createVm(vmRequest(stack, { idempotencyKey: 'node-1' }));
    expect(again.id).toBe(first.id);
    expect(await driver.listVms()).toHaveLength(1);
  });
});

describe('sim driver: validation like a real cloud', () => {
  it.each([
    [
      'a spec of another region',
      { specId: 'aws+us-east-1+t3.medium' },
      InvalidRequestError,
      /is in region us-east-1/,
    ],
    ['an unknown spec', { specId: `aws+${SEOUL}+z9.huge` }, InvalidRequestError, /not offered/],
    [
      'an image of another region',
      { imageId: 'aws+us-east-1+ami-0fc5d935ebf8bc3bc' },
      NotFoundError,
      /images are regional/,
    ],
    [
      'an arm64 image on an x86_64 spec',
      { imageId: `aws+${SEOUL}+ami-0f0e0d0c0b0a09081` },
      InvalidRequestError,
      /arm64/,
    ],
    [
      'a GPU spec in a zone that does not offer it',
      { specId: `aws+${SEOUL}+g5.xlarge`, zone: 'ap-northeast-2b' },
      InvalidRequestError,
      /zone/,
    ],
    ['a missing s2a tag', { tags: { 's2a:mci': 'x' } }, InvalidRequestError, /s2a:op/],
    ['an unknown key pair', { keyPairId: `aws+${SEOUL}+key-0000` }, NotFoundError, /key pair/],
  ])('refuses a VM with %s', async (_label, overrides, errorClass, message) => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    const attempt = driver.createVm(vmRequest(stack, overrides));
    await expect(attempt).rejects.toBeInstanceOf(errorClass);
    await expect(attempt).rejects.toThrow(message);
  });

  it('refuses to delete a vNet that still has a subnet, with a retryable dependency error', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    const attempt = driver.deleteVNet(stack.vNet.id);
    await expect(attempt).rejects.toBeInstanceOf(ProviderError);
    await expect(attempt).rejects.toMatchObject({
      retryable: true,
      context: { providerCode: 'DependencyViolation' },
    });
    expect((await driver.getVNet(stack.vNet.id)).id).toBe(stack.vNet.id);
  });

  it('refuses a subnet outside or overlapping its vNet', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    for (const cidrBlock of ['10.1.0.0/24', '10.0.1.128/25']) {
      await expect(
        driver.createSubnet({ vNetId: stack.vNet.id, name: 'other', cidrBlock, tags: TEST_TAGS }),
      ).rejects.toBeInstanceOf(InvalidRequestError);
    }
  });

  it('deletes are idempotent and get after delete is NotFound', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    await driver.deleteKeyPair(stack.keyPair.id);
    await driver.deleteSecurityGroup(stack.group.id);
    await driver.deleteSubnet(stack.subnet.id);
    await driver.deleteVNet(stack.vNet.id);
    await driver.deleteVNet(stack.vNet.id);
    await expect(driver.getVNet(stack.vNet.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('sim driver: limits and faults raise typed errors', () => {
  it.each<[FaultRuleInput['kind'], new (...args: never[]) => DriverError, boolean]>([
    ['capacity', CapacityError, false],
    ['quota', QuotaError, false],
    ['throttle', ThrottledError, true],
    ['auth', AuthError, false],
    ['error', ProviderError, true],
  ])('an injected %s fault raises %o (retryable: %s)', async (kind, errorClass, retryable) => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    await driver.injectFault({ kind, operation: 'createVm', region: SEOUL, times: 1, retryAfterMs: 1500 });
    const error = await driver.createVm(vmRequest(stack)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ retryable, context: { provider: 'aws', operation: 'createVm' } });
    if (error instanceof ThrottledError) expect(error.retryAfterMs).toBe(1500);
    // `times: 1` fired once: the next call goes through.
    expect((await driver.createVm(vmRequest(stack, { name: 'second' }))).status).toBe('Creating');
  });

  it('a timeout fault hangs, fails retryably, and with applied=true the VM exists anyway', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    await driver.injectFault({
      kind: 'timeout',
      operation: 'createVm',
      delayMs: 20,
      applied: true,
      times: 1,
    });
    const error = await driver.createVm(vmRequest(stack)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', retryable: true, details: { applied: true } });
    expect(await driver.listVms({ tags: TEST_TAGS })).toHaveLength(1);
  });

  it('a boot-failure fault leaves the VM Failed with a reason', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    await driver.injectFault({ kind: 'boot-failure', message: 'kernel panic' });
    const vm = await driver.createVm(vmRequest(stack));
    context.clock.advance(60_000);
    expect(await driver.getVm(vm.id)).toMatchObject({ status: 'Failed', statusReason: 'kernel panic' });
  });

  it('faults from configuration fire at their rate, repeatably with a seed', async () => {
    const outcomes = async () => {
      const driver = context.driver('aws', {
        seed: 7,
        faults: [{ kind: 'error', operation: 'listRegions', rate: 0.5 }],
      });
      const results: boolean[] = [];
      for (let call = 0; call < 40; call++)
        results.push(
          await driver.listRegions().then(
            () => true,
            () => false,
          ),
        );
      return results;
    };
    const first = await outcomes();
    expect(first.filter((ok) => !ok).length).toBeGreaterThan(5);
    expect(first.filter((ok) => ok).length).toBeGreaterThan(5);
    expect(await outcomes()).toEqual(first);
  });

  it('throttles past the API rate limit with the time to wait', async () => {
    const driver = context.driver('aws', {
      rateLimits: { aws: { read: { burst: 3, perSecond: 1 }, mutate: { burst: 3, perSecond: 1 } } },
    });
    for (let call = 0; call < 3; call++) await driver.listVms({ region: SEOUL });
    const error = await driver.listVms({ region: SEOUL }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBe(1000);
    context.clock.advance(1000);
    await expect(driver.listVms({ region: SEOUL })).resolves.toEqual([]);
  });

  it('enforces the vCPU quota per region', async () => {
    const driver = context.driver('aws', { quotas: { vcpuPerRegion: 4 } });
    const stack = await createNetworkStack(driver, SEOUL);
    await driver.createVm(vmRequest(stack, { name: 'one' }));
    await driver.createVm(vmRequest(stack, { name: 'two' }));
    const error = await driver
      .createVm(vmRequest(stack, { name: 'three' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuotaError);
    expect(error).toMatchObject({ details: { quota: 'vCPU', limit: 4, used: 4, requested: 2 } });
  });

  it('has finite capacity per zone and spec, and a stopped VM must find room again to resume', async () => {
    const driver = context.driver('aws', {
      capacity: { overrides: [{ spec: 'g5.xlarge', zone: 'ap-northeast-2a', units: 1 }] },
    });
    const stack = await createNetworkStack(driver, SEOUL, 'ap-northeast-2a');
    const request = vmRequest(stack, {
      specId: `aws+${SEOUL}+g5.xlarge`,
      imageId: `aws+${SEOUL}+ami-0123456789abcdef0`,
    });
    const first = await driver.createVm({ ...request, name: 'gpu-1' });
    await expect(driver.createVm({ ...request, name: 'gpu-2' })).rejects.toBeInstanceOf(CapacityError);
    context.clock.advance(60_000);
    await driver.suspendVm(first.id);
    context.clock.advance(60_000);
    const second = await driver.createVm({ ...request, name: 'gpu-2' });
    await expect(driver.resumeVm(first.id)).rejects.toBeInstanceOf(CapacityError);
    await driver.terminateVm(second.id);
    // A terminating VM still holds its host until it is gone.
    await expect(driver.resumeVm(first.id)).rejects.toBeInstanceOf(CapacityError);
    context.clock.advance(60_000);
    expect((await driver.resumeVm(first.id)).status).toBe('Resuming');
  });

  it('places a VM in the next zone when one zone is out (regional subnets)', async () => {
    const driver = context.driver('gcp');
    const vNet = await driver.createVNet({
      region: 'asia-northeast3',
      name: 'net',
      cidrBlock: '10.0.0.0/16',
      tags: TEST_TAGS,
    });
    const subnet = await driver.createSubnet({
      vNetId: vNet.id,
      name: 'subnet',
      cidrBlock: '10.0.0.0/20',
      tags: TEST_TAGS,
    });
    const group = await driver.createSecurityGroup({
      vNetId: vNet.id,
      name: 'ssh',
      rules: [],
      tags: TEST_TAGS,
    });
    const keyPair = await driver.createKeyPair({ region: 'asia-northeast3', name: 'key', tags: TEST_TAGS });
    await driver.injectFault({ kind: 'capacity', zone: 'asia-northeast3-a' });
    const request = {
      region: 'asia-northeast3',
      name: 'web',
      specId: 'gcp+asia-northeast3+e2-medium',
      imageId: 'gcp+asia-northeast3+ubuntu-2204-lts',
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags: TEST_TAGS,
    };
    expect((await driver.createVm(request)).zone).toBe('asia-northeast3-b');
    await expect(
      driver.createVm({ ...request, name: 'pinned', zone: 'asia-northeast3-a' }),
    ).rejects.toBeInstanceOf(CapacityError);
  });
});

describe('sim driver: billing and accounts', () => {
  it('meters compute while running and disk while the VM exists', async () => {
    const driver = context.driver('aws');
    const stack = await createNetworkStack(driver, SEOUL);
    const vm = await driver.createVm(vmRequest(stack, { rootDiskGiB: 73 }));
    context.clock.advance(40_000 + 3_600_000);
    const report = await driver.billing({ tags: { 's2a:mci': 'test-mci' } });
    const line = report.lines.find((item) => item.vmId === vm.id);
    expect(line?.computeHours).toBeCloseTo(1, 6);
    expect(line?.computeCost).toBeCloseTo(0.052, 6);
    // 73 GiB × $0.08/GiB-month × (1 h + 40 s) / 730 h
    expect(line?.diskCost).toBeCloseTo((73 * 0.08 * (3_640_000 / 3_600_000)) / 730, 9);
    expect(report.totals.USD).toBeCloseTo(line?.total ?? 0, 9);
  });

  it('keeps accounts apart', async () => {
    const alice = context.driver('aws', { account: 'alice' });
    const bob = context.driver('aws', { account: 'bob' });
    await createNetworkStack(alice, SEOUL);
    expect(await alice.listVNets()).toHaveLength(1);
    expect(await bob.listVNets()).toHaveLength(0);
  });

  it('generates a usable OpenSSH key pair once and never stores the private key', async () => {
    const driver = context.driver('aws');
    const created = await driver.createKeyPair({ region: SEOUL, name: 'mine', tags: TEST_TAGS });
    expect(created.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(created.publicKey).toMatch(/^ssh-ed25519 AAAA/);
    const fetched = await driver.getKeyPair(created.id);
    expect(fetched).not.toHaveProperty('privateKey');
    expect(
      JSON.stringify(await context.store.list({ namespace: 'sim/default', kind: 'key-pair' })),
    ).not.toContain('PRIVATE KEY');
  });
});

describe('sim driver: idempotency keys', () => {
  it('refuses a reused idempotency key with other parameters', async () => {
    const driver = context.driver('aws');
    await driver.createVNet({
      region: SEOUL,
      name: 'net',
      cidrBlock: '10.0.0.0/16',
      tags: TEST_TAGS,
      idempotencyKey: 'k1',
    });
    await expect(
      driver.createVNet({
        region: SEOUL,
        name: 'net',
        cidrBlock: '10.9.0.0/16',
        tags: TEST_TAGS,
        idempotencyKey: 'k1',
      }),
    ).rejects.toThrow(/IdempotentParameterMismatch/);
  });
});
