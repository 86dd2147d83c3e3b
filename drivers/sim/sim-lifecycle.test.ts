import { describe, expect, it } from 'vitest';
import {
  type ActionLatencies,
  applyAction,
  billedForCompute,
  type StatusEntry,
  statusAt,
  timeIn,
} from './sim-lifecycle.ts';

const latencies: ActionLatencies = { suspendMs: 30, resumeMs: 40, rebootMs: 20, terminateMs: 50 };
const booting: StatusEntry[] = [
  { status: 'Creating', at: 0 },
  { status: 'Running', at: 100 },
];

describe('VM lifecycle', () => {
  it.each([
    [0, 'Creating'],
    [99, 'Creating'],
    [100, 'Running'],
    [10_000, 'Running'],
  ] as const)('at %i ms a booting VM is %s', (now, expected) => {
    expect(statusAt(booting, now).status).toBe(expected);
  });

  it.each([
    // action, at, expected result kind, status right after, status after the latency
    ['suspend', 200, 'scheduled', 'Suspending', 'Suspended'],
    ['reboot', 200, 'scheduled', 'Rebooting', 'Running'],
    ['terminate', 200, 'scheduled', 'Terminating', 'Terminated'],
    ['terminate', 50, 'scheduled', 'Terminating', 'Terminated'],
    ['resume', 200, 'no-op', 'Running', 'Running'],
    ['suspend', 50, 'refused', 'Creating', 'Running'],
    ['reboot', 50, 'refused', 'Creating', 'Running'],
  ] as const)('%s at %i ms is %s', (action, now, kind, during, after) => {
    const result = applyAction(booting, action, now, latencies);
    expect(result.kind).toBe(kind);
    const history = result.kind === 'scheduled' ? result.history : booting;
    expect(statusAt(history, now).status).toBe(during);
    expect(statusAt(history, now + 1000).status).toBe(after);
  });

  it('terminating a VM that is still booting drops its scheduled Running', () => {
    const result = applyAction(booting, 'terminate', 50, latencies);
    expect(result.kind).toBe('scheduled');
    if (result.kind !== 'scheduled') return;
    expect(result.history.map((entry) => entry.status)).toEqual(['Creating', 'Terminating', 'Terminated']);
  });

  it('suspend then resume comes back Running; repeating an action under way is a no-op', () => {
    const suspended = applyAction(booting, 'suspend', 200, latencies);
    if (suspended.kind !== 'scheduled') throw new Error('expected scheduled');
    expect(applyAction(suspended.history, 'suspend', 210, latencies).kind).toBe('no-op');
    expect(applyAction(suspended.history, 'resume', 210, latencies)).toEqual({
      kind: 'refused',
      status: 'Suspending',
    });
    const resumed = applyAction(suspended.history, 'resume', 300, latencies);
    if (resumed.kind !== 'scheduled') throw new Error('expected scheduled');
    expect(statusAt(resumed.history, 310).status).toBe('Resuming');
    expect(statusAt(resumed.history, 340).status).toBe('Running');
  });

  it('terminated VMs refuse every action but terminate, which is a no-op', () => {
    const terminated = applyAction(booting, 'terminate', 200, latencies);
    if (terminated.kind !== 'scheduled') throw new Error('expected scheduled');
    for (const action of ['suspend', 'resume', 'reboot'] as const) {
      expect(applyAction(terminated.history, action, 1000, latencies)).toEqual({
        kind: 'refused',
        status: 'Terminated',
      });
    }
    expect(applyAction(terminated.history, 'terminate', 1000, latencies).kind).toBe('no-op');
  });

  it('meters compute time only while running', () => {
    const history: StatusEntry[] = [
      { status: 'Creating', at: 0 },
      { status: 'Running', at: 100 },
      { status: 'Suspending', at: 300 },
      { status: 'Suspended', at: 330 },
      { status: 'Resuming', at: 500 },
      { status: 'Running', at: 540 },
    ];
    // Running 100→300 (200) + Suspending 300→330 (30) + Running 540→600 (60)
    expect(timeIn(history, billedForCompute, 0, 600)).toBe(290);
    expect(timeIn(history, billedForCompute, 200, 320)).toBe(120);
  });
});
