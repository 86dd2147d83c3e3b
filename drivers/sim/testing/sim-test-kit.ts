import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../store/index.ts';
import type { Store } from '../../../store/types.ts';
import type { ProviderId, Tags, Vm } from '../../spec/index.ts';
import type { SimConfigInput } from '../sim-config.ts';
import { SimDriver } from '../sim-driver.ts';
import type { SimWorld } from '../sim-world.ts';
import { fixtureWorld } from './fixture-world.ts';

/** A manual clock: tests move time instead of sleeping. */
export class ManualClock {
  constructor(public now = Date.parse('2026-11-28T00:00:00Z')) {}
  readonly read = (): number => this.now;
  advance(milliseconds: number): void {
    this.now += milliseconds;
  }
}

export interface SimTestContext {
  home: string;
  store: Store;
  clock: ManualClock;
  driver(provider?: ProviderId, config?: SimConfigInput): SimDriver;
  dispose(): Promise<void>;
}

/** A temp store and drivers on a manual clock, with API latency off so tests run fast. */
export async function createSimTestContext(world: SimWorld = fixtureWorld()): Promise<SimTestContext> {
  const home = mkdtempSync(join(tmpdir(), 's2a-sim-'));
  const store = await openStore({ home });
  const clock = new ManualClock();
  return {
    home,
    store,
    clock,
    driver: (provider = 'aws', config = {}) =>
      new SimDriver({ provider, store, world, clock: clock.read, config: { apiLatency: false, ...config } }),
    async dispose() {
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export const TEST_TAGS: Tags = { 's2a:mci': 'test-mci', 's2a:op': 'op-1', 's2a:owner': 'tester' };

/** vNet → subnet → security group → key pair in one region; returns the ids a VM needs. */
export async function createNetworkStack(driver: SimDriver, region: string, zone?: string) {
  const vNet = await driver.createVNet({ region, name: 'net', cidrBlock: '10.0.0.0/16', tags: TEST_TAGS });
  const subnet = await driver.createSubnet({
    vNetId: vNet.id,
    name: 'subnet',
    cidrBlock: '10.0.1.0/24',
    tags: TEST_TAGS,
    ...(zone ? { zone } : {}),
  });
  const group = await driver.createSecurityGroup({
    vNetId: vNet.id,
    name: 'ssh',
    rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
    tags: TEST_TAGS,
  });
  const keyPair = await driver.createKeyPair({ region, name: 'key', tags: TEST_TAGS });
  return { vNet, subnet, group, keyPair };
}

export type NetworkStack = Awaited<ReturnType<typeof createNetworkStack>>;

export function vmRequest(stack: NetworkStack, overrides: Record<string, unknown> = {}) {
  const region = stack.vNet.region;
  return {
    region,
    name: 'vm',
    specId: `aws+${region}+t3.medium`,
    imageId:
      region === 'us-east-1'
        ? 'aws+us-east-1+ami-0fc5d935ebf8bc3bc'
        : 'aws+ap-northeast-2+ami-0a1b2c3d4e5f60718',
    subnetId: stack.subnet.id,
    securityGroupIds: [stack.group.id],
    keyPairId: stack.keyPair.id,
    tags: TEST_TAGS,
    ...overrides,
  };
}

export function statusOf(vm: Vm): string {
  return vm.status;
}
