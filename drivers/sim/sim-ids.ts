import { randomBytes, randomUUID } from 'node:crypto';
import type { IdStyle } from './sim-profiles.ts';

export type ResourceKind = 'vnet' | 'subnet' | 'security-group' | 'key-pair' | 'vm';

const AWS_PREFIX: Record<ResourceKind, string> = {
  vnet: 'vpc',
  subnet: 'subnet',
  'security-group': 'sg',
  'key-pair': 'key',
  vm: 'i',
};
const TENCENT_PREFIX: Record<ResourceKind, string> = {
  vnet: 'vpc',
  subnet: 'subnet',
  'security-group': 'sg',
  'key-pair': 'skey',
  vm: 'ins',
};

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return text;
}

/** Provider-shaped ids, so logs and UIs look like the real cloud's (`i-0abc…`, `ins-x1y2z3w4`). */
export function newCspId(style: IdStyle, kind: ResourceKind): string {
  switch (style) {
    case 'aws':
      return `${AWS_PREFIX[kind]}-${randomBytes(9).toString('hex').slice(0, 17)}`;
    case 'alibaba':
      return `${AWS_PREFIX[kind] === 'i' ? 'i' : AWS_PREFIX[kind]}-${randomAlphanumeric(20)}`;
    case 'tencent':
      return `${TENCENT_PREFIX[kind]}-${randomAlphanumeric(8)}`;
    case 'numeric':
      return `${(BigInt(`0x${randomBytes(8).toString('hex')}`) % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n}`;
    case 'ibm':
      return `r006-${randomUUID()}`;
    case 'uuid':
      return randomUUID();
  }
}
