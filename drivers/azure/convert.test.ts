import { describe, expect, it } from 'vitest';
import type { SecurityRule } from '../spec/index.ts';
import { pricesBySku, type RetailPriceItem, toRegion } from './convert-catalog.ts';
import { offerOf, parseUrn } from './convert-images.ts';
import { fromAzureRule, toAzureRules } from './convert-network.ts';
import { matchesTags, parseArmId, resourceGroupName, userTags } from './convert-tags.ts';
import { statusOf } from './convert-vm.ts';

describe('resource group names', () => {
  it('are s2a-<mci>-<region> for names Azure allows as they are', () => {
    expect(resourceGroupName('web', 'koreacentral')).toBe('s2a-web-koreacentral');
  });

  it('reduce other names and keep reduced names apart with a hash', () => {
    const a = resourceGroupName('My App!', 'westus');
    const b = resourceGroupName('my-app', 'westus');
    expect(a).toMatch(/^s2a-my-app-[0-9a-f]{6}-westus$/);
    expect(b).toBe('s2a-my-app-westus');
    expect(resourceGroupName('x'.repeat(300), 'australiasoutheast').length).toBeLessThanOrEqual(90);
  });
});

describe('NSG rules', () => {
  const rules: SecurityRule[] = [
    {
      direction: 'inbound',
      protocol: 'tcp',
      fromPort: 22,
      toPort: 22,
      cidr: '0.0.0.0/0',
      description: 'ssh',
    },
    { direction: 'inbound', protocol: 'tcp', fromPort: 8000, toPort: 8100, cidr: '10.0.0.0/8' },
    { direction: 'inbound', protocol: 'udp', fromPort: 53, toPort: 53, cidr: '192.168.0.0/16' },
    { direction: 'inbound', protocol: 'icmp', fromPort: null, toPort: null, cidr: '0.0.0.0/0' },
    { direction: 'outbound', protocol: 'all', fromPort: null, toPort: null, cidr: '0.0.0.0/0' },
  ];

  it('round-trip through Azure security rules with unique priorities per direction', () => {
    const azure = toAzureRules(rules);
    expect(azure.map((rule) => `${rule.direction} ${rule.priority}`)).toEqual([
      'Inbound 100',
      'Inbound 110',
      'Inbound 120',
      'Inbound 130',
      'Outbound 100',
    ]);
    expect(azure[1]).toMatchObject({
      protocol: 'Tcp',
      destinationPortRange: '8000-8100',
      sourceAddressPrefix: '10.0.0.0/8',
    });
    expect(azure[4]).toMatchObject({
      protocol: '*',
      destinationAddressPrefix: '0.0.0.0/0',
      sourceAddressPrefix: '*',
    });
    expect(azure.map(fromAzureRule)).toEqual(rules);
  });

  it.each([
    [
      {
        access: 'Allow',
        direction: 'Inbound',
        protocol: 'Tcp',
        destinationPortRange: '443',
        sourceAddressPrefix: 'Internet',
      },
      '0.0.0.0/0',
    ],
    [
      {
        access: 'Allow',
        direction: 'Inbound',
        protocol: 'Tcp',
        destinationPortRange: '443',
        sourceAddressPrefix: '*',
      },
      '0.0.0.0/0',
    ],
    [
      {
        access: 'Allow',
        direction: 'Inbound',
        protocol: 'Tcp',
        destinationPortRange: '443',
        sourceAddressPrefix: '1.2.3.4',
      },
      '1.2.3.4/32',
    ],
  ])('reads source %o as %s', (rule, cidr) => {
    expect(fromAzureRule(rule)?.cidr).toBe(cidr);
  });

  it('skips deny rules and service tags, which have no s2a form', () => {
    expect(
      fromAzureRule({ access: 'Deny', direction: 'Inbound', protocol: '*', sourceAddressPrefix: '*' }),
    ).toBeUndefined();
    expect(
      fromAzureRule({
        access: 'Allow',
        direction: 'Inbound',
        protocol: '*',
        sourceAddressPrefix: 'VirtualNetwork',
      }),
    ).toBeUndefined();
  });
});

