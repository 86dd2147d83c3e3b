// Driver-side records of what a provider itself does not keep.
// Why here: some providers cannot tag a resource (Azure subnets), have no resource at all for
// something the contract has (GCP key pairs), or forget a deleted VM at once while the contract
// keeps a terminated VM readable for a while. Drivers then keep a small record of their own, in
// the runtime's store when they are given one (it survives restarts), else in memory. The
// bookkeeping is the same for every provider; what is recorded is each driver's business.
import type { Vm } from './schemas.ts';

/** A stored record's document; the shape of the runtime store's records (store/types.ts). */
interface LedgerRecord<T> {
  data: T;
}

/**
 * The part of the runtime's store a ledger uses. The store's Repository has it, so drivers pass
 * the store they were given; the spec does not depend on the store.
 */
export interface LedgerRepository {
  get<T>(namespace: string, kind: string, id: string): Promise<LedgerRecord<T> | undefined>;
  list<T>(query: { namespace: string; kind: string }): Promise<LedgerRecord<T>[]>;
  put<T>(namespace: string, kind: string, id: string, data: T): Promise<unknown>;
  delete(namespace: string, kind: string, id: string): Promise<unknown>;
}

/** Records of one kind (`subnet`, `key-pair`…) in one namespace (`azure/<subscription>`): by id. */
export class ResourceLedger<T> {
  private readonly memory = new Map<string, T>();

  constructor(
    private readonly namespace: string,
    private readonly kind: string,
    private readonly repository: LedgerRepository | undefined,
  ) {}

  async get(id: string): Promise<T | undefined> {
    if (this.repository) return (await this.repository.get<T>(this.namespace, this.kind, id))?.data;
    return this.memory.get(id);
  }

  async list(): Promise<T[]> {
    if (this.repository) {
      const records = await this.repository.list<T>({ namespace: this.namespace, kind: this.kind });
      return records.map((record) => record.data);
    }
    return [...this.memory.values()];
  }

  async put(id: string, data: T): Promise<void> {
    if (this.repository) await this.repository.put(this.namespace, this.kind, id, data);
    else this.memory.set(id, data);
  }

  async delete(id: string): Promise<void> {
    if (this.repository) await this.repository.delete(this.namespace, this.kind, id);
    else this.memory.delete(id);
  }
}

/** What a driver remembers of a VM it deleted. */
export interface Tombstone {
  vm: Vm;
  /** When the delete was accepted. */
  requestedAt: string;
  /** When the VM was first seen gone at the provider; it has been Terminated since. */
  goneAt?: string;
}

/** Terminated VMs stay readable this long. */
export const TOMBSTONE_TTL_MS = 60 * 60 * 1000;

/** The VMs a driver deleted, by s2a id, kept as kind `vm-tombstone`. */
export class VmTombstones {
  private readonly ledger: ResourceLedger<Tombstone>;

  constructor(namespace: string, repository: LedgerRepository | undefined) {
    this.ledger = new ResourceLedger(namespace, 'vm-tombstone', repository);
  }

  get(id: string): Promise<Tombstone | undefined> {
    return this.ledger.get(id);
  }

  put(tombstone: Tombstone): Promise<void> {
    return this.ledger.put(tombstone.vm.id, tombstone);
  }

  delete(id: string): Promise<void> {
    return this.ledger.delete(id);
  }

  /** Live tombstones; those gone longer than TOMBSTONE_TTL_MS before `now` are dropped on the way. */
  async live(now: number): Promise<Tombstone[]> {
    const live: Tombstone[] = [];
    for (const tombstone of await this.ledger.list()) {
      if (tombstone.goneAt && now - Date.parse(tombstone.goneAt) > TOMBSTONE_TTL_MS) {
        await this.delete(tombstone.vm.id);
      } else {
        live.push(tombstone);
      }
    }
    return live;
  }

  /** Ids of live tombstones whose VM is not among `listed` (the provider no longer lists it). */
  async unlisted(listed: readonly { id: string }[], now: number): Promise<string[]> {
    const seen = new Set(listed.map((vm) => vm.id));
    return (await this.live(now)).map((tombstone) => tombstone.vm.id).filter((id) => !seen.has(id));
  }

  /**
   * How the deleted VM `id` reads now: Terminated since it was first seen gone (marked at `now` on
   * the first call), without its public IP. `firstSeenGone` tells the driver to clean up what went
   * with the VM. Undefined when the driver never deleted that VM.
   */
  async terminated(
    id: string,
    now: number,
  ): Promise<{ vm: Vm; tombstone: Tombstone; firstSeenGone: boolean } | undefined> {
    const tombstone = await this.get(id);
    if (!tombstone) return undefined;
    const firstSeenGone = !tombstone.goneAt;
    if (!tombstone.goneAt) {
      tombstone.goneAt = new Date(now).toISOString();
      await this.put(tombstone);
    }
    const vm: Vm = { ...tombstone.vm, status: 'Terminated', statusSince: tombstone.goneAt, publicIp: null };
    return { vm, tombstone, firstSeenGone };
  }
}
