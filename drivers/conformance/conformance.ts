import { afterAll, beforeAll, describe } from 'vitest';
import { ConformanceContext } from './context.ts';
import type { ConformanceOptions } from './harness.ts';
import { registerCapabilityTests, registerCatalogTests } from './tests/catalog.ts';
import { registerErrorTests, registerProvocationTests } from './tests/errors.ts';
import { registerIdempotencyTests } from './tests/idempotency.ts';
import { registerLifecycleTests } from './tests/lifecycle.ts';
import { registerTagAndFilterTests } from './tests/tags-and-filters.ts';
import { removeEverything } from './tracker.ts';

const DEFAULT_STATUS_TIMEOUT_MS = 300_000;
const DEFAULT_POLL_INTERVAL_MS = 2_000;
const DEFAULT_SETUP_TIMEOUT_MS = 120_000;

/**
 * Registers the conformance suite for one driver: call it at the top level of the driver's
 * `*.test.ts` file. Tests run in order (the lifecycle steps build on each other); `afterAll`
 * removes everything the run created, closes the driver and calls `harness.cleanup()`, and fails
 * when something could not be removed.
 */
export function describeDriverConformance(options: ConformanceOptions): void {
  const suite = new ConformanceContext({
    statusTimeoutMs: options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
  });

  // Order matters (lifecycle steps build on each other); tests without status waits get the call budget.
  const suiteOptions = { concurrent: false, shuffle: false, timeout: suite.timeout(0) };
  describe(`${options.name}: driver conformance`, suiteOptions, () => {
    beforeAll(async () => {
      suite.attach(await options.setup());
    }, options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS);

    // Terminations, then deletes with retries, then the leak check: three status waits at most.
    afterAll(async () => {
      if (!suite.attached) return;
      const { harness } = suite;
      const problems: string[] = [];
      try {
        await harness.clearProvocations?.();
      } catch (error) {
        problems.push(`clearProvocations: ${String(error)}`);
      }
      problems.push(
        ...(await removeEverything(harness.driver, suite.tracker, {
          region: harness.region,
          runTags: suite.runTags,
          ...suite.waitOptions,
        })),
      );
      try {
        await harness.driver.close();
      } finally {
        await harness.cleanup();
      }
      if (problems.length > 0) {
        throw new Error(`conformance cleanup left problems:\n- ${problems.join('\n- ')}`);
      }
    }, suite.timeout(3));

    registerCapabilityTests(suite);
    registerCatalogTests(suite);
    registerLifecycleTests(suite);
    registerTagAndFilterTests(suite);
    registerIdempotencyTests(suite);
    registerErrorTests(suite);
    registerProvocationTests(suite);
  });
}
