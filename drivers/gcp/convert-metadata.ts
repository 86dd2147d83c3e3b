import { createHash } from 'node:crypto';
import type { Tags } from '../spec/index.ts';

/**
 * GCP networks, subnetworks and firewalls have no labels, and a custom-mode network has no CIDR.
 * s2a keeps what it needs about them as JSON in the resource's `description`:
 * `{"s2a": {"region", "tags", "cidrBlock", "idempotencyKey", "requestHash", …}}`.
 * Instances keep their references (image, key pair, groups) there too.
 */
export interface S2aDescription {
  /** Region the resource was created for (networks are global). */
  region?: string;
  tags?: Tags;
  cidrBlock?: string;
  /** Free text the caller gave (security group description). */
  text?: string;
  idempotencyKey?: string;
  /** Hash of the create request, to refuse the same key with other parameters. */
  requestHash?: string;
  /** Security group name a firewall rule belongs to. */
  group?: string;
  /** Position of a firewall rule in its group; absent on the group's anchor firewall. */
  rule?: number;
  ruleDescription?: string;
  imageId?: string;
  keyPairId?: string;
  subnetId?: string;
  vNetId?: string;
  securityGroupIds?: string[];
  spot?: boolean;
}

const MARKER = 's2a';

export function writeDescription(data: S2aDescription): string {
  return JSON.stringify({ [MARKER]: data });
}

/** Reads the s2a part of a description; undefined for resources s2a did not create. */
export function readDescription(description: string | null | undefined): S2aDescription | undefined {
  if (!description?.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(description) as Record<string, unknown>;
    const data = parsed[MARKER];
    return typeof data === 'object' && data !== null ? (data as S2aDescription) : undefined;
  } catch {
    return undefined;
  }
}

/** Stable hash of a request without its idempotency key, for the same-key-other-parameters check. */
export function requestHash(request: Record<string, unknown>): string {
  const { idempotencyKey: _key, ...rest } = request;
  return createHash('sha256').update(stableJson(rest)).digest('hex').slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Last path segment of a Compute URL ("…/zones/us-central1-a" → "us-central1-a"). */
export function lastSegment(url: string | null | undefined): string {
  return (url ?? '').split('/').pop() ?? '';
}
