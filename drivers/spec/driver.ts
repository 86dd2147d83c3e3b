import type { ProviderId } from './ids.ts';
import type {
  CreateKeyPairRequest,
  CreateSecurityGroupRequest,
  CreateSubnetRequest,
  CreateVmRequest,
  CreateVNetRequest,
  DriverCapabilities,
  Image,
  ImageQuery,
  KeyPair,
  KeyPairCreated,
  Region,
  ResourceFilter,
  SecurityGroup,
  SecurityRule,
  Spec,
  SpecQuery,
  Subnet,
  Vm,
  VmFilter,
  VNet,
} from './schemas.ts';

/**
 * One cloud connection: a provider bound to a driver implementation and its credentials.
 *
 * Rules every implementation follows (the conformance suite checks them):
 * - Inputs are validated with the request schemas; bad input throws InvalidRequestError.
 * - Failures throw the typed errors of `errors.ts`, never raw SDK errors.
 * - Resource ids are "provider+region+cspId"; `get*` of an unknown id throws NotFoundError.
 * - Deletes and terminate are idempotent: removing what is already gone succeeds.
 * - `create*` with an idempotencyKey already used returns the resource the first call made; the
 *   same key with different parameters throws InvalidRequestError (EC2's IdempotentParameterMismatch).
 *   A generated key pair's private key is only in the first answer: callers that may retry
 *   should import a public key they made instead.
 * - Malformed ids (wrong provider, wrong shape) are NotFoundError, like unknown ones.
 * - A terminated VM stays readable with status Terminated for a while (providers that forget it
 *   at once answer from a tombstone); listVms hides it unless includeTerminated.
 * - Created resources carry the request's tags (including s2a:mci, s2a:op, s2a:owner).
 * - Suspend/resume/reboot/terminate return once the provider accepted the request; the VM's
 *   status then moves on by itself (poll `getVm`).
 */
export interface CloudDriver {
  readonly provider: ProviderId;
  readonly capabilities: DriverCapabilities;

  listRegions(): Promise<Region[]>;
  listSpecs(query?: SpecQuery): Promise<Spec[]>;
  getSpec(id: string): Promise<Spec>;
  listImages(query?: ImageQuery): Promise<Image[]>;
  getImage(id: string): Promise<Image>;

  createVNet(request: CreateVNetRequest): Promise<VNet>;
  getVNet(id: string): Promise<VNet>;
  listVNets(filter?: ResourceFilter): Promise<VNet[]>;
  deleteVNet(id: string): Promise<void>;

  createSubnet(request: CreateSubnetRequest): Promise<Subnet>;
  getSubnet(id: string): Promise<Subnet>;
  listSubnets(filter?: ResourceFilter & { vNetId?: string }): Promise<Subnet[]>;
  deleteSubnet(id: string): Promise<void>;

  createSecurityGroup(request: CreateSecurityGroupRequest): Promise<SecurityGroup>;
  getSecurityGroup(id: string): Promise<SecurityGroup>;
  listSecurityGroups(filter?: ResourceFilter & { vNetId?: string }): Promise<SecurityGroup[]>;
  /** Replaces the group's rules with these (apps add ports after creation). */
  setSecurityGroupRules(id: string, rules: SecurityRule[]): Promise<SecurityGroup>;
  deleteSecurityGroup(id: string): Promise<void>;

  createKeyPair(request: CreateKeyPairRequest): Promise<KeyPairCreated>;
  getKeyPair(id: string): Promise<KeyPair>;
  listKeyPairs(filter?: ResourceFilter): Promise<KeyPair[]>;
  deleteKeyPair(id: string): Promise<void>;

  createVm(request: CreateVmRequest): Promise<Vm>;
  getVm(id: string): Promise<Vm>;
  listVms(filter?: VmFilter): Promise<Vm[]>;
  suspendVm(id: string): Promise<Vm>;
  resumeVm(id: string): Promise<Vm>;
  rebootVm(id: string): Promise<Vm>;
  terminateVm(id: string): Promise<Vm>;

  /** Releases clients and sockets; the driver is unusable afterwards. */
  close(): Promise<void>;
}

/** Operation names, used by fault injection, rate limits and error context. */
export const DRIVER_OPERATIONS = [
  'listRegions',
  'listSpecs',
  'getSpec',
  'listImages',
  'getImage',
  'createVNet',
  'getVNet',
  'listVNets',
  'deleteVNet',
  'createSubnet',
  'getSubnet',
  'listSubnets',
  'deleteSubnet',
  'createSecurityGroup',
  'getSecurityGroup',
  'listSecurityGroups',
  'setSecurityGroupRules',
  'deleteSecurityGroup',
  'createKeyPair',
  'getKeyPair',
  'listKeyPairs',
  'deleteKeyPair',
  'createVm',
  'getVm',
  'listVms',
  'suspendVm',
  'resumeVm',
  'rebootVm',
  'terminateVm',
] as const satisfies readonly (keyof CloudDriver)[];
export type DriverOperation = (typeof DRIVER_OPERATIONS)[number];
