/**
 * The chat route: one person's message in, the agent's events out as an AI SDK UI message stream.
 * The conversation lives in the store (agent/conversations.ts), so the browser sends only its newest
 * message, and a reload, another tab or the CLI (`s2a ask --conversation`) continue the same thread.
 */
import { randomBytes } from 'node:crypto';
import { createUIMessageStream, createUIMessageStreamResponse, type UIMessageStreamWriter } from 'ai';
import { z } from 'zod';
import type { Agent } from '../agent/agent.ts';
import type { AgentEvent, ConversationState, UserMessage } from '../agent/types.ts';
import type { ChatMessage, ConversationView } from './chat-types.ts';
import { jsonError } from './responses.ts';

const ChatRequestSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, 'the conversation id must be 1–80 letters, digits, "-" or "_"'),
  message: z
    .object({
      role: z.literal('user'),
      parts: z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()),
    })
    .loose()
    .optional(),
  approval: z.object({ approvalId: z.string().min(1), approved: z.boolean() }).optional(),
});

/** The mutating calls that work on an MCI name it in `name`: the UI follows that MCI's nodes. */
function mciNameOf(input: unknown): string | undefined {
  if (input && typeof input === 'object' && 'name' in input) {
    const name = (input as { name: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/**
 * Turns agent events into message parts. Used for history (stored turns → messages) and, chunk by
 * chunk, for the live stream, so a reloaded conversation looks the same as the live one did.
 */
export class EventTranslator {
  private currentToolMci: string | undefined;
  private progressCount = 0;
  /** Whether the current call reported progress: only those get a progress card. */
  private progressShown = false;

  constructor(
    private readonly write: (chunk: Parameters<UIMessageStreamWriter<ChatMessage>['write']>[0]) => void,
  ) {}

  event(event: AgentEvent): void {
    switch (event.type) {
      case 'text': {
        const id = newId('text');
        this.write({ type: 'text-start', id });
        this.write({ type: 'text-delta', id, delta: event.text });
        this.write({ type: 'text-end', id });
        break;
      }
      case 'tool-call':
        this.currentToolMci = mciNameOf(event.input);
        this.progressCount += 1;
        this.progressShown = false;
        this.write({
          type: 'tool-input-available',
          toolCallId: event.callId,
          toolName: event.toolName,
          input: event.input,
          dynamic: true,
        });
        break;
      case 'tool-result':
        if (event.isError) {
          this.write({
            type: 'tool-output-error',
            toolCallId: event.callId,
            errorText: event.summary,
            dynamic: true,
          });
        } else {
          this.write({
            type: 'tool-output-available',
            toolCallId: event.callId,
            output: { summary: event.summary },
            dynamic: true,
          });
        }
        // The progress card of this call, if it has one, stops moving.
        if (!this.progressShown) break;
        this.write({
          type: 'data-progress',
          id: `progress-${this.progressCount}`,
          data: {
            toolName: event.toolName,
            message: event.summary,
            progress: 1,
            total: 1,
            done: true,
            ...(this.currentToolMci ? { mciName: this.currentToolMci } : {}),
          },
        });
        break;
      case 'progress':
        this.progressShown = true;
        this.write({
          type: 'data-progress',
          id: `progress-${this.progressCount}`,
          data: {
            toolName: event.toolName,
            message: event.message,
            progress: event.progress,
            ...(event.total !== undefined ? { total: event.total } : {}),
            ...(this.currentToolMci ? { mciName: this.currentToolMci } : {}),
          },
        });
        break;
      case 'plan':
        // The approval request that follows carries the same plan; a plan alone (a dry run) is shown.
        this.write({ type: 'data-plan', id: newId('plan'), data: event.plan });
        break;
      case 'approval-request':
        this.write({
          type: 'data-approval',
          id: event.approvalId,
          data: { approvalId: event.approvalId, plan: event.plan, actions: event.actions },
        });
        break;
      case 'question':
        this.write({
          type: 'data-question',
          id: newId('question'),
          data: { text: event.text, ...(event.options ? { options: event.options } : {}) },
        });
        break;
      case 'summary':
        this.write({
          type: 'data-summary',
          id: newId('summary'),
          data: {
            text: event.text,
            endpoints: event.endpoints,
            ...(event.mciName ? { mciName: event.mciName } : {}),
          },
        });
        break;
      case 'error':
        this.write({
          type: 'data-error',
          id: newId('error'),
          data: {
            code: event.code,
            message: event.message,
            ...(event.next ? { next: event.next } : {}),
          },
        });
        break;
    }
  }
}

type Part = ChatMessage['parts'][number];

/** Stored events → the parts the live stream produced for them. */
export function eventsToParts(events: readonly AgentEvent[]): Part[] {
  const parts: Part[] = [];
  const dataIndex = new Map<string, number>();
  const toolIndex = new Map<string, number>();
  const translator = new EventTranslator((chunk) => {
    switch (chunk.type) {
      case 'text-delta':
        parts.push({ type: 'text', text: chunk.delta, state: 'done' });
        break;
      case 'tool-input-available':
        toolIndex.set(chunk.toolCallId, parts.length);
        parts.push({
          type: 'dynamic-tool',
          toolName: chunk.toolName,
          toolCallId: chunk.toolCallId,
          state: 'input-available',
          input: chunk.input,
        });
        break;
      case 'tool-output-available':
      case 'tool-output-error': {
        const index = toolIndex.get(chunk.toolCallId);
        const part = index === undefined ? undefined : parts[index];
        if (index === undefined || !part || part.type !== 'dynamic-tool') break;
        const base = { type: 'dynamic-tool' as const, toolName: part.toolName, toolCallId: part.toolCallId };
        parts[index] =
          chunk.type === 'tool-output-available'
            ? { ...base, state: 'output-available', input: part.input, output: chunk.output }
            : { ...base, state: 'output-error', input: part.input, errorText: chunk.errorText };
        break;
      }
      default:
        if (chunk.type.startsWith('data-')) {
          const dataChunk = chunk as { type: `data-${string}`; id?: string; data: unknown };
          const part = { type: dataChunk.type, id: dataChunk.id, data: dataChunk.data } as Part;
          const existing = dataChunk.id ? dataIndex.get(`${dataChunk.type}:${dataChunk.id}`) : undefined;
          if (existing !== undefined) parts[existing] = part;
          else {
            if (dataChunk.id) dataIndex.set(`${dataChunk.type}:${dataChunk.id}`, parts.length);
            parts.push(part);
          }
        }
    }
  });
  for (const event of events) translator.event(event);
  return parts;
}

/** A stored conversation as the chat's messages. */
export function conversationView(conversation: ConversationState): ConversationView {
  const messages: ChatMessage[] = conversation.turns.map((turn, index) => {
    const id = `${conversation.id}-${index}`;
    if (turn.role === 'user') {
      return {
        id,
        role: 'user',
        parts: [{ type: 'text', text: turn.text }],
        metadata: { conversationId: conversation.id, createdAt: turn.at },
      };
    }
    return {
      id,
      role: 'assistant',
      parts: turn.events ? eventsToParts(turn.events) : [{ type: 'text', text: turn.text }],
      metadata: { conversationId: conversation.id, createdAt: turn.at },
    };
  });
  return {
    id: conversation.id,
    title: conversation.title,
    messages,
    ...(conversation.pendingApproval ? { pendingApprovalId: conversation.pendingApproval.approvalId } : {}),
  };
}

/** Conversations being answered right now: a second message to the same one waits its turn. */
const busy = new Set<string>();

export async function handleChat(request: Request, agent: Agent): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(
      400,
      'BAD_REQUEST',
      'the body must be JSON',
      'Send {"id": "<conversation id>", "message": {…}}.',
    );
  }
  const parsed = ChatRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return jsonError(
      400,
      'BAD_REQUEST',
      `${issue?.path.join('.') || 'body'}: ${issue?.message}`,
      'Send {"id": "<conversation id>", "message": {"role": "user", "parts": [{"type": "text", "text": "…"}]}}.',
    );
  }
  const { id, message, approval } = parsed.data;
  let userMessage: UserMessage;
  if (approval) {
    userMessage = { approval };
  } else {
    const text = (message?.parts ?? [])
      .flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : []))
      .join('\n')
      .trim();
    if (!text) {
      return jsonError(
        400,
        'EMPTY_MESSAGE',
        'the message has no text',
        'Type or say what you want s2a to do.',
      );
    }
    if (text.length > 4000) {
      return jsonError(
        400,
        'MESSAGE_TOO_LONG',
        'the message is longer than 4000 characters',
        'Say it in fewer words.',
      );
    }
    userMessage = { text };
  }
  if (busy.has(id)) {
    return jsonError(
      409,
      'BUSY',
      'this conversation is still answering the previous message',
      'Wait for it to finish, or start a new chat.',
    );
  }
  busy.add(id);
  const stream = createUIMessageStream<ChatMessage>({
    execute: async ({ writer }) => {
      writer.write({
        type: 'start',
        messageMetadata: { conversationId: id, createdAt: new Date().toISOString() },
      });
      const translator = new EventTranslator((chunk) => writer.write(chunk));
      // No abort signal: a browser that goes away does not cut an approved plan off half-way.
      try {
        for await (const event of agent.send(id, userMessage)) translator.event(event);
      } finally {
        busy.delete(id);
      }
    },
    onError: (error) => {
      busy.delete(id);
      // The person sees a reason, never a stack; the planners already turn tool errors into events.
      return error instanceof Error ? error.message : String(error);
    },
  });
  return createUIMessageStreamResponse({ stream });
}
