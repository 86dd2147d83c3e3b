/**
 * Assembles an agent: the runtime's store and tools (in-process MCP server by default, or an s2a
 * server at S2A_MCP_URL), and the planner: the LLM planner when a model is configured, else the
 * offline planner. S2A_PLANNER=offline|llm forces one.
 */
import { mcpConfigFromEnvironment } from '../mcp-server/config.ts';
import { createToolServices } from '../mcp-server/server.ts';
import type { ToolServices } from '../mcp-server/tool.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { Agent } from './agent.ts';
import { connectInProcess, connectUrl, type ToolClient } from './tool-client.ts';
import type { Planner } from './types.ts';

export type PlannerChoice = 'auto' | 'offline' | 'llm';

export interface OpenAgentOptions {
  runtime: Runtime;
  environment?: Record<string, string | undefined>;
  planner?: PlannerChoice | Planner;
  /** Tool services to share (e.g. the web app's); default new ones over the runtime. */
  services?: ToolServices;
}

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}

async function choosePlanner(
  choice: PlannerChoice,
  environment: Record<string, string | undefined>,
): Promise<Planner> {
  const { llmConfigFromEnvironment } = await import('./llm/llm-config.ts');
  const llm = llmConfigFromEnvironment(environment);
  if (choice === 'llm' && !llm) {
    throw new AgentConfigError(
      'S2A_PLANNER=llm but no model is configured: set OPENAI_API_KEY, or S2A_LLM_BASE_URL and S2A_LLM_MODEL',
    );
  }
  if (choice !== 'offline' && llm) {
    const { createLlmPlanner } = await import('./llm/llm-planner.ts');
    return createLlmPlanner(llm);
  }
  const { OfflinePlanner } = await import('./offline/planner.ts');
  return new OfflinePlanner();
}

export async function openAgent(options: OpenAgentOptions): Promise<Agent> {
  const environment = options.environment ?? process.env;
  const choice = options.planner ?? ((environment.S2A_PLANNER as PlannerChoice | undefined) || 'auto');
  if (typeof choice === 'string' && !['auto', 'offline', 'llm'].includes(choice)) {
    throw new AgentConfigError(`S2A_PLANNER must be auto, offline or llm, not "${choice}"`);
  }
  const planner = typeof choice === 'string' ? await choosePlanner(choice, environment) : choice;
  const url = environment.S2A_MCP_URL;
  let tools: ToolClient;
  if (url) {
    tools = await connectUrl(url, environment.S2A_MCP_TOKEN);
  } else {
    const services =
      options.services ?? createToolServices(options.runtime, mcpConfigFromEnvironment(environment));
    tools = await connectInProcess(services);
  }
  return new Agent({ store: options.runtime.store, tools, planner });
}
