// Long operations seen from a tool call: start at once and return the id, or (wait: true) block
// while sending progress notifications, and cancel the operation when the request is cancelled.
import { setTimeout as sleep } from 'node:timers/promises';
import type { OperationView } from '../mci/engine.ts';
import { FINAL_OPERATION_STATUSES } from '../mci/model.ts';
import type { TaskRecord } from './tasks.ts';
import type { ToolCall, ToolServices } from './tool.ts';

/** Between two progress notifications; the issue asks for at most 5 s, clients time out at ~60 s. */
export const PROGRESS_INTERVAL_MS = 1_000;
/** How long `wait: true` blocks before handing back the id of a still-running operation. */
export const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;

export function describeOperationProgress(view: OperationView): string {
  const { stepsDone, stepsTotal, nodesReady, nodesTotal } = view.progress;
  const last = view.events.at(-1)?.message;
  return `${view.kind} ${view.mciName}: ${view.status}, steps ${stepsDone}/${stepsTotal}, nodes ready ${nodesReady}/${nodesTotal}${last ? ` — ${last}` : ''}`;
}

/**
 * Polls the engine operation until it ends, sending progress; cancels it when the request is
 * cancelled. Returns the last view (still running when the wait timed out).
 */
export async function waitForOperation(
  services: ToolServices,
  call: ToolCall,
  operationId: string,
  timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
): Promise<OperationView> {
  const { engine } = await services.mci();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await engine.getOperation(operationId);
    const { stepsDone, stepsTotal } = view.progress;
    await call.progress(stepsDone, Math.max(stepsTotal, stepsDone), describeOperationProgress(view));
    if (FINAL_OPERATION_STATUSES.includes(view.status) || Date.now() > deadline) return view;
    if (call.signal.aborted) {
      // The client gave up on the request: stop the work it started and clean up.
      await engine.cancelOperation(operationId).catch(() => undefined);
      return engine.getOperation(operationId);
    }
    await sleep(PROGRESS_INTERVAL_MS, undefined, { signal: call.signal }).catch(() => undefined);
  }
}

/** The same for remote tasks (runCommand, installApp). */
export async function waitForTask(
  services: ToolServices,
  call: ToolCall,
  taskId: string,
  timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
): Promise<TaskRecord> {
  const deadline = Date.now() + timeoutMs;
  const done = services.tasks.whenDone(taskId) ?? new Promise<void>(() => {});
  for (;;) {
    const task = await services.tasks.get(taskId);
    await call.progress(task.progress.done, task.progress.total, `${task.summary}: ${task.progress.message}`);
    if (task.status !== 'running' || Date.now() > deadline) return task;
    if (call.signal.aborted) return services.tasks.cancel(taskId);
    await Promise.race([
      done,
      sleep(PROGRESS_INTERVAL_MS, undefined, { signal: call.signal }).catch(() => undefined),
    ]);
  }
}
