// Tags, resource-group names and ARM ids: what every Azure resource s2a makes has in common.
import { createHash } from 'node:crypto';
import { InvalidRequestError, type Tags } from '../spec/index.ts';

/**
 * Tags the driver writes for itself and hides from `tags`: Azure keeps no creation time on
 * networks, groups and keys, and the contract's links between resources (a group's vNet, a VM's
 * subnet, key pair and groups) must survive the VM's NIC being gone.
 */
export const BOOKKEEPING = {
  createdAt: 's2a:created-at',
  idempotencyKey: 's2a:idempotency-key',
  requestHash: 's2a:request-hash',
  vNet: 's2a:vnet',
  subnet: 's2a:subnet',
  keyPair: 's2a:key-pair',
  securityGroups: 's2a:security-groups',
  image: 's2a:image',
  managedGroup: 's2a:managed',
  description: 's2a:description',
} as const;
const BOOKKEEPING_KEYS: readonly string[] = Object.values(BOOKKEEPING);

/** Azure allows 50 tags per resource; the driver keeps this many for its bookkeeping. */
export const AZURE_MAX_TAGS = 50;
export const BOOKKEEPING_TAG_ROOM = 7;
export const AZURE_MAX_TAG_VALUE = 256;
export const AZURE_MAX_TAG_KEY = 512;

/** The caller's tags without the driver's bookkeeping. */
export function userTags(tags: Record<string, string> | undefined): Tags {
  return Object.fromEntries(Object.entries(tags ?? {}).filter(([key]) => !BOOKKEEPING_KEYS.includes(key)));
}

/** True when every filter tag is present with the same value. */
export function matchesTags(tags: Tags, filter: Tags | undefined): boolean {
  return Object.entries(filter ?? {}).every(([key, value]) => tags[key] === value);
}

/** Checks tags against Azure's rules (names without <>%&\?/, values ≤ 256, 50 in all). */
export function checkAzureTags(tags: Tags, operation: string): void {
  const issues: string[] = [];
  if (Object.keys(tags).length > AZURE_MAX_TAGS - BOOKKEEPING_TAG_ROOM)
    issues.push(`tags: at most ${AZURE_MAX_TAGS - BOOKKEEPING_TAG_ROOM} tags on Azure`);
  for (const [key, value] of Object.entries(tags)) {
    if (/[<>%&\\?/]/.test(key)) issues.push(`tags.${key}: Azure tag names cannot contain < > % & \\ ? /`);
    if (value.length > AZURE_MAX_TAG_VALUE)
      issues.push(`tags.${key}: Azure tag values are at most ${AZURE_MAX_TAG_VALUE} characters`);
  }
  if (issues.length > 0) {
    throw new InvalidRequestError(
      `invalid ${operation}: ${issues.join('; ')}`,
      { provider: 'azure', operation },
      issues,
    );
  }
}

/**
 * The resource group of an MCI in a region: `s2a-<mci>-<region>`, lower case. The MCI name is
 * reduced to the characters resource-group names allow; a hash keeps reduced names apart.
 */
export function resourceGroupName(mci: string, region: string): string {
  const slug = mci
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  const room = 90 - 's2a--'.length - region.length - 7;
  const changed = slug !== mci || slug.length > room || slug.length === 0;
  const hash = createHash('sha256').update(mci).digest('hex').slice(0, 6);
  const base = slug.slice(0, room).replace(/-$/, '') || 'mci';
  return `s2a-${base}${changed ? `-${hash}` : ''}-${region}`;
}

export interface ArmId {
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. "Microsoft.Network/virtualNetworks" */
  type: string;
  name: string;
  /** For child resources (subnets): the child's type and name. */
  child?: { type: string; name: string };
}

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{childType}/{child}]`. */
export function parseArmId(id: string | undefined): ArmId | undefined {
  if (!id) return undefined;
  const parts = id.split('/').filter((part) => part.length > 0);
  if (parts.length < 8 || parts[0]?.toLowerCase() !== 'subscriptions') return undefined;
  if (parts[2]?.toLowerCase() !== 'resourcegroups' || parts[4]?.toLowerCase() !== 'providers')
    return undefined;
  const [
    ,
    subscriptionId = '',
    ,
    resourceGroup = '',
    ,
    namespace = '',
    type = '',
    name = '',
    childType,
    child,
  ] = parts;
  return {
    subscriptionId,
    // Resource-group names are case-insensitive and ARM sometimes echoes them upper case.
    resourceGroup: resourceGroup.toLowerCase(),
    type: `${namespace}/${type}`,
    name,
    ...(childType && child ? { child: { type: childType, name: child } } : {}),
  };
}

export function armId(subscriptionId: string, resourceGroup: string, type: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
}

/** cspIds: `<resource group>/<name>`, subnets `<resource group>/<vnet>/<subnet>`. */
export function groupedCspId(resourceGroup: string, name: string): string {
  return `${resourceGroup.toLowerCase()}/${name}`;
}

export function parseGroupedCspId(cspId: string): { resourceGroup: string; name: string } | undefined {
  const parts = cspId.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { resourceGroup: parts[0], name: parts[1] };
}

export function parseSubnetCspId(
  cspId: string,
): { resourceGroup: string; vNet: string; name: string } | undefined {
  const parts = cspId.split('/');
  if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) return undefined;
  return { resourceGroup: parts[0], vNet: parts[1], name: parts[2] };
}

/** The creation time the driver wrote, else the Unix epoch (resources s2a did not make). */
export function createdAtOf(tags: Record<string, string> | undefined, fallback?: Date | string): string {
  const written = tags?.[BOOKKEEPING.createdAt];
  if (written && !Number.isNaN(Date.parse(written))) return written;
  if (fallback) return new Date(fallback).toISOString();
  return new Date(0).toISOString();
}

/** A stable hash of a create request, to tell "the same request again" from "same key, other request". */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 16);
}
