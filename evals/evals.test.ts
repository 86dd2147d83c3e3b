// CI gate: the offline planner over evals/scenarios must pass at least evals/threshold.json's rate.
// The whole suite runs here (2-4 minutes on two busy cores); S2A_EVALS=0 skips it for a quick local run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from './report.ts';
import { DEFAULT_CONCURRENCY, EVALS_DIRECTORY, readThreshold, runScenarios } from './runner.ts';
import { loadScenarios } from './scenario.ts';

describe('threshold.json', () => {
  it('holds a pass rate between 0 and 1, floored to 2 decimals', async () => {
    const threshold = await readThreshold();
    expect(threshold.offlinePassRate).toBeGreaterThan(0);
    expect(threshold.offlinePassRate).toBeLessThanOrEqual(1);
    expect(Math.round(threshold.offlinePassRate * 100) / 100).toBe(threshold.offlinePassRate);
  });
});

describe.skipIf(process.env.S2A_EVALS === '0')('the offline suite', () => {
  it('passes at least the threshold', async () => {
    const scenarios = await loadScenarios(join(EVALS_DIRECTORY, 'scenarios'));
    const startedAt = new Date();
    const results = await runScenarios(scenarios, { planner: 'offline', concurrency: DEFAULT_CONCURRENCY });
    const report = buildReport(results, { planner: 'offline', k: 1, startedAt, finishedAt: new Date() });
    const failing = report.summaries.filter((summary) => !summary.passAllK).map((summary) => summary.id);
    const { offlinePassRate } = await readThreshold();
    expect(
      report.passRate,
      `pass rate ${(report.passRate * 100).toFixed(1)}% < ${offlinePassRate * 100}%; failing: ${failing.join(', ')} (npm run eval for the report)`,
    ).toBeGreaterThanOrEqual(offlinePassRate - 1e-9);
  }, 900_000);
});
