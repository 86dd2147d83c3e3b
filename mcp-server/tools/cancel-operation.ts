import { z } from 'zod';
import { waitForOperation } from '../progress.ts';
import { describeOperation, OperationOutputSchema, operationOutput } from '../shapes-mci.ts';
import { describeTask, mciOrUndefined, taskOperationOutput } from '../shapes-task.ts';
import { TASK_PREFIX } from '../tasks.ts';
import { defineTool } from '../tool.ts';
import { OperationIdSchema } from './get-operation.ts';

export const cancelOperation = defineTool({
  name: 'cancelOperation',
  title: 'Cancel an operation',
  description:
    'The emergency brake: stops a running operation and undoes what it made. A create or scale being cancelled deletes the VMs and networks it made so far (status rolled-back or cancelled); ' +
    'a runCommand or installApp task ("task-…") is stopped on every node (what already ran on a node is not undone). Needs no confirmation, so use it only when the person asks to stop, or a running operation is clearly wrong. ' +
    'Returns once the operation has ended (with progress notifications while it rolls back); an operation that already ended is left as it is. Next: getMCI or listMCIs to see what remains.',
  input: z.object({
    operationId: OperationIdSchema,
  }),
  output: z.object({
    operation: OperationOutputSchema.describe(
      'The operation after cancelling (status cancelled, rolled-back, or how it ended)',
    ),
    alreadyEnded: z.boolean().describe('True when it had ended before this call, so nothing was cancelled'),
  }),
  // Destructive: a cancelled create deletes what it made. Idempotent: a second cancel finds it ended.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, services, call) {
    if (input.operationId.startsWith(TASK_PREFIX)) {
      const before = await services.tasks.get(input.operationId);
      const task = await services.tasks.cancel(input.operationId);
      const operation = taskOperationOutput(task, await mciOrUndefined(services, task.mciName));
      const alreadyEnded = before.status !== 'running';
      return {
        structured: { operation, alreadyEnded },
        text: alreadyEnded
          ? `Nothing to cancel, it had ended: ${describeTask(task)}`
          : task.status === 'running'
            ? `Cancel requested (it runs in another process): ${describeTask(task)}. Follow it with getOperation.`
            : `Cancelled: ${describeTask(task)}`,
      };
    }
    const mci = await services.mci();
    const before = await mci.engine.getOperation(input.operationId);
    const alreadyEnded = operationOutput(before).done;
    if (!alreadyEnded) {
      // The engine returns once the rollback is done; progress notifications cover the wait.
      const cancelling = mci.engine.cancelOperation(input.operationId);
      cancelling.catch(() => undefined);
      await waitForOperation(services, call, input.operationId);
      await cancelling;
    }
    const operation = operationOutput(await mci.engine.getOperation(input.operationId));
    return {
      structured: { operation, alreadyEnded },
      text: alreadyEnded
        ? `Nothing to cancel, it had ended: ${describeOperation(operation)}`
        : `Cancelled: ${describeOperation(operation)}`,
    };
  },
});
