import { afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  AuthError,
  CapacityError,
  type CreateVmRequest,
  DriverError,
  driverErrorFromJson,
  InvalidRequestError,
  NotFoundError,
  ProviderError,
  QuotaError,
  S2A_TAG_KEYS,
  type Spec,
  ThrottledError,
} from '../../spec/index.ts';
import { generateKeyPairFor } from '../../spec/ssh-keys.ts';
import { expectRules, expectWellFormedDriverError } from '../assertions.ts';
import { type ConformanceContext, type Fixture, GROUP_TAG, SSH_RULE } from '../context.ts';
import type { Provocation } from '../harness.ts';
import { withRetry } from '../retry.ts';

export function registerErrorTests(suite: ConformanceContext): void {
  const group = 'errors';
  let fixture: Fixture;
  const missing = (part: string) =>
    `${suite.provider}+${suite.harness.region}+cf-${suite.runId}-missing-${part}`;
  /** A VM request on the fixture network tagged for this group, so a wrongly created VM is not the fixture's. */
  const vmRequest = (name: string): CreateVmRequest =>
    suite.vmRequest(fixture, suite.name(`err-${name}`), suite.tags(group));

  /** A spec of another region, or undefined when no other region lists one. */
  const foreignSpec = async (): Promise<Spec | undefined> => {
    const regions = (await suite.regions()).filter((region) => region.code !== suite.harness.region);
    for (const region of regions.slice(0, 5)) {
      const specs = await withRetry(() => suite.driver.listSpecs({ region: region.code }));
      if (specs[0]) return specs[0];
    }
    return undefined;
  };

  describe('validation and error mapping', () => {
    beforeAll(async () => {
      fixture = await suite.fixture();
    }, suite.timeout(1));

    it('create requests without the s2a tags throw InvalidRequestError naming each missing tag', async () => {
      const { region } = suite.harness;
      const driver = suite.driver;
      const tags = { [GROUP_TAG]: group };
      const zone = fixture.subnet.zone;
      const calls: [string, () => Promise<unknown>][] = [
        [
          'createVNet',
          () =>
            driver.createVNet({ region, name: suite.name('untagged-vnet'), cidrBlock: '10.40.0.0/16', tags }),
        ],
        [
          'createSubnet',
          () =>
            driver.createSubnet({
              vNetId: fixture.vNet.id,
              name: suite.name('untagged-subnet'),
              cidrBlock: '10.20.9.0/24',
              ...(zone === null ? {} : { zone }),
              tags,
            }),
        ],
        [
          'createSecurityGroup',
          () =>
            driver.createSecurityGroup({
              vNetId: fixture.vNet.id,
              name: suite.name('untagged-sg'),
              rules: [SSH_RULE],
              tags,
            }),
        ],
        [
          'createKeyPair',
          () =>
            driver.createKeyPair({
              region,
              name: suite.name('untagged-key'),
              ...(suite.capabilities.keyPairImport.supported
                ? { publicKey: generateKeyPairFor(suite.capabilities.sshKeyTypes, 'untagged').publicKey }
                : {}),
              tags,
            }),
        ],
        ['createVm', () => driver.createVm({ ...vmRequest('untagged'), tags })],
      ];
      for (const [what, call] of calls) {
        const error = await suite.expectError(`${what} without s2a tags`, call, [InvalidRequestError]);
        for (const key of S2A_TAG_KEYS) {
          expect(
            error.issues.some((issue) => issue.includes(key)),
            `${what}: an issue names ${key} (${error.issues.join('; ')})`,
          ).toBe(true);
        }
      }
    });

    it('a malformed CIDR throws InvalidRequestError naming cidrBlock', async () => {
      const { region } = suite.harness;
      const tags = suite.tags(group);
      const vNetError = await suite.expectError(
        'createVNet with CIDR "not-a-cidr"',
        () =>
          suite.driver.createVNet({
            region,
            name: suite.name('bad-cidr-vnet'),
            cidrBlock: 'not-a-cidr',
            tags,
          }),
        [InvalidRequestError],
      );
      expect(vNetError.issues.join('; ')).toContain('cidrBlock');
      const subnetError = await suite.expectError(
        'createSubnet with CIDR "10.20.3.0"',
        () =>
          suite.driver.createSubnet({
            vNetId: fixture.vNet.id,
            name: suite.name('bad-cidr-subnet'),
            cidrBlock: '10.20.3.0',
            ...(fixture.subnet.zone === null ? {} : { zone: fixture.subnet.zone }),
            tags,
          }),
        [InvalidRequestError],
      );
      expect(subnetError.issues.join('; ')).toContain('cidrBlock');
    });

    it('a subnet CIDR outside its vNet CIDR throws InvalidRequestError', async () => {
      await suite.expectError(
        'createSubnet 192.168.1.0/24 in a 10.20.0.0/16 vNet',
        () =>
          suite.driver.createSubnet({
            vNetId: fixture.vNet.id,
            name: suite.name('outside-subnet'),
            cidrBlock: '192.168.1.0/24',
            ...(fixture.subnet.zone === null ? {} : { zone: fixture.subnet.zone }),
            tags: suite.tags(group),
          }),
        [InvalidRequestError],
      );
    });

    it('a name other than lower-case letters, digits and "-" throws InvalidRequestError naming name', async () => {
      const { region } = suite.harness;
      const tags = suite.tags(group);
      const calls: [string, () => Promise<unknown>][] = [
        [
          'createVNet "Bad_Name"',
          () => suite.driver.createVNet({ region, name: 'Bad_Name', cidrBlock: '10.41.0.0/16', tags }),
        ],
        ['createVm "-bad"', () => suite.driver.createVm({ ...vmRequest('name'), name: '-bad' })],
      ];
      for (const [what, call] of calls) {
        const error = await suite.expectError(what, call, [InvalidRequestError]);
        expect(error.issues.join('; '), `${what}: issues`).toContain('name');
      }
    });

    it('setSecurityGroupRules with fromPort above toPort throws InvalidRequestError and keeps the rules', async () => {
      const bad = { ...SSH_RULE, fromPort: 30, toPort: 20 };
      await suite.expectError(
        'setSecurityGroupRules fromPort 30 toPort 20',
        () => suite.driver.setSecurityGroupRules(fixture.securityGroup.id, [bad]),
        [InvalidRequestError],
      );
      const securityGroup = await withRetry(() => suite.driver.getSecurityGroup(fixture.securityGroup.id));
      expectRules(securityGroup.rules, [SSH_RULE], 'fixture security group after the refused update');
    });

    it('createVNet in a region the provider does not have throws InvalidRequestError', async () => {
      await suite.expectError(
        'createVNet in region "nowhere-1"',
        () =>
          suite.driver.createVNet({
            region: 'nowhere-1',
            name: suite.name('nowhere-vnet'),
            cidrBlock: '10.42.0.0/16',
            tags: suite.tags(group),
          }),
        [InvalidRequestError],
      );
    });

    it('get of unknown ids throws NotFoundError for every kind', async () => {
      const driver = suite.driver;
      const gets: [string, () => Promise<unknown>][] = [
        ['getVNet', () => driver.getVNet(missing('vnet'))],
        ['getSubnet', () => driver.getSubnet(missing('subnet'))],
        ['getSecurityGroup', () => driver.getSecurityGroup(missing('sg'))],
        ['getKeyPair', () => driver.getKeyPair(missing('key'))],
        ['getVm', () => driver.getVm(missing('vm'))],
        ['getSpec', () => driver.getSpec(missing('spec'))],
        ['getImage', () => driver.getImage(missing('image'))],
      ];
      for (const [what, call] of gets) await suite.expectError(`${what}(unknown)`, call, [NotFoundError]);
    });

    it('suspendVm, resumeVm, rebootVm and setSecurityGroupRules of unknown ids throw NotFoundError', async () => {
      const driver = suite.driver;
      const { suspend, reboot } = suite.capabilities;
      // Unsupported operations may refuse before looking the VM up (InvalidRequestError): not checked here.
      const calls: [string, () => Promise<unknown>][] = [
        ['setSecurityGroupRules', () => driver.setSecurityGroupRules(missing('sg'), [SSH_RULE])],
        ...(suspend.supported
          ? ([
              ['suspendVm', () => driver.suspendVm(missing('vm'))],
              ['resumeVm', () => driver.resumeVm(missing('vm'))],
            ] as [string, () => Promise<unknown>][])
          : []),
        ...(reboot.supported
          ? ([['rebootVm', () => driver.rebootVm(missing('vm'))]] as [string, () => Promise<unknown>][])
          : []),
      ];
      for (const [what, call] of calls) await suite.expectError(`${what}(unknown)`, call, [NotFoundError]);
    });

    it('deleting a vNet that still has a subnet throws a retryable ProviderError and keeps the vNet', async () => {
      const error = await suite.expectError(
        'deleteVNet with a subnet inside',
        () => suite.driver.deleteVNet(fixture.vNet.id),
        [ProviderError],
      );
      expect(error.retryable, 'retryable: the call succeeds once the subnet is gone').toBe(true);
      const vNet = await withRetry(() => suite.driver.getVNet(fixture.vNet.id));
      expect(vNet.id).toBe(fixture.vNet.id);
      const subnet = await withRetry(() => suite.driver.getSubnet(fixture.subnet.id));
      expect(subnet.id).toBe(fixture.subnet.id);
    });

    // Specs are size names, parameters of the call: providers answer "invalid value" (AWS
    // InvalidParameterValue), so a spec the region does not offer is a wrong request.
    it('createVm with a spec the region does not offer (unknown, or of another region) throws InvalidRequestError naming specId', async () => {
      const foreign = await foreignSpec();
      const variants: [string, string][] = [
        ['an unknown spec', missing('spec')],
        ...(foreign ? ([[`spec ${foreign.id} of another region`, foreign.id]] as [string, string][]) : []),
      ];
      for (const [what, specId] of variants) {
        const error = await suite.expectError(
          `createVm in ${suite.harness.region} with ${what}`,
          () => suite.driver.createVm({ ...vmRequest('bad-spec'), specId }),
          [InvalidRequestError],
        );
        expect(error.issues.join('; '), `${what}: issues`).toContain('specId');
      }
    });

    it('createVm with an image of another architecture than the spec throws InvalidRequestError', async (context) => {
      const spec = await withRetry(() => suite.driver.getSpec(suite.harness.specId));
      const otherArch = spec.arch === 'x86_64' ? 'arm64' : 'x86_64';
      const images = await withRetry(() =>
        suite.driver.listImages({ region: suite.harness.region, arch: otherArch }),
      );
      const image = images[0];
      if (!image) return context.skip(`the region lists no ${otherArch} image`);
      await suite.expectError(
        `createVm with ${spec.arch} spec and ${otherArch} image`,
        () => suite.driver.createVm({ ...vmRequest('bad-arch'), imageId: image.id }),
        [InvalidRequestError],
      );
    });

    // Images, subnets, groups and key pairs are things that exist or not (AWS InvalidAMIID.NotFound).
    it('createVm referencing an image, subnet, security group or key pair that does not exist throws NotFoundError', async () => {
      const variants: [string, Partial<CreateVmRequest>][] = [
        ['image', { imageId: missing('image') }],
        ['subnet', { subnetId: missing('subnet') }],
        ['security group', { securityGroupIds: [missing('sg')] }],
        ['key pair', { keyPairId: missing('key') }],
      ];
      for (const [what, override] of variants) {
        await suite.expectError(
          `createVm with a nonexistent ${what}`,
          () => suite.driver.createVm({ ...vmRequest('missing'), ...override }),
          [NotFoundError],
        );
      }
    });

    it('errors are DriverErrors with a code whose JSON form rebuilds the same error', async () => {
      const notFound = await suite.expectError(
        'getVNet(unknown)',
        () => suite.driver.getVNet(missing('json')),
        [NotFoundError],
      );
      const invalid = await suite.expectError(
        'createVNet with CIDR "x"',
        () =>
          suite.driver.createVNet({
            region: suite.harness.region,
            name: suite.name('json'),
            cidrBlock: 'x',
            tags: suite.tags(group),
          }),
        [InvalidRequestError],
      );
      for (const error of [notFound, invalid]) {
        expect(error).toBeInstanceOf(DriverError);
        expect(error.retryable).toBe(false);
        expectWellFormedDriverError(error, suite.provider, error.name);
        const rebuilt = driverErrorFromJson(error.toJSON());
        expect(rebuilt.code).toBe(error.code);
        expect(rebuilt.message).toBe(error.message);
      }
      expect(notFound.code).toBe('NOT_FOUND');
      expect(invalid.code).toBe('INVALID_REQUEST');
      expect((driverErrorFromJson(invalid.toJSON()) as InvalidRequestError).issues).toEqual(invalid.issues);
    });
  });
}

