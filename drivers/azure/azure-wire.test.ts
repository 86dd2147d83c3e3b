import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, CapacityError, ThrottledError, waitForVmStatus } from '../spec/index.ts';
import { withTempDirectory } from '../spec/testing/temp-directory.ts';
import { createVmNetwork } from '../spec/testing/vm-network.ts';
import { azureSettings } from './azure-config.ts';
import { AzureDriver, type AzureDriverOptions } from './azure-driver.ts';
import { FAKE_TOKEN, FakeArm } from './testing/fake-arm.ts';

const tags = { 's2a:mci': 'web', 's2a:op': 'op-1', 's2a:owner': 'alice' };
const region = 'koreacentral';
const fixedToken = {
  getToken: async () => ({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('AzureDriver on the wire', () => {
  const fake = new FakeArm();
  let driver: AzureDriver;
  let base: AzureDriverOptions;

  beforeAll(async () => {
    const { endpoint, ca } = await fake.start();
    base = {
      subscriptionId: fake.subscriptionId,
      credential: { kind: 'default' },
      tokenCredential: fixedToken,
      endpoint,
      trustedCa: ca,
      prices: 'retail',
      pricesEndpoint: `${endpoint}/api/retail/prices`,
      maxRetries: 0,
      pollIntervalMs: 5,
    };
    driver = new AzureDriver(base);
  });
  afterAll(async () => {
    await driver.close();
    await fake.stop();
  });

  const armRequests = () => fake.requests.filter((request) => request.path.startsWith('/subscriptions/'));

  it('lists physical regions with coordinates and logical zones, sending the bearer token over HTTPS', async () => {
    const regions = await driver.listRegions();
    expect(regions.map((candidate) => candidate.code)).toEqual(['koreacentral', 'westus']);
    expect(regions[0]).toMatchObject({
      latitude: 37.5665,
      longitude: 126.978,
      city: 'Seoul',
      continent: 'Asia',
    });
    expect(regions[0]?.zones.map((zone) => zone.id)).toEqual([
      'azure+koreacentral+1',
      'azure+koreacentral+2',
      'azure+koreacentral+3',
    ]);
    expect(regions[1]?.zones).toEqual([]);
    const locations = armRequests().find((request) => request.path.endsWith('/locations'));
    expect(locations?.query['api-version']).toBe('2022-12-01');
    expect(armRequests().every((request) => request.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
  });

  it('builds specs from resource SKUs (paged, restrictions applied) with Linux retail prices', async () => {
    const specs = await driver.listSpecs({ region });
    const byName = new Map(specs.map((spec) => [spec.name, spec]));
    // Restricted for the subscription in the region: not offered.
    expect(byName.has('Standard_M416ms_v2')).toBe(false);
    // A disk SKU is no VM size.
    expect(byName.has('Premium_LRS')).toBe(false);
    expect(byName.get('Standard_B2s')).toMatchObject({
      vcpu: 2,
      memoryGiB: 4,
      arch: 'x86_64',
      gpu: null,
      pricePerHour: 0.0496,
      spotPricePerHour: 0.0109,
      currency: 'USD',
      zones: ['1', '2', '3'],
    });
    expect(byName.get('Standard_D2ps_v5')?.arch).toBe('arm64');
    // Low Priority is not spot; no spot meter, no spot price.
    expect(byName.get('Standard_D2s_v5')).toMatchObject({ pricePerHour: 0.113, spotPricePerHour: null });
    // Zone 3 restricted: the T4 size is offered in zones 1 and 2.
    expect(byName.get('Standard_NC4as_T4_v3')).toMatchObject({
      zones: ['1', '2'],
      gpu: { model: 'T4', count: 1, memoryGiB: 16, manufacturer: 'NVIDIA' },
    });
    const skuPages = armRequests().filter((request) =>
      request.path.endsWith('/providers/Microsoft.Compute/skus'),
    );
    expect(skuPages.some((request) => request.query.$skiptoken !== undefined)).toBe(true);
    expect(skuPages[0]?.query.$filter).toBe(`location eq '${region}'`);
    const pricePages = fake.requests.filter((request) => request.path === '/api/retail/prices');
    expect(pricePages.length).toBeGreaterThan(1);
    expect(pricePages[0]?.query.$filter).toContain(`armRegionName eq '${region}'`);
  });

  it("covers every region without a region filter, or the connection's regions when it lists some", async () => {
    const everywhere = await driver.listSpecs({ names: ['Standard_B2s'] });
    expect(everywhere.map((spec) => spec.id)).toEqual([
      'azure+koreacentral+Standard_B2s',
      'azure+westus+Standard_B2s',
    ]);
    expect(everywhere[1]).toMatchObject({ pricePerHour: 0.052 });
    expect(everywhere[1]?.zones).toBeUndefined();
    const limited = new AzureDriver({ ...base, regions: ['westus'] });
    try {
      const regions = new Set((await limited.listImages()).map((image) => image.region));
      expect([...regions]).toEqual(['westus']);
    } finally {
      await limited.close();
    }
  });

  it('lists the newest marketplace version of each Ubuntu and Debian offer', async () => {
    const images = await driver.listImages({ region, os: 'ubuntu', arch: 'x86_64' });
    expect(images.map((image) => image.cspImageId).sort()).toEqual([
      'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202406140',
      'Canonical:ubuntu-24_04-lts:server:24.04.202410150',
    ]);
    const listCall = armRequests().find((request) =>
      request.path.toLowerCase().endsWith('/skus/server/versions'),
    );
    expect(listCall?.query).toMatchObject({ $top: '1', $orderby: 'name desc' });
  });

  it('creates a VM in the MCI resource group: SSH key, NSG and subnet on a NIC it owns, tags, polled operation', async () => {
    const vNet = await driver.createVNet({ region, name: 'wire-net', cidrBlock: '10.1.0.0/16', tags });
    expect(vNet.id).toBe(`azure+${region}+s2a-web-${region}/wire-net`);
    expect(fake.resourceGroupNames()).toContain(`s2a-web-${region}`);
    const subnet = await driver.createSubnet({
      vNetId: vNet.id,
      name: 'wire-subnet',
      cidrBlock: '10.1.1.0/24',
      tags,
    });
    const group = await driver.createSecurityGroup({
      vNetId: vNet.id,
      name: 'wire-sg',
      description: 'web',
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
      tags,
    });
    const keyPair = await driver.createKeyPair({ region, name: 'wire-key', tags });
    const vm = await driver.createVm({
      region,
      name: 'wire-vm',
      specId: `azure+${region}+Standard_B2s`,
      imageId: `azure+${region}+Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202406140`,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      userData: '#cloud-config\n',
      tags,
    });
    expect(vm).toMatchObject({
      id: `azure+${region}+s2a-web-${region}/wire-vm`,
      status: 'Running',
      zone: '1',
      username: 'azureuser',
      rootDiskGiB: 30,
      privateIp: '10.1.1.4',
      tags,
    });
    expect(vm.publicIp).toMatch(/^20\.41\./);

    const put = fake.requests.find(
      (request) => request.method === 'PUT' && request.path.endsWith('/virtualMachines/wire-vm'),
    );
    const body = put?.body as {
      zones: string[];
      tags: Record<string, string>;
      properties: Record<string, unknown>;
    };
    expect(body.zones).toEqual(['1']);
    expect(body.tags).toMatchObject({ ...tags, 's2a:subnet': subnet.cspId, 's2a:key-pair': keyPair.cspId });
    expect(body.properties).toMatchObject({
      hardwareProfile: { vmSize: 'Standard_B2s' },
      storageProfile: {
        imageReference: {
          publisher: 'Canonical',
          offer: '0001-com-ubuntu-server-jammy',
          sku: '22_04-lts-gen2',
          version: '22.04.202406140',
        },
        osDisk: { createOption: 'FromImage', diskSizeGB: 30, deleteOption: 'Delete' },
      },
      osProfile: {
        adminUsername: 'azureuser',
        customData: Buffer.from('#cloud-config\n').toString('base64'),
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: { publicKeys: [{ path: '/home/azureuser/.ssh/authorized_keys', keyData: keyPair.publicKey }] },
        },
      },
    });
    const nicConfiguration = (
      body.properties.networkProfile as { networkInterfaceConfigurations: Record<string, unknown>[] }
    ).networkInterfaceConfigurations[0];
    expect(nicConfiguration).toMatchObject({
      name: 'wire-vm-nic',
      properties: {
        deleteOption: 'Delete',
        networkSecurityGroup: { id: expect.stringMatching(/\/networkSecurityGroups\/wire-sg$/) },
        ipConfigurations: [
          {
            properties: {
              subnet: { id: expect.stringMatching(/\/virtualNetworks\/wire-net\/subnets\/wire-subnet$/) },
              publicIPAddressConfiguration: { properties: { deleteOption: 'Delete' } },
            },
          },
        ],
      },
    });
    // The create answered 201 with Azure-AsyncOperation, and the driver polled it to the end.
    expect(
      fake.requests.some((request) =>
        /\/Microsoft\.Compute\/locations\/koreacentral\/operations\//.test(request.path),
      ),
    ).toBe(true);
  });

  it('lists VMs whole even when a statusOnly list answers with instance views alone', async () => {
    const id = `azure+${region}+s2a-web-${region}/wire-vm`;
    const full = await driver.listVms({ region, tags });
    fake.trimStatusOnly = true;
    try {
      const fromTrimmed = await driver.listVms({ region, tags });
      expect(fromTrimmed).toEqual(full);
      expect(fromTrimmed.map((vm) => vm.id)).toEqual([id]);
      expect(fromTrimmed[0]).toMatchObject({ specId: `azure+${region}+Standard_B2s`, status: 'Running' });
    } finally {
      fake.trimStatusOnly = false;
    }
  });

  it('suspends by deallocating and resumes by starting, returning as soon as Azure accepted', async () => {
    const id = `azure+${region}+s2a-web-${region}/wire-vm`;
    const suspending = await driver.suspendVm(id);
    expect(suspending.status).toBe('Suspending');
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: expect.stringMatching(/\/wire-vm\/deallocate$/),
    });
    await waitForVmStatus(driver, id, ['Suspended'], { timeoutMs: 5_000, pollIntervalMs: 10 });
    const resuming = await driver.resumeVm(id);
    expect(resuming.status).toBe('Resuming');
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: expect.stringMatching(/\/wire-vm\/start$/),
    });
    await waitForVmStatus(driver, id, ['Running'], { timeoutMs: 5_000, pollIntervalMs: 10 });
  });

  it('deletes the resource group once its last resource is gone', async () => {
    const group = `s2a-web-${region}`;
    const vmId = `azure+${region}+${group}/wire-vm`;
    await driver.terminateVm(vmId);
    await waitForVmStatus(driver, vmId, ['Terminated'], { timeoutMs: 5_000, pollIntervalMs: 10 });
    await driver.deleteKeyPair(`azure+${region}+${group}/wire-key`);
    await driver.deleteSecurityGroup(`azure+${region}+${group}/wire-sg`);
    await driver.deleteSubnet(`azure+${region}+${group}/wire-net/wire-subnet`);
    expect(fake.resourceGroupNames()).toContain(group);
    await driver.deleteVNet(`azure+${region}+${group}/wire-net`);
    const groupDelete = fake.requests.find(
      (request) =>
        request.method === 'DELETE' && request.path.toLowerCase().endsWith(`/resourcegroups/${group}`),
    );
    expect(groupDelete).toBeDefined();
    await sleep(fake.transitionMs * 3);
    // The fake moves time on when it is asked something.
    await driver.listVNets();
    expect(fake.resourceGroupNames()).not.toContain(group);
  });

  it('a ZonalAllocationFailed operation is a CapacityError, and the Failed VM is deleted', async () => {
    const { subnet, group, keyPair } = await createVmNetwork(driver, {
      region,
      name: 'cap',
      cidrBlock: '10.2.0.0/16',
      tags,
    });
    fake.failNextOperation('PUT', /virtualMachines\/cap-vm$/, 'ZonalAllocationFailed', 'Allocation failed.');
    const request = {
      region,
      name: 'cap-vm',
      specId: `azure+${region}+Standard_B2s`,
      imageId: `azure+${region}+Canonical:ubuntu-24_04-lts:server:24.04.202410150`,
      subnetId: subnet.id,
      securityGroupIds: [group.id],
      keyPairId: keyPair.id,
      tags,
    };
    await expect(
      driver.createVm({ ...request, specId: `azure+${region}+Standard_A1_v2` }),
    ).rejects.toMatchObject({
      issues: [expect.stringMatching(/^imageId: a generation 2 image does not boot/)],
    });
    await expect(driver.createVm(request)).rejects.toBeInstanceOf(CapacityError);
    expect(
      fake.requests.some(
        (entry) => entry.method === 'DELETE' && entry.path.endsWith('/virtualMachines/cap-vm'),
      ),
    ).toBe(true);
    const id = `azure+${region}+s2a-web-${region}/cap-vm`;
    const gone = await waitForVmStatus(driver, id, ['Terminated'], { timeoutMs: 5_000, pollIntervalMs: 10 });
    expect(gone.status).toBe('Terminated');
  });

  it('the same idempotency key with another request, or a name already taken, is an InvalidRequestError', async () => {
    const request = { region, name: 'idem-net', cidrBlock: '10.3.0.0/16', tags, idempotencyKey: 'idem-1' };
    const first = await driver.createVNet(request);
    expect((await driver.createVNet(request)).id).toBe(first.id);
    await expect(driver.createVNet({ ...request, cidrBlock: '10.4.0.0/16' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      issues: [expect.stringMatching(/^idempotencyKey/)],
    });
    // ARM's PUT would update the existing network in place: the driver refuses instead.
    await expect(driver.createVNet({ ...request, idempotencyKey: undefined })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      issues: [expect.stringMatching(/^name: idem-net is taken/)],
    });
    const put = fake.requests.filter(
      (entry) => entry.method === 'PUT' && entry.path.endsWith('/virtualNetworks/idem-net'),
    );
    expect(put).toHaveLength(1);
    await driver.deleteVNet(first.id);
  });

  it('a 429 becomes a ThrottledError carrying Retry-After when SDK retries are off', async () => {
    fake.failNext('GET', /\/virtualNetworks$/, {
      status: 429,
      code: 'TooManyRequests',
      message: 'throttled',
      retryAfterSeconds: 3,
    });
    const error = await driver.listVNets({ region }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBe(3000);
  });

  it('with SDK retries on, a 429 is retried after its Retry-After and the call succeeds', async () => {
    const retrying = new AzureDriver({ ...base, maxRetries: 2 });
    try {
      fake.failNext('GET', /\/virtualNetworks$/, {
        status: 429,
        code: 'TooManyRequests',
        message: 'throttled',
        retryAfterSeconds: 1,
      });
      const started = Date.now();
      const vNets = await retrying.listVNets({ region, tags });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(vNets.map((vNet) => vNet.name)).toEqual(['cap-net']);
    } finally {
      await retrying.close();
    }
  });

  it('a token ARM refuses is an AuthError naming what to set', async () => {
    const refused = new AzureDriver({
      ...base,
      tokenCredential: {
        getToken: async () => ({ token: 'expired', expiresOnTimestamp: Date.now() + 60_000 }),
      },
    });
    try {
      const error = await refused.listVNets().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).message).toMatch(/AZURE_CLIENT_SECRET/);
    } finally {
      await refused.close();
    }
  });

  it('a credential the identity library cannot find is an AuthError naming the variables and az login', async () => {
    const { CredentialUnavailableError } = await import('@azure/identity');
    const missing = new AzureDriver({
      ...base,
      tokenCredential: {
        getToken: async () => {
          throw new CredentialUnavailableError(
            'EnvironmentCredential is unavailable. No underlying credential could be used.',
          );
        },
      },
    });
    try {
      const error = await missing.listRegions().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).message).toMatch(
        /AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/,
      );
      expect((error as AuthError).message).toMatch(/az login/);
    } finally {
      await missing.close();
    }
  });
});

