import type { Repository } from '../../store/types.ts';
import type { Vm } from '../spec/index.ts';

/**
 * What CVM does not keep, kept s2a-side: a terminated pay-as-you-go instance leaves
 * DescribeInstances within seconds, but the contract keeps a terminated VM readable for a while,
 * so the driver remembers what it terminated. In the runtime's store when given (survives
 * restarts), else in memory.
 */
export interface Tombstone {
  vm: Vm;
  /** When the termination was accepted. */
  requestedAt: string;
  /** When the instance was first seen gone; the VM has been Terminated since. */
  goneAt?: string;
}

const TOMBSTONE = 'vm-tombstone';
/** Terminated VMs stay readable this long. */
export const TOMBSTONE_TTL_MS = 60 * 60 * 1000;

export class TencentState {
  private readonly memory = new Map<string, Tombstone>();

  constructor(
    private readonly namespace: string,
    private readonly repository: Repository | undefined,
  ) {}

  async tombstone(id: string): Promise<Tombstone | undefined> {
    if (this.repository) return (await this.repository.get<Tombstone>(this.namespace, TOMBSTONE, id))?.data;
    return this.memory.get(id);
  }

  async putTombstone(tombstone: Tombstone): Promise<void> {
    if (this.repository) await this.repository.put(this.namespace, TOMBSTONE, tombstone.vm.id, tombstone);
    else this.memory.set(tombstone.vm.id, tombstone);
  }

  async deleteTombstone(id: string): Promise<void> {
    if (this.repository) await this.repository.delete(this.namespace, TOMBSTONE, id);
    else this.memory.delete(id);
  }

  /** Live tombstones; expired ones are dropped on the way. */
  async tombstones(now: number): Promise<Tombstone[]> {
    const all = this.repository
      ? (await this.repository.list<Tombstone>({ namespace: this.namespace, kind: TOMBSTONE })).map(
          (record) => record.data,
        )
      : [...this.memory.values()];
    const live: Tombstone[] = [];
    for (const tombstone of all) {
      if (tombstone.goneAt && now - Date.parse(tombstone.goneAt) > TOMBSTONE_TTL_MS) {
        await this.deleteTombstone(tombstone.vm.id);
      } else {
        live.push(tombstone);
      }
    }
    return live;
  }
}
