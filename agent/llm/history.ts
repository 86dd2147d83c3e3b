/**
 * The model's message history as the conversation stores it: plain JSON, bounded, and always
 * consistent (every tool call answered), because providers reject a history with a tool call
 * that has no result, and a stored history outlives the process that wrote it.
 */
import { type ModelMessage, modelMessageSchema, type ToolResultPart } from 'ai';

/** Messages kept between turns; older ones are dropped at a user message, so "it" still resolves via lastMciName. */
export const MAX_HISTORY_MESSAGES = 40;

/** A deep copy that survives JSON.stringify and the store (no undefined, no class instances). */
export function toJsonMessages(messages: readonly ModelMessage[]): ModelMessage[] {
  return JSON.parse(JSON.stringify(messages)) as ModelMessage[];
}

/** Stored messages, or [] when they are missing or not valid messages any more (a format change). */
export function restoreMessages(value: unknown): ModelMessage[] {
  if (!Array.isArray(value)) return [];
  const parsed = modelMessageSchema.array().safeParse(value);
  return parsed.success ? (parsed.data as ModelMessage[]) : [];
}

/**
 * The last messages, at most `limit`, starting at a user message so no tool result loses its call.
 * A single exchange longer than the limit is kept whole from its user message.
 */
export function trimHistory(messages: readonly ModelMessage[], limit = MAX_HISTORY_MESSAGES): ModelMessage[] {
  if (messages.length <= limit) return [...messages];
  let start = -1;
  for (let index = messages.length - limit; index < messages.length; index++) {
    if (messages[index]?.role === 'user') {
      start = index;
      break;
    }
  }
  if (start === -1) {
    for (let index = messages.length - 1; index >= 0; index--) {
      if (messages[index]?.role === 'user') {
        start = index;
        break;
      }
    }
  }
  return messages.slice(Math.max(start, 0));
}

/** Tool call ids of the history that have no tool-result yet, with the index of their assistant message. */
export function unansweredToolCalls(
  messages: readonly ModelMessage[],
): { index: number; toolCallId: string; toolName: string }[] {
  const answered = new Set<string>();
  for (const message of messages) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) if (part.type === 'tool-result') answered.add(part.toolCallId);
  }
  const open: { index: number; toolCallId: string; toolName: string }[] = [];
  messages.forEach((message, index) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return;
    for (const part of message.content) {
      if (part.type === 'tool-call' && !part.providerExecuted && !answered.has(part.toolCallId)) {
        open.push({ index, toolCallId: part.toolCallId, toolName: part.toolName });
      }
    }
  });
  return open;
}

/**
 * Answers every unanswered tool call with `output` (a denial when the person moved on, an error
 * when a turn was interrupted), right after its assistant message. Returns a new array.
 */
export function closeUnansweredToolCalls(
  messages: readonly ModelMessage[],
  output: ToolResultPart['output'],
): ModelMessage[] {
  const open = unansweredToolCalls(messages);
  if (open.length === 0) return [...messages];
  const result = messages.map((message) =>
    message.role === 'tool' ? { ...message, content: [...message.content] } : message,
  );
  // From the end, so inserting a tool message does not shift the indexes still to visit.
  const byIndex = new Map<number, ToolResultPart[]>();
  for (const call of open) {
    const parts = byIndex.get(call.index) ?? [];
    parts.push({ type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output });
    byIndex.set(call.index, parts);
  }
  for (const index of [...byIndex.keys()].sort((a, b) => b - a)) {
    const parts = byIndex.get(index) ?? [];
    const next = result[index + 1];
    if (next?.role === 'tool') next.content.push(...parts);
    else result.splice(index + 1, 0, { role: 'tool', content: parts });
  }
  return result;
}
