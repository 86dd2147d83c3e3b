import { beforeAll, describe, expect, it } from 'vitest';
import {
  KeyPairSchema,
  type ResourceFilter,
  S2A_TAG_KEYS,
  SecurityGroupSchema,
  SubnetSchema,
  type Tags,
  VmSchema,
  VNetSchema,
} from '../../spec/index.ts';
import { expectIds, expectTags, expectValid } from '../assertions.ts';
import { type ConformanceContext, type Fixture, type Network, ROLE_TAG, SSH_RULE } from '../context.ts';
import { withRetry } from '../retry.ts';

interface Listing {
  kind: string;
  list: (filter: ResourceFilter) => Promise<{ id: string; region: string; tags: Tags }[]>;
  get: (id: string) => Promise<{ id: string; tags: Tags }>;
  validate: (value: unknown, what: string) => void;
}

export function registerTagAndFilterTests(suite: ConformanceContext): void {
  let fixture: Fixture;
  /** A second resource of every kind but VMs, same group, ROLE_TAG "other"; the vNet is empty. */
  let others: Omit<Network, 'tags'>;

  const listings = (): Record<'vNet' | 'subnet' | 'securityGroup' | 'keyPair' | 'vm', Listing> => {
    const driver = suite.driver;
    return {
      vNet: {
        kind: 'vNet',
        list: (filter) => driver.listVNets(filter),
        get: (id) => driver.getVNet(id),
        validate: (value, what) => expectValid(VNetSchema, value, what),
      },
      subnet: {
        kind: 'subnet',
        list: (filter) => driver.listSubnets(filter),
        get: (id) => driver.getSubnet(id),
        validate: (value, what) => expectValid(SubnetSchema, value, what),
      },
      securityGroup: {
        kind: 'securityGroup',
        list: (filter) => driver.listSecurityGroups(filter),
        get: (id) => driver.getSecurityGroup(id),
        validate: (value, what) => expectValid(SecurityGroupSchema, value, what),
      },
      keyPair: {
        kind: 'keyPair',
        list: (filter) => driver.listKeyPairs(filter),
        get: (id) => driver.getKeyPair(id),
        validate: (value, what) => expectValid(KeyPairSchema, value, what),
      },
      vm: {
        kind: 'vm',
        list: (filter) => driver.listVms(filter),
        get: (id) => driver.getVm(id),
        validate: (value, what) => expectValid(VmSchema, value, what),
      },
    };
  };

  /** Per kind: its listing, the fixture's resource and the other one (none for VMs). */
  const cases = () => {
    const all = listings();
    return [
      { listing: all.vNet, main: fixture.vNet.id, other: others.vNet.id },
      { listing: all.subnet, main: fixture.subnet.id, other: others.subnet.id },
      { listing: all.securityGroup, main: fixture.securityGroup.id, other: others.securityGroup.id },
      { listing: all.keyPair, main: fixture.keyPair.id, other: others.keyPair.id },
      { listing: all.vm, main: fixture.vm.id, other: undefined },
    ];
  };

  const groupTag = (): Tags => ({ 's2a:mci': fixture.tags['s2a:mci'] ?? '' });

  describe('tags and list filters', () => {
    beforeAll(async () => {
      fixture = await suite.fixture();
      const { region } = suite.harness;
      const tags = suite.tags('fixture', { [ROLE_TAG]: 'other' });
      const vNet = await suite.createVNet({
        region,
        name: suite.name('other-vnet'),
        cidrBlock: '10.21.0.0/16',
        tags,
      });
      const zone = await suite.subnetZone();
      const subnet = await suite.createSubnet(
        {
          vNetId: fixture.vNet.id,
          name: suite.name('other-subnet'),
          cidrBlock: '10.20.2.0/24',
          ...(zone === undefined ? {} : { zone }),
          tags,
        },
        fixture.vNet,
      );
      const securityGroup = await suite.createSecurityGroup(
        { vNetId: fixture.vNet.id, name: suite.name('other-sg'), rules: [SSH_RULE], tags },
        fixture.vNet,
      );
      const keyPair = await suite.createKeyPair(suite.vmKeyPairRequest(suite.name('other-key'), tags));
      others = { vNet, subnet, securityGroup, keyPair };
    }, suite.timeout(1));

    it('every created resource carries the three s2a tags and the extra tags, on get and on list', async () => {
      const { region } = suite.harness;
      for (const { listing, main } of cases()) {
        const fetched = await withRetry(() => listing.get(main));
        listing.validate(fetched, `get ${listing.kind}`);
        for (const key of S2A_TAG_KEYS) expect(fetched.tags[key], `${listing.kind} tag ${key}`).toBeTruthy();
        expectTags(fetched.tags, fixture.tags, `get ${listing.kind}`);
        const listed = (await withRetry(() => listing.list({ region }))).find((item) => item.id === main);
        expect(listed, `list ${listing.kind}s by region has ${main}`).toBeDefined();
        expectTags(listed?.tags ?? {}, fixture.tags, `list ${listing.kind}s`);
      }
    });

    it('a tags filter returns exactly the resources carrying every given tag', async () => {
      const { region } = suite.harness;
      for (const { listing, main, other } of cases()) {
        const both = [main, ...(other === undefined ? [] : [other])];
        const byGroup = await withRetry(() => listing.list({ region, tags: groupTag() }));
        for (const item of byGroup) listing.validate(item, `list ${listing.kind}s item`);
        expectIds(byGroup, both, `${listing.kind}s tagged s2a:mci`);
        const byAll = await withRetry(() => listing.list({ region, tags: fixture.tags }));
        expectIds(byAll, [main], `${listing.kind}s with every fixture tag`);
        const none = await withRetry(() =>
          listing.list({ region, tags: { ...groupTag(), [ROLE_TAG]: 'absent' } }),
        );
        expectIds(none, [], `${listing.kind}s tagged with a value nobody has`);
      }
    });

    it('a region filter returns resources of that region only', async (context) => {
      const { region } = suite.harness;
      for (const { listing, main } of cases()) {
        const listed = await withRetry(() => listing.list({ region, tags: suite.runTags }));
        for (const item of listed) expect(item.region, `${listing.kind} ${item.id}: region`).toBe(region);
        expect(listed.map((item) => item.id)).toContain(main);
      }
      const otherRegion = await suite.otherRegion();
      if (otherRegion === undefined) return context.skip('the provider has a single region');
      for (const { listing } of cases()) {
        // A global network (GCP) may well be listed in every region.
        if (listing.kind === 'vNet' && suite.capabilities.vNetScope === 'global') continue;
        const elsewhere = await withRetry(() => listing.list({ region: otherRegion, tags: suite.runTags }));
        expectIds(elsewhere, [], `${listing.kind}s of this run listed in ${otherRegion}`);
      }
    });

    it('listSubnets and listSecurityGroups filter by vNetId', async () => {
      const { region } = suite.harness;
      const driver = suite.driver;
      const inFixture = { region, vNetId: fixture.vNet.id };
      const subnets = await withRetry(() => driver.listSubnets(inFixture));
      for (const subnet of subnets)
        expect(subnet.vNetId, `subnet ${subnet.id}: vNetId`).toBe(fixture.vNet.id);
      expectIds(
        await withRetry(() => driver.listSubnets({ ...inFixture, tags: groupTag() })),
        [fixture.subnet.id, others.subnet.id],
        'subnets of the fixture vNet',
      );
      expectIds(
        await withRetry(() => driver.listSubnets({ region, vNetId: others.vNet.id })),
        [],
        'subnets of the empty vNet',
      );
      const groups = await withRetry(() => driver.listSecurityGroups(inFixture));
      for (const group of groups)
        expect(group.vNetId, `security group ${group.id}: vNetId`).toBe(fixture.vNet.id);
      expectIds(
        await withRetry(() => driver.listSecurityGroups({ ...inFixture, tags: groupTag() })),
        [fixture.securityGroup.id, others.securityGroup.id],
        'security groups of the fixture vNet',
      );
      // Tags too: some providers put a default group in every new network.
      expectIds(
        await withRetry(() =>
          driver.listSecurityGroups({ region, vNetId: others.vNet.id, tags: groupTag() }),
        ),
        [],
        'security groups of the empty vNet',
      );
    });

    it('listVms filters by statuses', async () => {
      const filter = { region: suite.harness.region, tags: groupTag() };
      const listVms = (statuses?: ('Running' | 'Suspended' | 'Creating')[]) =>
        withRetry(() => suite.driver.listVms({ ...filter, ...(statuses ? { statuses } : {}) }));
      expectIds(await listVms(), [fixture.vm.id], 'VMs of the fixture');
      expectIds(await listVms(['Running']), [fixture.vm.id], 'Running VMs of the fixture');
      expectIds(await listVms(['Running', 'Suspended']), [fixture.vm.id], 'Running or Suspended VMs');
      expectIds(await listVms(['Suspended', 'Creating']), [], 'Suspended or Creating VMs of the fixture');
    });
  });
}
