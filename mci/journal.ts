// The operation journal: operations, their steps and events, in the store (namespace "mci").
// A step is written BEFORE its provider call (status running, attempts + 1, idempotency key) and
// AFTER it (succeeded with the resource id, or failed with the error), so a process that resumes
// the operation re-runs an unfinished step with the same key and gets the same resource back.
import { createHash, randomBytes } from 'node:crypto';
import { isDriverError } from '../drivers/spec/index.ts';
import type { Store } from '../store/types.ts';
import type { ErrorRecord, Operation, OperationEvent, Step } from './model.ts';
import { MCI_NAMESPACE } from './review.ts';

/** Drivers accept idempotency keys of at most 64 characters. */
const MAX_KEY_LENGTH = 64;

/** `<operationId>:<stepId>`, hashed when too long for the drivers; deterministic either way. */
export function idempotencyKey(operationId: string, stepId: string): string {
  const key = `${operationId}:${stepId}`;
  if (key.length <= MAX_KEY_LENGTH) return key;
  const room = MAX_KEY_LENGTH - operationId.length - 1;
  return `${operationId}:${createHash('sha256').update(stepId).digest('hex').slice(0, room)}`;
}

export function newOperationId(): string {
  return `op-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function errorRecord(error: unknown, at: string, stepId?: string): ErrorRecord {
  const code =
    isDriverError(error) || (error instanceof Error && 'code' in error && typeof error.code === 'string')
      ? String((error as { code: string }).code)
      : 'INTERNAL';
  const retryable =
    error instanceof Error && 'retryable' in error
      ? Boolean((error as { retryable: unknown }).retryable)
      : false;
  return {
    code,
    message: error instanceof Error ? error.message : String(error),
    retryable,
    at,
    ...(stepId ? { stepId } : {}),
  };
}

export class Journal {
  private eventCounter = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  now(): string {
    return new Date(this.clock()).toISOString();
  }

  async getOperation(operationId: string): Promise<Operation | undefined> {
    return (await this.store.get<Operation>(MCI_NAMESPACE, 'operation', operationId))?.data;
  }

  async listOperations(where: Record<string, string> = {}): Promise<Operation[]> {
    return (await this.store.list<Operation>({ namespace: MCI_NAMESPACE, kind: 'operation', where })).map(
      (record) => record.data,
    );
  }

  /** Read-modify-write of the operation in one transaction. */
  async updateOperation(
    operationId: string,
    change: (operation: Operation) => Operation,
  ): Promise<Operation> {
    return this.store.transaction(async (tx) => {
      const record = await tx.get<Operation>(MCI_NAMESPACE, 'operation', operationId);
      if (!record) throw new Error(`operation ${operationId} vanished from the store`);
      const next = { ...change(record.data), updatedAt: this.now() };
      await tx.update(MCI_NAMESPACE, 'operation', operationId, next, record.revision);
      return next;
    });
  }

  async getStep(operationId: string, stepId: string): Promise<Step | undefined> {
    return (await this.store.get<Step>(MCI_NAMESPACE, 'step', `${operationId}/${stepId}`))?.data;
  }

  async listSteps(operationId: string): Promise<Step[]> {
    return (
      await this.store.list<Step>({ namespace: MCI_NAMESPACE, kind: 'step', idPrefix: `${operationId}/` })
    ).map((record) => record.data);
  }

  /** BEFORE the provider call: the step is running, one more attempt, with its idempotency key. */
  async beginStep(
    operationId: string,
    stepId: string,
    kind: Step['kind'],
    regionId: string,
    data?: Record<string, string>,
  ): Promise<Step> {
    return this.store.transaction(async (tx) => {
      const id = `${operationId}/${stepId}`;
      const existing = (await tx.get<Step>(MCI_NAMESPACE, 'step', id))?.data;
      const step: Step = {
        operationId,
        id: stepId,
        kind,
        regionId,
        status: 'running',
        attempts: (existing?.attempts ?? 0) + 1,
        idempotencyKey: idempotencyKey(operationId, stepId),
        startedAt: existing?.startedAt ?? this.now(),
        ...((existing?.data ?? data) ? { data: { ...data, ...existing?.data } } : {}),
      };
      await tx.put(MCI_NAMESPACE, 'step', id, step);
      return step;
    });
  }

  /** AFTER the provider call. */
  async finishStep(operationId: string, stepId: string, resourceId: string | undefined): Promise<void> {
    await this.patchStep(operationId, stepId, (step) => ({
      ...step,
      status: 'succeeded',
      ...(resourceId ? { resourceId } : {}),
      finishedAt: this.now(),
    }));
  }

  async failStep(operationId: string, stepId: string, error: unknown): Promise<void> {
    await this.patchStep(operationId, stepId, (step) => ({
      ...step,
      status: 'failed',
      error: errorRecord(error, this.now(), stepId),
      finishedAt: this.now(),
    }));
  }

  private async patchStep(operationId: string, stepId: string, change: (step: Step) => Step): Promise<void> {
    await this.store.transaction(async (tx) => {
      const id = `${operationId}/${stepId}`;
      const record = await tx.get<Step>(MCI_NAMESPACE, 'step', id);
      if (record) await tx.put(MCI_NAMESPACE, 'step', id, change(record.data));
    });
  }

  async event(
    operationId: string,
    level: OperationEvent['level'],
    message: string,
    stepId?: string,
  ): Promise<void> {
    const now = this.clock();
    const id = `${operationId}/${now.toString().padStart(15, '0')}-${(this.eventCounter++).toString().padStart(6, '0')}-${randomBytes(2).toString('hex')}`;
    await this.store.put<OperationEvent>(MCI_NAMESPACE, 'event', id, {
      at: new Date(now).toISOString(),
      level,
      message,
      ...(stepId ? { stepId } : {}),
    });
  }

  async listEvents(operationId: string): Promise<OperationEvent[]> {
    return (
      await this.store.list<OperationEvent>({
        namespace: MCI_NAMESPACE,
        kind: 'event',
        idPrefix: `${operationId}/`,
      })
    ).map((record) => record.data);
  }
}
