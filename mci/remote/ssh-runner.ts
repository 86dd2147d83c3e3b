import { StringDecoder } from 'node:string_decoder';
import ssh2, { type ClientChannel, type Client as SshClientType } from 'ssh2';
import { mapWithConcurrency } from './concurrency.ts';
import {
  expectedFingerprint,
  fingerprintOfBlob,
  type HostKeyStore,
  hostKeyId,
  knownHostKeyOf,
} from './host-keys.ts';
import { TailBuffer } from './output-buffer.ts';
import {
  type CommandResult,
  type CommandRunner,
  DEFAULT_CONCURRENCY,
  OUTPUT_LIMIT_BYTES,
  type RemoteError,
  type RemoteTarget,
  type RunOptions,
  wrapScript,
} from './types.ts';

// ssh2 is CommonJS: Node's ESM loader (tsx, production) exposes only its default export.
const { utils: sshUtils, Client: SshClient } = ssh2;

export interface SshCommandRunnerOptions {
  /** Host keys recorded on first use (StoreHostKeyStore in s2a). */
  hostKeys: HostKeyStore;
  /** Budget of one connection attempt, TCP + SSH handshake + authentication. Default 20 s. */
  connectTimeoutMs?: number;
  /**
   * Connection attempts when the host refuses, resets or does not answer (a fresh VM's sshd
   * starts some seconds after the VM is Running). Default 8.
   */
  connectAttempts?: number;
  /** Wait before the second attempt; doubles each time up to `maxRetryDelayMs`. Default 2 s. */
  retryDelayMs?: number;
  /** Default 15 s. */
  maxRetryDelayMs?: number;
  /** SSH keepalive while a long script runs. Default 15 s. */
  keepaliveIntervalMs?: number;
  outputLimitBytes?: number;
}

/** Seconds the remote `timeout` wrapper waits beyond the local timeout before it stops the script. */
const REMOTE_TIMEOUT_GRACE_SECONDS = 1;
/** After TERM, the remote `timeout` sends KILL this many seconds later. */
const REMOTE_KILL_AFTER_SECONDS = 5;

const RETRYABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);

/** A failure to connect, classified. */
class ConnectFailure extends Error {
  constructor(readonly remoteError: RemoteError) {
    super(remoteError.message);
  }
}

interface Connection {
  client: SshClientType;
  fingerprint: string;
}

