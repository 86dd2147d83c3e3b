import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readRemoteConfig } from './config.ts';

/**
 * Secrets encrypted at rest with AES-256-GCM.
 *
 * The master key comes from S2A_SECRET (scrypt with a random salt kept next to each ciphertext)
 * or, when S2A_SECRET is unset, from a random 32-byte key file `<S2A_HOME>/secret.key` created
 * with mode 0600 in a directory created with mode 0700. Every ciphertext is bound to a context
 * string (e.g. "private-key:<id>") as additional authenticated data, so a sealed value copied
 * onto another record does not open.
 */
export type KeySource = 'S2A_SECRET' | 'key-file';

export interface SealedSecret {
  version: 1;
  algorithm: 'aes-256-gcm';
  keySource: KeySource;
  /** scrypt salt, base64 (S2A_SECRET only). */
  salt?: string;
  /** 16 hex characters of HMAC-SHA256(key, constant): tells a wrong key from an altered record. */
  keyCheck: string;
  /** 12-byte nonce, base64. */
  iv: string;
  /** GCM authentication tag, base64. */
  tag: string;
  ciphertext: string;
}

export type SecretBoxErrorCode = 'WRONG_KEY' | 'KEY_SOURCE_CHANGED' | 'TAMPERED' | 'KEY_FILE' | 'MALFORMED';

export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const KEY_BYTES = 32;
const SALT_BYTES = 16;
const IV_BYTES = 12;
/** scrypt cost: 32 MiB and ~0.1 s once per salt and process. */
const SCRYPT_OPTIONS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function keyCheckOf(key: Buffer): string {
  return createHmac('sha256', key).update('s2a secret-box key check').digest('hex').slice(0, 16);
}

export class SecretBox {
  private readonly derivedKeys = new Map<string, Buffer>();

  private constructor(
    readonly keySource: KeySource,
    /** Where the key comes from, for messages: "S2A_SECRET" or the key file's path. */
    readonly keyLocation: string,
    private readonly material: { secret: string } | { key: Buffer },
    /** The salt new seals use (S2A_SECRET only). */
    private readonly salt: string | undefined,
  ) {}

  /** A box whose key is derived from a passphrase (S2A_SECRET). */
  static fromSecret(secret: string): SecretBox {
    if (secret.length === 0) throw new SecretBoxError('KEY_FILE', 'the secret is empty');
    return new SecretBox('S2A_SECRET', 'S2A_SECRET', { secret }, randomBytes(SALT_BYTES).toString('base64'));
  }

  /** A box whose key is the key file at `path`, created (0600, directory 0700) when missing. */
  static async fromKeyFile(path: string): Promise<SecretBox> {
    return new SecretBox('key-file', path, { key: await loadOrCreateKeyFile(path) }, undefined);
  }

  /** S2A_SECRET when set, otherwise `<S2A_HOME>/secret.key`. */
  static async fromEnvironment(
    environment: NodeJS.ProcessEnv = process.env,
    workingDirectory: string = process.cwd(),
  ): Promise<SecretBox> {
    const config = readRemoteConfig(environment, workingDirectory);
    return config.secret !== undefined
      ? SecretBox.fromSecret(config.secret)
      : SecretBox.fromKeyFile(config.keyFile);
  }

  private keyFor(salt: string | undefined): Buffer {
    if ('key' in this.material) return this.material.key;
    if (salt === undefined)
      throw new SecretBoxError('MALFORMED', 'a sealed secret from S2A_SECRET has no salt');
    let key = this.derivedKeys.get(salt);
    if (!key) {
      key = scryptSync(this.material.secret, Buffer.from(salt, 'base64'), KEY_BYTES, SCRYPT_OPTIONS);
      this.derivedKeys.set(salt, key);
    }
    return key;
  }

  seal(plaintext: string, context: string): SealedSecret {
    const key = this.keyFor(this.salt);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      version: 1,
      algorithm: 'aes-256-gcm',
      keySource: this.keySource,
      ...(this.salt !== undefined ? { salt: this.salt } : {}),
      keyCheck: keyCheckOf(key),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  /** Decrypts; throws SecretBoxError saying which key is wrong, or that the record was altered. */
  open(sealed: SealedSecret, context: string): string {
    if (sealed?.version !== 1 || sealed.algorithm !== 'aes-256-gcm') {
      throw new SecretBoxError('MALFORMED', `"${context}" is not a sealed secret this version of s2a reads`);
    }
    if (sealed.keySource !== this.keySource) {
      const now =
        this.keySource === 'S2A_SECRET'
          ? 'S2A_SECRET is set now'
          : `S2A_SECRET is not set now (s2a uses the key file ${this.keyLocation})`;
      const fix =
        sealed.keySource === 'S2A_SECRET'
          ? 'Set S2A_SECRET to the value used when it was stored'
          : 'Unset S2A_SECRET so the key file is used again';
      throw new SecretBoxError(
        'KEY_SOURCE_CHANGED',
        `cannot decrypt "${context}": it was encrypted with ${sealed.keySource === 'S2A_SECRET' ? 'S2A_SECRET' : 'the key file'}, but ${now}. ${fix}, or delete the record and create a new key.`,
      );
    }
    const key = this.keyFor(sealed.salt);
    if (keyCheckOf(key) !== sealed.keyCheck) {
      const which =
        this.keySource === 'S2A_SECRET'
          ? 'S2A_SECRET is not the value it was encrypted with'
          : `the key file ${this.keyLocation} is not the one it was encrypted with`;
      throw new SecretBoxError(
        'WRONG_KEY',
        `cannot decrypt "${context}": ${which}. Restore the original, or delete the record and create a new key.`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'TAMPERED',
        `cannot decrypt "${context}": the key is right but the record was altered or belongs to another record. Delete it and create a new key.`,
      );
    }
  }
}

async function loadOrCreateKeyFile(path: string): Promise<Buffer> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const existing = await readKeyFile(path);
  if (existing) return existing;
  const key = randomBytes(KEY_BYTES);
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600);
  try {
    // link() fails when the file exists: two processes creating it at once agree on one key.
    await link(temporary, path);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKeyFile(path);
    if (!winner)
      throw new SecretBoxError('KEY_FILE', `the key file ${path} vanished while it was being created`);
    return winner;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretBoxError('KEY_FILE', `cannot read the key file ${path}: ${(error as Error).message}`);
  }
  if (process.platform !== 'win32') {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new SecretBoxError(
        'KEY_FILE',
        `the key file ${path} is readable by others (mode ${mode.toString(8)}); run \`chmod 600 ${path}\``,
      );
    }
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError(
      'KEY_FILE',
      `the key file ${path} does not hold a ${KEY_BYTES}-byte base64 key; restore it from a backup (keys sealed with it cannot be read without it)`,
    );
  }
  return key;
}
