// Remote work (runCommand, installApp) as operations: started at once, tracked in the store so any
// process can read progress (getOperation "task-…"), cancellable, and marked failed when the process
// running it died (the work itself is not resumable: a half-run script is not safe to replay).
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../store/types.ts';
import { ToolError, type ToolErrorJson, toToolError } from './errors.ts';

export const TASK_NAMESPACE = 'mcp';
export const TASK_KIND = 'task';
export const TASK_PREFIX = 'task-';

export type TaskStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TaskRecord {
  id: string;
  kind: 'run-command' | 'install-app';
  mciName: string;
  /** One line: "run `uptime` on demo (3 nodes)". */
  summary: string;
  status: TaskStatus;
  host: string;
  pid: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  progress: { done: number; total: number; message: string };
  cancelRequested: boolean;
  /** The tool's structured result once finished. */
  result?: Record<string, unknown>;
  error?: ToolErrorJson;
}

export interface TaskProgress {
  done: number;
  total: number;
  message: string;
}

export interface TaskContext {
  signal: AbortSignal;
  /** Records progress (throttled to one store write per 250 ms unless done changes). */
  progress(update: TaskProgress): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class TaskRunner {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<TaskRecord> }>();
  private readonly host = hostname();

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  /** Starts `work` in the background; returns the task id at once. */
  async start(
    description: Pick<TaskRecord, 'kind' | 'mciName' | 'summary'> & { total: number },
    work: (context: TaskContext) => Promise<Record<string, unknown>>,
  ): Promise<string> {
    const id = `${TASK_PREFIX}${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const now = this.now();
    await this.store.insert<TaskRecord>(TASK_NAMESPACE, TASK_KIND, id, {
      id,
      kind: description.kind,
      mciName: description.mciName,
      summary: description.summary,
      status: 'running',
      host: this.host,
      pid: process.pid,
      startedAt: now,
      updatedAt: now,
      progress: { done: 0, total: description.total, message: 'started' },
      cancelRequested: false,
    });
    const controller = new AbortController();
    let lastWrite = 0;
    let lastDone = -1;
    let writing: Promise<unknown> = Promise.resolve();
    const context: TaskContext = {
      signal: controller.signal,
      progress: (update) => {
        const now = this.clock();
        if (update.done === lastDone && now - lastWrite < 250) return;
        lastWrite = now;
        lastDone = update.done;
        writing = writing.then(() =>
          this.patch(id, (record) => ({ ...record, progress: update })).catch(() => undefined),
        );
      },
    };
    const done = (async (): Promise<TaskRecord> => {
      let outcome: Pick<TaskRecord, 'status' | 'result' | 'error'>;
      try {
        const result = await work(context);
        outcome = controller.signal.aborted
          ? { status: 'cancelled', result }
          : { status: 'succeeded', result };
      } catch (error) {
        outcome = controller.signal.aborted
          ? { status: 'cancelled', error: toToolError(error).toJSON() }
          : { status: 'failed', error: toToolError(error).toJSON() };
      }
      await writing;
      return this.patch(id, (record) => ({ ...record, ...outcome, finishedAt: this.now() }));
    })();
    // A cancel asked by another process arrives through the store.
    const watcher = setInterval(() => {
      void this.store
        .get<TaskRecord>(TASK_NAMESPACE, TASK_KIND, id)
        .then((record) => {
          if (record?.data.cancelRequested) controller.abort();
        })
        .catch(() => undefined);
    }, 1_000);
    watcher.unref();
    this.running.set(id, { controller, done });
    void done.finally(() => {
      clearInterval(watcher);
      this.running.delete(id);
    });
    return id;
  }

  private async patch(id: string, change: (record: TaskRecord) => TaskRecord): Promise<TaskRecord> {
    return this.store.transaction(async (tx) => {
      const record = await tx.get<TaskRecord>(TASK_NAMESPACE, TASK_KIND, id);
      if (!record) throw new ToolError('OPERATION_NOT_FOUND', `task ${id} does not exist`, 'Check the id.');
      const next = { ...change(record.data), updatedAt: this.now() };
      await tx.update(TASK_NAMESPACE, TASK_KIND, id, next);
      return next;
    });
  }

  /** The task as stored; a task whose process is gone is reported (and recorded) as failed. */
  async get(id: string): Promise<TaskRecord> {
    const record = await this.store.get<TaskRecord>(TASK_NAMESPACE, TASK_KIND, id);
    if (!record) {
      throw new ToolError(
        'OPERATION_NOT_FOUND',
        `operation ${id} does not exist`,
        'Use the operationId that runCommand or installApp returned.',
      );
    }
    const task = record.data;
    if (
      task.status === 'running' &&
      !this.running.has(id) &&
      (task.host !== this.host || !isAlive(task.pid))
    ) {
      if (task.host === this.host) {
        return this.patch(id, (current) => ({
          ...current,
          status: 'failed',
          finishedAt: this.now(),
          error: {
            code: 'PROCESS_DIED',
            message: 'the process running it ended before it finished',
            next: 'Check the nodes with runCommand (e.g. the app health), then run it again if needed.',
            retryable: true,
          },
        }));
      }
    }
    return task;
  }

  /** Resolves when a task of this process has recorded its end; undefined for other processes' tasks. */
  whenDone(id: string): Promise<void> | undefined {
    return this.running.get(id)?.done.then(() => undefined);
  }

  /** Asks the task to stop; a task of this process is aborted at once. */
  async cancel(id: string): Promise<TaskRecord> {
    const task = await this.get(id);
    if (task.status !== 'running') return task;
    const local = this.running.get(id);
    if (local) {
      local.controller.abort(
        new ToolError('OPERATION_CANCELLED', `operation ${id} was cancelled`, 'Nothing to do.'),
      );
      return local.done;
    }
    return this.patch(id, (record) => ({ ...record, cancelRequested: true }));
  }

  /** Tasks of an MCI, newest first. */
  async list(mciName?: string): Promise<TaskRecord[]> {
    const records = await this.store.list<TaskRecord>({
      namespace: TASK_NAMESPACE,
      kind: TASK_KIND,
      ...(mciName ? { where: { mciName } } : {}),
    });
    return records.map((record) => record.data).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Aborts local tasks and waits for them to record their end. */
  async close(): Promise<void> {
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
  }
}
