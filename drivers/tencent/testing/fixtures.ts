// Catalog answers of the fake, shaped as the CVM API reference documents them (DescribeRegions,
// DescribeZones, DescribeZoneInstanceConfigInfos' InstanceTypeQuotaItem, DescribeImages' Image).
// Prices are made up but of the right size (USD, international site).

export const FAKE_SECRET_ID = 'AKIDfakeS2aTencentWireTest0000000';
export const FAKE_SECRET_KEY = 'fake-secret-key-for-the-wire-tests';

export const FIXTURE_REGIONS = [
  { Region: 'ap-seoul', RegionName: 'South Korea(Seoul)', RegionState: 'AVAILABLE' },
  { Region: 'ap-tokyo', RegionName: 'Japan(Tokyo)', RegionState: 'AVAILABLE' },
  { Region: 'ap-singapore', RegionName: 'Southeast Asia(Singapore)', RegionState: 'AVAILABLE' },
  { Region: 'ap-mumbai', RegionName: 'South Asia Pacific(Mumbai)', RegionState: 'UNAVAILABLE' },
];

export const FIXTURE_ZONES: Record<
  string,
  { Zone: string; ZoneName: string; ZoneId: string; ZoneState: string }[]
> = {
  'ap-seoul': [
    { Zone: 'ap-seoul-1', ZoneName: 'Seoul Zone 1', ZoneId: '180001', ZoneState: 'AVAILABLE' },
    { Zone: 'ap-seoul-2', ZoneName: 'Seoul Zone 2', ZoneId: '180002', ZoneState: 'AVAILABLE' },
  ],
  'ap-tokyo': [
    { Zone: 'ap-tokyo-1', ZoneName: 'Tokyo Zone 1', ZoneId: '250001', ZoneState: 'AVAILABLE' },
    { Zone: 'ap-tokyo-2', ZoneName: 'Tokyo Zone 2', ZoneId: '250002', ZoneState: 'AVAILABLE' },
  ],
  'ap-singapore': [
    { Zone: 'ap-singapore-1', ZoneName: 'Singapore Zone 1', ZoneId: '900001', ZoneState: 'UNAVAILABLE' },
    { Zone: 'ap-singapore-2', ZoneName: 'Singapore Zone 2', ZoneId: '900002', ZoneState: 'AVAILABLE' },
  ],
};

interface TypeFacts {
  type: string;
  family: string;
  typeName: string;
  cpu: number;
  memory: number;
  cpuType: string;
  gpu?: number;
  gpuCount?: number;
  hourly: number;
  spotHourly?: number;
}

const TYPES: TypeFacts[] = [
  {
    type: 'S5.SMALL2',
    family: 'S5',
    typeName: 'Standard S5',
    cpu: 1,
    memory: 2,
    cpuType: 'Intel Xeon Cascade Lake 8255C(2.5 GHz)',
    hourly: 0.0202,
    spotHourly: 0.0041,
  },
  {
    type: 'S5.MEDIUM4',
    family: 'S5',
    typeName: 'Standard S5',
    cpu: 2,
    memory: 4,
    cpuType: 'Intel Xeon Cascade Lake 8255C(2.5 GHz)',
    hourly: 0.0404,
    spotHourly: 0.0082,
  },
  {
    type: 'S5.LARGE8',
    family: 'S5',
    typeName: 'Standard S5',
    cpu: 4,
    memory: 8,
    cpuType: 'Intel Xeon Cascade Lake 8255C(2.5 GHz)',
    hourly: 0.0808,
  },
  {
    type: 'SA5.MEDIUM4',
    family: 'SA5',
    typeName: 'Standard SA5',
    cpu: 2,
    memory: 4,
    cpuType: 'AMD EPYC Bergamo(2.2 GHz)',
    hourly: 0.0352,
  },
  {
    type: 'SR1.MEDIUM4',
    family: 'SR1',
    typeName: 'Standard ARM SR1',
    cpu: 2,
    memory: 4,
    cpuType: 'Ampere Altra(2.8 GHz)',
    hourly: 0.0331,
  },
  {
    type: 'GN7.2XLARGE32',
    family: 'GN7',
    typeName: 'GPU Compute GN7',
    cpu: 8,
    memory: 32,
    cpuType: 'Intel Xeon Cascade Lake 8255C(2.5 GHz)',
    gpu: 1,
    gpuCount: 1,
    hourly: 1.1632,
  },
];

