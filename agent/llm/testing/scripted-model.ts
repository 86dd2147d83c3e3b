/**
 * A MockLanguageModelV3 whose replies are chosen by a script from the prompt it receives, so a test
 * reads like a conversation: "after searchSpecs answered, review the cheapest spec".
 */
import { simulateReadableStream } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';

// The provider spec types, taken from the mock so this file needs no transitive package.
type LanguageModelV3CallOptions = Parameters<MockLanguageModelV3['doStream']>[0];
type StreamOf<T> = T extends ReadableStream<infer Part> ? Part : never;
type LanguageModelV3StreamPart = StreamOf<Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream']>;

export interface ScriptedCall {
  toolName: string;
  input: Record<string, unknown>;
}

export interface ScriptedReply {
  text?: string;
  toolCalls?: ScriptedCall[];
}

type Prompt = LanguageModelV3CallOptions['prompt'];
export type PromptMessage = Prompt[number];

/** A tool result as the model received it. */
export interface SeenToolResult {
  toolName: string;
  type: string;
  value: unknown;
}

/** The tool results of the last tool message of the prompt (what the model is reacting to). */
export function lastToolResults(prompt: Prompt): SeenToolResult[] {
  const last = prompt.at(-1);
  if (last?.role !== 'tool') return [];
  return last.content.flatMap((part) =>
    part.type === 'tool-result'
      ? [
          {
            toolName: part.toolName,
            type: part.output.type,
            value:
              'value' in part.output
                ? part.output.value
                : 'reason' in part.output
                  ? part.output.reason
                  : undefined,
          },
        ]
      : [],
  );
}

/** The text of the last user message. */
export function lastUserText(prompt: Prompt): string {
  for (let index = prompt.length - 1; index >= 0; index--) {
    const message = prompt[index];
    if (message?.role !== 'user') continue;
    return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ');
  }
  return '';
}

export function systemText(prompt: Prompt): string {
  return prompt.flatMap((message) => (message.role === 'system' ? [message.content] : [])).join('\n');
}

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

let callCounter = 0;

function streamParts(reply: ScriptedReply): LanguageModelV3StreamPart[] {
  const parts: LanguageModelV3StreamPart[] = [{ type: 'stream-start', warnings: [] }];
  if (reply.text) {
    parts.push(
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: reply.text },
      { type: 'text-end', id: 't1' },
    );
  }
  for (const call of reply.toolCalls ?? []) {
    callCounter += 1;
    parts.push({
      type: 'tool-call',
      toolCallId: `call-${callCounter}`,
      toolName: call.toolName,
      input: JSON.stringify(call.input),
    });
  }
  const calls = (reply.toolCalls ?? []).length > 0;
  parts.push({
    type: 'finish',
    usage: USAGE,
    finishReason: { unified: calls ? 'tool-calls' : 'stop', raw: calls ? 'tool_calls' : 'stop' },
  });
  return parts;
}

/** A mock model answering each call with script(prompt); `prompts` records what it was sent. */
export function scriptedModel(script: (prompt: Prompt, call: number) => ScriptedReply): {
  model: MockLanguageModelV3;
  prompts: Prompt[];
} {
  const prompts: Prompt[] = [];
  const model = new MockLanguageModelV3({
    doStream: async (options) => {
      prompts.push(options.prompt);
      const reply = script(options.prompt, prompts.length);
      return { stream: simulateReadableStream({ chunks: streamParts(reply), chunkDelayInMs: null }) };
    },
  });
  return { model, prompts };
}
