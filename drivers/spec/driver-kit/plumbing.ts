// Small pieces of driver plumbing that do not depend on any provider's API.
// Why here: each driver had its own copy of these; one copy keeps the contract's rules
// (foreign ids are NotFound, deletes are idempotent, failed loads are not cached…) identical.
import type { DriverOperation } from '../driver.ts';
import { type ErrorContext, InvalidRequestError, NotFoundError } from '../errors.ts';
import { type ParsedResourceId, type ProviderId, parseResourceId } from '../ids.ts';
import type { Vm, VmStatus } from '../schemas.ts';

/** The first and last address of an IPv4 CIDR block, as numbers. */
export function cidrRange(cidr: string): [number, number] {
  const [address = '', prefix = '0'] = cidr.split('/');
  const value = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(prefix));
  const start = value - (value % size);
  return [start, start + size - 1];
}

/** Whether IPv4 block `inner` lies within `outer` (a subnet within its vNet). */
export function cidrInside(inner: string, outer: string): boolean {
  const [innerStart, innerEnd] = cidrRange(inner);
  const [outerStart, outerEnd] = cidrRange(outer);
  return innerStart >= outerStart && innerEnd <= outerEnd;
}

/** Splits an s2a id of `provider`; ids of another provider or shape cannot exist there, so they are NotFound. */
export function parseOwnId(
  provider: ProviderId,
  id: string,
  kind: string,
  operation: DriverOperation,
): ParsedResourceId {
  const parsed = parseResourceId(id);
  if (parsed?.provider !== provider) {
    throw new NotFoundError(kind, id, { provider, operation });
  }
  return parsed;
}

/** Waits for a delete; a NotFound is success (the contract's deletes are idempotent). */
export async function ignoreNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** Throws the contract's InvalidRequestError unless `region` is one of `known`; `message` says why in the provider's words. */
export function requireKnownRegion(
  known: readonly { code: string }[],
  region: string,
  context: ErrorContext,
  message: string,
): void {
  if (!known.some((entry) => entry.code === region)) {
    throw new InvalidRequestError(message, context, [`region: unknown region "${region}"`]);
  }
}

/**
 * The regions a list call searches: the region of the parent resource (`within`, e.g. a vNet's)
 * if any, else the asked region, else the driver's default regions. A parent in another region
 * than the one asked for yields none.
 */
export function regionsToSearch(
  asked: string | undefined,
  within: string | undefined,
  defaults: readonly string[],
): string[] {
  const candidates = within !== undefined ? [within] : asked ? [asked] : [...defaults];
  return candidates.filter((code) => !asked || code === asked);
}

/** The listVms filter on statuses: terminated VMs only when asked for (by flag or by status). */
export function vmStatusFilter(
  statuses: readonly VmStatus[] | undefined,
  includeTerminated: boolean | undefined,
): (vm: Vm) => boolean {
  const showTerminated = includeTerminated || (statuses?.includes('Terminated') ?? false);
  return (vm) =>
    (showTerminated || vm.status !== 'Terminated') && (!statuses || statuses.includes(vm.status));
}

/**
 * Promises cached per key until they fail: catalog loads (regions, instance types) are fetched
 * once per driver lifetime, but a failed load (throttled, no credentials) is tried again.
 */
export class LoadCache<T> {
  private readonly loads = new Map<string, Promise<T>>();

  get(key: string, load: () => Promise<T>): Promise<T> {
    let loading = this.loads.get(key);
    if (!loading) {
      loading = load();
      this.loads.set(key, loading);
      loading.catch(() => this.loads.delete(key));
    }
    return loading;
  }

  clear(): void {
    this.loads.clear();
  }
}

/**
 * A delete as the contract wants it: ids of another provider or shape name nothing here, and a
 * resource already gone (NotFound) is success. `remove` gets the parsed id.
 */
export async function deleteIfOwn(
  provider: ProviderId,
  id: string,
  remove: (parsed: ParsedResourceId) => Promise<unknown>,
): Promise<void> {
  const parsed = parseResourceId(id);
  if (parsed?.provider !== provider) return;
  await ignoreNotFound(remove(parsed));
}
