import type { Gpu, ProviderId } from '../../../drivers/spec/index.ts';
import { makeGpu } from '../gpu.ts';

/**
 * vCPU and memory from spec names. Cloud-Barista's cloudspec.csv has prices but no vCPU or memory
 * columns, so they come from each provider's naming scheme, and only where the scheme is fixed.
 * Names that fit no rule are skipped (and counted) rather than guessed.
 */
export interface Shape {
  vcpu: number;
  memoryGiB: number;
  /** Set when the provider's documentation contradicts the source's accelerator columns. */
  gpu?: Gpu;
}

/**
 * Alibaba ECS types in the data whose shape does not follow the family ratio, or whose family has no
 * fixed ratio (GPU and sn2 families); values from Alibaba Cloud's instance family documentation.
 * The source lists ecs.gn6v-c8g1.8xlarge with "NVIDIA A10"; gn6v is the V100 family (4 x V100 16 GB).
 */
const ALIBABA_TYPES: Record<string, Shape> = {
  'ecs.g6.13xlarge': { vcpu: 52, memoryGiB: 192 },
  'ecs.g6.26xlarge': { vcpu: 104, memoryGiB: 384 },
  'ecs.g6e.13xlarge': { vcpu: 52, memoryGiB: 192 },
  'ecs.g6e.26xlarge': { vcpu: 104, memoryGiB: 384 },
  'ecs.sn2.medium': { vcpu: 2, memoryGiB: 8 },
  'ecs.sn2.large': { vcpu: 4, memoryGiB: 16 },
  'ecs.sn2.xlarge': { vcpu: 8, memoryGiB: 32 },
  'ecs.sn2.3xlarge': { vcpu: 16, memoryGiB: 64 },
  'ecs.gn6i-c4g1.xlarge': { vcpu: 4, memoryGiB: 15 },
  'ecs.gn6v-c8g1.2xlarge': { vcpu: 8, memoryGiB: 32 },
  'ecs.gn6v-c8g1.8xlarge': {
    vcpu: 32,
    memoryGiB: 128,
    gpu: makeGpu({ model: 'V100', count: 4, totalMemoryGiB: 64, manufacturer: 'NVIDIA' }),
  },
  'ecs.gn7i-c8g1.2xlarge': { vcpu: 8, memoryGiB: 30 },
  'ecs.gn7i-c16g1.4xlarge': { vcpu: 16, memoryGiB: 60 },
};

/** Alibaba general-purpose families (g5, g6, g6e, g7, g7a...) give 4 GiB per vCPU. */
const ALIBABA_GENERAL_PURPOSE = /^ecs\.g\d+[a-z]?\.(large|xlarge|(\d+)xlarge)$/;

/** "large" = 2 vCPU, "xlarge" = 4, "<n>xlarge" = 4n: Alibaba's and Tencent's size words. */
function sizeWordVcpu(word: string): number | undefined {
  const lower = word.toLowerCase();
  if (lower === 'small') return 1;
  if (lower === 'medium') return 2;
  if (lower === 'large') return 4;
  const match = /^(\d*)xlarge$/.exec(lower);
  if (!match) return undefined;
  return 4 * (match[1] ? Number(match[1]) : 1);
}

function alibabaShape(name: string): Shape | undefined {
  const known = ALIBABA_TYPES[name];
  if (known) return known;
  const general = ALIBABA_GENERAL_PURPOSE.exec(name);
  if (!general?.[1]) return undefined;
  // Alibaba's "large" is 2 vCPU (one size smaller than Tencent's).
  const vcpu = general[1] === 'large' ? 2 : sizeWordVcpu(general[1]);
  return vcpu ? { vcpu, memoryGiB: vcpu * 4 } : undefined;
}

/** Tencent: FAMILY.SIZE<memory GiB>, e.g. S5.MEDIUM4 = 2 vCPU/4 GiB, PNV4.7XLARGE116 = 28/116. */
function tencentShape(name: string): Shape | undefined {
  const match = /^[A-Z0-9]+\.(SMALL|MEDIUM|LARGE|\d*XLARGE)(\d+)$/.exec(name);
  if (!match?.[1] || !match[2]) return undefined;
  const vcpu = sizeWordVcpu(match[1]);
  return vcpu ? { vcpu, memoryGiB: Number(match[2]) } : undefined;
}

/**
 * NCP. KVM (g3) server specs: s = standard 1:4, c = high-CPU 1:2, ci = CPU-intensive 1:2, m = high-memory
 * 1:8, mi1 = micro 1 vCPU/1 GiB; "g3a" is the AMD twin of "g3". Older XEN product codes spell the shape
 * out: SVR.VSVR.HICPU.C004.M008... = 4 vCPU/8 GiB.
 */
const NCP_RATIO: Record<string, number> = { s: 4, c: 2, ci: 2, m: 8 };

function ncpShape(name: string): Shape | undefined {
  if (name === 'mi1-g3') return { vcpu: 1, memoryGiB: 1 };
  const kvm = /^(s|c|ci|m)(\d+)-g3a?$/.exec(name);
  if (kvm?.[1] && kvm[2]) {
    const ratio = NCP_RATIO[kvm[1]];
    const vcpu = Number(kvm[2]);
    return ratio ? { vcpu, memoryGiB: vcpu * ratio } : undefined;
  }
  const xen = /\.C(\d{3})\.M(\d{3})\./.exec(name);
  if (xen?.[1] && xen[2]) return { vcpu: Number(xen[1]), memoryGiB: Number(xen[2]) };
  return undefined;
}

/** NHN flavors end in c<vCPU>m<GiB>: m2.c4m8, g2.t4.c8m64. */
function nhnShape(name: string): Shape | undefined {
  const match = /c(\d+)m(\d+)$/.exec(name);
  return match?.[1] && match[2] ? { vcpu: Number(match[1]), memoryGiB: Number(match[2]) } : undefined;
}

/** KT Cloud flavors start with <vCPU>x<GiB>: 4x16.itl, 8x64.itl.v100-1. */
function ktShape(name: string): Shape | undefined {
  const match = /^(\d+)x(\d+)(\.|$)/.exec(name);
  return match?.[1] && match[2] ? { vcpu: Number(match[1]), memoryGiB: Number(match[2]) } : undefined;
}

/** IBM VPC profiles: <family>-<vCPU>x<GiB>[x<GPUs><model>], e.g. bx2-2x8, gx2-8x64x1v100. */
function ibmShape(name: string): Shape | undefined {
  const match = /^[a-z0-9]+-(\d+)x(\d+)(x|$)/.exec(name);
  return match?.[1] && match[2] ? { vcpu: Number(match[1]), memoryGiB: Number(match[2]) } : undefined;
}

const SHAPE_READERS: Partial<Record<ProviderId, (name: string) => Shape | undefined>> = {
  alibaba: alibabaShape,
  tencent: tencentShape,
  ncp: ncpShape,
  nhn: nhnShape,
  kt: ktShape,
  ibm: ibmShape,
};

export function shapeFromName(provider: ProviderId, name: string): Shape | undefined {
  const shape = SHAPE_READERS[provider]?.(name);
  return shape && shape.vcpu > 0 && shape.memoryGiB > 0 ? shape : undefined;
}
