import type { Agent } from '../agent/agent.ts';
import type { ToolClient } from '../agent/tool-client.ts';
import type { McpConfig } from '../mcp-server/config.ts';
import type { ToolServices } from '../mcp-server/tool.ts';
import type { Runtime } from '../runtime/runtime.ts';

/** What every API handler may use: one runtime, one set of tool services, one agent per process. */
export interface WebContext {
  runtime: Runtime;
  services: ToolServices;
  /** The MCP settings of /api/mcp (host and port are the web server's). */
  mcpConfig: McpConfig;
  agent: Agent;
  /** The agent's MCP client: dashboard actions go through the same tools and confirmation. */
  tools: ToolClient;
  environment: Record<string, string | undefined>;
}

export type ApiHandler = (
  request: Request,
  context: WebContext,
  params: Record<string, string>,
) => Promise<Response>;
