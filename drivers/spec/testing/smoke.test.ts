import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSmoke } from './smoke.ts';

describe('runSmoke', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('undoes the steps newest first and closes the driver, also when a step fails', async () => {
    const log: string[] = [];
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const driver = { close: async () => void log.push('close') };
    const failing = runSmoke('smoke:test', driver, async (undo) => {
      undo(async () => log.push('delete vNet'));
      undo(async () => log.push('delete VM'));
      throw new Error('createVm failed');
    });
    await expect(failing).rejects.toThrow('createVm failed');
    expect(log).toEqual(['delete VM', 'delete vNet', 'close']);
    expect(process.exitCode).toBeUndefined();
  });

  it('goes on after a failed undo step and ends with exit code 1', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
    const undone: string[] = [];
    await runSmoke('smoke:test', { close: async () => {} }, async (undo) => {
      undo(async () => undone.push('vNet'));
      undo(async () => {
        throw new Error('still in use');
      });
    });
    expect(undone).toEqual(['vNet']);
    expect(process.exitCode).toBe(1);
    expect(printed).toEqual([
      'cleanup step failed: Error: still in use',
      'smoke:test finished with cleanup errors',
    ]);
  });
});
