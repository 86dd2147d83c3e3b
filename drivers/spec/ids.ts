import { z } from 'zod';
import { PROVIDERS } from './providers.ts';

export { PROVIDERS } from './providers.ts';

export const ProviderIdSchema = z.enum(PROVIDERS).describe('Cloud provider id, e.g. "aws" or "gcp"');
export type ProviderId = z.infer<typeof ProviderIdSchema>;

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** Ids join parts with `+`, as Cloud-Barista does; a part never contains `+`. */
export const ID_SEPARATOR = '+';

export function joinId(...parts: string[]): string {
  for (const part of parts) {
    if (part.length === 0 || part.includes(ID_SEPARATOR)) {
      throw new Error(`id part ${JSON.stringify(part)} must be non-empty and must not contain "+"`);
    }
  }
  return parts.join(ID_SEPARATOR);
}

export function splitId(id: string): string[] {
  return id.split(ID_SEPARATOR);
}

/** `aws+ap-northeast-2` */
export function regionId(provider: ProviderId, region: string): string {
  return joinId(provider, region);
}

/** `aws+ap-northeast-2+ap-northeast-2a` */
export function zoneId(provider: ProviderId, region: string, zone: string): string {
  return joinId(provider, region, zone);
}

export interface ParsedResourceId {
  provider: ProviderId;
  region: string;
  /** The provider's own id or name of the thing (AMI id, VPC id, size name...). */
  local: string;
}

/**
 * Parses a three-part id (`provider+region+local`): specs, images and every created resource.
 * Returns undefined when the id is not of that shape, so callers can answer with a clear error.
 */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  const parts = splitId(id);
  if (parts.length !== 3) return undefined;
  const [provider, region, local] = parts as [string, string, string];
  if (!isProviderId(provider) || region.length === 0 || local.length === 0) return undefined;
  return { provider, region, local };
}

/** Parses `provider+region`. */
export function parseRegionId(id: string): { provider: ProviderId; region: string } | undefined {
  const parts = splitId(id);
  if (parts.length !== 2) return undefined;
  const [provider, region] = parts as [string, string];
  if (!isProviderId(provider) || region.length === 0) return undefined;
  return { provider, region };
}

export function resourceId(provider: ProviderId, region: string, local: string): string {
  return joinId(provider, region, local);
}
