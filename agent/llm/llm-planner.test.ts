// The LLM planner with scripted model replies against the real s2a MCP server over a fast sim:
// approvals end the turn with nothing created, approving creates, rejecting leaves nothing, tool
// errors go back to the model, and the step limit stops a model that never stops calling tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpTestServer, openMcpTestServer } from '../../mcp-server/testing/mcp-test-kit.ts';
import { Agent } from '../agent.ts';
import { connectInProcess, type ToolClient } from '../tool-client.ts';
import type { AgentEvent } from '../types.ts';
import { LlmPlanner } from './llm-planner.ts';
import {
  lastToolResults,
  lastUserText,
  type ScriptedReply,
  scriptedModel,
  systemText,
} from './testing/scripted-model.ts';

let server: McpTestServer;
let tools: ToolClient;

beforeAll(async () => {
  server = await openMcpTestServer();
  tools = await connectInProcess(server.services);
  // The first search builds the catalog index of this temporary home: slow, and not what is tested.
  await server.services.catalog();
  await tools.callTool('searchSpecs', SEARCH);
  await tools.callTool('reviewMCI', {
    name: 'warm-up',
    nodeGroups: [{ name: 'web', specId: 'aws+ap-northeast-2+t3.medium', size: 1 }],
  });
}, 300_000);
afterAll(async () => {
  await tools.close();
  await server.close();
});

const SEARCH = { minVcpu: 2, near: { place: 'Seoul' }, providers: ['aws'], sort: 'cost', limit: 3 };

async function liveVms(): Promise<number> {
  const driver = await server.runtime.driver('aws');
  return (await driver.listVms()).filter((vm) => vm.status !== 'Terminated').length;
}

async function mciNames(): Promise<string[]> {
  const mci = await server.runtime.mci();
  return (await mci.engine.listMcis()).map((summary) => summary.name);
}

async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

function only<T extends AgentEvent['type']>(
  events: AgentEvent[],
  type: T,
): Extract<AgentEvent, { type: T }>[] {
  return events.filter((event): event is Extract<AgentEvent, { type: T }> => event.type === type);
}

/** The first specId of a searchSpecs result the model just read. */
function firstSpecId(value: unknown): string {
  const results = (value as { results?: { specId: string }[] }).results ?? [];
  const first = results[0];
  if (!first) throw new Error(`no spec in ${JSON.stringify(value)}`);
  return first.specId;
}

/** search → review → createMCI (asks) → after approval getMCI → report; "delete it" → deleteMCI. */
function deployScript(mciName: string, size: number) {
  let specId = '';
  const request = () => ({ name: mciName, nodeGroups: [{ name: 'web', specId, size }] });
  return scriptedModel((prompt): ScriptedReply => {
    const results = lastToolResults(prompt);
    const last = results.at(-1);
    if (!last) {
      if (/delete it|삭제/u.test(lastUserText(prompt))) {
        const name = /last worked on in this conversation: "([^"]+)"/u.exec(systemText(prompt))?.[1] ?? '?';
        return { toolCalls: [{ toolName: 'deleteMCI', input: { name } }] };
      }
      return {
        text: 'Looking for the cheapest 2-vCPU VMs near Seoul.',
        toolCalls: [{ toolName: 'searchSpecs', input: SEARCH }],
      };
    }
    switch (last.toolName) {
      case 'searchSpecs':
        specId = firstSpecId(last.value);
        return { toolCalls: [{ toolName: 'reviewMCI', input: request() }] };
      case 'reviewMCI':
        return {
          text: `Plan: ${size} × ${specId}.`,
          toolCalls: [{ toolName: 'createMCI', input: request() }],
        };
      case 'createMCI':
        if (last.type === 'execution-denied') return { text: 'OK, nothing was created.' };
        return { toolCalls: [{ toolName: 'getMCI', input: { name: mciName } }] };
      case 'getMCI':
        return { text: `MCI ${mciName} is running.` };
      case 'deleteMCI':
        return { text: last.type === 'execution-denied' ? 'Kept it.' : `Deleted ${mciName}.` };
      default:
        return { text: 'done' };
    }
  });
}

