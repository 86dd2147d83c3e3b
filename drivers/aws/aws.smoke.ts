// Live smoke test: creates and removes the smallest VM on a real AWS account, when credentials
// are present (`npm run smoke:aws`). Costs a few cents. Skipped otherwise.
import { waitForVmStatus } from '../spec/index.ts';
import { AwsDriver } from './aws-driver.ts';

const environment = process.env;
if (!environment.AWS_ACCESS_KEY_ID && !environment.AWS_PROFILE) {
  console.log('smoke:aws skipped: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE to run it');
  process.exit(0);
}

const region = environment.AWS_REGION ?? environment.AWS_DEFAULT_REGION ?? 'us-east-1';
const run = `smoke-${Date.now().toString(36)}`;
const tags = { 's2a:mci': run, 's2a:op': run, 's2a:owner': run };
const driver = new AwsDriver({ region, environment });
const wait = { timeoutMs: 300_000, pollIntervalMs: 5_000 };
const created: { vm?: string; key?: string; group?: string; subnet?: string; vNet?: string } = {};

try {
  const [image] = await driver.listImages({ region, os: 'ubuntu', arch: 'x86_64' });
  if (!image) throw new Error(`no official Ubuntu x86_64 image listed in ${region}`);
  const zone = (await driver.listRegions()).find((entry) => entry.code === region)?.zones[0]?.code;
  const vNet = await driver.createVNet({ region, name: `${run}-vnet`, cidrBlock: '10.77.0.0/16', tags });
  created.vNet = vNet.id;
  const subnet = await driver.createSubnet({
    vNetId: vNet.id,
    name: `${run}-subnet`,
    cidrBlock: '10.77.1.0/24',
    ...(zone ? { zone } : {}),
    tags,
  });
  created.subnet = subnet.id;
  const group = await driver.createSecurityGroup({ vNetId: vNet.id, name: `${run}-sg`, rules: [], tags });
  created.group = group.id;
  const key = await driver.createKeyPair({ region, name: `${run}-key`, tags });
  created.key = key.id;
  const vm = await driver.createVm({
    region,
    name: `${run}-vm`,
    specId: `aws+${region}+t3.micro`,
    imageId: image.id,
    subnetId: subnet.id,
    securityGroupIds: [group.id],
    keyPairId: key.id,
    tags,
  });
  created.vm = vm.id;
  const running = await waitForVmStatus(driver, vm.id, ['Running'], wait);
  console.log(`smoke:aws ${vm.id} Running at ${running.publicIp ?? 'no public IP'} (${running.privateIp})`);
} finally {
  // Remove in dependency order, whatever failed above.
  if (created.vm) {
    await driver.terminateVm(created.vm);
    await waitForVmStatus(driver, created.vm, ['Terminated'], wait);
  }
  if (created.key) await driver.deleteKeyPair(created.key);
  if (created.group) await driver.deleteSecurityGroup(created.group);
  if (created.subnet) await driver.deleteSubnet(created.subnet);
  if (created.vNet) await driver.deleteVNet(created.vNet);
  await driver.close();
}
console.log('smoke:aws passed');
