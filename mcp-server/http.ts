// Streamable HTTP transport at /mcp, stateless: every POST gets a fresh McpServer and transport over
// the process's one ToolServices, so any number of clients (and processes) share nothing but the
// store. Responses stream as SSE, which is how progress reaches the client while a tool waits.
// `handleMcpHttpRequest` is web-standard (Request → Response) so the Next.js app can mount it at
// /api/mcp; `startMcpHttpServer` wraps it in node:http for `s2a serve`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { ConfigError, type McpConfig } from './config.ts';
import { createMcpServer } from './server.ts';
import type { ToolServices } from './tool.ts';

export const MCP_PATH = '/mcp';
/** The SDK transport's own cap; checked here too so the node adapter never buffers more. */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for names and addresses that never leave the machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name) || name.endsWith('.localhost');
}

/**
 * Throws a ConfigError when the settings would expose the server beyond this machine without a
 * bearer token. Call it before listening (the Next.js app calls it for its own bind address).
 */
export function assertHttpBindingAllowed(config: Pick<McpConfig, 'host' | 'token'>): void {
  if (!isLoopbackHost(config.host) && !config.token) {
    throw new ConfigError(
      `refusing to serve MCP on ${config.host} without a bearer token: anyone who can reach it could create and delete cloud resources. ` +
        'Set S2A_MCP_TOKEN to a long random secret (e.g. `openssl rand -hex 32`) and give it to your clients, or bind 127.0.0.1 (S2A_MCP_HOST).',
    );
  }
}

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** Compares digests so neither the length nor a prefix of the token leaks through timing. */
function tokenMatches(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function checkToken(request: Request, token: string | undefined): Response | undefined {
  if (!token) return undefined;
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (match?.[1] && tokenMatches(match[1], token)) return undefined;
  return jsonRpcError(
    401,
    match
      ? 'Unauthorized: the bearer token is wrong'
      : 'Unauthorized: send Authorization: Bearer <S2A_MCP_TOKEN>',
    {
      'WWW-Authenticate': match ? 'Bearer realm="s2a", error="invalid_token"' : 'Bearer realm="s2a"',
    },
  );
}

/** The Host header as a URL, or undefined when it is more than a host and port. */
function parseHost(host: string): URL | undefined {
  try {
    const url = new URL(`http://${host}`);
    const bare = url.pathname === '/' && !url.username && !url.password && !url.search && !url.hash;
    return bare && !/[/?#@\\]/.test(host) ? url : undefined;
  } catch {
    return undefined;
  }
}

function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * DNS-rebinding protection. A page on evil.example whose name was re-pointed at 127.0.0.1 sends
 * `Host: evil.example` and `Origin: http://evil.example`: on a loopback bind the Host must name
 * this machine, and a browser Origin must be this server, a loopback origin on the same port, or
 * one listed in S2A_MCP_ALLOWED_ORIGINS. Requests without an Origin (non-browser clients) pass.
 * Returns the Origin to echo in CORS headers when it is an allowed cross origin.
 */
export function checkHostAndOrigin(
  request: Request,
  config: McpConfig,
): { refused: Response } | { corsOrigin: string | undefined } {
  const url = new URL(request.url);
  const hostHeader = request.headers.get('host');
  // Without a Host header (some embedders drop it) the request URL names the server.
  const host = hostHeader === null ? url : parseHost(hostHeader);
  if (!host) return { refused: jsonRpcError(400, 'Bad Request: malformed Host header') };
  if (isLoopbackHost(config.host) && !isLoopbackHost(host.hostname)) {
    return {
      refused: jsonRpcError(
        403,
        `Forbidden: Host ${host.host} is not this machine (this server is bound to ${config.host})`,
      ),
    };
  }
  const originHeader = request.headers.get('origin');
  if (originHeader === null) return { corsOrigin: undefined };
  const origin = normalizeOrigin(originHeader);
  if (origin !== undefined) {
    const allowed = new Set(config.allowedOrigins.map(normalizeOrigin));
    if (allowed.has(origin)) return { corsOrigin: origin };
    const parsed = new URL(origin);
    const ownOrigin = `${url.protocol}//${host.host}`;
    const sameServer =
      origin === ownOrigin ||
      (isLoopbackHost(parsed.hostname) &&
        isLoopbackHost(host.hostname) &&
        effectivePort(parsed) === effectivePort(host));
    if (sameServer) return { corsOrigin: undefined };
  }
  return {
    refused: jsonRpcError(
      403,
      `Forbidden: Origin ${originHeader} is not allowed; add it to S2A_MCP_ALLOWED_ORIGINS to let that site call this server`,
    ),
  };
}

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Session-Id, Last-Event-ID',
  'Access-Control-Expose-Headers': 'Mcp-Session-Id, WWW-Authenticate',
  'Access-Control-Max-Age': '600',
};

function withCors(response: Response, origin: string | undefined): Response {
  if (origin === undefined) return response;
  const headers = new Headers(response.headers);
  headers.set('Access-Control-Allow-Origin', origin);
  headers.append('Vary', 'Origin');
  for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Serves one MCP request. Checks Host and Origin, then the bearer token, then hands the request to
 * a fresh server. GET (a standing SSE stream) and DELETE (ending a session) have no meaning
 * without sessions: 405, which MCP clients accept.
 */
export async function handleMcpHttpRequest(
  request: Request,
  services: ToolServices,
  config: McpConfig = services.config,
): Promise<Response> {
  const origin = checkHostAndOrigin(request, config);
  if ('refused' in origin) return origin.refused;
  const { corsOrigin } = origin;
  // A preflight carries no credentials, so it is answered before the token check.
  if (request.method === 'OPTIONS') {
    return withCors(new Response(null, { status: 204 }), corsOrigin);
  }
  const unauthorized = checkToken(request, config.token);
  if (unauthorized) return withCors(unauthorized, corsOrigin);
  if (request.method !== 'POST') {
    return withCors(
      jsonRpcError(405, 'Method not allowed: this server is stateless; send JSON-RPC with POST', {
        Allow: 'POST, OPTIONS',
      }),
      corsOrigin,
    );
  }
  const server = createMcpServer(services);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: false,
    maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
  });
  await server.connect(transport);
  let response: Response;
  try {
    response = await transport.handleRequest(request);
  } catch (error) {
    await server.close().catch(() => undefined);
    throw error;
  }
  const body = response.body;
  if (!body) {
    await server.close().catch(() => undefined);
    return withCors(response, corsOrigin);
  }
  // Close the per-request server once its stream has ended. A client that goes away does not close
  // it: the tool keeps running to its end (an approved createMCI is not rolled back because a
  // connection dropped) and its late writes are discarded.
  const reader = body.getReader();
  const relay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        await server.close().catch(() => undefined);
      } else {
        controller.enqueue(value);
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined);
    },
  });
  return withCors(
    new Response(relay, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    }),
    corsOrigin,
  );
}

