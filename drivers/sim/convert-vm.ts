import type { Vm } from '../spec/index.ts';
import { type StatusEntry, statusAt } from './sim-lifecycle.ts';

/** A VM as the sim stores it: the contract's fields plus its timeline and billing facts. */
export interface StoredVm extends Omit<Vm, 'status' | 'statusSince' | 'statusReason'> {
  specName: string;
  vcpu: number;
  gpuCount: number;
  pricePerHour: number;
  currency: string;
  diskPricePerGiBMonth: number;
  history: StatusEntry[];
  idempotencyKey?: string;
  idempotencyFingerprint?: string;
}

/** The VM as callers see it at `now`: status derived from the timeline, addresses as clouds show them. */
export function toVm(stored: StoredVm, now: number): Vm {
  const current = statusAt(stored.history, now);
  const {
    history: _history,
    specName: _specName,
    vcpu: _vcpu,
    gpuCount: _gpuCount,
    pricePerHour: _price,
    currency: _currency,
    diskPricePerGiBMonth: _disk,
    idempotencyKey: _key,
    idempotencyFingerprint: _fingerprint,
    ...rest
  } = stored;
  // A stopped or terminated VM has released its public address, as on EC2 without an Elastic IP.
  const hasPublicIp =
    current.status !== 'Terminated' && current.status !== 'Suspended' && current.status !== 'Failed';
  return {
    ...rest,
    status: current.status,
    statusSince: new Date(current.since).toISOString(),
    statusReason: current.reason ?? null,
    publicIp: hasPublicIp ? stored.publicIp : null,
    privateIp: current.status === 'Terminated' ? null : stored.privateIp,
  };
}
