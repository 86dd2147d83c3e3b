// Live smoke test (`npm run smoke:tencent`): finds the cheapest small spec and an Ubuntu image,
// creates a VM in a throwaway VPC, suspends (StopCharging) and resumes it, and removes everything.
// Runs only when Tencent Cloud credentials are found; prints "skipped" otherwise. Costs a few cents.
import { AuthError, waitForVmStatus } from '../spec/index.ts';
import { resolveTencentCredentials } from './tencent-config.ts';
import { TencentDriver } from './tencent-driver.ts';

const environment = process.env;
try {
  resolveTencentCredentials({}, environment);
} catch (error) {
  if (!(error instanceof AuthError)) throw error;
  console.log(`smoke:tencent skipped: ${error.message}`);
  process.exit(0);
}

const region = environment.TENCENTCLOUD_REGION ?? 'ap-seoul';
const run = `s2a-smoke-${Date.now().toString(36)}`;
const tags = { 's2a:mci': run, 's2a:op': run, 's2a:owner': run };
const driver = new TencentDriver({ region, environment });
const wait = { timeoutMs: 300_000, pollIntervalMs: 5_000 };
const cleanup: (() => Promise<unknown>)[] = [];

try {
  const zone = (await driver.listRegions()).find((entry) => entry.code === region)?.zones[0]?.code;
  if (!zone) throw new Error(`no available zone in ${region}`);
  const spec = (await driver.listSpecs({ region }))
    .filter((candidate) => candidate.vcpu <= 2 && candidate.arch === 'x86_64' && !candidate.gpu)
    .filter((candidate) => candidate.zones?.includes(zone) ?? true)
    .sort((left, right) => (left.pricePerHour ?? 1e9) - (right.pricePerHour ?? 1e9))[0];
  const image = (await driver.listImages({ region, os: 'ubuntu', arch: 'x86_64' })).sort((left, right) =>
    right.osVersion.localeCompare(left.osVersion, undefined, { numeric: true }),
  )[0];
  if (!spec || !image) throw new Error(`no small x86_64 spec or Ubuntu image in ${zone}`);
  console.log(
    `spec ${spec.id} (${spec.pricePerHour ?? '?'} ${spec.currency}/h), image ${image.id} (${image.name})`,
  );
  const vNet = await driver.createVNet({ region, name: run, cidrBlock: '10.77.0.0/16', tags });
  cleanup.unshift(() => driver.deleteVNet(vNet.id));
  const subnet = await driver.createSubnet({
    vNetId: vNet.id,
    name: run,
    cidrBlock: '10.77.1.0/24',
    zone,
    tags,
  });
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
    zone,
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
    await waitForVmStatus(driver, vm.id, ['Terminated'], wait);
  });
  const running = await waitForVmStatus(driver, vm.id, ['Running'], wait);
  console.log(`VM ${running.id} Running at ${running.publicIp ?? 'no public IP'} (${running.privateIp})`);
  await driver.suspendVm(vm.id);
  await waitForVmStatus(driver, vm.id, ['Suspended'], wait);
  await driver.resumeVm(vm.id);
  const resumed = await waitForVmStatus(driver, vm.id, ['Running'], wait);
  console.log(`VM resumed at ${resumed.publicIp ?? 'no public IP'}`);
} finally {
  for (const step of cleanup) {
    try {
      await step();
    } catch (error) {
      // Subnets and groups can stay "in use" for a moment after the VM is gone: try once more.
      await new Promise((resolve) => setTimeout(resolve, 15_000));
      await step().catch(() => {
        console.error(`cleanup step failed: ${String(error)}`);
        process.exitCode = 1;
      });
    }
  }
  await driver.close();
}
console.log('smoke:tencent passed');
