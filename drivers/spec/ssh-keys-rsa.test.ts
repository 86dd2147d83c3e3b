import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, generateKeyPairFor, generateRsaKeyPair } from './ssh-keys.ts';

/** Reads the SSH wire strings of a public key blob. */
function sshStrings(blob: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < blob.length; ) {
    const length = blob.readUInt32BE(offset);
    parts.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return parts;
}

describe('generated RSA key pairs', () => {
  it('the OpenSSH public key carries the exponent and modulus of the PEM private key', () => {
    const pair = generateRsaKeyPair('web-key');
    const [type, body, comment] = pair.publicKey.split(' ');
    expect(type).toBe('ssh-rsa');
    expect(comment).toBe('web-key');
    expect(pair.privateKey).toContain('-----BEGIN RSA PRIVATE KEY-----');
    const [name, exponent, modulus] = sshStrings(Buffer.from(body ?? '', 'base64'));
    const jwk = createPrivateKey(pair.privateKey).export({ format: 'jwk' });
    expect(name?.toString()).toBe('ssh-rsa');
    expect(exponent?.toString('base64url')).toBe(jwk.e);
    // A modulus with its high bit set gets a zero byte in front (SSH mpints are signed).
    expect(modulus?.[0]).toBe(0);
    expect(modulus?.subarray(1).toString('base64url')).toBe(jwk.n);
    expect(pair.fingerprint).toBe(fingerprintOf(pair.publicKey));
  });

  it.each([
    [undefined, 'ssh-ed25519'],
    [['ed25519', 'rsa'] as const, 'ssh-ed25519'],
    [['rsa'] as const, 'ssh-rsa'],
  ])('a provider accepting %j gets a %s key', (accepted, type) => {
    expect(generateKeyPairFor(accepted, 'k').publicKey.split(' ')[0]).toBe(type);
  });
});
