import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { KeyPairCreatedSchema } from '../../spec/index.ts';
import { expectIds, expectValid } from '../assertions.ts';
import { type ConformanceContext, type Fixture, SSH_RULE } from '../context.ts';
import { withRetry } from '../retry.ts';

export function registerIdempotencyTests(suite: ConformanceContext): void {
  const group = 'idempotency';
  let fixture: Fixture;

  const requireSupport = (context: TestContext) => {
    const { idempotencyKeys } = suite.capabilities;
    if (!idempotencyKeys.supported)
      return context.skip(`idempotency keys unsupported: ${idempotencyKeys.reason}`);
  };
  /** The same key sent twice, unique to the run. */
  const key = (part: string) => `cf-${suite.runId}-${part}`;

  describe('idempotency', () => {
    beforeAll(async () => {
      fixture = await suite.fixture();
    }, suite.timeout(1));

    it('creating a vNet, subnet, security group and key pair again with the same idempotencyKey returns the first one', async (context) => {
      requireSupport(context);
      const { region } = suite.harness;
      const tags = suite.tags(group);
      const filter = { region, tags };

      const vNetRequest = {
        region,
        name: suite.name('idem-vnet'),
        cidrBlock: '10.30.0.0/16',
        tags,
        idempotencyKey: key('vnet'),
      };
      const vNet = await suite.createVNet(vNetRequest);
      const vNetAgain = await suite.createVNet(vNetRequest);
      expect(vNetAgain.id, 'second createVNet').toBe(vNet.id);
      expectIds(await withRetry(() => suite.driver.listVNets(filter)), [vNet.id], 'vNets after two creates');

      const zone = await suite.subnetZone();
      const subnetRequest = {
        vNetId: vNet.id,
        name: suite.name('idem-subnet'),
        cidrBlock: '10.30.1.0/24',
        ...(zone === undefined ? {} : { zone }),
        tags,
        idempotencyKey: key('subnet'),
      };
      const subnet = await suite.createSubnet(subnetRequest, vNet);
      const subnetAgain = await suite.createSubnet(subnetRequest, vNet);
      expect(subnetAgain.id, 'second createSubnet').toBe(subnet.id);
      expectIds(
        await withRetry(() => suite.driver.listSubnets(filter)),
        [subnet.id],
        'subnets after two creates',
      );

      const groupRequest = {
        vNetId: vNet.id,
        name: suite.name('idem-sg'),
        rules: [SSH_RULE],
        tags,
        idempotencyKey: key('sg'),
      };
      const securityGroup = await suite.createSecurityGroup(groupRequest, vNet);
      const securityGroupAgain = await suite.createSecurityGroup(groupRequest, vNet);
      expect(securityGroupAgain.id, 'second createSecurityGroup').toBe(securityGroup.id);
      expectIds(
        await withRetry(() => suite.driver.listSecurityGroups(filter)),
        [securityGroup.id],
        'security groups after two creates',
      );

      // Imports when possible: a generated pair retried returns no private key the second time.
      const keyPairRequest = {
        ...suite.vmKeyPairRequest(suite.name('idem-key'), tags),
        idempotencyKey: key('key'),
      };
      const keyPair = await suite.createKeyPair(keyPairRequest);
      const keyPairAgain = await withRetry(() => suite.driver.createKeyPair(keyPairRequest), {
        retryOn: 'throttled',
      });
      suite.tracker.add('keyPair', keyPairAgain.id);
      expectValid(KeyPairCreatedSchema, keyPairAgain, 'second createKeyPair');
      expect(keyPairAgain.id, 'second createKeyPair').toBe(keyPair.id);
      expect(keyPairAgain.fingerprint).toBe(keyPair.fingerprint);
      expectIds(
        await withRetry(() => suite.driver.listKeyPairs(filter)),
        [keyPair.id],
        'key pairs after two creates',
      );
    });

    it('creating a VM again with the same idempotencyKey returns the first VM', async (context) => {
      requireSupport(context);
      const tags = suite.tags(`${group}-vm`);
      const request = { ...suite.vmRequest(fixture, suite.name('idem-vm'), tags), idempotencyKey: key('vm') };
      const vm = await suite.createVm(request, fixture.vNet.id);
      const vmAgain = await suite.createVm(request, fixture.vNet.id);
      expect(vmAgain.id, 'second createVm').toBe(vm.id);
      const listed = await withRetry(() => suite.driver.listVms({ region: suite.harness.region, tags }));
      expectIds(listed, [vm.id], 'VMs after two creates');
    });

    it('deleting ids that never existed succeeds', async () => {
      const missing = `${suite.provider}+${suite.harness.region}+cf-${suite.runId}-never`;
      await withRetry(() => suite.driver.deleteKeyPair(missing));
      await withRetry(() => suite.driver.deleteSecurityGroup(missing));
      await withRetry(() => suite.driver.deleteSubnet(missing));
      await withRetry(() => suite.driver.deleteVNet(missing));
    });
  });
}
