import { describe, expect, it } from 'vitest';
import type { SecurityRule } from '../spec/index.ts';
import { toImage, toSpecs } from './convert-catalog.ts';
import { keyName, networkName, policiesToRules, ruleToPolicy, tencentTime } from './convert-network.ts';
import { toVmStatus } from './convert-vm.ts';

describe('Tencent shapes → spec', () => {
  it('VPC times are Beijing time without a zone; CVM times are UTC', () => {
    expect(tencentTime('2020-03-10 11:28:31')).toBe('2020-03-10T03:28:31.000Z');
    expect(tencentTime('2020-03-10T03:28:31Z')).toBe('2020-03-10T03:28:31.000Z');
    expect(tencentTime(undefined)).toBe(new Date(0).toISOString());
  });

  it('key names fit 25 letters, digits and underscores, and stay distinct when shortened', () => {
    expect(keyName('web-key')).toBe('web_key');
    const long = keyName('cf-0123abcd-lc-key-generated');
    const other = keyName('cf-0123abcd-lc-key-generates');
    expect(long).toMatch(/^[A-Za-z0-9_]{25}$/);
    expect(long).not.toBe(other);
    expect(networkName('a'.repeat(63))).toHaveLength(60);
  });

  it.each([
    [
      { protocol: 'tcp', fromPort: 22, toPort: 22 },
      { Protocol: 'TCP', Port: '22' },
    ],
    [
      { protocol: 'udp', fromPort: 8000, toPort: 8100 },
      { Protocol: 'UDP', Port: '8000-8100' },
    ],
    [
      { protocol: 'tcp', fromPort: 0, toPort: 65535 },
      { Protocol: 'TCP', Port: 'ALL' },
    ],
    [{ protocol: 'icmp', fromPort: null, toPort: null }, { Protocol: 'ICMP' }],
    [{ protocol: 'all', fromPort: null, toPort: null }, { Protocol: 'ALL' }],
  ] as const)('rule %o ↔ policy %o', (ports, policy) => {
    const rule: SecurityRule = { direction: 'inbound', cidr: '10.0.0.0/8', ...ports };
    expect(ruleToPolicy(rule)).toEqual({ ...policy, CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' });
    expect(policiesToRules([ruleToPolicy(rule)], 'inbound')).toEqual([rule]);
  });

  it('policies Tencent lists that are not spec rules are left out; port lists become one rule each', () => {
    const rules = policiesToRules(
      [
        { Protocol: 'TCP', Port: '22,443', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' },
        { Protocol: 'TCP', Port: '80', CidrBlock: '0.0.0.0/0', Action: 'DROP' },
        { Protocol: 'TCP', Port: '80', Ipv6CidrBlock: '::/0', Action: 'ACCEPT' },
      ],
      'inbound',
    );
    expect(rules.map((rule) => [rule.fromPort, rule.toPort])).toEqual([
      [22, 22],
      [443, 443],
    ]);
  });

  it('instance states map to spec statuses; an unknown state is Failed', () => {
    expect(
      [
        'PENDING',
        'RUNNING',
        'STOPPING',
        'STOPPED',
        'STARTING',
        'REBOOTING',
        'TERMINATING',
        'SHUTDOWN',
        'LAUNCH_FAILED',
        'NEW',
      ].map(toVmStatus),
    ).toEqual([
      'Creating',
      'Running',
      'Suspending',
      'Suspended',
      'Resuming',
      'Rebooting',
      'Terminating',
      'Terminated',
      'Failed',
      'Failed',
    ]);
  });

  it('images: version from the OS name, arm is arm64, 32-bit and unfinished images are left out', () => {
    const base = { ImageId: 'img-487zeit5', Platform: 'Ubuntu', ImageState: 'NORMAL' };
    expect(
      toImage('ap-seoul', { ...base, OsName: 'Ubuntu Server 22.04 LTS 64bit', Architecture: 'x86_64' }),
    ).toMatchObject({
      os: 'ubuntu',
      osVersion: '22.04',
      arch: 'x86_64',
    });
    expect(toImage('ap-seoul', { ...base, OsName: 'Ubuntu 22.04', Architecture: 'arm' })?.arch).toBe('arm64');
    expect(toImage('ap-seoul', { ...base, Architecture: 'i386' })).toBeUndefined();
    expect(toImage('ap-seoul', { ...base, Architecture: 'x86_64', ImageState: 'CREATING' })).toBeUndefined();
  });

  it('specs merge zones that sell a type, take the lowest price and keep types sold out everywhere with no zone', () => {
    const item = (zone: string, type: string, status: string, price: number) => ({
      Zone: zone,
      InstanceType: type,
      Status: status,
      Cpu: 2,
      Memory: 4,
      InstanceFamily: type.split('.')[0],
      Price: { UnitPrice: price * 2, UnitPriceDiscount: price, ChargeUnit: 'HOUR' },
    });
    const specs = toSpecs(
      'ap-seoul',
      [
        item('ap-seoul-2', 'S5.MEDIUM4', 'SELL', 0.05),
        item('ap-seoul-1', 'S5.MEDIUM4', 'SELL', 0.04),
        item('ap-seoul-1', 'SA5.MEDIUM4', 'SOLD_OUT', 0.03),
      ],
      [],
      'USD',
      '2026-12-07T00:00:00.000Z',
    );
    expect(specs.map((spec) => [spec.name, spec.zones])).toEqual([
      ['S5.MEDIUM4', ['ap-seoul-1', 'ap-seoul-2']],
      // Sold out everywhere: kept, with no zone, so a create fails as CapacityError.
      ['SA5.MEDIUM4', []],
    ]);
    expect(specs[0]).toMatchObject({
      id: 'tencent+ap-seoul+S5.MEDIUM4',
      pricePerHour: 0.04,
      spotPricePerHour: null,
      zones: ['ap-seoul-1', 'ap-seoul-2'],
      gpu: null,
    });
  });
});
