import type { Gpu } from '../../drivers/spec/index.ts';

/**
 * One spelling per accelerator model across sources: "NVIDIA A100" (Cloud-Barista), "A100" (SkyPilot)
 * and "A100" with 80 GB per GPU (AWS p4de) all become "A100" or "A100-80GB". Vendor prefixes go;
 * memory variants that change what a model can run get a suffix, as SkyPilot writes them.
 */
export function normalizeGpuModel(raw: string, memoryGiBPerGpu?: number | null): string {
  let model = raw
    .trim()
    .replace(/^(NVIDIA|AMD|Tesla|GRID)\s+/i, '')
    .replace(/\s+/g, ' ');
  // GCP lists the A3 Mega GPU as "H100-MEGA": the same H100 80GB, on a different host network.
  if (model === 'H100-MEGA') model = 'H100';
  model = model.replace(
    /^(A100|V100)[ -]?(80|32)\s?GB$/i,
    (_match, base: string, size: string) => `${base}-${size}GB`,
  );
  if (
    model === 'A100' &&
    memoryGiBPerGpu !== undefined &&
    memoryGiBPerGpu !== null &&
    memoryGiBPerGpu >= 79
  ) {
    model = 'A100-80GB';
  }
  if (
    model === 'V100' &&
    memoryGiBPerGpu !== undefined &&
    memoryGiBPerGpu !== null &&
    memoryGiBPerGpu >= 31
  ) {
    model = 'V100-32GB';
  }
  return model;
}

/** Memory per accelerator (GiB) for models whose sources omit it. */
const MEMORY_GIB_PER_GPU: Record<string, number> = {
  A10: 24,
  A10G: 24,
  A100: 40,
  'A100-80GB': 80,
  B200: 180,
  H100: 80,
  H200: 141,
  K80: 12,
  L4: 24,
  L40S: 48,
  M60: 8,
  MI25: 16,
  MI300X: 192,
  P100: 16,
  P4: 8,
  T4: 16,
  V100: 16,
  'V100-32GB': 32,
};

/** Models sold in one memory size (A100, V100, H100 and P100 have several). */
const SINGLE_MEMORY_SIZE = new Set([
  'A10',
  'A10G',
  'B200',
  'H200',
  'K80',
  'L4',
  'L40S',
  'M60',
  'MI25',
  'MI300X',
  'P4',
  'T4',
]);

const AMD_MODELS = /^(MI\d+|Radeon)/;

function manufacturerOf(model: string): string | null {
  if (AMD_MODELS.test(model)) return 'AMD';
  if (model in MEMORY_GIB_PER_GPU) return 'NVIDIA';
  return null;
}

/**
 * Builds a Gpu from whatever a source gives. `totalMemoryGiB` is per VM (all accelerators); when
 * absent it is derived from the model's known memory, else left null.
 */
export function makeGpu(input: {
  model: string;
  count: number;
  totalMemoryGiB?: number | null;
  manufacturer?: string | null;
}): Gpu {
  let given = input.totalMemoryGiB ?? null;
  const perGpu = given !== null && input.count > 0 ? given / input.count : null;
  const model = normalizeGpuModel(input.model, perGpu);
  const known = MEMORY_GIB_PER_GPU[model];
  // NHN's rows give the VM's memory as the T4's (32 GB for one T4): for models made in one memory
  // size, a figure more than 10% off is a source error and the model's own size is used.
  if (
    perGpu !== null &&
    known !== undefined &&
    SINGLE_MEMORY_SIZE.has(model) &&
    Math.abs(perGpu - known) > known * 0.1
  ) {
    given = null;
  }
  const memoryGiB = given ?? (known !== undefined ? roundTo(known * input.count, 3) : null);
  return {
    model,
    count: input.count,
    memoryGiB,
    manufacturer: input.manufacturer?.trim() || manufacturerOf(model),
  };
}

export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
