/**
 * The MCP tool listing as AI SDK tools. Every call goes through the ToolClient (so progress
 * notifications become progress events), and tools that spend or destroy carry needsApproval: the
 * AI SDK runs them only after the person approved, and then with confirm: true added here. The model
 * never sees the confirm field, so it cannot approve on the person's behalf.
 */
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import {
  dynamicTool,
  type JSONSchema7,
  type JSONValue,
  jsonSchema,
  type ToolResultPart,
  type ToolSet,
} from 'ai';
import type { ToolCallOutcome, ToolClient } from '../tool-client.ts';
import type { AgentEvent } from '../types.ts';

/** What a tool result says to the model (the AI SDK does not export the type by this name). */
type ToolResultOutput = ToolResultPart['output'];

/** Tools that change things but need no approval: stopping runaway work must never wait for a person. */
const NO_APPROVAL = new Set(['cancelOperation']);

/** Largest tool result sent back to the model, in characters of JSON; longer lists are cut. */
export const MAX_MODEL_OUTPUT_CHARS = 16_000;

/** Written for the model: the MCP descriptions speak of confirm, which it does not have here. */
const APPROVAL_NOTE =
  ' In this chat the person approves it: call it with the exact arguments (no confirm field) and s2a shows them the plan and asks; it runs only if they approve.';

/** True for tools that need the person's approval: anything not marked read-only (unknown counts as mutating). */
export function needsApproval(tool: McpTool): boolean {
  return tool.annotations?.readOnlyHint !== true && !NO_APPROVAL.has(tool.name);
}

function properties(schema: McpTool['inputSchema']): Record<string, unknown> {
  const value = (schema as { properties?: unknown }).properties;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

export function hasInputField(tool: McpTool, field: string): boolean {
  return Object.hasOwn(properties(tool.inputSchema), field);
}

/** The input schema the model sees: without confirm (approval is the person's) and without $schema. */
export function modelInputSchema(tool: McpTool): JSONSchema7 {
  const schema = structuredClone(tool.inputSchema) as Record<string, unknown>;
  delete schema.$schema;
  const fields = { ...properties(tool.inputSchema) };
  delete fields.confirm;
  schema.properties = fields;
  if (Array.isArray(schema.required)) {
    schema.required = (schema.required as unknown[]).filter((name) => name !== 'confirm');
  }
  schema.type = 'object';
  return schema as JSONSchema7;
}

/** One line for a compact card. */
export function summariseOutcome(outcome: ToolCallOutcome): string {
  const line = outcome.isError
    ? `${outcome.error?.code ?? 'ERROR'}: ${outcome.error?.message ?? outcome.text}`
    : (outcome.text.split('\n').find((text) => text.trim().length > 0) ?? 'done');
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** What the event carries: the structured result, or the error JSON the server sent. */
export function outcomePayload(outcome: ToolCallOutcome): unknown {
  if (outcome.isError) return { error: outcome.error, ...(outcome.details ?? {}) };
  return outcome.structured ?? { text: outcome.text };
}

function largestArray(value: unknown): unknown[] | undefined {
  let best: unknown[] | undefined;
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      if (!best || node.length > best.length) best = node;
      for (const item of node) visit(item);
    } else if (node && typeof node === 'object') {
      for (const item of Object.values(node)) visit(item);
    }
  };
  visit(value);
  return best;
}

/** A JSON value cut to fit: the longest lists are halved until it fits, with a note saying so. */
export function fitJson(value: unknown, maxChars = MAX_MODEL_OUTPUT_CHARS): unknown {
  if (JSON.stringify(value).length <= maxChars) return value;
  const copy = structuredClone(value);
  for (let attempt = 0; attempt < 30; attempt++) {
    const array = largestArray(copy);
    if (!array || array.length <= 1) break;
    array.splice(Math.ceil(array.length / 2));
    if (JSON.stringify(copy).length <= maxChars) {
      return copy && typeof copy === 'object' && !Array.isArray(copy)
        ? { ...copy, truncated: 'Some lists were cut to fit; narrow the query for the rest.' }
        : copy;
    }
  }
  return { truncated: JSON.stringify(value).slice(0, maxChars) };
}

