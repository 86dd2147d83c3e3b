/**
 * Remote commands: the contract every command runner keeps (SSH for real VMs, the emulated shell
 * for sim VMs). The engine, `installApp` and the `runCommand` tool depend on this file only.
 */

/** Where a command runs. The private key is only in memory; it is never stored, logged or returned. */
export interface RemoteTarget {
  /** The caller's id for the node (MCI node id or VM id); results carry it back. */
  nodeId: string;
  host: string;
  port: number;
  username: string;
  /** OpenSSH or PEM private key text. */
  privateKey: string;
  /**
   * The host key the server must present: an OpenSSH public key line (`ssh-ed25519 AAAA…`) or a
   * fingerprint (`SHA256:…`). Without it the first key seen is recorded and required afterwards.
   */
  expectedHostKey?: string;
  /** The provider's VM id, when known. The sim's shell uses it to find the VM; SSH ignores it. */
  vmId?: string;
}

export interface OutputEvent {
  nodeId: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface RunOptions {
  /**
   * Wall-clock budget for the script once connected (connecting has its own retries and budget).
   * When it runs out the run is stopped: the channel is closed and the remote process group is
   * killed by a `timeout` wrapper on the host.
   */
  timeoutMs: number;
  /** Targets worked on at once. Default 10. */
  concurrency?: number;
  /** Variables exported before the script runs (names: letters, digits, "_"). */
  env?: Record<string, string>;
  /** Output as it arrives, per node and stream (not capped; the results are). */
  onOutput?: (event: OutputEvent) => void;
  /** Run the script as root: `sudo -n` when the login user is not root. */
  sudo?: boolean;
  /** Aborting stops every run still going, like a timeout (error code "cancelled"). */
  signal?: AbortSignal;
}

export const REMOTE_ERROR_CODES = [
  /** TCP or SSH handshake failed after every retry (refused, unreachable, timed out). */
  'connect-failed',
  /** The server refused the key or the user. */
  'auth-failed',
  /** The host presented another key than the one recorded on first use. */
  'host-key-changed',
  /** The host presented another key than `expectedHostKey`. */
  'host-key-mismatch',
  /** The private key could not be read. */
  'invalid-key',
  /** The script ran out of time and was stopped. */
  'timeout',
  /** The caller aborted the run. */
  'cancelled',
  /** The SSH channel failed (no exec allowed, connection lost mid-run). */
  'channel-failed',
  /** A bad option (environment variable name, …). */
  'invalid-request',
  /** Sim only: the VM is not Running. */
  'vm-not-running',
  /** Sim only: no such VM. */
  'vm-not-found',
] as const;
export type RemoteErrorCode = (typeof REMOTE_ERROR_CODES)[number];

export interface RemoteError {
  code: RemoteErrorCode;
  /** Human-readable, with what to do next. Never contains key material. */
  message: string;
  /** Whether running again later may succeed (connection problems, timeouts). */
  retryable: boolean;
}

/**
 * One node's outcome. `stdout`/`stderr` keep the last `OUTPUT_LIMIT_BYTES` (64 KiB) of each stream;
 * `stdoutDroppedBytes`/`stderrDroppedBytes` say how much earlier output was dropped.
 */
export interface CommandResult {
  nodeId: string;
  /** The script's exit code; null when it did not finish (timeout, connection failure, signal). */
  exitCode: number | null;
  /** Set when the remote process was killed by a signal, e.g. "KILL". */
  exitSignal?: string;
  stdout: string;
  stderr: string;
  stdoutDroppedBytes: number;
  stderrDroppedBytes: number;
  /** From the first connection attempt to the end of the run. */
  durationMs: number;
  timedOut: boolean;
  /** Set when the run did not complete normally (a non-zero exit code alone is not an error). */
  error?: RemoteError;
  /** SHA256 fingerprint of the host key the server presented (SSH only). */
  hostKeyFingerprint?: string;
}

export interface CommandRunner {
  /** Runs `script` with bash on every target; never rejects for per-node failures (see `error`). */
  run(targets: readonly RemoteTarget[], script: string, options: RunOptions): Promise<CommandResult[]>;
}

/** Each stream of each result keeps at most this many bytes: the end of the output. */
export const OUTPUT_LIMIT_BYTES = 64 * 1024;

export const DEFAULT_CONCURRENCY = 10;

const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Single-quotes a value for bash: safe for any content. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `export NAME='value'` lines for `env`; throws on a name bash would not accept. */
export function environmentExports(env: Record<string, string> | undefined): string {
  if (!env) return '';
  const lines: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!ENVIRONMENT_NAME.test(name)) {
      throw new Error(
        `environment variable name ${JSON.stringify(name)} is not valid: use letters, digits and "_"`,
      );
    }
    lines.push(`export ${name}=${shellQuote(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The script as the remote bash reads it on stdin: exported variables, then the script inside a
 * function that is called with stdin from /dev/null. Bash reads the whole function before running
 * it, so a command in the script that reads stdin (apt, a curl | sh) cannot swallow the rest.
 */
export function wrapScript(script: string, env?: Record<string, string>): string {
  const body = script.endsWith('\n') ? script : `${script}\n`;
  return `${environmentExports(env)}s2a_main() {\n${body}}\ns2a_main </dev/null\n`;
}
