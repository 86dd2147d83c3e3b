/**
 * The LLM planner: a language model drives the s2a MCP tools through the AI SDK's tool loop.
 * Read-only tools run as the model calls them; tools that spend or destroy stop the loop with a
 * tool-approval-request, which becomes one plan and one approval-request event. The turn ends
 * there; the person's answer arrives as the next message and the loop continues from the stored
 * messages, running the approved calls with confirm: true (or telling the model they were denied).
 */
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import {
  type LanguageModelMiddleware,
  type ModelMessage,
  simulateStreamingMiddleware,
  stepCountIs,
  streamText,
  type ToolSet,
  wrapLanguageModel,
} from 'ai';
import type { ToolCallOutcome, ToolClient } from '../tool-client.ts';
import type { AgentEvent, ConversationState, PendingApproval, Planner, PlannerInput } from '../types.ts';
import { closeUnansweredToolCalls, restoreMessages, toJsonMessages, trimHistory } from './history.ts';
import { DEFAULT_MAX_STEPS, type LlmConfig } from './llm-config.ts';
import { type ApprovalCall, buildPlan, HOURS_PER_MONTH } from './plan.ts';
import { systemPrompt } from './system-prompt.ts';
import {
  callArguments,
  type ExecutedCall,
  hasInputField,
  needsApproval,
  outcomePayload,
  summariseOutcome,
  toolSetFor,
} from './tools.ts';

export interface LlmPlannerOptions {
  /** Tool-loop steps per message; each step is one model call. Default 12. */
  maxSteps?: number;
  /** Strings that must never appear in events (API keys): masked in error messages. */
  secrets?: readonly string[];
  /** For the system prompt's "now". */
  clock?: () => Date;
  /** Sampling temperature; default: the provider's. */
  temperature?: number;
}

/** What the planner keeps in conversation.plannerState.llm. */
interface LlmMemory {
  messages: ModelMessage[];
}

/** PendingApproval.state of this planner. */
interface LlmApprovalState {
  planner: 'llm';
  /** The messages up to the tool-approval-request, JSON. */
  messages: ModelMessage[];
  /** Every approval id of the waiting step: one answer covers them all. */
  approvalIds: string[];
}

const REJECTED =
  'The person rejected this plan. Nothing was done. Do not call it again; say so briefly and ask what they want to change.';
const SUPERSEDED =
  'Not run: the person did not approve it and sent a new message instead (next). Nothing was done; do not call it again unless the new message asks for it.';
const INTERRUPTED =
  'No result: the turn was interrupted before this call finished. Check the state (getMCI, listMCIs) before acting on it.';

