/**
 * The agent's contract: what a planner receives and what it emits. Both planners (the LLM planner
 * through the AI SDK, the deterministic offline planner) emit the same events, so the CLI, the web
 * chat and the eval runner show and score them the same way.
 */
import type { ToolClient } from './tool-types.ts';

/** One node line of a plan: where, what, how many, what it costs. */
export interface PlanNodeGroup {
  group: string;
  provider: string;
  regionId: string;
  regionName: string;
  specId: string;
  /** "8 vCPU, 32 GiB, 1x A10G" */
  shape: string;
  count: number;
  /** USD per hour for the whole group. */
  pricePerHour: number | null;
}

/** A plan the person approves before anything is spent or destroyed. */
export interface PlanView {
  /** One line: "Create MCI demo: 3 GPU nodes in Seoul, Tokyo and Frankfurt". */
  title: string;
  /** Human-readable steps in order. */
  steps: string[];
  groups: PlanNodeGroup[];
  /** USD; 0 for plans that cost nothing (delete, run a command). */
  pricePerHour: number;
  pricePerMonth: number;
  risks: string[];
  /** Assumptions the planner made ("a couple" → 2). */
  notes: string[];
  /** True when the plan destroys or interrupts something (delete, terminate, suspend). */
  destructive: boolean;
}

/** One mutating tool call waiting for the person's approval. */
export interface PendingAction {
  toolName: string;
  input: Record<string, unknown>;
}

export type AgentEvent =
  /** Assistant text, whole paragraphs (markdown). */
  | { type: 'text'; text: string }
  | { type: 'tool-call'; callId: string; toolName: string; input: unknown }
  | {
      type: 'tool-result';
      callId: string;
      toolName: string;
      isError: boolean;
      /** One line for a compact card. */
      summary: string;
      output: unknown;
    }
  | { type: 'plan'; plan: PlanView }
  /** The turn ends here: the next message answers it (approve or reject). */
  | { type: 'approval-request'; approvalId: string; plan: PlanView; actions: PendingAction[] }
  | { type: 'progress'; toolName: string; message: string; progress: number; total?: number }
  /** The turn ends here: one clarifying question. */
  | { type: 'question'; text: string; options?: string[] }
  /** The end of a piece of work: what exists now, where to reach it, how to remove it. */
  | { type: 'summary'; text: string; endpoints: { name: string; url: string }[]; mciName?: string }
  | { type: 'error'; code: string; message: string; next?: string };

export type AgentEventType = AgentEvent['type'];

/** A person's message: text, or an answer to an approval request (buttons in the UI, --yes in the CLI). */
export type UserMessage = { text: string } | { approval: { approvalId: string; approved: boolean } };

export interface ConversationTurn {
  role: 'user' | 'assistant';
  at: string;
  /** The user's text or the assistant's text events joined. */
  text: string;
  /** The assistant's events of the turn (tool calls, plan, summary…). */
  events?: AgentEvent[];
}

/** A pending approval: the plan and the exact calls approving it runs. */
export interface PendingApproval {
  approvalId: string;
  plan: PlanView;
  actions: PendingAction[];
  /** Planner-specific state needed to continue (e.g. the LLM messages, the offline intent). */
  state?: unknown;
}

export interface ConversationState {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  turns: ConversationTurn[];
  /** What "it" refers to: the MCI last created, shown or acted on. */
  lastMciName?: string;
  lastOperationId?: string;
  pendingApproval?: PendingApproval;
  /** Planner-owned memory between turns (JSON only). */
  plannerState?: Record<string, unknown>;
}

export interface PlannerInput {
  conversation: ConversationState;
  message: UserMessage;
  tools: ToolClient;
  signal?: AbortSignal;
}

export interface Planner {
  readonly name: string;
  /**
   * Answers one message. Mutating tools run only after an approval: a planner emits
   * `approval-request` and returns; the approval arrives as the next message. A planner updates
   * `conversation` in place (lastMciName, plannerState, pendingApproval); the agent persists it.
   */
  respond(input: PlannerInput): AsyncIterable<AgentEvent>;
}
