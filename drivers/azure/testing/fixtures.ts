// What the fake ARM serves, shaped as the REST references document (Subscriptions - List Locations
// 2022-12-01, Resource Skus - List, Virtual Machine Images - List/Get, the Retail Prices API).

export const FAKE_SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';

/** `GET /subscriptions/{id}/locations`: two physical regions (one without zones) and a logical one. */
export function locationFixtures(subscriptionId: string) {
  const location = (name: string) => `/subscriptions/${subscriptionId}/locations/${name}`;
  return [
    {
      id: location('koreacentral'),
      name: 'koreacentral',
      type: 'Region',
      displayName: 'Korea Central',
      regionalDisplayName: '(Asia Pacific) Korea Central',
      metadata: {
        regionType: 'Physical',
        regionCategory: 'Recommended',
        geography: 'Korea',
        geographyGroup: 'Asia Pacific',
        longitude: '126.978',
        latitude: '37.5665',
        physicalLocation: 'Seoul',
        pairedRegion: [{ name: 'koreasouth', id: location('koreasouth') }],
      },
      availabilityZoneMappings: [
        { logicalZone: '1', physicalZone: 'koreacentral-az1' },
        { logicalZone: '2', physicalZone: 'koreacentral-az3' },
        { logicalZone: '3', physicalZone: 'koreacentral-az2' },
      ],
    },
    {
      id: location('westus'),
      name: 'westus',
      type: 'Region',
      displayName: 'West US',
      regionalDisplayName: '(US) West US',
      metadata: {
        regionType: 'Physical',
        regionCategory: 'Other',
        geography: 'United States',
        geographyGroup: 'US',
        longitude: '-122.417',
        latitude: '37.783',
        physicalLocation: 'California',
        pairedRegion: [{ name: 'eastus', id: location('eastus') }],
      },
    },
    {
      id: location('asiapacific'),
      name: 'asiapacific',
      type: 'Region',
      displayName: 'Asia Pacific',
      regionalDisplayName: 'Asia Pacific',
      metadata: { regionType: 'Logical', regionCategory: 'Other', geography: 'Asia Pacific' },
    },
  ];
}

const capabilities = (entries: Record<string, string>) =>
  Object.entries(entries).map(([name, value]) => ({ name, value }));

function vmSku(
  name: string,
  location: string,
  zones: string[],
  entries: Record<string, string>,
  restrictions: unknown[] = [],
) {
  return {
    resourceType: 'virtualMachines',
    name,
    tier: 'Standard',
    size: name.replace(/^Standard_/, ''),
    family: 'standardFamily',
    locations: [location],
    locationInfo: [{ location, zones, zoneDetails: [] }],
    capabilities: capabilities(entries),
    restrictions,
  };
}

/** `GET /subscriptions/{id}/providers/Microsoft.Compute/skus`: VM sizes per region, plus a disk SKU to skip. */
export function skuFixtures() {
  const small = { vCPUs: '2', MemoryGB: '4', CpuArchitectureType: 'x64', HyperVGenerations: 'V1,V2' };
  const general = { vCPUs: '2', MemoryGB: '8', CpuArchitectureType: 'x64', HyperVGenerations: 'V1,V2' };
  const arm = { vCPUs: '2', MemoryGB: '8', CpuArchitectureType: 'Arm64', HyperVGenerations: 'V2' };
  const gpu = {
    vCPUs: '4',
    MemoryGB: '28',
    CpuArchitectureType: 'x64',
    GPUs: '1',
    HyperVGenerations: 'V1,V2',
  };
  return [
    vmSku('Standard_B2s', 'koreacentral', ['1', '2', '3'], small),
    vmSku('Standard_D2s_v5', 'koreacentral', ['1', '2', '3'], general),
    vmSku('Standard_D2ps_v5', 'koreacentral', ['1', '2', '3'], arm),
    vmSku('Standard_NC4as_T4_v3', 'koreacentral', ['1', '2', '3'], gpu, [
      {
        type: 'Zone',
        values: ['koreacentral'],
        restrictionInfo: { locations: ['koreacentral'], zones: ['3'] },
        reasonCode: 'NotAvailableForSubscription',
      },
    ]),
    vmSku(
      'Standard_M416ms_v2',
      'koreacentral',
      ['1'],
      { vCPUs: '416', MemoryGB: '11400', CpuArchitectureType: 'x64' },
      [
        {
          type: 'Location',
          values: ['koreacentral'],
          restrictionInfo: { locations: ['koreacentral'] },
          reasonCode: 'NotAvailableForSubscription',
        },
      ],
    ),
    // Generation 1 only: the gen2 marketplace images do not boot on it.
    vmSku('Standard_A1_v2', 'koreacentral', ['1', '2', '3'], {
      vCPUs: '1',
      MemoryGB: '2',
      CpuArchitectureType: 'x64',
      HyperVGenerations: 'V1',
    }),
    vmSku('Standard_B2s', 'westus', [], small),
    vmSku('Standard_D2s_v5', 'westus', [], general),
    {
      resourceType: 'disks',
      name: 'Premium_LRS',
      tier: 'Premium',
      size: 'P1',
      locations: ['koreacentral'],
      locationInfo: [{ location: 'koreacentral', zones: ['1', '2', '3'] }],
      capabilities: [],
      restrictions: [],
    },
  ];
}