describe('azure connection settings', () => {
  it('S2A_CONNECTIONS switches azure to this driver by configuration only', async () => {
    const { connectionsFromEnvironment } = await import('../../runtime/config.ts');
    const { createDriver } = await import('../../runtime/drivers.ts');
    const environment = {
      S2A_CONNECTIONS:
        '{"azure": {"driver": "azure", "subscriptionId": "sub-1", "regions": ["koreacentral"]}}',
    };
    const connection = connectionsFromEnvironment(environment).azure;
    expect(connection).toEqual({
      driver: 'azure',
      subscriptionId: 'sub-1',
      regions: ['koreacentral'],
      prices: 'retail',
    });
    const driver = await createDriver({
      provider: 'azure',
      connection,
      store: undefined as never,
      simConfig: undefined as never,
      environment,
    });
    expect(driver).toBeInstanceOf(AzureDriver);
    await driver.close();
  });

  it('a connection without a subscription fails at startup with an AuthError naming AZURE_SUBSCRIPTION_ID', async () => {
    const { connectionsFromEnvironment } = await import('../../runtime/config.ts');
    const { createDriver } = await import('../../runtime/drivers.ts');
    const environment = { S2A_CONNECTIONS: '{"azure": {"driver": "azure"}}' };
    const attempt = createDriver({
      provider: 'azure',
      connection: connectionsFromEnvironment(environment).azure,
      store: undefined as never,
      simConfig: undefined as never,
      environment,
    });
    await expect(attempt).rejects.toBeInstanceOf(AuthError);
    await expect(attempt).rejects.toThrow(/AZURE_SUBSCRIPTION_ID/);
  });

  it('takes the subscription from the connection or AZURE_SUBSCRIPTION_ID, and a service principal secret from AZURE_CLIENT_SECRET', () => {
    expect(azureSettings({ driver: 'azure', subscriptionId: 's1' }, {})).toMatchObject({
      subscriptionId: 's1',
      credential: { kind: 'default' },
      prices: 'retail',
    });
    expect(azureSettings({ driver: 'azure' }, { AZURE_SUBSCRIPTION_ID: 's2' }).subscriptionId).toBe('s2');
    const principal = { tenantId: 't', clientId: 'c' };
    expect(
      azureSettings(
        { driver: 'azure', subscriptionId: 's', servicePrincipal: principal },
        { AZURE_CLIENT_SECRET: 'x' },
      ).credential,
    ).toEqual({ kind: 'secret', tenantId: 't', clientId: 'c', clientSecret: 'x' });
    withTempDirectory('s2a-azure-config-', (directory) => {
      const certificatePath = join(directory, 'principal.pem');
      writeFileSync(certificatePath, 'not read by the settings');
      const servicePrincipal = { ...principal, clientCertificatePath: certificatePath };
      expect(
        azureSettings({ driver: 'azure', subscriptionId: 's', servicePrincipal }, {}).credential,
      ).toEqual({
        kind: 'certificate',
        tenantId: 't',
        clientId: 'c',
        certificatePath,
      });
    });
  });

  it('says which variable to set when the subscription or the secret is missing', () => {
    expect(() => azureSettings({ driver: 'azure' }, {})).toThrow(AuthError);
    expect(() => azureSettings({ driver: 'azure' }, {})).toThrow(/AZURE_SUBSCRIPTION_ID/);
    expect(() =>
      azureSettings(
        { driver: 'azure', subscriptionId: 's', servicePrincipal: { tenantId: 't', clientId: 'c' } },
        {},
      ),
    ).toThrow(/AZURE_CLIENT_SECRET/);
    const servicePrincipal = {
      tenantId: 't',
      clientId: 'c',
      clientCertificatePath: '/nonexistent/principal.pem',
    };
    expect(() => azureSettings({ driver: 'azure', subscriptionId: 's', servicePrincipal }, {})).toThrow(
      /clientCertificatePath/,
    );
  });

  it('refuses a misplaced azure driver in S2A_CONNECTIONS', async () => {
    const { connectionsFromEnvironment } = await import('../../runtime/config.ts');
    expect(() =>
      connectionsFromEnvironment({ S2A_CONNECTIONS: '{"gcp": {"driver": "azure", "subscriptionId": "s"}}' }),
    ).toThrow(/serves only azure/);
  });
});
