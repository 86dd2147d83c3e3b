/**
 * The web app's one process: the runtime, the MCP tool services and the agent, the API under /api
 * (chat stream, dashboard, catalog, MCP at /api/mcp), and Next.js serving the UI for every other
 * path. Next renders pages only; nothing in app/ touches the store or the clouds directly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openAgent, type PlannerChoice } from '../agent/open-agent.ts';
import type { Planner } from '../agent/types.ts';
import { ConfigError, mcpConfigFromEnvironment } from '../mcp-server/config.ts';
import {
  isLoopbackHost,
  MAX_REQUEST_BODY_BYTES,
  readBody,
  toHeaders,
  writeResponse,
} from '../mcp-server/http.ts';
import { createToolServices } from '../mcp-server/server.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { handleApiRequest } from './api.ts';
import type { WebContext } from './context.ts';
import { jsonError } from './responses.ts';

export const DEFAULT_WEB_HOST = '127.0.0.1';
export const DEFAULT_WEB_PORT = 3000;

export interface StartWebServerOptions {
  runtime: Runtime;
  environment?: Record<string, string | undefined>;
  /** Default S2A_WEB_HOST, else 127.0.0.1. */
  host?: string;
  /** Default S2A_WEB_PORT, else 3000; 0 picks a free port. */
  port?: number;
  /** The Next.js project folder (the repository root), holding the production build in .next/. */
  dir: string;
  planner?: PlannerChoice | Planner;
  /** One line per notable event; default nothing. */
  log?: (line: string) => void;
  /** Recover dead processes' operations and refresh node statuses (default true). */
  backgroundWork?: boolean;
}

type CreateNextApp = (options: {
  dev: boolean;
  dir: string;
  hostname: string;
  port: number;
  quiet: boolean;
}) => {
  prepare(): Promise<void>;
  getRequestHandler(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  close?(): Promise<void>;
};

export interface WebServer {
  url: string;
  host: string;
  port: number;
  context: WebContext;
  close(): Promise<void>;
}

function portFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    throw new ConfigError(`S2A_WEB_PORT must be a port number (0–65535), not "${value}"`);
  }
  return Number(value);
}

export async function startWebServer(options: StartWebServerOptions): Promise<WebServer> {
  const environment = options.environment ?? process.env;
  const log = options.log ?? (() => undefined);
  const host = options.host ?? (environment.S2A_WEB_HOST || DEFAULT_WEB_HOST);
  const port = options.port ?? portFrom(environment.S2A_WEB_PORT) ?? DEFAULT_WEB_PORT;
  // The chat can create and delete cloud resources and has no login: it stays on this machine.
  if (!isLoopbackHost(host)) {
    throw new ConfigError(
      `refusing to serve the web app on ${host}: it has no login, and anyone who reaches it could create and delete cloud resources. ` +
        'Keep S2A_WEB_HOST on 127.0.0.1 and reach it through an SSH tunnel or an authenticating reverse proxy.',
    );
  }
  const mcpConfig = mcpConfigFromEnvironment(environment, { host, port });
  const services = createToolServices(options.runtime, mcpConfig);
  const agent = await openAgent({
    runtime: options.runtime,
    services,
    environment,
    ...(options.planner ? { planner: options.planner } : {}),
  });
  const context: WebContext = {
    runtime: options.runtime,
    services,
    mcpConfig,
    agent,
    tools: agent.tools,
    environment,
  };

  // Next is loaded here, not at the top: tests of the API never pay for it. Its types stay out of the
  // server's program (they redeclare process.env), hence the narrow shape below.
  const nextSpecifier = 'next';
  const { default: next } = (await import(nextSpecifier)) as { default: CreateNextApp };
  const nextApp = next({ dev: false, dir: options.dir, hostname: host, port, quiet: true });
  await nextApp.prepare();
  const nextHandler = nextApp.getRequestHandler();

  let base = `http://${host}:${port}`;
  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const path = new URL(incoming.url ?? '/', base).pathname;
    if (path !== '/api' && !path.startsWith('/api/')) {
      await nextHandler(incoming, outgoing);
      return;
    }
    let body: Buffer | undefined;
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      const read = await readBody(incoming);
      if (read === 'too-large') {
        await writeResponse(
          jsonError(413, 'TOO_LARGE', `the body is over ${MAX_REQUEST_BODY_BYTES} bytes`, 'Send less.'),
          outgoing,
        );
        return;
      }
      body = read;
    }
    const request = new Request(new URL(incoming.url ?? '/', base), {
      method: incoming.method ?? 'GET',
      headers: toHeaders(incoming),
      ...(body !== undefined ? { body } : {}),
    });
    const response = await handleApiRequest(request, context);
    if (response.status >= 500) log(`${incoming.method} ${path} → ${response.status}`);
    await writeResponse(response, outgoing);
  };

  const server: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!outgoing.headersSent) {
        outgoing.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        outgoing.end('Internal error');
      } else {
        outgoing.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(`port ${port} on ${host} is in use: stop what runs there or set S2A_WEB_PORT`)
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  base = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  let background: { stop(): Promise<void> } | undefined;
  if (options.backgroundWork !== false) {
    try {
      const service = await options.runtime.mci();
      background = service.startBackgroundWork({
        onError: (error) => log(`recovering operations failed (retried later): ${(error as Error).message}`),
      });
    } catch (error) {
      log(`the MCI engine did not start, so MCI tools will fail: ${(error as Error).message}`);
    }
  }

  return {
    url: base,
    host,
    port: address.port,
    context,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await background?.stop();
      await agent.close();
      await services.tasks.close();
      await nextApp.close?.();
    },
  };
}