function sleep(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs scripts over SSH (ssh2): public-key authentication, `bash -s` with the script on stdin,
 * output collected per node, timeouts that stop the remote process group, bounded concurrency
 * across targets, host keys trusted on first use and required afterwards, and retries of
 * connections a booting VM refuses.
 */
export class SshCommandRunner implements CommandRunner {
  private readonly hostKeys: HostKeyStore;
  private readonly connectTimeoutMs: number;
  private readonly connectAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly keepaliveIntervalMs: number;
  private readonly outputLimitBytes: number;

  constructor(options: SshCommandRunnerOptions) {
    this.hostKeys = options.hostKeys;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
    this.connectAttempts = Math.max(1, options.connectAttempts ?? 8);
    this.retryDelayMs = options.retryDelayMs ?? 2_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 15_000;
    this.keepaliveIntervalMs = options.keepaliveIntervalMs ?? 15_000;
    this.outputLimitBytes = options.outputLimitBytes ?? OUTPUT_LIMIT_BYTES;
  }

  async run(targets: readonly RemoteTarget[], script: string, options: RunOptions): Promise<CommandResult[]> {
    let wrapped: string;
    try {
      wrapped = wrapScript(script, options.env);
    } catch (error) {
      const message = (error as Error).message;
      return targets.map((target) =>
        this.failed(target, Date.now(), { code: 'invalid-request', message, retryable: false }),
      );
    }
    return mapWithConcurrency(targets, options.concurrency ?? DEFAULT_CONCURRENCY, (target) =>
      this.runOne(target, wrapped, options),
    );
  }

  private failed(target: RemoteTarget, startedAt: number, error: RemoteError): CommandResult {
    return {
      nodeId: target.nodeId,
      exitCode: null,
      stdout: '',
      stderr: '',
      stdoutDroppedBytes: 0,
      stderrDroppedBytes: 0,
      durationMs: Date.now() - startedAt,
      timedOut: false,
      error,
    };
  }

  private async runOne(target: RemoteTarget, wrapped: string, options: RunOptions): Promise<CommandResult> {
    const startedAt = Date.now();
    const parsedKey = sshUtils.parseKey(target.privateKey);
    if (parsedKey instanceof Error || (Array.isArray(parsedKey) && parsedKey.length === 0)) {
      return this.failed(target, startedAt, {
        code: 'invalid-key',
        message: `the private key for ${target.nodeId} cannot be read (${parsedKey instanceof Error ? parsedKey.message : 'empty'}); use an unencrypted OpenSSH or PEM key`,
        retryable: false,
      });
    }
    if (options.signal?.aborted) {
      return this.failed(target, startedAt, {
        code: 'cancelled',
        message: 'cancelled before it started',
        retryable: false,
      });
    }
    let connection: Connection;
    try {
      connection = await this.connectWithRetries(target, options.signal);
    } catch (error) {
      const remoteError =
        error instanceof ConnectFailure
          ? error.remoteError
          : ({ code: 'connect-failed', message: String(error), retryable: true } as const);
      return this.failed(target, startedAt, remoteError);
    }
    try {
      return await this.execute(target, connection, wrapped, options, startedAt);
    } finally {
      connection.client.end();
    }
  }

  private async connectWithRetries(
    target: RemoteTarget,
    signal: AbortSignal | undefined,
  ): Promise<Connection> {
    let delay = this.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connectOnce(target);
      } catch (error) {
        const failure =
          error instanceof ConnectFailure
            ? error
            : new ConnectFailure({ code: 'connect-failed', message: String(error), retryable: false });
        if (signal?.aborted) {
          throw new ConnectFailure({
            code: 'cancelled',
            message: 'cancelled while connecting',
            retryable: false,
          });
        }
        if (!failure.remoteError.retryable || attempt >= this.connectAttempts) {
          if (failure.remoteError.retryable) {
            throw new ConnectFailure({
              ...failure.remoteError,
              message: `${failure.remoteError.message} (gave up after ${attempt} attempts). Check that the node is Running, that sshd listens on port ${target.port}, and that its security group allows SSH from this machine.`,
            });
          }
          throw failure;
        }
        await sleep(delay * (0.75 + Math.random() * 0.5), signal);
        delay = Math.min(delay * 2, this.maxRetryDelayMs);
      }
    }
  }

  private connectOnce(target: RemoteTarget): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const client = new SshClient();
      const address = hostKeyId(target.host, target.port);
      let hostKeyProblem: RemoteError | undefined;
      let fingerprint = '';
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        outcome();
      };
      client.on('ready', () => settle(() => resolve({ client, fingerprint })));
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        client.end();
        settle(() => reject(new ConnectFailure(hostKeyProblem ?? classifyConnectError(error, target))));
      });
      client.on('close', () =>
        settle(() =>
          reject(
            new ConnectFailure(
              hostKeyProblem ?? {
                code: 'connect-failed',
                message: `${address} closed the connection before SSH was ready`,
                retryable: true,
              },
            ),
          ),
        ),
      );
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        privateKey: target.privateKey,
        readyTimeout: this.connectTimeoutMs,
        keepaliveInterval: this.keepaliveIntervalMs,
        keepaliveCountMax: 4,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          fingerprint = fingerprintOfBlob(key);
          this.checkHostKey(target, key).then(
            (problem) => {
              hostKeyProblem = problem;
              verify(problem === undefined);
            },
            (error: unknown) => {
              hostKeyProblem = {
                code: 'connect-failed',
                message: `cannot check the host key of ${address}: ${(error as Error).message}`,
                retryable: true,
              };
              verify(false);
            },
          );
        },
      });
    });
  }

  /** Undefined when the key is acceptable (and recorded if new); otherwise why it is refused. */
  private async checkHostKey(target: RemoteTarget, blob: Buffer): Promise<RemoteError | undefined> {
    const address = hostKeyId(target.host, target.port);
    const presented = knownHostKeyOf(blob, target.host, target.port, target.nodeId);
    if (target.expectedHostKey !== undefined) {
      const expected = expectedFingerprint(target.expectedHostKey);
      if (expected !== presented.fingerprint) {
        return {
          code: 'host-key-mismatch',
          message: `host key of ${address} (${target.nodeId}) does not match the expected key: expected ${expected}, presented ${presented.fingerprint}. Someone may be intercepting the connection, or the expected key is out of date; the connection was refused.`,
          retryable: false,
        };
      }
    }
    const recorded =
      (await this.hostKeys.get(target.host, target.port)) ?? (await this.hostKeys.recordIfAbsent(presented));
    if (recorded.fingerprint !== presented.fingerprint) {
      return {
        code: 'host-key-changed',
        message: `host key of ${address} (${target.nodeId}) changed: recorded ${recorded.fingerprint} (${recorded.algorithm}, first seen ${recorded.firstSeenAt}), presented ${presented.fingerprint} (${presented.algorithm}). The connection was refused: someone may be intercepting it. If the VM at this address was replaced, forget the old key (HostKeyStore.forget("${target.host}", ${target.port})) and try again.`,
        retryable: false,
      };
    }
    return undefined;
  }

  private execute(
    target: RemoteTarget,
    connection: Connection,
    wrapped: string,
    options: RunOptions,
    startedAt: number,
  ): Promise<CommandResult> {
    const { client } = connection;
    const stdout = new TailBuffer(this.outputLimitBytes);
    const stderr = new TailBuffer(this.outputLimitBytes);
    const remoteSeconds = Math.ceil(options.timeoutMs / 1000) + REMOTE_TIMEOUT_GRACE_SECONDS;
    const sudo = options.sudo && target.username !== 'root' ? 'sudo -n ' : '';
    const command = `${sudo}timeout -k ${REMOTE_KILL_AFTER_SECONDS} ${remoteSeconds} bash -s`;

    return new Promise((resolve) => {
      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      let error: RemoteError | undefined;
      let timedOut = false;
      let channel: ClientChannel | undefined;
      let finished = false;

      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        channel?.close();
        resolve({
          nodeId: target.nodeId,
          exitCode,
          ...(exitSignal ? { exitSignal } : {}),
          stdout: stdout.text(),
          stderr: stderr.text(),
          stdoutDroppedBytes: stdout.dropped,
          stderrDroppedBytes: stderr.dropped,
          durationMs: Date.now() - startedAt,
          timedOut,
          ...(error ? { error } : {}),
          hostKeyFingerprint: connection.fingerprint,
        });
      };
      const stop = (reason: RemoteError, isTimeout: boolean) => {
        if (finished) return;
        timedOut = isTimeout;
        error = reason;
        exitCode = null;
        finish();
      };
      const timer = setTimeout(
        () =>
          stop(
            {
              code: 'timeout',
              message: `the script on ${target.nodeId} ran longer than ${options.timeoutMs} ms and was stopped (its processes are killed on the host ${REMOTE_TIMEOUT_GRACE_SECONDS} s later). Run it with a longer timeout, or in the background (nohup/systemd) if it is a service.`,
              retryable: true,
            },
            true,
          ),
        options.timeoutMs,
      );
      const onAbort = () =>
        stop(
          { code: 'cancelled', message: `cancelled while running on ${target.nodeId}`, retryable: false },
          false,
        );
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();

      client.on('error', (connectionError: Error) =>
        stop(
          {
            code: 'channel-failed',
            message: `the SSH connection to ${target.nodeId} failed while the script ran: ${connectionError.message}`,
            retryable: true,
          },
          false,
        ),
      );
      client.on('close', () => {
        if (!finished && exitCode === null && exitSignal === undefined) {
          stop(
            {
              code: 'channel-failed',
              message: `the SSH connection to ${target.nodeId} closed before the script finished`,
              retryable: true,
            },
            false,
          );
        }
        finish();
      });

      client.exec(command, (execError, opened) => {
        if (execError) {
          stop(
            {
              code: 'channel-failed',
              message: `${target.nodeId} refused to run a command: ${execError.message}`,
              retryable: false,
            },
            false,
          );
          return;
        }
        channel = opened;
        if (finished) {
          opened.close();
          return;
        }
        const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
        const onData = (stream: 'stdout' | 'stderr', buffer: TailBuffer) => (chunk: Buffer) => {
          if (finished) return;
          buffer.write(chunk);
          if (options.onOutput) {
            const text = decoders[stream].write(chunk);
            if (text) options.onOutput({ nodeId: target.nodeId, stream, text });
          }
        };
        opened.on('data', onData('stdout', stdout));
        opened.stderr.on('data', onData('stderr', stderr));
        opened.on('exit', (code: number | null, signalName?: string) => {
          if (finished) return;
          if (typeof code === 'number') exitCode = code;
          else if (signalName) exitSignal = signalName;
        });
        opened.on('close', finish);
        opened.end(wrapped);
      });
    });
  }
}

function classifyConnectError(
  error: Error & { level?: string; code?: string },
  target: RemoteTarget,
): RemoteError {
  const address = hostKeyId(target.host, target.port);
  if (error.level === 'client-authentication') {
    return {
      code: 'auth-failed',
      message: `${address} refused the key for user "${target.username}" (${error.message}). Check the login user of the image and that the VM was created with this key pair.`,
      retryable: false,
    };
  }
  if (error.level === 'client-timeout') {
    return {
      code: 'connect-failed',
      message: `${address} did not complete the SSH handshake in time`,
      retryable: true,
    };
  }
  if (error.code && RETRYABLE_SOCKET_CODES.has(error.code)) {
    return {
      code: 'connect-failed',
      message: `cannot connect to ${address}: ${error.code}`,
      retryable: true,
    };
  }
  if (/before handshake|connection lost/i.test(error.message)) {
    return { code: 'connect-failed', message: `${address}: ${error.message}`, retryable: true };
  }
  return {
    code: 'connect-failed',
    message: `cannot connect to ${address}: ${error.message}`,
    retryable: false,
  };
}
