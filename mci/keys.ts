/**
 * Where the engine keeps the private keys it generates for its key pairs. The encrypted vault is
 * built in mci/remote; the engine only needs this interface.
 */
export interface KeyVault {
  put(name: string, privateKey: string): Promise<void>;
  get(name: string): Promise<string | undefined>;
  delete?(name: string): Promise<void>;
  /** Names of the stored keys starting with `prefix` (finds keys no record names any more). */
  list?(prefix: string): Promise<string[]>;
}

/** The part of the encrypted vault (mci/remote `KeyVault`) the adapter uses. */
export interface SealedKeyStore {
  save(id: string, privateKey: string, options?: { label?: string }): Promise<unknown>;
  load(id: string): Promise<string>;
  info(id: string): Promise<unknown>;
  delete(id: string): Promise<boolean>;
  list(idPrefix: string): Promise<{ id: string }[]>;
}

/**
 * The engine's `KeyVault` over the encrypted vault of mci/remote: keys are sealed (AES-256-GCM)
 * before they reach the store, so the stored record holds no PEM.
 */
export class EncryptedKeyVault implements KeyVault {
  constructor(private readonly sealed: SealedKeyStore) {}

  async put(name: string, privateKey: string): Promise<void> {
    await this.sealed.save(name, privateKey, { label: `key pair ${name}` });
  }

  /** The key, or undefined when none is stored; a key that cannot be decrypted throws (SecretBoxError). */
  async get(name: string): Promise<string | undefined> {
    if ((await this.sealed.info(name)) === undefined) return undefined;
    return this.sealed.load(name);
  }

  async delete(name: string): Promise<void> {
    await this.sealed.delete(name);
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.sealed.list(prefix)).map((info) => info.id);
  }
}