describe('LlmPlanner with a scripted model and the real MCP server', () => {
  it('stops at createMCI with a plan and an approval request, having created nothing; approving creates it', async () => {
    const { model, prompts } = deployScript('llm-demo', 2);
    const agent = new Agent({ store: server.runtime.store, tools, planner: new LlmPlanner(model) });

    const first = await collect(agent.send('c-approve', { text: 'Deploy 2 small VMs near Seoul' }));
    expect(first.map((event) => event.type)).toEqual([
      'text',
      'tool-call',
      'tool-result',
      'tool-call',
      'tool-result',
      'text',
      'plan',
      'approval-request',
    ]);
    const request = only(first, 'approval-request')[0];
    expect(request?.actions).toEqual([
      {
        toolName: 'createMCI',
        input: expect.objectContaining({ name: 'llm-demo', confirm: true, wait: true }),
      },
    ]);
    // The plan comes from the server's own review of the exact call: groups, price, month.
    expect(request?.plan.title).toMatch(/Create MCI llm-demo: 2 nodes/);
    expect(request?.plan.groups).toHaveLength(1);
    expect(request?.plan.groups[0]).toMatchObject({
      provider: 'aws',
      count: 2,
      regionId: 'aws+ap-northeast-2',
    });
    expect(request?.plan.pricePerHour).toBeGreaterThan(0);
    expect(request?.plan.pricePerMonth).toBeCloseTo((request?.plan.pricePerHour ?? 0) * 730, 0);
    expect(request?.plan.destructive).toBe(false);
    // Nothing exists yet: no VM, no MCI.
    expect(await liveVms()).toBe(0);
    expect(await mciNames()).not.toContain('llm-demo');
    // The model never sees a confirm field.
    const createTool = model.doStreamCalls[0]?.tools?.find((tool) => tool.name === 'createMCI');
    expect(JSON.stringify(createTool)).not.toMatch(/"confirm"/);
    expect(prompts).toHaveLength(3);

    const stored = await agent.conversations.get('c-approve');
    expect(stored?.pendingApproval?.approvalId).toBe(request?.approvalId);

    const second = await collect(
      agent.send('c-approve', { approval: { approvalId: request?.approvalId ?? '', approved: true } }),
    );
    const calls = only(second, 'tool-call');
    expect(calls.map((call) => call.toolName)).toEqual(['createMCI', 'getMCI']);
    expect(calls[0]?.input).toMatchObject({ confirm: true, wait: true });
    expect(only(second, 'progress').length).toBeGreaterThan(0);
    expect(only(second, 'tool-result')[0]).toMatchObject({ toolName: 'createMCI', isError: false });
    const summary = only(second, 'summary')[0];
    expect(summary?.mciName).toBe('llm-demo');
    expect(summary?.text).toMatch(/delete/i);
    expect(summary?.endpoints.length).toBeGreaterThan(0);
    expect(await mciNames()).toContain('llm-demo');
    const mci = await server.runtime.mci();
    expect((await mci.engine.getMci('llm-demo')).status).toMatch(/^Running:2/);
    expect(await liveVms()).toBe(2);

    const after = await agent.conversations.get('c-approve');
    expect(after?.pendingApproval).toBeUndefined();
    expect(after?.lastMciName).toBe('llm-demo');

    // A follow-up: "it" is the MCI just made; deleting needs its own approval and is destructive.
    const third = await collect(agent.send('c-approve', { text: 'delete it' }));
    const deletion = only(third, 'approval-request')[0];
    expect(deletion?.plan.title).toBe('Delete MCI llm-demo');
    expect(deletion?.plan.destructive).toBe(true);
    expect(await liveVms()).toBe(2);
    // The model saw the whole history (the first request is still there).
    const lastPrompt = prompts.at(-1) ?? [];
    expect(JSON.stringify(lastPrompt)).toContain('Deploy 2 small VMs near Seoul');
    // "yes" is turned into the approval by the agent.
    const fourth = await collect(agent.send('c-approve', { text: 'yes' }));
    expect(only(fourth, 'tool-result')[0]).toMatchObject({ toolName: 'deleteMCI', isError: false });
    expect(await mciNames()).not.toContain('llm-demo');
    expect(await liveVms()).toBe(0);
  });

  it('rejecting leaves nothing behind and the model is told it was not approved', async () => {
    const { model, prompts } = deployScript('llm-rejected', 1);
    const agent = new Agent({ store: server.runtime.store, tools, planner: new LlmPlanner(model) });
    const first = await collect(agent.send('c-reject', { text: 'one VM near Seoul please' }));
    const request = only(first, 'approval-request')[0];
    expect(request).toBeDefined();
    const second = await collect(
      agent.send('c-reject', { approval: { approvalId: request?.approvalId ?? '', approved: false } }),
    );
    expect(only(second, 'tool-call')).toEqual([]);
    expect(only(second, 'text').map((event) => event.text)).toEqual(['OK, nothing was created.']);
    expect(only(second, 'summary')).toEqual([]);
    expect(lastToolResults(prompts.at(-1) ?? [])).toEqual([
      { toolName: 'createMCI', type: 'execution-denied', value: expect.stringMatching(/rejected/) },
    ]);
    expect(await mciNames()).not.toContain('llm-rejected');
    expect(await liveVms()).toBe(0);
  });

  it('a new message while a plan waits drops the plan; the model sees it was not run', async () => {
    const { model, prompts } = deployScript('llm-replaced', 1);
    const agent = new Agent({ store: server.runtime.store, tools, planner: new LlmPlanner(model) });
    const first = await collect(agent.send('c-replace', { text: 'one VM near Seoul' }));
    expect(only(first, 'approval-request')).toHaveLength(1);
    const second = await collect(agent.send('c-replace', { text: 'actually, what does it cost per month?' }));
    expect(only(second, 'error')).toEqual([]);
    const prompt = prompts.at(-1) ?? [];
    const denied = prompt.flatMap((message) =>
      message.role === 'tool'
        ? message.content.filter(
            (part) => part.type === 'tool-result' && part.output.type === 'execution-denied',
          )
        : [],
    );
    expect(denied).toHaveLength(1);
    expect((await agent.conversations.get('c-replace'))?.pendingApproval).toBeDefined();
    expect(await mciNames()).not.toContain('llm-replaced');
  });

  it('--yes approves within the budget and runs the whole request in one send; Korean in, Korean summary', async () => {
    const { model } = deployScript('llm-yes', 1);
    const agent = new Agent({ store: server.runtime.store, tools, planner: new LlmPlanner(model) });
    const events = await collect(
      agent.send('c-yes', { text: '서울 근처에 VM 하나 만들어줘' }, { autoApprove: { maxCostPerHour: 5 } }),
    );
    const types = events.map((event) => event.type);
    expect(types).toContain('approval-request');
    expect(types.at(-1)).toBe('summary');
    expect(only(events, 'summary')[0]?.text).toMatch(/삭제하려면/);
    expect(await mciNames()).toContain('llm-yes');
    const mci = await server.runtime.mci();
    await mci.engine.deleteMci('llm-yes');
  });

  it('feeds an isError result back to the model, which fixes its input', async () => {
    const { model, prompts } = scriptedModel((prompt) => {
      const last = lastToolResults(prompt).at(-1);
      if (!last) return { toolCalls: [{ toolName: 'searchSpecs', input: { minVcpu: -2 } }] };
      if (last.type === 'error-json')
        return { toolCalls: [{ toolName: 'searchSpecs', input: { ...SEARCH } }] };
      return { text: `Cheapest: ${firstSpecId(last.value)}` };
    });
    const planner = new LlmPlanner(model);
    const conversation = { id: 'c-error', title: '', createdAt: '', updatedAt: '', turns: [] };
    const events = await collect(
      planner.respond({ conversation, message: { text: 'cheapest 2 vCPU VM in Seoul' }, tools }),
    );
    const results = only(events, 'tool-result');
    expect(results.map((result) => result.isError)).toEqual([true, false]);
    expect(results[0]?.summary).toMatch(/^INVALID_INPUT: .*minVcpu/);
    // The model read the server's {code, message, next}.
    const seen = lastToolResults(prompts[1] ?? [])[0];
    expect(seen?.type).toBe('error-json');
    expect(seen?.value).toMatchObject({ error: { code: 'INVALID_INPUT', next: expect.any(String) } });
    expect(only(events, 'text').at(-1)?.text).toMatch(/^Cheapest: aws\+ap-northeast-2\+/);
    expect(only(events, 'error')).toEqual([]);
  });

  it('a createMCI the server refuses is not put to the person: the model gets the error and fixes it', async () => {
    let specId = '';
    const { model, prompts } = scriptedModel((prompt) => {
      const last = lastToolResults(prompt).at(-1);
      if (!last) return { toolCalls: [{ toolName: 'searchSpecs', input: SEARCH }] };
      if (last.toolName === 'searchSpecs') {
        specId = firstSpecId(last.value);
        const bad = {
          name: 'llm-fixed',
          nodeGroups: [{ name: 'web', specId: 'aws+ap-northeast-2+nope.large', size: 1 }],
        };
        return { toolCalls: [{ toolName: 'createMCI', input: bad }] };
      }
      if (last.toolName === 'createMCI' && last.type === 'execution-denied') {
        const good = { name: 'llm-fixed', nodeGroups: [{ name: 'web', specId, size: 1 }] };
        return { toolCalls: [{ toolName: 'createMCI', input: good }] };
      }
      return { text: 'done' };
    });
    const planner = new LlmPlanner(model);
    const conversation = { id: 'c-refused', title: '', createdAt: '', updatedAt: '', turns: [] };
    const events = await collect(
      planner.respond({ conversation, message: { text: 'one VM in Seoul' }, tools }),
    );
    const refused = only(events, 'tool-result')[1];
    expect(refused).toMatchObject({ toolName: 'createMCI', isError: true });
    expect(refused?.summary).toMatch(/^INVALID_REQUEST/);
    expect(String(lastToolResults(prompts[2] ?? [])[0]?.value)).toMatch(/INVALID_REQUEST/);
    const requests = only(events, 'approval-request');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.actions[0]?.input).toMatchObject({ nodeGroups: [{ specId }] });
    expect(await mciNames()).not.toContain('llm-fixed');
  });

  it('stops a model that calls tools forever at the step limit', async () => {
    const { model, prompts } = scriptedModel(() => ({
      toolCalls: [{ toolName: 'searchSpecs', input: SEARCH }],
    }));
    const planner = new LlmPlanner(model, { maxSteps: 3 });
    const conversation = { id: 'c-loop', title: '', createdAt: '', updatedAt: '', turns: [] };
    const events = await collect(planner.respond({ conversation, message: { text: 'loop' }, tools }));
    expect(prompts).toHaveLength(3);
    expect(only(events, 'tool-call')).toHaveLength(3);
    expect(only(events, 'error')).toEqual([expect.objectContaining({ code: 'STEP_LIMIT' })]);
    // The stored history is consistent: every call has its result, so the next message works.
    const next = await collect(planner.respond({ conversation, message: { text: 'stop' }, tools }));
    expect(only(next, 'error')).toEqual([expect.objectContaining({ code: 'STEP_LIMIT' })]);
    expect(prompts).toHaveLength(6);
  });

  it('answers in text without tools and keeps the history bounded', async () => {
    const { model } = scriptedModel((prompt) => ({ text: `echo ${lastUserText(prompt)}` }));
    const planner = new LlmPlanner(model);
    const conversation = { id: 'c-chat', title: '', createdAt: '', updatedAt: '', turns: [] };
    for (let index = 0; index < 30; index++) {
      const events = await collect(
        planner.respond({ conversation, message: { text: `hello ${index}` }, tools }),
      );
      expect(events).toEqual([{ type: 'text', text: `echo hello ${index}` }]);
    }
    const stored = (conversation as { plannerState?: { llm?: { messages: unknown[] } } }).plannerState?.llm;
    expect(stored?.messages.length).toBeLessThanOrEqual(40);
    expect(JSON.stringify(stored?.messages.at(-1))).toContain('echo hello 29');
  });
});