describe('VM status', () => {
  it.each([
    ['Creating', 'starting', 'Creating'],
    ['Creating', undefined, 'Creating'],
    ['Succeeded', 'running', 'Running'],
    ['Updating', 'running', 'Running'],
    ['Updating', 'deallocating', 'Suspending'],
    ['Succeeded', 'deallocated', 'Suspended'],
    ['Succeeded', 'stopped', 'Suspended'],
    ['Updating', 'starting', 'Resuming'],
    ['Deleting', 'running', 'Terminating'],
    ['Failed', undefined, 'Failed'],
    ['Failed', 'running', 'Failed'],
  ] as const)('provisioning %s, power %s → %s', (provisioning, power, status) => {
    expect(statusOf(provisioning, power)).toBe(status);
  });
});

describe('ids, tags and catalog conversions', () => {
  it('parses ARM ids, lower-casing the resource group ARM may echo upper case', () => {
    expect(
      parseArmId(
        '/subscriptions/s/resourceGroups/S2A-WEB-KOREACENTRAL/providers/Microsoft.Network/virtualNetworks/net/subnets/a',
      ),
    ).toEqual({
      subscriptionId: 's',
      resourceGroup: 's2a-web-koreacentral',
      type: 'Microsoft.Network/virtualNetworks',
      name: 'net',
      child: { type: 'subnets', name: 'a' },
    });
    expect(parseArmId('/subscriptions/s/locations/x')).toBeUndefined();
  });

  it('hides the bookkeeping tags and filters on the rest', () => {
    const tags = userTags({ 's2a:mci': 'web', 's2a:idempotency-key': 'k', 's2a:subnet': 'g/n/s', team: 'a' });
    expect(tags).toEqual({ 's2a:mci': 'web', team: 'a' });
    expect(matchesTags(tags, { team: 'a' })).toBe(true);
    expect(matchesTags(tags, { team: 'b' })).toBe(false);
  });

  it('keeps Linux pay-as-you-go and spot prices only', () => {
    const item = (skuName: string, productName: string, retailPrice: number): RetailPriceItem => ({
      currencyCode: 'USD',
      retailPrice,
      armRegionName: 'westus',
      armSkuName: 'Standard_B2s',
      skuName,
      productName,
      serviceName: 'Virtual Machines',
      type: 'Consumption',
      unitOfMeasure: '1 Hour',
    });
    const prices = pricesBySku([
      item('B2s', 'Virtual Machines BS Series Windows', 0.06),
      item('B2s Low Priority', 'Virtual Machines BS Series', 0.01),
      item('B2s', 'Virtual Machines BS Series', 0.05),
      item('B2s Spot', 'Virtual Machines BS Series', 0.012),
    ]);
    expect(prices.get('Standard_B2s')).toEqual({ onDemand: 0.05, spot: 0.012 });
  });

  it('skips logical locations, which have no coordinates', () => {
    expect(toRegion({ name: 'asia', metadata: { regionType: 'Logical' } })).toBeUndefined();
  });

  it('parses image URNs and knows the listed offers', () => {
    const urn = parseUrn('Canonical:ubuntu-24_04-lts:server-arm64:24.04.202410150');
    expect(urn).toEqual({
      publisher: 'Canonical',
      offer: 'ubuntu-24_04-lts',
      sku: 'server-arm64',
      version: '24.04.202410150',
    });
    expect(urn && offerOf(urn)?.arch).toBe('arm64');
    expect(parseUrn('Canonical:ubuntu')).toBeUndefined();
  });
});

describe('loading', () => {
  it('no driver module imports an Azure SDK at load time: they are imported when first used', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const directory = import.meta.dirname;
    const sources = readdirSync(directory).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    expect(sources).toContain('azure-driver.ts');
    for (const file of sources) {
      const text = readFileSync(join(directory, file), 'utf8');
      const valueImports = text.match(/^import (?!type )[^;]*from '@azure\/[^']+';/gm) ?? [];
      expect(valueImports, file).toEqual([]);
    }
  });
});
