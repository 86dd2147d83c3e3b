import type { Store } from '../../store/types.ts';
import type { SealedSecret, SecretBox } from './secret-box.ts';

export const KEY_VAULT_NAMESPACE = 'mci';
export const KEY_VAULT_KIND = 'private-key';

/** What the store holds for one private key: the sealed key and public facts about it. */
export interface StoredPrivateKey {
  id: string;
  sealed: SealedSecret;
  /** OpenSSH public key, when known (not secret). */
  publicKey?: string;
  /** SHA256 fingerprint of the public key, when known. */
  fingerprint?: string;
  /** Free text such as the key pair's cloud id. */
  label?: string;
  storedAt: string;
}

/** What callers may see about a stored key: everything but the key. */
export type PrivateKeyInfo = Omit<StoredPrivateKey, 'sealed'>;

export interface SavePrivateKeyOptions {
  publicKey?: string;
  fingerprint?: string;
  label?: string;
}

/**
 * Private keys encrypted at rest in the store (namespace "mci", kind "private-key"). The engine
 * keeps the key pair it made per region here and reads the key back only to open SSH sessions.
 * Nothing here logs or returns key material except `load`.
 */
export class KeyVault {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  private static context(id: string): string {
    return `private-key:${id}`;
  }

  /** Stores (or replaces) the key under `id`. */
  async save(id: string, privateKey: string, options: SavePrivateKeyOptions = {}): Promise<PrivateKeyInfo> {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
      throw new Error(`the value saved as private key "${id}" is not a PEM or OpenSSH private key`);
    }
    const record: StoredPrivateKey = {
      id,
      sealed: this.box.seal(privateKey, KeyVault.context(id)),
      ...(options.publicKey ? { publicKey: options.publicKey } : {}),
      ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
      ...(options.label ? { label: options.label } : {}),
      storedAt: new Date().toISOString(),
    };
    await this.store.put(KEY_VAULT_NAMESPACE, KEY_VAULT_KIND, id, record);
    return KeyVault.info(record);
  }

  /** The decrypted private key. Throws when absent, or a SecretBoxError saying why it cannot be read. */
  async load(id: string): Promise<string> {
    const record = await this.store.get<StoredPrivateKey>(KEY_VAULT_NAMESPACE, KEY_VAULT_KIND, id);
    if (!record) throw new Error(`no private key "${id}" is stored`);
    return this.box.open(record.data.sealed, KeyVault.context(id));
  }

  async info(id: string): Promise<PrivateKeyInfo | undefined> {
    const record = await this.store.get<StoredPrivateKey>(KEY_VAULT_NAMESPACE, KEY_VAULT_KIND, id);
    return record ? KeyVault.info(record.data) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    return this.store.delete(KEY_VAULT_NAMESPACE, KEY_VAULT_KIND, id);
  }

  /** What is known about the keys whose ids start with `idPrefix` (never the keys). */
  async list(idPrefix: string): Promise<PrivateKeyInfo[]> {
    const records = await this.store.list<StoredPrivateKey>({
      namespace: KEY_VAULT_NAMESPACE,
      kind: KEY_VAULT_KIND,
      idPrefix,
    });
    return records.map((record) => KeyVault.info(record.data));
  }

  private static info(record: StoredPrivateKey): PrivateKeyInfo {
    const { sealed: _sealed, ...info } = record;
    return info;
  }
}
