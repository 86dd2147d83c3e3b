import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

/** SSH wire-format string: uint32 length + bytes. */
function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  for (let index = 0; index < text.length; index += width) lines.push(text.slice(index, index + width));
  return lines.join('\n');
}

export type SshKeyType = 'ed25519' | 'rsa';

export interface GeneratedKeyPair {
  /** `ssh-ed25519 AAAA… comment` (or `ssh-rsa …`) */
  publicKey: string;
  /** OpenSSH private key format (what ssh-keygen writes), unencrypted. */
  privateKey: string;
  fingerprint: string;
}

/** SHA256 fingerprint as `ssh-keygen -lf` prints it. */
export function fingerprintOf(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** Generates an ed25519 key pair in the formats OpenSSH and ssh2 read. */
export function generateEd25519KeyPair(comment: string): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicRaw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const privateRaw = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicRaw)]);
  const check = randomBytes(4);
  let privateSection = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(publicRaw),
    sshString(Buffer.concat([privateRaw, publicRaw])),
    sshString(comment),
  ]);
  // Pad to the cipher block size (8 for "none") with bytes 1, 2, 3, …
  const padding: number[] = [];
  for (let value = 1; (privateSection.length + padding.length) % 8 !== 0; value++) padding.push(value);
  privateSection = Buffer.concat([privateSection, Buffer.from(padding)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    Buffer.from([0, 0, 0, 1]),
    sshString(publicBlob),
    sshString(privateSection),
  ]);
  const openSshPublic = `ssh-ed25519 ${publicBlob.toString('base64')} ${comment}`;
  return {
    publicKey: openSshPublic,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString('base64'), 70)}\n-----END OPENSSH PRIVATE KEY-----\n`,
    fingerprint: fingerprintOf(openSshPublic),
  };
}

/** SSH mpint: big-endian, with a leading zero byte when the high bit is set (it is positive). */
function mpint(value: Buffer): Buffer {
  let bytes = value;
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  return sshString((bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** A 2048-bit RSA pair: `ssh-rsa AAAA… comment` and a PKCS#1 PEM private key OpenSSH and ssh2 read. */
export function generateRsaKeyPair(comment: string): GeneratedKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string')
    throw new Error('node:crypto returned an RSA JWK without n or e');
  const blob = Buffer.concat([
    sshString('ssh-rsa'),
    mpint(Buffer.from(jwk.e, 'base64url')),
    mpint(Buffer.from(jwk.n, 'base64url')),
  ]);
  const openSshPublic = `ssh-rsa ${blob.toString('base64')} ${comment}`;
  return {
    publicKey: openSshPublic,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    fingerprint: fingerprintOf(openSshPublic),
  };
}

/** A key pair of the type a provider takes: ed25519 where allowed, RSA where only that is documented. */
export function generateKeyPairFor(
  accepted: readonly SshKeyType[] | undefined,
  comment: string,
): GeneratedKeyPair {
  return accepted && !accepted.includes('ed25519')
    ? generateRsaKeyPair(comment)
    : generateEd25519KeyPair(comment);
}
