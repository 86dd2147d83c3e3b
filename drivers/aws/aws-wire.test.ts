import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../spec/index.ts';
import { AwsDriver } from './aws-driver.ts';
import { FakeEc2, listParam, structParam } from './testing/fake-ec2.ts';

const tags = { 's2a:mci': 'wire', 's2a:op': 'op-1', 's2a:owner': 'wire-test' };

/** Tags of one TagSpecification of a recorded request, as a record. */
function taggedWith(params: Map<string, string>, resourceType: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const spec of structParam(params, 'TagSpecification')) {
    if (spec.get('ResourceType') !== resourceType) continue;
    for (let index = 1; spec.has(`Tag.${index}.Key`); index++) {
      record[spec.get(`Tag.${index}.Key`) ?? ''] = spec.get(`Tag.${index}.Value`) ?? '';
    }
  }
  return record;
}

describe('AwsDriver at the wire', () => {
  let fake: FakeEc2;
  let driver: AwsDriver;

  beforeAll(async () => {
    fake = await FakeEc2.start();
    driver = new AwsDriver({
      region: 'ap-northeast-2',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
      maxAttempts: 1,
      environment: {},
    });
  });
  afterAll(async () => {
    await driver.close();
    await fake.close();
  });

  it('signs with SigV4 for the region and sends form-encoded EC2 actions', async () => {
    await driver.listVNets({ region: 'ap-northeast-2' });
    const [request] = fake.requestsOf('DescribeVpcs');
    expect(request?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-northeast-2\/ec2\//,
    );
    expect(request?.region).toBe('ap-northeast-2');
    expect(request?.params.get('Version')).toBe('2016-11-15');
  });

  it('creates every resource with its s2a tags in TagSpecifications', async () => {
    const vNet = await driver.createVNet({
      region: 'ap-northeast-2',
      name: 'wire-vnet',
      cidrBlock: '10.9.0.0/16',
      tags,
    });
    const subnet = await driver.createSubnet({
      vNetId: vNet.id,
      name: 'wire-subnet',
      cidrBlock: '10.9.1.0/24',
      zone: 'ap-northeast-2b',
      tags,
    });
    const group = await driver.createSecurityGroup({
      vNetId: vNet.id,
      name: 'wire-sg',
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
      tags,
    });
    const keyPair = await driver.createKeyPair({ region: 'ap-northeast-2', name: 'wire-key', tags });
    expect(keyPair.privateKey).toContain('PRIVATE KEY');
    const vm = await driver.createVm({
      region: 'ap-northeast-2',
      name: 'wire-vm',
      specId: 'aws+ap-northeast-2+t3.micro',
      imageId: 'aws+ap-northeast-2+ami-0c9c942bd7bf113a2',
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      rootDiskGiB: 20,
      spot: true,
      idempotencyKey: 'wire-vm-1',
      tags,
    });
    expect(vm.status).toBe('Creating');
    expect(vm.spot).toBe(true);

    const expectations: [string, string][] = [
      ['CreateVpc', 'vpc'],
      ['CreateSubnet', 'subnet'],
      ['CreateSecurityGroup', 'security-group'],
      ['ImportKeyPair', 'key-pair'],
      ['RunInstances', 'instance'],
      ['RunInstances', 'volume'],
    ];
    for (const [action, resourceType] of expectations) {
      const [request] = fake.requestsOf(action);
      expect(request, action).toBeDefined();
      expect(
        taggedWith(request?.params ?? new Map(), resourceType),
        `${action} ${resourceType}`,
      ).toMatchObject(tags);
    }
    // The new VPC gets a way out: an attached internet gateway and a default route to it.
    expect(fake.requestsOf('AttachInternetGateway')[0]?.params.get('VpcId')).toBe(vNet.cspId);
    expect(fake.requestsOf('CreateRoute')[0]?.params.get('DestinationCidrBlock')).toBe('0.0.0.0/0');
    const run = fake.requestsOf('RunInstances')[0]?.params ?? new Map<string, string>();
    expect(run.get('InstanceType')).toBe('t3.micro');
    expect(run.get('ClientToken')).toBe('wire-vm-1');
    expect(run.get('InstanceMarketOptions.MarketType')).toBe('spot');
    expect(run.get('BlockDeviceMapping.1.Ebs.VolumeSize')).toBe('20');
    expect(run.get('NetworkInterface.1.AssociatePublicIpAddress')).toBe('true');
    const ingress = fake.requestsOf('AuthorizeSecurityGroupIngress')[0]?.params ?? new Map<string, string>();
    expect(ingress.get('IpPermissions.1.IpProtocol')).toBe('tcp');
    expect(ingress.get('IpPermissions.1.IpRanges.1.CidrIp')).toBe('0.0.0.0/0');

    await driver.setSecurityGroupRules(group.id, []);
    const revoke = fake.requestsOf('RevokeSecurityGroupIngress')[0]?.params ?? new Map<string, string>();
    expect(revoke.get('IpPermissions.1.FromPort')).toBe('22');

    await driver.suspendVm((await driver.getVm(vm.id)).id);
    expect(listParam(fake.requestsOf('StopInstances')[0]?.params ?? new Map(), 'InstanceId')).toEqual([
      vm.cspId,
    ]);
    const listed = await driver.listVms({ region: 'ap-northeast-2', tags: { 's2a:owner': 'wire-test' } });
    expect(listed.map((entry) => entry.id)).toEqual([vm.id]);
    const filter = structParam(fake.requestsOf('DescribeInstances').at(-1)?.params ?? new Map(), 'Filter');
    expect(filter[0]?.get('Name')).toBe('tag:s2a:owner');
  });

  it('follows NextToken through DescribeInstanceTypes pages', async () => {
    const fresh = new AwsDriver({
      region: 'ap-northeast-1',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
      maxAttempts: 1,
      environment: {},
    });
    const before = fake.requestsOf('DescribeInstanceTypes').length;
    const specs = await fresh.listSpecs({ region: 'ap-northeast-1' });
    await fresh.close();
    expect(fake.requestsOf('DescribeInstanceTypes').length - before).toBeGreaterThan(1);
    const g5 = specs.find((spec) => spec.name === 'g5.xlarge');
    expect(g5?.gpu).toEqual({ model: 'A10G', count: 1, memoryGiB: 24, manufacturer: 'NVIDIA' });
    expect(specs.find((spec) => spec.name === 't4g.small')?.arch).toBe('arm64');
    expect(specs.every((spec) => spec.pricePerHour === null)).toBe(true);
  });

  it('uses the Price List fetcher when one is configured', async () => {
    const priced = new AwsDriver({
      region: 'ap-northeast-2',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
      maxAttempts: 1,
      environment: {},
      priceFetcher: async () => new Map([['t3.micro', { pricePerHour: 0.013, spotPricePerHour: null }]]),
    });
    const [spec] = await priced.listSpecs({ region: 'ap-northeast-2', names: ['t3.micro'] });
    await priced.close();
    expect(spec?.pricePerHour).toBe(0.013);
  });

  it('an AuthFailure answer is an AuthError', async () => {
    fake.failNext('DescribeKeyPairs', 'AuthFailure');
    await expect(driver.listKeyPairs({ region: 'ap-northeast-2' })).rejects.toBeInstanceOf(AuthError);
  });
});
