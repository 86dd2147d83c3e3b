/** What concurrent-writer.ts writes and reports, shared with the tests and benchmark that read it. */
export const COUNTER = { namespace: 'shared', kind: 'counter', id: 'total' } as const;
export const ITEM_KIND = 'item';

export interface Counter {
  value: number;
}

export interface Item {
  writer: string;
  sequence: number;
  counter: number;
}

export interface WriterReport {
  namespace: string;
  transactions: number;
  schemaVersion: number;
  /** Epoch milliseconds (fractional) around the transaction loop, comparable across processes. */
  startedAt: number;
  finishedAt: number;
}

export function itemId(namespace: string, sequence: number): string {
  return `${namespace}-${String(sequence).padStart(6, '0')}`;
}
