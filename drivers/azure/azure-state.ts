import type { Tags } from '../spec/index.ts';
import { type LedgerRepository, ResourceLedger, VmTombstones } from '../spec/resource-ledger.ts';

/**
 * What Azure itself does not keep, kept s2a-side per subscription (see drivers/spec/resource-ledger.ts):
 * - subnet tags: subnets are child resources without tags, so their tags, creation time and
 *   idempotency key live here (a subnet s2a does not know reports its vNet's tags);
 * - tombstones: a deleted VM is gone at once, but the contract keeps a terminated VM readable for
 *   a while, so the driver remembers what it deleted.
 */
export interface SubnetRecord {
  id: string;
  tags: Tags;
  createdAt: string;
  idempotencyKey?: string;
  requestHash?: string;
}

export class AzureState {
  readonly subnets: ResourceLedger<SubnetRecord>;
  readonly tombstones: VmTombstones;

  constructor(namespace: string, repository: LedgerRepository | undefined) {
    this.subnets = new ResourceLedger(namespace, 'subnet', repository);
    this.tombstones = new VmTombstones(namespace, repository);
  }
}
