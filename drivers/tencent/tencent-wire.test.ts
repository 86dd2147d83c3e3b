import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite-store.ts';
import { AuthError, CapacityError, InvalidRequestError, QuotaError, ThrottledError } from '../spec/index.ts';
import { TencentDriver, type TencentDriverOptions } from './tencent-driver.ts';
import { FakeTencent, type RecordedRequest } from './testing/fake-tencent.ts';
import { FAKE_SECRET_ID, FAKE_SECRET_KEY, UBUNTU_2204_IMAGE } from './testing/fixtures.ts';

const tags = { 's2a:mci': 'wire', 's2a:op': 'op-1', 's2a:owner': 'wire-test' };
const region = 'ap-seoul';
const imageId = `tencent+${region}+${UBUNTU_2204_IMAGE}`;

/** Tags of a recorded request as a record: VPC creates send `Tags`, CVM creates `TagSpecification`. */
function tagsOf(request: RecordedRequest | undefined, resourceType?: string): Record<string, string> {
  const body = request?.body ?? {};
  const list = resourceType
    ? ((body.TagSpecification as { ResourceType: string; Tags: { Key: string; Value: string }[] }[]) ?? [])
        .filter((spec) => spec.ResourceType === resourceType)
        .flatMap((spec) => spec.Tags)
    : ((body.Tags as { Key: string; Value: string }[]) ?? []);
  return Object.fromEntries(list.map((tag) => [tag.Key, tag.Value]));
}

