import { isIPv4 } from 'node:net';
import { describe, expect, it, type TestContext } from 'vitest';
import {
  type CreateVmRequest,
  InvalidRequestError,
  type KeyPair,
  KeyPairSchema,
  NotFoundError,
  type SecurityGroup,
  SecurityGroupSchema,
  type Subnet,
  SubnetSchema,
  type Tags,
  type Vm,
  VmSchema,
  type VmStatus,
  type VNet,
  VNetSchema,
} from '../../spec/index.ts';
import { generateKeyPairFor } from '../../spec/ssh-keys.ts';
import { cidrContains, expectIds, expectRules, expectTags, expectValid } from '../assertions.ts';
import { type ConformanceContext, HTTP_RULE, ROLE_TAG, SSH_RULE } from '../context.ts';
import { eventually, withRetry } from '../retry.ts';

/** What the lifecycle steps hand to each other; a missing entry means its step failed. */
interface LifecycleState {
  vNet?: VNet;
  subnet?: Subnet;
  securityGroup?: SecurityGroup;
  generatedKeyPair?: KeyPair;
  importedKeyPair?: KeyPair;
  vmRequest?: CreateVmRequest;
  vm?: Vm;
  /** Set once the VM is Running, so later steps know which state they start from. */
  running?: boolean;
  deleted?: boolean;
}

/** Skips the step when an earlier one failed: its failure is already reported. */
function need<T>(context: TestContext, value: T | undefined, step: string): T {
  if (value === undefined) return context.skip(`needs ${step}, which did not complete`);
  return value;
}