/** Tools whose success means something now exists that the person will want to reach. */
const CREATING_TOOLS = new Set(['createMCI', 'installApp', 'scaleMCI']);
/** Tools whose name input is an MCI name ("it" afterwards). */
const MCI_TOOLS = new Set([
  'createMCI',
  'getMCI',
  'scaleMCI',
  'controlMCI',
  'deleteMCI',
  'installApp',
  'runCommand',
  'estimateCost',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function approvalStateOf(value: unknown): LlmApprovalState | undefined {
  if (!isRecord(value) || value.planner !== 'llm' || !Array.isArray(value.approvalIds)) return undefined;
  return {
    planner: 'llm',
    messages: restoreMessages(value.messages),
    approvalIds: value.approvalIds.filter((id): id is string => typeof id === 'string'),
  };
}

function memoryOf(conversation: ConversationState): LlmMemory {
  const memory = conversation.plannerState?.llm;
  return { messages: isRecord(memory) ? restoreMessages(memory.messages) : [] };
}

function remember(conversation: ConversationState, messages: readonly ModelMessage[]): void {
  const memory: LlmMemory = { messages: toJsonMessages(trimHistory(messages)) };
  conversation.plannerState = { ...(conversation.plannerState ?? {}), llm: memory };
}

/** Events in order from two producers (the model stream and tool progress) to one consumer. */
class EventQueue {
  private readonly items: AgentEvent[] = [];
  private wake: (() => void) | undefined;
  private finished = false;
  private failure: { error: unknown } | undefined;

  push(event: AgentEvent): void {
    this.items.push(event);
    this.wake?.();
  }

  end(error?: unknown): void {
    this.finished = true;
    if (error !== undefined) this.failure = { error };
    this.wake?.();
  }

  async *drain(): AsyncGenerator<AgentEvent> {
    for (;;) {
      const next = this.items.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.finished) {
        if (this.failure) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

interface ModelRun {
  responseMessages: ModelMessage[];
  approvals: { approvalId: string; toolCallId: string; toolName: string; input: unknown }[];
  steps: number;
  lastFinishReason: string | undefined;
  error: unknown;
}

const KOREAN = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;

function lastUserText(messages: readonly ModelMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ');
  }
  return '';
}

/** The chat models the AI SDK can wrap with middleware (MockLanguageModelV3, createOpenAI().chat(…)…). */
export type ChatModel = Parameters<typeof wrapLanguageModel>[0]['model'];

/**
 * Emits each text part as the model's stream passes by, before the stream reaches the tool loop:
 * "I'll search…" then comes before the search's own events, whatever the buffering downstream.
 */
function textEvents(emit: (event: AgentEvent) => void): LanguageModelMiddleware {
  return {
    specificationVersion: 'v3',
    wrapStream: async ({ doStream }) => {
      const { stream, ...rest } = await doStream();
      const texts = new Map<string, string>();
      const flush = (id: string) => {
        const text = texts.get(id)?.trim();
        texts.delete(id);
        if (text) emit({ type: 'text', text });
      };
      const flushAll = () => {
        for (const id of [...texts.keys()]) flush(id);
      };
      return {
        ...rest,
        stream: stream.pipeThrough(
          new TransformStream({
            transform(part, controller) {
              if (part.type === 'text-delta') texts.set(part.id, (texts.get(part.id) ?? '') + part.delta);
              else if (part.type === 'text-end') flush(part.id);
              else if (part.type === 'tool-call' || part.type === 'finish') flushAll();
              controller.enqueue(part);
            },
            flush: flushAll,
          }),
        ),
      };
    },
  };
}

export class LlmPlanner implements Planner {
  readonly name = 'llm';
  readonly maxSteps: number;
  private readonly secrets: string[];
  private readonly clock: () => Date;

  constructor(
    readonly model: ChatModel,
    private readonly options: LlmPlannerOptions = {},
  ) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    // Short strings would mask ordinary words; real keys are long.
    this.secrets = (options.secrets ?? []).filter((secret) => secret.length >= 8);
    this.clock = options.clock ?? (() => new Date());
  }

  respond(input: PlannerInput): AsyncIterable<AgentEvent> {
    return this.events(input);
  }

  private async *events(input: PlannerInput): AsyncGenerator<AgentEvent> {
    const queue = new EventQueue();
    const work = this.run(input, (event) => queue.push(event)).then(
      () => queue.end(),
      (error: unknown) => {
        // A broken tool connection or a bug: one error event for the person, not a stack trace.
        queue.push({
          type: 'error',
          code: 'PLANNER_FAILED',
          message: this.redact(error instanceof Error ? error.message : String(error)),
          next: 'Retry; if it keeps failing, check the s2a MCP server (S2A_MCP_URL) or use S2A_PLANNER=offline.',
        });
        queue.end();
      },
    );
    try {
      yield* queue.drain();
    } finally {
      // The conversation must be consistent before the agent saves it, even if the consumer left early.
      await work;
    }
  }

  private redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result.length > 500 ? `${result.slice(0, 499)}…` : result;
  }

  private async run(input: PlannerInput, emit: (event: AgentEvent) => void): Promise<void> {
    const { conversation, message, tools, signal } = input;
    const listing = await tools.listTools();
    const byName = new Map(listing.map((tool) => [tool.name, tool]));
    let messages = memoryOf(conversation).messages;

    if ('approval' in message) {
      const pending = conversation.pendingApproval;
      const state = approvalStateOf(pending?.state);
      if (!pending || !state || pending.approvalId !== message.approval.approvalId) {
        emit({
          type: 'error',
          code: 'NOTHING_TO_APPROVE',
          message: 'no plan of the LLM planner is waiting for this approval',
          next: 'Ask again for what you want; a new plan will be shown.',
        });
        return;
      }
      conversation.pendingApproval = undefined;
      const { approved } = message.approval;
      messages = [
        ...state.messages,
        {
          role: 'tool',
          content: state.approvalIds.map((approvalId) => ({
            type: 'tool-approval-response' as const,
            approvalId,
            approved,
            ...(approved ? {} : { reason: REJECTED }),
          })),
        },
      ];
    } else {
      const waiting = approvalStateOf(conversation.pendingApproval?.state);
      if (waiting) messages = waiting.messages;
      // A new request replaces a waiting plan: its calls are answered as not run.
      conversation.pendingApproval = undefined;
      messages = closeUnansweredToolCalls(messages, { type: 'execution-denied', reason: SUPERSEDED });
      messages.push({ role: 'user', content: message.text });
    }

    const executed: ExecutedCall[] = [];
    const results = new Set<string>();
    const trackingEmit = (event: AgentEvent) => {
      if (event.type === 'tool-result') results.add(event.callId);
      emit(event);
    };
    const toolSet = toolSetFor(listing, {
      tools,
      emit: trackingEmit,
      executed: (call) => {
        executed.push(call);
        this.noteMci(conversation, call);
      },
      ...(signal ? { signal } : {}),
    });

    let stepsLeft = this.maxSteps;
    try {
      for (;;) {
        const run = await this.runModel(
          conversation,
          messages,
          toolSet,
          stepsLeft,
          trackingEmit,
          results,
          signal,
        );
        messages = [...messages, ...run.responseMessages];
        stepsLeft -= run.steps;
        if (run.error !== undefined) {
          messages = closeUnansweredToolCalls(messages, { type: 'error-text', value: INTERRUPTED });
          emit(this.errorEvent(run.error, signal));
          // What was created before the failure still deserves its summary.
          break;
        }
        if (run.approvals.length === 0) {
          if (stepsLeft <= 0 && run.lastFinishReason === 'tool-calls') {
            emit({
              type: 'error',
              code: 'STEP_LIMIT',
              message: `stopped after ${this.maxSteps} steps without finishing`,
              next: 'Say how to continue, or ask for something smaller (S2A_LLM_MAX_STEPS raises the limit).',
            });
          }
          break;
        }
        const calls = await this.preview(run.approvals, byName, tools, signal);
        const refused = calls.filter(
          (call) => call.preview?.isError && call.preview.error?.code !== 'NEEDS_CONFIRMATION',
        );
        if (refused.length > 0) {
          // The server refused the call before anyone approved it: asking the person would be pointless.
          for (const call of refused) {
            if (!call.preview) continue;
            trackingEmit({
              type: 'tool-call',
              callId: call.toolCallId,
              toolName: call.toolName,
              input: call.input,
            });
            trackingEmit({
              type: 'tool-result',
              callId: call.toolCallId,
              toolName: call.toolName,
              isError: true,
              summary: summariseOutcome(call.preview),
              output: outcomePayload(call.preview),
            });
          }
          messages.push({
            role: 'tool',
            content: calls.map((call) => ({
              type: 'tool-approval-response' as const,
              approvalId: call.approvalId,
              approved: false,
              reason: refusalReason(call),
            })),
          });
          if (stepsLeft > 0) continue;
          emit({
            type: 'error',
            code: 'STEP_LIMIT',
            message: `stopped after ${this.maxSteps} steps: the last call was refused (${summariseOutcome(refused[0]?.preview as ToolCallOutcome)})`,
            next: 'Ask again with what to change.',
          });
          break;
        }
        this.askApproval(conversation, calls, messages, emit);
        return;
      }
      await this.summarise(conversation, executed, messages, tools, byName, emit);
    } finally {
      remember(conversation, messages);
    }
  }

  /** One model run: streams text and tool events, and collects approval requests. */
  private async runModel(
    conversation: ConversationState,
    messages: ModelMessage[],
    toolSet: ToolSet,
    stepsLeft: number,
    emit: (event: AgentEvent) => void,
    results: Set<string>,
    signal: AbortSignal | undefined,
  ): Promise<ModelRun> {
    const run: ModelRun = {
      responseMessages: [],
      approvals: [],
      steps: 0,
      lastFinishReason: undefined,
      error: undefined,
    };
    const result = streamText({
      model: wrapLanguageModel({ model: this.model, middleware: textEvents(emit) }),
      system: systemPrompt({
        ...(conversation.lastMciName ? { lastMciName: conversation.lastMciName } : {}),
        now: this.clock().toISOString(),
      }),
      messages,
      tools: toolSet,
      stopWhen: stepCountIs(Math.max(stepsLeft, 1)),
      // The default logs the whole error, request and response bodies included (keys echoed back by a
      // server too): errors arrive as stream parts and become redacted error events instead.
      onError: () => {},
      ...(this.options.temperature !== undefined ? { temperature: this.options.temperature } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    });
    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'tool-approval-request':
          run.approvals.push({
            approvalId: part.approvalId,
            toolCallId: part.toolCall.toolCallId,
            toolName: part.toolCall.toolName,
            input: part.toolCall.input,
          });
          break;
        case 'tool-error':
          // Calls that never reached execute (unknown tool, unparsable input): show them as failed.
          if (!results.has(part.toolCallId)) {
            emit({ type: 'tool-call', callId: part.toolCallId, toolName: part.toolName, input: part.input });
            emit({
              type: 'tool-result',
              callId: part.toolCallId,
              toolName: part.toolName,
              isError: true,
              summary: this.redact(
                part.error instanceof Error ? part.error.message : String(part.error),
              ).slice(0, 200),
              output: { error: { code: 'INVALID_TOOL_CALL', message: this.redact(String(part.error)) } },
            });
          }
          break;
        case 'finish-step':
          run.steps += 1;
          run.lastFinishReason = part.finishReason;
          break;
        case 'error':
          run.error ??= part.error;
          break;
        case 'abort':
          run.error ??= new Error('cancelled');
          break;
        default:
          break;
      }
    }
    try {
      run.responseMessages = (await result.response).messages;
    } catch (error) {
      run.error ??= error;
    }
    return run;
  }

  /** Asks the server about each waiting call without confirm: its review, or why it would fail. */
  private async preview(
    approvals: ModelRun['approvals'],
    byName: Map<string, McpTool>,
    tools: ToolClient,
    signal: AbortSignal | undefined,
  ): Promise<ApprovalCall[]> {
    const calls: ApprovalCall[] = [];
    for (const approval of approvals) {
      const tool = byName.get(approval.toolName);
      const input = isRecord(approval.input) ? approval.input : {};
      const args = tool ? callArguments(tool, input) : input;
      const call: ApprovalCall = {
        approvalId: approval.approvalId,
        toolCallId: approval.toolCallId,
        toolName: approval.toolName,
        input,
        action: { toolName: approval.toolName, input: args },
        destructiveHint: tool?.annotations?.destructiveHint !== false,
      };
      // Only tools with a confirm field promise to change nothing without it.
      if (tool && needsApproval(tool) && hasInputField(tool, 'confirm')) {
        const { confirm: _confirm, ...withoutConfirm } = args;
        call.preview = await tools.callTool(tool.name, withoutConfirm, signal ? { signal } : {});
      }
      calls.push(call);
    }
    return calls;
  }

  private askApproval(
    conversation: ConversationState,
    calls: ApprovalCall[],
    messages: ModelMessage[],
    emit: (event: AgentEvent) => void,
  ): void {
    const plan = buildPlan(calls, messages);
    const first = calls[0];
    if (!first) return;
    const state: LlmApprovalState = {
      planner: 'llm',
      messages: toJsonMessages(messages),
      approvalIds: calls.map((call) => call.approvalId),
    };
    const pending: PendingApproval = {
      approvalId: first.approvalId,
      plan,
      actions: calls.map((call) => call.action),
      state,
    };
    conversation.pendingApproval = pending;
    emit({ type: 'plan', plan });
    emit({ type: 'approval-request', approvalId: pending.approvalId, plan, actions: pending.actions });
  }

  /** "it" after this call: the MCI it named or reported. */
  private noteMci(conversation: ConversationState, call: ExecutedCall): void {
    if (call.outcome.isError) return;
    if (MCI_TOOLS.has(call.toolName) && typeof call.input.name === 'string') {
      conversation.lastMciName = call.input.name;
    }
    const operation = call.outcome.structured?.operation;
    if (isRecord(operation)) {
      if (typeof operation.mciName === 'string' && call.toolName !== 'listMCIs') {
        conversation.lastMciName = operation.mciName;
      }
      if (typeof operation.operationId === 'string') conversation.lastOperationId = operation.operationId;
    }
  }

  /** After something was created: what exists, where to reach it, how to remove it. */
  private async summarise(
    conversation: ConversationState,
    executed: readonly ExecutedCall[],
    messages: readonly ModelMessage[],
    tools: ToolClient,
    byName: Map<string, McpTool>,
    emit: (event: AgentEvent) => void,
  ): Promise<void> {
    const createdIndex = executed.findLastIndex(
      (call) => CREATING_TOOLS.has(call.toolName) && !call.outcome.isError,
    );
    const created = executed[createdIndex];
    if (!created || typeof created.input.name !== 'string') return;
    const name = created.input.name;
    let view = executed
      .slice(createdIndex + 1)
      .findLast((call) => call.toolName === 'getMCI' && call.input.name === name && !call.outcome.isError)
      ?.outcome.structured;
    if (!view && byName.has('getMCI')) {
      const outcome = await tools.callTool('getMCI', { name });
      if (!outcome.isError) view = outcome.structured;
    }
    const endpoints = collectEndpoints(executed, name, view);
    const korean = KOREAN.test(lastUserText(messages));
    const nodes = Array.isArray(view?.nodes) ? view.nodes.length : undefined;
    const status = typeof view?.status === 'string' ? view.status : undefined;
    const price = typeof view?.pricePerHour === 'number' ? view.pricePerHour : undefined;
    const cost =
      price === undefined ? '' : ` $${price.toFixed(2)}/h ($${(price * HOURS_PER_MONTH).toFixed(0)}/month)`;
    const reach = endpoints.map((endpoint) => `- ${endpoint.name}: ${endpoint.url}`).join('\n');
    const text = korean
      ? [
          `MCI ${name}${status ? `: ${status}` : ''}${nodes !== undefined ? `, 노드 ${nodes}개` : ''}${cost ? `,${cost}` : ''}.`,
          ...(reach ? [`접속:\n${reach}`] : []),
          `삭제하려면 "${name} 삭제해줘"라고 말하세요 (deleteMCI, 승인 후 실행).`,
        ].join('\n')
      : [
          `MCI ${name}${status ? ` is ${status}` : ''}${nodes !== undefined ? `, ${nodes} node${nodes === 1 ? '' : 's'}` : ''}${cost ? `,${cost}` : ''}.`,
          ...(reach ? [`Endpoints:\n${reach}`] : []),
          `To delete it, say "delete ${name}" (deleteMCI, runs after your approval).`,
        ].join('\n');
    conversation.lastMciName = name;
    emit({ type: 'summary', text, endpoints, mciName: name });
  }

  private errorEvent(error: unknown, signal: AbortSignal | undefined): AgentEvent {
    if (signal?.aborted) {
      return {
        type: 'error',
        code: 'CANCELLED',
        message: 'the request was cancelled',
        next: 'Ask again when ready.',
      };
    }
    const status = statusCodeOf(error);
    const message = this.redact(error instanceof Error ? error.message : String(error));
    if (status === 401 || status === 403) {
      return {
        type: 'error',
        code: 'LLM_AUTH',
        message: `the model server refused the credentials: ${message}`,
        next: 'Check OPENAI_API_KEY or S2A_LLM_API_KEY, or use the offline planner (S2A_PLANNER=offline).',
      };
    }
    return {
      type: 'error',
      code: 'LLM_ERROR',
      message: `the model call failed${status ? ` (HTTP ${status})` : ''}: ${message}`,
      next: 'Check that the model server is reachable (S2A_LLM_BASE_URL, S2A_LLM_MODEL) and retry, or use the offline planner (S2A_PLANNER=offline).',
    };
  }
}

function statusCodeOf(error: unknown): number | undefined {
  for (let current: unknown = error, depth = 0; isRecord(current) && depth < 4; depth++) {
    if (typeof current.statusCode === 'number') return current.statusCode;
    current = current.lastError ?? current.cause;
  }
  return undefined;
}

function refusalReason(call: ApprovalCall): string {
  const error = call.preview?.isError ? call.preview.error : undefined;
  if (!error || error.code === 'NEEDS_CONFIRMATION') {
    return 'Not run: another call of the same step was refused. Nothing was done; fix the refused call first.';
  }
  return `Not run: s2a refused it before asking the person. ${JSON.stringify({ error: { code: error.code, message: error.message, next: error.next } })}`;
}

function endpointsOfNodes(nodes: unknown, prefix: string): { name: string; url: string }[] {
  if (!Array.isArray(nodes)) return [];
  return nodes.flatMap((node) => {
    if (!isRecord(node) || !isRecord(node.endpoints)) return [];
    const nodeName = typeof node.node === 'string' ? node.node : '?';
    return Object.entries(node.endpoints).flatMap(([output, value]) =>
      typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//iu.test(value)
        ? [{ name: `${nodeName} ${prefix}${output}`, url: value }]
        : [],
    );
  });
}

/** App endpoints (installApp results, getMCI apps) and each node's SSH address, without repeats. */
export function collectEndpoints(
  executed: readonly ExecutedCall[],
  mciName: string,
  view: Record<string, unknown> | undefined,
): { name: string; url: string }[] {
  const found: { name: string; url: string }[] = [];
  for (const call of executed) {
    if (call.toolName !== 'installApp' || call.input.name !== mciName || call.outcome.isError) continue;
    const result = call.outcome.structured?.result;
    if (isRecord(result)) found.push(...endpointsOfNodes(result.nodes, `${String(result.app ?? '')} `));
  }
  if (view && Array.isArray(view.apps)) {
    for (const app of view.apps) {
      if (isRecord(app)) found.push(...endpointsOfNodes(app.nodes, `${String(app.app ?? '')} `));
    }
  }
  if (view && Array.isArray(view.nodes)) {
    for (const node of view.nodes) {
      if (!isRecord(node) || typeof node.publicIp !== 'string' || typeof node.name !== 'string') continue;
      const user = typeof node.sshUser === 'string' ? `${node.sshUser}@` : '';
      found.push({ name: `${node.name} ssh`, url: `ssh://${user}${node.publicIp}` });
    }
  }
  const seen = new Set<string>();
  return found.filter((endpoint) => {
    if (seen.has(endpoint.url)) return false;
    seen.add(endpoint.url);
    return true;
  });
}

export interface CreateLlmPlannerOptions extends Omit<LlmPlannerOptions, 'maxSteps' | 'secrets'> {}

/** The chat model of a config: OpenAI, or any server speaking /chat/completions. */
export function createLlmModel(config: LlmConfig): ChatModel {
  const model =
    config.provider === 'openai'
      ? createOpenAI({
          // Explicit, so the SDK never falls back to process.env for the key or the URL.
          apiKey: config.apiKey ?? '',
          baseURL: config.baseURL ?? 'https://api.openai.com/v1',
        }).chat(config.model)
      : createOpenAICompatible({
          name: 's2a-llm',
          baseURL: config.baseURL ?? '',
          ...(config.apiKey ? { apiKey: config.apiKey } : {}),
          includeUsage: true,
        }).chatModel(config.model);
  // Some servers stream tool calls badly: then each step is one JSON response, replayed as a stream.
  return config.stream ? model : wrapLanguageModel({ model, middleware: simulateStreamingMiddleware() });
}

/** The LLM planner for a config from llmConfigFromEnvironment. */
export function createLlmPlanner(config: LlmConfig, options: CreateLlmPlannerOptions = {}): LlmPlanner {
  return new LlmPlanner(createLlmModel(config), {
    ...options,
    maxSteps: config.maxSteps,
    secrets: config.apiKey ? [config.apiKey] : [],
  });
}
