import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../spec/index.ts';
import { withTempDirectory } from '../spec/testing/temp-directory.ts';
import { createVmNetwork } from '../spec/testing/vm-network.ts';
import { gcpDriverOptions } from './gcp-config.ts';
import { GcpDriver } from './gcp-driver.ts';
import { FakeCompute } from './testing/fake-compute.ts';

const tags = { 's2a:mci': 'web', 's2a:op': 'op-1', 's2a:owner': 'Alice' };

describe('GcpDriver on the wire', () => {
  const fake = new FakeCompute();
  let driver: GcpDriver;

  beforeAll(async () => {
    const port = await fake.start();
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 3_600_000 });
    driver = new GcpDriver({
      projectId: 'wire',
      endpoint: { host: '127.0.0.1', port, protocol: 'http' },
      authClient,
    });
  });
  afterAll(async () => {
    await driver.close();
    await fake.stop();
  });

  it('follows nextPageToken through every page', async () => {
    const regions = await driver.listRegions();
    expect(regions.map((region) => region.code)).toEqual(['asia-northeast3', 'us-central1']);
    expect(regions[0]?.zones.map((zone) => zone.code)).toEqual([
      'asia-northeast3-a',
      'asia-northeast3-b',
      'asia-northeast3-c',
    ]);
    expect(
      fake.requests.some((request) => request.path.endsWith('/zones') && request.query.pageToken === '2'),
    ).toBe(true);
  });

  it('creates a VM with the public key in ssh-keys metadata, labels for tags, the group tag and a waited operation', async () => {
    const region = 'asia-northeast3';
    const { subnet, group, keyPair } = await createVmNetwork(driver, {
      region,
      name: 'wire',
      cidrBlock: '10.1.0.0/16',
      tags,
    });
    const vm = await driver.createVm({
      region,
      name: 'wire-vm',
      specId: `gcp+${region}+e2-small`,
      imageId: `gcp+${region}+ubuntu-2204-jammy-v20240614`,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags,
    });
    expect(vm.id).toBe(`gcp+${region}+asia-northeast3-a/wire-vm`);
    expect(vm.tags).toEqual(tags);
    const instance = fake.instance('asia-northeast3-a', 'wire-vm') as {
      labels: Record<string, string>;
      metadata: { items: { key: string; value: string }[] };
      tags: { items: string[] };
      disks: unknown[];
    };
    expect(instance.labels).toEqual({ 's2a-mci': 'web', 's2a-op': 'op-1', 's2a-owner': '_41lice' });
    expect(instance.metadata.items).toContainEqual({ key: 'ssh-keys', value: `ubuntu:${keyPair.publicKey}` });
    expect(instance.tags.items).toEqual(['wire-sg']);
    const insert = fake.requests.find(
      (request) => request.method === 'POST' && request.path.endsWith('/zones/asia-northeast3-a/instances'),
    );
    expect(insert?.body).toMatchObject({
      machineType: 'zones/asia-northeast3-a/machineTypes/e2-small',
      disks: [
        {
          boot: true,
          initializeParams: {
            sourceImage: 'projects/ubuntu-os-cloud/global/images/ubuntu-2204-jammy-v20240614',
          },
        },
      ],
    });
    expect(
      fake.requests.some(
        (request) =>
          request.path.includes('/zones/asia-northeast3-a/operations/') && request.path.endsWith('/wait'),
      ),
    ).toBe(true);
  });
});

describe('gcp connection settings', () => {
  it('S2A_CONNECTIONS switches gcp to this driver by configuration only', async () => {
    const { connectionsFromEnvironment } = await import('../../runtime/config.ts');
    const { createDriver } = await import('../../runtime/drivers.ts');
    const environment = {
      S2A_CONNECTIONS: '{"gcp": {"driver": "gcp", "projectId": "p", "endpoint": "http://127.0.0.1:9"}}',
    };
    const connection = connectionsFromEnvironment(environment).gcp;
    expect(connection).toEqual({
      driver: 'gcp',
      projectId: 'p',
      endpoint: 'http://127.0.0.1:9',
      prices: 'none',
    });
    const driver = await createDriver({
      provider: 'gcp',
      connection,
      store: undefined as never,
      simConfig: undefined as never,
      environment,
    });
    expect(driver).toBeInstanceOf(GcpDriver);
    await driver.close();
  });

  it('takes the project from the connection, the environment or the key file', () => {
    withTempDirectory('s2a-gcp-config-', (directory) => {
      const keyFile = join(directory, 'key.json');
      writeFileSync(keyFile, JSON.stringify({ type: 'service_account', project_id: 'from-file' }));
      expect(gcpDriverOptions({ driver: 'gcp', projectId: 'p1' }, {}).projectId).toBe('p1');
      expect(gcpDriverOptions({ driver: 'gcp' }, { GOOGLE_CLOUD_PROJECT: 'p2' }).projectId).toBe('p2');
      expect(gcpDriverOptions({ driver: 'gcp', credentialsFile: keyFile }, {})).toMatchObject({
        projectId: 'from-file',
        credentialsFile: keyFile,
      });
      expect(
        gcpDriverOptions({ driver: 'gcp', projectId: 'p', endpoint: 'http://127.0.0.1:8080' }, {}).endpoint,
      ).toEqual({
        host: '127.0.0.1',
        port: 8080,
        protocol: 'http',
      });
    });
  });

  it('says what to set when the project or the key file is missing', () => {
    expect(() => gcpDriverOptions({ driver: 'gcp' }, {})).toThrow(AuthError);
    expect(() => gcpDriverOptions({ driver: 'gcp' }, {})).toThrow(/GOOGLE_CLOUD_PROJECT/);
    expect(() => gcpDriverOptions({ driver: 'gcp', credentialsFile: '/nonexistent/key.json' }, {})).toThrow(
      /credentialsFile/,
    );
  });
});
