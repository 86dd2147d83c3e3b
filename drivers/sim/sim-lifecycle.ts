import type { VmStatus } from '../spec/index.ts';

/**
 * The VM state machine, as pure functions over a timeline.
 *
 * A VM keeps its history as entries `{status, at}`; entries may lie in the future (a boot that
 * completes in 40 s is written as `Running` at now + 40 s). The status at any moment is the last
 * entry at or before it, so the world moves on while no process runs: a VM created by a process
 * that was then killed is Running when the next process looks, without anyone writing it.
 *
 *   Creating → Running → Suspending → Suspended → Resuming → Running
 *   Running → Rebooting → Running
 *   (any but Terminated) → Terminating → Terminated;  Creating → Failed (boot failure)
 */
export interface StatusEntry {
  status: VmStatus;
  /** Epoch milliseconds. */
  at: number;
  reason?: string;
}

export type VmAction = 'suspend' | 'resume' | 'reboot' | 'terminate';

export interface CurrentStatus {
  status: VmStatus;
  since: number;
  reason: string | undefined;
}

export function statusAt(history: readonly StatusEntry[], now: number): CurrentStatus {
  let current = history[0];
  if (current === undefined) throw new Error('a VM history is never empty');
  for (const entry of history) {
    if (entry.at <= now) current = entry;
    else break;
  }
  return { status: current.status, since: current.at, reason: current.reason };
}

/** Entries that already happened; scheduled ones are dropped when an action overrides them. */
function past(history: readonly StatusEntry[], now: number): StatusEntry[] {
  return history.filter((entry) => entry.at <= now);
}

export interface ActionLatencies {
  suspendMs: number;
  resumeMs: number;
  rebootMs: number;
  terminateMs: number;
}

export type ActionResult =
  | { kind: 'scheduled'; history: StatusEntry[] }
  | { kind: 'no-op' }
  | { kind: 'refused'; status: VmStatus };

/**
 * Applies an action at `now`. Repeating an action already under way is a no-op (stopping a stopped
 * VM succeeds on real clouds); an action the current status does not allow is refused, like
 * EC2's IncorrectInstanceState.
 */
export function applyAction(
  history: readonly StatusEntry[],
  action: VmAction,
  now: number,
  latencies: ActionLatencies,
): ActionResult {
  const { status } = statusAt(history, now);
  const done = past(history, now);
  const schedule = (during: VmStatus, after: VmStatus, durationMs: number): ActionResult => ({
    kind: 'scheduled',
    history: [...done, { status: during, at: now }, { status: after, at: now + Math.max(1, durationMs) }],
  });
  switch (action) {
    case 'suspend':
      if (status === 'Suspending' || status === 'Suspended') return { kind: 'no-op' };
      if (status !== 'Running') return { kind: 'refused', status };
      return schedule('Suspending', 'Suspended', latencies.suspendMs);
    case 'resume':
      if (status === 'Resuming' || status === 'Running') return { kind: 'no-op' };
      if (status !== 'Suspended') return { kind: 'refused', status };
      return schedule('Resuming', 'Running', latencies.resumeMs);
    case 'reboot':
      if (status === 'Rebooting') return { kind: 'no-op' };
      if (status !== 'Running') return { kind: 'refused', status };
      return schedule('Rebooting', 'Running', latencies.rebootMs);
    case 'terminate':
      if (status === 'Terminating' || status === 'Terminated') return { kind: 'no-op' };
      return schedule('Terminating', 'Terminated', latencies.terminateMs);
  }
}

/** Statuses in which a VM holds its place in a zone and counts against quota. */
export function holdsCapacity(status: VmStatus): boolean {
  return status !== 'Terminated' && status !== 'Failed' && status !== 'Suspended';
}

/** Statuses billed for compute, as clouds bill them (a rebooting VM is still running). */
export function billedForCompute(status: VmStatus): boolean {
  return status === 'Running' || status === 'Rebooting' || status === 'Suspending';
}

/** Milliseconds the history spent in statuses matching `predicate` between `from` and `to`. */
export function timeIn(
  history: readonly StatusEntry[],
  predicate: (status: VmStatus) => boolean,
  from: number,
  to: number,
): number {
  let total = 0;
  for (let index = 0; index < history.length; index++) {
    const entry = history[index] as StatusEntry;
    const next = history[index + 1];
    const start = Math.max(entry.at, from);
    const end = Math.min(next ? next.at : Number.POSITIVE_INFINITY, to);
    if (end > start && predicate(entry.status)) total += end - start;
  }
  return total;
}
