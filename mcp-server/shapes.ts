// Output shapes shared by several tools: compact, flat, described, so a model reads them at a glance.
import { z } from 'zod';
import type { Region, Spec, SpecHit } from '../catalog/types.ts';
import { spotUsdPerHour, usdPerHour } from '../drivers/spec/money.ts';

export const GpuOutputSchema = z
  .object({
    model: z.string().describe('Accelerator model, e.g. "A100"'),
    count: z.number().describe('Accelerators per VM'),
    memoryGiB: z.number().nullable().describe('Accelerator memory per VM, GiB, when known'),
  })
  .describe('GPUs per VM; null for CPU-only specs');

export const SpecOutputSchema = z.object({
  specId: z.string().describe('Spec id "provider+region+name"; pass it to reviewMCI/createMCI as specId'),
  provider: z.string().describe('Provider id'),
  regionId: z.string().describe('Region id "provider+region"'),
  regionName: z.string().describe('Human name of the region, e.g. "Korea (Seoul)"'),
  countryCode: z.string().nullable().describe('ISO 3166-1 alpha-2 of the region'),
  name: z.string().describe("The provider's instance type name"),
  vcpu: z.number().describe('vCPUs'),
  memoryGiB: z.number().describe('Memory, GiB'),
  arch: z.string().describe('x86_64 or arm64'),
  gpu: GpuOutputSchema.nullable(),
  pricePerHour: z.number().nullable().describe('On-demand USD per hour; null when unknown'),
  spotPricePerHour: z.number().nullable().describe('Spot USD per hour, when known'),
  pricePerMonth: z.number().nullable().describe('On-demand USD per month (730 h)'),
});
export type SpecOutput = z.input<typeof SpecOutputSchema>;

export const SpecHitOutputSchema = SpecOutputSchema.extend({
  performance: z.number().describe('Relative performance score (higher is faster)'),
  distanceKm: z.number().nullable().describe('Distance from the "near" place, km'),
  latencyMs: z.number().nullable().describe('Round-trip latency from latencyFrom, ms'),
});
export type SpecHitOutput = z.input<typeof SpecHitOutputSchema>;

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Prices in USD whatever the provider's currency (NHN and KT price in KRW). */
export function specOutput(spec: Spec, region: Region | undefined): SpecOutput {
  const price = usdPerHour(spec);
  const spot = spotUsdPerHour(spec);
  return {
    specId: spec.id,
    provider: spec.provider,
    regionId: `${spec.provider}+${spec.region}`,
    regionName: region?.displayName ?? spec.region,
    countryCode: region?.countryCode ?? null,
    name: spec.name,
    vcpu: spec.vcpu,
    memoryGiB: spec.memoryGiB,
    arch: spec.arch,
    gpu: spec.gpu ? { model: spec.gpu.model, count: spec.gpu.count, memoryGiB: spec.gpu.memoryGiB } : null,
    pricePerHour: price === null ? null : round(price, 6),
    spotPricePerHour: spot === null ? null : round(spot, 6),
    pricePerMonth: price === null ? null : round(price * 730, 2),
  };
}

export function specHitOutput(hit: SpecHit): SpecHitOutput {
  return {
    ...specOutput(hit.spec, hit.region),
    performance: round(hit.performance, 3),
    distanceKm: hit.distanceKm === null ? null : Math.round(hit.distanceKm),
    latencyMs: hit.latencyMs === null ? null : round(hit.latencyMs, 1),
  };
}

/** "$1.23/h" or "price unknown". */
export function formatPrice(pricePerHour: number | null): string {
  return pricePerHour === null ? 'price unknown' : `$${pricePerHour.toFixed(pricePerHour < 1 ? 4 : 2)}/h`;
}

export function describeSpec(spec: SpecOutput): string {
  const gpu = spec.gpu ? `, ${spec.gpu.count}× ${spec.gpu.model}` : '';
  return `${spec.specId} (${spec.vcpu} vCPU, ${spec.memoryGiB} GiB${gpu}) ${formatPrice(spec.pricePerHour)} in ${spec.regionName}`;
}
