import { createHash } from 'node:crypto';

/** `type base64` of an OpenSSH public key, without the comment (providers may drop or change it). */
export function openSshKeyBody(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** The fingerprint `ssh-keygen -l` prints: "SHA256:" and unpadded base64 of the key blob's SHA-256. */
export function openSshFingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (blob === undefined) throw new Error(`not an OpenSSH public key: ${publicKey}`);
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
