// What one MCP tool is: a name, text written for a model, zod input and output schemas, the four
// annotations, and a handler. Tool files export one `defineTool(...)` each; server.ts registers them.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Catalog } from '../catalog/catalog.ts';
import type { MciService } from '../mci/service.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { McpConfig } from './config.ts';
import type { TaskRunner } from './tasks.ts';

/** What a handler may use. One per server; `call` is per request. */
export interface ToolServices {
  runtime: Runtime;
  config: McpConfig;
  catalog(): Promise<Catalog>;
  mci(): Promise<MciService>;
  tasks: TaskRunner;
}

/** The request being served: cancellation, progress, and a way to ask the person. */
export interface ToolCall {
  signal: AbortSignal;
  /** Sends a progress notification when the client asked for progress (a progressToken); else nothing. */
  progress(progress: number, total: number | undefined, message: string): Promise<void>;
  /** True when the client can show a form to the person (MCP elicitation). */
  canElicit: boolean;
  /** The low-level server, for elicitation. */
  server: Server;
}

export interface ToolResult<Output> {
  structured: Output;
  /** A short summary for clients that only show text; the structured content has the details. */
  text: string;
}

/** Every field required: a tool that leaves one out does not compile. */
export interface RequiredAnnotations extends ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ToolDefinition<
  Input extends z.ZodObject = z.ZodObject,
  Output extends z.ZodObject = z.ZodObject,
> {
  /** camelCase, as in DESIGN.md. */
  name: string;
  title: string;
  /** What it does, when to use it, what to call next. */
  description: string;
  input: Input;
  output: Output;
  annotations: RequiredAnnotations;
  handler(
    input: z.output<Input>,
    services: ToolServices,
    call: ToolCall,
  ): Promise<ToolResult<z.input<Output>>>;
}

/** Identity with types: keeps each tool file's handler checked against its own schemas. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: ToolDefinition<Input, Output>,
): ToolDefinition<Input, Output> {
  return definition;
}

/** Annotations of tools that only read. */
export const READ_ONLY: RequiredAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
