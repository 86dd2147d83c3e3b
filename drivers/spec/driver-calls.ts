// The error context of a driver call, and the region check every region-scoped call starts with.
// Why here: each driver built the same context and the same "unknown region" error; one copy keeps
// what callers and journals see identical across providers.
import type { DriverOperation } from './driver.ts';
import { type ErrorContext, InvalidRequestError } from './errors.ts';
import type { ProviderId } from './ids.ts';

/** The context of a typed error from `provider`'s `operation`, with the region when there is one. */
export function callContext(provider: ProviderId, operation: DriverOperation, region?: string): ErrorContext {
  return { provider, operation, ...(region ? { region } : {}) };
}

/** The region `code` among `provider`'s `regions`; an InvalidRequestError when it has none such. */
export function knownRegion<R extends { code: string }>(
  provider: ProviderId,
  regions: readonly R[],
  code: string,
  context: ErrorContext,
): R {
  const region = regions.find((candidate) => candidate.code === code);
  if (!region) {
    throw new InvalidRequestError(`${provider} has no region "${code}"`, context, [
      `region: unknown ${provider} region "${code}"`,
    ]);
  }
  return region;
}
