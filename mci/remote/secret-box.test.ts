import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair } from '../../drivers/spec/ssh-keys.ts';
import { openStore } from '../../store/index.ts';
import { TemporaryDirectories } from '../../store/testing/temporary-directories.ts';
import { readRemoteConfig } from './config.ts';
import { KEY_VAULT_KIND, KEY_VAULT_NAMESPACE, KeyVault } from './key-vault.ts';
import { SecretBox, SecretBoxError } from './secret-box.ts';

const directories = new TemporaryDirectories();
afterEach(() => directories.removeAll());

const SECRET = 'correct horse battery staple';

function errorOf(work: () => unknown): SecretBoxError {
  try {
    work();
  } catch (error) {
    if (error instanceof SecretBoxError) return error;
    throw error;
  }
  throw new Error('expected a SecretBoxError');
}

describe('SecretBox', () => {
  it('round-trips with S2A_SECRET, and a new box (another process) with the same secret opens it', async () => {
    const home = directories.create('s2a-secret-');
    const box = await SecretBox.fromEnvironment({ S2A_SECRET: SECRET, S2A_HOME: home });
    const sealed = box.seal('the plaintext', 'context-1');
    expect(sealed).toMatchObject({ version: 1, algorithm: 'aes-256-gcm', keySource: 'S2A_SECRET' });
    expect(JSON.stringify(sealed)).not.toContain('plaintext');
    const other = await SecretBox.fromEnvironment({ S2A_SECRET: SECRET, S2A_HOME: home });
    expect(other.open(sealed, 'context-1')).toBe('the plaintext');
  });

  it('says so clearly when S2A_SECRET is wrong, when the key source changed, or when the record was altered', async () => {
    const home = directories.create('s2a-secret-');
    const sealed = SecretBox.fromSecret(SECRET).seal('the plaintext', 'private-key:a');

    const wrong = errorOf(() => SecretBox.fromSecret('another secret value!').open(sealed, 'private-key:a'));
    expect(wrong.code).toBe('WRONG_KEY');
    expect(wrong.message).toBe(
      'cannot decrypt "private-key:a": S2A_SECRET is not the value it was encrypted with. Restore the original, or delete the record and create a new key.',
    );

    const fromFile = await SecretBox.fromKeyFile(join(home, 'secret.key'));
    const changed = errorOf(() => fromFile.open(sealed, 'private-key:a'));
    expect(changed.code).toBe('KEY_SOURCE_CHANGED');
    expect(changed.message).toContain('it was encrypted with S2A_SECRET, but S2A_SECRET is not set now');

    const box = SecretBox.fromSecret(SECRET);
    expect(errorOf(() => box.open(sealed, 'private-key:b')).code).toBe('TAMPERED');
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(
      errorOf(() => box.open({ ...sealed, ciphertext: flipped.toString('base64') }, 'private-key:a')).code,
    ).toBe('TAMPERED');
  });

  it('creates the key file with mode 0600 in a new directory with mode 0700 and reuses it', async () => {
    const home = join(directories.create('s2a-secret-'), 'home');
    const box = await SecretBox.fromEnvironment({ S2A_HOME: home });
    const keyFile = join(home, 'secret.key');
    expect(box.keySource).toBe('key-file');
    expect(box.keyLocation).toBe(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    const sealed = box.seal('kept', 'context');
    expect((await SecretBox.fromEnvironment({ S2A_HOME: home })).open(sealed, 'context')).toBe('kept');
  });

  it('agrees on one key file when several boxes create it at once', async () => {
    const keyFile = join(directories.create('s2a-secret-'), 'secret.key');
    const boxes = await Promise.all(Array.from({ length: 6 }, () => SecretBox.fromKeyFile(keyFile)));
    const sealed = boxes.map((box, index) => box.seal(`value ${index}`, 'context'));
    for (const box of boxes) {
      expect(sealed.map((entry) => box.open(entry, 'context'))).toEqual(
        boxes.map((_, index) => `value ${index}`),
      );
    }
  });

  it('refuses a key file others can read, and a short S2A_SECRET without repeating it', async () => {
    const keyFile = join(directories.create('s2a-secret-'), 'secret.key');
    await SecretBox.fromKeyFile(keyFile);
    chmodSync(keyFile, 0o644);
    await expect(SecretBox.fromKeyFile(keyFile)).rejects.toThrow(`run \`chmod 600 ${keyFile}\``);
    expect(() => readRemoteConfig({ S2A_SECRET: 'short-secret' })).toThrow(
      /^invalid setting S2A_SECRET: S2A_SECRET must be at least 16 characters/,
    );
    expect(() => readRemoteConfig({ S2A_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(readRemoteConfig({ S2A_SECRET: '  ', S2A_HOME: '/tmp/x' })).toEqual({
      secret: undefined,
      keyFile: '/tmp/x/secret.key',
    });
  });
});

describe('KeyVault', () => {
  it('stores private keys encrypted: the record holds neither the PEM nor its body', async () => {
    const home = directories.create('s2a-vault-');
    const store = await openStore({ home });
    try {
      const vault = new KeyVault(store, SecretBox.fromSecret(SECRET));
      const pair = generateEd25519KeyPair('s2a-test');
      const info = await vault.save('aws+ap-northeast-2+key-1', pair.privateKey, {
        publicKey: pair.publicKey,
        fingerprint: pair.fingerprint,
        label: 'mci demo, Seoul',
      });
      expect(info).toEqual({
        id: 'aws+ap-northeast-2+key-1',
        publicKey: pair.publicKey,
        fingerprint: pair.fingerprint,
        label: 'mci demo, Seoul',
        storedAt: expect.any(String),
      });
      const record = await store.get(KEY_VAULT_NAMESPACE, KEY_VAULT_KIND, 'aws+ap-northeast-2+key-1');
      const stored = JSON.stringify(record);
      const body = pair.privateKey.split('\n').slice(1, -2).join('');
      expect(stored).not.toContain('PRIVATE KEY');
      expect(stored).not.toContain(body.slice(0, 40));
      expect(stored).not.toContain(body.slice(-40));
      expect(await vault.load('aws+ap-northeast-2+key-1')).toBe(pair.privateKey);
      expect(JSON.stringify(await vault.info('aws+ap-northeast-2+key-1'))).not.toContain('sealed');

      const wrong = new KeyVault(store, SecretBox.fromSecret('not the secret it was stored with'));
      await expect(wrong.load('aws+ap-northeast-2+key-1')).rejects.toThrow(/S2A_SECRET is not the value/);
      await expect(vault.load('missing')).rejects.toThrow('no private key "missing" is stored');
      await expect(vault.save('bad', 'not a key')).rejects.toThrow('is not a PEM or OpenSSH private key');
      expect(await vault.delete('aws+ap-northeast-2+key-1')).toBe(true);
      expect(await vault.info('aws+ap-northeast-2+key-1')).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
