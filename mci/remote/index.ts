/** Remote commands: SSH for real VMs, the emulated shell for sim VMs, encrypted private keys. */
export { type RemoteConfig, readRemoteConfig } from './config.ts';
export {
  expectedFingerprint,
  fingerprintOfBlob,
  HOST_KEY_KIND,
  HOST_KEY_NAMESPACE,
  type HostKeyStore,
  type KnownHostKey,
  StoreHostKeyStore,
} from './host-keys.ts';
export {
  KEY_VAULT_KIND,
  KEY_VAULT_NAMESPACE,
  KeyVault,
  type PrivateKeyInfo,
  type SavePrivateKeyOptions,
} from './key-vault.ts';
export { RoutingCommandRunner } from './routing-runner.ts';
export {
  type KeySource,
  type SealedSecret,
  SecretBox,
  SecretBoxError,
  type SecretBoxErrorCode,
} from './secret-box.ts';
export {
  type OpenPort,
  SHELL_HISTORY_KIND,
  SHELL_PORT_KIND,
  SHELL_STATE_KIND,
  type ShellHistoryEntry,
  SimCommandRunner,
  SimPortTable,
  type SimShellOptions,
} from './sim-shell.ts';
export { SshCommandRunner, type SshCommandRunnerOptions } from './ssh-runner.ts';
export {
  type CommandResult,
  type CommandRunner,
  OUTPUT_LIMIT_BYTES,
  type OutputEvent,
  REMOTE_ERROR_CODES,
  type RemoteError,
  type RemoteErrorCode,
  type RemoteTarget,
  type RunOptions,
} from './types.ts';
