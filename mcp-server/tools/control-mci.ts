import { z } from 'zod';
import { CONTROL_ACTIONS } from '../../mci/engine.ts';
import { MciNameSchema } from '../../mci/model.ts';
import { ToolError } from '../errors.ts';
import { confirmField, requireConfirmation } from '../guard.ts';
import { waitForOperation } from '../progress.ts';
import { describeOperation, OperationOutputSchema, operationOutput, waitField } from '../shapes-mci.ts';
import { NodeNameSchema, refuseWhileBusy, selectNodes } from '../shapes-task.ts';
import { defineTool } from '../tool.ts';

/** What each action does to a node, for the person who approves it. */
const EFFECT: Record<(typeof CONTROL_ACTIONS)[number], string> = {
  suspend: 'stops (the VM keeps its disk; it stops serving until resumed)',
  resume: 'starts again after a suspend',
  reboot: 'restarts (a short outage; running programs are stopped)',
  terminate:
    'destroys the VM and its disk: data on it is lost and this cannot be undone (the node stays listed as Terminated; deleteMCI removes the rest)',
};

export const controlMci = defineTool({
  name: 'controlMCI',
  title: 'Suspend, resume, reboot or terminate',
  description:
    'Suspends, resumes, reboots or terminates every node of an MCI, or one node. suspend stops nodes (resume starts them again); reboot restarts them; terminate destroys VMs and their data for good. ' +
    'Every action needs the approval of the person: show them what it does, then call with confirm: true. ' +
    'Returns an operationId at once (follow it with getOperation) or, with wait: true, blocks with progress until the nodes reach the new status. Next: getMCI to see the status.',
  input: z.object({
    name: MciNameSchema,
    action: z
      .enum(CONTROL_ACTIONS)
      .describe(
        'suspend (stop, keep disk), resume (start again), reboot (restart), terminate (destroy VM and data)',
      ),
    node: NodeNameSchema.optional().describe(
      'One node name (getMCI lists them); every node of the MCI when omitted',
    ),
    confirm: confirmField,
    wait: waitField,
  }),
  output: z.object({
    operation: OperationOutputSchema.describe('The control operation'),
    action: z.string().describe('The action carried out'),
    nodes: z.array(z.string()).describe('Nodes it applies to'),
    mciStatus: z
      .string()
      .nullable()
      .describe('Aggregated MCI status after the wait, e.g. "Suspended:2 (S:2/2)"'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler(input, services, call) {
    const mci = await services.mci();
    const view = await mci.engine.getMci(input.name);
    await refuseWhileBusy(services, input.name, input.action);
    // The engine acts on nodes that have a VM: a node still Pending has nothing to act on yet.
    const targets = (input.node === undefined ? view.nodes : selectNodes(view, [input.node])).filter(
      (node) => node.vmId !== null,
    );
    if (targets.length === 0)
      throw new ToolError(
        'INVALID_REQUEST',
        `${input.node ? `node ${input.node} of ` : ''}MCI "${input.name}" has no VM to ${input.action} (status ${view.status})`,
        'Check the nodes with getMCI; nodes still Pending get their VMs from the running operation (getOperation).',
      );
    const names = targets.map((node) => node.name);
    await requireConfirmation(call, input.confirm, {
      summary: `${input.action} ${names.length} node(s) of MCI "${input.name}" (${names.join(', ')}): each ${EFFECT[input.action]}.`,
      details: { action: input.action, nodes: names },
      next: `Tell the person what ${input.action} does to ${names.join(', ')}; only after they approve, call controlMCI again with the same arguments and confirm: true.`,
    });
    const { operationId } = await mci.engine.controlMci(
      input.name,
      input.action,
      input.node === undefined ? {} : { node: input.node },
    );
    const operation = operationOutput(
      input.wait
        ? await waitForOperation(services, call, operationId)
        : await mci.engine.getOperation(operationId),
    );
    const mciStatus = input.wait
      ? ((await mci.engine.getMci(input.name).catch(() => undefined))?.status ?? null)
      : null;
    return {
      structured: { operation, action: input.action, nodes: names, mciStatus },
      text: input.wait
        ? `${describeOperation(operation)}${mciStatus ? `; MCI ${mciStatus}` : ''}`
        : `Started: ${describeOperation(operation)}. Follow it with getOperation.`,
    };
  },
});
