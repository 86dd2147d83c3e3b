/**
 * estimateCost: $/h and $/month (730 h) of node groups, on-demand and spot.
 *
 * Each group is reported in its spec's own currency (KRW for NHN and KT); the totals are USD, the
 * KRW rows converted at the fixed `KRW_PER_USD` (catalog/index/rows.ts). A group whose price is
 * unknown (or whose spot price is unknown when it asks for spot) adds nothing to `totalPerHour` and
 * is listed in `unpriced`. `spotTotalPerHour` is every group at its spot price, null when any group
 * has none. Disks (`rootDiskGiB`) are not priced: the shipped data has no disk prices.
 */
import type { z } from 'zod';
import type { Spec } from '../../drivers/spec/index.ts';
import { toUsd } from '../index/index.ts';
import type { CostEstimate, EstimateCostInputSchema } from '../types.ts';
import { CatalogInputError } from './validate.ts';

export const HOURS_PER_MONTH = 730;

/** Amounts are rounded to 1e-6 (of the currency), so float noise (0.30000000000000004) does not show. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function estimateCost(
  input: z.output<typeof EstimateCostInputSchema>,
  specOf: (id: string) => Spec | undefined,
): CostEstimate {
  const missing = input.nodeGroups.map((group) => group.specId).filter((id) => !specOf(id));
  if (missing.length > 0) {
    throw new CatalogInputError(
      `unknown spec id(s) ${[...new Set(missing)].slice(0, 5).join(', ')}; spec ids are "provider+region+name" (searchSpecs returns them)`,
    );
  }
  const groups: CostEstimate['groups'] = [];
  const unpriced: string[] = [];
  let total = 0;
  let spotTotal: number | null = 0;
  for (const group of input.nodeGroups) {
    const spec = specOf(group.specId) as Spec;
    const onDemand = spec.pricePerHour === null ? null : round(spec.pricePerHour * group.size);
    const spot = spec.spotPricePerHour === null ? null : round(spec.spotPricePerHour * group.size);
    groups.push({
      specId: spec.id,
      size: group.size,
      onDemandPerHour: onDemand,
      spotPerHour: spot,
      currency: spec.currency,
    });
    const used = group.spot ? spot : onDemand;
    const usedUsd = used === null ? null : toUsd(used, spec.currency);
    if (usedUsd === null) {
      unpriced.push(
        used === null
          ? `${spec.id} (${group.spot ? 'no spot price' : 'no on-demand price'})`
          : `${spec.id} (price in ${spec.currency}, no USD rate)`,
      );
    } else {
      total += usedUsd;
    }
    const spotUsd = spot === null ? null : toUsd(spot, spec.currency);
    spotTotal = spotTotal === null || spotUsd === null ? null : spotTotal + spotUsd;
  }
  return {
    groups,
    totalPerHour: round(total),
    totalPerMonth: round(total * HOURS_PER_MONTH),
    spotTotalPerHour: spotTotal === null ? null : round(spotTotal),
    unpriced,
    hoursPerMonth: HOURS_PER_MONTH,
  };
}
