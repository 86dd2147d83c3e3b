// An s2a MCP server and an MCP SDK client joined in memory, over a fast sim in a temporary home.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Runtime } from '../../runtime/runtime.ts';
import { type McpConfig, mcpConfigFromEnvironment } from '../config.ts';
import { createMcpServer, createToolServices } from '../server.ts';
import type { ToolServices } from '../tool.ts';

export const FAST_SIM = { timeScale: 0.001, rateLimits: false, apiLatency: false } as const;

export interface McpTestServer {
  home: string;
  runtime: Runtime;
  services: ToolServices;
  /** A new client connected to a new server over the same services. */
  connect(options?: ClientOptions): Promise<Client>;
  close(): Promise<void>;
}

export async function openMcpTestServer(
  options: { config?: Partial<McpConfig>; home?: string; account?: string } = {},
): Promise<McpTestServer> {
  const ownHome = options.home === undefined;
  const home = options.home ?? mkdtempSync(join(tmpdir(), 's2a-mcp-'));
  const runtime = await Runtime.open({
    home,
    environment: { S2A_SECRET: 'a test passphrase of enough length' },
    sim: { ...FAST_SIM, account: options.account ?? 'default' },
  });
  const services = createToolServices(runtime, { ...mcpConfigFromEnvironment({}), ...options.config });
  const clients: Client[] = [];
  return {
    home,
    runtime,
    services,
    async connect(clientOptions) {
      const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
      const server = createMcpServer(services);
      await server.connect(serverTransport);
      const client = new Client({ name: 's2a-test', version: '1.0.0' }, clientOptions);
      await client.connect(clientTransport);
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients.splice(0)) await client.close();
      await services.tasks.close();
      await runtime.close();
      if (ownHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The JSON an isError result carries: {error: {code, message, next, retryable}, ...details}. */
export function toolErrorOf(result: CallToolResult): {
  error: { code: string; message: string; next: string; retryable: boolean };
  [key: string]: unknown;
} {
  if (!result.isError)
    throw new Error(`expected an error result, got ${JSON.stringify(result.structuredContent)}`);
  const first = result.content[0];
  if (first?.type !== 'text') throw new Error('error result without text');
  return JSON.parse(first.text);
}
