export {
  decodeIdPart,
  encodeIdPart,
  loadImages,
  PLACEHOLDER_SOURCE,
  WELL_KNOWN_SOURCE,
} from './load-images.ts';
export { type LatencyRow, loadLatency } from './load-latency.ts';
export { loadProviders, PROVIDER_DISPLAY_NAMES } from './load-providers.ts';
export { loadRegions } from './load-regions.ts';
export { loadSpecs, loadSpecsReport, type ProviderSpecsReport, type SpecsReport } from './load-specs.ts';
export { RESTRICTED_REGIONS, restrictionOf } from './restricted-regions.ts';
export type { SourceReport } from './specs/common.ts';
export {
  type GcpN1GpuName,
  GPU_HOST_N1,
  gcpN1GpuName,
  N1_ACCELERATOR_TYPES,
  N1_GPU_LIMITS,
  parseGcpN1GpuName,
} from './specs/gcp-n1-gpu.ts';
export { loadWorld, type World, worldForProvider } from './world.ts';
