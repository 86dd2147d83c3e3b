/**
 * Which language model the LLM planner talks to, read from the environment in one place.
 * The API key is kept off the enumerable fields, so logging or serialising a config never shows it.
 */

export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini';
export const DEFAULT_MAX_STEPS = 12;
/** Steps above this are a typo, not a plan: every step is a paid model call. */
export const MAX_MAX_STEPS = 100;

export type LlmProviderKind = 'openai' | 'openai-compatible';

export interface LlmConfig {
  /** openai: api.openai.com (or OPENAI_BASE_URL); openai-compatible: S2A_LLM_BASE_URL (vLLM, Ollama, LM Studio…). */
  provider: LlmProviderKind;
  model: string;
  /** Base URL of the chat-completions API, e.g. http://127.0.0.1:11434/v1; undefined: OpenAI's own. */
  baseURL: string | undefined;
  /** Tool-loop steps per message (each step is one model call). */
  maxSteps: number;
  /** false: one JSON response per step instead of server-sent events (for servers that stream tool calls badly). */
  stream: boolean;
  /** Secret: non-enumerable, so JSON.stringify and console.log leave it out. */
  readonly apiKey: string | undefined;
}

export class LlmConfigError extends Error {
  override readonly name = 'LlmConfigError';
}

type Environment = Record<string, string | undefined>;

function setting(environment: Environment, name: string): string | undefined {
  const value = environment[name]?.trim();
  return value ? value : undefined;
}

function parseMaxSteps(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_STEPS;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_MAX_STEPS) {
    throw new LlmConfigError(`S2A_LLM_MAX_STEPS must be a whole number from 1 to ${MAX_MAX_STEPS}`);
  }
  return parsed;
}

function parseStream(value: string | undefined): boolean {
  if (value === undefined) return true;
  const normalised = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
  throw new LlmConfigError('S2A_LLM_STREAM must be on or off');
}

function parseBaseUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LlmConfigError(`${name} must be a URL such as http://127.0.0.1:11434/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LlmConfigError(`${name} must be an http(s) URL`);
  }
  return value.replace(/\/+$/u, '');
}

/** Builds a config with the key hidden from enumeration. */
export function llmConfig(fields: Omit<LlmConfig, 'apiKey'>, apiKey: string | undefined): LlmConfig {
  const config = { ...fields } as LlmConfig;
  Object.defineProperty(config, 'apiKey', { value: apiKey, enumerable: false, writable: false });
  return config;
}

/**
 * The model to use, or undefined when none is configured (the offline planner then answers).
 * - S2A_LLM_BASE_URL + S2A_LLM_MODEL (+ S2A_LLM_API_KEY when the server wants one): an
 *   OpenAI-compatible server. OPENAI_API_KEY is never sent there.
 * - OPENAI_API_KEY (+ S2A_LLM_MODEL, default gpt-4.1-mini; OPENAI_BASE_URL for a proxy): OpenAI.
 * Half a configuration (a base URL without a model, a model without a key or URL) is an error,
 * not a silent fallback to the offline planner.
 */
export function llmConfigFromEnvironment(environment: Environment = process.env): LlmConfig | undefined {
  const baseURL = parseBaseUrl('S2A_LLM_BASE_URL', setting(environment, 'S2A_LLM_BASE_URL'));
  const model = setting(environment, 'S2A_LLM_MODEL');
  const openaiKey = setting(environment, 'OPENAI_API_KEY');
  const common = {
    maxSteps: parseMaxSteps(setting(environment, 'S2A_LLM_MAX_STEPS')),
    stream: parseStream(setting(environment, 'S2A_LLM_STREAM')),
  };
  if (baseURL !== undefined) {
    if (model === undefined) {
      throw new LlmConfigError('S2A_LLM_BASE_URL is set but S2A_LLM_MODEL is not: name the model to use');
    }
    return llmConfig(
      { provider: 'openai-compatible', model, baseURL, ...common },
      setting(environment, 'S2A_LLM_API_KEY'),
    );
  }
  if (openaiKey !== undefined) {
    return llmConfig(
      {
        provider: 'openai',
        model: model ?? DEFAULT_OPENAI_MODEL,
        baseURL: parseBaseUrl('OPENAI_BASE_URL', setting(environment, 'OPENAI_BASE_URL')),
        ...common,
      },
      openaiKey,
    );
  }
  if (model !== undefined) {
    throw new LlmConfigError(
      'S2A_LLM_MODEL is set but there is no endpoint: set OPENAI_API_KEY for OpenAI, or S2A_LLM_BASE_URL for an OpenAI-compatible server',
    );
  }
  return undefined;
}

/** One line for status output: never the key, only whether there is one. */
export function describeLlmConfig(config: LlmConfig): string {
  const where = config.baseURL ?? 'https://api.openai.com/v1';
  return `${config.provider} model ${config.model} at ${where} (key ${config.apiKey ? 'set' : 'none'}, ${config.maxSteps} steps, ${config.stream ? 'streaming' : 'not streaming'})`;
}
