import type { protos } from '@google-cloud/compute';
import { type Arch, type Image, resourceId } from '../spec/index.ts';

type ComputeImage = protos.google.cloud.compute.v1.IImage;

/** Public image projects s2a offers (official Ubuntu, Debian and Rocky builds). */
export const PUBLIC_IMAGE_PROJECTS = ['ubuntu-os-cloud', 'debian-cloud', 'rocky-linux-cloud'] as const;
export const IMAGE_SOURCE = 'gcp-public-images';

interface OsFacts {
  os: string;
  osVersion: string;
}

/** OS and version from the image family or name ("ubuntu-2204-lts" → ubuntu 22.04). */
export function osOfImage(image: ComputeImage): OsFacts {
  const text = image.family ?? image.name ?? '';
  const ubuntu = /^ubuntu-(?:minimal-)?(?:pro-)?(\d{2})(\d{2})/.exec(text);
  if (ubuntu) return { os: 'ubuntu', osVersion: `${ubuntu[1]}.${ubuntu[2]}` };
  const debian = /^debian-(\d+)/.exec(text);
  if (debian) return { os: 'debian', osVersion: debian[1] ?? '' };
  const rocky = /^rocky-linux-(\d+)/.exec(text);
  if (rocky) return { os: 'rocky', osVersion: rocky[1] ?? '' };
  return { os: text.split('-')[0] ?? 'linux', osVersion: '' };
}

export function imageArch(image: ComputeImage): Arch {
  return image.architecture === 'ARM64' ? 'arm64' : 'x86_64';
}

/**
 * Images are global in GCP; s2a lists each for the asked region. The image name is the cspImageId
 * (ids keep it as their local part); the driver finds its public project again for sourceImage.
 */
export function toImage(image: ComputeImage, region: string): Image {
  const name = image.name ?? '';
  const { os, osVersion } = osOfImage(image);
  return {
    id: resourceId('gcp', region, name),
    provider: 'gcp',
    region,
    cspImageId: name,
    name,
    os,
    osVersion,
    arch: imageArch(image),
    gpuReady: /nvidia|cuda|gpu/.test(name),
    source: IMAGE_SOURCE,
  };
}

/** Usable images only: READY and not deprecated, obsolete or deleted. */
export function isCurrentImage(image: ComputeImage): boolean {
  return (image.status ?? 'READY') === 'READY' && !image.deprecated?.state;
}

/** What instances.insert takes as sourceImage. */
export function sourceImageOf(project: string, name: string): string {
  return `projects/${project}/global/images/${name}`;
}
