/**
 * The zod schemas of the catalog's records in one place: regions, specs and images (the driver
 * contract's, from drivers/spec), providers and latency (the catalog's own, from types.ts), and the
 * catalog's region, which may carry a restriction the driver contract has no field for.
 */
import { z } from 'zod';
import { RegionSchema } from '../drivers/spec/index.ts';

export {
  type Gpu,
  GpuSchema,
  type Image,
  ImageSchema,
  type Region,
  RegionSchema,
  type Spec,
  SpecSchema,
  type Zone,
  ZoneSchema,
} from '../drivers/spec/index.ts';
export { type Latency, LatencySchema, type Provider, ProviderSchema } from './types.ts';

/**
 * A region as the catalog lists it. `restricted` is set on regions that exist and sell VMs but that
 * an ordinary account cannot use without asking the provider (catalog/load/restricted-regions.ts);
 * the sim does not emulate them. Drivers return plain `Region`s.
 */
export const CatalogRegionSchema = RegionSchema.extend({
  restricted: z
    .string()
    .optional()
    .describe('Why an ordinary account cannot create VMs here and how to get access; absent when open'),
});
export type CatalogRegion = z.infer<typeof CatalogRegionSchema>;
