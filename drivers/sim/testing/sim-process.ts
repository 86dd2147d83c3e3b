/**
 * A separate process working on a sim account, for tests that need a second process or one that
 * dies: `create-and-hang <home> <timeScale>` creates a VM, prints it, then waits to be killed;
 * `create-many <home> <prefix> <count>` creates VMs in one shared subnet and prints their ids.
 */
import { openStore } from '../../../store/index.ts';
import { SimDriver } from '../sim-driver.ts';
import { fixtureWorld } from './fixture-world.ts';
import { TEST_TAGS } from './sim-test-kit.ts';

const [mode, home, ...rest] = process.argv.slice(2);
if (!mode || !home) throw new Error('usage: sim-process <create-and-hang|create-many> <home> …');
const store = await openStore({ home });
const REGION = 'ap-northeast-2';

if (mode === 'create-and-hang') {
  const driver = new SimDriver({
    provider: 'aws',
    store,
    world: fixtureWorld(),
    config: { timeScale: Number(rest[0]), apiLatency: false },
  });
  const vNet = await driver.createVNet({
    region: REGION,
    name: 'net',
    cidrBlock: '10.0.0.0/16',
    tags: TEST_TAGS,
  });
  const subnet = await driver.createSubnet({
    vNetId: vNet.id,
    name: 'subnet',
    cidrBlock: '10.0.1.0/24',
    tags: TEST_TAGS,
  });
  const group = await driver.createSecurityGroup({
    vNetId: vNet.id,
    name: 'ssh',
    rules: [],
    tags: TEST_TAGS,
  });
  const keyPair = await driver.createKeyPair({ region: REGION, name: 'key', tags: TEST_TAGS });
  const vm = await driver.createVm({
    region: REGION,
    name: 'survivor',
    specId: `aws+${REGION}+t3.medium`,
    imageId: `aws+${REGION}+ami-0a1b2c3d4e5f60718`,
    subnetId: subnet.id,
    securityGroupIds: [group.id],
    keyPairId: keyPair.id,
    tags: TEST_TAGS,
  });
  console.log(JSON.stringify(vm));
  // Stay alive, holding the store open, until the test kills this process.
  setInterval(() => undefined, 60_000);
} else if (mode === 'create-many') {
  const [prefix, count, subnetId, groupId, keyPairId] = rest as [string, string, string, string, string];
  const driver = new SimDriver({
    provider: 'aws',
    store,
    world: fixtureWorld(),
    config: { apiLatency: false, rateLimits: false },
  });
  const ids: string[] = [];
  for (let index = 0; index < Number(count); index++) {
    const vm = await driver.createVm({
      region: REGION,
      name: `${prefix}-${index}`,
      specId: `aws+${REGION}+t3.medium`,
      imageId: `aws+${REGION}+ami-0a1b2c3d4e5f60718`,
      subnetId,
      securityGroupIds: [groupId],
      keyPairId,
      tags: TEST_TAGS,
    });
    ids.push(vm.id);
  }
  console.log(JSON.stringify(ids));
  await store.close();
} else {
  throw new Error(`unknown mode ${mode}`);
}
