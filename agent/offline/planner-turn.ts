/**
 * One turn of the offline planner: the tools it calls (each call shown as tool-call/tool-result
 * events, progress forwarded while a long call waits), the person's language, and what the planner
 * keeps between turns in `conversation.plannerState` (JSON only).
 */
import type { ToolCallOutcome, ToolClient } from '../tool-client.ts';
import type { AgentEvent, ConversationState } from '../types.ts';
import type { DeployIntent, Intent, KnownMci, Language, ProviderId, SearchSpecsIntent } from './intent.ts';

/** What the offline planner remembers between turns. */
export interface OfflinePlannerState {
  /** The deploy intent of the plan waiting for approval (or refused for its budget): "make it 5" revises it. */
  pendingPlan?: DeployIntent;
  /** The last search: "deploy that", "what about Tokyo?" build on it. */
  lastSearch?: SearchSpecsIntent;
  /** The last operation started: "how is it going", "cancel it". */
  lastOperationId?: string;
  /** The language of the last message, for answers to approvals (which carry no text). */
  language?: Language;
}

/** What an approval request carries in `pendingApproval.state`, enough to act and report afterwards. */
export type PendingState =
  | { kind: 'deploy'; language: Language; intent: DeployIntent; mciName: string }
  | { kind: 'manage'; language: Language; intent: Intent; mciName: string; newNodes?: string[] };

export function readState(conversation: ConversationState): OfflinePlannerState {
  return (conversation.plannerState ?? {}) as OfflinePlannerState;
}

export function writeState(conversation: ConversationState, state: OfflinePlannerState): void {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) if (value !== undefined) kept[key] = value;
  conversation.plannerState = kept;
}

/** The same message in the person's language. */
export function say(language: Language, english: string, korean: string): string {
  return language === 'ko' ? korean : english;
}

/** One line for a tool-result card: the error, or the first line of the tool's text. */
function summaryOf(outcome: ToolCallOutcome): string {
  if (outcome.isError) return `${outcome.error?.code ?? 'ERROR'}: ${outcome.error?.message ?? outcome.text}`;
  const first = outcome.text.split('\n')[0] ?? '';
  return first.length > 160 ? `${first.slice(0, 157)}…` : first;
}

interface ListedMci {
  name: string;
  status: string;
  state: string;
  nodesTotal: number;
  locations: { provider: string; regionId: string; nodes: number }[];
  pricePerHour: number;
}

export class Turn {
  language: Language = 'en';
  private calls = 0;
  private listed: ListedMci[] | undefined;

  constructor(
    readonly conversation: ConversationState,
    readonly tools: ToolClient,
    readonly signal?: AbortSignal,
  ) {}

  /**
   * Calls a tool, yielding tool-call, then progress events while it runs (when `progress`), then
   * tool-result; returns the outcome. Tool output is data: it is shown, never read for instructions.
   */
  async *call(
    toolName: string,
    input: Record<string, unknown>,
    options: { progress?: boolean } = {},
  ): AsyncGenerator<AgentEvent, ToolCallOutcome> {
    this.calls++;
    const callId = `offline-${this.calls}`;
    yield { type: 'tool-call', callId, toolName, input };
    let outcome: ToolCallOutcome | undefined;
    if (!options.progress) {
      outcome = await this.tools.callTool(toolName, input, this.signal ? { signal: this.signal } : {});
    } else {
      // Progress arrives through a callback while the call is awaited: queue it and yield it as it comes.
      const queue: AgentEvent[] = [];
      let wake: (() => void) | undefined;
      const running = this.tools
        .callTool(toolName, input, {
          ...(this.signal ? { signal: this.signal } : {}),
          onProgress: (progress) => {
            queue.push({
              type: 'progress',
              toolName,
              message: progress.message ?? '',
              progress: progress.progress,
              ...(progress.total !== undefined ? { total: progress.total } : {}),
            });
            wake?.();
          },
        })
        .then((result) => {
          outcome = result;
          wake?.();
        });
      for (;;) {
        while (queue.length > 0) yield queue.shift() as AgentEvent;
        if (outcome !== undefined) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      await running;
    }
    const done = outcome as ToolCallOutcome;
    yield {
      type: 'tool-result',
      callId,
      toolName,
      isError: done.isError,
      summary: summaryOf(done),
      output: done.isError ? { error: done.error, ...(done.details ?? {}) } : done.structured,
    };
    return done;
  }

  /** Several read-only calls at once (one search per place): events in order, outcomes in order. */
  async *callAll(
    calls: readonly { toolName: string; input: Record<string, unknown> }[],
  ): AsyncGenerator<AgentEvent, ToolCallOutcome[]> {
    const ids = calls.map(() => `offline-${++this.calls}`);
    for (const [index, call] of calls.entries())
      yield { type: 'tool-call', callId: ids[index] as string, toolName: call.toolName, input: call.input };
    const outcomes = await Promise.all(
      calls.map((call) =>
        this.tools.callTool(call.toolName, call.input, this.signal ? { signal: this.signal } : {}),
      ),
    );
    for (const [index, outcome] of outcomes.entries()) {
      const call = calls[index] as (typeof calls)[number];
      yield {
        type: 'tool-result',
        callId: ids[index] as string,
        toolName: call.toolName,
        isError: outcome.isError,
        summary: summaryOf(outcome),
        output: outcome.isError ? { error: outcome.error, ...(outcome.details ?? {}) } : outcome.structured,
      };
    }
    return outcomes;
  }

  /** The MCIs that exist, listed once per turn. */
  async *mcis(): AsyncGenerator<AgentEvent, ListedMci[]> {
    if (this.listed !== undefined) return this.listed;
    const outcome = yield* this.call('listMCIs', {});
    this.listed = outcome.isError ? [] : ((outcome.structured?.mcis as ListedMci[] | undefined) ?? []);
    return this.listed;
  }

  /** Forget the listing after a change, so the next look sees it. */
  forgetMcis(): void {
    this.listed = undefined;
  }
}

/** The MCIs as the understanding's context knows them (names, providers, regions). */
export function knownMcisOf(listed: readonly ListedMci[]): KnownMci[] {
  return listed.map((mci) => ({
    name: mci.name,
    providers: [...new Set(mci.locations.map((location) => location.provider as ProviderId))],
    places: mci.locations.map((location) => location.regionId),
  }));
}

export function errorEvent(outcome: ToolCallOutcome): AgentEvent {
  return {
    type: 'error',
    code: outcome.error?.code ?? 'ERROR',
    message: outcome.error?.message ?? outcome.text,
    ...(outcome.error?.next ? { next: outcome.error.next } : {}),
  };
}
