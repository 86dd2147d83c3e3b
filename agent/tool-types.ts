/**
 * The tool client's contract, types only: agent/types.ts (and through it the browser's chat types)
 * can name it without pulling in the MCP server and everything behind it.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export interface ToolError {
  code: string;
  message: string;
  next: string;
  retryable: boolean;
}

export interface ToolCallOutcome {
  isError: boolean;
  /** structuredContent of a successful call. */
  structured: Record<string, unknown> | undefined;
  /** The text content, joined. */
  text: string;
  /** For isError results: the {code, message, next} the server sent (or INTERNAL for protocol errors). */
  error?: ToolError;
  /** Extra data of an error result, e.g. the review behind NEEDS_CONFIRMATION. */
  details?: Record<string, unknown>;
}

export interface ToolCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /** Per-call timeout; long waits reset it on each progress notification. */
  timeoutMs?: number;
}

export interface ToolClient {
  listTools(): Promise<Tool[]>;
  callTool(name: string, input: Record<string, unknown>, options?: ToolCallOptions): Promise<ToolCallOutcome>;
  /** The raw MCP client, for adapters (e.g. the AI SDK's MCP tools). */
  readonly client: Client;
  close(): Promise<void>;
}
