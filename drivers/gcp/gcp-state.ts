import type { KeyPair } from '../spec/index.ts';
import { type LedgerRepository, ResourceLedger, VmTombstones } from '../spec/resource-ledger.ts';

/**
 * What GCP itself does not keep, kept s2a-side per project (see drivers/spec/resource-ledger.ts):
 * - key pairs: GCP has no key-pair resource; s2a keeps the public key and puts it into the VM's
 *   `ssh-keys` metadata at create time;
 * - tombstones: a deleted instance is gone at once, but the contract keeps a terminated VM
 *   readable for a while, so the driver remembers what it deleted.
 */
export interface StoredKeyPair extends KeyPair {
  idempotencyKey?: string;
  requestHash?: string;
}

export class GcpState {
  readonly keyPairs: ResourceLedger<StoredKeyPair>;
  readonly tombstones: VmTombstones;

  constructor(namespace: string, repository: LedgerRepository | undefined) {
    this.keyPairs = new ResourceLedger(namespace, 'key-pair', repository);
    this.tombstones = new VmTombstones(namespace, repository);
  }
}