/** Marketplace image versions per region: publisher/offer/sku → versions, oldest first. */
export function imageFixtures(): Record<string, Record<string, string[]>> {
  const everywhere = {
    'Canonical/ubuntu-24_04-lts/server': ['24.04.202409120', '24.04.202410150'],
    'Canonical/ubuntu-24_04-lts/server-arm64': ['24.04.202410150'],
    'Canonical/0001-com-ubuntu-server-jammy/22_04-lts-gen2': ['22.04.202405140', '22.04.202406140'],
    'Canonical/0001-com-ubuntu-server-jammy/22_04-lts-arm64': ['22.04.202406140'],
  };
  return {
    koreacentral: {
      ...everywhere,
      'Debian/debian-12/12-gen2': ['0.20240717.1811'],
      'Debian/debian-12/12-arm64': ['0.20240717.1811'],
    },
    westus: everywhere,
  };
}

/** Retail Prices API items (https://prices.azure.com/api/retail/prices), as documented. */
export function priceFixtures() {
  const item = (
    region: string,
    armSkuName: string,
    skuName: string,
    productName: string,
    retailPrice: number,
  ) => ({
    currencyCode: 'USD',
    tierMinimumUnits: 0,
    retailPrice,
    unitPrice: retailPrice,
    armRegionName: region,
    location: region === 'koreacentral' ? 'KR Central' : 'US West',
    effectiveStartDate: '2024-01-01T00:00:00Z',
    meterId: `${armSkuName}-${skuName}`,
    meterName: skuName.replace(/^\S+ /, ''),
    productId: 'DZH318Z0BQ4L',
    skuId: 'DZH318Z0BQ4L/00F0',
    productName,
    skuName,
    serviceName: 'Virtual Machines',
    serviceId: 'DZH313Z7MMC8',
    serviceFamily: 'Compute',
    unitOfMeasure: '1 Hour',
    type: 'Consumption',
    isPrimaryMeterRegion: true,
    armSkuName,
  });
  return [
    item('koreacentral', 'Standard_B2s', 'B2s', 'Virtual Machines BS Series', 0.0496),
    item('koreacentral', 'Standard_B2s', 'B2s', 'Virtual Machines BS Series Windows', 0.0584),
    item('koreacentral', 'Standard_B2s', 'B2s Spot', 'Virtual Machines BS Series', 0.0109),
    item('koreacentral', 'Standard_D2s_v5', 'D2s v5', 'Virtual Machines Dsv5 Series', 0.113),
    item('koreacentral', 'Standard_D2s_v5', 'D2s v5 Low Priority', 'Virtual Machines Dsv5 Series', 0.0226),
    item('koreacentral', 'Standard_NC4as_T4_v3', 'NC4as T4 v3', 'Virtual Machines NCasT4_v3 Series', 0.631),
    item('westus', 'Standard_B2s', 'B2s', 'Virtual Machines BS Series', 0.052),
  ];
}
