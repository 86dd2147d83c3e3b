/**
 * Live smoke test (`npm run smoke:azure`): lists regions, finds Standard_B2s (or
 * S2A_AZURE_SMOKE_SIZE) and an Ubuntu image, creates the VM in a throwaway network, suspends
 * (deallocates) and resumes it, then deletes everything, its resource group included. Runs only
 * with AZURE_SUBSCRIPTION_ID and credentials (AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET,
 * or S2A_AZURE_SMOKE=1 after `az login`); prints "skipped" otherwise. Costs a few cents.
 */
import { waitForVmStatus } from '../spec/index.ts';
import { azureSettings } from './azure-config.ts';
import { AzureDriver } from './azure-driver.ts';

const environment = process.env;
const hasCredentials =
  Boolean(environment.AZURE_CLIENT_ID && environment.AZURE_TENANT_ID && environment.AZURE_CLIENT_SECRET) ||
  environment.S2A_AZURE_SMOKE === '1';
if (!environment.AZURE_SUBSCRIPTION_ID || !hasCredentials) {
  console.log(
    'smoke:azure skipped: set AZURE_SUBSCRIPTION_ID and AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET (or S2A_AZURE_SMOKE=1 after az login) to run it',
  );
  process.exit(0);
}

const region = environment.S2A_AZURE_SMOKE_REGION ?? 'koreacentral';
const size = environment.S2A_AZURE_SMOKE_SIZE ?? 'Standard_B2s';
const run = `s2a-smoke-${Date.now().toString(36)}`;
const tags = { 's2a:mci': run, 's2a:op': run, 's2a:owner': run };
const driver = new AzureDriver(azureSettings({ driver: 'azure' }, environment));
const wait = { timeoutMs: 600_000, pollIntervalMs: 5_000 };
const cleanup: (() => Promise<unknown>)[] = [];

try {
  const regions = await driver.listRegions();
  console.log(`regions: ${regions.length}`);
  const spec = await driver.getSpec(`azure+${region}+${size}`);
  const image = (await driver.listImages({ region, os: 'ubuntu', arch: spec.arch }))[0];
  if (!image) throw new Error(`no Ubuntu ${spec.arch} image listed in ${region}`);
  console.log(`spec ${spec.id} ($${spec.pricePerHour ?? '?'}/h), image ${image.id}`);
  const vNet = await driver.createVNet({ region, name: `${run}-vnet`, cidrBlock: '10.77.0.0/16', tags });
  cleanup.unshift(() => driver.deleteVNet(vNet.id));
  const subnet = await driver.createSubnet({
    vNetId: vNet.id,
    name: `${run}-subnet`,
    cidrBlock: '10.77.1.0/24',
    tags,
  });
  cleanup.unshift(() => driver.deleteSubnet(subnet.id));
  const group = await driver.createSecurityGroup({
    vNetId: vNet.id,
    name: `${run}-sg`,
    rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
    tags,
  });
  cleanup.unshift(() => driver.deleteSecurityGroup(group.id));
  const keyPair = await driver.createKeyPair({ region, name: `${run}-key`, tags });
  cleanup.unshift(() => driver.deleteKeyPair(keyPair.id));
  const vm = await driver.createVm({
    region,
    name: `${run}-vm`,
    specId: spec.id,
    imageId: image.id,
    subnetId: subnet.id,
    securityGroupIds: [group.id],
    keyPairId: keyPair.id,
    tags,
  });
  cleanup.unshift(async () => {
    await driver.terminateVm(vm.id);
    await waitForVmStatus(driver, vm.id, ['Terminated'], wait);
  });
  const running = await waitForVmStatus(driver, vm.id, ['Running'], wait);
  console.log(
    `VM ${running.id} Running at ${running.publicIp} (ssh ${running.username}@${running.publicIp})`,
  );
  await driver.suspendVm(vm.id);
  await waitForVmStatus(driver, vm.id, ['Suspended'], wait);
  console.log('deallocated');
  await driver.resumeVm(vm.id);
  await waitForVmStatus(driver, vm.id, ['Running'], wait);
  console.log('started again');
} finally {
  for (const step of cleanup) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup step failed: ${String(error)}`);
      process.exitCode = 1;
    }
  }
  await driver.close();
}
console.log(process.exitCode ? 'smoke:azure finished with cleanup errors' : 'smoke:azure passed');
