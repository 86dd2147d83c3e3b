import type { Repository } from '../../store/types.ts';
import type { Tags, Vm } from '../spec/index.ts';

/**
 * What Azure itself does not keep, kept s2a-side per subscription:
 * - subnet tags: subnets are child resources without tags, so their tags, creation time and
 *   idempotency key live here (a subnet s2a does not know reports its vNet's tags);
 * - tombstones: a deleted VM is gone at once, but the contract keeps a terminated VM readable for
 *   a while, so the driver remembers what it deleted.
 * In the runtime's store when given (survives restarts), else in memory.
 */
export interface SubnetRecord {
  id: string;
  tags: Tags;
  createdAt: string;
  idempotencyKey?: string;
  requestHash?: string;
}

export interface Tombstone {
  vm: Vm;
  /** When the delete was accepted. */
  requestedAt: string;
  /** When the VM was first seen gone; it has been Terminated since. */
  goneAt?: string;
}

const SUBNET = 'subnet';
const TOMBSTONE = 'vm-tombstone';
/** Terminated VMs stay readable this long. */
export const TOMBSTONE_TTL_MS = 60 * 60 * 1000;

export class AzureState {
  private readonly memory = new Map<string, unknown>();

  constructor(
    private readonly namespace: string,
    private readonly repository: Repository | undefined,
  ) {}

  private async get<T>(kind: string, id: string): Promise<T | undefined> {
    if (this.repository) return (await this.repository.get<T>(this.namespace, kind, id))?.data;
    return this.memory.get(`${kind}/${id}`) as T | undefined;
  }

  private async list<T>(kind: string): Promise<T[]> {
    if (this.repository) {
      const records = await this.repository.list<T>({ namespace: this.namespace, kind });
      return records.map((record) => record.data);
    }
    return [...this.memory.entries()]
      .filter(([key]) => key.startsWith(`${kind}/`))
      .map(([, value]) => value as T);
  }

  private async put<T>(kind: string, id: string, data: T): Promise<void> {
    if (this.repository) await this.repository.put(this.namespace, kind, id, data);
    else this.memory.set(`${kind}/${id}`, data);
  }

  private async remove(kind: string, id: string): Promise<void> {
    if (this.repository) await this.repository.delete(this.namespace, kind, id);
    else this.memory.delete(`${kind}/${id}`);
  }

  subnet(id: string): Promise<SubnetRecord | undefined> {
    return this.get(SUBNET, id);
  }
  putSubnet(record: SubnetRecord): Promise<void> {
    return this.put(SUBNET, record.id, record);
  }
  deleteSubnet(id: string): Promise<void> {
    return this.remove(SUBNET, id);
  }

  tombstone(id: string): Promise<Tombstone | undefined> {
    return this.get(TOMBSTONE, id);
  }
  putTombstone(tombstone: Tombstone): Promise<void> {
    return this.put(TOMBSTONE, tombstone.vm.id, tombstone);
  }
  deleteTombstone(id: string): Promise<void> {
    return this.remove(TOMBSTONE, id);
  }

  /** Live tombstones; expired ones are dropped on the way. */
  async tombstones(now: number): Promise<Tombstone[]> {
    const live: Tombstone[] = [];
    for (const tombstone of await this.list<Tombstone>(TOMBSTONE)) {
      if (tombstone.goneAt && now - Date.parse(tombstone.goneAt) > TOMBSTONE_TTL_MS) {
        await this.deleteTombstone(tombstone.vm.id);
      } else {
        live.push(tombstone);
      }
    }
    return live;
  }
}
