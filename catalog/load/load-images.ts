import type { Arch, Image, ProviderId, Region, Spec } from '../../drivers/spec/index.ts';
import { regionId, resourceId } from '../../drivers/spec/index.ts';
import { mapRegionName, providerFromCloudBaristaName } from './cloud-barista-names.ts';
import { cell, readDataCsv } from './data-files.ts';
import { cachedOnDisk } from './disk-cache.ts';
import { loadRegions, regionCodesByProvider } from './load-regions.ts';
import { loadSpecs } from './load-specs.ts';

export const WELL_KNOWN_SOURCE = 'well-known-public-image';
export const PLACEHOLDER_SOURCE = 's2a-placeholder';

type ImageFields = Omit<Image, 'id'>;

/**
 * Image ids are `provider+region+cspImageId`, and an id part may not contain "+". Provider image ids
 * may hold "/" and ":" (GCP paths, Azure URNs), which ids keep; "%" and "+" are percent-encoded
 * ("%25", "%2B") so the id stays reversible. No image in today's data needs it.
 */
export function encodeIdPart(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('+', '%2B');
}

export function decodeIdPart(value: string): string {
  return value.replaceAll('%2B', '+').replaceAll('%25', '%');
}

/** Distribution names as they appear in image descriptions, to the lower-case `os` field. */
const OS_PATTERNS: [RegExp, string][] = [
  [/^ubuntu/i, 'ubuntu'],
  [/^debian/i, 'debian'],
  [/^centos/i, 'centos'],
  [/^(red hat|rhel)/i, 'rhel'],
  [/^rocky/i, 'rocky'],
  [/^almalinux/i, 'almalinux'],
  [/^(suse|sles|opensuse)/i, 'suse'],
  [/^windows/i, 'windows'],
  [/^azure linux/i, 'azurelinux'],
  [/^amazon linux/i, 'amazonlinux'],
  [/^alibaba cloud linux/i, 'alinux'],
  [/^(tencentos|tlinux)/i, 'tencentos'],
  [/^container-optimized|^cos$/i, 'cos'],
];

/** "Ubuntu 22.04 (ARM64)" → ubuntu / 22.04; undefined when either part is missing. */
export function osFromText(text: string): { os: string; osVersion: string } | undefined {
  const trimmed = text.trim();
  const os = OS_PATTERNS.find(([pattern]) => pattern.test(trimmed))?.[1];
  const osVersion = /\d+(\.\d+)*/.exec(trimmed)?.[0];
  return os && osVersion ? { os, osVersion } : undefined;
}

const GPU_HINT = /nvidia|cuda|\bgpu\b|deep learning|\bcu\d{3}\b/i;

function archFromText(...texts: string[]): Arch {
  return texts.some((text) => /arm64|aarch64/i.test(text)) ? 'arm64' : 'x86_64';
}

/** Cloud-Barista cloudimage.csv rows (current and v0.11.0): VM images only, "all" expanded. */
function cloudBaristaImages(
  file: string,
  source: string,
  regionCodes: Map<ProviderId, Set<string>>,
): ImageFields[] {
  const table = readDataCsv(file);
  const column = {
    provider: table.column('providerName'),
    region: table.column('regionName'),
    image: table.column('cspImageName'),
    osType: table.column('osType'),
    description: table.column('description'),
    infraType: table.column('infraType'),
    architecture: table.header.indexOf('osArchitecture'),
  };
  const images: ImageFields[] = [];
  for (const row of table.rows) {
    const provider = providerFromCloudBaristaName(cell(row, column.provider));
    if (!provider) continue;
    // Kubernetes node image types (EKS AMI types, GKE image types) are not images a VM boots from.
    if (!cell(row, column.infraType).split('|').includes('vm')) continue;
    // v0.11.0's Azure rows swap the Debian 10/11 labels; the current file lists Azure afresh.
    if (source.includes('legacy') && provider === 'azure') continue;
    const osType = cell(row, column.osType);
    const os = osFromText(osType);
    if (!os) continue;
    const cspImageId = cell(row, column.image);
    const description = cell(row, column.description);
    const arch =
      column.architecture >= 0 && cell(row, column.architecture) === 'arm64'
        ? 'arm64'
        : archFromText(osType, cspImageId, description);
    for (const region of mapRegionName(cell(row, column.region), regionCodes.get(provider) ?? new Set())) {
      images.push({
        provider,
        region,
        cspImageId,
        name: description ? `${osType}: ${description}` : osType,
        ...os,
        arch,
        gpuReady: GPU_HINT.test(`${osType} ${description}`),
        source,
      });
    }
  }
  return images;
}

