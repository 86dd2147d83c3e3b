/**
 * GCP sells its older GPUs (T4, V100, P100, P4) as accelerators attached to an N1 machine type, not as
 * machine types of their own. SkyPilot's catalog therefore has the N1 rows and, separately, GPU rows
 * with an empty InstanceType and a per-zone price for 1, 2, 4 (or 8) GPUs; SkyPilot prices a request
 * such as `T4:1` as host VM + GPUs. The catalog turns each allowed combination into one spec.
 *
 * Name scheme: `<n1 machine type>-<gpu, lower case>x<count>`, e.g. `n1-standard-8-t4x1` for
 * n1-standard-8 with one NVIDIA T4. An id part may not contain "+", and no Compute Engine machine type
 * ends in `-<gpu>x<n>`, so the name cannot collide with a real type and splits back with
 * `parseGcpN1GpuName`: a real driver creates machine type `n1-standard-8` with
 * `guestAccelerators: [{acceleratorType: "nvidia-tesla-t4", acceleratorCount: 1}]`.
 */

/** The N1 machine types GPUs attach to. Shared-core (f1, g1) and memory-optimised M1 types take none. */
export const GPU_HOST_N1 = /^n1-(standard|highmem|highcpu)-\d+$/;

/** Attachable models as the source names them, and GCP's accelerator type for each. */
export const N1_ACCELERATOR_TYPES = {
  T4: 'nvidia-tesla-t4',
  V100: 'nvidia-tesla-v100',
  P100: 'nvidia-tesla-p100',
  P4: 'nvidia-tesla-p4',
} as const;
export type N1GpuModel = keyof typeof N1_ACCELERATOR_TYPES;

interface Limit {
  maxVcpu: number;
  /** GCP writes "GB" for machine memory; it is the same unit as the catalog's MemoryGiB column. */
  maxMemoryGiB: number;
}

interface CountRule extends Limit {
  /** Zones where Google sets another limit than the general one. */
  zoneExceptions?: { zones: readonly string[] } & Limit;
}

/**
 * The largest N1 shape each GPU count allows, per Google's "GPU machine types" page, section
 * "N1 general-purpose machine types with attached GPUs" (vCPUs, memory per VM). Written from that page
 * as we know it, not read from data; SkyPilot encodes the same table (`_NUM_ACC_TO_MAX_CPU_AND_MEMORY`
 * in its GCP catalog code). The smallest shape is 1 vCPU / 1 GB for every count, so only maxima matter.
 * Counts absent here are not offered (T4, P4 and P100 go up to 4 GPUs per VM, V100 up to 8).
 */
export const N1_GPU_LIMITS: Record<N1GpuModel, Partial<Record<number, CountRule>>> = {
  T4: {
    1: { maxVcpu: 48, maxMemoryGiB: 312 },
    2: { maxVcpu: 48, maxMemoryGiB: 312 },
    4: { maxVcpu: 96, maxMemoryGiB: 624 },
  },
  P4: {
    1: { maxVcpu: 24, maxMemoryGiB: 156 },
    2: { maxVcpu: 48, maxMemoryGiB: 312 },
    4: { maxVcpu: 96, maxMemoryGiB: 624 },
  },
  V100: {
    1: { maxVcpu: 12, maxMemoryGiB: 78 },
    2: { maxVcpu: 24, maxMemoryGiB: 156 },
    4: { maxVcpu: 48, maxMemoryGiB: 312 },
    8: { maxVcpu: 96, maxMemoryGiB: 624 },
  },
  P100: {
    1: { maxVcpu: 16, maxMemoryGiB: 104 },
    2: { maxVcpu: 32, maxMemoryGiB: 208 },
    4: {
      maxVcpu: 96,
      maxMemoryGiB: 624,
      // Google's footnote: in these (older P100) zones four P100s take at most 64 vCPUs and 208 GB.
      zoneExceptions: {
        zones: ['us-east1-c', 'europe-west1-b', 'europe-west1-d'],
        maxVcpu: 64,
        maxMemoryGiB: 208,
      },
    },
  },
};

export function isN1GpuModel(model: string): model is N1GpuModel {
  return Object.hasOwn(N1_ACCELERATOR_TYPES, model);
}

/** Whether GCP lets `count` GPUs of `model` attach to an N1 VM of this shape in this zone. */
export function n1GpuAllowed(
  model: N1GpuModel,
  count: number,
  shape: { vcpu: number; memoryGiB: number },
  zone: string,
): boolean {
  const rule = N1_GPU_LIMITS[model][count];
  if (!rule) return false;
  const limit = rule.zoneExceptions?.zones.includes(zone) ? rule.zoneExceptions : rule;
  return shape.vcpu <= limit.maxVcpu && shape.memoryGiB <= limit.maxMemoryGiB;
}

export function gcpN1GpuName(machineType: string, model: N1GpuModel, count: number): string {
  return `${machineType}-${model.toLowerCase()}x${count}`;
}

export interface GcpN1GpuName {
  machineType: string;
  model: N1GpuModel;
  /** GCP's accelerator type, e.g. "nvidia-tesla-t4". */
  acceleratorType: string;
  count: number;
}

/** Splits `n1-standard-8-t4x1` into its machine type and accelerators; undefined for other names. */
export function parseGcpN1GpuName(name: string): GcpN1GpuName | undefined {
  const match = /^(n1-(?:standard|highmem|highcpu)-\d+)-(t4|v100|p100|p4)x(\d+)$/.exec(name);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const model = match[2].toUpperCase();
  if (!isN1GpuModel(model)) return undefined;
  return {
    machineType: match[1],
    model,
    acceleratorType: N1_ACCELERATOR_TYPES[model],
    count: Number(match[3]),
  };
}
