export {
  decodeIdPart,
  encodeIdPart,
  loadImages,
  PLACEHOLDER_SOURCE,
  WELL_KNOWN_SOURCE,
} from './load-images.ts';
export { type LatencyRow, loadLatency } from './load-latency.ts';
export { loadRegions } from './load-regions.ts';
export { loadSpecs, loadSpecsReport, type ProviderSpecsReport, type SpecsReport } from './load-specs.ts';
export type { SourceReport } from './specs/common.ts';
export { loadWorld, type World, worldForProvider } from './world.ts';