describe('TencentDriver at the wire', () => {
  let fake: FakeTencent;
  const drivers: TencentDriver[] = [];
  const temporary: string[] = [];

  const driverFor = (options: TencentDriverOptions = {}): TencentDriver => {
    const driver = new TencentDriver({
      region,
      endpoints: fake.endpoints,
      credentials: { secretId: FAKE_SECRET_ID, secretKey: FAKE_SECRET_KEY },
      environment: {},
      ...options,
    });
    drivers.push(driver);
    return driver;
  };

  /** A vNet, subnet, SSH-only group and imported key pair in ap-seoul-1. */
  const network = async (driver: TencentDriver, prefix: string) => {
    const vNet = await driver.createVNet({ region, name: `${prefix}-vnet`, cidrBlock: '10.9.0.0/16', tags });
    const subnet = await driver.createSubnet({
      vNetId: vNet.id,
      name: `${prefix}-subnet`,
      cidrBlock: '10.9.1.0/24',
      zone: 'ap-seoul-1',
      tags,
    });
    const group = await driver.createSecurityGroup({
      vNetId: vNet.id,
      name: `${prefix}-sg`,
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
      tags,
    });
    const keyPair = await driver.createKeyPair({ region, name: `${prefix}-key-with-a-long-name`, tags });
    return { vNet, subnet, group, keyPair };
  };

  beforeAll(async () => {
    fake = await FakeTencent.start();
    // Two items a page, so every Describe* call is followed through several pages.
    fake.maxPageSize = 2;
  });
  afterEach(() => fake.clearFailures());
  afterAll(async () => {
    for (const driver of drivers) await driver.close();
    await fake.close();
    for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
  });

  it('signs with TC3-HMAC-SHA256 and sends JSON to POST / with the action and version in headers', async () => {
    await driverFor().listVNets({ region });
    const [request] = fake.requestsOf('DescribeVpcs');
    expect(request?.headers['x-tc-version']).toBe('2017-03-12');
    expect(request?.headers['x-tc-region']).toBe(region);
    expect(request?.headers['x-tc-language']).toBe('en-US');
    expect(request?.headers.authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDfake\w+\/\d{4}-\d{2}-\d{2}\/127\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.scope.date).toBe(new Date().toISOString().slice(0, 10));
    expect(request?.body).toMatchObject({ Offset: '0', Limit: '100' });
  });

  it('listRegions keeps a region whose zones CVM will not describe (UnsupportedRegion), with no zones', async () => {
    fake.failNext('DescribeZones', 'UnsupportedRegion');
    const regions = await driverFor().listRegions();
    expect(regions.map((entry) => entry.code)).toEqual(['ap-seoul', 'ap-singapore', 'ap-tokyo']);
    expect(regions.filter((entry) => entry.zones.length === 0)).toHaveLength(1);
    expect(
      regions.find((entry) => entry.code === 'ap-singapore')?.zones.map((zone) => zone.code),
    ).not.toContain('ap-singapore-1');
  });

  it('a wrong secret key fails the fake signature check and is an AuthError naming where the keys came from', async () => {
    const driver = driverFor({ credentials: { secretId: FAKE_SECRET_ID, secretKey: 'not-the-key' } });
    const error = await driver.listKeyPairs({ region }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).context.providerCode).toBe('AuthFailure.SignatureFailure');
    expect((error as AuthError).message).toContain('"credentials" of the tencent connection');
    expect((error as AuthError).message).not.toContain('not-the-key');
  });

  it('without any credentials nothing is sent and the AuthError says which variable or file to set', async () => {
    const home = mkdtempSync(join(tmpdir(), 's2a-tencent-wire-'));
    temporary.push(home);
    const before = fake.requests.length;
    const driver = driverFor({ credentials: undefined, home, environment: {} });
    const error = await driver.listVNets({ region }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toContain('TENCENTCLOUD_SECRET_ID');
    expect((error as AuthError).message).toContain('~/.tencentcloud/credentials');
    expect(fake.requests.length).toBe(before);
  });

  it('sends CVM actions to the CVM endpoint and VPC actions to the VPC endpoint, with s2a tags on every create', async () => {
    const driver = driverFor();
    const { vNet, subnet, group, keyPair } = await network(driver, 'wire');
    expect(keyPair.privateKey).toContain('PRIVATE KEY');
    const vm = await driver.createVm({
      region,
      name: 'wire-vm',
      specId: `tencent+${region}+S5.MEDIUM4`,
      imageId,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      rootDiskGiB: 60,
      userData: '#cloud-config\n',
      idempotencyKey: 'wire-vm-1',
      tags,
    });
    expect(vm.status).toBe('Creating');
    expect(vm.zone).toBe('ap-seoul-1');

    const expected: [string, 'cvm' | 'vpc', string | undefined][] = [
      ['CreateVpc', 'vpc', undefined],
      ['CreateSubnet', 'vpc', undefined],
      ['CreateSecurityGroup', 'vpc', undefined],
      ['ImportKeyPair', 'cvm', 'keypair'],
      ['RunInstances', 'cvm', 'instance'],
    ];
    for (const [action, service, resourceType] of expected) {
      const [request] = fake.requestsOf(action);
      expect(request?.service, action).toBe(service);
      expect(tagsOf(request, resourceType), action).toMatchObject(tags);
    }
    expect(tagsOf(fake.requestsOf('CreateSecurityGroup')[0])['s2a:vnet']).toBe(vNet.cspId);
    expect(fake.requestsOf('CreateSubnet')[0]?.body).toMatchObject({ VpcId: vNet.cspId, Zone: 'ap-seoul-1' });

    // Key names hold 25 letters, digits and underscores; the s2a name lives in a tag.
    const importKey = fake.requestsOf('ImportKeyPair')[0]?.body ?? {};
    expect(importKey.KeyName).toMatch(/^[A-Za-z0-9_]{1,25}$/);
    expect(importKey.ProjectId).toBe(0);
    expect(keyPair.name).toBe('wire-key-with-a-long-name');

    const run = fake.requestsOf('RunInstances')[0]?.body ?? {};
    expect(run).toMatchObject({
      InstanceChargeType: 'POSTPAID_BY_HOUR',
      Placement: { Zone: 'ap-seoul-1' },
      InstanceType: 'S5.MEDIUM4',
      ImageId: UBUNTU_2204_IMAGE,
      SystemDisk: { DiskSize: 60 },
      VirtualPrivateCloud: { VpcId: vNet.cspId, SubnetId: subnet.cspId },
      InternetAccessible: { PublicIpAssigned: true },
      LoginSettings: { KeyIds: [keyPair.cspId] },
      SecurityGroupIds: [group.cspId],
      ClientToken: 'wire-vm-1',
      UserData: Buffer.from('#cloud-config\n').toString('base64'),
    });

    // Security group rules: one direction per CreateSecurityGroupPolicies call, egress opened.
    const policies = fake.requestsOf('CreateSecurityGroupPolicies').map((request) => request.body);
    expect(policies).toEqual([
      {
        SecurityGroupId: group.cspId,
        SecurityGroupPolicySet: {
          Ingress: [{ Protocol: 'TCP', Port: '22', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
        },
      },
      {
        SecurityGroupId: group.cspId,
        SecurityGroupPolicySet: {
          Egress: [expect.objectContaining({ Protocol: 'ALL', CidrBlock: '0.0.0.0/0' })],
        },
      },
    ]);
    for (const request of fake.requests) {
      expect(request.service, request.action).toBe(
        /Vpc|Subnet|SecurityGroup/.test(request.action) ? 'vpc' : 'cvm',
      );
    }
  });

  it('setSecurityGroupRules replaces the inbound rules in one ModifySecurityGroupPolicies and keeps the egress', async () => {
    const driver = driverFor();
    const { group } = await network(driver, 'rules');
    const updated = await driver.setSecurityGroupRules(group.id, [
      { direction: 'inbound', protocol: 'tcp', fromPort: 8000, toPort: 8080, cidr: '10.0.0.0/8' },
      { direction: 'inbound', protocol: 'icmp', fromPort: null, toPort: null, cidr: '0.0.0.0/0' },
    ]);
    const modify = fake.requestsOf('ModifySecurityGroupPolicies').at(-1)?.body ?? {};
    expect(modify).toMatchObject({
      SecurityGroupId: group.cspId,
      SecurityGroupPolicySet: {
        Version: '2',
        Ingress: [
          { Protocol: 'TCP', Port: '8000-8080', CidrBlock: '10.0.0.0/8' },
          { Protocol: 'ICMP', CidrBlock: '0.0.0.0/0' },
        ],
        Egress: [{ Protocol: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
      },
    });
    expect(updated.rules.filter((rule) => rule.direction === 'inbound')).toEqual([
      { direction: 'inbound', protocol: 'tcp', fromPort: 8000, toPort: 8080, cidr: '10.0.0.0/8' },
      { direction: 'inbound', protocol: 'icmp', fromPort: null, toPort: null, cidr: '0.0.0.0/0' },
    ]);
    expect(updated.rules.some((rule) => rule.direction === 'outbound' && rule.protocol === 'all')).toBe(true);
  });

  it('suspends pay-as-you-go VMs with STOP_CHARGING and spot VMs with KEEP_CHARGING; resume reads the new public IP', async () => {
    const driver = driverFor();
    const { subnet, group, keyPair } = await network(driver, 'stop');
    const request = {
      region,
      specId: `tencent+${region}+S5.SMALL2`,
      imageId,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags,
    };
    const onDemand = await driver.createVm({ ...request, name: 'stop-on-demand' });
    const spot = await driver.createVm({ ...request, name: 'stop-spot', spot: true });
    expect(spot.spot).toBe(true);
    const spotRun = fake.requestsOf('RunInstances').at(-1)?.body ?? {};
    expect(spotRun).toMatchObject({
      InstanceChargeType: 'SPOTPAID',
      InstanceMarketOptions: {
        MarketType: 'spot',
        SpotOptions: { MaxPrice: '0.0202', SpotInstanceType: 'one-time' },
      },
    });
    const running = await driver.getVm(onDemand.id);
    expect(running.status).toBe('Running');
    expect(running.username).toBe('ubuntu');
    await driver.getVm(spot.id);

    await driver.suspendVm(onDemand.id);
    await driver.suspendVm(spot.id);
    const modes = fake
      .requestsOf('StopInstances')
      .map((entry) => [entry.body.InstanceIds, entry.body.StoppedMode]);
    expect(modes).toEqual([
      [[onDemand.cspId], 'STOP_CHARGING'],
      [[spot.cspId], 'KEEP_CHARGING'],
    ]);
    const stopped = await driver.getVm(onDemand.id);
    expect(stopped.status).toBe('Suspended');
    expect(stopped.publicIp).toBeNull();
    const resumed = await driver.resumeVm(onDemand.id);
    expect(['Resuming', 'Running']).toContain(resumed.status);
    const back = await driver.getVm(onDemand.id);
    expect(back.status).toBe('Running');
    expect(back.publicIp).not.toBeNull();
    expect(back.publicIp).not.toBe(running.publicIp);
  });

  it('resuming a running VM or suspending a stopped one succeeds without asking CVM, which would refuse', async () => {
    const driver = driverFor();
    const { subnet, group, keyPair } = await network(driver, 'again');
    const vm = await driver.createVm({
      region,
      name: 'again-vm',
      specId: `tencent+${region}+S5.SMALL2`,
      imageId,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags,
    });
    expect((await driver.getVm(vm.id)).status).toBe('Running');
    const starts = fake.requestsOf('StartInstances').length;
    expect((await driver.resumeVm(vm.id)).status).toBe('Running');
    expect(fake.requestsOf('StartInstances')).toHaveLength(starts);
    await driver.suspendVm(vm.id);
    expect((await driver.getVm(vm.id)).status).toBe('Suspended');
    const stops = fake.requestsOf('StopInstances').length;
    expect((await driver.suspendVm(vm.id)).status).toBe('Suspended');
    expect(fake.requestsOf('StopInstances')).toHaveLength(stops);
  });

  it('when Tencent refuses STOP_CHARGING for an instance, suspendVm stops it with KEEP_CHARGING', async () => {
    const driver = driverFor();
    const { subnet, group, keyPair } = await network(driver, 'keep');
    const vm = await driver.createVm({
      region,
      name: 'keep-vm',
      specId: `tencent+${region}+S5.SMALL2`,
      imageId,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags,
    });
    expect((await driver.getVm(vm.id)).status).toBe('Running');
    const before = fake.requestsOf('StopInstances').length;
    fake.failNext('StopInstances', 'UnsupportedOperation.StoppedModeStopCharging');
    const stopping = await driver.suspendVm(vm.id);
    expect(['Suspending', 'Suspended']).toContain(stopping.status);
    const modes = fake
      .requestsOf('StopInstances')
      .slice(before)
      .map((entry) => entry.body.StoppedMode);
    expect(modes).toEqual(['STOP_CHARGING', 'KEEP_CHARGING']);
  });

  it('generated key pairs are RSA (the documented import format); importing a public key twice is refused', async () => {
    const driver = driverFor();
    const generated = await driver.createKeyPair({ region, name: 'rsa-key', tags });
    expect(generated.publicKey).toMatch(/^ssh-rsa /);
    expect(generated.privateKey).toContain('BEGIN RSA PRIVATE KEY');
    const again = await driver
      .createKeyPair({ region, name: 'rsa-key-again', publicKey: generated.publicKey, tags })
      .catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(InvalidRequestError);
    expect((again as InvalidRequestError).context.providerCode).toBe('InvalidPublicKey.Duplicate');
  });

  it('a terminated VM CVM has forgotten stays readable as Terminated, also for a restarted driver with the store', async () => {
    const folder = mkdtempSync(join(tmpdir(), 's2a-tencent-store-'));
    temporary.push(folder);
    const store = await SqliteStore.open({ file: join(folder, 's2a.db') });
    try {
      const driver = driverFor({ store });
      const { subnet, group, keyPair } = await network(driver, 'gone');
      const vm = await driver.createVm({
        region,
        name: 'gone-vm',
        specId: `tencent+${region}+S5.SMALL2`,
        imageId,
        subnetId: subnet.id,
        securityGroupIds: [group.id],
        keyPairId: keyPair.id,
        tags: { ...tags, 's2a:mci': 'gone' },
      });
      await driver.terminateVm(vm.id);
      await driver.listVms({ region });
      expect(fake.instanceStates(region)[vm.cspId]).toBeUndefined();

      const restarted = driverFor({ store });
      const terminated = await restarted.getVm(vm.id);
      expect(terminated.status).toBe('Terminated');
      expect(terminated.name).toBe('gone-vm');
      const filter = { region, tags: { 's2a:mci': 'gone' } };
      expect(await restarted.listVms(filter)).toEqual([]);
      expect(
        (await restarted.listVms({ ...filter, includeTerminated: true })).map((entry) => entry.id),
      ).toEqual([vm.id]);
      expect((await restarted.terminateVm(vm.id)).status).toBe('Terminated');
      // CVM may answer a forgotten instance with InvalidInstanceId.NotFound instead of an empty set.
      fake.failNext('DescribeInstances', 'InvalidInstanceId.NotFound');
      expect((await restarted.getVm(vm.id)).status).toBe('Terminated');
    } finally {
      await store.close();
    }
  });

  it('follows Offset/Limit through pages: VPC as strings, CVM as numbers', async () => {
    const driver = driverFor();
    const before = fake.requestsOf('DescribeImages').length;
    const images = await driver.listImages({ region });
    const pages = fake.requestsOf('DescribeImages').slice(before);
    expect(pages.map((request) => request.body.Offset)).toEqual([0, 2, 4]);
    expect(images.map((image) => image.cspImageId)).toContain(UBUNTU_2204_IMAGE);
    expect(images.some((image) => image.arch === 'arm64')).toBe(true);
    // The i386 image is not a spec image.
    expect(images).toHaveLength(5);
  });

  it('reads specs and prices per zone from DescribeZoneInstanceConfigInfos, spot prices from SPOTPAID', async () => {
    const driver = driverFor();
    const specs = await driver.listSpecs({ region });
    const chargeTypes = fake
      .requestsOf('DescribeZoneInstanceConfigInfos')
      .map((request) => (request.body.Filters as { Values: string[] }[])[0]?.Values[0]);
    expect(chargeTypes).toEqual(expect.arrayContaining(['POSTPAID_BY_HOUR', 'SPOTPAID']));
    const medium = specs.find((spec) => spec.name === 'S5.MEDIUM4');
    expect(medium).toMatchObject({
      vcpu: 2,
      memoryGiB: 4,
      arch: 'x86_64',
      pricePerHour: 0.0404,
      spotPricePerHour: 0.0082,
      currency: 'USD',
      zones: ['ap-seoul-1', 'ap-seoul-2'],
    });
    // Sold out in one zone, sold in the other: only the selling zone is listed.
    expect(specs.find((spec) => spec.name === 'GN7.2XLARGE32')).toMatchObject({
      zones: ['ap-seoul-1'],
      gpu: { model: 'T4', count: 1, memoryGiB: 16, manufacturer: 'NVIDIA' },
    });
    expect(specs.find((spec) => spec.name === 'SR1.MEDIUM4')?.arch).toBe('arm64');
  });

  it("user data beyond RunInstances' 16 KB is an InvalidRequestError naming userData, and nothing is launched", async () => {
    const driver = driverFor();
    const { subnet, group, keyPair } = await network(driver, 'userdata');
    const launches = fake.requestsOf('RunInstances').length;
    const error = await driver
      .createVm({
        region,
        name: 'userdata-vm',
        specId: `tencent+${region}+S5.SMALL2`,
        imageId,
        subnetId: subnet.id,
        securityGroupIds: [group.id],
        keyPairId: keyPair.id,
        userData: 'x'.repeat(13_000),
        tags,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.join('; ')).toContain('userData');
    expect(fake.requestsOf('RunInstances')).toHaveLength(launches);
  });

  it('a type sold out in the subnet zone fails at RunInstances as a CapacityError the engine can fail over on', async () => {
    const driver = driverFor();
    const { subnet, group, keyPair } = await network(driver, 'soldout');
    const spec = await driver.getSpec(`tencent+${region}+SA5.MEDIUM4`);
    expect(spec.zones).toEqual(['ap-seoul-2']);
    const error = await driver
      .createVm({
        region,
        name: 'soldout-vm',
        specId: spec.id,
        imageId,
        subnetId: subnet.id,
        securityGroupIds: [group.id],
        keyPairId: keyPair.id,
        tags,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CapacityError);
    expect((error as CapacityError).context).toMatchObject({
      providerCode: 'ResourcesSoldOut.SpecifiedInstanceType',
      operation: 'createVm',
    });
  });

  it.each([
    ['RunInstances', 'ResourceInsufficient.SpecifiedInstanceType', CapacityError],
    ['RunInstances', 'LimitExceeded.SpotQuota', QuotaError],
    ['DescribeVpcs', 'RequestLimitExceeded.UinLimitExceeded', ThrottledError],
    ['DescribeVpcs', 'AuthFailure.SecretIdNotFound', AuthError],
  ] as const)('a %s answer with %s reaches the caller as %o', async (action, code, expected) => {
    const driver = driverFor();
    const call =
      action === 'DescribeVpcs'
        ? () => driver.listVNets({ region })
        : async () => {
            const { subnet, group, keyPair } = await network(driver, `fail-${code.length}`);
            fake.failNext(action, code);
            return driver.createVm({
              region,
              name: 'fail-vm',
              specId: `tencent+${region}+S5.SMALL2`,
              imageId,
              subnetId: subnet.id,
              securityGroupIds: [group.id],
              keyPairId: keyPair.id,
              tags,
            });
          };
    if (action === 'DescribeVpcs') fake.failNext(action, code);
    const error = await call().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(expected);
    expect((error as InstanceType<typeof expected>).context.providerCode).toBe(code);
  });
});
