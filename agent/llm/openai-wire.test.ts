// End to end through the real AI SDK OpenAI providers (createOpenAI().chat and createOpenAICompatible)
// against a chat-completions server written here: it speaks POST /v1/chat/completions as JSON and as
// server-sent events, and picks its reply from the messages it receives, like a model would.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpTestServer, openMcpTestServer } from '../../mcp-server/testing/mcp-test-kit.ts';
import { Agent } from '../agent.ts';
import { connectInProcess, type ToolClient } from '../tool-client.ts';
import type { AgentEvent } from '../types.ts';
import { describeLlmConfig, llmConfigFromEnvironment } from './llm-config.ts';
import { createLlmPlanner } from './llm-planner.ts';

const KEY = 'sk-test-wire-0123456789abcdef';
const OTHER_KEY = 'sk-openai-must-not-leak-0123456789';
const SPEC = 'aws+ap-northeast-2+t3.medium';

interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: ChatMessage[];
  tools?: {
    type: string;
    function: { name: string; description?: string; parameters: Record<string, unknown> };
  }[];
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatRequest;
}

interface Reply {
  text?: string;
  toolCalls?: { name: string; input: Record<string, unknown> }[];
}

/** The fake model: review, then create (which s2a holds for approval), then report. */
function decide(request: ChatRequest, mciName: string): Reply {
  const messages = request.messages;
  const last = messages.at(-1);
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  const groups = [{ name: 'web', specId: SPEC, size: 1 }];
  if (last?.role === 'user') {
    if (last.content === 'hello') return { text: 'Hello! What should I deploy?' };
    return {
      text: 'Checking the plan.',
      toolCalls: [{ name: 'reviewMCI', input: { name: mciName, nodeGroups: groups } }],
    };
  }
  if (last?.role === 'tool') {
    const tool = names.get(last.tool_call_id ?? '');
    if (tool === 'reviewMCI') {
      return {
        text: 'One t3.medium in Seoul. Asking you to approve.',
        toolCalls: [{ name: 'createMCI', input: { name: mciName, nodeGroups: groups, wait: true } }],
      };
    }
    if (tool === 'createMCI') {
      return {
        text: String(last.content).includes('"execution-denied"') ? 'Not created.' : `Created ${mciName}.`,
      };
    }
  }
  return { text: 'I am not sure what to do.' };
}

let sequence = 0;

function completionJson(request: ChatRequest, reply: Reply): string {
  const calls = reply.toolCalls ?? [];
  return JSON.stringify({
    id: `chatcmpl-${++sequence}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.text ?? null,
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((call, index) => ({
                  id: `call_${sequence}_${index}`,
                  type: 'function',
                  function: { name: call.name, arguments: JSON.stringify(call.input) },
                })),
              }
            : {}),
        },
        finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  });
}

/** The same reply as chat.completion.chunk events; tool arguments arrive in two pieces. */
function completionEvents(request: ChatRequest, reply: Reply): string {
  const id = `chatcmpl-${++sequence}`;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: request.model, choices, ...extra })}\n\n`;
  const events: string[] = [];
  events.push(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  if (reply.text) {
    const middle = Math.floor(reply.text.length / 2);
    for (const piece of [reply.text.slice(0, middle), reply.text.slice(middle)]) {
      events.push(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
    }
  }
  (reply.toolCalls ?? []).forEach((call, index) => {
    const text = JSON.stringify(call.input);
    const middle = Math.floor(text.length / 2);
    events.push(
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              {
                index,
                id: `call_${sequence}_${index}`,
                type: 'function',
                function: { name: call.name, arguments: '' },
              },
            ],
          },
          finish_reason: null,
        },
      ]),
    );
    for (const piece of [text.slice(0, middle), text.slice(middle)]) {
      events.push(
        chunk([
          {
            index: 0,
            delta: { tool_calls: [{ index, function: { arguments: piece } }] },
            finish_reason: null,
          },
        ]),
      );
    }
  });
  const calls = (reply.toolCalls ?? []).length > 0;
  events.push(chunk([{ index: 0, delta: {}, finish_reason: calls ? 'tool_calls' : 'stop' }]));
  events.push(chunk([], { usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } }));
  events.push('data: [DONE]\n\n');
  return events.join('');
}

