/**
 * npm run eval [-- --planner offline|llm --filter <id|tag|lang> --k 3 --dir <folder> --concurrency 4 --ci]
 *
 * Runs the scenarios, prints the table, writes evals/reports/<timestamp>.json and .md. With --ci it
 * exits 1 when the pass rate is below evals/threshold.json (the offline planner's floor).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildReport, formatTable, writeReport } from './report.ts';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  EVALS_DIRECTORY,
  type RunOptions,
  readThreshold,
  runScenarios,
} from './runner.ts';
import { loadScenarios, matchesFilter, ScenarioError } from './scenario.ts';

const USAGE = `usage: npm run eval -- [options]
  --planner offline|llm   which planner answers (default offline)
  --filter <words>        scenario ids, tags or languages, comma-separated
  --k <n>                 runs per scenario; pass^k counts scenarios whose n runs all pass (default 1, llm 3)
  --dir <folder>          scenarios from this folder (default evals/scenarios)
  --concurrency <n>       scenarios at once (default ${DEFAULT_CONCURRENCY})
  --timeout <seconds>     per scenario run (default ${DEFAULT_TIMEOUT_MS / 1000})
  --reports <folder>      where the report goes (default evals/reports)
  --keep                  keep each scenario's S2A_HOME
  --ci                    exit 1 below the pass rate in evals/threshold.json`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      planner: { type: 'string', default: 'offline' },
      filter: { type: 'string' },
      k: { type: 'string' },
      dir: { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      reports: { type: 'string' },
      keep: { type: 'boolean', default: false },
      ci: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const planner = values.planner;
  if (planner !== 'offline' && planner !== 'llm') {
    console.error(`--planner must be offline or llm, not "${planner}"\n${USAGE}`);
    return 2;
  }
  const positive = (text: string | undefined, name: string, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1)
      throw new ScenarioError(`--${name} must be a whole number >= 1`);
    return value;
  };
  if (planner === 'llm') {
    // Fail once, here, rather than once per scenario.
    const { llmConfigFromEnvironment } = await import('../agent/llm/llm-config.ts');
    if (!llmConfigFromEnvironment(process.env)) {
      console.error('--planner llm needs a model: set OPENAI_API_KEY, or S2A_LLM_BASE_URL and S2A_LLM_MODEL');
      return 2;
    }
  }
  const k = positive(values.k, 'k', planner === 'llm' ? 3 : 1);
  const directory = resolve(values.dir ?? join(EVALS_DIRECTORY, 'scenarios'));
  const scenarios = (await loadScenarios(directory)).filter((scenario) =>
    matchesFilter(scenario, values.filter),
  );
  if (scenarios.length === 0) {
    console.error(`no scenario in ${directory} matches --filter ${values.filter}`);
    return 2;
  }
  const options: RunOptions = {
    planner,
    k,
    concurrency: positive(values.concurrency, 'concurrency', DEFAULT_CONCURRENCY),
    timeoutMs: positive(values.timeout, 'timeout', DEFAULT_TIMEOUT_MS / 1000) * 1000,
    keepHomes: values.keep,
    onResult: (result) => {
      const failed = result.checks.filter((check) => !check.pass).map((check) => check.key);
      if (result.error) failed.unshift(`error: ${result.error}`);
      console.error(
        `${result.pass ? 'pass' : 'FAIL'} ${result.id}${k > 1 ? ` #${result.attempt}` : ''} ${(result.milliseconds / 1000).toFixed(2)} s${failed.length > 0 ? ` (${failed.join(', ')})` : ''}`,
      );
    },
  };
  console.error(`running ${scenarios.length} scenario(s) from ${directory}, k=${k}, planner ${planner}`);
  const startedAt = new Date();
  const results = await runScenarios(scenarios, options);
  const report = buildReport(results, { planner, k, startedAt, finishedAt: new Date() });
  console.log(formatTable(report));
  const written = await writeReport(report, resolve(values.reports ?? join(EVALS_DIRECTORY, 'reports')));
  console.log(`report: ${written.markdown}\n        ${written.json}`);
  if (values.ci) {
    const threshold = await readThreshold();
    if (report.passRate + 1e-9 < threshold.offlinePassRate) {
      console.error(
        `pass rate ${(report.passRate * 100).toFixed(1)}% is below the threshold ${(threshold.offlinePassRate * 100).toFixed(0)}% (evals/threshold.json)`,
      );
      return 1;
    }
    console.log(`pass rate at or above the threshold ${(threshold.offlinePassRate * 100).toFixed(0)}%`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ScenarioError ? error.message : error);
    process.exitCode = 2;
  },
);