/** Which types each zone sells, and which are sold out there. */
const OFFERS: Record<string, { sell: string[]; soldOut: string[] }> = {
  'ap-seoul-1': {
    sell: ['S5.SMALL2', 'S5.MEDIUM4', 'S5.LARGE8', 'SR1.MEDIUM4', 'GN7.2XLARGE32'],
    soldOut: ['SA5.MEDIUM4'],
  },
  'ap-seoul-2': { sell: ['S5.SMALL2', 'S5.MEDIUM4', 'SA5.MEDIUM4'], soldOut: ['GN7.2XLARGE32'] },
  'ap-tokyo-1': { sell: ['S5.SMALL2', 'S5.MEDIUM4'], soldOut: [] },
  'ap-tokyo-2': { sell: ['S5.MEDIUM4', 'SA5.MEDIUM4'], soldOut: [] },
  'ap-singapore-2': { sell: ['S5.MEDIUM4'], soldOut: [] },
};

function price(hourly: number): Record<string, number | string> {
  return {
    UnitPrice: Math.round(hourly * 1.25 * 10000) / 10000,
    ChargeUnit: 'HOUR',
    UnitPriceDiscount: hourly,
    Discount: 80,
  };
}

/** InstanceTypeQuotaSet of DescribeZoneInstanceConfigInfos for one region and charge type. */
export function instanceTypeQuotas(region: string, chargeType: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const zone of FIXTURE_ZONES[region] ?? []) {
    const offer = OFFERS[zone.Zone];
    if (!offer) continue;
    for (const facts of TYPES) {
      const sold = offer.sell.includes(facts.type);
      if (!sold && !offer.soldOut.includes(facts.type)) continue;
      const hourly = chargeType === 'SPOTPAID' ? facts.spotHourly : facts.hourly;
      if (hourly === undefined) continue;
      items.push({
        Zone: zone.Zone,
        InstanceType: facts.type,
        InstanceChargeType: chargeType,
        NetworkCard: 0,
        Externals: {},
        Cpu: facts.cpu,
        Memory: facts.memory,
        InstanceFamily: facts.family,
        TypeName: facts.typeName,
        LocalDiskTypeList: [],
        Status: sold ? 'SELL' : 'SOLD_OUT',
        Price: price(hourly),
        SoldOutReason: sold ? '' : 'Sold out',
        InstanceBandwidth: 1.5,
        InstancePps: 30,
        StorageBlockAmount: 0,
        CpuType: facts.cpuType,
        Gpu: facts.gpu ?? 0,
        Fpga: 0,
        Remark: '',
        GpuCount: facts.gpuCount ?? 0,
        Frequency: '2.5/3.1GHz',
        StatusCategory: sold ? 'EnoughStock' : 'WithoutStock',
      });
    }
  }
  return items;
}

export const UBUNTU_2204_IMAGE = 'img-487zeit5';
export const UBUNTU_2204_ARM_IMAGE = 'img-mmytdhbn';

/** Public images every fixture region lists (ids as Tencent's public images look). */
export const FIXTURE_IMAGES: Record<string, unknown>[] = [
  image(UBUNTU_2204_IMAGE, 'Ubuntu Server 22.04 LTS 64bit', 'Ubuntu', 'x86_64'),
  image('img-22trbn9x', 'Ubuntu Server 20.04 LTS 64bit', 'Ubuntu', 'x86_64'),
  image(UBUNTU_2204_ARM_IMAGE, 'Ubuntu Server 22.04 LTS 64bit ARM', 'Ubuntu', 'arm'),
  image('img-eb30mz89', 'Debian 12.0 64bit', 'Debian', 'x86_64'),
  image('img-9qrfy1xt', 'TencentOS Server 3.1 (TK4)', 'TencentOS', 'x86_64'),
  image('img-8toqc6s3', 'CentOS 6.9 32bit', 'CentOS', 'i386'),
];

function image(id: string, osName: string, platform: string, architecture: string): Record<string, unknown> {
  return {
    ImageId: id,
    OsName: osName,
    ImageType: 'PUBLIC_IMAGE',
    CreatedTime: '2024-06-11T07:22:30Z',
    ImageName: osName,
    ImageDescription: osName,
    ImageSize: 20,
    Architecture: architecture,
    ImageState: 'NORMAL',
    Platform: platform,
    ImageCreator: '',
    ImageSource: 'OFFICIAL',
    SyncPercent: null,
    IsSupportCloudinit: true,
    SnapshotSet: [],
    Tags: [],
    LicenseType: 'TencentCloud',
    ImageFamily: '',
    ImageDeprecated: false,
  };
}