interface FakeChatServer {
  url: string;
  received: Received[];
  mciName: string;
  close(): Promise<void>;
}

async function startFakeChatServer(): Promise<FakeChatServer> {
  const received: Received[] = [];
  const state = { mciName: 'wire' };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `no route ${request.method} ${request.url}` } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      received.push({ path: request.url, headers: request.headers, body });
      const reply = decide(body, state.mciName);
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.end(completionEvents(body, reply));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(completionJson(body, reply));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    received,
    get mciName() {
      return state.mciName;
    },
    set mciName(name: string) {
      state.mciName = name;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let mcp: McpTestServer;
let tools: ToolClient;
let chat: FakeChatServer;

beforeAll(async () => {
  mcp = await openMcpTestServer();
  tools = await connectInProcess(mcp.services);
  chat = await startFakeChatServer();
  // Loading the sim's world and the MCI engine is slow the first time and not what is tested.
  await tools.callTool('reviewMCI', {
    name: 'warm-up',
    nodeGroups: [{ name: 'web', specId: SPEC, size: 1 }],
  });
}, 180_000);
afterAll(async () => {
  await chat.close();
  await tools.close();
  await mcp.close();
});

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

function toolSchema(request: ChatRequest, name: string): Record<string, unknown> | undefined {
  return request.tools?.find((tool) => tool.function.name === name)?.function.parameters;
}

describe('the LLM planner through the real OpenAI provider clients and a local chat-completions server', () => {
  it.each([
    ['OpenAI provider, streaming', 'wire-openai-sse', { OPENAI_API_KEY: KEY }, true],
    [
      'OpenAI provider, one JSON response per step',
      'wire-openai-json',
      { OPENAI_API_KEY: KEY, S2A_LLM_STREAM: 'off' },
      false,
    ],
    [
      'OpenAI-compatible provider, streaming',
      'wire-compatible',
      { S2A_LLM_API_KEY: KEY, OPENAI_API_KEY: OTHER_KEY, S2A_LLM_MODEL: 'local-model' },
      true,
    ],
  ] as const)('%s: review, approval, create, report', async (_case, mciName, settings, streaming) => {
    const environment: Record<string, string> = { ...settings, S2A_LLM_MODEL: 'test-model' };
    if ('S2A_LLM_API_KEY' in settings) environment.S2A_LLM_BASE_URL = chat.url;
    else environment.OPENAI_BASE_URL = chat.url;
    const config = llmConfigFromEnvironment(environment);
    if (!config) throw new Error('no config');
    expect(describeLlmConfig(config)).not.toContain(KEY);
    chat.mciName = mciName;
    const start = chat.received.length;
    const agent = new Agent({ store: mcp.runtime.store, tools, planner: createLlmPlanner(config) });

    const first = await collect(agent.send(`c-${mciName}`, { text: 'one small VM in Seoul' }));
    expect(first.map((event) => event.type)).toEqual([
      'text',
      'tool-call',
      'tool-result',
      'text',
      'plan',
      'approval-request',
    ]);
    const request = first.find((event) => event.type === 'approval-request');
    if (request?.type !== 'approval-request') throw new Error('no approval request');
    expect(request.plan.groups[0]).toMatchObject({ specId: SPEC, count: 1 });
    expect(request.plan.pricePerHour).toBeGreaterThan(0);
    expect(await mcp.runtime.mci().then((mci) => mci.engine.listMcis())).not.toContainEqual(
      expect.objectContaining({ name: mciName }),
    );

    const second = await collect(
      agent.send(`c-${mciName}`, { approval: { approvalId: request.approvalId, approved: true } }),
    );
    expect(
      second
        .filter((event) => event.type === 'tool-call')
        .map((event) => event.type === 'tool-call' && event.toolName),
    ).toEqual(['createMCI']);
    expect(second.find((event) => event.type === 'text')).toEqual({
      type: 'text',
      text: `Created ${mciName}.`,
    });
    expect(second.at(-1)).toMatchObject({ type: 'summary', mciName });
    const view = await mcp.runtime.mci().then((mci) => mci.engine.getMci(mciName));
    expect(view.status).toMatch(/^Running:1/);

    // What the server received: three chat completions, each with the key and the tools.
    const requests = chat.received.slice(start);
    expect(requests).toHaveLength(3);
    for (const { path, headers, body } of requests) {
      expect(path).toBe('/v1/chat/completions');
      expect(headers.authorization).toBe(`Bearer ${KEY}`);
      expect(body.model).toBe('test-model');
      expect(Boolean(body.stream)).toBe(streaming);
      expect(body.messages[0]).toMatchObject({
        role: 'system',
        content: expect.stringMatching(/never instructions/),
      });
      const names = (body.tools ?? []).map((tool) => tool.function.name);
      expect(names).toEqual(
        expect.arrayContaining(['searchSpecs', 'reviewMCI', 'createMCI', 'deleteMCI', 'getMCI']),
      );
      // JSON schemas from the MCP listing, without confirm on mutating tools.
      expect(toolSchema(body, 'searchSpecs')).toMatchObject({
        type: 'object',
        properties: { minVcpu: { type: 'number' }, near: { type: 'object' } },
      });
      const create = toolSchema(body, 'createMCI');
      expect(create).toMatchObject({
        type: 'object',
        properties: { name: { type: 'string' }, nodeGroups: { type: 'array' } },
      });
      expect(Object.keys((create?.properties as Record<string, unknown>) ?? {})).not.toContain('confirm');
    }
    // The review went back to the model as a tool message; then the create's result did.
    const reviewReply = requests[1]?.body.messages.at(-1);
    expect(reviewReply).toMatchObject({ role: 'tool', content: expect.stringContaining('pricePerHour') });
    const createReply = requests[2]?.body.messages.at(-1);
    expect(createReply).toMatchObject({ role: 'tool', content: expect.stringContaining('succeeded') });
    const createCall = requests[2]?.body.messages.findLast((message) => message.role === 'assistant')
      ?.tool_calls?.[0];
    expect(createCall?.function.name).toBe('createMCI');
    expect(JSON.parse(createCall?.function.arguments ?? '{}')).not.toHaveProperty('confirm');

    // No key in the events or the stored conversation.
    const stored = await agent.conversations.get(`c-${mciName}`);
    for (const text of [JSON.stringify(first), JSON.stringify(second), JSON.stringify(stored)]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(OTHER_KEY);
    }
  });

  it('never sends OPENAI_API_KEY to an OpenAI-compatible server that has no key of its own', async () => {
    const config = llmConfigFromEnvironment({
      OPENAI_API_KEY: OTHER_KEY,
      S2A_LLM_BASE_URL: chat.url,
      S2A_LLM_MODEL: 'local-model',
    });
    if (!config) throw new Error('no config');
    const start = chat.received.length;
    const planner = createLlmPlanner(config);
    const conversation = { id: 'c-no-key', title: '', createdAt: '', updatedAt: '', turns: [] };
    const events = await collect(planner.respond({ conversation, message: { text: 'hello' }, tools }));
    expect(events).toEqual([{ type: 'text', text: 'Hello! What should I deploy?' }]);
    const [only] = chat.received.slice(start);
    expect(only?.headers.authorization).toBeUndefined();
    expect(only?.body.model).toBe('local-model');
  });

  it('reports a refused key as LLM_AUTH without the key in the message', async () => {
    const refusing = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: { message: `Incorrect API key provided: ${KEY}`, type: 'invalid_request_error' },
          }),
        );
      });
    });
    refusing.listen(0, '127.0.0.1');
    await once(refusing, 'listening');
    const { port } = refusing.address() as AddressInfo;
    try {
      const config = llmConfigFromEnvironment({
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      });
      if (!config) throw new Error('no config');
      const planner = createLlmPlanner(config);
      const conversation = { id: 'c-401', title: '', createdAt: '', updatedAt: '', turns: [] };
      const events = await collect(planner.respond({ conversation, message: { text: 'hello' }, tools }));
      expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'LLM_AUTH' })]);
      expect(JSON.stringify(events)).not.toContain(KEY);
      expect(JSON.stringify(conversation)).not.toContain(KEY);
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
