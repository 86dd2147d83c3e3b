/**
 * GCP sells its older GPUs (T4, V100, P100, P4) only attached to an N1 machine type. Each allowed
 * (N1 type, GPU, count) is one spec named `<n1 type>-<gpu>x<count>` (`n1-standard-8-t4x1`), the
 * names the catalog gives the same combinations (catalog/load/specs/gcp-n1-gpu.ts; drivers may not
 * import it, so the table is repeated here and a test checks both agree). createVm turns the name
 * back into machine type n1-standard-8 with guestAccelerators nvidia-tesla-t4 × 1.
 */
import type { protos } from '@google-cloud/compute';
import type { Spec } from '../spec/index.ts';
import { lastSegment } from './convert-metadata.ts';

type AcceleratorType = protos.google.cloud.compute.v1.IAcceleratorType;

/** The N1 types GPUs attach to; shared-core (f1, g1) and memory-optimised types take none. */
const GPU_HOST_N1 = /^n1-(standard|highmem|highcpu)-\d+$/;

/** Name part → accelerator type, model, memory per card (GiB). */
export const N1_GPUS = {
  t4: { acceleratorType: 'nvidia-tesla-t4', model: 'T4', memoryGiB: 16 },
  v100: { acceleratorType: 'nvidia-tesla-v100', model: 'V100', memoryGiB: 16 },
  p100: { acceleratorType: 'nvidia-tesla-p100', model: 'P100', memoryGiB: 16 },
  p4: { acceleratorType: 'nvidia-tesla-p4', model: 'P4', memoryGiB: 8 },
} as const;
export type N1Gpu = keyof typeof N1_GPUS;

interface Limit {
  maxVcpu: number;
  maxMemoryGiB: number;
}

/**
 * The largest N1 shape each GPU count allows (Google's "GPU machine types", N1 with attached GPUs);
 * counts absent are not offered. Four P100s take less in three older zones.
 */
export const N1_GPU_LIMITS: Record<
  N1Gpu,
  Partial<Record<number, Limit & { exceptIn?: Limit & { zones: string[] } }>>
> = {
  t4: {
    1: { maxVcpu: 48, maxMemoryGiB: 312 },
    2: { maxVcpu: 48, maxMemoryGiB: 312 },
    4: { maxVcpu: 96, maxMemoryGiB: 624 },
  },
  p4: {
    1: { maxVcpu: 24, maxMemoryGiB: 156 },
    2: { maxVcpu: 48, maxMemoryGiB: 312 },
    4: { maxVcpu: 96, maxMemoryGiB: 624 },
  },
  v100: {
    1: { maxVcpu: 12, maxMemoryGiB: 78 },
    2: { maxVcpu: 24, maxMemoryGiB: 156 },
    4: { maxVcpu: 48, maxMemoryGiB: 312 },
    8: { maxVcpu: 96, maxMemoryGiB: 624 },
  },
  p100: {
    1: { maxVcpu: 16, maxMemoryGiB: 104 },
    2: { maxVcpu: 32, maxMemoryGiB: 208 },
    4: {
      maxVcpu: 96,
      maxMemoryGiB: 624,
      exceptIn: { zones: ['us-east1-c', 'europe-west1-b', 'europe-west1-d'], maxVcpu: 64, maxMemoryGiB: 208 },
    },
  },
};

export function n1GpuSpecName(machineType: string, gpu: N1Gpu, count: number): string {
  return `${machineType}-${gpu}x${count}`;
}

export interface N1GpuSpecName {
  machineType: string;
  gpu: N1Gpu;
  acceleratorType: string;
  count: number;
}

/** `n1-standard-8-t4x1` → n1-standard-8, t4, nvidia-tesla-t4, 1; anything else → undefined. */
export function parseN1GpuSpecName(name: string): N1GpuSpecName | undefined {
  const match = /^(n1-[a-z]+-\d+)-(t4|v100|p100|p4)x(\d+)$/.exec(name);
  if (!match?.[1] || !match[2] || !match[3] || !GPU_HOST_N1.test(match[1])) return undefined;
  const gpu = match[2] as N1Gpu;
  return {
    machineType: match[1],
    gpu,
    acceleratorType: N1_GPUS[gpu].acceleratorType,
    count: Number(match[3]),
  };
}

/** Whether `count` GPUs may attach to an N1 VM of this shape in this zone. */
export function n1GpuAllowed(
  gpu: N1Gpu,
  count: number,
  shape: Pick<Spec, 'vcpu' | 'memoryGiB'>,
  zone: string,
) {
  const rule = N1_GPU_LIMITS[gpu][count];
  if (!rule) return false;
  const limit = rule.exceptIn?.zones.includes(zone) ? rule.exceptIn : rule;
  return shape.vcpu <= limit.maxVcpu && shape.memoryGiB <= limit.maxMemoryGiB;
}

function gpuOfAcceleratorType(name: string | null | undefined): N1Gpu | undefined {
  return (Object.keys(N1_GPUS) as N1Gpu[]).find((gpu) => N1_GPUS[gpu].acceleratorType === name);
}

/**
 * The N1 + GPU specs of a region: every N1 host spec × every N1 accelerator type of a zone where the
 * host is offered, for the counts the zone's maximumCardsPerInstance and the limits allow. One spec
 * per name, with the zones that allow it.
 */
export function n1GpuSpecs(specs: readonly Spec[], acceleratorTypes: readonly AcceleratorType[]): Spec[] {
  const byName = new Map<string, Spec>();
  const hosts = specs.filter((spec) => GPU_HOST_N1.test(spec.name));
  for (const accelerator of acceleratorTypes) {
    const gpu = gpuOfAcceleratorType(accelerator.name);
    const zone = accelerator.zone ? lastSegment(accelerator.zone) : '';
    if (!gpu || !zone) continue;
    const maximum = accelerator.maximumCardsPerInstance ?? 0;
    for (const host of hosts) {
      if (!host.zones?.includes(zone)) continue;
      for (const count of [1, 2, 4, 8]) {
        if (count > maximum || !n1GpuAllowed(gpu, count, host, zone)) continue;
        const name = n1GpuSpecName(host.name, gpu, count);
        const existing = byName.get(`${host.region}/${name}`);
        if (existing) {
          existing.zones = [...new Set([...(existing.zones ?? []), zone])].sort();
          continue;
        }
        byName.set(`${host.region}/${name}`, {
          ...host,
          id: `gcp+${host.region}+${name}`,
          name,
          gpu: {
            model: N1_GPUS[gpu].model,
            count,
            memoryGiB: N1_GPUS[gpu].memoryGiB * count,
            manufacturer: 'NVIDIA',
          },
          zones: [zone],
        });
      }
    }
  }
  return [...byName.values()].sort((a, b) => a.id.localeCompare(b.id));
}
