// Checks of create requests against what the driver looked up, in the contract's words.
// Why here: the contract answers a wrong reference (a spec of another region, an image for another
// architecture, a subnet outside its vNet) with the same InvalidRequestError whatever the provider;
// the lookups are each driver's, the rules and the messages are shared.

import { type ErrorContext, InvalidRequestError, NotFoundError } from '../errors.ts';
import { type ProviderId, parseResourceId } from '../ids.ts';
import type { CreateVmRequest, Spec } from '../schemas.ts';
import { cidrInside, parseOwnId } from './plumbing.ts';

/** A subnet's block must lie within its vNet's. */
export function requireSubnetInsideVNet(
  cidrBlock: string,
  vNetCidrBlock: string,
  context: ErrorContext,
): void {
  if (!cidrInside(cidrBlock, vNetCidrBlock)) {
    throw new InvalidRequestError(`subnet ${cidrBlock} is outside vNet ${vNetCidrBlock}`, context, [
      `cidrBlock: ${cidrBlock} is not inside the vNet's ${vNetCidrBlock}`,
    ]);
  }
}

/**
 * The spec a createVm request names: one of this provider and region, which `getSpec` knows.
 * An unknown one is a wrong request, not a NotFound (the VM is what is being made).
 */
export async function specForCreate(
  provider: ProviderId,
  request: Pick<CreateVmRequest, 'specId' | 'region'>,
  getSpec: (id: string) => Promise<Spec>,
  context: ErrorContext,
): Promise<Spec> {
  const specRef = parseResourceId(request.specId);
  if (specRef?.provider !== provider || specRef.region !== request.region) {
    throw new InvalidRequestError(`spec ${request.specId} is not offered in ${request.region}`, context, [
      `specId: ${request.specId} is not a spec of ${provider}+${request.region}`,
    ]);
  }
  try {
    return await getSpec(request.specId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new InvalidRequestError(
      `instance type ${specRef.local} is not offered in ${request.region}`,
      context,
      [`specId: unknown instance type ${specRef.local}`],
    );
  }
}

/**
 * The image must run on the spec's architecture. `converted` is the image as the spec shows it
 * (undefined when it is none the driver offers); `providerArch` is the provider's own word for
 * the image's architecture, for the message.
 */
export function requireImageRunsOn<T extends { arch: string }>(
  imageId: string,
  converted: T | undefined,
  providerArch: string | undefined,
  spec: Pick<Spec, 'name' | 'arch'>,
  context: ErrorContext,
): asserts converted is T {
  if (!converted || converted.arch !== spec.arch) {
    throw new InvalidRequestError(
      `image ${imageId} (${providerArch}) does not run on ${spec.name} (${spec.arch})`,
      context,
      [`imageId: architecture ${providerArch} differs from the spec's ${spec.arch}`],
    );
  }
}

/** A zone asked for must be the subnet's (when the subnet has one). */
export function requireSubnetZone(
  subnet: { id: string; zone: string | null },
  zone: string | undefined,
  context: ErrorContext,
): void {
  if (zone && subnet.zone && zone !== subnet.zone) {
    throw new InvalidRequestError(`subnet ${subnet.id} is in ${subnet.zone}, not ${zone}`, context, [
      `zone: the subnet is in ${subnet.zone}`,
    ]);
  }
}

/**
 * getSpec over a driver's catalog: `lookup` answers the specs of a region by name. A spec id of
 * another provider, an unknown name, and a region the provider refuses (InvalidRequest) are all NotFound.
 */
export async function findSpec(
  provider: ProviderId,
  id: string,
  lookup: (region: string, name: string) => Promise<Spec[]>,
): Promise<Spec> {
  const { region, local } = parseOwnId(provider, id, 'spec', 'getSpec');
  let specs: Spec[];
  try {
    specs = await lookup(region, local);
  } catch (error) {
    if (error instanceof InvalidRequestError) throw new NotFoundError('spec', id, error.context);
    throw error;
  }
  const spec = specs[0];
  if (!spec) throw new NotFoundError('spec', id, { provider, region, operation: 'getSpec' });
  return spec;
}
