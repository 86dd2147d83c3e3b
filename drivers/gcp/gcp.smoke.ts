/**
 * Live smoke test (`npm run smoke:gcp`): lists regions, finds e2-micro and an Ubuntu image, creates
 * the smallest VM in a throwaway network and deletes everything again. Runs only with GCP
 * credentials (GOOGLE_APPLICATION_CREDENTIALS or S2A_GCP_SMOKE=1 with ADC) and a project
 * (GOOGLE_CLOUD_PROJECT); prints "skipped" otherwise. Costs a few cents.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gcpDriverOptions } from './gcp-config.ts';
import { GcpDriver } from './gcp-driver.ts';

const environment = process.env;
const adcFile = join(homedir(), '.config', 'gcloud', 'application_default_credentials.json');
const hasCredentials =
  Boolean(environment.GOOGLE_APPLICATION_CREDENTIALS) ||
  (environment.S2A_GCP_SMOKE === '1' && existsSync(adcFile));
const project = environment.GOOGLE_CLOUD_PROJECT ?? environment.GCLOUD_PROJECT;

if (!hasCredentials || !project) {
  console.log(
    'smoke:gcp skipped: set GOOGLE_APPLICATION_CREDENTIALS (or S2A_GCP_SMOKE=1 with gcloud application-default credentials) and GOOGLE_CLOUD_PROJECT to run it',
  );
  process.exit(0);
}

const region = environment.S2A_GCP_SMOKE_REGION ?? 'us-central1';
const run = `s2a-smoke-${Date.now().toString(36)}`;
const tags = { 's2a:mci': run, 's2a:op': run, 's2a:owner': run };
const driver = new GcpDriver(gcpDriverOptions({ driver: 'gcp' }, environment));
const cleanup: (() => Promise<unknown>)[] = [];

async function waitFor(id: string, status: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    if ((await driver.getVm(id)).status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
  throw new Error(`${id} did not become ${status}`);
}

try {
  const regions = await driver.listRegions();
  console.log(`regions: ${regions.length}`);
  const spec = await driver.getSpec(`gcp+${region}+e2-micro`);
  const image = (await driver.listImages({ region, os: 'ubuntu', arch: 'x86_64' }))[0];
  if (!image) throw new Error(`no Ubuntu image listed for ${region}`);
  console.log(`spec ${spec.id}, image ${image.id}`);
  const vNet = await driver.createVNet({ region, name: run, cidrBlock: '10.99.0.0/16', tags });
  cleanup.unshift(() => driver.deleteVNet(vNet.id));
  const subnet = await driver.createSubnet({ vNetId: vNet.id, name: run, cidrBlock: '10.99.1.0/24', tags });
  cleanup.unshift(() => driver.deleteSubnet(subnet.id));
  const group = await driver.createSecurityGroup({
    vNetId: vNet.id,
    name: run,
    rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
    tags,
  });
  cleanup.unshift(() => driver.deleteSecurityGroup(group.id));
  const keyPair = await driver.createKeyPair({ region, name: run, tags });
  cleanup.unshift(() => driver.deleteKeyPair(keyPair.id));
  const vm = await driver.createVm({
    region,
    name: run,
    specId: spec.id,
    imageId: image.id,
    subnetId: subnet.id,
    securityGroupIds: [group.id],
    keyPairId: keyPair.id,
    tags,
  });
  cleanup.unshift(async () => {
    await driver.terminateVm(vm.id);
    await waitFor(vm.id, 'Terminated');
  });
  await waitFor(vm.id, 'Running');
  const running = await driver.getVm(vm.id);
  console.log(`VM ${running.id} Running at ${running.publicIp}`);
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
console.log('smoke:gcp passed');
