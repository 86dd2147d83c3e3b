// RSA key pairs for "generate": ImportKeyPair documents OpenSSH RSA public keys (the pairs Tencent
// makes itself are RSA 2048), so the driver generates that kind rather than ed25519.
import { generateKeyPairSync } from 'node:crypto';
import { fingerprintOf, type GeneratedKeyPair } from '../spec/ssh-keys.ts';

/** SSH wire-format string: uint32 length + bytes. */
function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
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
