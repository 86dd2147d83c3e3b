/**
 * Where the engine keeps the private keys it generates for its key pairs. The encrypted vault is
 * built in mci/remote; the engine only needs this interface.
 */
export interface KeyVault {
  put(name: string, privateKey: string): Promise<void>;
  get(name: string): Promise<string | undefined>;
  delete?(name: string): Promise<void>;
}
