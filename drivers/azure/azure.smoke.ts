/**
 * Live smoke test (`npm run smoke:azure`): lists regions, finds Standard_B2s (or
 * S2A_AZURE_SMOKE_SIZE) and an Ubuntu image, creates the VM in a throwaway network, suspends
 * (deallocates) and resumes it, then deletes everything, its resource group included. Runs only
 * with AZURE_SUBSCRIPTION_ID and credentials (AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_CLIENT_SECRET,
 * or S2A_AZURE_SMOKE=1 after `az login`); prints "skipped" otherwise. Costs a few cents.
 */
import { waitForVmStatus } from '../spec/index.ts';
import { createSmokeVm, runSmoke, skipSmokeUnless } from '../spec/testing/smoke.ts';
import { azureSettings } from './azure-config.ts';
import { AzureDriver } from './azure-driver.ts';

const environment = process.env;
const hasCredentials =
  Boolean(environment.AZURE_CLIENT_ID && environment.AZURE_TENANT_ID && environment.AZURE_CLIENT_SECRET) ||
  environment.S2A_AZURE_SMOKE === '1';
skipSmokeUnless(
  'smoke:azure',
  Boolean(environment.AZURE_SUBSCRIPTION_ID) && hasCredentials,
  'set AZURE_SUBSCRIPTION_ID and AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET (or S2A_AZURE_SMOKE=1 after az login) to run it',
);

const region = environment.S2A_AZURE_SMOKE_REGION ?? 'koreacentral';
const size = environment.S2A_AZURE_SMOKE_SIZE ?? 'Standard_B2s';
const run = `s2a-smoke-${Date.now().toString(36)}`;
const tags = { 's2a:mci': run, 's2a:op': run, 's2a:owner': run };
const driver = new AzureDriver(azureSettings({ driver: 'azure' }, environment));
const wait = { timeoutMs: 600_000, pollIntervalMs: 5_000 };

await runSmoke('smoke:azure', driver, async (undo) => {
  const regions = await driver.listRegions();
  console.log(`regions: ${regions.length}`);
  const spec = await driver.getSpec(`azure+${region}+${size}`);
  const image = (await driver.listImages({ region, os: 'ubuntu', arch: spec.arch }))[0];
  if (!image) throw new Error(`no Ubuntu ${spec.arch} image listed in ${region}`);
  console.log(`spec ${spec.id} ($${spec.pricePerHour ?? '?'}/h), image ${image.id}`);
  const running = await createSmokeVm(
    driver,
    { region, run, cidrBlock: '10.77.0.0/16', specId: spec.id, imageId: image.id, tags, wait },
    undo,
  );
  console.log(
    `VM ${running.id} Running at ${running.publicIp} (ssh ${running.username}@${running.publicIp})`,
  );
  await driver.suspendVm(running.id);
  await waitForVmStatus(driver, running.id, ['Suspended'], wait);
  console.log('deallocated');
  await driver.resumeVm(running.id);
  await waitForVmStatus(driver, running.id, ['Running'], wait);
  console.log('started again');
});
