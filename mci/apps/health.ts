import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { HealthCheck } from './schema.ts';

/** One health check of one node. */
export interface HealthProbeRequest {
  nodeId: string;
  /** The address to check (the one s2a reaches the node at). */
  host: string;
  check: HealthCheck;
  /** The provider's VM id, when known (the sim's port table uses it). */
  vmId?: string;
}

export interface HealthProbeResult {
  healthy: boolean;
  /** What was seen: "HTTP 200", "connection refused", "port 11434 is not open on the VM"… */
  detail: string;
}

/**
 * Checks once whether a node's app answers. The network probe connects for real; the sim answers
 * from its emulated port table (mci/remote/sim-shell.ts).
 */
export interface HealthProbe {
  probe(request: HealthProbeRequest): Promise<HealthProbeResult>;
}

export function healthPort(check: HealthCheck): number {
  return 'http' in check ? check.http.port : check.tcp.port;
}

export function describeHealthCheck(check: HealthCheck): string {
  return 'http' in check
    ? `HTTP GET :${check.http.port}${check.http.path} answering ${check.http.expectStatus}`
    : `TCP port ${check.tcp.port} accepting connections`;
}

/** HTTP GET or TCP connect over the network, each attempt bounded by `attemptTimeoutMs`. */
export class NetworkHealthProbe implements HealthProbe {
  constructor(private readonly attemptTimeoutMs = 5_000) {}

  probe(request: HealthProbeRequest): Promise<HealthProbeResult> {
    const { check, host } = request;
    if ('http' in check) {
      return new Promise((resolve) => {
        const outgoing = httpRequest(
          {
            host,
            port: check.http.port,
            path: check.http.path,
            method: 'GET',
            timeout: this.attemptTimeoutMs,
          },
          (response) => {
            response.resume();
            const status = response.statusCode ?? 0;
            resolve({
              healthy: status === check.http.expectStatus,
              detail: `HTTP ${status}${status === check.http.expectStatus ? '' : ` (expected ${check.http.expectStatus})`}`,
            });
          },
        );
        outgoing.on('timeout', () =>
          outgoing.destroy(new Error(`no answer within ${this.attemptTimeoutMs} ms`)),
        );
        outgoing.on('error', (error: NodeJS.ErrnoException) =>
          resolve({ healthy: false, detail: error.code ?? error.message }),
        );
        outgoing.end();
      });
    }
    return new Promise((resolve) => {
      const socket = connect({ host, port: check.tcp.port, timeout: this.attemptTimeoutMs });
      socket.on('connect', () => {
        socket.destroy();
        resolve({ healthy: true, detail: 'TCP connected' });
      });
      socket.on('timeout', () => socket.destroy(new Error(`no answer within ${this.attemptTimeoutMs} ms`)));
      socket.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ healthy: false, detail: error.code ?? error.message }),
      );
    });
  }
}

export interface WaitForHealthOptions {
  timeoutMs: number;
  /** First pause between attempts; doubles up to `maxDelayMs`. Default 1 s. */
  initialDelayMs?: number;
  /** Default 10 s. */
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** For tests: time and sleeping (defaults: Date.now and setTimeout). */
  now?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
}

export interface HealthOutcome {
  healthy: boolean;
  attempts: number;
  /** The last probe's detail. */
  detail: string;
  elapsedMs: number;
}

const realSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Probes until healthy, with backoff, until `timeoutMs` has passed (at least one attempt). */
export async function waitForHealth(
  probe: HealthProbe,
  request: HealthProbeRequest,
  options: WaitForHealthOptions,
): Promise<HealthOutcome> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const startedAt = now();
  let delay = options.initialDelayMs ?? 1_000;
  const maxDelay = options.maxDelayMs ?? 10_000;
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await probe.probe(request);
    const elapsedMs = now() - startedAt;
    if (result.healthy) return { healthy: true, attempts, detail: result.detail, elapsedMs };
    const remaining = options.timeoutMs - elapsedMs;
    if (remaining <= 0 || options.signal?.aborted)
      return { healthy: false, attempts, detail: result.detail, elapsedMs };
    await sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, maxDelay);
  }
}
