// Remote tasks (runCommand, installApp) in the shape of engine operations, node names as tools take
// them, and command output cut to a size a model can read.
import { z } from 'zod';
import type { MciView } from '../mci/engine.ts';
import { FINAL_OPERATION_STATUSES, type MciNode } from '../mci/model.ts';
import { ToolError } from './errors.ts';
import type { OperationOutput } from './shapes-mci.ts';
import type { TaskRecord } from './tasks.ts';
import type { ToolServices } from './tool.ts';

/** Node names are "<group>-<n>" with safe group names: anything else (free text, instructions) is refused. */
export const NodeNameSchema = z
  .string()
  .min(1)
  .max(40, 'node names are at most 40 characters')
  .regex(
    /^[a-z][a-z0-9-]*$/,
    'node names are "<group>-<n>", lower-case letters, digits and "-" (getMCI lists them)',
  )
  .describe('Node name as getMCI lists it, e.g. "web-1"');

export const NodeListSchema = z
  .array(NodeNameSchema)
  .min(1, 'give at least one node, or leave nodes out for every Running node')
  .max(2000)
  .optional()
  .describe('Node names (getMCI lists them); default every Running node of the MCI');

/** The nodes named (each must exist), or every Running node (all nodes when none is Running). */
export function selectNodes(mci: MciView, names: readonly string[] | undefined): MciNode[] {
  if (names === undefined || names.length === 0) {
    const running = mci.nodes.filter((node) => node.status === 'Running');
    return running.length > 0 ? running : mci.nodes;
  }
  const unknown = [...new Set(names)].filter((name) => !mci.nodes.some((node) => node.name === name));
  if (unknown.length > 0) {
    throw new ToolError(
      'NODE_NOT_FOUND',
      `MCI "${mci.name}" has no node ${unknown.map((name) => `"${name}"`).join(', ')}; its nodes: ${mci.nodes.map((node) => node.name).join(', ') || 'none'}`,
      'Use node names exactly as getMCI lists them, or leave nodes out to use every Running node. Nothing was changed.',
    );
  }
  return mci.nodes.filter((node) => names.includes(node.name));
}

/** The engine view of an MCI, or undefined when it is gone (deleted meanwhile). */
export async function mciOrUndefined(services: ToolServices, name: string): Promise<MciView | undefined> {
  const mci = await services.mci();
  return mci.engine.getMci(name).catch(() => undefined);
}

/** A task as an operation: steps are the task's progress units, nodes the MCI's nodes as they are now. */
export function taskOperationOutput(task: TaskRecord, mci: MciView | undefined): OperationOutput {
  const nodes = mci?.nodes ?? [];
  return {
    operationId: task.id,
    kind: task.kind,
    mciName: task.mciName,
    status: task.status,
    done: task.status !== 'running',
    progress: {
      stepsDone: task.progress.done,
      stepsTotal: Math.max(task.progress.total, task.progress.done),
      nodesReady: nodes.filter((node) => node.status === 'Running').length,
      nodesTotal: nodes.length,
    },
    nodes: nodes.slice(0, 100).map((node) => ({
      name: node.name,
      status: node.status,
      regionId: node.regionId,
      zone: node.zone,
    })),
    recentEvents: [
      `${task.startedAt} info: started: ${task.summary}`,
      `${task.updatedAt} info: ${task.progress.message}`,
      ...(task.finishedAt ? [`${task.finishedAt} info: ${task.status}`] : []),
    ],
    errors: task.error ? [{ code: task.error.code, message: task.error.message }] : [],
  };
}

export function describeTask(task: TaskRecord): string {
  const error = task.error ? ` — ${task.error.code}: ${task.error.message}` : '';
  return `${task.summary}: ${task.status} (${task.progress.done}/${task.progress.total}, ${task.progress.message}), operation ${task.id}${error}`;
}

/** The last `bytes` of `text` (UTF-8), without a broken character at the cut. */
export function tailBytes(text: string, bytes: number): { text: string; droppedBytes: number } {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return { text, droppedBytes: 0 };
  const kept = buffer
    .subarray(buffer.length - bytes)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
  return { text: kept, droppedBytes: buffer.length - Buffer.byteLength(kept, 'utf8') };
}

/** Output shown inside a fence: a fence in the output itself must not end ours. */
export function fenced(text: string): string {
  return `\`\`\`\n${text.replaceAll('```', "'''")}\n\`\`\``;
}

/**
 * The engine runs one operation per MCI at a time. Checked before the person is asked, so nobody
 * approves a change that is then refused.
 */
export async function refuseWhileBusy(services: ToolServices, name: string, what: string): Promise<void> {
  const mci = await services.mci();
  const open = (await mci.engine.journal.listOperations({ mciName: name })).find(
    (operation) => !FINAL_OPERATION_STATUSES.includes(operation.status),
  );
  if (open)
    throw new ToolError(
      'OPERATION_BUSY',
      `cannot ${what} MCI "${name}" while its ${open.kind} operation ${open.id} is ${open.status}`,
      `Wait for it (getOperation ${open.id}) or stop it (cancelOperation), then call again. Nothing was changed.`,
      { retryable: true },
    );
}
