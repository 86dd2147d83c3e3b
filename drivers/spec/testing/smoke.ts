// The skeleton of a driver's live smoke test (`npm run smoke:<provider>`).
// Why here: a smoke test spends real money. Every driver's must skip quietly without credentials,
// delete whatever it made (newest first) whether or not a step failed, and fail the run when a
// deletion fails, so nothing is left running unnoticed. The steps in between are the driver's.
import type { CloudDriver } from '../driver.ts';
import type { Tags } from '../schemas.ts';
import { type WaitForVmStatusOptions, waitForVmStatus } from '../wait.ts';
import { createVmNetwork } from './vm-network.ts';

/** Prints "<name> skipped: <hint>" and ends the process unless the credentials are there. */
export function skipSmokeUnless(name: string, hasCredentials: boolean, hint: string): void {
  if (hasCredentials) return;
  console.log(`${name} skipped: ${hint}`);
  process.exit(0);
}

/** Registers how to undo a step; undone newest first. */
export type Undo = (step: () => Promise<unknown>) => void;

/**
 * Runs `steps`, then every registered undo step and closes the driver, whatever happened; a failed
 * undo step is printed and makes the exit code 1. A failed step rejects after the cleanup.
 */
export async function runSmoke(
  name: string,
  driver: Pick<CloudDriver, 'close'>,
  steps: (undo: Undo) => Promise<void>,
): Promise<void> {
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    await steps((step) => cleanup.unshift(step));
  } finally {
    for (const step of cleanup) {
      try {
        await step();
      } catch (error) {
        console.error(`cleanup step failed: ${String(error)}`);
        process.exitCode = 1;
      }
    }
    await driver.close();
  }
  console.log(process.exitCode ? `${name} finished with cleanup errors` : `${name} passed`);
}

/** What a smoke VM is made of; `run` names everything and `cidrBlock` is the vNet's /16. */
export interface SmokeVmRequest {
  region: string;
  run: string;
  cidrBlock: `${number}.${number}.0.0/16`;
  specId: string;
  imageId: string;
  tags: Tags;
  /** How long to wait for Running and, on cleanup, for Terminated. */
  wait: WaitForVmStatusOptions;
}

/**
 * Creates a throwaway network (createVmNetwork, SSH open) and a VM `<run>-vm` in it, each with its
 * undo step (the VM's waits for Terminated); returns the Running VM.
 */
export async function createSmokeVm(driver: CloudDriver, request: SmokeVmRequest, undo: Undo) {
  const { region, run, tags } = request;
  const { subnet, group, keyPair } = await createVmNetwork(
    driver,
    {
      region,
      name: run,
      cidrBlock: request.cidrBlock,
      tags,
      rules: [{ direction: 'inbound', protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' }],
    },
    undo,
  );
  const vm = await driver.createVm({
    region,
    name: `${run}-vm`,
    specId: request.specId,
    imageId: request.imageId,
    subnetId: subnet.id,
    securityGroupIds: [group.id],
    keyPairId: keyPair.id,
    tags,
  });
  undo(async () => {
    await driver.terminateVm(vm.id);
    await waitForVmStatus(driver, vm.id, ['Terminated'], request.wait);
  });
  return waitForVmStatus(driver, vm.id, ['Running'], request.wait);
}
