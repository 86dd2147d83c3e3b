import { inspect } from 'node:util';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { closeUnansweredToolCalls, trimHistory } from './history.ts';
import {
  DEFAULT_MAX_STEPS,
  DEFAULT_OPENAI_MODEL,
  LlmConfigError,
  llmConfigFromEnvironment,
} from './llm-config.ts';
import { systemPrompt } from './system-prompt.ts';
import { callArguments, fitJson, modelInputSchema, needsApproval } from './tools.ts';

const KEY = 'sk-config-test-0123456789';

describe('llmConfigFromEnvironment', () => {
  it('is undefined when no model is configured (the offline planner answers)', () => {
    expect(llmConfigFromEnvironment({})).toBeUndefined();
    expect(llmConfigFromEnvironment({ OPENAI_API_KEY: '  ' })).toBeUndefined();
  });

  it('uses OpenAI with its default model when only OPENAI_API_KEY is set', () => {
    const config = llmConfigFromEnvironment({ OPENAI_API_KEY: KEY });
    expect(config).toMatchObject({
      provider: 'openai',
      model: DEFAULT_OPENAI_MODEL,
      baseURL: undefined,
      maxSteps: DEFAULT_MAX_STEPS,
      stream: true,
    });
    expect(config?.apiKey).toBe(KEY);
  });

  it('uses an OpenAI-compatible server with its own optional key, never OPENAI_API_KEY', () => {
    const config = llmConfigFromEnvironment({
      OPENAI_API_KEY: KEY,
      S2A_LLM_BASE_URL: 'http://127.0.0.1:11434/v1/',
      S2A_LLM_MODEL: 'llama3.1',
      S2A_LLM_MAX_STEPS: '5',
      S2A_LLM_STREAM: 'off',
    });
    expect(config).toMatchObject({
      provider: 'openai-compatible',
      model: 'llama3.1',
      baseURL: 'http://127.0.0.1:11434/v1',
      maxSteps: 5,
      stream: false,
    });
    expect(config?.apiKey).toBeUndefined();
    const withKey = llmConfigFromEnvironment({
      S2A_LLM_BASE_URL: 'http://127.0.0.1:8000/v1',
      S2A_LLM_MODEL: 'qwen',
      S2A_LLM_API_KEY: 'token-abcdefgh',
    });
    expect(withKey?.apiKey).toBe('token-abcdefgh');
  });

  it.each([
    [{ S2A_LLM_BASE_URL: 'http://127.0.0.1:1/v1' }, /S2A_LLM_MODEL/],
    [{ S2A_LLM_MODEL: 'gpt-4.1' }, /no endpoint/],
    [{ S2A_LLM_BASE_URL: 'not a url', S2A_LLM_MODEL: 'x' }, /URL/],
    [{ S2A_LLM_BASE_URL: 'file:///etc/passwd', S2A_LLM_MODEL: 'x' }, /http/],
    [{ OPENAI_API_KEY: KEY, S2A_LLM_MAX_STEPS: '0' }, /MAX_STEPS/],
    [{ OPENAI_API_KEY: KEY, S2A_LLM_MAX_STEPS: '2.5' }, /MAX_STEPS/],
    [{ OPENAI_API_KEY: KEY, S2A_LLM_STREAM: 'maybe' }, /STREAM/],
  ])('refuses half a configuration %j', (environment, message) => {
    expect(() => llmConfigFromEnvironment(environment)).toThrow(LlmConfigError);
    expect(() => llmConfigFromEnvironment(environment)).toThrow(message);
  });

  it('keeps the key out of JSON and inspection', () => {
    const config = llmConfigFromEnvironment({ OPENAI_API_KEY: KEY });
    expect(JSON.stringify(config)).not.toContain(KEY);
    expect(inspect(config, { depth: 5 })).not.toContain(KEY);
  });
});

const listing = (name: string, readOnly: boolean | undefined): McpTool => ({
  name,
  inputSchema: {
    type: 'object',
    $schema: 'http://json-schema.org/draft-07/schema#',
    properties: { name: { type: 'string' }, confirm: { type: 'boolean' }, wait: { type: 'boolean' } },
    required: ['name', 'confirm'],
  } as McpTool['inputSchema'],
  ...(readOnly === undefined ? {} : { annotations: { readOnlyHint: readOnly } }),
});

describe('MCP tools as the model sees them', () => {
  it('needs approval for anything not read-only, except cancelOperation', () => {
    expect(needsApproval(listing('createMCI', false))).toBe(true);
    expect(needsApproval(listing('mystery', undefined))).toBe(true);
    expect(needsApproval(listing('getMCI', true))).toBe(false);
    expect(needsApproval(listing('cancelOperation', false))).toBe(false);
  });

  it('hides confirm and $schema from the model, and adds confirm only to approved mutating calls', () => {
    const schema = modelInputSchema(listing('createMCI', false));
    expect(schema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, wait: { type: 'boolean' } },
      required: ['name'],
    });
    expect(callArguments(listing('createMCI', false), { name: 'a', confirm: false })).toEqual({
      name: 'a',
      confirm: true,
      wait: true,
    });
    // A model cannot smuggle confirm into a tool that needs no approval.
    expect(
      callArguments(listing('cancelOperation', false), { name: 'a', confirm: true, wait: false }),
    ).toEqual({
      name: 'a',
      wait: false,
    });
  });

  it('cuts long results to fit, saying so', () => {
    const big = {
      results: Array.from({ length: 500 }, (_, index) => ({ specId: `spec-${index}`, note: 'x'.repeat(50) })),
    };
    const fitted = fitJson(big, 4_000) as { results: unknown[]; truncated: string };
    expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(4_200);
    expect(fitted.results.length).toBeGreaterThan(0);
    expect(fitted.truncated).toMatch(/cut/);
  });
});

describe('history', () => {
  it('trims at a user message and answers dangling tool calls', () => {
    const messages = Array.from({ length: 30 }, (_, index) => [
      { role: 'user' as const, content: `q${index}` },
      { role: 'assistant' as const, content: `a${index}` },
    ]).flat();
    const trimmed = trimHistory(messages, 9);
    expect(trimmed[0]).toEqual({ role: 'user', content: 'q26' });
    expect(trimmed).toHaveLength(8);
    const closed = closeUnansweredToolCalls(
      [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'createMCI', input: {} }],
        },
      ],
      { type: 'execution-denied', reason: 'no' },
    );
    expect(closed[2]).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'c1',
          toolName: 'createMCI',
          output: { type: 'execution-denied', reason: 'no' },
        },
      ],
    });
  });
});

describe('system prompt', () => {
  it('teaches the workflow and the rules, and names the MCI "it" refers to', () => {
    const prompt = systemPrompt({ lastMciName: 'demo' });
    for (const pattern of [
      /searchSpecs/,
      /reviewMCI/,
      /createMCI/,
      /installApp/,
      /getMCI/,
      /never instructions/,
      /Korean in, Korean out/,
      /clarifying question/,
      /secrets/,
    ]) {
      expect(prompt).toMatch(pattern);
    }
    expect(prompt).toContain('"demo"');
  });
});
