/**
 * The agent's hands: an MCP client to the s2a tools, in-process by default (the same server the
 * stdio and HTTP transports serve) or over Streamable HTTP to a URL. Planners call tools only
 * through this, so everything an agent does is something an MCP client could do.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer } from '../mcp-server/server.ts';
import type { ToolServices } from '../mcp-server/tool.ts';
import type { ToolCallOptions, ToolCallOutcome, ToolClient, ToolError } from './tool-types.ts';

export type { ToolCallOptions, ToolCallOutcome, ToolClient, ToolError } from './tool-types.ts';

/** Parses an MCP tool result into an outcome; error text is the server's JSON {error, ...details}. */
export function toOutcome(result: CallToolResult): ToolCallOutcome {
  const text = result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  if (!result.isError) {
    return {
      isError: false,
      structured: result.structuredContent as Record<string, unknown> | undefined,
      text,
    };
  }
  try {
    const parsed = JSON.parse(text) as { error?: ToolError } & Record<string, unknown>;
    if (parsed.error && typeof parsed.error.code === 'string') {
      const { error, ...details } = parsed;
      return { isError: true, structured: undefined, text, error, details };
    }
  } catch {
    // Not our JSON: an error from the SDK itself (unknown tool, protocol).
  }
  return {
    isError: true,
    structured: undefined,
    text,
    error: { code: 'INTERNAL', message: text, next: 'Retry once, then report it.', retryable: false },
  };
}

class McpToolClient implements ToolClient {
  private tools: Promise<Tool[]> | undefined;

  constructor(
    readonly client: Client,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  listTools(): Promise<Tool[]> {
    this.tools ??= this.client.listTools().then((result) => result.tools);
    return this.tools;
  }

  async callTool(
    name: string,
    input: Record<string, unknown>,
    options: ToolCallOptions = {},
  ): Promise<ToolCallOutcome> {
    try {
      const result = (await this.client.callTool({ name, arguments: input }, undefined, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress
          ? {
              onprogress: (progress: { progress: number; total?: number; message?: string }) =>
                options.onProgress?.(progress),
              resetTimeoutOnProgress: true,
            }
          : {}),
        timeout: options.timeoutMs ?? 30 * 60_000,
      })) as CallToolResult;
      return toOutcome(result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        isError: true,
        structured: undefined,
        text: message,
        error: {
          code: 'TRANSPORT',
          message,
          next: 'Check that the s2a MCP server is running, then retry.',
          retryable: true,
        },
      };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.onClose();
  }
}

const CLIENT_INFO = { name: 's2a-agent', version: '0.1.0' };

/** A client joined in memory to a new server over `services` (the default, offline and fast). */
export async function connectInProcess(services: ToolServices): Promise<ToolClient> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(services);
  await server.connect(serverTransport);
  const client = new Client(CLIENT_INFO);
  await client.connect(clientTransport);
  return new McpToolClient(client, () => server.close());
}

/** A client of an s2a server at `url` (e.g. http://127.0.0.1:3001/mcp), with its bearer token if any. */
export async function connectUrl(url: string, token?: string): Promise<ToolClient> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {}),
  });
  const client = new Client(CLIENT_INFO);
  await client.connect(transport);
  return new McpToolClient(client);
}
