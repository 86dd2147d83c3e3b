// The LLM planner's public surface: agent/open-agent.ts and the CLI need only these.
export {
  DEFAULT_MAX_STEPS,
  DEFAULT_OPENAI_MODEL,
  describeLlmConfig,
  type LlmConfig,
  LlmConfigError,
  llmConfigFromEnvironment,
} from './llm-config.ts';
export {
  type ChatModel,
  createLlmModel,
  createLlmPlanner,
  LlmPlanner,
  type LlmPlannerOptions,
} from './llm-planner.ts';
export { systemPrompt } from './system-prompt.ts';