/** What the model reads back: errors as {error: {code, message, next}, ...details}, results as their JSON. */
export function toModelOutput(outcome: ToolCallOutcome): ToolResultOutput {
  if (outcome.isError) {
    return { type: 'error-json', value: fitJson(outcomePayload(outcome)) as JSONValue };
  }
  return { type: 'json', value: fitJson(outcomePayload(outcome)) as JSONValue };
}

/** A tool that ran: what the planner remembers of it for the summary and "it". */
export interface ExecutedCall {
  callId: string;
  toolName: string;
  input: Record<string, unknown>;
  outcome: ToolCallOutcome;
}

export interface ToolContext {
  tools: ToolClient;
  emit(event: AgentEvent): void;
  executed(call: ExecutedCall): void;
  signal?: AbortSignal;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The arguments sent to the server: confirm only for approved mutating calls; long work waits with progress. */
export function callArguments(tool: McpTool, input: Record<string, unknown>): Record<string, unknown> {
  const { confirm: _ignored, ...rest } = input;
  const args: Record<string, unknown> = { ...rest };
  // Waiting with progress notifications costs no model steps; polling getOperation would.
  if (hasInputField(tool, 'wait') && args.wait === undefined) args.wait = true;
  // Only reached after the person approved: the AI SDK does not execute needsApproval tools otherwise.
  if (needsApproval(tool) && hasInputField(tool, 'confirm')) args.confirm = true;
  return args;
}

/** The AI SDK tool set for one planner turn. */
export function toolSetFor(listing: readonly McpTool[], context: ToolContext): ToolSet {
  const set: ToolSet = {};
  for (const tool of listing) {
    const approval = needsApproval(tool);
    set[tool.name] = dynamicTool({
      description: `${tool.description ?? tool.title ?? tool.name}${approval ? APPROVAL_NOTE : ''}`,
      inputSchema: jsonSchema(modelInputSchema(tool)),
      needsApproval: approval,
      execute: async (input, options) => {
        const callId = options.toolCallId;
        if (!isRecord(input)) {
          const outcome: ToolCallOutcome = {
            isError: true,
            structured: undefined,
            text: 'the input must be a JSON object',
            error: {
              code: 'INVALID_INPUT',
              message: `${tool.name}: the input must be a JSON object of named fields`,
              next: 'Call again with an object matching the input schema.',
              retryable: false,
            },
          };
          context.emit({ type: 'tool-call', callId, toolName: tool.name, input });
          context.emit({
            type: 'tool-result',
            callId,
            toolName: tool.name,
            isError: true,
            summary: summariseOutcome(outcome),
            output: outcomePayload(outcome),
          });
          return outcome;
        }
        const args = callArguments(tool, input);
        context.emit({ type: 'tool-call', callId, toolName: tool.name, input: args });
        const signal = options.abortSignal ?? context.signal;
        const outcome = await context.tools.callTool(tool.name, args, {
          ...(signal ? { signal } : {}),
          onProgress: (progress) =>
            context.emit({
              type: 'progress',
              toolName: tool.name,
              message: progress.message ?? '',
              progress: progress.progress,
              ...(progress.total !== undefined ? { total: progress.total } : {}),
            }),
        });
        context.emit({
          type: 'tool-result',
          callId,
          toolName: tool.name,
          isError: outcome.isError,
          summary: summariseOutcome(outcome),
          output: outcomePayload(outcome),
        });
        context.executed({ callId, toolName: tool.name, input: args, outcome });
        return outcome;
      },
      toModelOutput: ({ output }) => toModelOutput(output as ToolCallOutcome),
    });
  }
  return set;
}
