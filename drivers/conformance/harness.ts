import type { CloudDriver, DriverOperation } from '../spec/index.ts';

/** Failures a harness can cause on purpose, so the suite can check how the driver reports them. */
export const PROVOCATIONS = ['capacity', 'quota', 'throttle', 'auth'] as const;
export type Provocation = (typeof PROVOCATIONS)[number];

/**
 * Makes the next call of `operation` fail the way the provider would fail it: the sim injects a
 * fault, a real driver's fake server answers with the provider's own error. One-shot: the call
 * after that one behaves normally again.
 */
export type ProvokeHook = (operation: DriverOperation) => Promise<void>;

/** What a driver's test file hands to the suite: a driver to test and the world to test it in. */
export interface ConformanceHarness {
  /** The driver under test. The suite calls `close()` on it when it is done. */
  driver: CloudDriver;
  /** Region code (not id) to work in, e.g. "ap-northeast-2". */
  region: string;
  /** Zone code in `region` to place subnets and VMs in; omit to let the suite pick the first zone. */
  zone?: string;
  /** Spec id of a cheap CPU spec offered in `region` (and in `zone`, when given). */
  specId: string;
  /** Image id of an Ubuntu image in `region` that boots on `specId`. */
  imageId: string;
  /**
   * Hooks to provoke failures, for the error-mapping tests. The suite provokes `capacity` and
   * `quota` on createVm and `throttle` and `auth` on listVNets. A missing hook skips its test.
   */
  provoke?: Partial<Record<Provocation, ProvokeHook>>;
  /** Drops provocations not yet consumed; called after every provocation test. */
  clearProvocations?: () => Promise<void>;
  /**
   * Called last, after the suite removed what it created and closed the driver: stop fake
   * servers, delete temporary files and stores.
   */
  cleanup(): Promise<void>;
}

/** Arguments of `describeDriverConformance`. */
export interface ConformanceOptions {
  /** Names the top-level `describe`, e.g. "sim (aws)". */
  name: string;
  /** Builds a fresh harness; runs once, in `beforeAll`. */
  setup: () => Promise<ConformanceHarness>;
  /**
   * How long one VM status change (boot, stop, start, reboot, termination) may take, and how long
   * a deleted resource may linger in lists. Default 300 000 ms, for real clouds; a scaled sim
   * wants a few seconds. Known before `setup` runs because vitest fixes test timeouts then.
   */
  statusTimeoutMs?: number;
  /** Time between two polls of `getVm` or a list. Default 2 000 ms. */
  pollIntervalMs?: number;
  /** Time `setup` may take (loading a catalog, starting servers). Default 120 000 ms. */
  setupTimeoutMs?: number;
}
