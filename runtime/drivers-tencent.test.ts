import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../drivers/spec/index.ts';
import { TencentDriver } from '../drivers/tencent/tencent-driver.ts';
import { FakeTencent } from '../drivers/tencent/testing/fake-tencent.ts';
import { FAKE_SECRET_ID, FAKE_SECRET_KEY } from '../drivers/tencent/testing/fixtures.ts';
import { Runtime } from './runtime.ts';

describe('tencent connection', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  const open = async (connection: Record<string, unknown>) => {
    const home = mkdtempSync(join(tmpdir(), 's2a-tencent-runtime-'));
    const runtime = await Runtime.open({
      home,
      environment: { S2A_CONNECTIONS: JSON.stringify({ tencent: { driver: 'tencent', ...connection } }) },
    });
    cleanups.push(async () => {
      await runtime.close();
      rmSync(home, { recursive: true, force: true });
    });
    return { runtime, home };
  };

  it('switches tencent from the sim to CVM and VPC by configuration only', async () => {
    const fake = await FakeTencent.start();
    cleanups.push(() => fake.close());
    const { runtime } = await open({
      region: 'ap-seoul',
      endpoints: fake.endpoints,
      credentials: { secretId: FAKE_SECRET_ID, secretKey: FAKE_SECRET_KEY },
    });
    const driver = await runtime.driver('tencent');
    expect(driver).toBeInstanceOf(TencentDriver);
    expect((await driver.listRegions()).map((region) => region.code)).toContain('ap-seoul');
    expect(fake.requestsOf('DescribeRegions')).toHaveLength(1);
    expect((await runtime.driver('aws')).capabilities.driver).toBe('sim');
  });

  it('an MCI on tencent is created, reached and deleted through the engine with nothing but the connection', async () => {
    const fake = await FakeTencent.start();
    cleanups.push(() => fake.close());
    const { runtime } = await open({
      region: 'ap-seoul',
      endpoints: fake.endpoints,
      credentials: { secretId: FAKE_SECRET_ID, secretKey: FAKE_SECRET_KEY },
    });
    const { engine } = await runtime.mci();
    const created = await engine.createMci({
      name: 'tencent-web',
      nodeGroups: [{ name: 'web', specId: 'tencent+ap-seoul+S5.MEDIUM4', size: 2 }],
      ports: [80],
    });
    expect((await engine.wait(created.operationId)).status).toBe('succeeded');
    const mci = await engine.getMci('tencent-web');
    expect(mci.status).toBe('Running:2 (R:2/2)');
    expect(mci.nodes.every((node) => node.publicIp !== null)).toBe(true);
    expect(fake.requestsOf('RunInstances')).toHaveLength(2);
    const deleted = await engine.deleteMci('tencent-web');
    expect((await engine.wait(deleted.operationId)).status).toBe('succeeded');
    // Everything the engine made is gone (the fake holds nothing else).
    const driver = await runtime.driver('tencent');
    const region = { region: 'ap-seoul' };
    expect(await driver.listVms(region)).toEqual([]);
    expect(await driver.listKeyPairs(region)).toEqual([]);
    expect(await driver.listSecurityGroups(region)).toEqual([]);
    expect(await driver.listSubnets(region)).toEqual([]);
    expect(await driver.listVNets(region)).toEqual([]);
  });

  it('a tencent connection without usable credentials opens, and its calls are AuthErrors naming the file to fix', async () => {
    const { runtime } = await open({ credentialsFile: join(tmpdir(), 's2a-missing', 'credentials') });
    const driver = await runtime.driver('tencent');
    const error = await driver.listVNets({ region: 'ap-seoul' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toContain(join(tmpdir(), 's2a-missing', 'credentials'));
  });
});
