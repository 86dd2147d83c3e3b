/**
 * What an index row stores besides its record: the GPU model key (catalog/gpu), the performance
 * score (catalog/performance.ts) and country names for the row text (catalog/places).
 */
import { normalizeGpuModel } from '../gpu/index.ts';
import { performanceScore } from '../performance.ts';
import { countryNames } from '../places/countries.ts';
import type { RowEnricher } from './catalog-index.ts';

/** The key a GPU model is filed under: catalog/gpu's key, or the name itself (FPGAs, new parts). */
export function gpuKeyOfModel(model: string): string {
  return normalizeGpuModel(model)?.key ?? model;
}

/** English display name of an ISO 3166-1 alpha-2 code. */
export function countryNameOf(code: string): string | undefined {
  return countryNames().display.get(code);
}

export const ROW_ENRICHER: RowEnricher = {
  gpuKeyOf: (spec) => (spec.gpu ? gpuKeyOfModel(spec.gpu.model) : null),
  performanceOf: performanceScore,
  countryName: countryNameOf,
};
