/** IPv4 CIDR arithmetic for the emulated networks. */
export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined; // host bits set: 10.0.0.1/16 is not a network
  return { base: address, prefix };
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.base >= outer.base &&
    inner.base + cidrSize(inner) <= outer.base + cidrSize(outer)
  );
}

export function cidrsOverlap(first: Cidr, second: Cidr): boolean {
  return first.base < second.base + cidrSize(second) && second.base < first.base + cidrSize(first);
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** Public addresses come from 198.18.0.0/15, reserved for benchmarking, so no sim IP is ever someone's. */
export const SIM_PUBLIC_RANGE = parseCidr('198.18.0.0/15') as Cidr;