export interface McpHttpServer {
  /** The URL clients use, e.g. http://127.0.0.1:3001/mcp */
  url: string;
  host: string;
  port: number;
  /** Stops accepting connections and drops open ones. */
  close(): Promise<void>;
}

export interface StartMcpHttpServerOptions {
  services: ToolServices;
  config?: McpConfig;
  /** Receives one line per notable event (never the token); default: nothing. */
  log?: (line: string) => void;
}

function formatAuthority(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function toHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

export async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (response.statusText) outgoing.writeHead(response.status, response.statusText, headers);
  else outgoing.writeHead(response.status, headers);
  if (!response.body) {
    outgoing.end();
    return;
  }
  // Headers go out at once so an SSE client starts reading before the first event.
  outgoing.flushHeaders();
  const reader = response.body.getReader();
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) void reader.cancel().catch(() => undefined);
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!outgoing.write(value)) {
        await new Promise<void>((resolve) => {
          outgoing.once('drain', resolve);
          outgoing.once('close', resolve);
        });
      }
      if (outgoing.destroyed) break;
    }
  } finally {
    outgoing.end();
  }
}

/** Serves MCP over HTTP at /mcp for `s2a serve`. Refuses a non-loopback bind without a token. */
export async function startMcpHttpServer(options: StartMcpHttpServerOptions): Promise<McpHttpServer> {
  const config = options.config ?? options.services.config;
  const log = options.log ?? (() => undefined);
  assertHttpBindingAllowed(config);
  let base = `http://${formatAuthority(config.host, config.port)}`;

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const path = new URL(incoming.url ?? '/', base).pathname;
    if (path !== MCP_PATH && path !== `${MCP_PATH}/`) {
      await writeResponse(jsonRpcError(404, `Not found: MCP is served at ${MCP_PATH}`), outgoing);
      return;
    }
    let body: Buffer | undefined;
    if (incoming.method === 'POST') {
      const read = await readBody(incoming);
      if (read === 'too-large') {
        await writeResponse(jsonRpcError(413, 'Request body too large'), outgoing);
        return;
      }
      body = read;
    }
    // The URL is built from the bound address, not the Host header: the Host is checked separately.
    const request = new Request(new URL(incoming.url ?? MCP_PATH, base), {
      method: incoming.method ?? 'GET',
      headers: toHeaders(incoming),
      ...(body !== undefined ? { body } : {}),
    });
    const response = await handleMcpHttpRequest(request, options.services, config);
    if (response.status >= 400) log(`${incoming.method} ${path} → ${response.status}`);
    await writeResponse(response, outgoing);
  };

  const server: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!outgoing.headersSent) {
        outgoing.writeHead(500, { 'Content-Type': 'application/json' });
        outgoing.end(
          JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }),
        );
      } else {
        outgoing.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  base = `http://${formatAuthority(config.host, address.port)}`;
  return {
    url: `${base}${MCP_PATH}`,
    host: config.host,
    port: address.port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