export function registerProvocationTests(suite: ConformanceContext): void {
  let fixture: Fixture;

  /** Provokes `kind` on `operation`, or skips the test when the harness cannot. */
  const provoke = async (context: TestContext, kind: Provocation, operation: 'createVm' | 'listVNets') => {
    const hook = suite.harness.provoke?.[kind];
    if (!hook) return context.skip(`the harness has no provoke.${kind} hook`);
    await hook(operation);
  };

  describe('provoked failures', () => {
    beforeAll(async () => {
      fixture = await suite.fixture();
    }, suite.timeout(1));

    afterEach(async () => {
      await suite.harness.clearProvocations?.();
    });

    const vmRequest = (name: string) =>
      suite.vmRequest(fixture, suite.name(`provoked-${name}`), suite.tags('provoked'));

    it('a capacity shortage makes createVm throw CapacityError, not retryable', async (context) => {
      await provoke(context, 'capacity', 'createVm');
      const error = await suite.expectError(
        'provoked createVm',
        () => suite.driver.createVm(vmRequest('capacity')),
        [CapacityError],
      );
      expect(error.retryable).toBe(false);
    });

    it('a quota limit makes createVm throw QuotaError, not retryable', async (context) => {
      await provoke(context, 'quota', 'createVm');
      const error = await suite.expectError(
        'provoked createVm',
        () => suite.driver.createVm(vmRequest('quota')),
        [QuotaError],
      );
      expect(error.retryable).toBe(false);
    });

    it('a rate limit makes listVNets throw ThrottledError, retryable, with retryAfterMs above 0', async (context) => {
      await provoke(context, 'throttle', 'listVNets');
      const error = await suite.expectError(
        'provoked listVNets',
        () => suite.driver.listVNets({ region: suite.harness.region }),
        [ThrottledError],
      );
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBeGreaterThan(0);
    });

    it('rejected credentials make listVNets throw AuthError, not retryable', async (context) => {
      await provoke(context, 'auth', 'listVNets');
      const error = await suite.expectError(
        'provoked listVNets',
        () => suite.driver.listVNets({ region: suite.harness.region }),
        [AuthError],
      );
      expect(error.retryable).toBe(false);
    });
  });
}
