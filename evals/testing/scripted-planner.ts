/**
 * A tiny Planner for the runner's own tests: it answers sentences from a script, so the runner and
 * the checkers can be tested before (and independently of) the real planners.
 */
import { randomBytes } from 'node:crypto';
import type { AgentEvent, PendingAction, Planner, PlannerInput, PlanView } from '../../agent/types.ts';

export type ScriptedReply =
  | { kind: 'text'; text: string }
  | { kind: 'question'; text: string }
  /** Mutating calls shown as one plan; run with confirm: true when approved. */
  | { kind: 'plan'; title: string; pricePerHour: number; actions: PendingAction[] }
  /** Calls that run at once, without asking (to test that the checks catch it). */
  | { kind: 'act'; actions: PendingAction[] };

function plan(title: string, pricePerHour: number): PlanView {
  return {
    title,
    steps: [title],
    groups: [],
    pricePerHour,
    pricePerMonth: pricePerHour * 730,
    risks: [],
    notes: [],
    destructive: false,
  };
}

async function* run(input: PlannerInput, actions: PendingAction[]): AsyncGenerator<AgentEvent> {
  for (const [index, action] of actions.entries()) {
    const callId = `call-${index}`;
    const toolInput = { ...action.input, confirm: true, wait: true };
    yield { type: 'tool-call', callId, toolName: action.toolName, input: toolInput };
    const outcome = await input.tools.callTool(action.toolName, toolInput);
    yield {
      type: 'tool-result',
      callId,
      toolName: action.toolName,
      isError: outcome.isError,
      summary: outcome.isError ? (outcome.error?.message ?? outcome.text) : outcome.text.slice(0, 200),
      output: outcome.structured ?? outcome.error,
    };
  }
}

export class ScriptedPlanner implements Planner {
  readonly name = 'scripted';

  constructor(private readonly script: Record<string, ScriptedReply>) {}

  async *respond(input: PlannerInput): AsyncGenerator<AgentEvent> {
    const { conversation, message } = input;
    if ('approval' in message) {
      const pending = conversation.pendingApproval;
      conversation.pendingApproval = undefined;
      if (!pending) return;
      if (!message.approval.approved) {
        yield { type: 'text', text: 'Cancelled: nothing was created or changed.' };
        return;
      }
      yield* run(input, pending.actions);
      yield { type: 'summary', text: `Done: ${pending.plan.title}`, endpoints: [] };
      return;
    }
    const reply = this.script[message.text];
    if (!reply) {
      yield { type: 'question', text: `What do you mean by "${message.text}"?` };
      return;
    }
    if (reply.kind === 'text') yield { type: 'text', text: reply.text };
    else if (reply.kind === 'question') yield { type: 'question', text: reply.text };
    else if (reply.kind === 'act') {
      yield* run(input, reply.actions);
      yield { type: 'summary', text: 'Done without asking.', endpoints: [] };
    } else {
      const approvalId = `a-${randomBytes(4).toString('hex')}`;
      const view = plan(reply.title, reply.pricePerHour);
      conversation.pendingApproval = { approvalId, plan: view, actions: reply.actions };
      yield { type: 'plan', plan: view };
      yield { type: 'approval-request', approvalId, plan: view, actions: reply.actions };
    }
  }
}
