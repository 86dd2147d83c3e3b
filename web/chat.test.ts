import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApiRequest } from './api.ts';
import type { ConversationView } from './chat-types.ts';
import { apiRequest, openWebTestContext, type WebTestContext } from './testing/web-context-kit.ts';

let web: WebTestContext;

beforeAll(async () => {
  web = await openWebTestContext();
});

afterAll(async () => {
  await web.close();
});

type Chunk = { type: string; [key: string]: unknown };

/** Reads an AI SDK UI message stream (SSE) into its chunks. */
async function chunksOf(response: Response): Promise<Chunk[]> {
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as Chunk);
}

async function chat(body: unknown): Promise<Response> {
  return handleApiRequest(apiRequest('chat', { method: 'POST', body }), web.context);
}

const say = (id: string, text: string) => ({
  id,
  message: { role: 'user', parts: [{ type: 'text', text }] },
});

describe('POST /api/chat', () => {
  it('streams a plan with an approval, runs it only after Approve, and the stored conversation reads back the same', async () => {
    const id = 'c-web-deploy';
    const first = await chat(say(id, 'deploy 2 VMs with 2 vCPU and 4 GiB in Tokyo'));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/event-stream');
    const planned = await chunksOf(first);
    const approval = planned.find((chunk) => chunk.type === 'data-approval') as
      | { data: { approvalId: string; plan: { groups: unknown[]; pricePerHour: number } } }
      | undefined;
    expect(approval?.data.plan.groups.length).toBeGreaterThan(0);
    expect(approval?.data.plan.pricePerHour).toBeGreaterThan(0);
    // Nothing mutating ran before the approval.
    const toolsBefore = planned.flatMap((chunk) =>
      chunk.type === 'tool-input-available' ? [chunk.toolName as string] : [],
    );
    expect(toolsBefore).not.toContain('createMCI');
    expect((await web.context.tools.callTool('listMCIs', {})).structured?.mcis).toEqual([]);

    const second = await chat({ id, approval: { approvalId: approval?.data.approvalId, approved: true } });
    const executed = await chunksOf(second);
    const created = executed.find(
      (chunk) => chunk.type === 'tool-input-available' && chunk.toolName === 'createMCI',
    );
    expect(created).toBeDefined();
    expect(executed.some((chunk) => chunk.type === 'tool-output-error')).toBe(false);
    const summary = executed.find((chunk) => chunk.type === 'data-summary') as
      | { data: { mciName?: string; text: string } }
      | undefined;
    expect(summary?.data.text).toMatch(/Running/);

    const view = (await (
      await handleApiRequest(apiRequest(`conversations/${id}`), web.context)
    ).json()) as ConversationView;
    expect(view.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(view.pendingApprovalId).toBeUndefined();
    const storedTypes = view.messages[3]?.parts.map((part) => part.type) ?? [];
    expect(storedTypes).toContain('data-summary');
    expect(storedTypes).toContain('dynamic-tool');

    const list = (await (await handleApiRequest(apiRequest('conversations'), web.context)).json()) as {
      id: string;
    }[];
    expect(list.map((item) => item.id)).toContain(id);
  });

  it('rejecting a plan leaves nothing behind', async () => {
    const id = 'c-web-reject';
    const planned = await chunksOf(await chat(say(id, 'create one small VM in Seoul')));
    const approval = planned.find((chunk) => chunk.type === 'data-approval') as
      | { data: { approvalId: string } }
      | undefined;
    expect(approval).toBeDefined();
    const before = (await web.context.tools.callTool('listMCIs', {})).structured?.mcis as unknown[];
    await chunksOf(await chat({ id, approval: { approvalId: approval?.data.approvalId, approved: false } }));
    const after = (await web.context.tools.callTool('listMCIs', {})).structured?.mcis as unknown[];
    expect(after).toHaveLength(before.length);
  });

  it.each([
    ['a body that is not JSON', '{', 400, 'BAD_REQUEST'],
    ['a bad conversation id', { id: '../etc', message: { role: 'user', parts: [] } }, 400, 'BAD_REQUEST'],
    ['a message without text', { id: 'c-empty', message: { role: 'user', parts: [] } }, 400, 'EMPTY_MESSAGE'],
  ])('answers %s with %i and a next step', async (_name, body, status, code) => {
    const response = await chat(body);
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { code: string; next: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.next.length).toBeGreaterThan(0);
  });
});

describe('the API router', () => {
  it('refuses a request whose Host is not this machine (DNS rebinding)', async () => {
    const request = new Request('http://127.0.0.1:3000/api/conversations', {
      headers: { Host: 'evil.example' },
    });
    expect((await handleApiRequest(request, web.context)).status).toBe(403);
  });

  it('refuses a cross-site Origin', async () => {
    const request = new Request('http://127.0.0.1:3000/api/chat', {
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      body: JSON.stringify(say('c-x', 'delete everything')),
    });
    expect((await handleApiRequest(request, web.context)).status).toBe(403);
  });

  it.each([
    ['GET', 'nothing-here', 404],
    ['DELETE', 'conversations', 405],
    ['GET', 'conversations/c-does-not-exist', 404],
  ])('%s /api/%s answers %i', async (method, path, status) => {
    expect((await handleApiRequest(apiRequest(path, { method }), web.context)).status).toBe(status);
  });

  it('serves MCP at /api/mcp', async () => {
    const request = new Request('http://127.0.0.1:3000/api/mcp', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    const response = await handleApiRequest(request, web.context);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('searchSpecs');
  });
});
