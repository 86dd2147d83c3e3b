import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, InvalidRequestError, ThrottledError } from '../spec/index.ts';
import { AwsDriver, type AwsDriverOptions } from './aws-driver.ts';
import { FakeEc2 } from './testing/fake-ec2.ts';
import { FakePricing } from './testing/fake-pricing.ts';

const tags = { 's2a:mci': 'catalog', 's2a:op': 'op-1', 's2a:owner': 'catalog-test' };
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' };

describe('AWS catalog fetching at the wire', () => {
  let ec2: FakeEc2;
  let pricing: FakePricing;
  const drivers: AwsDriver[] = [];

  /** A fresh driver (its own spec and price caches) on both fakes. */
  const driverWith = (options: Partial<AwsDriverOptions> = {}) => {
    const driver = new AwsDriver({
      region: 'ap-northeast-2',
      endpoint: ec2.endpoint,
      pricingEndpoint: pricing.endpoint,
      credentials,
      maxAttempts: 1,
      environment: {},
      ...options,
    });
    drivers.push(driver);
    return driver;
  };

  beforeAll(async () => {
    ec2 = await FakeEc2.start();
    pricing = await FakePricing.start();
  });
  afterEach(async () => {
    for (const driver of drivers.splice(0)) await driver.close();
  });
  afterAll(async () => {
    await ec2.close();
    await pricing.close();
  });

  it('lists only the instance types offered in the region, with the zones that offer them', async () => {
    const before = ec2.requestsOf('DescribeInstanceTypeOfferings').length;
    const tokyo = await driverWith().listSpecs({ region: 'ap-northeast-1' });
    const seoul = await driverWith().listSpecs({ region: 'ap-northeast-2' });
    expect(tokyo.map((spec) => spec.name)).not.toContain('inf2.xlarge');
    expect(tokyo.map((spec) => spec.name)).toContain('g5.xlarge');
    expect(seoul.find((spec) => spec.name === 'g5.xlarge')?.zones).toEqual([
      'ap-northeast-2a',
      'ap-northeast-2b',
    ]);
    expect(seoul.find((spec) => spec.name === 't3.micro')?.zones).toEqual([
      'ap-northeast-2a',
      'ap-northeast-2b',
      'ap-northeast-2c',
    ]);
    const requests = ec2.requestsOf('DescribeInstanceTypeOfferings').slice(before);
    expect(requests[0]?.params.get('LocationType')).toBe('availability-zone');
    // The fake answers 3 offerings a page: every page was followed.
    expect(requests.filter((request) => request.region === 'ap-northeast-2').length).toBeGreaterThan(1);
  });

  it('refuses a VM in a zone its instance type is not offered in, before RunInstances', async () => {
    const driver = driverWith();
    const vNet = await driver.createVNet({
      region: 'ap-northeast-2',
      name: 'zone-vnet',
      cidrBlock: '10.7.0.0/16',
      tags,
    });
    const subnet = await driver.createSubnet({
      vNetId: vNet.id,
      name: 'zone-subnet',
      cidrBlock: '10.7.3.0/24',
      zone: 'ap-northeast-2c',
      tags,
    });
    const group = await driver.createSecurityGroup({ vNetId: vNet.id, name: 'zone-sg', rules: [], tags });
    const keyPair = await driver.createKeyPair({ region: 'ap-northeast-2', name: 'zone-key', tags });
    const launches = ec2.requestsOf('RunInstances').length;
    const attempt = driver.createVm({
      region: 'ap-northeast-2',
      name: 'zone-vm',
      specId: 'aws+ap-northeast-2+g5.xlarge',
      imageId: 'aws+ap-northeast-2+ami-0c9c942bd7bf113a2',
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags,
    });
    await expect(attempt).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(attempt).rejects.toThrow(/ap-northeast-2a, ap-northeast-2b/);
    expect(ec2.requestsOf('RunInstances').length).toBe(launches);
  });

  it('prices specs from Price List GetProducts: Linux, shared tenancy, every page', async () => {
    const before = pricing.requests.length;
    const specs = await driverWith({ prices: 'price-list' }).listSpecs({ region: 'ap-northeast-2' });
    const price = (name: string) => specs.find((spec) => spec.name === name)?.pricePerHour;
    // The fixtures also hold Windows, dedicated and unused-reservation rows for these types.
    expect(price('t3.micro')).toBe(0.013);
    expect(price('t3.small')).toBe(0.026);
    expect(price('m5.large')).toBe(0.118);
    expect(price('g5.xlarge')).toBe(1.208);
    expect(specs.every((spec) => spec.spotPricePerHour === null)).toBe(true);

    const requests = pricing.requests.slice(before);
    // 7 products at 3 a page.
    expect(requests.length).toBe(3);
    expect(requests[1]?.body.NextToken).toBeDefined();
    const [first] = requests;
    expect(first?.target).toBe('AWSPriceListService.GetProducts');
    // The Price List API is served from us-east-1 whatever region is priced.
    expect(first?.region).toBe('us-east-1');
    expect(first?.body.ServiceCode).toBe('AmazonEC2');
    expect(
      Object.fromEntries((first?.body.Filters ?? []).map((filter) => [filter.Field, filter.Value])),
    ).toEqual({
      regionCode: 'ap-northeast-2',
      operatingSystem: 'Linux',
      tenancy: 'Shared',
      preInstalledSw: 'NA',
      capacitystatus: 'Used',
      licenseModel: 'No License required',
    });
  });

  it('fetches a region prices once per driver and leaves unpriced types null', async () => {
    const driver = driverWith({ prices: 'price-list' });
    const before = pricing.requests.length;
    const specs = await driver.listSpecs({ region: 'us-east-1' });
    await driver.getSpec('aws+us-east-1+t3.micro');
    expect(pricing.requests.length - before).toBe(1);
    expect(specs.find((spec) => spec.name === 't3.micro')?.pricePerHour).toBe(0.0104);
    expect(specs.find((spec) => spec.name === 'm5.large')?.pricePerHour).toBeNull();
  });

  it('sends nothing to the Price List API when prices are "none"', async () => {
    const before = pricing.requests.length;
    const specs = await driverWith().listSpecs({ region: 'ap-northeast-2' });
    expect(pricing.requests.length).toBe(before);
    expect(specs.every((spec) => spec.pricePerHour === null)).toBe(true);
  });

  it.each([
    ['ThrottlingException', 'ThrottledError', ThrottledError],
    ['AccessDeniedException', 'AuthError', AuthError],
  ] as const)('a Price List %s is a %s, and the next call fetches again', async (type, _name, errorClass) => {
    const driver = driverWith({ prices: 'price-list' });
    pricing.failNext(type);
    await expect(driver.listSpecs({ region: 'ap-northeast-2' })).rejects.toBeInstanceOf(errorClass);
    const specs = await driver.listSpecs({ region: 'ap-northeast-2' });
    expect(specs.find((spec) => spec.name === 't3.micro')?.pricePerHour).toBe(0.013);
  });
});

describe('aws connection with prices', () => {
  it('S2A_CONNECTIONS takes prices and pricingEndpoint', async () => {
    const { connectionsFromEnvironment } = await import('../../runtime/config.ts');
    const connection = connectionsFromEnvironment({
      S2A_CONNECTIONS: JSON.stringify({
        aws: { driver: 'aws', prices: 'price-list', pricingEndpoint: 'http://127.0.0.1:9' },
      }),
    }).aws;
    expect(connection).toMatchObject({ prices: 'price-list', pricingEndpoint: 'http://127.0.0.1:9' });
  });
});