export function registerLifecycleTests(suite: ConformanceContext): void {
  const state: LifecycleState = {};
  const group = 'lifecycle';
  const tags = (): Tags => suite.tags(group);
  const listFilter = () => ({ region: suite.harness.region, tags: tags() });

  /** The login facts a Running VM must report. */
  const expectReachable = (vm: Vm, subnet: Subnet, what: string) => {
    expect(isIPv4(vm.publicIp ?? ''), `${what}: publicIp ${vm.publicIp}`).toBe(true);
    expect(isIPv4(vm.privateIp ?? ''), `${what}: privateIp ${vm.privateIp}`).toBe(true);
    expect(
      cidrContains(subnet.cidrBlock, vm.privateIp ?? ''),
      `${what}: privateIp in ${subnet.cidrBlock}`,
    ).toBe(true);
    expect(vm.username, `${what}: username of the Ubuntu image`).toBe(suite.capabilities.defaultUsername);
    expect(vm.sshPort, `${what}: sshPort`).toBeGreaterThan(0);
    expect(vm.sshPort, `${what}: sshPort`).toBeLessThanOrEqual(65535);
  };

  /** Calls a state change, checks the accepted VM, then waits for `target`. */
  const changeState = async (
    what: string,
    call: () => Promise<Vm>,
    acceptedStatuses: readonly VmStatus[],
    target: VmStatus,
  ): Promise<Vm> => {
    const request = state.vmRequest;
    const vNet = state.vNet;
    if (!request || !vNet) throw new Error('the VM request is missing');
    const accepted = expectValid(VmSchema, await withRetry(call), what);
    suite.expectVmMatchesRequest(accepted, request, vNet.id, what);
    expect(acceptedStatuses, `${what}: status when accepted`).toContain(accepted.status);
    const reached = await suite.waitForVm(accepted.id, [target]);
    suite.expectVmMatchesRequest(reached, request, vNet.id, `${what}, then ${target}`);
    return reached;
  };

  describe('lifecycle, in order', () => {
    it('createVNet returns the vNet asked for; getVNet and listVNets return it', async () => {
      const vNet = await suite.createVNet({
        region: suite.harness.region,
        name: suite.name('lc-vnet'),
        cidrBlock: '10.10.0.0/16',
        tags: tags(),
      });
      state.vNet = vNet;
      const fetched = expectValid(
        VNetSchema,
        await withRetry(() => suite.driver.getVNet(vNet.id)),
        'getVNet',
      );
      expect(fetched).toMatchObject({
        id: vNet.id,
        cspId: vNet.cspId,
        name: vNet.name,
        cidrBlock: vNet.cidrBlock,
      });
      expectTags(fetched.tags, tags(), 'getVNet');
      const listed = await withRetry(() => suite.driver.listVNets(listFilter()));
      for (const item of listed) expectValid(VNetSchema, item, 'listVNets item');
      expectIds(listed, [vNet.id], 'listVNets by the lifecycle tags');
    });

    it('createSubnet puts the subnet in the vNet, in a zone when subnets are zonal; get and list return it', async (context) => {
      const vNet = need(context, state.vNet, 'createVNet');
      const zone = await suite.subnetZone();
      const subnet = await suite.createSubnet(
        {
          vNetId: vNet.id,
          name: suite.name('lc-subnet'),
          cidrBlock: '10.10.1.0/24',
          ...(zone === undefined ? {} : { zone }),
          tags: tags(),
        },
        vNet,
      );
      state.subnet = subnet;
      const fetched = expectValid(
        SubnetSchema,
        await withRetry(() => suite.driver.getSubnet(subnet.id)),
        'getSubnet',
      );
      expect(fetched).toMatchObject({
        id: subnet.id,
        vNetId: vNet.id,
        cidrBlock: subnet.cidrBlock,
        zone: subnet.zone,
      });
      expectTags(fetched.tags, tags(), 'getSubnet');
      const listed = await withRetry(() => suite.driver.listSubnets(listFilter()));
      for (const item of listed) expectValid(SubnetSchema, item, 'listSubnets item');
      expectIds(listed, [subnet.id], 'listSubnets by the lifecycle tags');
    });

    it('createSecurityGroup keeps the SSH rule; get and list return the group', async (context) => {
      const vNet = need(context, state.vNet, 'createVNet');
      const securityGroup = await suite.createSecurityGroup(
        {
          vNetId: vNet.id,
          name: suite.name('lc-sg'),
          description: 'conformance lifecycle',
          rules: [SSH_RULE],
          tags: tags(),
        },
        vNet,
      );
      state.securityGroup = securityGroup;
      const fetched = expectValid(
        SecurityGroupSchema,
        await withRetry(() => suite.driver.getSecurityGroup(securityGroup.id)),
        'getSecurityGroup',
      );
      expect(fetched).toMatchObject({ id: securityGroup.id, vNetId: vNet.id, name: securityGroup.name });
      expectRules(fetched.rules, [SSH_RULE], 'getSecurityGroup');
      expectTags(fetched.tags, tags(), 'getSecurityGroup');
      const listed = await withRetry(() => suite.driver.listSecurityGroups(listFilter()));
      for (const item of listed) expectValid(SecurityGroupSchema, item, 'listSecurityGroups item');
      expectIds(listed, [securityGroup.id], 'listSecurityGroups by the lifecycle tags');
    });

    it('setSecurityGroupRules replaces the rules: SSH plus HTTP on port 80', async (context) => {
      const securityGroup = need(context, state.securityGroup, 'createSecurityGroup');
      const rules = [SSH_RULE, HTTP_RULE];
      const updated = expectValid(
        SecurityGroupSchema,
        await withRetry(() => suite.driver.setSecurityGroupRules(securityGroup.id, rules)),
        'setSecurityGroupRules',
      );
      expect(updated.id).toBe(securityGroup.id);
      expectRules(updated.rules, rules, 'setSecurityGroupRules');
      const fetched = await withRetry(() => suite.driver.getSecurityGroup(securityGroup.id));
      expectRules(fetched.rules, rules, 'getSecurityGroup after setSecurityGroupRules');
      state.securityGroup = updated;
    });

    it('createKeyPair generates a pair and returns the private key once: get and list omit it', async (context) => {
      const { keyPairGenerate } = suite.capabilities;
      if (!keyPairGenerate.supported)
        return context.skip(`key pair generation unsupported: ${keyPairGenerate.reason}`);
      const created = await suite.createKeyPair({
        region: suite.harness.region,
        name: suite.name('lc-key-generated'),
        tags: suite.tags(group, { [ROLE_TAG]: 'generated' }),
      });
      const { privateKey: _privateKey, ...keyPair } = created;
      state.generatedKeyPair = keyPair;
      const fetched = await withRetry(() => suite.driver.getKeyPair(created.id));
      expectValid(KeyPairSchema, fetched, 'getKeyPair');
      expect(fetched).not.toHaveProperty('privateKey');
      expect(fetched).toMatchObject({
        id: created.id,
        publicKey: created.publicKey,
        fingerprint: created.fingerprint,
      });
      const listed = await withRetry(() => suite.driver.listKeyPairs(listFilter()));
      const item = listed.find((candidate) => candidate.id === created.id);
      expect(item, 'listKeyPairs has the generated pair').toBeDefined();
      expect(item).not.toHaveProperty('privateKey');
    });

    it('createKeyPair imports a given public key (ed25519, or RSA where only that is taken) and reports its SHA256 fingerprint', async (context) => {
      const { keyPairImport } = suite.capabilities;
      if (!keyPairImport.supported)
        return context.skip(`key pair import unsupported: ${keyPairImport.reason}`);
      const publicKey = generateKeyPairFor(suite.capabilities.sshKeyTypes, 'lifecycle@conformance').publicKey;
      const created = await suite.createKeyPair({
        region: suite.harness.region,
        name: suite.name('lc-key-imported'),
        publicKey,
        tags: suite.tags(group, { [ROLE_TAG]: 'imported' }),
      });
      state.importedKeyPair = created;
      const fetched = expectValid(
        KeyPairSchema,
        await withRetry(() => suite.driver.getKeyPair(created.id)),
        'getKeyPair',
      );
      expect(fetched).toMatchObject({
        id: created.id,
        publicKey: created.publicKey,
        fingerprint: created.fingerprint,
      });
    });

    it('createVm returns the VM asked for: spec, image, network, key pair, zone, disk and tags', async (context) => {
      const vNet = need(context, state.vNet, 'createVNet');
      const subnet = need(context, state.subnet, 'createSubnet');
      const securityGroup = need(context, state.securityGroup, 'createSecurityGroup');
      const keyPair = need(context, state.generatedKeyPair ?? state.importedKeyPair, 'createKeyPair');
      const { minGiB, maxGiB } = suite.capabilities.rootDisk;
      const zone = subnet.zone ?? (await suite.vmZone());
      const request: CreateVmRequest = {
        region: suite.harness.region,
        ...(zone === undefined ? {} : { zone }),
        name: suite.name('lc-vm'),
        specId: suite.harness.specId,
        imageId: suite.harness.imageId,
        subnetId: subnet.id,
        securityGroupIds: [securityGroup.id],
        keyPairId: keyPair.id,
        rootDiskGiB: Math.min(Math.max(minGiB, 10), maxGiB),
        tags: tags(),
      };
      state.vmRequest = request;
      const vm = await suite.createVm(request, vNet.id);
      state.vm = vm;
      if (zone !== undefined) {
        const zones = (await suite.homeRegion()).zones.map((candidate) => candidate.code);
        expect(zones, 'the VM zone is a zone of the region').toContain(vm.zone);
      }
    });

    it('getVm and listVms return the new VM', async (context) => {
      const vm = need(context, state.vm, 'createVm');
      const fetched = expectValid(VmSchema, await withRetry(() => suite.driver.getVm(vm.id)), 'getVm');
      expect(fetched).toMatchObject({ id: vm.id, cspId: vm.cspId, name: vm.name });
      const listed = await withRetry(() => suite.driver.listVms(listFilter()));
      for (const item of listed) expectValid(VmSchema, item, 'listVms item');
      expectIds(listed, [vm.id], 'listVms by the lifecycle tags');
    });

    it('the VM becomes Running with a public IP, a private IP in its subnet and the image login user', {
      timeout: suite.timeout(1),
    }, async (context) => {
      const vm = need(context, state.vm, 'createVm');
      const subnet = need(context, state.subnet, 'createSubnet');
      const running = await suite.waitForVm(vm.id, ['Running']);
      expectReachable(running, subnet, 'Running VM');
      const byStatus = await withRetry(() =>
        suite.driver.listVms({ ...listFilter(), statuses: ['Running'] }),
      );
      expectIds(byStatus, [vm.id], 'listVms with statuses [Running]');
      state.running = true;
    });

    it('suspendVm takes the VM to Suspended, or throws InvalidRequestError when suspend is unsupported', {
      timeout: suite.timeout(1),
    }, async (context) => {
      const vm = need(context, state.vm, 'createVm');
      if (state.running !== true) return context.skip('needs the VM Running');
      const { suspend } = suite.capabilities;
      if (!suspend.supported) {
        // The capabilities already say no: asking anyway is a wrong request, and the VM keeps running.
        await suite.expectError('suspendVm (unsupported)', () => suite.driver.suspendVm(vm.id), [
          InvalidRequestError,
        ]);
        const after = await withRetry(() => suite.driver.getVm(vm.id));
        expect(after.status).toBe('Running');
        return;
      }
      state.running = false;
      await changeState(
        'suspendVm',
        () => suite.driver.suspendVm(vm.id),
        ['Suspending', 'Suspended'],
        'Suspended',
      );
      const suspended = await withRetry(() =>
        suite.driver.listVms({ ...listFilter(), statuses: ['Suspended'] }),
      );
      expectIds(suspended, [vm.id], 'listVms with statuses [Suspended]');
      const running = await withRetry(() => suite.driver.listVms({ ...listFilter(), statuses: ['Running'] }));
      expectIds(running, [], 'listVms with statuses [Running] while suspended');
    });

    it('resumeVm brings the suspended VM back to Running, reachable again', {
      timeout: suite.timeout(1),
    }, async (context) => {
      const vm = need(context, state.vm, 'createVm');
      const subnet = need(context, state.subnet, 'createSubnet');
      const { suspend } = suite.capabilities;
      if (!suspend.supported) return context.skip(`suspend unsupported: ${suspend.reason}`);
      if (state.running !== false) return context.skip('needs the VM Suspended by the suspendVm step');
      const running = await changeState(
        'resumeVm',
        () => suite.driver.resumeVm(vm.id),
        ['Resuming', 'Running'],
        'Running',
      );
      expectReachable(running, subnet, 'resumed VM');
      state.running = true;
    });

    it('rebootVm returns the VM to Running, or throws InvalidRequestError when reboot is unsupported', {
      timeout: suite.timeout(1),
    }, async (context) => {
      const vm = need(context, state.vm, 'createVm');
      const subnet = need(context, state.subnet, 'createSubnet');
      if (state.running !== true) return context.skip('needs the VM Running');
      const { reboot } = suite.capabilities;
      if (!reboot.supported) {
        await suite.expectError('rebootVm (unsupported)', () => suite.driver.rebootVm(vm.id), [
          InvalidRequestError,
        ]);
        return;
      }
      // Some providers never show a Rebooting status: Running right away is fine.
      const running = await changeState(
        'rebootVm',
        () => suite.driver.rebootVm(vm.id),
        ['Rebooting', 'Running'],
        'Running',
      );
      expectReachable(running, subnet, 'rebooted VM');
    });

    it('terminateVm takes the VM to Terminated; listVms hides it unless includeTerminated', {
      timeout: suite.timeout(1),
    }, async (context) => {
      const vm = need(context, state.vm, 'createVm');
      state.running = false;
      await changeState(
        'terminateVm',
        () => suite.driver.terminateVm(vm.id),
        ['Terminating', 'Terminated'],
        'Terminated',
      );
      expectIds(await withRetry(() => suite.driver.listVms(listFilter())), [], 'listVms after termination');
      const withTerminated = await withRetry(() =>
        suite.driver.listVms({ ...listFilter(), includeTerminated: true }),
      );
      expectIds(withTerminated, [vm.id], 'listVms with includeTerminated');
      expect(withTerminated[0]?.status).toBe('Terminated');
    });

    it('terminateVm of a Terminated VM succeeds and leaves it Terminated', async (context) => {
      const vm = need(context, state.vm, 'createVm');
      const again = expectValid(
        VmSchema,
        await withRetry(() => suite.driver.terminateVm(vm.id)),
        'terminateVm again',
      );
      expect(again.status).toBe('Terminated');
    });

    it('deleting the key pairs, security group, subnet and vNet removes them from lists and get', {
      timeout: suite.timeout(2),
    }, async (context) => {
      const vNet = need(context, state.vNet, 'createVNet');
      const subnet = need(context, state.subnet, 'createSubnet');
      const securityGroup = need(context, state.securityGroup, 'createSecurityGroup');
      const keyPairs = [state.generatedKeyPair, state.importedKeyPair].filter(
        (keyPair) => keyPair !== undefined,
      );
      // Retry retryable errors: a group may stay attached to a terminated VM for a while.
      for (const keyPair of keyPairs) {
        await withRetry(() => suite.driver.deleteKeyPair(keyPair.id));
        suite.tracker.forget('keyPair', keyPair.id);
      }
      await withRetry(() => suite.driver.deleteSecurityGroup(securityGroup.id));
      suite.tracker.forget('securityGroup', securityGroup.id);
      await withRetry(() => suite.driver.deleteSubnet(subnet.id));
      suite.tracker.forget('subnet', subnet.id);
      await withRetry(() => suite.driver.deleteVNet(vNet.id));
      suite.tracker.forget('vNet', vNet.id);
      state.deleted = true;

      const timing = suite.waitOptions;
      await eventually(async () => {
        expectIds(await suite.driver.listKeyPairs(listFilter()), [], 'listKeyPairs after delete');
        expectIds(await suite.driver.listSecurityGroups(listFilter()), [], 'listSecurityGroups after delete');
        expectIds(await suite.driver.listSubnets(listFilter()), [], 'listSubnets after delete');
        expectIds(await suite.driver.listVNets(listFilter()), [], 'listVNets after delete');
      }, timing);
      const gets: [string, () => Promise<unknown>][] = [
        ...keyPairs.map((keyPair): [string, () => Promise<unknown>] => [
          'getKeyPair',
          () => suite.driver.getKeyPair(keyPair.id),
        ]),
        ['getSecurityGroup', () => suite.driver.getSecurityGroup(securityGroup.id)],
        ['getSubnet', () => suite.driver.getSubnet(subnet.id)],
        ['getVNet', () => suite.driver.getVNet(vNet.id)],
      ];
      for (const [what, call] of gets) {
        await eventually(() => suite.expectError(`${what} after delete`, call, [NotFoundError]), timing);
      }
    });

    it('deleting them again succeeds', async (context) => {
      need(context, state.deleted, 'the delete step');
      const { vNet, subnet, securityGroup, generatedKeyPair, importedKeyPair } = state;
      for (const keyPair of [generatedKeyPair, importedKeyPair]) {
        if (keyPair) await withRetry(() => suite.driver.deleteKeyPair(keyPair.id));
      }
      if (securityGroup) await withRetry(() => suite.driver.deleteSecurityGroup(securityGroup.id));
      if (subnet) await withRetry(() => suite.driver.deleteSubnet(subnet.id));
      if (vNet) await withRetry(() => suite.driver.deleteVNet(vNet.id));
    });
  });
}
