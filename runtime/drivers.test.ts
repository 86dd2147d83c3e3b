import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsDriver } from '../drivers/aws/aws-driver.ts';
import { FakeEc2 } from '../drivers/aws/testing/fake-ec2.ts';
import { connectionsFromEnvironment } from './config.ts';
import { DRIVER_FACTORIES } from './drivers.ts';
import { Runtime } from './runtime.ts';

describe('driver registry', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('has a factory for every connection kind', () => {
    expect(Object.keys(DRIVER_FACTORIES).sort()).toEqual(expect.arrayContaining(['aws', 'sim']));
  });

  it('accepts an aws connection with region, profile, endpoint and credentials', () => {
    const connections = connectionsFromEnvironment({
      S2A_CONNECTIONS: JSON.stringify({
        aws: {
          driver: 'aws',
          region: 'ap-northeast-2',
          profile: 'work',
          endpoint: 'http://127.0.0.1:4566',
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        },
      }),
    });
    expect(connections.aws.driver).toBe('aws');
    expect(connections.gcp.driver).toBe('sim');
  });

  it('refuses the aws driver for another provider', () => {
    expect(() => connectionsFromEnvironment({ S2A_CONNECTIONS: '{"gcp":{"driver":"aws"}}' })).toThrow(
      'serves only aws',
    );
  });

  it('switches aws from the sim to EC2 by configuration only', async () => {
    const fake = await FakeEc2.start();
    const home = mkdtempSync(join(tmpdir(), 's2a-drivers-'));
    const connection = {
      driver: 'aws',
      region: 'ap-northeast-2',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' },
      maxAttempts: 1,
    };
    const runtime = await Runtime.open({
      home,
      environment: { S2A_CONNECTIONS: JSON.stringify({ aws: connection }) },
    });
    cleanups.push(async () => {
      await runtime.close();
      await fake.close();
      rmSync(home, { recursive: true, force: true });
    });
    const driver = await runtime.driver('aws');
    expect(driver).toBeInstanceOf(AwsDriver);
    const regions = await driver.listRegions();
    expect(regions.map((region) => region.code)).toContain('ap-northeast-2');
    expect(fake.requestsOf('DescribeRegions')).toHaveLength(1);
    expect((await runtime.driver('gcp')).capabilities.driver).toBe('sim');
  });
});
