export { VmWaitError, type WaitForVmStatusOptions, waitForVmStatus } from '../spec/wait.ts';
export { describeDriverConformance } from './conformance.ts';
export type { ConformanceHarness, ConformanceOptions, Provocation, ProvokeHook } from './harness.ts';
export { PROVOCATIONS } from './harness.ts';
export { eventually, type RetryOptions, withRetry } from './retry.ts';
export { openSshFingerprint } from './ssh-key.ts';
