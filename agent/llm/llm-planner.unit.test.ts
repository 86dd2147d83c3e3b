// The planner's edges with a stub tool client (no sim): unknown tools, failing model calls,
// tools without a confirm field, and what is remembered between messages.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { MockLanguageModelV3 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import type { ToolCallOutcome, ToolClient } from '../tool-client.ts';
import type { AgentEvent, ConversationState } from '../types.ts';
import { LlmPlanner } from './llm-planner.ts';
import { lastToolResults, scriptedModel } from './testing/scripted-model.ts';

const LISTING: McpTool[] = [
  {
    name: 'listMCIs',
    description: 'Lists MCIs',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'restartThing',
    description: 'Restarts a thing (no confirm field)',
    inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    annotations: { readOnlyHint: false, destructiveHint: true },
  },
];

function stubTools(): ToolClient & { calls: { name: string; input: Record<string, unknown> }[] } {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  return {
    calls,
    client: undefined as unknown as Client,
    listTools: async () => LISTING,
    callTool: async (name, input): Promise<ToolCallOutcome> => {
      calls.push({ name, input });
      return { isError: false, structured: { mcis: [{ name: 'web-1' }] }, text: `${name} ok` };
    },
    close: async () => {},
  };
}

function newConversation(id: string): ConversationState {
  return { id, title: '', createdAt: '', updatedAt: '', turns: [] };
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('LlmPlanner edges', () => {
  it('reports an unknown tool back to the model, which then answers', async () => {
    const { model, prompts } = scriptedModel((prompt) => {
      const last = lastToolResults(prompt).at(-1);
      if (!last) return { toolCalls: [{ toolName: 'dropDatabase', input: {} }] };
      return { text: `The tool failed: ${last.type}` };
    });
    const tools = stubTools();
    const events = await collect(
      new LlmPlanner(model).respond({ conversation: newConversation('c1'), message: { text: 'x' }, tools }),
    );
    expect(events.map((event) => event.type)).toEqual(['tool-call', 'tool-result', 'text']);
    expect(events[1]).toMatchObject({ type: 'tool-result', toolName: 'dropDatabase', isError: true });
    expect(tools.calls).toEqual([]);
    expect(prompts).toHaveLength(2);
  });

  it('a failing model call becomes one redacted LLM_ERROR event and the history stays usable', async () => {
    const secret = 'sk-unit-secret-0123456789';
    let failing = true;
    const model = new MockLanguageModelV3({
      doStream: async () => {
        if (failing) throw new Error(`upstream said no to ${secret}`);
        return scriptedModel(() => ({ text: 'back' })).model.doStream({ prompt: [] } as never);
      },
    });
    const planner = new LlmPlanner(model, { secrets: [secret] });
    const conversation = newConversation('c2');
    const tools = stubTools();
    const events = await collect(planner.respond({ conversation, message: { text: 'hi' }, tools }));
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'LLM_ERROR' })]);
    expect(JSON.stringify(events)).not.toContain(secret);
    failing = false;
    const next = await collect(planner.respond({ conversation, message: { text: 'again' }, tools }));
    expect(next).toEqual([{ type: 'text', text: 'back' }]);
  });

  it('asks approval for a mutating tool without a confirm field, without calling it first', async () => {
    const { model } = scriptedModel((prompt) =>
      lastToolResults(prompt).length === 0
        ? { toolCalls: [{ toolName: 'restartThing', input: { name: 'web-1', confirm: true } }] }
        : { text: 'restarted' },
    );
    const tools = stubTools();
    const planner = new LlmPlanner(model);
    const conversation = newConversation('c3');
    const events = await collect(
      planner.respond({ conversation, message: { text: 'restart web-1' }, tools }),
    );
    const request = events.find((event) => event.type === 'approval-request');
    expect(request).toMatchObject({
      plan: { title: 'restartThing web-1', destructive: true },
      // No confirm field in its schema: none is sent, and the model's own is dropped.
      actions: [{ toolName: 'restartThing', input: { name: 'web-1' } }],
    });
    expect(tools.calls).toEqual([]);
    const approvalId = conversation.pendingApproval?.approvalId ?? '';
    const after = await collect(
      planner.respond({ conversation, message: { approval: { approvalId, approved: true } }, tools }),
    );
    expect(tools.calls).toEqual([{ name: 'restartThing', input: { name: 'web-1' } }]);
    expect(after.at(-1)).toEqual({ type: 'text', text: 'restarted' });
    expect(conversation.lastMciName).toBeUndefined();
  });

  it('refuses an approval that does not match the waiting plan', async () => {
    const { model } = scriptedModel(() => ({ text: 'unused' }));
    const events = await collect(
      new LlmPlanner(model).respond({
        conversation: newConversation('c4'),
        message: { approval: { approvalId: 'a-nope', approved: true } },
        tools: stubTools(),
      }),
    );
    expect(events).toEqual([expect.objectContaining({ type: 'error', code: 'NOTHING_TO_APPROVE' })]);
  });
});
