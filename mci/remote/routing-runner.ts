import type { CommandResult, CommandRunner, RemoteTarget, RunOptions } from './types.ts';

/**
 * Sends each target to the runner `pick` chooses, e.g. the sim's shell for nodes on sim
 * connections and SSH for the others, and returns the results in the targets' order.
 * Concurrency applies per runner.
 */
export class RoutingCommandRunner implements CommandRunner {
  constructor(private readonly pick: (target: RemoteTarget) => CommandRunner) {}

  async run(targets: readonly RemoteTarget[], script: string, options: RunOptions): Promise<CommandResult[]> {
    const groups = new Map<CommandRunner, { target: RemoteTarget; index: number }[]>();
    targets.forEach((target, index) => {
      const runner = this.pick(target);
      const group = groups.get(runner) ?? [];
      group.push({ target, index });
      groups.set(runner, group);
    });
    const results = new Array<CommandResult>(targets.length);
    await Promise.all(
      [...groups].map(async ([runner, group]) => {
        const answers = await runner.run(
          group.map((entry) => entry.target),
          script,
          options,
        );
        answers.forEach((answer, position) => {
          const entry = group[position];
          if (entry) results[entry.index] = answer;
        });
      }),
    );
    return results;
  }
}