/** SkyPilot AWS AMIs: per region, tagged cpu/gpu/arm64/neuron. k80 tags have no id and are skipped. */
function skypilotAwsImages(): ImageFields[] {
  const table = readDataCsv('skypilot-catalog/catalogs/v8/aws/images.csv');
  const [tag, region, os, version, imageId] = ['Tag', 'Region', 'OS', 'OSVersion', 'ImageId'].map((name) =>
    table.column(name),
  ) as [number, number, number, number, number];
  return table.rows
    .filter((row) => cell(row, imageId) !== '')
    .map((row) => ({
      provider: 'aws' as const,
      region: cell(row, region),
      cspImageId: cell(row, imageId),
      name: `Ubuntu ${cell(row, version)} (${cell(row, tag)})`,
      os: cell(row, os).toLowerCase(),
      osVersion: cell(row, version),
      arch: archFromText(cell(row, tag)),
      // "neuron" images carry the AWS Neuron SDK (Inferentia/Trainium), not CUDA.
      gpuReady: /gpu/.test(cell(row, tag)),
      source: 'skypilot-catalog',
    }));
}

/** SkyPilot GCP and Azure images are global: one entry per region of the provider, plus GCP's base images. */
function skypilotGlobalImages(regionCodes: Map<ProviderId, Set<string>>): ImageFields[] {
  const images: ImageFields[] = [];
  const gcp = readDataCsv('skypilot-catalog/catalogs/v8/gcp/images.csv');
  const azure = readDataCsv('skypilot-catalog/catalogs/v5/azure/images.csv');
  for (const [provider, table] of [
    ['gcp', gcp],
    ['azure', azure],
  ] as const) {
    const tag = table.column('Tag');
    const os = table.column('OS');
    const version = table.column('OSVersion');
    const imageId = table.column('ImageId');
    const base = table.header.indexOf('BaseImageId');
    for (const row of table.rows) {
      const id = cell(row, imageId);
      if (!id) continue;
      const osName = cell(row, os).toLowerCase();
      const arch = archFromText(cell(row, tag), id);
      // Azure's DSVM images (publisher microsoft-dsvm) ship NVIDIA drivers and CUDA.
      const gpuReady =
        osName !== 'cos' && (GPU_HINT.test(`${cell(row, tag)} ${id}`) || id.startsWith('microsoft-dsvm:'));
      const entries: ImageFields[] = [
        {
          provider,
          region: '',
          cspImageId: id,
          name: `${cell(row, os)} ${cell(row, version)} (${cell(row, tag)})`,
          os: osName,
          osVersion: cell(row, version),
          arch,
          gpuReady,
          source: 'skypilot-catalog',
        },
      ];
      const baseImage = base >= 0 ? cell(row, base) : '';
      if (baseImage.startsWith('projects/ubuntu-os-cloud/')) {
        entries.push({
          provider,
          region: '',
          cspImageId: baseImage,
          name: `Ubuntu ${cell(row, version)} (Canonical image that ${cell(row, tag)} builds on)`,
          os: 'ubuntu',
          osVersion: cell(row, version),
          arch,
          gpuReady: false,
          source: 'skypilot-catalog',
        });
      }
      for (const region of regionCodes.get(provider) ?? []) {
        for (const entry of entries) images.push({ ...entry, region });
      }
    }
  }
  return images;
}

/**
 * Provider-published references that resolve to a current image, for regions the data leaves
 * without one: AWS SSM public parameters (EC2 accepts "resolve:ssm:<parameter>" as an image id),
 * GCP image families, Azure marketplace URNs with version "latest", and image names for the others.
 */
interface WellKnown {
  cspImageId: string;
  name: string;
  source: string;
}

