import { z } from 'zod';
import { MciNameSchema } from '../../mci/model.ts';
import { confirmField, mciCostPerHour, requireConfirmation, specPrices } from '../guard.ts';
import { waitForOperation } from '../progress.ts';
import { describeOperation, OperationOutputSchema, operationOutput, waitField } from '../shapes-mci.ts';
import { refuseWhileBusy } from '../shapes-task.ts';
import { defineTool } from '../tool.ts';

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

export const deleteMci = defineTool({
  name: 'deleteMCI',
  title: 'Delete an MCI',
  description:
    'Deletes an MCI and everything s2a made for it: all VMs (and their data), then security groups, key pairs, subnets and vNets in every region, and the records of its installed apps. Cannot be undone. ' +
    'Stops its cost. Needs the approval of the person: call without confirm to get what will be deleted and the $/h saved, show it, then call with confirm: true. ' +
    'Returns an operationId at once (follow it with getOperation) or, with wait: true, blocks with progress until everything is gone. Next: listMCIs to check.',
  input: z.object({
    name: MciNameSchema,
    confirm: confirmField,
    wait: waitField,
  }),
  output: z.object({
    operation: OperationOutputSchema.describe('The delete operation'),
    deleted: z
      .object({
        nodes: z.array(z.string()).describe('Node names whose VMs are deleted'),
        regions: z
          .array(
            z.object({
              regionId: z.string().describe('Region "provider+region"'),
              vNet: z.string().nullable().describe('vNet id'),
              subnets: z.array(z.string()).describe('Subnet ids'),
              securityGroup: z.string().nullable().describe('Security group id'),
              keyPair: z.string().nullable().describe('Key pair id'),
            }),
          )
          .describe('Network resources per region'),
        apps: z.array(z.string()).describe('Apps installed on it, whose records go too'),
      })
      .describe('What the delete removes'),
    savedPerHour: z.number().describe('USD per hour it stops costing'),
    gone: z.boolean().describe('True when, after the wait, the MCI no longer exists'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, services, call) {
    const mci = await services.mci();
    const view = await mci.engine.getMci(input.name);
    await refuseWhileBusy(services, input.name, 'delete');
    const savedPerHour = round(await mciCostPerHour(mci, input.name, specPrices(services.runtime)));
    const apps = (await mci.listApps(input.name)).map((record) => record.app);
    const deleted = {
      nodes: view.nodes.map((node) => node.name),
      regions: Object.values(view.regions).map((region) => ({
        regionId: region.regionId,
        vNet: region.vNetId ?? null,
        subnets: Object.values(region.subnetIds),
        securityGroup: region.securityGroupId ?? null,
        keyPair: region.keyPairId ?? null,
      })),
      apps,
    };
    const regionIds = deleted.regions.map((region) => region.regionId);
    await requireConfirmation(call, input.confirm, {
      summary:
        `Delete MCI "${input.name}" for good: ${deleted.nodes.length} VM(s) (${deleted.nodes.join(', ') || 'none'}) and their data, ` +
        `the networks, security groups and key pairs in ${regionIds.join(', ') || 'no region'}` +
        `${apps.length > 0 ? `, apps ${apps.join(', ')}` : ''}. Saves $${savedPerHour.toFixed(4)}/h. This cannot be undone.`,
      details: { deleted, savedPerHour },
      next: 'Show the person what will be deleted and the $/h saved; only after they approve, call deleteMCI again with the same name and confirm: true.',
    });
    const { operationId } = await mci.engine.deleteMci(input.name);
    const operation = operationOutput(
      input.wait
        ? await waitForOperation(services, call, operationId)
        : await mci.engine.getOperation(operationId),
    );
    const gone = input.wait
      ? (await mci.engine.getMci(input.name).catch(() => undefined)) === undefined
      : false;
    return {
      structured: { operation, deleted, savedPerHour, gone },
      text: input.wait
        ? `${describeOperation(operation)}${gone ? `; MCI ${input.name} is gone, saving $${savedPerHour.toFixed(4)}/h` : ''}`
        : `Started: ${describeOperation(operation)}. Follow it with getOperation.`,
    };
  },
});
