import { createHash } from 'node:crypto';
import type { Store } from '../../store/types.ts';
import { StoreConflictError } from '../../store/types.ts';

/** A host key as first seen (trust on first use). */
export interface KnownHostKey {
  host: string;
  port: number;
  /** e.g. "ssh-ed25519" */
  algorithm: string;
  /** OpenSSH public key line: `ssh-ed25519 AAAA…` */
  publicKey: string;
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  firstSeenAt: string;
  /** The node that was being reached when the key was recorded. */
  nodeId?: string;
}

/**
 * Where host keys seen on first use are kept. Implementations make `recordIfAbsent` atomic: when
 * two processes reach a new host at once, both get the one key that was recorded first.
 */
export interface HostKeyStore {
  get(host: string, port: number): Promise<KnownHostKey | undefined>;
  /** Records `key` unless a key is already recorded for its host:port; returns the recorded one. */
  recordIfAbsent(key: KnownHostKey): Promise<KnownHostKey>;
  /** Forgets the key of host:port (call it when the VM behind the address is gone). */
  forget(host: string, port: number): Promise<boolean>;
}

export const HOST_KEY_NAMESPACE = 'mci';
export const HOST_KEY_KIND = 'host-key';

export function hostKeyId(host: string, port: number): string {
  return `${host}:${port}`;
}

/** Host keys in the store: namespace "mci", kind "host-key", id "host:port". */
export class StoreHostKeyStore implements HostKeyStore {
  constructor(private readonly store: Store) {}

  async get(host: string, port: number): Promise<KnownHostKey | undefined> {
    return (await this.store.get<KnownHostKey>(HOST_KEY_NAMESPACE, HOST_KEY_KIND, hostKeyId(host, port)))
      ?.data;
  }

  async recordIfAbsent(key: KnownHostKey): Promise<KnownHostKey> {
    const id = hostKeyId(key.host, key.port);
    try {
      return (await this.store.insert(HOST_KEY_NAMESPACE, HOST_KEY_KIND, id, key)).data;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      const existing = await this.store.get<KnownHostKey>(HOST_KEY_NAMESPACE, HOST_KEY_KIND, id);
      if (!existing) throw error;
      return existing.data;
    }
  }

  forget(host: string, port: number): Promise<boolean> {
    return this.store.delete(HOST_KEY_NAMESPACE, HOST_KEY_KIND, hostKeyId(host, port));
  }
}

/** SHA256 fingerprint of an SSH public key blob (wire format), as OpenSSH prints it. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob, e.g. "ssh-ed25519". */
export function algorithmOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  if (length > blob.length - 4 || length > 64) return 'unknown';
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** A host key as recorded from the blob the server presented. */
export function knownHostKeyOf(blob: Buffer, host: string, port: number, nodeId?: string): KnownHostKey {
  const algorithm = algorithmOfBlob(blob);
  return {
    host,
    port,
    algorithm,
    publicKey: `${algorithm} ${blob.toString('base64')}`,
    fingerprint: fingerprintOfBlob(blob),
    firstSeenAt: new Date().toISOString(),
    ...(nodeId ? { nodeId } : {}),
  };
}

/**
 * The fingerprint an `expectedHostKey` stands for: a `SHA256:…` fingerprint as given, or the
 * fingerprint of an OpenSSH public key line (`ssh-ed25519 AAAA… comment`).
 */
export function expectedFingerprint(expected: string): string {
  const text = expected.trim();
  if (text.startsWith('SHA256:')) return text.replace(/=+$/, '');
  const blob = text.split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+=*$/.test(blob)) {
    throw new Error(
      'expectedHostKey must be an OpenSSH public key line ("ssh-ed25519 AAAA…") or a "SHA256:…" fingerprint',
    );
  }
  return fingerprintOfBlob(Buffer.from(blob, 'base64'));
}
