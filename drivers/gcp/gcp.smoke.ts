/**
 * Live smoke test (`npm run smoke:gcp`): lists regions, finds e2-micro and an Ubuntu image, creates
 * the smallest VM in a throwaway network and deletes everything again. Runs only with GCP
 * credentials (GOOGLE_APPLICATION_CREDENTIALS or S2A_GCP_SMOKE=1 with ADC) and a project
 * (GOOGLE_CLOUD_PROJECT); prints "skipped" otherwise. Costs a few cents.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createSmokeVm, runSmoke, skipSmokeUnless } from '../spec/testing/smoke.ts';
import { gcpDriverOptions } from './gcp-config.ts';
import { GcpDriver } from './gcp-driver.ts';

const environment = process.env;
const adcFile = join(homedir(), '.config', 'gcloud', 'application_default_credentials.json');
const hasCredentials =
  Boolean(environment.GOOGLE_APPLICATION_CREDENTIALS) ||
  (environment.S2A_GCP_SMOKE === '1' && existsSync(adcFile));
const project = environment.GOOGLE_CLOUD_PROJECT ?? environment.GCLOUD_PROJECT;
skipSmokeUnless(
  'smoke:gcp',
  hasCredentials && Boolean(project),
  'set GOOGLE_APPLICATION_CREDENTIALS (or S2A_GCP_SMOKE=1 with gcloud application-default credentials) and GOOGLE_CLOUD_PROJECT to run it',
);

const region = environment.S2A_GCP_SMOKE_REGION ?? 'us-central1';
const run = `s2a-smoke-${Date.now().toString(36)}`;
const tags = { 's2a:mci': run, 's2a:op': run, 's2a:owner': run };
const driver = new GcpDriver(gcpDriverOptions({ driver: 'gcp' }, environment));
const wait = { timeoutMs: 600_000, pollIntervalMs: 5_000 };

await runSmoke('smoke:gcp', driver, async (undo) => {
  const regions = await driver.listRegions();
  console.log(`regions: ${regions.length}`);
  const spec = await driver.getSpec(`gcp+${region}+e2-micro`);
  const image = (await driver.listImages({ region, os: 'ubuntu', arch: 'x86_64' }))[0];
  if (!image) throw new Error(`no Ubuntu image listed for ${region}`);
  console.log(`spec ${spec.id}, image ${image.id}`);
  const running = await createSmokeVm(
    driver,
    { region, run, cidrBlock: '10.99.0.0/16', specId: spec.id, imageId: image.id, tags, wait },
    undo,
  );
  console.log(`VM ${running.id} Running at ${running.publicIp}`);
});
