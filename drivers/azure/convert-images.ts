// Marketplace images (publisher:offer:sku:version URNs) ↔ s2a images.
import type { VirtualMachineImage } from '@azure/arm-compute';
import { type Arch, type Image, resourceId } from '../spec/index.ts';

/** The marketplace images s2a lists: free, plan-less Linux LTS images, newest version each. */
export interface ImageOffer {
  publisher: string;
  offer: string;
  sku: string;
  os: string;
  osVersion: string;
  arch: Arch;
}

export const IMAGE_OFFERS: readonly ImageOffer[] = [
  {
    publisher: 'Canonical',
    offer: 'ubuntu-24_04-lts',
    sku: 'server',
    os: 'ubuntu',
    osVersion: '24.04',
    arch: 'x86_64',
  },
  {
    publisher: 'Canonical',
    offer: 'ubuntu-24_04-lts',
    sku: 'server-arm64',
    os: 'ubuntu',
    osVersion: '24.04',
    arch: 'arm64',
  },
  {
    publisher: 'Canonical',
    offer: '0001-com-ubuntu-server-jammy',
    sku: '22_04-lts-gen2',
    os: 'ubuntu',
    osVersion: '22.04',
    arch: 'x86_64',
  },
  {
    publisher: 'Canonical',
    offer: '0001-com-ubuntu-server-jammy',
    sku: '22_04-lts-arm64',
    os: 'ubuntu',
    osVersion: '22.04',
    arch: 'arm64',
  },
  { publisher: 'Debian', offer: 'debian-12', sku: '12-gen2', os: 'debian', osVersion: '12', arch: 'x86_64' },
  { publisher: 'Debian', offer: 'debian-12', sku: '12-arm64', os: 'debian', osVersion: '12', arch: 'arm64' },
];

export interface ImageUrn {
  publisher: string;
  offer: string;
  sku: string;
  version: string;
}

/** `Canonical:ubuntu-24_04-lts:server:24.04.202409120` → its parts. */
export function parseUrn(urn: string): ImageUrn | undefined {
  const parts = urn.split(':');
  if (parts.length !== 4 || parts.some((part) => part.length === 0)) return undefined;
  const [publisher = '', offer = '', sku = '', version = ''] = parts;
  return { publisher, offer, sku, version };
}

export function urnOf(offer: Pick<ImageOffer, 'publisher' | 'offer' | 'sku'>, version: string): string {
  return `${offer.publisher}:${offer.offer}:${offer.sku}:${version}`;
}

export function offerOf(urn: ImageUrn): ImageOffer | undefined {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return IMAGE_OFFERS.find(
    (offer) =>
      same(offer.publisher, urn.publisher) && same(offer.offer, urn.offer) && same(offer.sku, urn.sku),
  );
}

/** An image of one of IMAGE_OFFERS at `version`. */
export function toImage(offer: ImageOffer, version: string, region: string): Image {
  const cspImageId = urnOf(offer, version);
  return {
    id: resourceId('azure', region, cspImageId),
    provider: 'azure',
    region,
    cspImageId,
    name: `${offer.offer}/${offer.sku} ${version}`,
    os: offer.os,
    osVersion: offer.osVersion,
    arch: offer.arch,
    gpuReady: false,
    source: 'azure-marketplace',
  };
}

/** Any other marketplace image, described from what `virtualMachineImages.get` says. */
export function toOtherImage(urn: ImageUrn, image: VirtualMachineImage, region: string): Image {
  const cspImageId = urnOf(urn, urn.version);
  const text = `${urn.publisher} ${urn.offer}`.toLowerCase();
  const os =
    ['ubuntu', 'debian', 'rocky', 'almalinux', 'rhel', 'sles', 'centos'].find((name) =>
      text.includes(name),
    ) ??
    (image.osDiskImage?.operatingSystem === 'Windows'
      ? 'windows'
      : text.includes('canonical')
        ? 'ubuntu'
        : 'linux');
  return {
    id: resourceId('azure', region, cspImageId),
    provider: 'azure',
    region,
    cspImageId,
    name: `${urn.offer}/${urn.sku} ${urn.version}`,
    os,
    osVersion: /^(\d+(?:\.\d+)?)/.exec(urn.version)?.[1] ?? urn.version,
    arch: image.architecture === 'Arm64' ? 'arm64' : 'x86_64',
    gpuReady: /gpu|cuda|hpc/i.test(`${urn.offer} ${urn.sku}`),
    source: 'azure-marketplace',
  };
}
