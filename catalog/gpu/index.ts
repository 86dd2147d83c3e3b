import { normalizeGpuModel } from './normalize.ts';

export { GPU_FACTS, type GpuFacts } from './facts.ts';
export { type GpuModel, gpuFacts, normalizeGpuModel } from './normalize.ts';

/**
 * The model name a loader should store for a source's GPU name: the `GPU_FACTS` key when the name is
 * known, else the source's name trimmed (FPGAs, new parts). `memoryGiBPerGpu` picks A100-80GB and
 * V100-32GB when the source gives memory apart from the name. Same contract as
 * `catalog/load/gpu.ts`'s `normalizeGpuModel(raw, memoryGiBPerGpu)`, which agrees with it on every
 * model the shipped data has (see `gpu.test.ts`).
 */
export function catalogGpuModel(raw: string, memoryGiBPerGpu?: number | null): string {
  const withMemory =
    memoryGiBPerGpu === undefined || memoryGiBPerGpu === null
      ? raw
      : `${raw} (${Math.round(memoryGiBPerGpu)}GB)`;
  return normalizeGpuModel(withMemory)?.key ?? raw.trim().replace(/\s+/g, ' ');
}