const UBUNTU_2204: Partial<Record<ProviderId, WellKnown>> = {
  aws: {
    cspImageId:
      'resolve:ssm:/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id',
    name: 'Ubuntu 22.04 LTS (Canonical SSM parameter, amd64)',
    source: WELL_KNOWN_SOURCE,
  },
  azure: {
    cspImageId: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
    name: 'Ubuntu Server 22.04 LTS Gen2 (Canonical marketplace URN)',
    source: WELL_KNOWN_SOURCE,
  },
  gcp: {
    cspImageId: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts',
    name: 'Ubuntu 22.04 LTS (ubuntu-os-cloud image family)',
    source: WELL_KNOWN_SOURCE,
  },
  ibm: {
    cspImageId: 'ibm-ubuntu-22-04-minimal-amd64',
    name: 'Ubuntu 22.04 minimal (IBM stock image; names carry a point release and build, e.g. ibm-ubuntu-22-04-5-minimal-amd64-1: resolve the newest by this prefix)',
    source: WELL_KNOWN_SOURCE,
  },
  ncp: {
    cspImageId: 'ubuntu-22.04-base',
    name: 'ubuntu-22.04-base (NCP KVM public image name)',
    source: WELL_KNOWN_SOURCE,
  },
  nhn: {
    cspImageId: 'Ubuntu Server 22.04 LTS',
    name: 'Ubuntu Server 22.04 LTS (NHN Cloud public image name)',
    source: WELL_KNOWN_SOURCE,
  },
  openstack: {
    cspImageId: 'ubuntu-22.04',
    name: 'ubuntu-22.04 (conventional Glance image name; each deployment chooses its own)',
    source: 'openstack-image-name-convention',
  },
};

const UBUNTU_2204_ARM64: Partial<Record<ProviderId, WellKnown>> = {
  aws: {
    cspImageId:
      'resolve:ssm:/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id',
    name: 'Ubuntu 22.04 LTS (Canonical SSM parameter, arm64)',
    source: WELL_KNOWN_SOURCE,
  },
  azure: {
    cspImageId: 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-arm64:latest',
    name: 'Ubuntu Server 22.04 LTS Arm64 (Canonical marketplace URN)',
    source: WELL_KNOWN_SOURCE,
  },
  gcp: {
    cspImageId: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts-arm64',
    name: 'Ubuntu 22.04 LTS Arm64 (ubuntu-os-cloud image family)',
    source: WELL_KNOWN_SOURCE,
  },
};

/**
 * GPU-ready images. Alibaba, Tencent, IBM, NHN and KT publish no public image with NVIDIA drivers
 * that s2a knows an id for (Alibaba and Tencent offer "install the GPU driver" at launch instead), so
 * their GPU regions get an explicit placeholder: its id is not a provider id, so a real driver fails
 * loudly on it rather than booting a VM without drivers; the sim accepts it.
 */
const PLACEHOLDER_GPU: WellKnown = {
  cspImageId: 's2a-placeholder:ubuntu-22.04-nvidia-driver',
  name: 'Ubuntu 22.04 with NVIDIA driver (placeholder: no public GPU image id known for this provider; use Ubuntu 22.04 and install the driver at boot)',
  source: PLACEHOLDER_SOURCE,
};

const GPU_READY: Partial<Record<ProviderId, WellKnown>> = {
  aws: {
    cspImageId:
      'resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id',
    name: 'Deep Learning Base OSS NVIDIA Driver GPU AMI (Ubuntu 22.04, SSM parameter)',
    source: WELL_KNOWN_SOURCE,
  },
  azure: {
    cspImageId: 'microsoft-dsvm:ubuntu-hpc:2204:latest',
    name: 'Ubuntu HPC 22.04 with NVIDIA drivers (microsoft-dsvm marketplace URN)',
    source: WELL_KNOWN_SOURCE,
  },
  alibaba: PLACEHOLDER_GPU,
  tencent: PLACEHOLDER_GPU,
  ibm: PLACEHOLDER_GPU,
  nhn: PLACEHOLDER_GPU,
  kt: PLACEHOLDER_GPU,
};

interface RegionNeeds {
  arm64: boolean;
  gpu: boolean;
}

function needsByRegion(specs: readonly Spec[]): Map<string, RegionNeeds> {
  // Keyed by provider, then region: no key string per spec (there are ~75,000).
  const byProvider = new Map<ProviderId, Map<string, RegionNeeds>>();
  for (const spec of specs) {
    let regions = byProvider.get(spec.provider);
    if (!regions) {
      regions = new Map();
      byProvider.set(spec.provider, regions);
    }
    let entry = regions.get(spec.region);
    if (!entry) {
      entry = { arm64: false, gpu: false };
      regions.set(spec.region, entry);
    }
    if (spec.arch === 'arm64') entry.arm64 = true;
    if (spec.gpu) entry.gpu = true;
  }
  const needs = new Map<string, RegionNeeds>();
  for (const [provider, regions] of byProvider) {
    for (const [region, entry] of regions) needs.set(regionId(provider, region), entry);
  }
  return needs;
}

