// Ids and addresses the local fakes of provider APIs hand out.
// Why here: the fakes (EC2, Tencent…) each need deterministic request ids, resource ids and
// private IPs drawn from subnet CIDRs; one copy keeps them the same. Id prefixes and lengths, the
// provider-specific part, stay in each fake.
import { createHash } from 'node:crypto';
import { cidrRange } from '../driver-kit/plumbing.ts';

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

export function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** The first and last address of an IPv4 CIDR block, as numbers. */
export function cidrBounds(cidr: string): [number, number] {
  return cidrRange(cidr);
}

/** A request id in UUID form, the `sequence`-th the fake answers. */
export function fakeRequestId(sequence: number): string {
  return `5ec2fa4e-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

/** A resource id `prefix-<hex>`: `length` hex digits derived from `sequence`, so ids look real but repeat per run. */
export function fakeResourceId(prefix: string, sequence: number, length: number): string {
  return `${prefix}-${createHash('sha256').update(String(sequence)).digest('hex').slice(0, length)}`;
}
