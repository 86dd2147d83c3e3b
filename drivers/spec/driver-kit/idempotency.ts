// Idempotency keys for creates the provider cannot make idempotent itself.
// Why here: the contract says a create repeated with the same idempotencyKey returns the first
// resource, and the same key with other parameters is an InvalidRequestError. Drivers that find
// the earlier resource by a tag (see IDEMPOTENCY_TAG) share the lookup and the mismatch rule.
import type { DriverOperation } from '../driver.ts';
import { type ErrorContext, InvalidRequestError } from '../errors.ts';
import type { ProviderId } from '../ids.ts';
import type { Tags } from '../schemas.ts';
import { IDEMPOTENCY_TAG } from './tags.ts';

/** The error for an idempotencyKey used before with a different `what` ("name or cidrBlock"). */
export function idempotencyMismatch(
  context: { provider: ProviderId; operation: DriverOperation; region: string; providerCode?: string },
  what: string,
): InvalidRequestError {
  const errorContext: ErrorContext = { ...context };
  return new InvalidRequestError(
    `idempotencyKey was used before with different parameters (${what})`,
    errorContext,
    [`idempotencyKey: used before with a different ${what}`],
  );
}

/**
 * What an earlier create with `idempotencyKey` made, found by listing with its tag: undefined when
 * there is no key or nothing was made; the earlier resource when `same` says it matches the
 * request; otherwise the `mismatch` error is thrown. Not atomic across processes.
 */
export async function earlierCreate<T>(
  idempotencyKey: string | undefined,
  list: (tags: Tags) => Promise<T[]>,
  same: (earlier: T) => boolean,
  mismatch: () => Error,
): Promise<T | undefined> {
  if (!idempotencyKey) return undefined;
  const [earlier] = await list({ [IDEMPOTENCY_TAG]: idempotencyKey });
  if (earlier === undefined) return undefined;
  if (!same(earlier)) throw mismatch();
  return earlier;
}

/**
 * Whether a key pair made earlier matches a createKeyPair request: same name, and the same key
 * material when the request brings a public key (comments and spacing aside).
 */
export function sameKeyPairRequest(
  earlier: { name: string; publicKey: string },
  request: { name: string; publicKey?: string | undefined },
): boolean {
  const body = (key: string | undefined) => key?.trim().split(/\s+/)[1];
  return (
    earlier.name === request.name &&
    (!request.publicKey || body(request.publicKey) === body(earlier.publicKey))
  );
}

/** A vNet made earlier matches a createVNet request with the same name and block. */
export function sameVNetRequest(
  earlier: { name: string; cidrBlock: string },
  request: { name: string; cidrBlock: string },
): boolean {
  return earlier.cidrBlock === request.cidrBlock && earlier.name === request.name;
}

/** A subnet made earlier matches a createSubnet request with the same block in the same vNet (by s2a id). */
export function sameSubnetRequest(
  earlier: { vNetId: string; cidrBlock: string },
  request: { cidrBlock: string },
  vNetId: string,
): boolean {
  return earlier.cidrBlock === request.cidrBlock && earlier.vNetId === vNetId;
}

/** A security group made earlier matches a createSecurityGroup request with the same name in the same vNet. */
export function sameSecurityGroupRequest(
  earlier: { vNetId: string; name: string },
  request: { name: string },
  vNetId: string,
): boolean {
  return earlier.vNetId === vNetId && earlier.name === request.name;
}
