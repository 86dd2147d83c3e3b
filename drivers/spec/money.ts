// Money in one currency. Providers price in their own (NHN and KT in KRW); s2a compares, sums and
// caps budgets in USD, converting at fixed rates kept here so every layer converts the same way.
import type { Spec } from './schemas.ts';

/**
 * Fixed KRW → USD rate for the NHN and KT rows (Cloud-Barista lists them in KRW). 1 USD = 1,400 KRW,
 * a round figure near the 2025 average, the year those prices date from.
 */
export const KRW_PER_USD = 1400;

/** Units of a currency per USD; a currency not listed here leaves the price unknown in USD. */
export const UNITS_PER_USD: Readonly<Record<string, number>> = { USD: 1, KRW: KRW_PER_USD };

export function toUsd(amount: number | null, currency: string): number | null {
  if (amount === null) return null;
  const rate = UNITS_PER_USD[currency];
  return rate === undefined ? null : amount / rate;
}

/** The spec's on-demand price in USD per hour; null when unknown. */
export function usdPerHour(spec: Pick<Spec, 'pricePerHour' | 'currency'>): number | null {
  return toUsd(spec.pricePerHour, spec.currency);
}

/** The spec's spot price in USD per hour; null when unknown. */
export function spotUsdPerHour(spec: Pick<Spec, 'spotPricePerHour' | 'currency'>): number | null {
  return toUsd(spec.spotPricePerHour, spec.currency);
}
