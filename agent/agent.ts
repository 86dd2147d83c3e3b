/**
 * The agent: one conversation turn at a time, a planner behind it, the MCP tools in front of the
 * world. It keeps the one rule that matters most: nothing is spent or destroyed before the person
 * (or --yes within the budget) approved the plan that does it.
 */
import { randomBytes } from 'node:crypto';
import type { Store } from '../store/types.ts';
import { approvalAnswer } from './approval.ts';
import { ConversationStore } from './conversations.ts';
import type { ToolClient } from './tool-client.ts';
import type { AgentEvent, ConversationState, Planner, UserMessage } from './types.ts';

export interface AgentOptions {
  store: Store;
  tools: ToolClient;
  planner: Planner;
  clock?: () => number;
}

export interface SendOptions {
  signal?: AbortSignal;
  /**
   * Approve plans without asking when they cost at most this many USD per hour (`s2a ask --yes`).
   * Destructive plans are approved too: --yes means the person said yes to whatever they asked.
   */
  autoApprove?: { maxCostPerHour: number };
}

export function newApprovalId(): string {
  return `a-${randomBytes(6).toString('hex')}`;
}

export class Agent {
  readonly conversations: ConversationStore;
  readonly tools: ToolClient;
  readonly planner: Planner;

  constructor(options: AgentOptions) {
    this.conversations = new ConversationStore(options.store, options.clock);
    this.tools = options.tools;
    this.planner = options.planner;
  }

  /** Answers one message in the conversation (created when new), yielding events as they happen. */
  async *send(
    conversationId: string,
    message: UserMessage,
    options: SendOptions = {},
  ): AsyncGenerator<AgentEvent> {
    const conversation = await this.conversations.open(conversationId);
    const now = () => new Date().toISOString();
    const userText = 'text' in message ? message.text : message.approval.approved ? 'approve' : 'reject';
    conversation.turns.push({ role: 'user', at: now(), text: userText });
    if (conversation.turns.length === 1 && 'text' in message) conversation.title = message.text.slice(0, 80);

    let next: UserMessage | undefined = this.asApproval(conversation, message);
    const events: AgentEvent[] = [];
    try {
      while (next) {
        const current: UserMessage = next;
        next = undefined;
        if ('approval' in current) {
          const pending = conversation.pendingApproval;
          if (!pending || pending.approvalId !== current.approval.approvalId) {
            const event: AgentEvent = {
              type: 'error',
              code: 'NOTHING_TO_APPROVE',
              message: pending ? 'that plan was replaced by a newer one' : 'no plan is waiting for approval',
              next: 'Ask again for what you want; a new plan will be shown.',
            };
            events.push(event);
            yield event;
            break;
          }
        }
        for await (const event of this.planner.respond({
          conversation,
          message: current,
          tools: this.tools,
          ...(options.signal ? { signal: options.signal } : {}),
        })) {
          events.push(event);
          yield event;
          if (event.type === 'approval-request' && options.autoApprove) {
            const cheapEnough = event.plan.pricePerHour <= options.autoApprove.maxCostPerHour + 1e-9;
            if (cheapEnough) {
              next = { approval: { approvalId: event.approvalId, approved: true } };
              const note: AgentEvent = {
                type: 'text',
                text: `Approved automatically (--yes): $${event.plan.pricePerHour.toFixed(2)}/h is within $${options.autoApprove.maxCostPerHour}/h.`,
              };
              events.push(note);
              yield note;
            } else {
              const refusal: AgentEvent = {
                type: 'error',
                code: 'BUDGET_EXCEEDED',
                message: `the plan costs $${event.plan.pricePerHour.toFixed(2)}/h, above the $${options.autoApprove.maxCostPerHour}/h that --yes approves`,
                next: 'Approve it yourself, or ask for fewer or cheaper nodes.',
              };
              events.push(refusal);
              yield refusal;
            }
          }
        }
      }
    } finally {
      conversation.turns.push({
        role: 'assistant',
        at: now(),
        text: events
          .flatMap((event) =>
            event.type === 'text' || event.type === 'question' || event.type === 'summary'
              ? [event.text]
              : [],
          )
          .join('\n\n'),
        events,
      });
      await this.conversations.save(conversation);
    }
  }

  /** A plain "yes"/"응" or "no"/"취소" while a plan waits becomes the approval answer. */
  private asApproval(conversation: ConversationState, message: UserMessage): UserMessage {
    if (!('text' in message) || !conversation.pendingApproval) return message;
    const answer = approvalAnswer(message.text);
    if (answer === undefined) return message;
    return { approval: { approvalId: conversation.pendingApproval.approvalId, approved: answer } };
  }

  async close(): Promise<void> {
    await this.tools.close();
  }
}