function wellKnownImage(region: Region, reference: WellKnown, arch: Arch, gpuReady: boolean): ImageFields {
  return {
    provider: region.provider,
    region: region.code,
    cspImageId: reference.cspImageId,
    name: reference.name,
    os: 'ubuntu',
    osVersion: '22.04',
    arch,
    gpuReady,
    source: reference.source,
  };
}

const isUbuntu2204 = (image: ImageFields): boolean => image.os === 'ubuntu' && image.osVersion === '22.04';

/**
 * Adds what a region must have and the data does not give: an Ubuntu 22.04 x86_64 image everywhere,
 * an Ubuntu 22.04 arm64 image where the region has arm64 specs, a GPU-ready image where it has GPU specs.
 */
function fillGaps(regions: readonly Region[], images: ImageFields[], specs: readonly Spec[]): ImageFields[] {
  const byRegion = new Map<string, ImageFields[]>();
  for (const image of images) {
    const key = `${image.provider}+${image.region}`;
    const list = byRegion.get(key);
    if (list) list.push(image);
    else byRegion.set(key, [image]);
  }
  const needs = needsByRegion(specs);
  const added: ImageFields[] = [];
  const referenceFor = (
    region: Region,
    table: Partial<Record<ProviderId, WellKnown>>,
    what: string,
  ): WellKnown => {
    const reference = table[region.provider];
    if (!reference) throw new Error(`no ${what} image for ${region.id} and no well-known fallback`);
    return reference;
  };
  for (const region of regions) {
    const present = byRegion.get(region.id) ?? [];
    const need = needs.get(region.id) ?? { arm64: false, gpu: false };
    if (!present.some((image) => isUbuntu2204(image) && image.arch === 'x86_64')) {
      added.push(
        wellKnownImage(region, referenceFor(region, UBUNTU_2204, 'Ubuntu 22.04 x86_64'), 'x86_64', false),
      );
    }
    if (need.arm64 && !present.some((image) => isUbuntu2204(image) && image.arch === 'arm64')) {
      added.push(
        wellKnownImage(region, referenceFor(region, UBUNTU_2204_ARM64, 'Ubuntu 22.04 arm64'), 'arm64', false),
      );
    }
    if (need.gpu && !present.some((image) => image.gpuReady)) {
      added.push(wellKnownImage(region, referenceFor(region, GPU_READY, 'GPU-ready'), 'x86_64', true));
    }
  }
  return added;
}

let cachedImages: Image[] | undefined;

/**
 * Images per region: real ids from Cloud-Barista and SkyPilot first, then well-known references and
 * placeholders where a region would otherwise lack Ubuntu 22.04, arm64 or GPU-ready images.
 * Duplicate ids keep the first (real data before fallbacks). Memoised; treat as read-only.
 */
export function loadImages(): Image[] {
  cachedImages ??= cachedOnDisk('images', parseImages);
  return [...cachedImages];
}

function parseImages(): Image[] {
  const regions = loadRegions();
  const regionCodes = regionCodesByProvider();
  const collected: ImageFields[] = [
    ...cloudBaristaImages(
      'cloud-barista/cb-tumblebug-assets/cloudimage.csv',
      'cb-tumblebug-assets',
      regionCodes,
    ),
    ...skypilotAwsImages(),
    ...skypilotGlobalImages(regionCodes),
    ...cloudBaristaImages(
      'cloud-barista/cb-tumblebug-legacy-v0.11.0/cloudimage.csv',
      'cb-tumblebug-legacy-v0.11.0',
      regionCodes,
    ),
  ].filter((image) => regionCodes.get(image.provider)?.has(image.region));
  const all = [...collected, ...fillGaps(regions, collected, loadSpecs())];
  const byId = new Map<string, Image>();
  for (const fields of all) {
    const id = resourceId(fields.provider, fields.region, encodeIdPart(fields.cspImageId));
    if (!byId.has(id)) byId.set(id, { id, ...fields });
  }
  return [...byId.values()];
}
